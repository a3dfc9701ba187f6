//! A database written by the previous release (schema v3: `tests/fixtures/v3.db`, the demo
//! building plus a second device's bundle with two conflicts, one resolved) is migrated in
//! place (through v4) to the compact op log (v5) and reads back exactly as that release printed it; edits,
//! undo, the log's field-by-field view, conflicts and sync all keep working on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use louzu::domain::EntityKind as K;
use louzu::store::Store;
use louzu::sync::export::{ExportOptions, build};
use louzu::sync::import::{ImportOptions, import_bytes};
use louzu::sync::{Identity, conflicts, trust};
use serde_json::{Value, json};

const HOUSEHOLD: &str = "01a2338e-7783-71c4-87a6-7830ad4f9691";
const NEED: &str = "01a2338e-77aa-71a0-a68c-c886816b5c81";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn louzu(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(args)
        .env("LOUZU_CONFIG_DIR", dir.join("config"))
        .env("LOUZU_DB", dir.join("real.db"))
        .output()
        .expect("run louzu");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn copy_of_v3(dir: &Path) -> PathBuf {
    let db = dir.join("v3.db");
    std::fs::copy(fixture("v3.db"), &db).unwrap();
    db
}

fn user_version(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_v3_database_migrates_in_place_and_reads_back_exactly_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy_of_v3(dir.path());
    assert_eq!(user_version(&db), 3);
    let arg = db.to_str().unwrap();
    let dump = louzu(dir.path(), &["dump", "--db", arg]);
    assert_eq!(
        user_version(&db),
        louzu::store::SCHEMA_VERSION,
        "opened once, migrated"
    );
    assert_eq!(
        String::from_utf8_lossy(&dump.stdout),
        std::fs::read_to_string(fixture("v3.dump.json")).unwrap(),
        "louzu dump is byte for byte what the previous release printed"
    );
    let log = louzu(dir.path(), &["log", "--json", "--db", arg]);
    let log: Value = serde_json::from_slice(&log.stdout).unwrap();
    let before: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("v3.log.json")).unwrap()).unwrap();
    assert_eq!(log, before);

    // Conflicts: the same ones, the same sides and values, the same one still open.
    let all = louzu(dir.path(), &["conflicts", "--json", "--db", arg]);
    let now: Value = serde_json::from_slice(&all.stdout).unwrap();
    let then: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("v3.conflicts.json")).unwrap())
            .unwrap();
    let key = |v: &Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| {
                json!([
                    c["id"],
                    c["entity_id"],
                    c["field"],
                    c["a"]["field"],
                    c["a"]["value"],
                    c["a"]["at"],
                    c["b"]["field"],
                    c["b"]["value"],
                    c["b"]["at"],
                    c["resolved"]
                ])
            })
            .collect()
    };
    assert_eq!(key(&now), key(&then));

    // The old tables are gone; what is left is the compact log.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.contains(&"op".to_string()));
    assert!(!tables.contains(&"ops".to_string()));
    assert!(!tables.contains(&"field_state".to_string()));
    let (v3_ops, v4_ops): (i64, i64) = (
        1237,
        conn.query_row("SELECT count(*) FROM op", [], |r| r.get(0))
            .unwrap(),
    );
    assert_eq!(v3_ops, v4_ops, "every op kept");
    // Reopening migrates nothing twice.
    louzu(dir.path(), &["dump", "--db", arg]);
    assert_eq!(user_version(&db), louzu::store::SCHEMA_VERSION);
}

#[test]
fn a_migrated_database_edits_undoes_shows_history_resolves_and_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy_of_v3(dir.path());
    let mut s = Store::open(&db).unwrap();

    // History written before the migration reads field by field, old → new.
    let room_edit = s
        .journal_filtered(None, &Default::default(), 50)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "302")
        .expect("the 302 → 303 edit");
    let detail = s.journal_entry(&room_edit.id).unwrap().unwrap();
    assert_eq!(detail.changes.len(), 1);
    assert_eq!(detail.changes[0].field, "room");
    assert_eq!(detail.changes[0].old, Some(json!("302")));
    assert_eq!(detail.changes[0].new, json!("303"));

    // An edit builds on the migrated op, and undo goes back through pre-migration history.
    s.update(K::Household, HOUSEHOLD, vec![("room", json!("304"))])
        .unwrap();
    assert_eq!(
        s.record(K::Household, HOUSEHOLD)
            .unwrap()
            .unwrap()
            .text("room"),
        "304"
    );
    s.undo().unwrap().unwrap();
    assert_eq!(
        s.record(K::Household, HOUSEHOLD)
            .unwrap()
            .unwrap()
            .text("room"),
        "303"
    );
    // The newest change before the migration was the resolution of the note conflict.
    let resolved_note = s.record(K::Household, HOUSEHOLD).unwrap().unwrap();
    assert_eq!(resolved_note.text("note"), "两人商量后写的");
    s.undo().unwrap().unwrap();
    let h = s.record(K::Household, HOUSEHOLD).unwrap().unwrap();
    assert_ne!(h.text("note"), "两人商量后写的");
    s.undo().unwrap().unwrap();
    let h = s.record(K::Household, HOUSEHOLD).unwrap().unwrap();
    assert_eq!(h.text("room"), "302");
    assert_eq!(
        s.find_record(NEED).unwrap().unwrap().kind,
        K::Need,
        "records are found by bare id"
    );

    // The open edit-vs-delete conflict settles on the migrated ops.
    let open: Vec<_> = conflicts::list(&s, false).unwrap();
    assert_eq!(open.len(), 1);
    conflicts::resolve(&mut s, &open[0].id, conflicts::Resolution::KeepB).unwrap();
    assert!(conflicts::list(&s, false).unwrap().is_empty());
    assert!(!s.record(K::Need, NEED).unwrap().unwrap().deleted);

    // A new device receives everything and ends with the same data.
    let mut fresh = Store::open(&dir.path().join("fresh.db")).unwrap();
    Identity::rename(&fresh, "新电脑").unwrap();
    let k_old = Identity::load_or_create(&s).unwrap().key();
    let k_new = Identity::load_or_create(&fresh).unwrap().key();
    trust::trust(&s, k_new, "新电脑", None, false).unwrap();
    trust::trust(&fresh, k_old, "组长", None, false).unwrap();
    let opts = ExportOptions {
        for_names: vec!["新电脑".into()],
        full: true,
        ..Default::default()
    };
    let bytes = build(&s, &opts).unwrap().0;
    let p = import_bytes(
        &mut fresh,
        Path::new("b.louzu"),
        &bytes,
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(p.applied && p.new_ops > 1237);
    assert_eq!(fresh.dump().unwrap(), s.dump().unwrap());
    let again = import_bytes(
        &mut fresh,
        Path::new("b.louzu"),
        &bytes,
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(again.already_held);
}
