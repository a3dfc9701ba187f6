//! `louzu demo --street N --db F`: a generated street in its own demo file, through the
//! real binary, that the office's commands then read.

use std::process::{Command, Output};

fn louzu(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(args)
        .env("LOUZU_CONFIG_DIR", dir.join("config"))
        .env("LOUZU_DB", dir.join("real.db"))
        .output()
        .expect("run louzu")
}

#[test]
fn demo_street_writes_n_buildings_and_refuses_to_overwrite_real_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("street.db");
    let arg = db.to_str().unwrap();
    let out = louzu(
        dir.path(),
        &["demo", "--street", "3", "--db", arg, "--no-tui"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.path().join("real.db").exists());
    let dump = louzu(dir.path(), &["dump", "--db", arg]);
    let dump: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
    assert_eq!(dump["building"].as_array().unwrap().len(), 3);
    assert!(dump["household"].as_array().unwrap().len() > 30);
    // Run again: the old street demo is replaced, not added to.
    let out = louzu(
        dir.path(),
        &["demo", "--street", "2", "--db", arg, "--no-tui"],
    );
    assert!(out.status.success());
    let dump = louzu(dir.path(), &["dump", "--db", arg]);
    let dump: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
    assert_eq!(dump["building"].as_array().unwrap().len(), 2);
    // A real database is never overwritten.
    let real = dir.path().join("mine.db");
    louzu::store::Store::open(&real).unwrap();
    let out = louzu(
        dir.path(),
        &[
            "demo",
            "--street",
            "2",
            "--db",
            real.to_str().unwrap(),
            "--no-tui",
        ],
    );
    assert!(!out.status.success());
}
