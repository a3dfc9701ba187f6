//! Sync end to end through the real binary: two leaders' databases converge; the office
//! sends a leader only that leader's building; a killed import leaves the database as it
//! was and the next import succeeds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn p(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
    fn run(&self, db: &str, args: &[&str]) -> Output {
        self.run_env(db, args, &[])
    }
    fn run_env(&self, db: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_louzu"));
        c.arg("--db")
            .arg(self.p(db))
            .args(args)
            .env("LOUZU_CONFIG_DIR", self.p("config"))
            .current_dir(self.0.path());
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run louzu")
    }
    /// Runs and insists on success; returns stdout.
    fn ok(&self, db: &str, args: &[&str]) -> String {
        let o = self.run(db, args);
        assert!(
            o.status.success(),
            "louzu {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }
    fn dump(&self, db: &str) -> String {
        self.ok(db, &["dump"])
    }
    /// Each device writes a card, the other trusts it.
    fn pair(&self, a: &str, an: &str, b: &str, bn: &str, b_buildings: &[&str]) {
        self.ok(a, &["device", "--name", an, "--card", &format!("{a}.card")]);
        self.ok(b, &["device", "--name", bn, "--card", &format!("{b}.card")]);
        let mut args = vec!["trust", &*format!("{b}.card"), "--name", bn]
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        if !b_buildings.is_empty() {
            args.push("--buildings".into());
            args.extend(b_buildings.iter().map(|s| s.to_string()));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.ok(a, &args);
        self.ok(b, &["trust", &format!("{a}.card"), "--name", an]);
    }
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn two_leaders_edit_exchange_and_end_equal() {
    let d = Dir::new();
    d.pair("a.db", "组长", "b.db", "副组长", &[]);
    let b = d.ok(
        "a.db",
        &["add", "building", "name=12号楼", "address=新成路 12 号"],
    );
    let h = d.ok(
        "a.db",
        &[
            "add",
            "household",
            "building_id=12号楼",
            "room=301",
            "tags=独居老人 高龄",
        ],
    );
    d.ok(
        "a.db",
        &[
            "add",
            "resident",
            &format!("building_id={b}"),
            "household_id=301",
            "name=张三",
            "birth_year=1940",
        ],
    );
    // Bad input is refused with the field and what is expected.
    let o = d.run(
        "a.db",
        &[
            "add",
            "resident",
            "building_id=12号楼",
            "household_id=301",
            "name=李四",
            "birth_year=1850",
        ],
    );
    assert!(!o.status.success());
    assert!(err(&o).contains("出生年份"), "{}", err(&o));

    d.ok("a.db", &["export", "--to", "a1.louzu", "--for", "副组长"]);
    let out = d.ok("b.db", &["import", "a1.louzu"]);
    // Building, household, resident, and the visit the 独居老人 tag planned.
    assert!(out.contains("新记录 4"), "{out}");
    let again = d.ok("b.db", &["import", "a1.louzu"]);
    assert!(again.contains("已经导入过"), "{again}");

    // Both edit the same field, and b adds a visit note elsewhere.
    d.ok("a.db", &["edit", &h, "note=甲：周二复访"]);
    d.ok("b.db", &["edit", &h, "note=乙：已联系子女"]);
    let r = d.ok(
        "b.db",
        &[
            "add",
            "resident",
            &format!("building_id={b}"),
            &format!("household_id={h}"),
            "name=王五",
        ],
    );
    d.ok("b.db", &["delete", &r]);
    d.ok("b.db", &["restore", &r]);

    d.ok("a.db", &["export", "--to", "a2.louzu", "--for", "副组长"]);
    d.ok("b.db", &["export", "--to", "b1.louzu", "--for", "组长"]);
    let preview = d.ok("a.db", &["import", "--dry-run", "b1.louzu"]);
    assert!(
        preview.contains("副组长") && preview.contains("冲突 1"),
        "{preview}"
    );
    d.ok("a.db", &["import", "b1.louzu", "--yes"]);
    d.ok("b.db", &["import", "a2.louzu"]);
    assert_eq!(d.dump("a.db"), d.dump("b.db"));

    let list: serde_json::Value =
        serde_json::from_str(&d.ok("a.db", &["conflicts", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = list[0]["id"].as_str().unwrap().to_string();
    d.ok("a.db", &["resolve", &id, "--value", "周二复访；已联系子女"]);
    d.ok("a.db", &["export", "--to", "a3.louzu", "--for", "副组长"]);
    d.ok("b.db", &["import", "a3.louzu"]);
    assert_eq!(d.dump("a.db"), d.dump("b.db"));
    assert!(d.ok("b.db", &["conflicts"]).contains("没有待处理的冲突"));
    let found = d.ok("b.db", &["find", "wangwu"]);
    assert!(found.contains("王五"), "{found}");
}

#[test]
fn the_office_sends_a_leader_only_that_leaders_building() {
    let d = Dir::new();
    for (b, name) in [("1号楼", "赵一"), ("2号楼", "钱二"), ("3号楼", "孙三")] {
        d.ok("office.db", &["add", "building", &format!("name={b}")]);
        d.ok(
            "office.db",
            &["add", "household", &format!("building_id={b}"), "room=101"],
        );
        let hh = d.ok("office.db", &["find", "101", "--json"]);
        let rows: serde_json::Value = serde_json::from_str(&hh).unwrap();
        let bid = d.ok("office.db", &["find", b, "--json"]);
        let bid: serde_json::Value = serde_json::from_str(&bid).unwrap();
        let bid = bid[0]["id"].as_str().unwrap().to_string();
        let h = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["fields"]["building_id"] == bid.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        d.ok(
            "office.db",
            &[
                "add",
                "resident",
                &format!("building_id={b}"),
                &format!("household_id={h}"),
                &format!("name={name}"),
                "phone=13800001111",
            ],
        );
    }
    d.ok(
        "office.db",
        &["add", "setting", "key=duty_roles", "value=[\"政策宣传员\"]"],
    );
    d.pair("office.db", "居委会", "leader.db", "2号楼组长", &["2号楼"]);
    d.ok(
        "office.db",
        &["export", "--to", "for-leader.louzu", "--for", "2号楼组长"],
    );
    let raw = std::fs::read(d.p("for-leader.louzu")).unwrap();
    assert!(!String::from_utf8_lossy(&raw).contains("钱二"), "encrypted");
    d.ok("leader.db", &["import", "for-leader.louzu"]);
    let dump = d.dump("leader.db");
    assert!(dump.contains("钱二"));
    assert!(
        dump.contains("duty_roles"),
        "shared settings travel to everyone"
    );
    for other in ["赵一", "孙三", "1号楼", "3号楼"] {
        assert!(!dump.contains(other), "{other} leaked to the leader");
    }

    // The leader's edits come back; edits to other buildings would be refused by scope.
    let found: serde_json::Value =
        serde_json::from_str(&d.ok("leader.db", &["find", "钱二", "--json"])).unwrap();
    let r = found[0]["id"].as_str().unwrap().to_string();
    d.ok("leader.db", &["edit", &r, "note=腿脚不便"]);
    d.ok(
        "leader.db",
        &["export", "--to", "for-office.louzu", "--for", "居委会"],
    );
    let out = d.ok("office.db", &["import", "for-office.louzu"]);
    assert!(out.contains("修改 1"), "{out}");
    assert!(d.dump("office.db").contains("腿脚不便"));
}

#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    let d = Dir::new();
    d.pair("a.db", "组长", "b.db", "副组长", &[]);
    d.ok("a.db", &["add", "building", "name=12号楼"]);
    for room in ["101", "102", "201", "202"] {
        d.ok(
            "a.db",
            &[
                "add",
                "household",
                "building_id=12号楼",
                &format!("room={room}"),
            ],
        );
    }
    d.ok("a.db", &["export", "--to", "a.louzu", "--for", "副组长"]);
    let before = d.dump("b.db");
    let o = d.run_env(
        "b.db",
        &["import", "a.louzu"],
        &[("LOUZU_TEST_CRASH_DURING_IMPORT", "1")],
    );
    assert!(!o.status.success(), "the import was meant to die");
    assert_eq!(d.dump("b.db"), before);
    d.ok("b.db", &["import", "a.louzu"]);
    assert_eq!(d.dump("b.db"), d.dump("a.db"));
}

#[test]
fn unknown_devices_and_missing_recipients_are_explained() {
    let d = Dir::new();
    d.ok("a.db", &["device", "--name", "组长"]);
    d.ok("b.db", &["device", "--name", "副组长", "--card", "b.card"]);
    d.ok("a.db", &["trust", "b.card", "--name", "副组长"]);
    d.ok("a.db", &["add", "building", "name=12号楼"]);
    let o = d.run("a.db", &["export", "--to", "x.louzu"]);
    assert!(err(&o).contains("--for"), "{}", err(&o));
    let o = d.run("a.db", &["export", "--to", "x.louzu", "--for", "居委会"]);
    assert!(err(&o).contains("副组长"), "{}", err(&o));
    d.ok("a.db", &["export", "--to", "x.louzu", "--for", "副组长"]);
    let o = d.run("b.db", &["import", "x.louzu"]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains("未受信任") && e.contains("louzu trust x.louzu"),
        "{e}"
    );
    // Trusting from the bundle itself, then importing, works.
    d.ok("b.db", &["trust", "x.louzu", "--name", "组长"]);
    d.ok("b.db", &["import", "x.louzu"]);
    assert!(!Path::new(&d.p(".x.louzu.tmp")).exists());
}

impl Dir {
    /// Runs with the computer's clock shifted by `secs` and insists on success.
    fn ok_skewed(&self, db: &str, secs: i64, args: &[&str]) -> String {
        let s = secs.to_string();
        let o = self.run_env(db, args, &[("LOUZU_TEST_CLOCK_SKEW_SECS", &s)]);
        assert!(o.status.success(), "louzu {args:?} failed: {}", err(&o));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }
}

#[test]
fn skewed_clocks_converge_and_a_year_ahead_is_refused_by_name() {
    const HOUR: i64 = 3600;
    const YEAR: i64 = 365 * 24 * HOUR;
    let d = Dir::new();
    d.pair("a.db", "组长", "b.db", "副组长", &[]);
    d.ok("a.db", &["add", "building", "name=12号楼"]);
    let h = d.ok(
        "a.db",
        &["add", "household", "building_id=12号楼", "room=301"],
    );
    d.ok("a.db", &["export", "--to", "a0.louzu", "--for", "副组长"]);
    d.ok("b.db", &["import", "a0.louzu"]);
    // a runs five hours fast, b three years slow: both still converge.
    d.ok_skewed("a.db", 5 * HOUR, &["edit", &h, "note=甲快五小时"]);
    d.ok_skewed("b.db", -3 * YEAR, &["edit", &h, "tags=独居老人"]);
    d.ok_skewed(
        "a.db",
        5 * HOUR,
        &["export", "--to", "a1.louzu", "--for", "副组长"],
    );
    d.ok_skewed(
        "b.db",
        -3 * YEAR,
        &["export", "--to", "b1.louzu", "--for", "组长"],
    );
    d.ok_skewed("a.db", 5 * HOUR, &["import", "b1.louzu"]);
    // b's clock is slow, so a's five hours are years ahead of it: refused, named, dated.
    let o = d.run_env(
        "b.db",
        &["import", "a1.louzu"],
        &[("LOUZU_TEST_CLOCK_SKEW_SECS", &(-3 * YEAR).to_string())],
    );
    assert!(!o.status.success());
    assert!(
        err(&o).contains("组长") && err(&o).contains("晚了一天以上"),
        "{}",
        err(&o)
    );
    // With b's clock set right, the same file imports and the two agree.
    d.ok("b.db", &["import", "a1.louzu"]);
    assert_eq!(d.dump("a.db"), d.dump("b.db"));
    let dump = d.dump("b.db");
    assert!(
        dump.contains("甲快五小时") && dump.contains("独居老人"),
        "{dump}"
    );
    // A laptop a year fast is refused until its clock is fixed.
    d.ok_skewed("a.db", YEAR, &["edit", &h, "note=快一年"]);
    d.ok("a.db", &["export", "--to", "a2.louzu", "--for", "副组长"]);
    let o = d.run("b.db", &["import", "a2.louzu"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("组长"), "{}", err(&o));
    assert!(!d.dump("b.db").contains("快一年"));
}

#[test]
fn a_database_restored_from_a_backup_file_renumbers_and_loses_nothing() {
    let d = Dir::new();
    d.pair("a.db", "组长", "b.db", "副组长", &[]);
    d.ok("a.db", &["add", "building", "name=12号楼"]);
    let h = d.ok(
        "a.db",
        &["add", "household", "building_id=12号楼", "room=301"],
    );
    d.ok("a.db", &["export", "--to", "a0.louzu", "--for", "副组长"]);
    d.ok("b.db", &["import", "a0.louzu"]);
    // The leader copies the database file as a backup (louzu is not running).
    std::fs::copy(d.p("a.db"), d.p("backup.db")).unwrap();
    d.ok("a.db", &["edit", &h, "note=备份之后"]);
    d.ok("a.db", &["export", "--to", "a1.louzu", "--for", "副组长"]);
    d.ok("b.db", &["import", "a1.louzu"]);
    // The laptop dies; the backup is put back and used.
    std::fs::copy(d.p("backup.db"), d.p("a.db")).unwrap();
    d.ok("a.db", &["edit", &h, "tags=独居老人"]);
    d.ok("a.db", &["export", "--to", "a2.louzu", "--for", "副组长"]);
    let out = d.ok("b.db", &["import", "a2.louzu"]);
    assert!(out.contains("两个版本"), "{out}");
    d.ok("b.db", &["export", "--to", "b1.louzu", "--for", "组长"]);
    let out = d.ok("a.db", &["import", "b1.louzu"]);
    assert!(out.contains("备份恢复") && out.contains("--full"), "{out}");
    d.ok(
        "b.db",
        &["export", "--full", "--to", "b2.louzu", "--for", "组长"],
    );
    d.ok("a.db", &["import", "b2.louzu"]);
    d.ok("a.db", &["export", "--to", "a3.louzu", "--for", "副组长"]);
    d.ok("b.db", &["import", "a3.louzu"]);
    assert_eq!(d.dump("a.db"), d.dump("b.db"));
    let dump = d.dump("a.db");
    assert!(
        dump.contains("备份之后") && dump.contains("独居老人"),
        "{dump}"
    );
}

#[test]
fn export_without_a_file_goes_to_the_output_folder_with_its_full_path_said() {
    let d = Dir::new();
    d.pair("a.db", "组长", "b.db", "副组长", &[]);
    d.ok("a.db", &["add", "building", "name=12号楼"]);
    let out = d.p("输出");
    let o = d.run_env(
        "a.db",
        &["export", "--for", "副组长"],
        &[("LOUZU_OUTPUT_DIR", out.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", err(&o));
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    let written: Vec<PathBuf> = std::fs::read_dir(&out)
        .expect("the output folder is made on the first write")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(
        written[0].extension().is_some_and(|e| e == "louzu"),
        "{written:?}"
    );
    assert!(said.contains(&written[0].display().to_string()), "{said}");
    // A folder given to --to gets the same dated name inside it.
    std::fs::create_dir(d.p("U盘")).unwrap();
    d.ok("a.db", &["export", "--to", "U盘", "--for", "副组长"]);
    let name = written[0].file_name().unwrap();
    assert!(d.p("U盘").join(name).exists());
}
