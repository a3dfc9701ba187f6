//! Sync properties that need the crate's insides: forged and damaged bundles, conflict
//! resolution travelling, edit-vs-delete, gaps and any-order imports.

use std::path::Path;

use ed25519_dalek::Signer;
use serde_json::json;

use super::conflicts::{self, Resolution};
use super::export::{ExportOptions, build};
use super::identity::Identity;
use super::import::{ImportOptions, Preview, import_bytes};
use super::{SyncError, trust};
use crate::domain::EntityKind as K;
use crate::store::Store;

pub(super) struct Dev {
    pub(super) store: Store,
    pub(super) _dir: tempfile::TempDir,
}

pub(super) fn dev(name: &str) -> Dev {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join(format!("{name}.db"))).unwrap();
    Identity::rename(&store, name).unwrap();
    Dev { store, _dir: dir }
}

pub(super) fn name(d: &Dev) -> String {
    Identity::load_or_create(&d.store).unwrap().name
}

pub(super) fn befriend(a: &Dev, b: &Dev) {
    let ka = Identity::load_or_create(&a.store).unwrap().key();
    let kb = Identity::load_or_create(&b.store).unwrap().key();
    trust::trust(&a.store, kb, &name(b), None, false).unwrap();
    trust::trust(&b.store, ka, &name(a), None, false).unwrap();
}

pub(super) fn bundle_for(from: &Dev, to: &Dev) -> Vec<u8> {
    let opts = ExportOptions {
        for_names: vec![name(to)],
        ..Default::default()
    };
    build(&from.store, &opts).unwrap().0
}

pub(super) fn import(to: &mut Dev, bytes: &[u8]) -> Result<Preview, SyncError> {
    import_bytes(
        &mut to.store,
        Path::new("t.louzu"),
        bytes,
        &ImportOptions::default(),
    )
}

pub(super) fn sync(a: &mut Dev, b: &mut Dev) {
    let ab = bundle_for(a, b);
    import(b, &ab).unwrap();
    let ba = bundle_for(b, a);
    import(a, &ba).unwrap();
}

/// A building with one household on `a`, shared with `b`.
pub(super) fn start(a: &mut Dev, b: &mut Dev) -> String {
    befriend(a, b);
    let bld = a
        .store
        .create(K::Building, vec![("name", json!("12号楼"))])
        .unwrap();
    let h = a
        .store
        .create(
            K::Household,
            vec![("building_id", json!(bld)), ("room", json!("301"))],
        )
        .unwrap();
    sync(a, b);
    h
}

pub(super) fn counts(s: &Store) -> (i64, i64, i64) {
    let q = |t: &str| {
        s.conn()
            .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (q("ops"), q("changes"), q("conflicts"))
}

#[test]
fn reimport_is_a_no_op_that_says_so() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    start(&mut a, &mut b);
    a.store
        .create(K::Building, vec![("name", json!("13号楼"))])
        .unwrap();
    let bytes = bundle_for(&a, &b);
    let first = import(&mut b, &bytes).unwrap();
    assert!(first.applied && first.new_records == 1 && !first.already_held);
    let before = (b.store.dump().unwrap(), counts(&b.store));
    let again = import(&mut b, &bytes).unwrap();
    assert!(again.already_held && !again.applied);
    assert_eq!((b.store.dump().unwrap(), counts(&b.store)), before);
}

#[test]
fn bad_bundles_are_each_refused_with_their_own_error_and_change_nothing() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    start(&mut a, &mut b);
    a.store
        .create(K::Building, vec![("name", json!("13号楼"))])
        .unwrap();
    let good = bundle_for(&a, &b);
    let before = (b.store.dump().unwrap(), counts(&b.store));

    let truncated = &good[..good.len() - 100];
    let e = import(&mut b, truncated).unwrap_err();
    assert!(matches!(e, SyncError::Truncated { .. }), "{e}");
    assert!(e.to_string().contains("不完整"));

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    let e = import(&mut b, &flipped).unwrap_err();
    assert!(matches!(e, SyncError::Damaged { .. }), "{e}");
    assert!(e.to_string().contains("组长"));

    // Re-signed by a key b does not trust (someone swapped in their own key).
    let mallory = dev("mallory");
    let me = Identity::load_or_create(&mallory.store).unwrap();
    let mut forged = good[..good.len() - 64].to_vec();
    forged[10..42].copy_from_slice(&me.key().sign);
    forged[42..74].copy_from_slice(&me.key().dh);
    let sig = me.sign.sign(&forged);
    forged.extend_from_slice(&sig.to_bytes());
    let e = import(&mut b, &forged).unwrap_err();
    match &e {
        SyncError::UnknownSender { fingerprint, .. } => {
            assert_eq!(*fingerprint, me.key().fingerprint());
            assert!(e.to_string().contains("louzu trust"));
        }
        other => panic!("{other}"),
    }

    // For another device.
    let c = dev("居委会");
    befriend(&a, &c);
    let for_c = bundle_for(&a, &c);
    let e = import(&mut b, &for_c).unwrap_err();
    assert!(matches!(e, SyncError::NotForUs { .. }), "{e}");
    assert!(e.to_string().contains("louzu export --for"));

    let mut future = good.clone();
    future[8] = 9;
    let e = import(&mut b, &future).unwrap_err();
    assert!(matches!(e, SyncError::TooNew { found: 9, .. }), "{e}");
    assert!(e.to_string().contains("升级"));

    let e = import(&mut b, b"PK\x03\x04 a spreadsheet").unwrap_err();
    assert!(matches!(e, SyncError::NotBundle { .. }), "{e}");

    assert_eq!((b.store.dump().unwrap(), counts(&b.store)), before);
    // And the good one still imports afterwards.
    assert!(import(&mut b, &good).unwrap().applied);
}

#[test]
fn passphrase_bundles_open_with_the_passphrase_only() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    start(&mut a, &mut b);
    let opts = ExportOptions {
        passphrase: Some("楼组 2026".into()),
        ..Default::default()
    };
    let bytes = build(&a.store, &opts).unwrap().0;
    let none = ImportOptions::default();
    let e = import_bytes(&mut b.store, Path::new("p.louzu"), &bytes, &none).unwrap_err();
    assert!(matches!(e, SyncError::NeedsPassphrase { .. }), "{e}");
    assert!(e.to_string().contains("口令") && e.to_string().contains("组长"));
    let wrong = ImportOptions {
        passphrase: Some("guess".into()),
        dry_run: false,
    };
    let e = import_bytes(&mut b.store, Path::new("p.louzu"), &bytes, &wrong).unwrap_err();
    assert!(matches!(e, SyncError::WrongPassphrase { .. }), "{e}");
    let right = ImportOptions {
        passphrase: Some("楼组 2026".into()),
        dry_run: false,
    };
    let p = import_bytes(&mut b.store, Path::new("p.louzu"), &bytes, &right).unwrap();
    assert!(p.already_held, "b already had everything a holds");
}

#[test]
fn concurrent_edits_conflict_and_the_resolution_syncs() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    a.store
        .update(K::Household, &h, vec![("note", json!("甲"))])
        .unwrap();
    b.store
        .update(K::Household, &h, vec![("note", json!("乙"))])
        .unwrap();
    let ab = bundle_for(&a, &b);
    let ba = bundle_for(&b, &a);
    let dry = import_bytes(
        &mut b.store,
        Path::new("x"),
        &ab,
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(dry.conflicts, 1);
    assert!(!dry.applied);
    assert!(conflicts::list(&b.store, false).unwrap().is_empty());
    import(&mut b, &ab).unwrap();
    import(&mut a, &ba).unwrap();
    assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
    let ca = conflicts::list(&a.store, false).unwrap();
    let cb = conflicts::list(&b.store, false).unwrap();
    assert_eq!(ca.len(), 1);
    assert_eq!(
        ca[0].id, cb[0].id,
        "the same pair has the same id everywhere"
    );
    let mut values = [ca[0].a.value.clone(), ca[0].b.value.clone()];
    values.sort_by_key(|v| v.to_string());
    assert_eq!(values, [json!("乙"), json!("甲")]);
    let loser = ca[0].b.value.clone();

    conflicts::resolve(&mut a.store, &ca[0].id[..4], Resolution::KeepB).unwrap();
    assert!(conflicts::list(&a.store, false).unwrap().is_empty());
    let shown = a.store.record(K::Household, &h).unwrap().unwrap();
    assert_eq!(shown.get("note"), &loser);
    sync(&mut a, &mut b);
    assert!(conflicts::list(&b.store, false).unwrap().is_empty());
    assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
}

#[test]
fn an_edit_of_a_record_deleted_elsewhere_is_kept_and_flagged() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    a.store.delete(K::Household, &h).unwrap();
    // The edit is made after the delete (by the clock) on a device that has not seen it.
    std::thread::sleep(std::time::Duration::from_millis(3));
    b.store
        .update(K::Household, &h, vec![("note", json!("已搬走？"))])
        .unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.store.dump().unwrap(), b.store.dump().unwrap());
    for s in [&a.store, &b.store] {
        let rec = s.record(K::Household, &h).unwrap().unwrap();
        assert!(rec.deleted);
        assert_eq!(rec.get("note"), &json!("已搬走？"), "the edit is kept");
        let c = conflicts::list(s, false).unwrap();
        assert_eq!(c.len(), 1);
        assert!(c[0].edit_vs_delete);
    }
    let id = conflicts::list(&b.store, false).unwrap()[0].id.clone();
    conflicts::resolve(&mut b.store, &id, Resolution::KeepB).unwrap();
    sync(&mut b, &mut a);
    assert!(!a.store.record(K::Household, &h).unwrap().unwrap().deleted);
    assert!(conflicts::list(&a.store, false).unwrap().is_empty());
}

#[test]
fn a_gap_is_refused_and_bundles_given_together_apply_in_any_order() {
    let (mut a, mut b) = (dev("组长"), dev("副组长"));
    let h = start(&mut a, &mut b);
    let bld = a
        .store
        .record(K::Household, &h)
        .unwrap()
        .unwrap()
        .text("building_id")
        .to_string();
    // b as it was before it heard anything more from a.
    let b_copy = b._dir.path().join("copy.db");
    b.store
        .conn()
        .execute("VACUUM INTO ?1", [b_copy.to_str().unwrap()])
        .unwrap();
    a.store
        .create(
            K::Household,
            vec![("building_id", json!(bld)), ("room", json!("302"))],
        )
        .unwrap();
    let first = bundle_for(&a, &b);
    import(&mut b, &first).unwrap();
    let back = bundle_for(&b, &a);
    import(&mut a, &back).unwrap();
    a.store
        .create(
            K::Household,
            vec![("building_id", json!(bld)), ("room", json!("303"))],
        )
        .unwrap();
    let second = bundle_for(&a, &b);

    let mut old = Dev {
        store: Store::open(&b_copy).unwrap(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let e = import(&mut old, &second).unwrap_err();
    assert!(matches!(e, SyncError::Missing { .. }), "{e}");
    assert!(e.to_string().contains("组长") && e.to_string().contains("--full"));

    let dir = tempfile::tempdir().unwrap();
    let (f1, f2) = (dir.path().join("1.louzu"), dir.path().join("2.louzu"));
    std::fs::write(&f1, &first).unwrap();
    std::fs::write(&f2, &second).unwrap();
    let results = super::import::import_files(&mut old.store, &[f2, f1], &ImportOptions::default());
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    import(&mut b, &second).unwrap();
    assert_eq!(old.store.dump().unwrap(), b.store.dump().unwrap());
}

#[test]
fn a_changed_key_for_a_known_name_is_refused() {
    let (a, b) = (dev("组长"), dev("副组长"));
    befriend(&a, &b);
    let imposter = dev("副组长");
    let k = Identity::load_or_create(&imposter.store).unwrap().key();
    let e = trust::trust(&a.store, k, "副组长", None, false).unwrap_err();
    assert!(matches!(e, SyncError::ChangedKey { .. }), "{e}");
    assert!(e.to_string().contains("--replace"));
    trust::trust(&a.store, k, "副组长", None, true).unwrap();
}

#[test]
fn a_device_trusted_with_some_buildings_cannot_change_others() {
    let (mut office, mut leader) = (dev("居委会"), dev("12号楼组长"));
    befriend(&office, &leader);
    let b12 = office
        .store
        .create(K::Building, vec![("name", json!("12号楼"))])
        .unwrap();
    let b13 = office
        .store
        .create(K::Building, vec![("name", json!("13号楼"))])
        .unwrap();
    // The leader was once sent everything (say, by passphrase), but the office trusts it
    // with 12号楼 only.
    let all = build(
        &office.store,
        &ExportOptions {
            passphrase: Some("pw".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .0;
    let pw = ImportOptions {
        passphrase: Some("pw".into()),
        dry_run: false,
    };
    import_bytes(&mut leader.store, Path::new("all"), &all, &pw).unwrap();
    let kl = Identity::load_or_create(&leader.store).unwrap().key();
    trust::trust(
        &office.store,
        kl,
        "12号楼组长",
        Some(vec![b12.clone()]),
        false,
    )
    .unwrap();
    for (b, name) in [(&b12, "12号楼（新）"), (&b13, "13号楼（被改）")] {
        leader
            .store
            .update(K::Building, b, vec![("name", json!(name))])
            .unwrap();
    }
    let back = bundle_for(&leader, &office);
    let p = import(&mut office, &back).unwrap();
    assert!(p.out_of_scope > 0);
    let name_of = |id: &str| {
        office
            .store
            .record(K::Building, id)
            .unwrap()
            .unwrap()
            .text("name")
            .to_string()
    };
    assert_eq!(name_of(&b12), "12号楼（新）");
    assert_eq!(name_of(&b13), "13号楼");
    // And what the office sends the leader now holds 12号楼 only.
    let (_, summary) = build(
        &office.store,
        &ExportOptions {
            for_names: vec!["12号楼组长".into()],
            full: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(summary.scopes, 1);
}
