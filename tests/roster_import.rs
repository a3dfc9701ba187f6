//! Roster import through the library: header matching, encodings, every kind of row error,
//! all-or-nothing writes, dry runs and idempotent re-import.

use std::path::Path;

use louzu::domain::EntityKind;
use louzu::report::roster_import::{RowStatus, apply, plan_file};
use louzu::report::{Contacts, Format, roster_export};
use louzu::store::Store;
use serde_json::json;

fn store(dir: &Path) -> (Store, String) {
    let mut s = Store::open(&dir.join("t.db")).unwrap();
    let b = s
        .create(EntityKind::Building, vec![("name", json!("7号楼"))])
        .unwrap();
    (s, b)
}

fn ops(s: &Store) -> i64 {
    s.conn()
        .query_row("SELECT count(*) FROM ops", [], |r| r.get(0))
        .unwrap()
}

const GOOD: &str = "7号楼居民名册\n\
报到日期,姓名,室号,电话,是否党员,党员类别,组织关系所在单位,标签,性别,出生年份,备注\n\
,张阿婆,101,13900000001,否,,,独居老人、高龄,女,1938,爱养花\n\
2020-03-01,王建国,102,13900000002,是,退休,新成居民区第一党支部,,男,1950\n\
,王小妹,102,,否,,,,女,1985\n\
2023-05-01,赵在职,1-201,13900000003,是,在职党员,嘉定区税务局,,男,1980年\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn utf8_bom_csv_imports_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, b) = store(dir.path());
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(GOOD.as_bytes());
    let f = write(dir.path(), "r.csv", &bytes);
    let plan = plan_file(&s, &b, &f).unwrap();
    assert!(plan.errors.is_empty(), "{}", plan.summary());
    assert_eq!(
        (plan.adds(), plan.new_households, plan.new_members),
        (4, 3, 2)
    );
    apply_now(&mut s, plan, false).unwrap();
    let roster = s.roster(&b).unwrap();
    assert_eq!(roster.households.len(), 3);
    assert_eq!(roster.residents.len(), 4);
    assert_eq!(roster.members.len(), 2);
    let h101 = roster.households.iter().find(|h| h.room == "101").unwrap();
    assert_eq!(h101.tags, vec!["独居老人", "高龄"]);
    let wang = roster.members.iter().find(|m| m.name == "王建国").unwrap();
    assert_eq!(wang.category, "离退休党员");
    assert_eq!(wang.report_date, "2020-03-01");
    let zhao = roster
        .residents
        .iter()
        .find(|r| r.name == "赵在职")
        .unwrap();
    assert_eq!(zhao.birth_year, Some(1980));
    // One journal entry per room, all marked as an import.
    let imports: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM changes WHERE action = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(imports, 3);

    let before = ops(&s);
    let again = plan_file(&s, &b, &f).unwrap();
    assert_eq!(again.unchanged(), 4);
    assert!(!again.writes_anything());
    apply_now(&mut s, again, false).unwrap();
    assert_eq!(ops(&s), before, "re-import wrote something");
}

#[test]
fn gbk_csv_and_english_headers_in_any_order_import() {
    let dir = tempfile::tempdir().unwrap();
    let (s, b) = store(dir.path());
    let text = "Phone,Name,Room,Member,Category\n13900000009,李四,301,yes,in-service\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let f = write(dir.path(), "gbk.csv", &gbk);
    let plan = plan_file(&s, &b, &f).unwrap();
    assert!(plan.errors.is_empty(), "{}", plan.summary());
    assert_eq!(plan.rows[0].name, "李四");
    assert_eq!(plan.new_members, 1);
    let (gbk, _, _) = encoding_rs::GBK.encode(GOOD);
    let f = write(dir.path(), "gbk2.csv", &gbk);
    assert_eq!(plan_file(&s, &b, &f).unwrap().adds(), 4);
}

#[test]
fn xlsx_imports_and_export_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, b) = store(dir.path());
    let f = write(dir.path(), "r.csv", GOOD.as_bytes());
    let plan = plan_file(&s, &b, &f).unwrap();
    apply_now(&mut s, plan, false).unwrap();
    for contacts in [Contacts::Redacted, Contacts::Shown] {
        let bytes = roster_export::render(&s, &b, Format::Xlsx, contacts).unwrap();
        let x = write(dir.path(), "out.xlsx", &bytes);
        let plan = plan_file(&s, &b, &x).unwrap();
        assert!(plan.errors.is_empty(), "{}", plan.summary());
        assert_eq!(plan.unchanged(), 4, "{contacts:?}: {}", plan.summary());
        assert!(!plan.writes_anything());
    }
    let csv = roster_export::render(&s, &b, Format::Csv, Contacts::Redacted).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        !csv.contains("13900000001"),
        "phones leak into a redacted export"
    );
    assert!(csv.starts_with('\u{feff}'));
}

#[test]
fn every_kind_of_row_error_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, b) = store(dir.path());
    let text = "室号,姓名,性别,出生年份,电话,是否党员,党员类别,报到日期\n\
        abc,甲,男,1950,,,,\n\
        101,,男,1950,,,,\n\
        102,乙,未知,1950,,,,\n\
        103,丙,男,1850,,,,\n\
        104,丁,男,1950,call me,,,\n\
        105,戊,男,1950,,也许,,\n\
        106,己,男,1950,,是,,\n\
        107,庚,男,1950,,是,党员,\n\
        108,辛,男,1950,,是,在职党员,昨天\n\
        109,壬,男,1950,,,,\n\
        109,壬,男,1950,,,,\n";
    let f = write(dir.path(), "bad.csv", text.as_bytes());
    let before = ops(&s);
    let plan = plan_file(&s, &b, &f).unwrap();
    let got: Vec<(usize, &str)> = plan.errors.iter().map(|e| (e.line, e.column)).collect();
    assert_eq!(
        got,
        vec![
            (2, "室号"),
            (3, "姓名"),
            (4, "性别"),
            (5, "出生年份"),
            (6, "电话"),
            (7, "是否党员"),
            (8, "党员类别"),
            (9, "党员类别"),
            (10, "报到日期"),
            (12, "姓名"),
        ],
        "{}",
        plan.summary()
    );
    assert!(plan.errors.last().unwrap().reason.contains("第 11 行"));
    assert_eq!(plan.adds(), 1);
    // Errors: nothing written, not even the good row.
    let err = apply_now(&mut s, plan, false).unwrap_err();
    assert!(err.to_string().contains("--skip-bad"), "{err}");
    assert_eq!(ops(&s), before);
    // Skipping the bad rows writes the good one only.
    let plan = plan_file(&s, &b, &f).unwrap();
    apply_now(&mut s, plan, true).unwrap();
    let roster = s.roster(&b).unwrap();
    assert_eq!(roster.residents.len(), 1);
    assert_eq!(roster.residents[0].name, "壬");
}

#[test]
fn dry_run_writes_nothing_and_updates_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, b) = store(dir.path());
    let f = write(dir.path(), "r.csv", GOOD.as_bytes());
    let plan = plan_file(&s, &b, &f).unwrap();
    apply_now(&mut s, plan, false).unwrap();
    let before = ops(&s);
    let changed = GOOD.replace("13900000001", "13900000011");
    let f = write(dir.path(), "r2.csv", changed.as_bytes());
    let plan = plan_file(&s, &b, &f).unwrap();
    assert_eq!(ops(&s), before, "planning wrote something");
    let upd: Vec<_> = plan
        .rows
        .iter()
        .filter_map(|r| match &r.status {
            RowStatus::Update(c) => Some((r.name.as_str(), c.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(upd, vec![("张阿婆", vec!["电话"])]);
    assert_eq!(plan.unchanged(), 3);
}

#[test]
fn a_file_without_room_and_name_columns_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (s, b) = store(dir.path());
    let f = write(
        dir.path(),
        "x.csv",
        "姓名,电话\n张三,13900000000\n".as_bytes(),
    );
    let err = plan_file(&s, &b, &f).unwrap_err();
    assert!(err.to_string().contains("室号"), "{err}");
    let f = write(dir.path(), "x.pdf", b"%PDF");
    assert!(plan_file(&s, &b, &f).is_err());
}

/// Applies a plan under the default rules, today.
fn apply_now(
    s: &mut louzu::store::Store,
    plan: louzu::report::roster_import::Plan,
    skip_bad: bool,
) -> Result<usize, louzu::report::ReportError> {
    apply(
        s,
        plan,
        skip_bad,
        &louzu::usecase::Rules::default(),
        louzu::domain::date::today(),
    )
}
