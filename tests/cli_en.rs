//! `--lang en` through the real binary: every read-only command on the demo database, and
//! no output line may hold Chinese except the user's own data (names, rooms, notes…).
//!
//! The allowed data is built from `louzu dump` by field kind: free text, rooms, phones and
//! structured notes are the user's; enumerations (statuses, categories, handling, activity
//! kinds, known tags) and duty role names have English labels and must be shown in English.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use louzu::domain::{EntityKind, FieldKind};
use louzu::text::has_cjk;
use serde_json::Value;

fn louzu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(args)
        .env("LOUZU_CONFIG_DIR", dir.join("config"))
        .env("LOUZU_DB", dir.join("real.db"))
        .env("LOUZU_TODAY", "2026-12-01")
        .output()
        .expect("run louzu")
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = louzu(dir, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{args:?} failed: {stdout}\n{stderr}");
    format!("{stdout}{stderr}")
}

/// Every string held in a JSON value (object keys too: check-in items are keys).
fn strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

/// The user's own texts in the database: what an English screen may show in Chinese.
fn user_data(dump: &Value, journal: &Value) -> BTreeSet<String> {
    let mut allowed = BTreeSet::new();
    let Value::Object(kinds) = dump else {
        panic!("dump is not an object")
    };
    for (kind, records) in kinds {
        let kind = EntityKind::parse(kind).expect("a known kind");
        for record in records.as_array().into_iter().flatten() {
            for (name, value) in record.as_object().into_iter().flatten() {
                let Some(spec) = kind.field(name) else {
                    continue;
                };
                // Duty role names and checklist items are configuration with English
                // names (duties.toml's en / items_en): not data.
                if name == "role" || (kind == EntityKind::DutyTick && name == "item") {
                    continue;
                }
                match spec.kind {
                    FieldKind::Text | FieldKind::Room | FieldKind::Phone | FieldKind::Json => {
                        strings(value, &mut allowed)
                    }
                    FieldKind::Tags => {
                        for t in value.as_array().into_iter().flatten() {
                            if let Some(t) =
                                t.as_str().filter(|t| !louzu::domain::tags::is_known(t))
                            {
                                allowed.insert(t.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    // A log entry's summary is text stored with the entry when it was written.
    for entry in journal.as_array().into_iter().flatten() {
        if let Some(s) = entry["summary"].as_str() {
            allowed.insert(s.to_string());
        }
        if let Some(s) = entry["author"].as_str() {
            allowed.insert(s.to_string());
        }
    }
    allowed.retain(|s| has_cjk(s));
    allowed
}

/// The line with every piece of user data taken out, longest first (so 曾国华 goes before 曾).
fn without_data(line: &str, data: &[String]) -> String {
    let mut rest = line.to_string();
    for d in data {
        if rest.contains(d.as_str()) {
            rest = rest.replace(d.as_str(), "\u{1}");
        }
    }
    rest
}

#[test]
fn every_read_only_command_speaks_english_outside_the_users_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("demo.db");
    let db = db.to_str().unwrap();
    run_ok(d, &["demo", "--db", db, "--no-tui"]);
    let dump: Value = serde_json::from_str(&run_ok(d, &["--db", db, "dump"])).unwrap();
    let journal: Value = serde_json::from_str(&run_ok(
        d,
        &["--db", db, "log", "--json", "--limit", "100000"],
    ))
    .unwrap();
    let mut data: Vec<String> = user_data(&dump, &journal).into_iter().collect();
    // Device names are typed by the leaders too (this one and the trusted ones); narrow
    // columns cut them with …, so their leading parts count as data as well.
    let devices = run_ok(d, &["--db", db, "--lang", "en", "device"]);
    for line in devices.lines() {
        let line = line.trim().trim_start_matches("name:").trim();
        for word in line.split_whitespace().filter(|w| has_cjk(w)) {
            let chars: Vec<char> = word.chars().collect();
            for n in 1..=chars.len() {
                data.push(chars[..n].iter().collect());
            }
        }
    }
    data.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    assert!(data.iter().any(|s| s == "曾国华"), "names are data");
    assert!(
        !data.iter().any(|s| s == "已反馈" || s == "当场解决"),
        "enumerations are not"
    );

    let out = |name: &str| d.join(name).to_str().unwrap().to_string();
    let (csv, html, xlsx) = (out("r.csv"), out("r.html"), out("r.xlsx"));
    let commands: Vec<Vec<&str>> = vec![
        vec!["device"],
        vec!["conflicts"],
        vec!["conflicts", "--all"],
        vec!["log"],
        vec!["log", "--kind", "visit"],
        vec!["log", "--since", "11-01"],
        vec!["roster", "export", "--format", "csv", "--out", &csv],
        vec!["roster", "import", &csv, "--dry-run"],
        vec!["report", "month", "--format", "html", "--out", &html],
        vec!["report", "year", "--out", &xlsx],
        vec!["report", "notice", "--out", &html],
        vec!["report", "feedback", "--out", &html],
        vec!["visits"],
        vec!["visits", "--overdue"],
        vec!["needs"],
        vec!["needs", "--open"],
        vec!["visits", "--due"],
        vec!["duties"],
        vec!["duties", "--period", "2026-11"],
        vec!["find", "zgh"],
        vec!["find", "nobody-by-this-name"],
    ];
    let mut bad = Vec::new();
    for args in &commands {
        let mut full = vec!["--lang", "en", "--db", db];
        full.extend(args.iter().copied());
        let text = run_ok(d, &full);
        bad.extend(
            text.lines()
                .filter(|l| has_cjk(&without_data(l, &data)))
                .map(|l| format!("  louzu {}: {l}", args.join(" "))),
        );
    }
    assert!(
        bad.is_empty(),
        "Chinese outside the user's data with --lang en:\n{}",
        bad.join("\n")
    );
}

#[test]
fn errors_and_warnings_speak_english_one_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("config")).unwrap();
    std::fs::write(
        d.join("config/config.toml"),
        "lang = \"fr\"\ncolour = 1\n[cadence]\n独居老人 = \"weekly\"\n",
    )
    .unwrap();
    let db = d.join("demo.db");
    let db = db.to_str().unwrap();
    run_ok(d, &["demo", "--db", db, "--no-tui"]);
    let out = louzu(
        d,
        &["--lang", "en", "--db", db, "log", "--since", "2026-02-30"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "three warnings and the error: {err}");
    for l in &lines[..3] {
        assert!(l.starts_with("config file ") && l.contains(" line "), "{l}");
    }
    assert!(lines[3].contains("February has no 30th"), "{err}");
    let data = ["独居老人".to_string()];
    for l in &lines {
        assert!(!has_cjk(&without_data(l, &data)), "{l}");
    }
    // The same in Chinese, with no English beside it.
    let out = louzu(
        d,
        &["--lang", "zh", "--db", db, "log", "--since", "2026-02-30"],
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("2 月没有 30 日") && !err.contains("February"),
        "{err}"
    );
    assert!(err.contains("第 1 行") && !err.contains(" line "), "{err}");
}

#[test]
fn writing_commands_say_what_they_did_in_one_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("demo.db");
    let db = db.to_str().unwrap();
    run_ok(d, &["demo", "--db", db, "--no-tui"]);
    let id = run_ok(d, &["--db", db, "add", "household", "room=909"]);
    let id = id.trim();
    let said = |lang: &str, args: &[&str]| {
        let mut full = vec!["--lang", lang, "--db", db];
        full.extend_from_slice(args);
        run_ok(d, &full)
    };
    let en = [
        said("en", &["edit", id, "note=by the lift"]),
        said("en", &["edit", id, "note=by the lift"]),
        said("en", &["delete", id]),
        said("en", &["restore", id]),
        said("en", &["checkin", "--item", "lights=problem:third floor"]),
    ];
    assert!(en[0].starts_with("updated "), "{}", en[0]);
    assert_eq!(en[1].trim(), "nothing changed");
    assert!(en[2].contains("louzu restore"), "{}", en[2]);
    assert!(
        en[4].starts_with("Check-in recorded for 2026-12-01"),
        "{}",
        en[4]
    );
    for line in &en {
        assert!(!has_cjk(line), "{line}");
    }
    let zh = [
        said("zh", &["edit", id, "note=电梯旁"]),
        said("zh", &["delete", id]),
        said("zh", &["checkin", "--item", "照明=ok"]),
    ];
    assert!(zh[0].starts_with("已修改 "), "{}", zh[0]);
    assert!(zh[1].starts_with("已删除"), "{}", zh[1]);
    assert!(zh[2].starts_with("巡楼已记录"), "{}", zh[2]);
    for line in &zh {
        assert!(!line.contains(" / "), "one language: {line}");
    }
    // Refusals from the checks and the rules beneath the commands are English too; the
    // check-in list is shown with the stored names beside the English ones, to type either.
    let needs: Value = serde_json::from_str(&said("en", &["needs", "--open", "--json"])).unwrap();
    let need = needs[0]["id"].as_str().unwrap();
    for (args, words) in [
        (
            vec!["checkin", "--item", "lift=ok"],
            "\"lift\" is not on the check-in list",
        ),
        (vec!["add", "member"], "Name is required"),
        (
            vec!["edit", need, "status=fed_back"],
            "write what the resident was told",
        ),
    ] {
        let mut full = vec!["--lang", "en", "--db", db];
        full.extend_from_slice(&args);
        let out = louzu(d, &full);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(words),
            "{args:?}: {err}"
        );
        assert!(args[0] == "checkin" || !has_cjk(&err), "{args:?}: {err}");
    }
}
