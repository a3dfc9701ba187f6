//! Each user action is one change: what the rules derive rides in it, and one undo takes
//! all of it back. Check-ins never lose a recorded finding.

use jiff::civil::Date;
use serde_json::{Value, json};

use super::*;
use crate::domain::EntityKind as K;
use crate::domain::checkin::Finding;
use crate::domain::visit::{Completion, NewNeed, Outcome};

fn d(s: &str) -> Date {
    crate::domain::date::parse_date(s).unwrap()
}

fn fields(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

pub(super) struct World {
    pub(super) _dir: tempfile::TempDir,
    pub(super) s: Store,
    pub(super) rules: Rules,
    pub(super) b: String,
    pub(super) m: String,
}

/// A building with one member (the device owner, 曾国华, holding 民情信息员 and
/// 平安守护员 so visits and check-ins earn ticks).
pub(super) fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("u.db")).unwrap();
    s.set_owner_name("曾国华").unwrap();
    let rules = Rules::default();
    let t = d("2026-11-26");
    let b = record::create(
        &mut s,
        &rules,
        t,
        K::Building,
        fields(&[("name", json!("7号楼"))]),
    )
    .unwrap()
    .record
    .unwrap();
    let m = record::create(
        &mut s,
        &rules,
        t,
        K::Member,
        fields(&[
            ("building_id", json!(b)),
            ("name", json!("曾国华")),
            ("category", json!("离退休党员")),
        ]),
    )
    .unwrap()
    .record
    .unwrap();
    for role in rules.duties.roles.iter().map(|r| r.name.clone()) {
        duty::toggle_role(&mut s, &b, &m, &role, false).unwrap();
    }
    World {
        _dir: dir,
        s,
        rules,
        b,
        m,
    }
}

fn household(w: &mut World, room: &str, tags: Value) -> Done {
    record::create(
        &mut w.s,
        &w.rules,
        d("2026-11-26"),
        K::Household,
        fields(&[
            ("building_id", json!(w.b)),
            ("room", json!(room)),
            ("tags", tags),
        ]),
    )
    .unwrap()
}

fn journal_len(s: &Store) -> i64 {
    s.conn()
        .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
        .unwrap()
}

fn completion(
    m: &str,
    needs: Vec<NewNeed>,
    handling: Option<&str>,
    next: Option<&str>,
) -> Completion {
    Completion {
        outcome: Outcome::Done,
        date: d("2026-11-28"),
        visitors: vec![m.to_string()],
        situation: "身体还好，冬天取暖有困难".into(),
        handling: handling.map(str::to_string),
        needs,
        follow_up: next.map(d),
    }
}

#[test]
fn a_tagged_household_and_its_planned_visit_are_one_change_and_one_undo() {
    let mut w = world();
    let before = w.s.live_dump();
    let changes = journal_len(&w.s);
    let done = household(&mut w, "605", json!(["独居老人"]));
    assert!(done.derived.planned_visit);
    assert_eq!(journal_len(&w.s), changes + 1, "one journal entry");
    let visits = w.s.visits(&w.b, 0).unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].due, "2026-11-26", "due at once: never visited");
    let u = undo::undo(&mut w.s).unwrap().unwrap();
    assert_eq!(
        undo::describe(&u, crate::i18n::Lang::Zh),
        "已撤销：新增住户 605（及其走访计划）"
    );
    assert!(
        w.s.visits(&w.b, 0).unwrap().is_empty(),
        "the visit went too"
    );
    assert!(w.s.roster(&w.b).unwrap().households.is_empty());
    assert_eq!(w.s.live_dump(), before);
}

#[test]
fn an_untagged_household_plans_nothing_and_a_new_tag_plans_a_visit_in_the_same_edit() {
    let mut w = world();
    let h = household(&mut w, "302", json!([])).record.unwrap();
    assert!(w.s.visits(&w.b, 0).unwrap().is_empty());
    let changes = journal_len(&w.s);
    let done = record::edit(
        &mut w.s,
        &w.rules,
        d("2026-11-27"),
        K::Household,
        &h,
        fields(&[("tags", json!(["高龄"]))]),
    )
    .unwrap();
    assert!(done.derived.planned_visit);
    assert_eq!(journal_len(&w.s), changes + 1);
    assert_eq!(w.s.visits(&w.b, 0).unwrap().len(), 1);
    undo::undo(&mut w.s).unwrap().unwrap();
    assert!(w.s.visits(&w.b, 0).unwrap().is_empty());
    let r = w.s.record(K::Household, &h).unwrap().unwrap();
    assert_eq!(r.get("tags"), &json!([]));
}

#[test]
fn completing_a_visit_writes_needs_next_visit_and_auto_ticks_in_one_change() {
    let mut w = world();
    household(&mut w, "301", json!(["独居老人"]));
    let v = w.s.visits(&w.b, 0).unwrap()[0].id.clone();
    let before = w.s.live_dump();
    let changes = journal_len(&w.s);
    let need = NewNeed {
        category: "设施维修".into(),
        description: "楼道灯坏".into(),
    };
    let done = visit::complete(
        &mut w.s,
        &w.rules,
        d("2026-11-28"),
        &v,
        &completion(&w.m, vec![need], Some("物业"), Some("2026-12-05")),
    )
    .unwrap();
    assert_eq!(journal_len(&w.s), changes + 1, "one journal entry");
    assert_eq!(done.derived.needs, 1);
    assert!(done.derived.planned_visit);
    assert!(!done.derived.ticks.is_empty(), "民情信息员 earns a tick");
    let needs = w.s.needs(&w.b, 10).unwrap();
    assert_eq!(
        (needs[0].status.as_str(), needs[0].escalated_to.as_str()),
        ("escalated", "物业")
    );
    let planned: Vec<_> =
        w.s.visits(&w.b, 0)
            .unwrap()
            .into_iter()
            .filter(|x| x.status == "planned")
            .collect();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].due, "2026-12-05");
    let u = undo::undo(&mut w.s).unwrap().unwrap();
    let text = undo::describe(&u, crate::i18n::Lang::Zh);
    assert!(
        text.contains("诉求") && text.contains("走访计划") && text.contains("六个员"),
        "{text}"
    );
    assert_eq!(w.s.live_dump(), before, "one undo takes all of it back");
}

#[test]
fn without_a_follow_up_date_the_cadence_plans_the_next_visit() {
    let mut w = world();
    household(&mut w, "301", json!(["独居老人"]));
    let v = w.s.visits(&w.b, 0).unwrap()[0].id.clone();
    visit::complete(
        &mut w.s,
        &w.rules,
        d("2026-11-28"),
        &v,
        &completion(&w.m, vec![], None, None),
    )
    .unwrap();
    let planned: Vec<_> =
        w.s.visits(&w.b, 0)
            .unwrap()
            .into_iter()
            .filter(|x| x.status == "planned")
            .collect();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].due, "2026-12-05", "weekly from the visit");
}

#[test]
fn a_missed_visit_keeps_its_reason_and_an_untagged_household_gets_no_cadence() {
    let mut w = world();
    let h = household(&mut w, "302", json!([])).record.unwrap();
    let v = record::create(
        &mut w.s,
        &w.rules,
        d("2026-11-20"),
        K::Visit,
        fields(&[
            ("building_id", json!(w.b)),
            ("household_id", json!(h)),
            ("due", json!("2026-11-20")),
            ("status", json!("planned")),
        ]),
    )
    .unwrap()
    .record
    .unwrap();
    let mut c = completion(&w.m, vec![], None, None);
    c.outcome = Outcome::Missed("家中无人".into());
    let done = visit::complete(&mut w.s, &w.rules, d("2026-11-26"), &v, &c).unwrap();
    assert!(
        done.derived.ticks.is_empty(),
        "a missed visit earns nothing"
    );
    let r = w.s.record(K::Visit, &v).unwrap().unwrap();
    assert_eq!((r.text("status"), r.text("reason")), ("missed", "家中无人"));
    assert!(
        w.s.visits(&w.b, 0)
            .unwrap()
            .iter()
            .all(|x| x.status != "planned"),
        "no follow-up asked, no cadence: none planned"
    );
}

#[test]
fn need_status_rules_hold_and_closing_dates_the_need() {
    let mut w = world();
    let t = d("2026-11-26");
    let n = record::create(
        &mut w.s,
        &w.rules,
        t,
        K::Need,
        fields(&[
            ("building_id", json!(w.b)),
            ("category", json!("帮困")),
            ("description", json!("申请助餐")),
            ("status", json!("open")),
            ("raised_on", json!("2026-11-01")),
        ]),
    )
    .unwrap()
    .record
    .unwrap();
    let edit = |w: &mut World, f: &[(&str, Value)]| {
        record::edit(&mut w.s, &w.rules, t, K::Need, &n, fields(f))
    };
    let err = edit(&mut w, &[("status", json!("fed_back"))]).unwrap_err();
    assert!(err.to_string().contains("反馈结果"), "{err}");
    let err = edit(&mut w, &[("status", json!("escalated"))]).unwrap_err();
    assert!(err.to_string().contains("转交给谁"), "{err}");
    assert_eq!(
        w.s.record(K::Need, &n).unwrap().unwrap().text("status"),
        "open",
        "nothing written"
    );
    edit(&mut w, &[("status", json!("resolved"))]).unwrap();
    assert_eq!(
        w.s.record(K::Need, &n).unwrap().unwrap().text("closed_on"),
        "2026-11-26"
    );
    edit(
        &mut w,
        &[
            ("status", json!("fed_back")),
            ("feedback", json!("已告知老人下周一开始送餐")),
        ],
    )
    .unwrap();
    assert_eq!(w.s.counts(&w.b, t).unwrap().open_needs, 0);
    let same = edit(&mut w, &[("status", json!("fed_back"))]).unwrap();
    assert_eq!(same.change, None, "nothing differs: nothing written");
}

fn entry(findings: &[(&str, Finding)], note: &str, needs: &[&str]) -> checkin::Entry {
    checkin::Entry {
        findings: findings
            .iter()
            .map(|(i, f)| (i.to_string(), f.clone()))
            .collect(),
        note: note.into(),
        open_needs: needs.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn a_check_in_with_a_need_and_its_tick_is_one_change_and_one_undo() {
    let mut w = world();
    let day = d("2026-11-26");
    let before = w.s.live_dump();
    let changes = journal_len(&w.s);
    let done = checkin::record(
        &mut w.s,
        &w.rules,
        &w.b,
        day,
        &entry(
            &[
                ("楼道堆物", Finding::Problem("三楼纸箱".into())),
                ("照明", Finding::Ok),
            ],
            "",
            &["楼道堆物"],
        ),
    )
    .unwrap();
    assert_eq!(journal_len(&w.s), changes + 1);
    assert_eq!(done.derived.needs, 1);
    let needs = w.s.needs(&w.b, 10).unwrap();
    assert_eq!(needs[0].description, "楼道堆物：三楼纸箱");
    let r = w.s.checkin_on(&w.b, day).unwrap().unwrap();
    assert_eq!(r.get("needs")["楼道堆物"], json!(needs[0].id), "linked");
    undo::undo(&mut w.s).unwrap().unwrap();
    assert_eq!(w.s.live_dump(), before);
}

#[test]
fn re_saving_a_check_in_keeps_problems_on_items_no_longer_configured() {
    let mut w = world();
    let day = d("2026-11-26");
    // Recorded under an item the config has since renamed.
    checkin::record(
        &mut w.s,
        &w.rules,
        &w.b,
        day,
        &entry(
            &[("飞线充电", Finding::Problem("二楼拉线".into()))],
            "",
            &[],
        ),
    )
    .unwrap();
    let configured: Vec<String> = ["电瓶车/飞线充电", "照明"].map(String::from).to_vec();
    let earlier = w.s.checkin_on(&w.b, day).unwrap();
    let lines = checkin::lines(&configured, earlier.as_ref());
    let extra = lines.iter().find(|l| l.name == "飞线充电").unwrap();
    assert!(extra.extra, "shown as an extra line");
    assert_eq!(extra.finding, Some(Finding::Problem("二楼拉线".into())));
    // The leader saves the configured items only: the old finding stays.
    checkin::record(
        &mut w.s,
        &w.rules,
        &w.b,
        day,
        &entry(
            &[("电瓶车/飞线充电", Finding::Ok), ("照明", Finding::Ok)],
            "",
            &[],
        ),
    )
    .unwrap();
    let r = w.s.checkin_on(&w.b, day).unwrap().unwrap();
    assert_eq!(r.get("items")["飞线充电"], "problem:二楼拉线");
    assert_eq!(r.get("items")["照明"], "ok");
}

#[test]
fn saving_the_same_check_in_again_changes_nothing_and_opens_no_second_need() {
    let mut w = world();
    let day = d("2026-11-26");
    let e = entry(
        &[("楼道堆物", Finding::Problem("三楼纸箱".into()))],
        "已联系物业",
        &["楼道堆物"],
    );
    checkin::record(&mut w.s, &w.rules, &w.b, day, &e).unwrap();
    let again = checkin::record(&mut w.s, &w.rules, &w.b, day, &e).unwrap();
    assert_eq!(again.change, None, "nothing differs: nothing written");
    assert_eq!(w.s.needs(&w.b, 10).unwrap().len(), 1, "no duplicate need");
    let r = w.s.checkin_on(&w.b, day).unwrap().unwrap();
    assert_eq!(r.get("items")["楼道堆物"], "problem:三楼纸箱");
    assert_eq!(r.text("note"), "已联系物业");
}

#[test]
fn undo_describes_what_it_took_back_in_both_languages() {
    let mut w = world();
    household(&mut w, "605", json!(["独居老人"]));
    let u = undo::undo(&mut w.s).unwrap().unwrap();
    assert_eq!(
        undo::describe(&u, crate::i18n::Lang::En),
        "Undone: added household 605 (and its planned visit)"
    );
}
