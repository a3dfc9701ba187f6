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

/// A copy of `d`'s database file as it is now (a backup, or a second computer's copy).
fn copy_of(d: &super::tests::Dev, file: &str) -> super::tests::Dev {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    d.store
        .conn()
        .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
        .unwrap();
    super::tests::Dev {
        store: Store::open(&path).unwrap(),
        _dir: dir,
    }
}

/// Every value `field` of `id` has had that is still visible or kept in a conflict.
fn values_kept(s: &Store, id: &str) -> Vec<serde_json::Value> {
    let mut v = vec![note(s, id)];
    for c in super::conflicts::list(s, true).unwrap() {
        if c.entity_id == id {
            v.push(c.a.value.clone());
            v.push(c.b.value.clone());
        }
    }
    v
}

fn exchange(x: &mut super::tests::Dev, y: &mut super::tests::Dev) -> Vec<String> {
    let mut notes = Vec::new();
    for _ in 0..2 {
        let b = bundle_for(x, y);
        notes.extend(import(y, &b).unwrap().notes());
        let b = bundle_for(y, x);
        notes.extend(import(x, &b).unwrap().notes());
    }
    notes
}

fn full_for(from: &super::tests::Dev, to: &super::tests::Dev) -> Vec<u8> {
    let opts = super::export::ExportOptions {
        for_names: vec![super::tests::name(to)],
        full: true,
        ..Default::default()
    };
    super::export::build(&from.store, &opts).unwrap().0
}

#[test]
fn a_database_restored_from_an_older_backup_loses_nothing_on_any_side() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    let backup = copy_of(&a, "backup.db");
    // After the backup: edits that reached b before a's disk died.
    a.store
        .update(K::Household, &h, vec![("note", json!("备份之后"))])
        .unwrap();
    a.store
        .create(K::Building, vec![("name", json!("14号楼"))])
        .unwrap();
    let bytes = bundle_for(&a, &b);
    import(&mut b, &bytes).unwrap();
    let old_origin = a.store.device_id().to_string();
    drop(a);
    // The restored database reuses the numbers it had already sent.
    let mut r = backup;
    r.store
        .update(K::Household, &h, vec![("note", json!("恢复之后"))])
        .unwrap();
    let h2 = r
        .store
        .create(
            K::Household,
            vec![
                (
                    "building_id",
                    r.store.record(K::Household, &h).unwrap().unwrap().fields["building_id"]
                        .clone(),
                ),
                ("room", json!("402")),
            ],
        )
        .unwrap();
    let notes = exchange(&mut r, &mut b);
    assert!(notes.iter().any(|n| n.contains("备份恢复")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("两个版本")), "{notes:?}");
    assert_ne!(
        r.store.device_id(),
        old_origin,
        "the restored database renumbers"
    );
    assert!(r.store.former_origins().unwrap().contains(&old_origin));
    // What the restore dropped comes back with a full export.
    let bytes = full_for(&b, &r);
    import(&mut r, &bytes).unwrap();
    exchange(&mut r, &mut b);
    assert_eq!(r.store.dump().unwrap(), b.store.dump().unwrap());
    for s in [&r.store, &b.store] {
        let kept = values_kept(s, &h);
        for v in ["备份之后", "恢复之后"] {
            assert!(kept.contains(&json!(v)), "{v} lost: {kept:?}");
        }
        assert!(s.record(K::Household, &h2).unwrap().is_some());
        assert_eq!(
            s.records(K::Building, None, false).unwrap().len(),
            2,
            "14号楼 kept"
        );
    }
    // Later edits on the restored device travel as usual.
    r.store
        .update(K::Household, &h, vec![("note", json!("以后"))])
        .unwrap();
    let bytes = bundle_for(&r, &b);
    import(&mut b, &bytes).unwrap();
    assert_eq!(note(&b.store, &h), json!("以后"));
}

#[test]
fn two_live_copies_of_one_database_converge_with_nothing_lost() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    // The same database on a second laptop: same keys, same origin.
    let mut c = copy_of(&a, "copy.db");
    assert_eq!(c.store.device_id(), a.store.device_id());
    // Both copies stamp their next edit with the same clock (as two laptops can within a
    // millisecond): the tie must fall the same way on every device, whichever name each
    // gives the two versions.
    let ahead = Hlc::now_plus(3_600_000).0.to_string();
    for d in [&a, &c] {
        d.store
            .conn()
            .execute("UPDATE meta SET value = ?1 WHERE key = 'hlc'", [&ahead])
            .unwrap();
    }
    a.store
        .update(K::Household, &h, vec![("note", json!("笔记本一"))])
        .unwrap();
    c.store
        .update(K::Household, &h, vec![("note", json!("笔记本二"))])
        .unwrap();
    // c reaches b first, then a does; then everyone talks.
    let bytes = bundle_for(&c, &b);
    import(&mut b, &bytes).unwrap();
    let bytes = bundle_for(&a, &b);
    let p = import(&mut b, &bytes).unwrap();
    assert_eq!(p.forks.len(), 1, "{:?}", p.notes());
    // a and c are one device to b; they meet through b and directly.
    for _ in 0..2 {
        exchange(&mut a, &mut b);
        let bytes = bundle_for(&b, &c);
        import(&mut c, &bytes).unwrap();
        let bytes = bundle_for(&c, &b);
        import(&mut b, &bytes).unwrap();
    }
    let bytes = full_for(&b, &a);
    import(&mut a, &bytes).unwrap();
    let bytes = full_for(&b, &c);
    import(&mut c, &bytes).unwrap();
    exchange(&mut a, &mut b);
    let bytes = bundle_for(&b, &c);
    import(&mut c, &bytes).unwrap();
    assert_ne!(
        a.store.device_id(),
        c.store.device_id(),
        "the copies parted"
    );
    let want = b.store.dump().unwrap();
    assert_eq!(a.store.dump().unwrap(), want);
    assert_eq!(c.store.dump().unwrap(), want);
    for s in [&a.store, &b.store, &c.store] {
        let kept = values_kept(s, &h);
        for v in ["笔记本一", "笔记本二"] {
            assert!(kept.contains(&json!(v)), "{v} lost: {kept:?}");
        }
    }
}
