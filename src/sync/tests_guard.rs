//! Imports that cannot be fooled: poisoned clocks, trusted names in the log, and (below)
//! restored or copied databases.

use serde_json::json;

use super::SyncError;
use super::tests::{bundle_for, counts, dev, import, start};
use crate::domain::EntityKind as K;
use crate::store::{Hlc, Store};

fn set_clock(s: &Store, hlc: i64) {
    s.conn()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'hlc'",
            [hlc.to_string()],
        )
        .unwrap();
}

fn note(s: &Store, id: &str) -> serde_json::Value {
    s.record(K::Household, id).unwrap().unwrap().fields["note"].clone()
}

#[test]
fn a_far_future_clock_is_refused_whole_and_local_edits_still_apply() {
    // Year 2100, and the very end of the clock's range.
    let y2100 = Hlc::from_millis(4_102_444_800_000).0;
    for poison in [y2100, i64::MAX] {
        let (mut a, mut b) = (dev("组长"), dev("副组长"));
        let h = start(&mut a, &mut b);
        a.store
            .create(K::Building, vec![("name", json!("13号楼"))])
            .unwrap();
        set_clock(&a.store, poison - 1);
        a.store
            .update(K::Household, &h, vec![("note", json!("来自未来"))])
            .unwrap();
        let before = (b.store.dump().unwrap(), counts(&b.store));
        let bytes = bundle_for(&a, &b);
        let err = import(&mut b, &bytes).unwrap_err();
        let SyncError::ClockAhead { sender, clock, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(sender, "组长");
        assert!(clock.starts_with(if poison == y2100 { "2100-01-01" } else { "" }));
        assert!(err.to_string().contains("组长"), "{err}");
        // Nothing written, not even the 13号楼 that came with it.
        assert_eq!((b.store.dump().unwrap(), counts(&b.store)), before);
        b.store
            .update(K::Household, &h, vec![("note", json!("本机的修改"))])
            .unwrap();
        assert_eq!(note(&b.store, &h), json!("本机的修改"));
    }
}

#[test]
fn a_day_ahead_is_refused_an_hour_ahead_is_not() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    set_clock(&a.store, Hlc::now_plus(3_600_000).0);
    a.store
        .update(K::Household, &h, vec![("note", json!("快一小时"))])
        .unwrap();
    let bytes = bundle_for(&a, &b);
    import(&mut b, &bytes).unwrap();
    assert_eq!(note(&b.store, &h), json!("快一小时"));
    set_clock(&a.store, Hlc::now_plus(25 * 3_600_000).0);
    a.store
        .update(K::Household, &h, vec![("note", json!("快一天多"))])
        .unwrap();
    let bytes = bundle_for(&a, &b);
    let err = import(&mut b, &bytes).unwrap_err();
    assert!(matches!(err, SyncError::ClockAhead { .. }), "{err}");
}

#[test]
fn imported_log_entries_name_the_device_by_its_trusted_name() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    // Neither owner typed a name: the log must not show a blank author.
    assert_eq!(a.store.owner_name(), "");
    let h = start(&mut a, &mut b);
    a.store
        .update(K::Household, &h, vec![("note", json!("x"))])
        .unwrap();
    let bytes = bundle_for(&a, &b);
    import(&mut b, &bytes).unwrap();
    let authors: Vec<String> = b
        .store
        .conn()
        .prepare("SELECT author FROM changes WHERE origin = ?1")
        .unwrap()
        .query_map([a.store.device_id()], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!authors.is_empty());
    assert!(authors.iter().all(|x| x == "组长"), "{authors:?}");
}
