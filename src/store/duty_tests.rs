//! Duty ticks, 四个无 and the journal through the real write path.

use serde_json::json;

use super::*;
use crate::domain::EntityKind as K;
use crate::domain::date::parse_date;
use crate::domain::duty::{self, EventKind, Month, RoleSet, TickKey, tick_id};

fn building() -> (tempfile::TempDir, Store, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.set_owner_name("王组长").unwrap();
    let b = s
        .create(K::Building, vec![("name", json!("新成路56弄7号"))])
        .unwrap();
    let m = s
        .create(
            K::Member,
            vec![
                ("building_id", json!(b)),
                ("name", json!("单丽萍")),
                ("category", json!("在职党员")),
            ],
        )
        .unwrap();
    (dir, s, b, m)
}

fn tick(s: &mut Store, b: &str, m: &str, item: &str, done: bool, on: &str, note: &str) {
    s.commit(Change {
        action: Action::Create,
        edits: TickKey {
            building: b,
            member: m,
            role: "民情信息员",
            item,
            period: "2026-11",
        }
        .edits(done, Some(parse_date(on).unwrap()), note),
        label: item.into(),
        undoes: None,
    })
    .unwrap();
}

#[test]
fn ticks_go_through_the_write_path_and_converge_on_one_record() {
    let (_d, mut s, b, m) = building();
    let item = "走访联系户并记录诉求";
    tick(&mut s, &b, &m, item, true, "2026-11-03", "");
    // Unticking and ticking again (as a second device would) keep one record.
    tick(&mut s, &b, &m, item, false, "2026-11-04", "");
    tick(&mut s, &b, &m, item, true, "2026-11-05", "送了材料");
    let rows = s.duty_ticks(&b, &["2026-11".into()]).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, tick_id(&b, &m, "民情信息员", item, "2026-11"));
    assert!(rows[0].tick.done);
    assert_eq!(rows[0].tick.on_date, "2026-11-05");
    assert_eq!(rows[0].tick.note, "送了材料");
    let ops: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM ops WHERE entity = 'duty_tick' AND field = 'done'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ops, 3, "every tick and untick is an op");
    assert!(s.duty_ticks(&b, &["2026-12".into()]).unwrap().is_empty());
}

#[test]
fn changing_the_set_keeps_past_ticks() {
    let (_d, mut s, b, m) = building();
    tick(&mut s, &b, &m, "旧事项：收集意见", true, "2026-10-03", "");
    let new_set =
        RoleSet::parse("[[roles]]\nname = \"民情信息员\"\nitems = [\"新事项\"]\n").unwrap();
    let rows = s
        .duty_ticks(&b, &new_set.periods(Month::new(2026, 11)))
        .unwrap();
    let ticks: Vec<_> = rows.into_iter().map(|r| r.tick).collect();
    let lines = duty::checklist(&new_set, Month::new(2026, 11), &["民情信息员"], &ticks);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].retired && lines[1].done && lines[1].item == "旧事项：收集意见");
}

#[test]
fn an_open_safety_need_warns_before_attesting_no_hazards() {
    let (_d, mut s, b, _) = building();
    let set = RoleSet::default_set();
    assert!(duty::target_risks(&set, &s.open_needs_by_category(&b).unwrap()).is_empty());
    let need = s
        .create(
            K::Need,
            vec![
                ("building_id", json!(b)),
                ("category", json!("治安消防")),
                ("description", json!("一楼门厅飞线充电")),
                ("status", json!("open")),
                ("raised_on", json!("2026-11-20")),
            ],
        )
        .unwrap();
    let risks = duty::target_risks(&set, &s.open_needs_by_category(&b).unwrap());
    let names: Vec<&str> = risks.iter().map(|(t, _)| *t).collect();
    assert_eq!(names, ["无治安刑事案件", "无安全隐患"]);
    assert_eq!(risks[0].1, vec![("治安消防".to_string(), 1)]);
    s.update(K::Need, &need, vec![("status", json!("resolved"))])
        .unwrap();
    assert!(duty::target_risks(&set, &s.open_needs_by_category(&b).unwrap()).is_empty());
}

#[test]
fn auto_tick_change_ticks_the_visitor_holding_the_role() {
    let (_d, mut s, b, m) = building();
    let set = RoleSet::default_set();
    s.commit(Change {
        action: Action::Create,
        edits: vec![
            Edit::new(
                K::DutyAssignment,
                &duty::assignment_id(&b, &m, "民情信息员"),
                "deleted",
                false,
            ),
            Edit::new(
                K::DutyAssignment,
                &duty::assignment_id(&b, &m, "民情信息员"),
                "building_id",
                b.as_str(),
            ),
            Edit::new(
                K::DutyAssignment,
                &duty::assignment_id(&b, &m, "民情信息员"),
                "member_id",
                m.as_str(),
            ),
            Edit::new(
                K::DutyAssignment,
                &duty::assignment_id(&b, &m, "民情信息员"),
                "role",
                "民情信息员",
            ),
        ],
        label: "民情信息员".into(),
        undoes: None,
    })
    .unwrap();
    let day = parse_date("2026-11-20").unwrap();
    let change = s
        .auto_tick_change(
            &set,
            EventKind::VisitDone,
            &b,
            std::slice::from_ref(&m),
            day,
            None,
        )
        .unwrap()
        .expect("a tick is earned");
    s.commit(change).unwrap();
    let rows = s.duty_ticks(&b, &["2026-11".into()]).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].tick.item, "走访联系户并记录诉求");
    assert!(
        s.auto_tick_change(&set, EventKind::VisitDone, &b, &[m], day, None)
            .unwrap()
            .is_none(),
        "already done: nothing new"
    );
}

#[test]
fn the_log_shows_an_edit_field_by_field_and_filters_by_kind_and_text() {
    let (_d, mut s, b, _) = building();
    let a = s
        .create(
            K::Activity,
            vec![
                ("building_id", json!(b)),
                ("date", json!("2026-11-20")),
                ("kind", json!("议事")),
                ("title", json!("电瓶车充电议事会")),
                ("place", json!("小区议事亭")),
            ],
        )
        .unwrap();
    s.update(
        K::Activity,
        &a,
        vec![
            ("place", json!("居委会会议室")),
            ("decisions", json!("加装充电桩")),
        ],
    )
    .unwrap();
    let all = s
        .journal_filtered(Some(&b), &JournalFilter::default(), 50)
        .unwrap();
    assert_eq!(all[0].action, "edit", "newest first");
    let detail = s.journal_entry(&all[0].id).unwrap().unwrap();
    let place = detail.changes.iter().find(|c| c.field == "place").unwrap();
    assert_eq!(place.old, Some(json!("小区议事亭")));
    assert_eq!(place.new, json!("居委会会议室"));
    let decisions = detail
        .changes
        .iter()
        .find(|c| c.field == "decisions")
        .unwrap();
    assert_eq!(decisions.old, None, "a field set for the first time");
    assert_eq!(detail.changes.len(), 2, "unchanged fields are not listed");

    let only = |kind| JournalFilter {
        kind: Some(kind),
        ..JournalFilter::default()
    };
    let acts = s
        .journal_filtered(Some(&b), &only(LogKind::Activity), 50)
        .unwrap();
    assert_eq!(acts.len(), 2);
    assert!(
        s.journal_filtered(Some(&b), &only(LogKind::Need), 50)
            .unwrap()
            .is_empty()
    );
    let roster = s
        .journal_filtered(Some(&b), &only(LogKind::Roster), 50)
        .unwrap();
    assert_eq!(roster.len(), 2, "the building and the member");

    s.delete(K::Activity, &a).unwrap();
    let dels = s
        .journal_filtered(Some(&b), &only(LogKind::Deletion), 50)
        .unwrap();
    assert_eq!(dels.len(), 1);
    assert!(s.journal_entry(&dels[0].id).unwrap().unwrap().deleted_now);
    let found = s
        .journal_filtered(
            Some(&b),
            &JournalFilter {
                text: "充电".into(),
                ..JournalFilter::default()
            },
            50,
        )
        .unwrap();
    assert_eq!(found.len(), 3);
    let today = parse_date("2026-11-26").unwrap();
    let (acts, visits) = s.weekly_counts(&b, today, 13).unwrap();
    assert_eq!(
        (acts.iter().sum::<u64>(), visits.iter().sum::<u64>()),
        (0, 0),
        "deleted"
    );
    let past = JournalFilter {
        until: Some(parse_date("2000-01-01").unwrap()),
        ..JournalFilter::default()
    };
    assert!(s.journal_filtered(Some(&b), &past, 50).unwrap().is_empty());
}
