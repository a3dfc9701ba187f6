//! Edit vs delete by what each device had seen, not by whose clock is later: an edit the
//! deleter had not seen is flagged even when it is earlier by the clock; an edit made
//! after seeing the delete (a restore, then an edit) is not.

use serde_json::json;

use super::conflicts::{self, Resolution};
use super::tests::{Dev, bundle_for, dev, import, start, sync};
use crate::domain::EntityKind as K;
use crate::store::{Hlc, Store};

/// Sets a device's clock (its next op is stamped just after `at`).
fn clock_at(s: &Store, at: Hlc) {
    s.conn()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'hlc'",
            [at.0.to_string()],
        )
        .unwrap();
}

/// Puts a device's clock an hour ahead, so its next ops are later than the other's.
fn hour_ahead(s: &Store) {
    clock_at(s, Hlc::now_plus(3_600_000));
}

fn open_conflicts(d: &Dev) -> Vec<conflicts::Conflict> {
    conflicts::list(&d.store, false).unwrap()
}

#[test]
fn an_edit_the_deleter_had_not_seen_is_flagged_whichever_clock_is_later() {
    for deleter_later in [true, false] {
        let (mut a, mut b) = (dev("组长"), dev("副组长"));
        let h = start(&mut a, &mut b);
        // 副组长 notes something; 组长, not having seen it, deletes the household.
        if !deleter_later {
            hour_ahead(&b.store);
        }
        b.store
            .update(K::Household, &h, vec![("note", json!("老人住院了"))])
            .unwrap();
        if deleter_later {
            hour_ahead(&a.store);
        }
        a.store.delete(K::Household, &h).unwrap();
        sync(&mut a, &mut b);
        assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
        let ca = open_conflicts(&a);
        let cb = open_conflicts(&b);
        assert_eq!(ca.len(), 1, "deleter later by the clock: {deleter_later}");
        assert_eq!(cb.len(), 1, "deleter later by the clock: {deleter_later}");
        assert_eq!(ca[0].id, cb[0].id, "one pair, one id everywhere");
        assert!(ca[0].edit_vs_delete);
        assert_eq!(ca[0].b.value, json!("老人住院了"), "B is the edit");
        let rec = b.store.record(K::Household, &h).unwrap().unwrap();
        assert!(rec.deleted);
        assert_eq!(rec.get("note"), &json!("老人住院了"), "the edit is kept");
        // Taking B back restores the household on both.
        conflicts::resolve(&mut a.store, &ca[0].id, Resolution::KeepB).unwrap();
        sync(&mut a, &mut b);
        assert!(!b.store.record(K::Household, &h).unwrap().unwrap().deleted);
        assert!(open_conflicts(&b).is_empty());
    }
}

#[test]
fn an_edit_the_deleter_had_seen_is_not_flagged_even_if_later_by_the_clock() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    // The edit travels to 组长, who then deletes with an older clock than the edit's.
    hour_ahead(&b.store);
    b.store
        .update(K::Household, &h, vec![("note", json!("已搬走"))])
        .unwrap();
    let bytes = bundle_for(&b, &a);
    import(&mut a, &bytes).unwrap();
    clock_at(&a.store, Hlc::now_plus(0));
    a.store.delete(K::Household, &h).unwrap();
    sync(&mut a, &mut b);
    assert!(open_conflicts(&a).is_empty());
    assert!(open_conflicts(&b).is_empty());
    assert!(b.store.record(K::Household, &h).unwrap().unwrap().deleted);
}

#[test]
fn a_restore_then_an_edit_is_not_flagged_on_any_device() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let mut c = dev("居委会");
    let h = start(&mut a, &mut b);
    super::tests::befriend(&a, &c);
    super::tests::befriend(&b, &c);
    sync(&mut a, &mut c);
    // 组长 deletes by mistake; 副组长 sees it, restores and edits. The office hears of the
    // delete only after the edit, from 副组长, and the other way round from 组长.
    a.store.delete(K::Household, &h).unwrap();
    let delete = bundle_for(&a, &b);
    import(&mut b, &delete).unwrap();
    b.store.restore(K::Household, &h).unwrap();
    b.store
        .update(K::Household, &h, vec![("note", json!("删错了，已恢复"))])
        .unwrap();
    // The edit alone (no restore) on a record seen deleted is not flagged either.
    b.store
        .update(K::Household, &h, vec![("room", json!("302"))])
        .unwrap();
    let from_b = bundle_for(&b, &c);
    import(&mut c, &from_b).unwrap();
    let from_a = bundle_for(&a, &c);
    import(&mut c, &from_a).unwrap();
    sync(&mut a, &mut b);
    for d in [&a, &b, &c] {
        assert!(open_conflicts(d).is_empty(), "{:?}", open_conflicts(d));
        let rec = d.store.record(K::Household, &h).unwrap().unwrap();
        assert!(!rec.deleted);
        assert_eq!(rec.get("note"), &json!("删错了，已恢复"));
    }
    // A later delete by 组长, not having seen the edit, is concurrent with it again.
    hour_ahead(&b.store);
    b.store
        .update(K::Household, &h, vec![("note", json!("又来了"))])
        .unwrap();
    a.store.delete(K::Household, &h).unwrap();
    sync(&mut a, &mut b);
    let found = open_conflicts(&a);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].b.value, json!("又来了"));
    assert_eq!(open_conflicts(&b).len(), 1);
}

#[test]
fn two_concurrent_deletes_and_equal_concurrent_edits_are_not_conflicts() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    for d in [&mut a, &mut b] {
        d.store
            .update(K::Household, &h, vec![("note", json!("独居"))])
            .unwrap();
        d.store.delete(K::Household, &h).unwrap();
    }
    sync(&mut a, &mut b);
    // Each edit is concurrent with the other device's delete, but that deleter had seen
    // the same value (its own): nothing is hidden, nothing to review.
    assert!(open_conflicts(&a).is_empty(), "{:?}", open_conflicts(&a));
    assert!(open_conflicts(&b).is_empty());
    assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
}

/// Takes a device's database back to schema v6 (what v7 added removed: no op carries a
/// context) and opens it again, as the first start of this release does.
fn as_if_from_v6(d: &mut Dev) {
    let path = d.store.path().to_path_buf();
    let placeholder = Store::open(&d._dir.path().join("placeholder.db")).unwrap();
    drop(std::mem::replace(&mut d.store, placeholder));
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "DROP VIEW ops_seen; DROP TABLE op_seen; DROP INDEX visit_household;
             PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    d.store = Store::open(&path).unwrap();
}

#[test]
fn a_v6_database_migrates_in_place_and_its_old_deletes_are_judged_by_clock() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    let building = a.store.record(K::Household, &h).unwrap().unwrap();
    let building = building.get("building_id").clone();
    let other = a
        .store
        .create(
            K::Household,
            vec![("building_id", building), ("room", json!("302"))],
        )
        .unwrap();
    sync(&mut a, &mut b);
    // 副组长 edits 302 first; then 组长 deletes both, on the old release.
    b.store
        .update(K::Household, &other, vec![("note", json!("早一点的修改"))])
        .unwrap();
    hour_ahead(&a.store);
    a.store.delete(K::Household, &h).unwrap();
    a.store.delete(K::Household, &other).unwrap();
    let before = a.store.dump().unwrap();
    as_if_from_v6(&mut a);
    let version: i64 = a
        .store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, crate::store::SCHEMA_VERSION);
    assert_eq!(
        a.store.dump().unwrap(),
        before,
        "migrated in place, nothing changed"
    );
    // An edit of 301 later by the clock than the old delete is flagged, as before v7; the
    // earlier edit of 302 is taken as seen, as before (the old delete says no more).
    clock_at(&b.store, Hlc::now_plus(7_200_000));
    b.store
        .update(K::Household, &h, vec![("note", json!("晚一点的修改"))])
        .unwrap();
    sync(&mut a, &mut b);
    for d in [&a, &b] {
        let c = open_conflicts(d);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].entity_id, h);
    }
    // A delete made now carries its context: an earlier, unseen edit is flagged.
    b.store
        .update(K::Household, &other, vec![("room", json!("303"))])
        .unwrap();
    a.store.restore(K::Household, &other).unwrap();
    a.store.delete(K::Household, &other).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(open_conflicts(&a).len(), 2);
}
