//! Visits, needs and check-in workflows through the one write path.

use jiff::civil::Date;
use serde_json::json;

use super::*;
use crate::domain::EntityKind as K;
use crate::domain::cadence::Cadences;
use crate::domain::checkin::Finding;

fn d(s: &str) -> Date {
    crate::domain::date::parse_date(s).unwrap()
}

fn setup() -> (tempfile::TempDir, Store, String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("v.db")).unwrap();
    let b = s
        .create(K::Building, vec![("name", json!("7号楼"))])
        .unwrap();
    let h = s
        .create(
            K::Household,
            vec![
                ("building_id", json!(b)),
                ("room", json!("301")),
                ("tags", json!(["独居老人"])),
            ],
        )
        .unwrap();
    let m = s
        .create(
            K::Member,
            vec![
                ("building_id", json!(b)),
                ("name", json!("曾国华")),
                ("category", json!("离退休党员")),
            ],
        )
        .unwrap();
    (dir, s, b, h, m)
}

fn done(
    date: &str,
    m: &str,
    needs: Vec<NewNeed>,
    handling: Option<&str>,
    next: Option<&str>,
) -> Completion {
    Completion {
        outcome: Outcome::Done,
        date: d(date),
        visitors: vec![m.to_string()],
        situation: "身体还好，冬天取暖有困难".into(),
        handling: handling.map(str::to_string),
        needs,
        follow_up: next.map(d),
    }
}

#[test]
fn a_tagged_household_gets_a_visit_planned_and_completing_it_plans_the_next() {
    let (_d, mut s, b, h, m) = setup();
    let cad = Cadences::default();
    let v = s
        .ensure_next_visit(&h, &cad, d("2026-11-26"))
        .unwrap()
        .unwrap();
    assert_eq!(
        s.ensure_next_visit(&h, &cad, d("2026-11-26")).unwrap(),
        None,
        "one is enough"
    );
    let c = s.counts(&b, d("2026-11-28")).unwrap();
    assert_eq!((c.overdue, c.due_today), (1, 0));

    let need = NewNeed {
        category: "设施维修".into(),
        description: "楼道灯坏".into(),
    };
    s.complete_visit(
        &v,
        &done(
            "2026-11-28",
            &m,
            vec![need],
            Some("物业"),
            Some("2026-12-05"),
        ),
    )
    .unwrap();
    let visit = s.record(K::Visit, &v).unwrap().unwrap();
    assert_eq!(visit.text("status"), "done");
    assert_eq!(visit.get("visitors"), &json!([m]));
    let needs = s.needs(&b, 10).unwrap();
    assert_eq!(needs.len(), 1);
    assert_eq!(
        (needs[0].status.as_str(), needs[0].escalated_to.as_str()),
        ("escalated", "物业")
    );
    let planned = s.visits(&b, 0).unwrap();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].due, "2026-12-05");
    let c = s.counts(&b, d("2026-11-28")).unwrap();
    assert_eq!((c.overdue, c.due_today, c.open_needs), (0, 0, 1));
    // The visit, its need and the next visit are one journal entry, undone together.
    s.undo().unwrap();
    assert_eq!(s.needs(&b, 10).unwrap().len(), 0);
    assert_eq!(
        s.record(K::Visit, &v).unwrap().unwrap().text("status"),
        "planned"
    );
}

#[test]
fn a_missed_visit_keeps_its_reason_and_untagged_households_get_no_cadence() {
    let (_d, mut s, b, _h, m) = setup();
    let plain = s
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("302"))],
        )
        .unwrap();
    assert_eq!(
        s.ensure_next_visit(&plain, &Cadences::default(), d("2026-11-26"))
            .unwrap(),
        None
    );
    let v = s
        .create(
            K::Visit,
            vec![
                ("building_id", json!(b)),
                ("household_id", json!(plain)),
                ("due", json!("2026-11-20")),
                ("status", json!("planned")),
            ],
        )
        .unwrap();
    let mut c = done("2026-11-26", &m, vec![], None, None);
    c.outcome = Outcome::Missed("家中无人".into());
    s.complete_visit(&v, &c).unwrap();
    let r = s.record(K::Visit, &v).unwrap().unwrap();
    assert_eq!((r.text("status"), r.text("reason")), ("missed", "家中无人"));
    assert!(
        s.visits(&b, 0).unwrap().is_empty(),
        "no follow-up asked, none planned"
    );
}

#[test]
fn need_status_rules_hold_in_the_store() {
    let (_d, mut s, b, h, _m) = setup();
    let n = s
        .create(
            K::Need,
            vec![
                ("building_id", json!(b)),
                ("household_id", json!(h)),
                ("category", json!("帮困")),
                ("description", json!("申请助餐")),
                ("status", json!("open")),
                ("raised_on", json!("2026-11-01")),
            ],
        )
        .unwrap();
    let err = s
        .update_need(&n, vec![("status", json!("fed_back"))])
        .unwrap_err();
    assert!(err.to_string().contains("反馈结果"), "{err}");
    assert_eq!(
        s.record(K::Need, &n).unwrap().unwrap().text("status"),
        "open",
        "nothing written"
    );
    let err = s
        .update_need(&n, vec![("status", json!("escalated"))])
        .unwrap_err();
    assert!(err.to_string().contains("转交给谁"), "{err}");
    s.update_need(
        &n,
        vec![
            ("status", json!("resolved")),
            ("measures", json!("联系街道助餐点")),
        ],
    )
    .unwrap();
    assert!(
        !s.record(K::Need, &n)
            .unwrap()
            .unwrap()
            .text("closed_on")
            .is_empty()
    );
    s.update_need(
        &n,
        vec![
            ("status", json!("fed_back")),
            ("feedback", json!("已告知老人下周一开始送餐")),
        ],
    )
    .unwrap();
    assert_eq!(s.counts(&b, d("2026-11-26")).unwrap().open_needs, 0);
}

#[test]
fn a_second_check_in_the_same_day_edits_the_first_and_problems_open_needs() {
    let (_d, mut s, b, _h, _m) = setup();
    let day = d("2026-11-26");
    assert!(!s.counts(&b, day).unwrap().checkin_done);
    let first = vec![
        ("照明".to_string(), Finding::Ok),
        ("楼道堆物".to_string(), Finding::Problem("三楼纸箱".into())),
    ];
    let a = s
        .record_checkin(&b, day, &first, "", &["楼道堆物".to_string()])
        .unwrap();
    let second = vec![
        ("照明".to_string(), Finding::Problem("五楼灯坏".into())),
        ("楼道堆物".to_string(), Finding::Ok),
    ];
    let b2 = s
        .record_checkin(&b, day, &second, "已联系物业", &[])
        .unwrap();
    assert_eq!(a, b2);
    let r = s.checkin_on(&b, day).unwrap().unwrap();
    assert_eq!(r.get("items")["照明"], "problem:五楼灯坏");
    assert_eq!(r.text("note"), "已联系物业");
    assert!(s.counts(&b, day).unwrap().checkin_done);
    let needs = s.needs(&b, 10).unwrap();
    assert_eq!(needs.len(), 1);
    assert_eq!(
        (needs[0].category.as_str(), needs[0].description.as_str()),
        ("楼道堆物", "楼道堆物：三楼纸箱")
    );
}
