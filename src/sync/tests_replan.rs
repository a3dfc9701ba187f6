//! Planned visits after a merge: two devices that change one household's tags at once end
//! with one planned routine visit, for a tag it has — and devices that re-plan alike make
//! the same visit, not two.

use std::path::Path;

use jiff::civil::Date;
use serde_json::json;

use super::import::{ImportOptions, Preview, import_bytes_with};
use super::tests::{Dev, bundle_for, dev, start};
use super::{SyncError, conflicts};
use crate::domain::EntityKind as K;
use crate::store::{Hlc, Store};
use crate::usecase::{Rules, record};

fn today() -> Date {
    Date::new(2026, 11, 26).unwrap()
}

fn take(to: &mut Dev, bytes: &[u8], dry_run: bool) -> Result<Preview, SyncError> {
    let opts = ImportOptions {
        dry_run,
        ..Default::default()
    };
    let rules = Rules::default();
    import_bytes_with(
        &mut to.store,
        Path::new("t.louzu"),
        bytes,
        &opts,
        &rules,
        today(),
    )
}

fn exchange(a: &mut Dev, b: &mut Dev) -> (Preview, Preview) {
    let ab = bundle_for(a, b);
    let p = take(b, &ab, false).unwrap();
    let ba = bundle_for(b, a);
    (p, take(a, &ba, false).unwrap())
}

fn set_tags(s: &mut Store, h: &str, tags: &[&str]) {
    record::edit(
        s,
        &Rules::default(),
        today(),
        K::Household,
        h,
        vec![("tags".into(), json!(tags))],
    )
    .unwrap();
}

/// The household's planned visits (not deleted): their purposes, sorted.
fn planned(s: &Store, building: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .visits(building, 0)
        .unwrap()
        .into_iter()
        .filter(|v| v.status == "planned")
        .map(|v| v.purpose)
        .collect();
    v.sort();
    v
}

fn building_of(s: &Store, h: &str) -> String {
    s.record(K::Household, h)
        .unwrap()
        .unwrap()
        .text("building_id")
        .to_string()
}

fn hour_ahead(s: &Store) {
    s.conn()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'hlc'",
            [Hlc::now_plus(3_600_000).0.to_string()],
        )
        .unwrap();
}

#[test]
fn concurrent_tag_edits_leave_one_planned_visit_for_a_tag_the_household_has() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    let bld = building_of(&a.store, &h);
    // 组长 marks the household 独居老人; 副组长, at the same time and later by the clock,
    // marks it 高龄. Each device planned the visit its own tag asks for.
    set_tags(&mut a.store, &h, &["独居老人"]);
    hour_ahead(&b.store);
    set_tags(&mut b.store, &h, &["高龄"]);
    assert_eq!(planned(&a.store, &bld), ["独居老人例行走访"]);
    assert_eq!(planned(&b.store, &bld), ["高龄例行走访"]);
    let (at_b, at_a) = exchange(&mut a, &mut b);
    assert_eq!(at_b.replanned, vec!["301".to_string()]);
    assert!(
        at_b.notes().iter().any(|n| n.contains("走访计划")),
        "{:?}",
        at_b.notes()
    );
    assert!(
        at_a.replanned.is_empty(),
        "副组长's re-plan came along: nothing left"
    );
    for d in [&a, &b] {
        let rec = d.store.record(K::Household, &h).unwrap().unwrap();
        assert_eq!(rec.get("tags"), &json!(["高龄"]), "the later edit shows");
        assert_eq!(planned(&d.store, &bld), ["高龄例行走访"]);
        // The tags themselves are a conflict to review; the visits are not.
        let c = conflicts::list(&d.store, false).unwrap();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].field, "tags");
    }
    assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
    // Nothing left to do: the next exchange writes nothing on either side.
    let (again_b, again_a) = exchange(&mut a, &mut b);
    assert!(again_b.replanned.is_empty() && again_a.replanned.is_empty());
    assert!(again_a.already_held, "no ping-pong");
}

#[test]
fn devices_that_re_plan_alike_make_the_same_visit_not_two() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let mut c = dev("居委会");
    let h = start(&mut a, &mut b);
    super::tests::befriend(&a, &c);
    super::tests::befriend(&b, &c);
    let bld = building_of(&a.store, &h);
    set_tags(&mut a.store, &h, &["独居老人"]);
    exchange(&mut a, &mut b);
    exchange(&mut a, &mut c);
    // An older louzu on 组长's laptop changes the tags without re-planning.
    a.store
        .update(K::Household, &h, vec![("tags", json!(["低保"]))])
        .unwrap();
    let for_b = bundle_for(&a, &b);
    let for_c = bundle_for(&a, &c);
    let dry = take(&mut b, &for_b, true).unwrap();
    assert_eq!(dry.replanned.len(), 1, "the preview says so");
    assert!(dry.notes().iter().any(|n| n.contains("会按")));
    assert_eq!(
        planned(&b.store, &bld),
        ["独居老人例行走访"],
        "nothing written"
    );
    // 副组长 and the office each re-plan on their own, from the same data.
    take(&mut b, &for_b, false).unwrap();
    take(&mut c, &for_c, false).unwrap();
    for d in [&b, &c] {
        assert_eq!(planned(&d.store, &bld), ["低保例行走访"]);
    }
    exchange(&mut b, &mut c);
    exchange(&mut a, &mut b);
    exchange(&mut a, &mut c);
    for d in [&a, &b, &c] {
        assert_eq!(
            planned(&d.store, &bld),
            ["低保例行走访"],
            "one visit, not two"
        );
        assert!(conflicts::list(&d.store, false).unwrap().is_empty());
    }
    assert_eq!(b.store.dump().unwrap(), c.store.dump().unwrap());
    assert_eq!(a.store.dump().unwrap(), c.store.dump().unwrap());
}

#[test]
fn the_re_plan_is_one_change_that_undo_takes_back() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    let bld = building_of(&a.store, &h);
    set_tags(&mut a.store, &h, &["独居老人"]);
    exchange(&mut a, &mut b);
    a.store
        .update(K::Household, &h, vec![("tags", json!(["高龄"]))])
        .unwrap();
    let bytes = bundle_for(&a, &b);
    // This device's own journal entries.
    let journal = |s: &Store| -> i64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM changes WHERE origin = ?1",
                [s.device_id()],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = journal(&b.store);
    take(&mut b, &bytes, false).unwrap();
    assert_eq!(journal(&b.store), before + 2, "the import and one re-plan");
    assert_eq!(planned(&b.store, &bld), ["高龄例行走访"]);
    let undone = b.store.undo().unwrap().unwrap();
    assert_eq!(undone.label, "301", "labelled by the household's room");
    assert_eq!(planned(&b.store, &bld), ["独居老人例行走访"]);
    let tags = b.store.record(K::Household, &h).unwrap().unwrap();
    assert_eq!(
        tags.get("tags"),
        &json!(["高龄"]),
        "the import itself stays"
    );
}

#[test]
fn settling_a_tags_conflict_re_plans_in_the_same_change() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    let bld = building_of(&a.store, &h);
    set_tags(&mut a.store, &h, &["独居老人"]);
    hour_ahead(&b.store);
    set_tags(&mut b.store, &h, &["高龄"]);
    exchange(&mut a, &mut b);
    let c = conflicts::list(&a.store, false).unwrap();
    assert_eq!(c[0].field, "tags");
    // Keep 组长's 独居老人 (B, the value not shown): the 高龄 visit goes, a weekly one comes.
    let keep = if c[0].b.value == json!(["独居老人"]) {
        conflicts::Resolution::KeepB
    } else {
        conflicts::Resolution::KeepA
    };
    let rules = Rules::default();
    conflicts::resolve_with(&mut a.store, &c[0].id, keep, &rules, today()).unwrap();
    assert_eq!(planned(&a.store, &bld), ["独居老人例行走访"]);
    assert!(conflicts::list(&a.store, false).unwrap().is_empty());
    exchange(&mut a, &mut b);
    assert_eq!(planned(&b.store, &bld), ["独居老人例行走访"]);
    assert!(conflicts::list(&b.store, false).unwrap().is_empty());
    assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
}
