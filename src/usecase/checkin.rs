//! 巡楼 — recording the day's stairwell check-in. A second check-in the same day edits
//! the first and changes only what differs: findings on items no longer in the configured
//! list are kept, a recorded problem is never overwritten by an item the leader did not
//! touch, and a problem that already opened a need does not open a second one.

use jiff::civil::Date;
use serde_json::{Map, Value, json};

use super::visit::tick_items;
use super::{Derived, Done, Rules, commit, create_edits, new_id, text_or_null};
use crate::domain::EntityKind as K;
use crate::domain::checkin::{self, Finding};
use crate::domain::date::format_date;
use crate::domain::duty::EventKind;
use crate::domain::edit::Edit;
use crate::store::{Action, Store, StoreError};

/// What the check-in form hands over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Findings of the items shown (configured items and earlier extra ones).
    pub findings: Vec<(String, Finding)>,
    /// The free note.
    pub note: String,
    /// Items whose problem should open a need (民情诉求).
    pub open_needs: Vec<String>,
}

/// Records `entry` as the building's check-in on `date`, with the needs it opens and the
/// 六个员 items the leader earns, as one change.
pub fn record(
    store: &mut Store,
    rules: &Rules,
    building: &str,
    date: Date,
    entry: &Entry,
) -> Result<Done, StoreError> {
    let earlier = store.checkin_on(building, date)?;
    let d = format_date(date);
    // Start from what is stored, so items not shown (or not parsed) stay as they were.
    let mut items: Map<String, Value> = earlier
        .as_ref()
        .and_then(|r| r.get("items").as_object().cloned())
        .unwrap_or_default();
    for (item, f) in &entry.findings {
        items.insert(item.clone(), Value::String(f.to_text()));
    }
    let mut links: Map<String, Value> = earlier
        .as_ref()
        .and_then(|r| r.get("needs").as_object().cloned())
        .unwrap_or_default();
    let mut derived = Derived::default();
    let mut need_edits = Vec::new();
    for item in &entry.open_needs {
        if let Some(id) = links.get(item).and_then(Value::as_str)
            && store.record(K::Need, id)?.is_some_and(|n| !n.deleted)
        {
            continue;
        }
        let text = match entry.findings.iter().find(|(i, _)| i == item) {
            Some((_, Finding::Problem(n))) if !n.is_empty() => format!("{item}：{n}"),
            _ => item.clone(),
        };
        let id = new_id();
        need_edits.extend(create_edits(
            K::Need,
            &id,
            vec![
                ("building_id", json!(building)),
                ("category", json!(checkin::need_category(item))),
                ("description", json!(text)),
                ("source", json!("checkin")),
                ("status", json!("open")),
                ("raised_on", json!(d)),
            ],
        ));
        links.insert(item.clone(), json!(id));
        derived.needs += 1;
    }
    let links = if links.is_empty() {
        Value::Null
    } else {
        Value::Object(links)
    };
    let note = text_or_null(&entry.note);
    let (id, mut edits, action) = match &earlier {
        Some(r) => {
            let mut edits = Vec::new();
            for (field, value) in [
                ("items", Value::Object(items)),
                ("note", note),
                ("needs", links),
            ] {
                if r.get(field) != &value {
                    edits.push(Edit::new(K::Checkin, &r.id, field, value));
                }
            }
            (r.id.clone(), edits, Action::Edit)
        }
        None => {
            let id = new_id();
            let by = store.owner_name().to_string();
            let edits = create_edits(
                K::Checkin,
                &id,
                vec![
                    ("building_id", json!(building)),
                    ("date", json!(d)),
                    ("items", Value::Object(items)),
                    ("note", note),
                    ("by_name", text_or_null(&by)),
                    ("needs", links),
                ],
            );
            (id, edits, Action::Create)
        }
    };
    edits.extend(need_edits);
    let me = store.members_named(building, store.owner_name())?;
    if let Some(ticks) = store.auto_tick_change(
        &rules.duties,
        EventKind::CheckinDone,
        building,
        &me,
        date,
        None,
    )? {
        derived.ticks = tick_items(&ticks.edits);
        edits.extend(ticks.edits);
    }
    let change = commit(store, action, d, edits)?;
    Ok(Done {
        change,
        record: Some(id),
        derived,
    })
}

/// The lines a check-in form shows: the configured items, then every item recorded
/// earlier that day that the list no longer has (renamed or removed in config.toml), so
/// nothing recorded is hidden — each with its finding and the need it opened, if any.
pub fn lines(configured: &[String], earlier: Option<&crate::store::Record>) -> Vec<Line> {
    let recorded = earlier
        .map(|r| checkin::from_json(r.get("items")))
        .unwrap_or_default();
    let links = earlier.and_then(|r| r.get("needs").as_object());
    let line = |name: &str| Line {
        name: name.to_string(),
        finding: recorded
            .iter()
            .find(|(i, _)| i == name)
            .map(|(_, f)| f.clone()),
        need: links
            .and_then(|l| l.get(name))
            .and_then(Value::as_str)
            .map(str::to_string),
        extra: !configured.iter().any(|c| c == name),
    };
    let mut out: Vec<Line> = configured.iter().map(|c| line(c)).collect();
    for (item, _) in &recorded {
        if !configured.contains(item) {
            out.push(line(item));
        }
    }
    out
}

/// One line of the check-in form as it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    /// What was recorded earlier today, if anything.
    pub finding: Option<Finding>,
    /// The need this item opened, if any.
    pub need: Option<String>,
    /// Not in the configured list any more (kept from an earlier check-in).
    pub extra: bool,
}
