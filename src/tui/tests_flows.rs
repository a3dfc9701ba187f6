//! The everyday flows as the leader meets them: typed text is never thrown away without
//! a question, setup cannot be escaped into a dead screen, cursors follow records, and a
//! check-in item that opened a need opens it again. The first tests are pure: `update`
//! only, no database — state in, effects out.

use serde_json::json;

use super::action::Action;
use super::app::{App, Modal, Pane};
use super::data::Data;
use super::dialogs::form::{Form, Purpose};
use super::effect::Effect;
use super::test_support::{demo, screen};
use super::update::update;
use super::{dispatch, keymap, theme};
use crate::domain::EntityKind as K;
use crate::i18n::Lang;

/// An interface with no store behind it.
fn bare(lang: Lang) -> App {
    let (theme, _) = theme::Theme::load(theme::DEFAULT_THEME, None, true);
    let (keymap, _) = keymap::Keymap::load(None);
    App::new(lang, theme, keymap, Some("b".into()), Data::empty())
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::Type(c));
    }
}

fn resident_form(app: &mut App) {
    let form = Form::create(
        K::Resident,
        app.lang,
        app.s(),
        vec![("building_id".into(), json!("b"))],
        &app.data,
    );
    app.modal = Some(Modal::Form(Box::new(form)));
}

#[test]
fn esc_on_a_form_with_typed_text_asks_and_enter_keeps_editing() {
    let mut app = bare(Lang::Zh);
    resident_form(&mut app);
    type_text(&mut app, "欧阳秀兰");
    assert!(update(&mut app, Action::Back).is_empty());
    assert!(matches!(app.modal, Some(Modal::Discard(_))), "asks first");
    assert!(screen(&app, 80, 24).contains("放弃已输入的内容？"));
    // Enter keeps editing, with every character still there.
    update(&mut app, Action::Open);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("the form is back")
    };
    assert_eq!(f.fields[0].input.value, "欧阳秀兰");
    // Esc again, then y: now it goes.
    update(&mut app, Action::Back);
    update(&mut app, Action::Discard);
    assert!(app.modal.is_none());
}

#[test]
fn esc_on_an_untouched_form_just_closes_it() {
    let mut app = bare(Lang::En);
    resident_form(&mut app);
    update(&mut app, Action::NextField);
    update(&mut app, Action::Back);
    assert!(app.modal.is_none());
}

#[test]
fn first_run_setup_cannot_be_escaped_into_a_dead_screen() {
    let mut app = bare(Lang::Zh);
    app.building = None;
    app.modal = Some(Modal::Form(Box::new(Form::setup(app.lang, app.s()))));
    update(&mut app, Action::Back);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("setup must stay open")
    };
    assert_eq!(f.purpose, Purpose::Setup);
    assert!(f.error.as_deref().unwrap_or("").contains("楼组名称"));
}

#[test]
fn a_typed_check_in_note_is_not_lost_to_esc() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Checkin);
    // Down to the free note and type.
    for _ in 0..20 {
        update(&mut app, Action::Down);
    }
    type_text(&mut app, "三楼灯不亮");
    update(&mut app, Action::Back);
    assert!(matches!(app.modal, Some(Modal::Discard(_))));
    update(&mut app, Action::No);
    let Some(Modal::Checkin(c)) = &app.modal else {
        panic!("the check-in is back")
    };
    assert!(c.note.value.ends_with("三楼灯不亮"), "{}", c.note.value);
}

#[test]
fn ctrl_n_on_an_item_that_opened_a_need_opens_that_need() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Checkin);
    // Mark the first item a problem with a need, save.
    update(&mut app, Action::Right);
    type_text(&mut app, "三楼纸箱");
    update(&mut app, Action::ToggleNeed);
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    let needs_before = app.data.needs.len();
    // Open it again: the item shows its need; Ctrl+N opens it rather than a second one.
    dispatch(&mut s, &mut app, Action::Checkin);
    assert!(screen(&app, 100, 30).contains("→诉求"));
    let effects = update(&mut app, Action::ToggleNeed);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::LoadForEdit { kind: K::Need, .. }]
        ),
        "{effects:?}"
    );
    for e in effects {
        super::perform(&mut s, &mut app, e);
    }
    assert!(matches!(app.modal, Some(Modal::Form(_))), "the need's form");
    assert_eq!(app.data.needs.len(), needs_before, "no second need");
}

#[test]
fn advancing_a_need_twice_advances_the_same_need_though_the_list_resorts() {
    let (_d, mut s, mut app) = demo();
    app.focus = Pane::Visits;
    update(&mut app, Action::ToggleNeeds);
    let open = app
        .data
        .needs
        .iter()
        .position(|n| n.status == "open")
        .expect("the demo has an open need");
    app.visits.selected = open;
    let id = app.data.needs[open].id.clone();
    dispatch(&mut s, &mut app, Action::Advance);
    assert_eq!(
        app.data.needs[app.visits.selected].id, id,
        "cursor on the record"
    );
    dispatch(&mut s, &mut app, Action::Advance);
    let n = app.data.needs.iter().find(|n| n.id == id).unwrap();
    assert_eq!(
        n.status, "resolved",
        "the same need went open → in hand → resolved"
    );
}

#[test]
fn after_adding_a_household_it_is_selected_so_enter_opens_it() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Add);
    super::test_support::typed(&mut s, &mut app, "605");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    dispatch(&mut s, &mut app, Action::Open);
    let open = app.roster.open.clone().expect("a household is open");
    assert_eq!(app.data.room_of(&open), Some("605"));
}

#[test]
fn undo_says_what_it_took_back() {
    let (_d, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Add);
    super::test_support::typed(&mut s, &mut app, "605");
    dispatch(&mut s, &mut app, Action::NextField);
    super::test_support::typed(&mut s, &mut app, "独居老人");
    dispatch(&mut s, &mut app, Action::Save);
    dispatch(&mut s, &mut app, Action::Undo);
    let (msg, _) = app.status.clone().unwrap();
    assert_eq!(msg, "已撤销：新增住户 605（及其走访计划）");
    let b = app.building.clone().unwrap();
    assert!(
        !s.roster(&b)
            .unwrap()
            .households
            .iter()
            .any(|h| h.room == "605")
    );
    assert!(
        !s.visits(&b, 0).unwrap().iter().any(|v| v.room == "605"),
        "its planned visit went with it"
    );
}

#[test]
fn a_need_owner_is_a_name_chosen_from_the_members_by_pinyin() {
    let (_d, mut s, mut app) = demo();
    app.focus = Pane::Visits;
    update(&mut app, Action::ToggleNeeds);
    dispatch(&mut s, &mut app, Action::Edit);
    let Some(Modal::Form(f)) = app.modal.as_mut() else {
        panic!("the need form: {:?}", app.status)
    };
    let owner = f.fields.iter().position(|x| x.name == "owner").unwrap();
    f.focus = owner;
    let shown = screen(&app, 100, 30);
    assert!(!shown.contains("-7"), "no id on screen:\n{shown}");
    assert!(
        shown.contains("待处理") || shown.contains("处理中") || shown.contains("已转交"),
        "{shown}"
    );
    // Clear the field, then type q: the member list opens filtered (仇美华 = qmh).
    for _ in 0..10 {
        update(&mut app, Action::Backspace);
    }
    for c in "qmh".chars() {
        update(&mut app, Action::Type(c));
    }
    assert!(
        matches!(app.modal, Some(Modal::FieldPick(..))),
        "member list open"
    );
    assert!(screen(&app, 100, 30).contains("仇美华"));
    update(&mut app, Action::Open);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("back in the form")
    };
    assert_eq!(f.fields[owner].input.value, "仇美华");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "{:?}", app.status);
    let member = app.data.member_id("仇美华").unwrap().to_string();
    assert!(
        app.data.needs.iter().any(|n| n.owner == member),
        "stored as the member's id"
    );
}

#[test]
fn hints_come_from_the_keymap_and_name_what_enter_does_in_each_pane() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[actions.add]\nkeys = [\"+\"]\n\n[actions.quit]\nkeys = []\n",
    )
    .unwrap();
    let (keymap, warnings) = keymap::Keymap::load(Some(dir.path()));
    assert!(
        warnings.iter().any(|w| w.to_string().contains("quit")),
        "leaving no way to quit is refused with a warning: {warnings:?}"
    );
    assert!(keymap.hint("quit").is_some(), "quit keeps its default keys");
    let mut app = bare(Lang::Zh);
    app.keymap = keymap;
    let line = super::hints::status_line(&app);
    assert!(line.contains("+ 新增住户"), "{line}");
    assert!(
        line.contains("∞ 已结对"),
        "the roster's symbols are explained: {line}"
    );
    app.focus = Pane::Visits;
    let line = super::hints::status_line(&app);
    assert!(line.contains("Enter 完成走访"), "{line}");
    app.lang = Lang::En;
    assert!(super::hints::status_line(&app).contains("Enter complete visit"));
}

#[test]
fn a_picker_goes_to_either_end_with_home_and_end_and_chooses_by_enter() {
    use super::dialogs::Outcome;
    use super::dialogs::picker::{Item, PickFor, Picker};
    let items = ["曾国华", "单丽萍", "陆建明", "查文静"]
        .iter()
        .enumerate()
        .map(|(i, n)| Item::new(&i.to_string(), n, ""))
        .collect();
    let mut p = Picker::new("党员", PickFor::VisitMember, items);
    assert!(matches!(p.update(Action::End), Outcome::Stay(e) if e.is_empty()));
    match p.update(Action::Open) {
        Outcome::Picked(PickFor::VisitMember, item) => assert_eq!(item.label, "查文静"),
        other => panic!("{other:?}"),
    }
    p.update(Action::Home);
    match p.update(Action::Open) {
        Outcome::Picked(_, item) => assert_eq!(item.label, "曾国华"),
        other => panic!("{other:?}"),
    }
    // Typing filters by pinyin initials; Esc closes with nothing chosen.
    for c in "ljm".chars() {
        p.update(Action::Type(c));
    }
    match p.update(Action::Open) {
        Outcome::Picked(_, item) => assert_eq!(item.label, "陆建明"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(p.update(Action::Back), Outcome::Close(e) if e.is_empty()));
}

#[test]
fn questions_and_the_conflicts_list_take_their_keys_from_the_keymap() {
    use super::dialogs::confirm::Confirm;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[actions.yes]\nkeys = [\"j\"]\n[actions.keep_a]\nkeys = [\"1\"]\n",
    )
    .unwrap();
    let mut app = bare(Lang::Zh);
    app.keymap = keymap::Keymap::load(Some(dir.path())).0;
    app.modal = Some(Modal::Confirm(Confirm {
        question: "删除 301？".into(),
        on_yes: Effect::Undo,
    }));
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert!(matches!(
        super::keys::action_for(&app, key('j')),
        Some(Action::Yes)
    ));
    assert!(
        super::keys::action_for(&app, key('y')).is_none(),
        "y was rebound"
    );
    let text = screen(&app, 80, 24);
    assert!(text.contains("j 确定"), "{text}");
    // Over 放弃已输入的内容？ only the discard key discards; Enter keeps the text.
    resident_form(&mut app);
    type_text(&mut app, "张");
    update(&mut app, Action::Back);
    assert!(matches!(app.modal, Some(Modal::Discard(_))));
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    assert!(matches!(
        super::keys::action_for(&app, enter),
        Some(Action::No)
    ));
    assert!(matches!(
        super::keys::action_for(&app, key('y')),
        Some(Action::Discard)
    ));
    app.modal = Some(Modal::Sync(Box::new(
        super::dialogs::sync::SyncDialog::Conflicts {
            rows: Vec::new(),
            selected: 0,
        },
    )));
    assert!(matches!(
        super::keys::action_for(&app, key('1')),
        Some(Action::KeepA)
    ));
    assert!(matches!(
        super::keys::action_for(&app, key('b')),
        Some(Action::KeepB)
    ));
}
