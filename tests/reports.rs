//! Reports through the library on a small building with known figures: the XLSX read back
//! with calamine, the HTML parsed, contacts redacted by default, and nothing from the
//! other building in the database.

use calamine::{Data, Reader, open_workbook_auto};
use louzu::domain::EntityKind as K;
use louzu::domain::cadence::Cadences;
use louzu::domain::duty::RoleSet;
use louzu::i18n::Lang;
use louzu::report::year::Measure;
use louzu::report::{Contacts, Format, Period, Voice, feedback, figures, month, notice, year};
use louzu::store::Store;
use serde_json::{Value, json};

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    a: String,
}

fn mk(s: &mut Store, kind: K, fields: Vec<(&str, Value)>) -> String {
    s.create(kind, fields).unwrap()
}

/// Building A with known November 2026 figures; building B holds data that must never
/// appear in A's reports.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("r.db")).unwrap();
    let a = mk(
        &mut s,
        K::Building,
        vec![
            ("name", json!("甲楼")),
            ("neighbourhood", json!("新成居民区")),
        ],
    );
    let b = mk(&mut s, K::Building, vec![("name", json!("乙楼"))]);
    let h = |s: &mut Store, bld: &str, room: &str, tags: Value| {
        mk(
            s,
            K::Household,
            vec![
                ("building_id", json!(bld)),
                ("room", json!(room)),
                ("tags", tags),
            ],
        )
    };
    let h101 = h(&mut s, &a, "101", json!(["独居老人"]));
    let h102 = h(&mut s, &a, "102", json!([]));
    let h201 = h(&mut s, &a, "201", json!(["低保"]));
    mk(
        &mut s,
        K::Resident,
        vec![
            ("building_id", json!(a)),
            ("household_id", json!(h101)),
            ("name", json!("张阿婆")),
            ("phone", json!("13900000001")),
        ],
    );
    let member = |s: &mut Store,
                  bld: &str,
                  hh: &str,
                  name: &str,
                  cat: &str,
                  extra: Vec<(&'static str, Value)>| {
        let mut f = vec![
            ("building_id", json!(bld)),
            ("household_id", json!(hh)),
            ("name", json!(name)),
            ("category", json!(cat)),
        ];
        f.extend(extra);
        mk(s, K::Member, f)
    };
    let m1 = member(
        &mut s,
        &a,
        &h102,
        "王组长",
        "离退休党员",
        vec![
            ("group_role", json!("组长")),
            ("show_identity", json!(true)),
            ("contact_public", json!(true)),
            ("phone", json!("13911112222")),
        ],
    );
    let m2 = member(
        &mut s,
        &a,
        &h201,
        "赵在职",
        "在职党员",
        vec![
            ("home_org", json!("嘉定区税务局")),
            ("home_org_contact", json!("钱主任 13800009999")),
            ("show_identity", json!(true)),
            ("contact_public", json!(false)),
            ("phone", json!("13933334444")),
        ],
    );
    member(
        &mut s,
        &a,
        &h102,
        "孙在职",
        "在职党员",
        vec![
            ("home_org", json!("嘉定区中心医院")),
            ("show_identity", json!(false)),
        ],
    );
    mk(
        &mut s,
        K::DutyAssignment,
        vec![
            ("building_id", json!(a)),
            ("member_id", json!(m1)),
            ("role", json!("政策宣传员")),
        ],
    );
    let visit =
        |s: &mut Store, hh: &str, due: &str, status: &str, done: Option<&str>, who: &[&str]| {
            let mut f = vec![
                ("building_id", json!(a)),
                ("household_id", json!(hh)),
                ("due", json!(due)),
                ("status", json!(status)),
            ];
            if let Some(d) = done {
                f.push(("done_on", json!(d)));
                f.push(("visitors", json!(who)));
            }
            mk(s, K::Visit, f)
        };
    visit(
        &mut s,
        &h101,
        "2026-11-03",
        "done",
        Some("2026-11-03"),
        &[&m1],
    );
    visit(
        &mut s,
        &h101,
        "2026-11-10",
        "done",
        Some("2026-11-12"),
        &[&m1, &m2],
    );
    visit(&mut s, &h201, "2026-11-20", "planned", None, &[]);
    visit(&mut s, &h102, "2026-11-05", "missed", None, &[]);
    visit(
        &mut s,
        &h201,
        "2026-10-15",
        "done",
        Some("2026-10-15"),
        &[&m2],
    );
    let need =
        |s: &mut Store, raised: &str, status: &str, closed: Option<&str>, to: &str, owner: &str| {
            mk(
                s,
                K::Need,
                vec![
                    ("building_id", json!(a)),
                    ("category", json!("帮困")),
                    ("description", json!("x")),
                    ("status", json!(status)),
                    ("raised_on", json!(raised)),
                    ("closed_on", json!(closed)),
                    (
                        "escalated_to",
                        json!(if to.is_empty() {
                            Value::Null
                        } else {
                            json!(to)
                        }),
                    ),
                    ("owner", json!(owner)),
                ],
            )
        };
    need(
        &mut s,
        "2026-11-02",
        "fed_back",
        Some("2026-11-09"),
        "",
        &m2,
    );
    need(&mut s, "2026-11-15", "escalated", None, "居委会", &m1);
    need(
        &mut s,
        "2026-10-20",
        "resolved",
        Some("2026-11-01"),
        "",
        &m2,
    );
    mk(
        &mut s,
        K::Pairing,
        vec![
            ("building_id", json!(a)),
            ("member_id", json!(m1)),
            ("household_id", json!(h101)),
            ("since", json!("2026-01-01")),
        ],
    );
    let tick = |s: &mut Store, m: &str, item: &str, period: &str, done: bool| {
        mk(
            s,
            K::DutyTick,
            vec![
                ("building_id", json!(a)),
                ("member_id", json!(m)),
                ("role", json!("政策宣传员")),
                ("item", json!(item)),
                ("period", json!(period)),
                ("done", json!(done)),
            ],
        )
    };
    // 王组长 holds 政策宣传员 (two items): one done, one not, plus a done tick of an item
    // the set no longer has (kept, as the pane keeps it). 赵在职 holds no role but has a
    // done tick from when they did.
    tick(&mut s, &m1, "张贴宣传材料、更新楼组公示栏", "2026-11", true);
    tick(&mut s, &m1, "上门向重点户解读政策", "2026-11", false);
    tick(&mut s, &m1, "旧事项", "2026-11", true);
    tick(&mut s, &m2, "一", "2026-11", true);
    tick(&mut s, &m2, "一", "2026-10", false);
    for (t, met) in [
        ("无治安刑事案件", true),
        ("无矛盾激化", true),
        ("无安全隐患", false),
        ("无违章搭建", true),
    ] {
        mk(
            &mut s,
            K::Attestation,
            vec![
                ("building_id", json!(a)),
                ("month", json!("2026-11")),
                ("target", json!(t)),
                ("met", json!(met)),
            ],
        );
    }
    mk(
        &mut s,
        K::Checkin,
        vec![
            ("building_id", json!(a)),
            ("date", json!("2026-11-01")),
            ("items", json!({"楼道堆物": "problem:纸箱", "照明": "ok"})),
        ],
    );
    mk(
        &mut s,
        K::Checkin,
        vec![
            ("building_id", json!(a)),
            ("date", json!("2026-11-02")),
            ("items", json!({"照明": "ok"})),
        ],
    );
    let act =
        |s: &mut Store, bld: &str, date: &str, kind: &str, title: &str, present: Value, n: i64| {
            mk(
                s,
                K::Activity,
                vec![
                    ("building_id", json!(bld)),
                    ("date", json!(date)),
                    ("kind", json!(kind)),
                    ("title", json!(title)),
                    ("present", present),
                    ("residents_count", json!(n)),
                ],
            )
        };
    act(
        &mut s,
        &a,
        "2026-11-08",
        "学习",
        "读原文",
        json!([m1, m2]),
        5,
    );
    act(
        &mut s,
        &a,
        "2026-11-20",
        "议事",
        "电瓶车议事会",
        json!([m1]),
        3,
    );
    act(&mut s, &a, "2026-10-01", "学习", "十月学习", json!([m1]), 1);
    // Building B: private data that must not leak into A's reports.
    let hb = h(&mut s, &b, "901", json!(["低保"]));
    mk(
        &mut s,
        K::Resident,
        vec![
            ("building_id", json!(b)),
            ("household_id", json!(hb)),
            ("name", json!("隐私居民")),
            ("phone", json!("13700006666")),
        ],
    );
    let mb = member(
        &mut s,
        &b,
        &hb,
        "秘密党员",
        "在职党员",
        vec![
            ("home_org", json!("乙单位")),
            ("show_identity", json!(true)),
            ("contact_public", json!(true)),
            ("phone", json!("13700007777")),
        ],
    );
    act(&mut s, &b, "2026-11-09", "学习", "乙楼活动", json!([mb]), 2);
    Fixture {
        _dir: dir,
        store: s,
        a,
    }
}

const LEAKS: [&str; 5] = ["乙楼", "隐私居民", "秘密党员", "13700007777", "乙单位"];

/// The figures as the CLI computes them: default cadences and 六个员 set, made on
/// 2026-11-26.
fn compute(store: &Store, building: Option<&str>, period: &Period) -> figures::Figures {
    let cadences = Cadences::default();
    let set = RoleSet::default_set();
    let basis = figures::Basis {
        cadences: &cadences,
        duties: &set,
        today: jiff::civil::date(2026, 11, 26),
    };
    figures::compute(store, building, period, &basis).unwrap()
}

fn nov() -> Period {
    Period::parse("2026-11").unwrap()
}

#[test]
fn monthly_figures_match_the_data() {
    let f = fixture();
    let fig = compute(&f.store, Some(&f.a), &nov());
    assert_eq!(fig.buildings.len(), 1);
    let b = &fig.buildings[0];
    assert_eq!(
        (b.activities, b.member_attendance, b.residents_taking_part),
        (2, 3, 8)
    );
    assert_eq!(b.activities_by_kind[..2], [1, 1]);
    assert_eq!((b.visits_done, b.households_visited), (2, 1));
    assert_eq!(
        (b.visits_planned, b.planned_done, b.visits_missed),
        (4, 2, 1)
    );
    assert_eq!(b.visits_by_bucket, vec![1, 1, 0, 0, 0]);
    // 101 weekly (30/7) + 201 monthly (30/30) ≈ 5 visits asked for; 101 was visited.
    assert_eq!(
        (b.cadence_households, b.cadence_visited, b.cadence_expected),
        (2, 1, 5)
    );
    assert_eq!(
        (
            b.needs_received,
            b.needs_resolved,
            b.needs_fed_back,
            b.needs_escalated,
            b.needs_open
        ),
        (2, 2, 1, 1, 1)
    );
    assert_eq!((b.paired_households, b.paired_visited), (1, 1));
    // Items due, as the 六个员 pane counts them: 王组长 2 of 3, 赵在职 1 of 1.
    assert_eq!((b.duty_done, b.duty_due), (3, 4));
    assert_eq!(
        (b.attest_met, b.attest_due, b.attest_full_months),
        (3, 4, 0)
    );
    // 201's visit of 11-20 is still planned on 11-26.
    assert_eq!(b.visits_overdue, 1);
    assert_eq!((b.checkin_days, b.checkin_problems), (2, 1));
    let all = compute(&f.store, None, &nov());
    assert_eq!(all.buildings.len(), 2);
}

fn cell(range: &calamine::Range<Data>, row_name: &str, col: &str) -> Data {
    let rows: Vec<_> = range.rows().collect();
    let c = rows
        .iter()
        .find_map(|r| r.iter().position(|h| *h == col))
        .unwrap_or_else(|| panic!("no column {col}"));
    let r = rows
        .iter()
        .find(|r| r[0] == row_name)
        .unwrap_or_else(|| panic!("no row {row_name}"));
    r[c].clone()
}

#[test]
fn monthly_xlsx_reads_back_with_the_figures() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let fig = compute(&f.store, Some(&f.a), &nov());
    let bytes = month::render(&fig, Format::Xlsx, "测试").unwrap();
    let path = dir.path().join("m.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let mut book = open_workbook_auto(&path).unwrap();
    let names = book.sheet_names();
    for s in [
        "概况",
        "活动",
        "走访",
        "诉求",
        "结对帮困",
        "六个员",
        "四个无",
        "巡楼",
    ] {
        assert!(names.iter().any(|n| n == s), "missing sheet {s}: {names:?}");
    }
    let sum = book.worksheet_range("概况").unwrap();
    assert_eq!(cell(&sum, "走访（户次）", "数值"), Data::Float(2.0));
    assert_eq!(cell(&sum, "楼组活动（次）", "数值"), Data::Float(2.0));
    assert_eq!(cell(&sum, "诉求受理", "数值"), Data::Float(2.0));
    assert_eq!(cell(&sum, "计划走访完成", "完成率"), Data::Float(0.5));
    assert_eq!(cell(&sum, "六个员完成（项）", "数值"), Data::Float(3.0));
    assert_eq!(
        cell(&sum, "六个员完成（项）", "应完成/共计"),
        Data::Float(4.0)
    );
    assert_eq!(cell(&sum, "六个员完成（项）", "完成率"), Data::Float(0.75));
    assert_eq!(cell(&sum, "四个无达成（项）", "数值"), Data::Float(3.0));
    assert_eq!(
        cell(&sum, "四个无达成（项）", "应完成/共计"),
        Data::Float(4.0)
    );
    assert_eq!(
        cell(&sum, "逾期未访（截至制表日）", "数值"),
        Data::Float(1.0)
    );
    let per = book.worksheet_range("各楼组").unwrap();
    assert_eq!(cell(&per, "甲楼", "走访户次"), Data::Float(2.0));
    assert_eq!(cell(&per, "甲楼", "计划完成率"), Data::Float(0.5));
    let duty = book.worksheet_range("六个员").unwrap();
    let wang: Vec<_> = duty.rows().filter(|r| r[1] == "王组长").collect();
    assert_eq!(wang[0][3], Data::Float(2.0));
    assert_eq!(wang[0][4], Data::Float(3.0));
    // Every sheet opens with the building and period, and dates are dates.
    for name in &names {
        let r = book.worksheet_range(name).unwrap();
        let first = r
            .get_value((0, 0))
            .map(|d| d.to_string())
            .unwrap_or_default();
        assert!(
            first.contains("甲楼") && first.contains("2026年11月"),
            "{name}: {first}"
        );
    }
    let list = book.worksheet_range("活动明细").unwrap();
    let dates: Vec<_> = list
        .rows()
        .filter(|r| r[0] == "甲楼")
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(dates.len(), 2);
    for d in dates {
        assert!(matches!(d, Data::DateTime(_)), "a date stored as {d:?}");
    }
    for name in names {
        let r = book.worksheet_range(&name).unwrap();
        for c in r.cells() {
            let t = c.2.to_string();
            assert!(!LEAKS.iter().any(|l| t.contains(l)), "{name} leaks {t}");
        }
    }
}

/// A small well-formedness check: every non-void tag closed in order, entities sane.
fn assert_well_formed(html: &str) {
    const VOID: [&str; 6] = ["meta", "br", "line", "rect", "img", "hr"];
    assert!(html.starts_with("<!DOCTYPE html>"));
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    let mut in_raw = false;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').expect("unclosed <");
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if in_raw && !tag.starts_with("/script") && !tag.starts_with("/style") {
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if tag.starts_with('/') {
            let open = stack.pop().unwrap_or_default();
            assert_eq!(open, name, "</{name}> closes <{open}>");
            in_raw = false;
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            in_raw = name == "script" || name == "style";
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn monthly_html_is_well_formed_with_figures_and_charts() {
    let f = fixture();
    let fig = compute(&f.store, Some(&f.a), &nov());
    let html = String::from_utf8(month::render(&fig, Format::Html, "").unwrap()).unwrap();
    assert_well_formed(&html);
    assert!(
        html.contains("<td>走访（户次）</td><td>2</td>"),
        "visits figure missing"
    );
    assert!(html.contains("3 / 4（75.0%）"), "duty figure missing");
    assert!(html.contains("甲楼") && html.contains("制表日期 2026-11-26"));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("size:A4"));
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    for l in LEAKS {
        assert!(!html.contains(l), "leaks {l}");
    }
    let all = compute(&f.store, None, &nov());
    let html = String::from_utf8(month::render(&all, Format::Html, "").unwrap()).unwrap();
    assert_well_formed(&html);
    assert!(
        html.contains("乙楼"),
        "the office's --all report lists every building"
    );
    let csv = String::from_utf8(month::render(&fig, Format::Csv, "").unwrap()).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with("2026-11,甲楼,新成居民区,3,3,2,2,1,4,2,50.0%,1"),
        "{row}"
    );
    assert!(csv.lines().next().unwrap().ends_with("期间,楼组,居民区,户数,党员数,活动次数,走访户次,走访户数,计划走访,按计划完成,计划完成率,逾期未访,诉求受理,诉求办结,已反馈,结对户,结对户走访,六个员完成,六个员应完成,四个无达成,巡楼天数"));
}

#[test]
fn notice_shows_consented_contacts_only_when_asked() {
    let f = fixture();
    let rows = notice::gather(&f.store, &f.a).unwrap();
    let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["王组长", "赵在职"],
        "only members showing identity, leader first"
    );
    let set = RoleSet::default_set();
    let zh = Voice {
        lang: Lang::Zh,
        duties: &set,
    };
    let html = notice::render("甲楼", &rows, Contacts::Redacted, &Default::default(), zh);
    assert_well_formed(&html);
    assert!(html.contains("政策宣传员") && html.contains("102"));
    assert!(
        !html.contains("13911112222"),
        "phone printed without --with-contacts"
    );
    let html = notice::render("甲楼", &rows, Contacts::Shown, &Default::default(), zh);
    assert!(html.contains("13911112222"));
    assert!(
        !html.contains("13933334444"),
        "phone printed without consent"
    );
    for l in LEAKS {
        assert!(!html.contains(l), "leaks {l}");
    }
}

#[test]
fn feedback_forms_per_in_service_member_grouped_by_organisation() {
    let f = fixture();
    let q4 = Period::parse("2026-Q4").unwrap();
    let comments = [("赵在职".to_string(), "积极参加楼组活动".to_string())].into();
    let ms = {
        let cadences = Cadences::default();
        let set = RoleSet::default_set();
        let basis = figures::Basis {
            cadences: &cadences,
            duties: &set,
            today: jiff::civil::date(2026, 11, 26),
        };
        feedback::gather(&f.store, Some(&f.a), &q4, &comments, &basis).unwrap()
    };
    let names: Vec<_> = ms
        .iter()
        .map(|m| (m.home_org.as_str(), m.name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![("嘉定区中心医院", "孙在职"), ("嘉定区税务局", "赵在职")]
    );
    let zhao = &ms[1];
    assert_eq!(zhao.activities.len(), 1);
    assert_eq!(zhao.visits, 2, "one in October, one in November");
    assert_eq!((zhao.duty_done, zhao.duty_due), (1, 1));
    assert_eq!((zhao.needs_handled, zhao.needs_resolved), (2, 2));
    let set = RoleSet::default_set();
    let zh = Voice {
        lang: Lang::Zh,
        duties: &set,
    };
    let html = String::from_utf8(
        feedback::render(&ms, &q4, Format::Html, Contacts::Redacted, "", zh).unwrap(),
    )
    .unwrap();
    assert_well_formed(&html);
    assert!(html.contains("积极参加楼组活动"));
    assert!(
        !html.contains("13800009999"),
        "work-unit contact printed by default"
    );
    assert!(html.contains("（已隐去）"));
    let x = feedback::render(&ms, &q4, Format::Xlsx, Contacts::Shown, "", zh).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.xlsx");
    std::fs::write(&p, x).unwrap();
    let book = open_workbook_auto(&p).unwrap();
    assert_eq!(book.sheet_names(), vec!["目录", "孙在职", "赵在职"]);
    for l in LEAKS {
        assert!(!html.contains(l), "leaks {l}");
    }
}

#[test]
fn year_ranking_orders_buildings_by_the_chosen_figures() {
    let f = fixture();
    let y = Period::parse("2026").unwrap();
    let fig = compute(&f.store, None, &y);
    let ranked = year::rank(&fig, &[Measure::Activities]);
    assert_eq!(ranked[0].1.name, "甲楼");
    assert!((ranked[0].0 - 100.0).abs() < 1e-9);
    assert!(
        (ranked[1].0 - 100.0 / 3.0).abs() < 1e-9,
        "乙楼 held 1 of 甲楼's 3"
    );
    let html =
        String::from_utf8(year::render(&fig, &Measure::ALL, Format::Html, "").unwrap()).unwrap();
    assert_well_formed(&html);
    assert!(html.contains("sortable"));
    let only_a = compute(&f.store, Some(&f.a), &y);
    let x = year::render(&only_a, &Measure::ALL, Format::Xlsx, "").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("y.xlsx");
    std::fs::write(&p, x).unwrap();
    let mut book = open_workbook_auto(&p).unwrap();
    let r = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = r.rows().collect();
    assert_eq!(rows.len(), 4, "title, period line, header and 甲楼 only");
    assert_eq!(rows[3][1], Data::String("甲楼".into()));
    let score = rows[2].iter().position(|h| *h == "综合得分").unwrap();
    let visits = rows[2].iter().position(|h| *h == "户均走访").unwrap();
    assert!(
        matches!(rows[3][score], Data::Float(_)),
        "综合得分 is a number"
    );
    assert!(
        matches!(rows[3][visits], Data::Float(_)),
        "户均走访 is a number"
    );
    assert!(
        !html.contains("class=\"meta\">点击表头")
            && html.contains("class=\"screen small\">点击表头")
    );
}

#[test]
fn roster_import_takes_the_note_names_ignored_columns_and_reimports_unchanged() {
    use louzu::report::roster_import;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("r.db")).unwrap();
    let b = mk(&mut s, K::Building, vec![("name", json!("丙楼"))]);
    let csv = dir.path().join("名册.csv");
    std::fs::write(
        &csv,
        "室号,姓名,标签,备注,楼层长,微信\n101,钱阿姨,独居老人,子女在外地 每周电话,是,x\n102,李伯,,,,\n",
    )
    .unwrap();
    let plan = roster_import::plan_file(&s, &b, &csv).unwrap();
    assert_eq!(plan.ignored_columns, vec!["楼层长", "微信"]);
    assert!(
        plan.summary().contains("未导入的列：楼层长、微信"),
        "{}",
        plan.summary()
    );
    roster_import::apply(
        &mut s,
        plan,
        false,
        &louzu::usecase::Rules::default(),
        louzu::domain::date::today(),
    )
    .unwrap();
    let roster = s.roster(&b).unwrap();
    let qian = roster
        .residents
        .iter()
        .find(|r| r.name == "钱阿姨")
        .unwrap();
    assert_eq!(qian.note, "子女在外地 每周电话");
    // The tagged household the import created has its cadence visit, as one added by hand.
    let visits = s.visits(&b, 0).unwrap();
    assert_eq!(visits.len(), 1, "{visits:?}");
    assert_eq!(visits[0].room, "101");
    assert!(visits[0].purpose.contains("独居老人"));
    let before = s
        .journal_filtered(None, &Default::default(), 1000)
        .unwrap()
        .len();
    let again = roster_import::plan_file(&s, &b, &csv).unwrap();
    assert_eq!(
        (again.adds(), again.updates(), again.unchanged()),
        (0, 0, 2)
    );
    assert!(!again.writes_anything());
    roster_import::apply(
        &mut s,
        again,
        false,
        &louzu::usecase::Rules::default(),
        louzu::domain::date::today(),
    )
    .unwrap();
    assert_eq!(
        s.journal_filtered(None, &Default::default(), 1000)
            .unwrap()
            .len(),
        before,
        "re-import wrote nothing"
    );
}
