//! The visits pane, needs and check-in as a leader uses them, on the demo building.

use super::action::Action;
use super::app::{Modal, Pane};
use super::*;

use super::test_support::{demo, screen, typed};

#[test]
fn overdue_visits_come_first_and_the_header_counts_them() {
    let (_d, _s, mut app) = demo();
    update::update(&mut app, Action::Focus(Pane::Visits));
    let c = app.data.counts;
    assert!(c.overdue >= 1 && c.due_today >= 1, "{c:?}");
    let rows = panes::visits::visible(&app);
    let first = panes::visits::section(&app, rows[0]).0;
    assert_eq!(first, panes::visits::Section::Overdue);
    let text = screen(&app, 140, 40);
    assert!(text.contains(&format!("逾期 {}", c.overdue)), "{text}");
    assert!(
        text.contains("— 逾期") && text.contains("— 今天到期"),
        "{text}"
    );
    assert!(text.contains("今日未巡楼") || text.contains("今日已巡楼"));
}

#[test]
fn completing_an_overdue_visit_raising_a_need_takes_a_few_keys() {
    let (_d, mut s, mut app) = demo();
    let before = app.data.counts;
    dispatch(&mut s, &mut app, Action::Focus(Pane::Visits));
    dispatch(&mut s, &mut app, Action::Open);
    assert!(matches!(&app.modal, Some(Modal::Form(f)) if f.title.contains("完成走访")));
    // outcome, date, who went: defaults; then the situation and one need.
    for _ in 0..3 {
        dispatch(&mut s, &mut app, Action::Open);
    }
    typed(&mut s, &mut app, "老人说楼道灯坏了");
    dispatch(&mut s, &mut app, Action::Open);
    typed(&mut s, &mut app, "设施维修:五楼楼道灯坏");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "saved: {:?}", app.status);
    let after = app.data.counts;
    assert_eq!(after.overdue, before.overdue - 1);
    assert_eq!(after.open_needs, before.open_needs + 1);
    assert!(
        app.data
            .needs
            .iter()
            .any(|n| n.description == "五楼楼道灯坏" && n.category == "设施维修")
    );
    assert!(screen(&app, 140, 40).contains("走访已记录"));
}

#[test]
fn a_missed_visit_without_a_reason_keeps_the_form_and_what_was_typed() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Visits));
    dispatch(&mut s, &mut app, Action::Open);
    dispatch(&mut s, &mut app, Action::Right);
    for _ in 0..3 {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, "敲门无人应");
    dispatch(&mut s, &mut app, Action::Save);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("form closed")
    };
    assert_eq!(f.fields[f.focus].name, "reason");
    assert!(f.fields.iter().any(|x| x.input.value == "敲门无人应"));
    typed(&mut s, &mut app, "家中无人");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none());
}

#[test]
fn check_in_with_a_problem_opens_a_need_and_marks_the_header() {
    let (_d, mut s, mut app) = demo();
    let before = app.data.counts.open_needs;
    dispatch(&mut s, &mut app, Action::Checkin);
    assert!(matches!(app.modal, Some(Modal::Checkin(_))));
    assert!(screen(&app, 140, 40).contains("今天要走访"));
    typed(&mut s, &mut app, "三楼纸箱堆放");
    dispatch(&mut s, &mut app, Action::ToggleNeed);
    dispatch(&mut s, &mut app, Action::Down);
    dispatch(&mut s, &mut app, Action::Right);
    dispatch(&mut s, &mut app, Action::Left);
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    assert!(app.data.counts.checkin_done);
    assert_eq!(app.data.counts.open_needs, before + 1);
    assert!(screen(&app, 140, 40).contains("今日已巡楼"));
    // Opening it again shows what was recorded: a second check-in edits the first.
    dispatch(&mut s, &mut app, Action::Checkin);
    let Some(Modal::Checkin(c)) = &app.modal else {
        panic!()
    };
    assert!(c.items[0].problem && c.items[0].note.value == "三楼纸箱堆放");
    assert!(!c.items[1].problem);
}

#[test]
fn needs_view_advances_status_and_refuses_fed_back_without_feedback() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Visits));
    dispatch(&mut s, &mut app, Action::ToggleNeeds);
    let text = screen(&app, 140, 40);
    assert!(text.contains("民情诉求"), "{text}");
    let first = app.data.needs[0].clone();
    dispatch(&mut s, &mut app, Action::Advance);
    let now = app.data.needs.iter().find(|n| n.id == first.id).unwrap();
    assert_ne!(now.status, first.status);
    // Push one to resolved, then fed back without a note is refused.
    for _ in 0..3 {
        dispatch(&mut s, &mut app, Action::Advance);
    }
    let st = app.status.clone().map(|x| x.0).unwrap_or_default();
    assert!(
        st.contains("反馈结果") || app.data.needs.iter().any(|n| n.status == "fed_back"),
        "{st}"
    );
}

#[test]
fn completing_a_visit_ticks_the_visitors_民情信息员_item() {
    let (_d, mut s, mut app) = demo();
    let b = app.building.clone().unwrap();
    let zeng = app.data.member_id("曾国华").unwrap().to_string();
    let item = "走访联系户并记录诉求";
    // Start from an unticked item, so the tick is the visit's doing.
    let month = crate::domain::duty::Month::of(app.data.today);
    let periods = app.duty.set.periods(month);
    for t in s.duty_ticks(&b, &periods).unwrap() {
        if t.member_id == zeng && t.tick.item == item && t.tick.done {
            s.delete(crate::domain::EntityKind::DutyTick, &t.id)
                .unwrap();
        }
    }
    dispatch(&mut s, &mut app, Action::Focus(Pane::Visits));
    app.visits.member = Some(zeng.clone());
    dispatch(&mut s, &mut app, Action::Open);
    assert!(
        matches!(&app.modal, Some(Modal::Form(_))),
        "{:?}",
        app.status
    );
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    let ticked = s
        .duty_ticks(&b, &periods)
        .unwrap()
        .into_iter()
        .any(|t| t.member_id == zeng && t.tick.item == item && t.tick.done);
    assert!(ticked, "the visit ticked 民情信息员's item");
}

#[test]
fn report_dialog_writes_the_file_and_says_where() {
    let (d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Report);
    assert!(matches!(&app.modal, Some(Modal::Form(f)) if f.title.contains("生成报表")));
    let out = d.path().join("台账.html");
    // Format: html; then the output file on the last field.
    dispatch(&mut s, &mut app, Action::NextField);
    dispatch(&mut s, &mut app, Action::NextField);
    dispatch(&mut s, &mut app, Action::Right);
    for _ in 0..3 {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, out.to_str().unwrap());
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("新成路 56 弄 7 号楼"));
    assert!(screen(&app, 140, 40).contains("已写入"));
}

#[test]
fn roster_import_is_previewed_then_applied() {
    let (d, mut s, mut app) = demo();
    let before = app.data.roster.as_ref().unwrap().households.len();
    let csv = d.path().join("名册.csv");
    std::fs::write(
        &csv,
        "室号,姓名,性别,出生年份\n701,赵一,男,1950\n701,钱二,女,1952\n702,孙三,男,1980\n",
    )
    .unwrap();
    dispatch(&mut s, &mut app, Action::RosterImport);
    typed(&mut s, &mut app, csv.to_str().unwrap());
    dispatch(&mut s, &mut app, Action::Save);
    let Some(Modal::Confirm(c)) = &app.modal else {
        panic!("no preview: {:?}", app.status)
    };
    assert!(
        c.question.contains("新增居民 3 人（新建住户 2 户）"),
        "{}",
        c.question
    );
    assert_eq!(
        app.data.roster.as_ref().unwrap().households.len(),
        before,
        "nothing written yet"
    );
    // The file changes after the preview: the confirmation applies what was previewed
    // (the plan is kept, not made again from the file).
    std::fs::write(&csv, "室号,姓名\n901,周五\n").unwrap();
    dispatch(&mut s, &mut app, Action::Yes);
    let households = &app.data.roster.as_ref().unwrap().households;
    assert_eq!(households.len(), before + 2);
    assert!(!households.iter().any(|h| h.room == "901"));
    assert!(screen(&app, 140, 40).contains("名册已导入"));
    // A broken file is refused with the row and nothing is written.
    std::fs::write(&csv, "室号,姓名\n三楼,李四\n").unwrap();
    dispatch(&mut s, &mut app, Action::RosterImport);
    typed(&mut s, &mut app, csv.to_str().unwrap());
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none());
    let st = app.status.clone().map(|x| x.0).unwrap_or_default();
    assert!(st.contains("未写入") && st.contains("室号"), "{st}");
}
