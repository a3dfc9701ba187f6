//! Reports from the demo through the real binary, and printed to PDF in headless Chromium
//! where it is installed (`.ci/run` installs Debian's `chromium`; elsewhere the browser
//! checks are skipped with a message).

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Reader, open_workbook_auto};

mod print;
use print::{chromium, chromium_args, pages, pdf_text, print_pdf};

fn louzu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(args)
        .current_dir(dir)
        .env("LOUZU_CONFIG_DIR", dir.join("config"))
        .env("LOUZU_OUTPUT_DIR", dir.join("输出"))
        .env("LOUZU_DB", dir.join("demo.db"))
        .env("LOUZU_TODAY", "2026-11-26")
        .output()
        .expect("run louzu")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn demo(dir: &Path) {
    ok(&louzu(dir, &["demo", "--db", "demo.db", "--no-tui"]));
}

/// Every phone number in the demo database.
fn phones(dir: &Path) -> Vec<String> {
    let dump: serde_json::Value = serde_json::from_str(&ok(&louzu(dir, &["dump"]))).unwrap();
    let mut out = Vec::new();
    for kind in ["resident", "member"] {
        for r in dump[kind].as_array().unwrap() {
            if let Some(p) = r["phone"].as_str().or(r["fields"]["phone"].as_str()) {
                out.push(p.to_string());
            }
        }
    }
    out
}

fn xlsx_text(path: &Path) -> String {
    let mut book = open_workbook_auto(path).unwrap();
    let mut s = String::new();
    for name in book.sheet_names() {
        for c in book.worksheet_range(&name).unwrap().cells() {
            s.push_str(&c.2.to_string());
            s.push('\n');
        }
    }
    s
}

#[test]
fn demo_reports_are_written_where_said_and_redact_phones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo(d);
    let phones = phones(d);
    assert!(!phones.is_empty(), "the demo has phones to hide");

    let out = ok(&louzu(
        d,
        &[
            "report", "month", "2026-11", "--format", "xlsx", "--out", "m.xlsx",
        ],
    ));
    assert_eq!(out.trim(), "m.xlsx", "prints the path it wrote");
    let text = xlsx_text(&d.join("m.xlsx"));
    assert!(text.contains("新成路 56 弄 7 号楼"));
    let mut book = open_workbook_auto(d.join("m.xlsx")).unwrap();
    assert_eq!(
        book.worksheet_range("各楼组").unwrap().height(),
        4,
        "title, period line, header, the one building"
    );

    ok(&louzu(
        d,
        &["report", "month", "--format", "html", "--out", "m.html"],
    ));
    ok(&louzu(d, &["report", "notice", "--out", "n.html"]));
    ok(&louzu(
        d,
        &[
            "report", "feedback", "--period", "2026-Q4", "--out", "f.html",
        ],
    ));
    ok(&louzu(
        d,
        &["report", "feedback", "--format", "xlsx", "--out", "f.xlsx"],
    ));
    ok(&louzu(
        d,
        &[
            "report", "year", "2026", "--format", "html", "--out", "y.html",
        ],
    ));
    ok(&louzu(
        d,
        &["roster", "export", "--format", "xlsx", "--out", "r.xlsx"],
    ));
    let mut all = String::new();
    for f in ["m.html", "n.html", "f.html", "y.html"] {
        all.push_str(&std::fs::read_to_string(d.join(f)).unwrap());
    }
    for f in ["m.xlsx", "f.xlsx", "r.xlsx"] {
        all.push_str(&xlsx_text(&d.join(f)));
    }
    for p in &phones {
        assert!(
            !all.contains(p.as_str()),
            "phone {p} printed without --with-contacts"
        );
    }
    // With consent and --with-contacts the notice shows phones.
    ok(&louzu(
        d,
        &["report", "notice", "--with-contacts", "--out", "n2.html"],
    ));
    let n2 = std::fs::read_to_string(d.join("n2.html")).unwrap();
    assert!(phones.iter().any(|p| n2.contains(p.as_str())));

    // The exported roster imports back unchanged.
    let out = ok(&louzu(d, &["roster", "import", "r.xlsx", "--dry-run"]));
    assert!(
        out.contains("新增居民 0 人") && out.contains("更新 0 人"),
        "{out}"
    );

    // Without --out: a dated file in the output folder (made for it), its full path printed.
    let out = ok(&louzu(d, &["report", "notice"]));
    let path = Path::new(out.trim());
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(
        name.starts_with("公示牌-") && name.ends_with("-2026-11-26.html"),
        "{name}"
    );
    assert_eq!(path, d.join("输出").join(&*name));
    assert!(path.exists());
}

#[test]
fn office_reports_need_all_or_a_building() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo(d);
    let out = louzu(
        d,
        &[
            "report",
            "month",
            "--building",
            "没有的楼",
            "--out",
            "x.xlsx",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有的楼"));
    ok(&louzu(
        d,
        &[
            "report", "month", "--all", "--format", "csv", "--out", "all.csv",
        ],
    ));
    let csv = std::fs::read_to_string(d.join("all.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
}

#[test]
fn notice_prints_on_one_a4_page_and_the_monthly_tables_fit() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo(d);
    ok(&louzu(
        d,
        &["report", "notice", "--with-contacts", "--out", "n.html"],
    ));
    let pdf = print_pdf(&browser, d, &d.join("n.html"));
    assert_eq!(pages(&pdf), 1, "the 公示牌 must fit one A4 page");
    ok(&louzu(
        d,
        &["report", "month", "--format", "html", "--out", "m.html"],
    ));
    let pdf = print_pdf(&browser, d, &d.join("m.html"));
    assert!(pages(&pdf) >= 1);
    // No table wider than an A4 page's printable width (180 mm ≈ 680 px).
    let html = std::fs::read_to_string(d.join("m.html")).unwrap();
    let probe = html.replace(
        "</body>",
        "<script>document.body.setAttribute('data-overflow',String(Array.prototype.filter.call(\
         document.querySelectorAll('table,svg'),function(t){return t.getBoundingClientRect().right>document.body.getBoundingClientRect().right+1;}).length));</script></body>",
    );
    std::fs::write(d.join("probe.html"), probe).unwrap();
    let out = Command::new(&browser)
        .args(chromium_args(&d.join("profile")))
        .args(["--window-size=680,1000", "--dump-dom"])
        .arg(format!("file://{}", d.join("probe.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("data-overflow=\"0\""),
        "a table runs off the page"
    );
}

/// A building with `n` members (one without a household), every one showing identity and
/// holding a role, half of them 在职党员, with an activity, a visit and ticks in November.
fn group(dir: &Path, n: usize) -> Vec<String> {
    use louzu::domain::EntityKind as K;
    use serde_json::json;
    let mut s = louzu::store::Store::open(&dir.join("demo.db")).unwrap();
    let b = s
        .create(
            K::Building,
            vec![
                ("name", json!(format!("{n}人楼"))),
                ("neighbourhood", json!("新成")),
                ("address", json!("新成路 9 号")),
            ],
        )
        .unwrap();
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    let given = ["建国", "秀英", "志强", "丽萍", "国华", "文静"];
    let roles = [
        "政策宣传员",
        "民情信息员",
        "矛盾调解员",
        "文明倡导员",
        "帮困服务员",
        "平安守护员",
    ];
    let mut names = Vec::new();
    for i in 0..n {
        let name = format!("{}{}{}", surnames[i % 10], given[i % 6], i);
        let household = (i > 0).then(|| {
            s.create(
                K::Household,
                vec![
                    ("building_id", json!(b)),
                    ("room", json!(format!("{}0{}", i / 4 + 1, i % 4 + 1))),
                ],
            )
            .unwrap()
        });
        let in_service = i % 2 == 1;
        let m = s
            .create(
                K::Member,
                vec![
                    ("building_id", json!(b)),
                    ("household_id", json!(household)),
                    ("name", json!(name)),
                    (
                        "category",
                        json!(if in_service {
                            "在职党员"
                        } else {
                            "离退休党员"
                        }),
                    ),
                    (
                        "home_org",
                        json!(if in_service { "嘉定区税务局" } else { "" }),
                    ),
                    ("group_role", json!(if i == 0 { "组长" } else { "组员" })),
                    ("show_identity", json!(true)),
                ],
            )
            .unwrap();
        let role = roles[i % 6];
        s.create(
            K::DutyAssignment,
            vec![
                ("building_id", json!(b)),
                ("member_id", json!(m)),
                ("role", json!(role)),
            ],
        )
        .unwrap();
        if let Some(h) = household {
            s.create(
                K::Visit,
                vec![
                    ("building_id", json!(b)),
                    ("household_id", json!(h)),
                    ("due", json!("2026-11-10")),
                    ("status", json!("done")),
                    ("done_on", json!("2026-11-10")),
                    ("visitors", json!([m])),
                ],
            )
            .unwrap();
        }
        names.push(name);
    }
    s.create(
        K::Activity,
        vec![
            ("building_id", json!(b)),
            ("date", json!("2026-11-08")),
            ("kind", json!("学习")),
            ("title", json!("十一月集中学习")),
            ("present", json!([])),
            ("residents_count", json!(3)),
        ],
    )
    .unwrap();
    names
}

#[test]
fn every_printed_report_shows_every_member_its_footer_and_last_rows() {
    let Some(browser) = chromium() else { return };
    for n in [3, 10, 20] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let names = group(d, n);
        let outputs = [
            (
                "notice.html",
                vec!["report", "notice", "--out", "notice.html"],
            ),
            (
                "month.html",
                vec![
                    "report",
                    "month",
                    "2026-11",
                    "--format",
                    "html",
                    "--out",
                    "month.html",
                ],
            ),
            (
                "feedback.html",
                vec![
                    "report",
                    "feedback",
                    "--period",
                    "2026-Q4",
                    "--out",
                    "feedback.html",
                ],
            ),
            (
                "year.html",
                vec![
                    "report",
                    "year",
                    "2026",
                    "--format",
                    "html",
                    "--out",
                    "year.html",
                ],
            ),
        ];
        for (file, args) in outputs {
            ok(&louzu(d, &args));
            print_pdf(&browser, d, &d.join(file));
            let text = pdf_text(&d.join(file).with_extension("pdf"));
            let label = format!("{n} members, {file}");
            let building = format!("{n}人楼");
            assert!(text.contains(&building), "{label}: no building name");
            match file {
                "notice.html" => {
                    for name in &names {
                        assert!(text.contains(name.as_str()), "{label}: {name} is hidden");
                    }
                    assert!(text.contains("2026-11-26公示"), "{label}: footer cut off");
                    assert!(text.contains("党小组承诺"), "{label}: no pledge");
                    assert!(text.contains("新成居委会"), "{label}: no 居委会 contact");
                    assert!(!text.contains("住址：室"), "{label}: empty address printed");
                }
                "month.html" => {
                    for name in &names {
                        assert!(text.contains(name.as_str()), "{label}: {name} missing");
                    }
                    assert!(
                        text.contains("全组合计"),
                        "{label}: 六个员 total row missing"
                    );
                    assert!(
                        text.contains("十一月集中学习"),
                        "{label}: activity row missing"
                    );
                    assert!(
                        text.contains("本期未填报四个无"),
                        "{label}: empty 四个无 line"
                    );
                    assert!(
                        text.contains("楼组党小组长（签字）"),
                        "{label}: footer cut off"
                    );
                    assert!(
                        text.contains("制表日期2026-11-26"),
                        "{label}: no date at the top"
                    );
                }
                "feedback.html" => {
                    for name in names.iter().skip(1).step_by(2) {
                        assert!(text.contains(name.as_str()), "{label}: {name} has no form");
                    }
                    assert_eq!(
                        text.matches("社区党组织（盖章）").count(),
                        n / 2,
                        "{label}: every form ends with its signatures"
                    );
                }
                _ => {
                    assert!(
                        !text.contains("点击表头可排序"),
                        "{label}: screen hint printed"
                    );
                }
            }
        }
    }
}

#[test]
fn duties_visits_and_needs_json_agree_with_the_month_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo(d);
    let duties: serde_json::Value =
        serde_json::from_str(&ok(&louzu(d, &["duties", "--json"]))).unwrap();
    let overdue: serde_json::Value =
        serde_json::from_str(&ok(&louzu(d, &["visits", "--overdue", "--json"]))).unwrap();
    let open: serde_json::Value =
        serde_json::from_str(&ok(&louzu(d, &["needs", "--open", "--json"]))).unwrap();
    ok(&louzu(
        d,
        &["report", "month", "2026-11", "--out", "m.xlsx"],
    ));
    let mut book = open_workbook_auto(d.join("m.xlsx")).unwrap();
    let sum = book.worksheet_range("概况").unwrap();
    let row = |label: &str, col: usize| -> i64 {
        let r = sum
            .rows()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no {label}"));
        match &r[col] {
            calamine::Data::Float(x) => *x as i64,
            other => panic!("{label} is {other:?}, not a number"),
        }
    };
    assert_eq!(row("六个员完成（项）", 1), duties["done"].as_i64().unwrap());
    assert_eq!(
        row("六个员完成（项）", 2),
        duties["total"].as_i64().unwrap()
    );
    assert_eq!(
        row("四个无达成（项）", 1),
        duties["targets_met"].as_i64().unwrap()
    );
    assert_eq!(
        row("四个无达成（项）", 2),
        duties["targets_due"].as_i64().unwrap()
    );
    assert_eq!(
        row("逾期未访（截至制表日）", 1),
        overdue.as_array().unwrap().len() as i64
    );
    assert_eq!(
        row("期末未办结诉求", 1),
        open.as_array().unwrap().len() as i64
    );
    // The demo has content for every figure compared.
    assert!(duties["total"].as_i64().unwrap() > 0 && !overdue.as_array().unwrap().is_empty());
}
