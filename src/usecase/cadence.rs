//! 例行走访计划 — the cadence rule's planned visits: a household whose tags have a cadence
//! always has its next visit planned, and a visit the rule planned for a tag the household
//! no longer carries goes.
//!
//! The rule runs where tags change — a household created or edited here, a roster import,
//! a visit completed — and after every import, on the households it touched ([`after_import`]):
//! two devices that edit one household's tags concurrently each planned a visit for their
//! own tags, and the merge keeps only one set of tags.
//!
//! **Derived ids.** A visit the rule plans has an id derived from (household, tag, due)
//! ([`derived_id`]), not a random one, so two devices that re-plan the same household from
//! the same state create the *same* record (their ops agree, so no conflict) instead of two
//! visits, and each can tell the rule's own visits from the ones a person planned: a
//! planned visit is the rule's when its purpose is `{tag}例行走访` and its id is the one
//! derived from its household, that tag and its due date. A person who reschedules or
//! renames such a visit makes it theirs; the rule leaves it alone, as it leaves follow-up
//! visits and visits planned before this release (their ids are random).
//!
//! **The rules, per household (live ones only):**
//! 1. the rule's planned visits for a tag the household no longer carries are deleted
//!    (tombstones: restorable, and a concurrent completion elsewhere is flagged);
//! 2. of several of the rule's planned visits for tags it carries (two devices planned on
//!    different days), the soonest (by due date, then id) stays, the others are deleted;
//! 3. when no planned visit is left and its tags have a cadence, the next one is planned.
//!
//! These depend only on the household's tags and visits (rule 3 also on this device's
//! cadence table and today), so devices that hold the same data reach the same plan, and
//! a re-plan that finds nothing to do writes nothing: no ping-pong.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Rules, create_edits};
use crate::domain::EntityKind as K;
use crate::domain::date::format_date;
use crate::domain::edit::Edit;
use crate::store::{Store, StoreError};

/// The purpose the rule gives its visits: `{tag}例行走访`.
const PURPOSE_SUFFIX: &str = "例行走访";

/// How many derived ids one (household, tag, due) may take before a random one is used: a
/// second is needed when a visit done early frees the same due date for the next one.
const SPARE_IDS: u32 = 8;

/// A household's tags from its stored JSON list.
pub(crate) fn tags_of(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The id of the `n`-th visit the rule may plan for a household's tag on a due date: a
/// UUID (version 8) from their SHA-256, the same on every device.
pub fn derived_id(household: &str, tag: &str, due: &str, n: u32) -> String {
    let mut h = Sha256::new();
    for part in ["louzu cadence visit v1", household, tag, due] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(n.to_le_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The tag a planned visit was derived for, if the rule planned it (see the module doc).
fn derived_tag<'a>(household: &str, id: &str, due: &str, purpose: &'a str) -> Option<&'a str> {
    let tag = purpose
        .strip_suffix(PURPOSE_SUFFIX)
        .filter(|t| !t.is_empty())?;
    (0..SPARE_IDS)
        .any(|n| derived_id(household, tag, due, n) == id)
        .then_some(tag)
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
    if rules.cadences.for_tags(tags).is_none() {
        return Ok(Vec::new());
    }
    let last = if new {
        None
    } else {
        if store.has_planned_visit(household, None)? {
            return Ok(Vec::new());
        }
        store.last_visit_done(household)?
    };
    planned_visit(store, rules, today, building, household, tags, last)
}

/// The edits planning a household's next cadence visit, one cadence after `last` (the last
/// visit done) but not before today, under its derived id; none when its tags have no
/// cadence.
pub fn planned_visit(
    store: &Store,
    rules: &Rules,
    today: Date,
    building: &str,
    household: &str,
    tags: &[String],
    last: Option<Date>,
) -> Result<Vec<Edit>, StoreError> {
    let Some(cadence) = rules.cadences.for_tags(tags) else {
        return Ok(Vec::new());
    };
    let due = format_date(
        last.map(|d| cadence.next(d))
            .filter(|d| *d > today)
            .unwrap_or(today),
    );
    let tag = tags
        .iter()
        .find(|t| rules.cadences.0.contains_key(*t))
        .cloned()
        .unwrap_or_default();
    // The first derived id no record has yet (a visit done early may hold the first).
    let mut id = None;
    for n in 0..SPARE_IDS {
        let candidate = derived_id(household, &tag, &due, n);
        if store.record(K::Visit, &candidate)?.is_none() {
            id = Some(candidate);
            break;
        }
    }
    let id = id.unwrap_or_else(super::new_id);
    Ok(create_edits(
        K::Visit,
        &id,
        vec![
            ("building_id", json!(building)),
            ("household_id", json!(household)),
            ("due", json!(due)),
            ("purpose", json!(format!("{tag}{PURPOSE_SUFFIX}"))),
            ("status", json!("planned")),
        ],
    ))
}

/// The edits bringing a stored household's planned visits in line with `tags` (the rules
/// in the module doc), and whether they plan a new one.
pub fn replan(
    store: &Store,
    rules: &Rules,
    today: Date,
    building: &str,
    household: &str,
    tags: &[String],
) -> Result<(Vec<Edit>, bool), StoreError> {
    let mut edits = Vec::new();
    let mut ours: Vec<(String, String)> = Vec::new();
    let mut theirs = 0;
    for (id, due, purpose) in store.planned_visits(household)? {
        match derived_tag(household, &id, &due, &purpose) {
            Some(tag) if !tags.iter().any(|t| t == tag) => {
                edits.push(Edit::new(K::Visit, &id, "deleted", true));
            }
            Some(_) => ours.push((due, id)),
            None => theirs += 1,
        }
    }
    ours.sort();
    for (_, id) in ours.iter().skip(1) {
        edits.push(Edit::new(K::Visit, id, "deleted", true));
    }
    let mut planned = false;
    if theirs == 0 && ours.is_empty() {
        let last = store.last_visit_done(household)?;
        let visit = planned_visit(store, rules, today, building, household, tags, last)?;
        planned = !visit.is_empty();
        edits.extend(visit);
    }
    Ok((edits, planned))
}

/// What re-planning after an import found to do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replanned {
    /// The edits, for one change committed with the import.
    pub edits: Vec<Edit>,
    /// The households whose plan changed, by label (room), in id order.
    pub households: Vec<String>,
}

/// Re-plans the live households an import touched (their tags, their deletion or their
/// visits changed), in id order so every device writes the same edits.
pub fn after_import(
    store: &Store,
    rules: &Rules,
    today: Date,
    households: &BTreeSet<String>,
) -> Result<Replanned, StoreError> {
    let mut out = Replanned::default();
    for id in households {
        let Some(h) = store.record(K::Household, id)? else {
            continue;
        };
        if h.deleted {
            continue;
        }
        let tags = tags_of(h.get("tags"));
        let (edits, _) = replan(store, rules, today, h.text("building_id"), id, &tags)?;
        if !edits.is_empty() {
            out.edits.extend(edits);
            out.households.push(h.label());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_uuids_and_tell_the_rules_visits_apart() {
        let h = "01a2338e-7783-71c4-87a6-7830ad4f9691";
        let id = derived_id(h, "独居老人", "2026-12-03", 0);
        assert_eq!(id, derived_id(h, "独居老人", "2026-12-03", 0));
        assert!(uuid::Uuid::parse_str(&id).is_ok());
        for other in [
            derived_id(h, "高龄", "2026-12-03", 0),
            derived_id(h, "独居老人", "2026-12-04", 0),
            derived_id(h, "独居老人", "2026-12-03", 1),
        ] {
            assert_ne!(id, other);
        }
        assert_eq!(
            derived_tag(h, &id, "2026-12-03", "独居老人例行走访"),
            Some("独居老人")
        );
        // Renamed, rescheduled, or planned by a person: not the rule's.
        assert_eq!(derived_tag(h, &id, "2026-12-03", "送慰问品"), None);
        assert_eq!(derived_tag(h, &id, "2026-12-10", "独居老人例行走访"), None);
        let random = uuid::Uuid::now_v7().to_string();
        assert_eq!(
            derived_tag(h, &random, "2026-12-03", "独居老人例行走访"),
            None
        );
    }
}
