//! 完成走访 — recording how a visit went. One change holds the visit's outcome, each need
//! it raised (closed on the spot or escalated, as handled), the next visit (on the
//! follow-up date, or by the household's cadence) and the 六个员 items the visitors earn.

use jiff::civil::Date;
use serde_json::{Value, json};

use super::cadence::{planned_visit, tags_of};
use super::{Derived, Done, Rules, commit, create_edits, new_id, text_or_null};
use crate::domain::EntityKind as K;
use crate::domain::date::format_date;
use crate::domain::duty::EventKind;
use crate::domain::edit::Edit;
use crate::domain::need::NeedStatus;
use crate::domain::visit::{Completion, Outcome, SOLVED_ON_THE_SPOT};
use crate::store::{Action, Store, StoreError};

/// Records a visit's outcome with everything it derives, as one change.
pub fn complete(
    store: &mut Store,
    rules: &Rules,
    today: Date,
    visit_id: &str,
    c: &Completion,
) -> Result<Done, StoreError> {
    let visit = store
        .record(K::Visit, visit_id)?
        .ok_or_else(|| StoreError::NotFound(visit_id.to_string()))?;
    let building = visit.text("building_id").to_string();
    let household = visit.text("household_id").to_string();
    let date = format_date(c.date);
    let (status, reason) = match &c.outcome {
        Outcome::Done => ("done", Value::Null),
        Outcome::Missed(r) => ("missed", json!(r)),
        Outcome::Cancelled(r) => ("cancelled", json!(r)),
    };
    let mut edits = vec![
        Edit::new(K::Visit, visit_id, "status", status),
        Edit::new(K::Visit, visit_id, "done_on", date.as_str()),
        Edit::new(K::Visit, visit_id, "visitors", json!(c.visitors)),
        Edit::new(K::Visit, visit_id, "situation", text_or_null(&c.situation)),
        Edit::new(K::Visit, visit_id, "handling", json!(c.handling)),
        Edit::new(K::Visit, visit_id, "reason", reason),
        Edit::new(
            K::Visit,
            visit_id,
            "follow_up",
            json!(c.follow_up.map(format_date)),
        ),
    ];
    let mut derived = Derived::default();
    let handling = c.handling.as_deref().filter(|h| !h.is_empty());
    for need in &c.needs {
        let (st, to) = match handling {
            Some(SOLVED_ON_THE_SPOT) => (NeedStatus::Resolved, Value::Null),
            Some(to) => (NeedStatus::Escalated, json!(to)),
            None => (NeedStatus::Open, Value::Null),
        };
        let closed = (st == NeedStatus::Resolved).then(|| date.clone());
        edits.extend(create_edits(
            K::Need,
            &new_id(),
            vec![
                ("building_id", json!(building)),
                ("household_id", json!(household)),
                ("category", json!(need.category)),
                ("description", json!(need.description)),
                ("source", json!("visit")),
                ("status", json!(st.name())),
                ("escalated_to", to),
                ("owner", json!(c.visitors.first())),
                ("raised_on", json!(date)),
                ("closed_on", json!(closed)),
            ],
        ));
        derived.needs += 1;
    }
    // The next visit: on the follow-up date when one was given, else by the cadence rule
    // (counted from this visit when it was made).
    let planned_elsewhere = store.has_planned_visit(&household, Some(visit_id))?;
    if !planned_elsewhere {
        let next = match c.follow_up {
            Some(next) => create_edits(
                K::Visit,
                &new_id(),
                vec![
                    ("building_id", json!(building)),
                    ("household_id", json!(household)),
                    ("due", json!(format_date(next))),
                    ("purpose", visit.get("purpose").clone()),
                    ("assigned", visit.get("assigned").clone()),
                    ("status", json!("planned")),
                ],
            ),
            None => cadence_visit(store, rules, today, &building, &household, c)?,
        };
        derived.planned_visit = !next.is_empty();
        edits.extend(next);
    }
    if c.outcome == Outcome::Done
        && let Some(ticks) = store.auto_tick_change(
            &rules.duties,
            EventKind::VisitDone,
            &building,
            &c.visitors,
            c.date,
            Some(&household),
        )?
    {
        derived.ticks = tick_items(&ticks.edits);
        edits.extend(ticks.edits);
    }
    let room = store
        .record(K::Household, &household)?
        .map(|h| h.label())
        .unwrap_or_default();
    let change = commit(store, Action::Edit, room, edits)?;
    Ok(Done {
        change,
        record: Some(visit_id.to_string()),
        derived,
    })
}

/// The cadence visit after this one when no follow-up date was given: counted from this
/// visit's date when it was made, from the last one otherwise.
fn cadence_visit(
    store: &Store,
    rules: &Rules,
    today: Date,
    building: &str,
    household: &str,
    c: &Completion,
) -> Result<Vec<Edit>, StoreError> {
    let Some(h) = store.record(K::Household, household)? else {
        return Ok(Vec::new());
    };
    let tags = tags_of(h.get("tags"));
    let from = match c.outcome {
        Outcome::Done => Some(c.date),
        _ => store.last_visit_done(household)?,
    };
    planned_visit(store, rules, today, building, household, &tags, from)
}

/// The 六个员 items an auto-tick change ticks, for the status line.
pub(crate) fn tick_items(edits: &[Edit]) -> Vec<String> {
    edits
        .iter()
        .filter(|e| e.field == "item")
        .filter_map(|e| e.value.as_str().map(str::to_string))
        .collect()
}
