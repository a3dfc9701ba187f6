//! Creating, editing, deleting and restoring a record, and 双结对 pairing — with the rules
//! that ride along: a household whose tags ask for regular visits always has its next
//! visit planned; a need's status follows its path (fed back needs what the resident was
//! told) and is dated when it closes.

use jiff::civil::Date;
use serde_json::{Value, json};

use super::{Done, Rules, commit, create_edits, new_id};
use crate::domain::EntityKind;
use crate::domain::date::format_date;
use crate::domain::edit::Edit;
use crate::domain::need::{NeedStatus, check_transition};
use crate::store::{Action, Record, Store, StoreError, label_field};

/// Creates a record from `(field, value)` pairs, with what the rules derive from it.
pub fn create(
    store: &mut Store,
    rules: &Rules,
    today: Date,
    kind: EntityKind,
    fields: Vec<(String, Value)>,
) -> Result<Done, StoreError> {
    let id = new_id();
    let (edits, derived) = create_change(store, rules, today, kind, &id, fields)?;
    let label = edits
        .iter()
        .find(|e| e.id == id && e.field == label_field(kind))
        .and_then(|e| e.value.as_str())
        .unwrap_or_default()
        .to_string();
    let change = commit(store, Action::Create, label, edits)?;
    Ok(Done {
        change,
        record: Some(id),
        derived,
    })
}

/// The edits creating record `id` and what the rules derive from it, without committing:
/// the roster import puts many of these in one batch.
pub fn create_change(
    store: &Store,
    rules: &Rules,
    today: Date,
    kind: EntityKind,
    id: &str,
    fields: Vec<(String, Value)>,
) -> Result<(Vec<Edit>, super::Derived), StoreError> {
    let mut fields = fields;
    if kind == EntityKind::Need {
        need_rules(None, &mut fields, today)?;
    }
    let mut edits = create_edits(
        kind,
        id,
        fields
            .iter()
            .map(|(f, v)| (f.as_str(), v.clone()))
            .collect(),
    );
    let mut derived = super::Derived::default();
    if kind == EntityKind::Household {
        let get = |f: &str| fields.iter().find(|(n, _)| n == f).map(|(_, v)| v);
        let building = get("building_id").and_then(Value::as_str).unwrap_or("");
        let tags = tags_of(get("tags").unwrap_or(&Value::Null));
        let visit = next_visit(store, rules, today, building, id, &tags, true)?;
        derived.planned_visit = !visit.is_empty();
        edits.extend(visit);
    }
    Ok((edits, derived))
}

/// Sets fields of a record; unchanged fields are skipped, and nothing is written (change
/// `None`) when nothing differs.
pub fn edit(
    store: &mut Store,
    rules: &Rules,
    today: Date,
    kind: EntityKind,
    id: &str,
    fields: Vec<(String, Value)>,
) -> Result<Done, StoreError> {
    let current = store
        .record(kind, id)?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    let mut fields = fields;
    if kind == EntityKind::Need {
        need_rules(Some(&current), &mut fields, today)?;
    }
    let mut edits: Vec<Edit> = fields
        .iter()
        .filter(|(f, v)| current.get(f) != v)
        .map(|(f, v)| Edit::new(kind, id, f, v.clone()))
        .collect();
    let mut derived = super::Derived::default();
    if kind == EntityKind::Household && !edits.is_empty() && !current.deleted {
        let tags = fields
            .iter()
            .find(|(f, _)| f == "tags")
            .map(|(_, v)| tags_of(v))
            .unwrap_or_else(|| tags_of(current.get("tags")));
        let building = current.text("building_id").to_string();
        let visit = next_visit(store, rules, today, &building, id, &tags, false)?;
        derived.planned_visit = !visit.is_empty();
        edits.extend(visit);
    }
    let change = commit(store, Action::Edit, current.label(), edits)?;
    Ok(Done {
        change,
        record: Some(id.to_string()),
        derived,
    })
}

/// Deletes a record as a tombstone: hidden everywhere, restorable from the log.
pub fn delete(store: &mut Store, kind: EntityKind, id: &str) -> Result<Done, StoreError> {
    set_deleted(store, kind, id, true)
}

/// Brings a deleted record back.
pub fn restore(store: &mut Store, kind: EntityKind, id: &str) -> Result<Done, StoreError> {
    set_deleted(store, kind, id, false)
}

fn set_deleted(
    store: &mut Store,
    kind: EntityKind,
    id: &str,
    deleted: bool,
) -> Result<Done, StoreError> {
    let current = store
        .record(kind, id)?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    let action = if deleted {
        Action::Delete
    } else {
        Action::Restore
    };
    let edits = if current.deleted == deleted {
        Vec::new()
    } else {
        vec![Edit::new(kind, id, "deleted", deleted)]
    };
    let change = commit(store, action, current.label(), edits)?;
    Ok(Done {
        change,
        record: Some(id.to_string()),
        derived: super::Derived::default(),
    })
}

/// 双结对 — pairs a member with a household (in difficulty, usually) from today.
pub fn pair(
    store: &mut Store,
    today: Date,
    building: &str,
    member: &str,
    household: &str,
) -> Result<Done, StoreError> {
    let id = new_id();
    let name = store
        .record(EntityKind::Member, member)?
        .map(|m| m.text("name").to_string())
        .unwrap_or_default();
    let room = store
        .record(EntityKind::Household, household)?
        .map(|h| h.label())
        .unwrap_or_default();
    let edits = create_edits(
        EntityKind::Pairing,
        &id,
        vec![
            ("building_id", json!(building)),
            ("member_id", json!(member)),
            ("household_id", json!(household)),
            ("since", json!(format_date(today))),
        ],
    );
    let change = commit(store, Action::Create, format!("{name} ↔ {room}"), edits)?;
    Ok(Done {
        change,
        record: Some(id),
        derived: super::Derived::default(),
    })
}

/// A household's tags from its stored JSON list.
fn tags_of(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The cadence rule: a household whose tags have a cadence always has its next visit
/// planned. Returns the edits creating one (a cadence after the last completed visit, but
/// not before today) when none is planned; `new` skips the reads for a record not yet
/// stored.
pub fn next_visit(
    store: &Store,
    rules: &Rules,
    today: Date,
    building: &str,
    household: &str,
    tags: &[String],
    new: bool,
) -> Result<Vec<Edit>, StoreError> {
    let Some(cadence) = rules.cadences.for_tags(tags) else {
        return Ok(Vec::new());
    };
    let last = if new {
        None
    } else {
        if store.has_planned_visit(household, None)? {
            return Ok(Vec::new());
        }
        store.last_visit_done(household)?
    };
    let due = last
        .map(|d| cadence.next(d))
        .filter(|d| *d > today)
        .unwrap_or(today);
    let purpose = tags
        .iter()
        .find(|t| rules.cadences.0.contains_key(*t))
        .map(|t| format!("{t}例行走访"))
        .unwrap_or_default();
    Ok(create_edits(
        EntityKind::Visit,
        &new_id(),
        vec![
            ("building_id", json!(building)),
            ("household_id", json!(household)),
            ("due", json!(format_date(due))),
            ("purpose", json!(purpose)),
            ("status", json!("planned")),
        ],
    ))
}

/// A need's status rules: the path it may take (fed back needs what the resident was
/// told; escalated needs to whom), and the day it closed.
fn need_rules(
    current: Option<&Record>,
    fields: &mut Vec<(String, Value)>,
    today: Date,
) -> Result<(), StoreError> {
    let after = |f: &str| -> String {
        fields
            .iter()
            .find(|(n, _)| n == f)
            .map(|(_, v)| v.as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| current.map(|c| c.text(f).to_string()).unwrap_or_default())
    };
    let from = current.and_then(|c| NeedStatus::parse(c.text("status")));
    let to = NeedStatus::parse(&after("status"));
    if let Some(to) = to
        && (current.is_some() || to != NeedStatus::Open)
    {
        check_transition(from, to, &after("escalated_to"), &after("feedback"))
            .map_err(StoreError::Need)?;
    }
    let closing = matches!(to, Some(NeedStatus::Resolved | NeedStatus::FedBack));
    let closed_before = current.is_some_and(|c| !c.text("closed_on").is_empty());
    if closing && !closed_before && !fields.iter().any(|(n, _)| n == "closed_on") {
        fields.push(("closed_on".into(), json!(format_date(today))));
    }
    Ok(())
}
