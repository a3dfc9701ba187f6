//! The command line, through the real binary: demo, dump, and clear errors on bad files.

use std::path::Path;
use std::process::{Command, Output};

fn louzu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(args)
        .env("LOUZU_CONFIG_DIR", dir.join("config"))
        .env("LOUZU_DB", dir.join("real.db"))
        .output()
        .expect("run louzu")
}

/// Writes the demo building into `dir/demo.db` through the real binary.
fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.db");
    let out = louzu(dir, &["demo", "--db", db.to_str().unwrap(), "--no-tui"]);
    assert!(out.status.success(), "{:?}", text(&out));
    db
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn demo_without_tui_writes_its_own_file_and_dump_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db_arg = db.to_str().unwrap();
    let out = louzu(dir.path(), &["demo", "--db", db_arg, "--no-tui"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(db.exists());
    assert!(!dir.path().join("real.db").exists());

    let out = louzu(dir.path(), &["dump", "--db", db_arg]);
    assert!(out.status.success(), "{:?}", text(&out));
    let dump: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let households = dump["household"].as_array().unwrap();
    assert!((20..=30).contains(&households.len()));
    assert_eq!(dump["building"].as_array().unwrap().len(), 1);
    // Canonical: the same data dumps to the same bytes.
    let again = louzu(dir.path(), &["dump", "--db", db_arg]);
    assert_eq!(out.stdout, again.stdout);

    // Running the demo again replaces the demo, not anything else.
    let out = louzu(dir.path(), &["demo", "--db", db_arg, "--no-tui"]);
    assert!(out.status.success(), "{:?}", text(&out));
}

#[test]
fn demo_refuses_to_overwrite_a_real_database() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.db");
    drop(louzu::store::Store::open(&real).unwrap());
    let before = std::fs::read(&real).unwrap();
    let out = louzu(
        dir.path(),
        &["demo", "--db", real.to_str().unwrap(), "--no-tui"],
    );
    assert!(!out.status.success());
    let err = text(&out).1;
    assert!(
        err.contains("不是演示数据库") && !err.contains("not a demo"),
        "said once, in Chinese: {err}"
    );
    let out = louzu(
        dir.path(),
        &[
            "--lang",
            "en",
            "demo",
            "--db",
            real.to_str().unwrap(),
            "--no-tui",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("not a demo database"),
        "{:?}",
        text(&out)
    );
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_louzu_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("名单.xlsx");
    std::fs::write(
        &f,
        b"PK\x03\x04 not a database at all, just some bytes.....",
    )
    .unwrap();
    let before = std::fs::read(&f).unwrap();
    let out = louzu(dir.path(), &["dump", "--db", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let (_, err) = text(&out);
    assert!(err.contains("不是 louzu 数据库"), "{err}");
    assert!(err.contains("名单.xlsx"), "{err}");
    assert_eq!(std::fs::read(&f).unwrap(), before);
}

#[test]
fn a_broken_config_file_is_reported_and_survived() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    let db = demo_db(dir.path());
    std::fs::write(dir.path().join("config/config.toml"), "lang = [\n").unwrap();
    let out = louzu(dir.path(), &["dump", "--db", db.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).1.contains("config.toml"), "{:?}", text(&out));
}

#[test]
fn an_unknown_language_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = louzu(dir.path(), &["--lang", "fr", "dump"]);
    assert!(!out.status.success());
    // Said in the config's language (Chinese by default), never both at once.
    let err = text(&out).1;
    assert!(
        err.contains("--lang fr") && err.contains("zh（中文）或 en（英文）"),
        "{err}"
    );
    assert!(!err.contains("English"), "{err}");
}

#[test]
fn visits_needs_and_checkin_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db_arg = db.to_str().unwrap();

    let out = louzu(
        dir.path(),
        &["visits", "--overdue", "--json", "--db", db_arg],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let overdue: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let overdue = overdue.as_array().unwrap();
    assert!(!overdue.is_empty());
    assert!(
        overdue
            .iter()
            .all(|v| v["days_overdue"].as_i64().unwrap() > 0)
    );
    let all = louzu(dir.path(), &["visits", "--json", "--db", db_arg]);
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    assert!(all.as_array().unwrap().len() > overdue.len());

    let open_before = louzu(dir.path(), &["needs", "--open", "--json", "--db", db_arg]);
    let open_before: serde_json::Value = serde_json::from_slice(&open_before.stdout).unwrap();
    let out = louzu(
        dir.path(),
        &[
            "checkin",
            "--item",
            "楼道堆物=problem:三楼纸箱",
            "--need",
            "楼道堆物",
            "--db",
            db_arg,
        ],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("1 项有问题"), "{:?}", text(&out));
    let open_after = louzu(dir.path(), &["needs", "--open", "--json", "--db", db_arg]);
    let open_after: serde_json::Value = serde_json::from_slice(&open_after.stdout).unwrap();
    assert_eq!(
        open_after.as_array().unwrap().len(),
        open_before.as_array().unwrap().len() + 1
    );

    let bad = louzu(
        dir.path(),
        &["checkin", "--item", "电梯=ok", "--db", db_arg],
    );
    assert!(!bad.status.success());
    assert!(text(&bad).1.contains("不在巡楼清单里"), "{:?}", text(&bad));
    let bad = louzu(
        dir.path(),
        &["checkin", "--item", "照明=maybe", "--db", db_arg],
    );
    assert!(text(&bad).1.contains("maybe"), "{:?}", text(&bad));
}

#[test]
fn scripted_edits_keep_the_need_and_cadence_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db_arg = db.to_str().unwrap();
    let needs = louzu(dir.path(), &["needs", "--open", "--json", "--db", db_arg]);
    let needs: serde_json::Value = serde_json::from_slice(&needs.stdout).unwrap();
    let id = needs[0]["id"].as_str().unwrap().to_string();
    let out = louzu(
        dir.path(),
        &["edit", &id, "status=fed_back", "--db", db_arg],
    );
    assert!(
        !out.status.success(),
        "fed back without feedback is refused"
    );
    assert!(text(&out).1.contains("反馈结果"), "{:?}", text(&out));

    let before = louzu(dir.path(), &["visits", "--json", "--db", db_arg]);
    let before: serde_json::Value = serde_json::from_slice(&before.stdout).unwrap();
    let out = louzu(
        dir.path(),
        &[
            "add",
            "household",
            "room=605",
            "tags=独居老人",
            "--db",
            db_arg,
        ],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let after = louzu(dir.path(), &["visits", "--json", "--db", db_arg]);
    let after: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 1
    );
    assert!(
        after.to_string().contains("605"),
        "a visit is planned for the new household"
    );
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db_arg = db.to_str().unwrap();
    // Like `louzu dump | head -1`: the reader goes away after one line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(["dump", "--db", db_arg])
        .env("LOUZU_CONFIG_DIR", dir.path().join("config"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(first.trim(), "{");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}

#[cfg(unix)]
#[test]
fn report_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db_arg = db.to_str().unwrap();
    let out_file = dir.path().join("公示牌.html");
    let out = louzu(
        dir.path(),
        &[
            "report",
            "notice",
            "--out",
            out_file.to_str().unwrap(),
            "--db",
            db_arg,
        ],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(text(&out).0.trim(), out_file.to_str().unwrap());
    let mode = std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_mistyped_database_path_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped").join("path.db");
    for args in [
        vec!["dump"],
        vec!["visits"],
        vec!["needs"],
        vec!["duties"],
        vec!["log"],
    ] {
        let mut full = args.clone();
        full.extend(["--db", missing.to_str().unwrap()]);
        let out = louzu(dir.path(), &full);
        assert!(!out.status.success(), "{args:?} must fail");
        let (_, err) = text(&out);
        assert!(err.contains("没有找到数据库"), "{args:?}: {err}");
        assert!(err.contains("path.db"), "the message names the path: {err}");
    }
    assert!(
        !dir.path().join("mistyped").exists(),
        "no folder or empty database left behind"
    );
    let out = louzu(
        dir.path(),
        &["--lang", "en", "dump", "--db", missing.to_str().unwrap()],
    );
    assert!(text(&out).1.contains("no database at"), "{:?}", text(&out));
}

#[test]
fn a_second_checkin_keeps_the_first_problem_and_opens_no_second_need() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db_arg = db.to_str().unwrap();
    let needs = |dir: &Path| -> usize {
        let out = louzu(dir, &["needs", "--json", "--db", db_arg]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array().unwrap().len()
    };
    let before = needs(dir.path());
    let first = [
        "checkin",
        "--item",
        "照明=problem:五楼灯坏",
        "--need",
        "照明",
        "--db",
        db_arg,
    ];
    assert!(louzu(dir.path(), &first).status.success());
    assert_eq!(needs(dir.path()), before + 1);
    // The same problem and need again, and another item: no second need, the first kept.
    let again = [
        "checkin",
        "--item",
        "照明=problem:五楼灯坏",
        "--need",
        "照明",
        "--item",
        "卫生=ok",
        "--db",
        db_arg,
    ];
    let out = louzu(dir.path(), &again);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(needs(dir.path()), before + 1, "no duplicate need");
    let out = louzu(
        dir.path(),
        &["checkin", "--item", "卫生=ok", "--db", db_arg],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let dump = louzu(dir.path(), &["dump", "--db", db_arg]);
    let dump: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
    let today = dump["checkin"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["items"]["照明"] == "problem:五楼灯坏")
        .expect("the problem is still recorded");
    assert!(today["needs"]["照明"].is_string(), "the need is linked");
}
