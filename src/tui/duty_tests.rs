//! The 六个员 and log panes: flows through `update` and the driver on the demo building,
//! and screens rendered with Chinese on ratatui's TestBackend.

use super::action::Action;
use super::app::{App, Modal, Pane};
use super::panes::duties::{DutyRow, lines};
use super::*;
use crate::domain::EntityKind as K;
use crate::store::Store;

use super::test_support::{demo, screen, typed};

/// Moves the duties cursor to the first member row.
fn to_first_member(s: &mut Store, app: &mut App) {
    dispatch(s, app, Action::Focus(Pane::Duties));
    while !matches!(
        lines(app).get(app.duties_selected),
        Some(DutyRow::Member(_))
    ) {
        dispatch(s, app, Action::Down);
    }
}

#[test]
fn the_duties_pane_shows_targets_with_warnings_and_member_gauges() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Duties));
    let text = screen(&app, 100, 40);
    for want in [
        "六个员",
        "四个无",
        "无安全隐患",
        "⚠ 楼道堆物 1 条未办结",
        "曾国华",
        "■",
        "政策宣传员",
        "全组",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // Last month: 无安全隐患 was attested as not met, with its note.
    dispatch(&mut s, &mut app, Action::PrevPeriod);
    let text = screen(&app, 100, 40);
    assert!(text.contains("✗ 未达成"), "{text}");
    assert!(text.contains("✓ 达成"), "{text}");
    assert!(
        text.contains("落后"),
        "解晓东 missed an item last month:\n{text}"
    );
}

#[test]
fn ticking_and_unticking_an_item_goes_through_the_store() {
    let (_d, mut s, mut app) = demo();
    let b = app.building.clone().unwrap();
    to_first_member(&mut s, &mut app);
    dispatch(&mut s, &mut app, Action::Open);
    assert!(app.duty.open.is_some());
    let text = screen(&app, 100, 40);
    assert!(text.contains("[ ]") || text.contains("[x]"), "{text}");
    let member = app.duty.open.clone().unwrap();
    let first = super::panes::duties::board(&app)
        .into_iter()
        .find(|m| m.member_id == member)
        .unwrap()
        .lines[0]
        .clone();
    let period = vec![first.period.clone()];
    let done_of = |s: &Store| {
        s.duty_ticks(&b, &period)
            .unwrap()
            .into_iter()
            .find(|t| t.member_id == member && t.tick.item == first.item)
            .map(|t| t.tick.done)
    };
    let was = done_of(&s).unwrap_or(false);
    dispatch(&mut s, &mut app, Action::Open);
    assert_eq!(done_of(&s), Some(!was));
    dispatch(&mut s, &mut app, Action::Open);
    assert_eq!(done_of(&s), Some(was));
    // e: a date and a note.
    dispatch(&mut s, &mut app, Action::Edit);
    assert!(matches!(app.modal, Some(Modal::Form(_))));
    dispatch(&mut s, &mut app, Action::NextField);
    typed(&mut s, &mut app, "送去宣传册");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    let rows = s.duty_ticks(&b, &period).unwrap();
    let t = rows
        .iter()
        .find(|t| t.member_id == member && t.tick.item == first.item)
        .unwrap();
    assert!(t.tick.done);
    assert_eq!(t.tick.note, "送去宣传册");
    assert!(screen(&app, 100, 40).contains("送去宣传册"));
    dispatch(&mut s, &mut app, Action::Back);
    assert!(app.duty.open.is_none());
}

#[test]
fn attesting_a_target_with_an_open_need_shows_the_warning_first() {
    let (_d, mut s, mut app) = demo();
    let b = app.building.clone().unwrap();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Duties));
    dispatch(&mut s, &mut app, Action::Down);
    dispatch(&mut s, &mut app, Action::Down);
    assert_eq!(lines(&app)[app.duties_selected], DutyRow::Target(2));
    dispatch(&mut s, &mut app, Action::Open);
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("尚未办结") && text.contains("治安消防"),
        "{text}"
    );
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none());
    let a = s.attestations(&b, &app.data.period).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].target, "无安全隐患");
    assert!(!a[0].met, "with open needs the form starts on 否");
}

#[test]
fn roles_are_given_and_taken_back_from_the_pane() {
    let (_d, mut s, mut app) = demo();
    let b = app.building.clone().unwrap();
    to_first_member(&mut s, &mut app);
    let before = s.duty_assignments(&b).unwrap().len();
    dispatch(&mut s, &mut app, Action::Add);
    assert!(matches!(app.modal, Some(Modal::Picker(_))));
    typed(&mut s, &mut app, "平安");
    dispatch(&mut s, &mut app, Action::Open);
    assert_eq!(s.duty_assignments(&b).unwrap().len(), before + 1);
    dispatch(&mut s, &mut app, Action::Add);
    typed(&mut s, &mut app, "平安");
    dispatch(&mut s, &mut app, Action::Open);
    assert_eq!(s.duty_assignments(&b).unwrap().len(), before);
}

#[test]
fn an_activity_is_recorded_edited_seen_field_by_field_deleted_and_restored() {
    let (_d, mut s, mut app) = demo();
    let b = app.building.clone().unwrap();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Log));
    dispatch(&mut s, &mut app, Action::Add);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("no activity form")
    };
    let names: Vec<&str> = f.fields.iter().map(|x| x.name).collect();
    let at = |name| names.iter().position(|x| *x == name).unwrap();
    let (place, title, present, absent) = (at("place"), at("title"), at("present"), at("absent"));
    // date is preset to today; go to place.
    for _ in 0..place {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, "小区议事亭");
    for _ in place..title {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, "垃圾分类议事会");
    for _ in title..present {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, "曾国华、单丽萍");
    for _ in present..absent {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, "解晓东（送件）");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(
        app.modal.is_none(),
        "{:?}",
        app.modal.as_ref().map(|_| &app.status)
    );
    let acts = s.records(K::Activity, Some(&b), false).unwrap();
    let a = acts
        .iter()
        .find(|a| a.text("title") == "垃圾分类议事会")
        .unwrap();
    assert_eq!(a.get("present").as_array().unwrap().len(), 2);
    assert_eq!(a.get("absent")[0]["reason"], "送件");

    // The newest entry is the new activity; edit its place from the log.
    app.log_selected = 0;
    dispatch(&mut s, &mut app, Action::Edit);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("no edit form")
    };
    assert_eq!(f.fields[at("present")].input.value, "曾国华、单丽萍");
    assert_eq!(f.fields[at("absent")].input.value, "解晓东(送件)");
    for _ in 0..place {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    for _ in 0.."小区议事亭".chars().count() {
        dispatch(&mut s, &mut app, Action::Backspace);
    }
    typed(&mut s, &mut app, "居委会会议室");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none());
    app.log_selected = 0;
    dispatch(&mut s, &mut app, Action::Open);
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("地点：小区议事亭 → 居委会会议室"),
        "field-level change:\n{text}"
    );
    dispatch(&mut s, &mut app, Action::Back);

    dispatch(&mut s, &mut app, Action::Delete);
    dispatch(&mut s, &mut app, Action::Yes);
    assert!(s.record(K::Activity, &a.id).unwrap().unwrap().deleted);
    app.log_selected = 0;
    dispatch(&mut s, &mut app, Action::Open);
    assert!(screen(&app, 120, 40).contains("该记录已删除"));
    dispatch(&mut s, &mut app, Action::Restore);
    assert!(!s.record(K::Activity, &a.id).unwrap().unwrap().deleted);
    assert!(screen(&app, 120, 40).contains("已恢复"));
}

#[test]
fn the_log_filters_by_kind_and_search_and_shows_charts() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Log));
    let text = screen(&app, 100, 40);
    assert!(text.contains("活动") && text.contains("近13周"), "{text}");
    dispatch(&mut s, &mut app, Action::FilterTag);
    typed(&mut s, &mut app, "巡楼");
    dispatch(&mut s, &mut app, Action::Open);
    assert!(!app.data.journal.is_empty());
    assert!(
        app.data
            .journal
            .iter()
            .all(|c| c.entity == Some(K::Checkin))
    );
    dispatch(&mut s, &mut app, Action::Back);
    dispatch(&mut s, &mut app, Action::Search);
    typed(&mut s, &mut app, "双结对");
    assert_eq!(app.data.journal.len(), 1, "{:?}", app.data.journal);
    assert!(screen(&app, 100, 40).contains("/ 双结对"));
    dispatch(&mut s, &mut app, Action::Back);
    assert!(app.data.journal.len() > 1);
    dispatch(&mut s, &mut app, Action::ToggleView);
    assert!(screen(&app, 100, 40).contains("为老人测血压、理发"));
}

#[test]
fn late_minutes_get_a_gentle_note() {
    let (_d, _s, app) = demo();
    let old = crate::domain::date::add_days(app.data.today, -5);
    let values = vec![(
        "date".to_string(),
        serde_json::json!(crate::domain::date::format_date(old)),
    )];
    let msg = super::panes::log::activity_saved_message(&app, &values);
    assert!(msg.contains("5 天") && msg.contains("3 天内"), "{msg}");
    let values = vec![(
        "date".to_string(),
        serde_json::json!(crate::domain::date::format_date(app.data.today)),
    )];
    assert_eq!(
        super::panes::log::activity_saved_message(&app, &values),
        "已保存"
    );
}
