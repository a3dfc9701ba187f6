//! 六个员 and 四个无 — ticking a member's duty item, attesting a month's target, taking or
//! giving back a role. Ids are stable (per member, role, item and period), so two devices
//! doing the same converge on one record.

use jiff::civil::Date;

use super::{Derived, Done, commit};
use crate::domain::EntityKind;
use crate::domain::duty::{TickKey, assignment_id, attestation_id};
use crate::domain::edit::Edit;
use crate::store::{Action, Store, StoreError};

/// One duty item of one member in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub building: String,
    pub member: String,
    pub role: String,
    pub item: String,
    pub period: String,
}

impl Item {
    fn key(&self) -> TickKey<'_> {
        TickKey {
            building: &self.building,
            member: &self.member,
            role: &self.role,
            item: &self.item,
            period: &self.period,
        }
    }
}

/// Ticks an item done on `on` (with a note), or unticks it when `on` is `None`.
pub fn set_tick(
    store: &mut Store,
    item: &Item,
    on: Option<Date>,
    note: &str,
) -> Result<Done, StoreError> {
    let name = member_name(store, &item.member)?;
    let edits = item.key().edits(on.is_some(), on, note);
    let change = commit(
        store,
        Action::Create,
        format!("{}（{name}）", item.item),
        edits,
    )?;
    Ok(Done {
        change,
        record: Some(item.key().id()),
        derived: Derived::default(),
    })
}

/// 四个无 — records whether a month's target was met, with a note.
pub fn attest(
    store: &mut Store,
    building: &str,
    month: &str,
    target: &str,
    met: bool,
    note: serde_json::Value,
) -> Result<Done, StoreError> {
    let id = attestation_id(building, month, target);
    let k = EntityKind::Attestation;
    let edits = vec![
        Edit::new(k, &id, "deleted", false),
        Edit::new(k, &id, "building_id", building),
        Edit::new(k, &id, "month", month),
        Edit::new(k, &id, "target", target),
        Edit::new(k, &id, "met", met),
        Edit::new(k, &id, "note", note),
    ];
    let change = commit(store, Action::Create, format!("{month} {target}"), edits)?;
    Ok(Done {
        change,
        record: Some(id),
        derived: Derived::default(),
    })
}

/// Takes a role for a member, or gives it back when `held`. Taking it again revives the
/// same assignment record.
pub fn toggle_role(
    store: &mut Store,
    building: &str,
    member: &str,
    role: &str,
    held: bool,
) -> Result<Done, StoreError> {
    let id = assignment_id(building, member, role);
    let k = EntityKind::DutyAssignment;
    let name = member_name(store, member)?;
    let (action, edits) = if held {
        (Action::Delete, vec![Edit::new(k, &id, "deleted", true)])
    } else {
        (
            Action::Create,
            vec![
                Edit::new(k, &id, "deleted", false),
                Edit::new(k, &id, "building_id", building),
                Edit::new(k, &id, "member_id", member),
                Edit::new(k, &id, "role", role),
            ],
        )
    };
    let change = commit(store, action, format!("{role}（{name}）"), edits)?;
    Ok(Done {
        change,
        record: Some(id),
        derived: Derived::default(),
    })
}

fn member_name(store: &Store, id: &str) -> Result<String, StoreError> {
    Ok(store
        .record(EntityKind::Member, id)?
        .map(|m| m.text("name").to_string())
        .unwrap_or_default())
}
