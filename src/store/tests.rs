//! Store tests: the write path, undo, tombstones, and opening files that are not ours.

use serde_json::{Value, json};

use super::*;
use crate::domain::EntityKind as K;

fn temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("sub/louzu.db")).unwrap();
    (dir, store)
}

fn building(s: &mut Store) -> String {
    s.create(
        K::Building,
        vec![
            ("name", json!("新成路 12 号")),
            ("neighbourhood", json!("新成居民区")),
        ],
    )
    .unwrap()
}

fn count(s: &Store, sql: &str) -> i64 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn every_change_is_recorded_as_ops_with_sequence_and_previous_op() {
    let (_d, mut s) = temp();
    let b = building(&mut s);
    let h = s
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("301"))],
        )
        .unwrap();
    s.update(K::Household, &h, vec![("room", json!("302"))])
        .unwrap();
    // deleted + name + neighbourhood, then deleted + building_id + room, then room again.
    assert_eq!(count(&s, "SELECT count(*) FROM ops"), 7);
    let (seq, prev_seq): (i64, Option<i64>) = s
        .conn()
        .query_row(
            "SELECT seq, prev_seq FROM ops WHERE entity_id = ?1 AND field = 'room'
             ORDER BY seq DESC LIMIT 1",
            [&h],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // One scope per building: its own 3 ops, the household's 3, then the edit.
    assert_eq!(seq, 7);
    assert_eq!(prev_seq, Some(6));
    assert_eq!(
        s.record(K::Household, &h).unwrap().unwrap().text("room"),
        "302"
    );
    assert_eq!(count(&s, "SELECT count(*) FROM changes"), 3);
    let scopes = count(&s, "SELECT count(DISTINCT scope) FROM ops");
    assert_eq!(scopes, 1, "a building's records share its scope");
}

#[test]
fn an_invalid_change_writes_nothing() {
    let (_d, mut s) = temp();
    let b = building(&mut s);
    let before = count(&s, "SELECT count(*) FROM ops");
    let err = s
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("三楼"))],
        )
        .unwrap_err();
    assert!(err.to_string().contains("室号"), "{err}");
    let err = s
        .create(
            K::Resident,
            vec![("building_id", json!(b)), ("name", json!("张三"))],
        )
        .unwrap_err();
    assert!(err.to_string().contains("户"), "{err}");
    let err = s
        .create(
            K::Household,
            vec![("building_id", json!("no-such")), ("room", json!("301"))],
        )
        .unwrap_err();
    assert!(err.to_string().contains("no-such"), "{err}");
    assert_eq!(count(&s, "SELECT count(*) FROM ops"), before);
    assert_eq!(count(&s, "SELECT count(*) FROM household"), 0);
    let unknown = s.commit(Change {
        action: Action::Edit,
        edits: vec![Edit::new(K::Building, &b, "password", "x")],
        label: String::new(),
        undoes: None,
    });
    assert!(matches!(unknown, Err(StoreError::UnknownField { .. })));
}

#[test]
fn delete_is_a_tombstone_that_restore_reverses() {
    let (_d, mut s) = temp();
    let b = building(&mut s);
    let h = s
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("501"))],
        )
        .unwrap();
    s.create(
        K::Resident,
        vec![
            ("building_id", json!(b)),
            ("household_id", json!(h)),
            ("name", json!("李四")),
        ],
    )
    .unwrap();
    s.delete(K::Household, &h).unwrap();
    let r = s.roster(&b).unwrap();
    assert!(r.households.is_empty() && r.residents.is_empty());
    assert!(s.record(K::Household, &h).unwrap().unwrap().deleted);
    s.restore(K::Household, &h).unwrap();
    let r = s.roster(&b).unwrap();
    assert_eq!(r.residents[0].name, "李四");
}

#[test]
fn undo_reverts_the_last_change_with_new_ops_and_steps_back() {
    let (_d, mut s) = temp();
    let b = building(&mut s);
    let h = s
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("601"))],
        )
        .unwrap();
    s.update(K::Household, &h, vec![("tags", json!(["低保"]))])
        .unwrap();
    s.delete(K::Household, &h).unwrap();
    let ops = count(&s, "SELECT count(*) FROM ops");

    let u = s.undo().unwrap().unwrap();
    assert_eq!(u.action, Action::Delete);
    assert!(!s.record(K::Household, &h).unwrap().unwrap().deleted);
    assert!(
        count(&s, "SELECT count(*) FROM ops") > ops,
        "undo writes ops"
    );

    s.undo().unwrap();
    assert_eq!(
        s.record(K::Household, &h).unwrap().unwrap().get("tags"),
        &Value::Null
    );

    s.undo().unwrap();
    assert!(
        s.record(K::Household, &h).unwrap().unwrap().deleted,
        "undoing a create hides it"
    );
    s.undo().unwrap();
    assert!(s.record(K::Building, &b).unwrap().unwrap().deleted);
    assert_eq!(s.undo().unwrap(), None);
}

#[test]
fn dump_is_the_same_for_the_same_data_on_different_devices() {
    let (_a, mut a) = temp();
    let (_b, mut b) = temp();
    assert_ne!(a.device_id(), b.device_id());
    for s in [&mut a, &mut b] {
        let edits = vec![
            Edit::new(K::Building, "0190-b", "deleted", false),
            Edit::new(K::Building, "0190-b", "name", "楼"),
        ];
        s.commit(Change {
            action: Action::Create,
            edits,
            label: "楼".into(),
            undoes: None,
        })
        .unwrap();
    }
    assert_eq!(a.dump().unwrap(), b.dump().unwrap());
    assert_eq!(a.dump().unwrap()["building"][0]["name"], "楼");
}

#[test]
fn refuses_a_file_that_is_not_a_louzu_database_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库 ".repeat(200)).unwrap();
    let before = std::fs::read(&text).unwrap();
    let err = Store::open(&text).err().unwrap();
    assert!(matches!(err, StoreError::NotLouzu { .. }), "{err}");
    assert!(err.to_string().contains("不是 louzu 数据库"));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    assert!(matches!(
        Store::open(&other),
        Err(StoreError::NotLouzu { .. })
    ));
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn refuses_a_database_from_a_newer_louzu() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("new.db");
    drop(Store::open(&p).unwrap());
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&p).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("升级"));
}

#[cfg(unix)]
#[test]
fn the_file_is_private_and_a_read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("louzu.db");
    drop(Store::open(&p).unwrap());
    let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o400)).unwrap();
    // Root can write to anything; the check still looks at the permission bits.
    let err = Store::open(&p).err().unwrap();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("只读"));
}

#[test]
fn reopening_keeps_the_device_and_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("louzu.db");
    let (id, b) = {
        let mut s = Store::open(&p).unwrap();
        s.set_owner_name("王阿姨").unwrap();
        (s.device_id().to_string(), building(&mut s))
    };
    let s = Store::open(&p).unwrap();
    assert_eq!(s.device_id(), id);
    assert_eq!(s.owner_name(), "王阿姨");
    assert_eq!(s.buildings().unwrap()[0].id, b);
    let v: i64 = s
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, migrate::LATEST);
}

#[test]
fn every_registry_field_has_a_column() {
    let (_d, s) = temp();
    for &k in crate::domain::EntityKind::ALL {
        let sql = format!("SELECT {} FROM {} LIMIT 0", record::columns(k), k.name());
        s.conn()
            .prepare(&sql)
            .unwrap_or_else(|e| panic!("{k:?}: {e}"));
    }
}

#[test]
fn one_change_can_create_a_household_with_its_first_resident() {
    let (_d, mut s) = temp();
    let b = building(&mut s);
    let h = "0190a000-0000-7000-8000-000000000001";
    let r = "0190a000-0000-7000-8000-000000000002";
    let edits = vec![
        Edit::new(K::Household, h, "deleted", false),
        Edit::new(K::Household, h, "building_id", b.as_str()),
        Edit::new(K::Household, h, "room", "702"),
        Edit::new(K::Resident, r, "deleted", false),
        Edit::new(K::Resident, r, "building_id", b.as_str()),
        Edit::new(K::Resident, r, "household_id", h),
        Edit::new(K::Resident, r, "name", "赵六"),
    ];
    s.commit(Change {
        action: Action::Create,
        edits,
        label: "702".into(),
        undoes: None,
    })
    .unwrap();
    assert_eq!(s.roster(&b).unwrap().residents[0].name, "赵六");
    // Sequence numbers continue from the version vector, without gaps.
    let max: i64 = s
        .conn()
        .query_row("SELECT max(seq) FROM ops", [], |r| r.get(0))
        .unwrap();
    assert_eq!(max, count(&s, "SELECT count(*) FROM ops"));
}

#[test]
fn a_full_disk_is_said_plainly_and_loses_nothing() {
    let (_d, mut s) = temp();
    let b = building(&mut s);
    let before = s.dump().unwrap();
    // SQLite reports "disk full" once the file may not grow: the same error a full USB
    // stick or laptop disk gives.
    let pages: i64 = s
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    s.conn()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let mut edits = Vec::new();
    for i in 0..400 {
        let id = format!("0190b000-0000-7000-8000-{i:012}");
        edits.push(Edit::new(K::Household, &id, "deleted", false));
        edits.push(Edit::new(K::Household, &id, "building_id", b.as_str()));
        edits.push(Edit::new(
            K::Household,
            &id,
            "room",
            format!("{}", 101 + i % 9 + (i / 9 % 30) * 100).as_str(),
        ));
        edits.push(Edit::new(
            K::Household,
            &id,
            "note",
            "很长的备注".repeat(20).as_str(),
        ));
    }
    let err = s
        .commit(Change {
            action: Action::Create,
            edits,
            label: "满".into(),
            undoes: None,
        })
        .unwrap_err();
    assert!(err.to_string().contains("磁盘已满"), "{err}");
    s.conn()
        .pragma_update(None, "max_page_count", 1_000_000_000i64)
        .unwrap();
    assert_eq!(s.dump().unwrap(), before, "nothing half-written");
}

mod undo_props {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;

    /// One user action on one of three households.
    #[derive(Debug, Clone)]
    enum Step {
        Create(usize),
        Room(usize, u16),
        Tags(usize, bool),
        Delete(usize),
        Restore(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0..3usize).prop_map(Step::Create),
            (0..3usize, 1..9u16).prop_map(|(h, f)| Step::Room(h, f)),
            (0..3usize, any::<bool>()).prop_map(|(h, t)| Step::Tags(h, t)),
            (0..3usize).prop_map(Step::Delete),
            (0..3usize).prop_map(Step::Restore),
        ]
    }

    fn visible(s: &Store) -> Value {
        s.live_dump()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// Undoing the last j of k changes shows exactly what the first k − j changes showed,
        /// whatever the changes were.
        #[test]
        fn undo_walks_back_through_any_history(steps in proptest::collection::vec(step(), 1..12), back in 0usize..12) {
            let (_d, mut s) = temp();
            let b = building(&mut s);
            let mut ids: [Option<String>; 3] = [None, None, None];
            let mut seen = vec![visible(&s)];
            for st in &steps {
                let done = match st {
                    Step::Create(h) if ids[*h].is_none() => {
                        let room = format!("{}01", h + 1);
                        ids[*h] = Some(s.create(K::Household, vec![("building_id", json!(b)), ("room", json!(room))]).unwrap());
                        true
                    }
                    Step::Room(h, f) => match &ids[*h] {
                        Some(id) => s.update(K::Household, id, vec![("room", json!(format!("{f}0{}", h + 1)))]).unwrap().is_some(),
                        None => false,
                    },
                    Step::Tags(h, on) => match &ids[*h] {
                        Some(id) => {
                            let tags = if *on { json!(["低保"]) } else { Value::Null };
                            s.update(K::Household, id, vec![("tags", tags)]).unwrap().is_some()
                        }
                        None => false,
                    },
                    Step::Delete(h) => match &ids[*h] {
                        Some(id) if !s.record(K::Household, id).unwrap().unwrap().deleted => { s.delete(K::Household, id).unwrap(); true }
                        _ => false,
                    },
                    Step::Restore(h) => match &ids[*h] {
                        Some(id) if s.record(K::Household, id).unwrap().unwrap().deleted => { s.restore(K::Household, id).unwrap(); true }
                        _ => false,
                    },
                    _ => false,
                };
                if done {
                    seen.push(visible(&s));
                }
            }
            let back = back.min(seen.len() - 1);
            for _ in 0..back {
                prop_assert!(s.undo().unwrap().is_some());
            }
            prop_assert_eq!(visible(&s), seen[seen.len() - 1 - back].clone());
        }
    }
}
