//! Sync at street scale (release): about 1,000,000 ops (a whole 街道 generated through the
//! write path). Targets: export < 5 s; import into an empty database < 3× a plain SQLite
//! bulk insert of the same op rows (both measured here); re-import of a held bundle < 1 s;
//! bundle < 30% of the `louzu dump` JSON.
//!
//! Run with `cargo bench --bench sync`. The generated street is cached in the temp folder
//! (`louzu-bench-sync-*.db`) so a second run skips the ~40 s of generation.

use std::path::Path;
use std::time::Instant;

use louzu::store::Store;
use louzu::sync::export::{ExportOptions, build};
use louzu::sync::import::{ImportOptions, import_bytes};
use louzu::sync::{Identity, trust};

const BUILDINGS: usize = 1_667;

fn main() {
    let cache = std::env::temp_dir().join(format!("louzu-bench-sync-{BUILDINGS}.db"));
    if !cache.exists() {
        let t = Instant::now();
        let tmp = cache.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let mut s = Store::open(&tmp).expect("open");
        louzu::demo::write_street(&mut s, BUILDINGS, 7).expect("street");
        drop(s);
        std::fs::rename(&tmp, &cache).expect("rename");
        println!("generated street in {:.1} s", t.elapsed().as_secs_f64());
    }
    let office = Store::open(&cache).expect("open street");
    let ops: i64 = office
        .conn()
        .query_row("SELECT count(*) FROM ops", [], |r| r.get(0))
        .unwrap();
    println!("ops in the street: {ops}");

    let dir = tempfile::tempdir().unwrap();
    let mut leader = Store::open(&dir.path().join("empty.db")).unwrap();
    Identity::rename(&leader, "副组长").unwrap();
    let ko = Identity::load_or_create(&office).unwrap().key();
    let kl = Identity::load_or_create(&leader).unwrap().key();
    // The cached street may trust an earlier run's leader under this name: replace it.
    trust::trust(&office, kl, "bench", None, true).unwrap();
    trust::trust(&leader, ko, "居委会", None, false).unwrap();

    // Export: everything (the leader has told us nothing yet).
    let t = Instant::now();
    let opts = ExportOptions {
        for_names: vec!["bench".into()],
        ..Default::default()
    };
    let (bytes, summary) = build(&office, &opts).unwrap();
    let export_s = t.elapsed().as_secs_f64();
    let file = dir.path().join("street.louzu");
    std::fs::write(&file, &bytes).unwrap();

    // The same rows, bulk-inserted with one prepared statement in one transaction into an
    // identical ops table: the floor an import cannot beat.
    let rows = read_rows(&office);
    let plain = dir.path().join("plain.db");
    let t = Instant::now();
    bulk_insert(&plain, &rows);
    let plain_s = t.elapsed().as_secs_f64();
    drop(rows);

    let t = Instant::now();
    let p = import_bytes(&mut leader, &file, &bytes, &ImportOptions::default()).unwrap();
    let import_s = t.elapsed().as_secs_f64();
    assert_eq!(p.new_ops as i64, ops);

    let t = Instant::now();
    let again = import_bytes(&mut leader, &file, &bytes, &ImportOptions::default()).unwrap();
    let reimport_s = t.elapsed().as_secs_f64();
    assert!(again.already_held);

    let dump = serde_json::to_string_pretty(&office.dump().unwrap()).unwrap();
    let ratio = bytes.len() as f64 / dump.len() as f64;

    println!("export {} ops: {export_s:.2} s (target < 5 s)", summary.ops);
    println!("plain bulk insert of the op rows: {plain_s:.2} s");
    println!(
        "import into an empty database: {import_s:.2} s = {:.2}× the bulk insert (target < 3×)",
        import_s / plain_s
    );
    println!("re-import of the held bundle: {reimport_s:.3} s (target < 1 s)");
    println!(
        "bundle {:.1} MB vs dump JSON {:.1} MB = {:.1}% (target < 30%)",
        bytes.len() as f64 / 1e6,
        dump.len() as f64 / 1e6,
        ratio * 100.0
    );
}

type Row = (
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);

fn read_rows(s: &Store) -> Vec<Row> {
    s.conn()
        .prepare(
            "SELECT origin, scope, seq, hlc, change_id, entity, entity_id, field, value,
                    prev_origin, prev_seq FROM ops",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn bulk_insert(path: &Path, rows: &[Row]) {
    let mut c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "NORMAL").unwrap();
    let schema = include_str!("../src/store/schema_v1.sql");
    let start = schema.find("CREATE TABLE ops").unwrap();
    let end = schema.find("-- The op currently winning").unwrap();
    c.execute_batch(&schema[start..end]).unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut st = tx
            .prepare(
                "INSERT INTO ops (origin, scope, seq, hlc, change_id, entity, entity_id, field,
                                  value, prev_origin, prev_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .unwrap();
        for r in rows {
            st.execute(rusqlite::params![
                r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}
