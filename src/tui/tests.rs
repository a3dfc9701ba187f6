//! Interface tests: flows through `update` and the driver on a real store, and screens
//! rendered on ratatui's TestBackend with Chinese text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::action::Action;
use super::app::{App, Modal, Pane};
use super::dialogs::form::Purpose;
use super::*;
use crate::domain::EntityKind as K;
use crate::store::Store;
use crate::text::width;

fn opts() -> Options {
    Options::defaults(Lang::Zh)
}

/// A small building: two floors, 张三 in 301 (独居老人), 李四 in 502, member 王芳 in 502.
fn fixture() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.set_owner_name("王组长").unwrap();
    let b = s
        .create(
            K::Building,
            vec![
                ("name", json!("新成路56弄7号")),
                ("neighbourhood", json!("新成居民区")),
            ],
        )
        .unwrap();
    s.set_local_setting("building", &b).unwrap();
    let h1 = s
        .create(
            K::Household,
            vec![
                ("building_id", json!(b)),
                ("room", json!("301")),
                ("tags", json!(["独居老人", "高龄"])),
            ],
        )
        .unwrap();
    let h2 = s
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("502"))],
        )
        .unwrap();
    for (h, name) in [(&h1, "张三"), (&h2, "李四")] {
        s.create(
            K::Resident,
            vec![
                ("building_id", json!(b)),
                ("household_id", json!(h)),
                ("name", json!(name)),
            ],
        )
        .unwrap();
    }
    s.create(
        K::Member,
        vec![
            ("building_id", json!(b)),
            ("household_id", json!(h2)),
            ("name", json!("王芳")),
            ("category", json!("在职党员")),
            ("home_org", json!("嘉定区税务局")),
        ],
    )
    .unwrap();
    (dir, s, b)
}

/// The screen as text, one string per row, wide characters counted once.
fn screen(app: &App, w: u16, h: u16) -> Vec<String> {
    super::test_support::rows(app, w, h)
}

fn has(lines: &[String], text: &str) -> bool {
    lines.iter().any(|l| l.contains(text))
}

use super::test_support::typed;

#[test]
fn wide_screen_shows_all_four_panes_with_chinese_rows_aligned() {
    let (_d, s, _) = fixture();
    let mut app = start(&s, opts()).unwrap();
    app.size = (120, 30);
    let lines = screen(&app, 120, 30);
    for title in ["楼组名册", "待走访", "六个员", "活动记录"] {
        assert!(has(&lines, title), "{title} missing:\n{}", lines.join("\n"));
    }
    assert!(has(&lines, "新成路56弄7号"));
    assert!(has(&lines, "党员 1 名"), "group size shown");
    assert!(has(&lines, "不足3名"), "fewer than 3 flagged");
    // Rooms line up in one column whatever the width of the text before them.
    let col = |room: &str| {
        lines
            .iter()
            .find(|l| l.contains(room) && !l.contains("户"))
            .map(|l| width(&l[..l.find(room).unwrap()]))
    };
    assert_eq!(col("301"), col("502"));
    assert!(has(&lines, "独居老人"));
    // The log pane shows real journal entries.
    assert!(
        has(&lines, "新增住户 301") || has(&lines, "新增住户 502"),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn narrow_screen_shows_one_pane_with_a_tab_bar() {
    let (_d, s, _) = fixture();
    let mut app = start(&s, opts()).unwrap();
    app.size = (80, 24);
    let lines = screen(&app, 80, 24);
    let tabs = lines.iter().find(|l| l.contains("1 楼组名册")).unwrap();
    assert!(tabs.contains("4 活动记录"));
    assert!(
        !has(&lines, "没有计划中的走访"),
        "only the roster pane is drawn"
    );
    update::update(&mut app, Action::Focus(Pane::Visits));
    let lines = screen(&app, 80, 24);
    assert!(has(&lines, "没有计划中的走访"));
}

#[test]
fn a_tiny_window_gets_a_message_not_a_broken_screen() {
    let (_d, s, _) = fixture();
    let app = start(&s, opts()).unwrap();
    let lines = screen(&app, 20, 6);
    assert!(has(&lines, "窗口太小"), "{lines:?}");
    for (w, h) in [(1, 1), (39, 40), (200, 11), (5, 3)] {
        screen(&app, w, h);
    }
}

#[test]
fn first_run_asks_for_the_building_and_owner_then_starts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("new.db")).unwrap();
    let mut app = start(&s, opts()).unwrap();
    assert!(matches!(&app.modal, Some(Modal::Form(f)) if f.purpose == Purpose::Setup));
    // Saving with the name empty keeps the form open and marks the field.
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_some());
    assert!(has(&screen(&app, 100, 30), "必须填写"));
    typed(&mut s, &mut app, "新成路12号");
    for _ in 0..3 {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    typed(&mut s, &mut app, "王秀英");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none(), "setup done");
    assert_eq!(s.owner_name(), "王秀英");
    assert_eq!(s.buildings().unwrap()[0].name, "新成路12号");
    assert!(has(&screen(&app, 120, 30), "新成路12号"));
}

#[test]
fn adding_a_household_keeps_typed_text_on_error_and_saves_once_fixed() {
    let (_d, mut s, _) = fixture();
    let mut app = start(&s, opts()).unwrap();
    dispatch(&mut s, &mut app, Action::Add);
    typed(&mut s, &mut app, "三楼");
    dispatch(&mut s, &mut app, Action::NextField);
    typed(&mut s, &mut app, "低保、残疾");
    dispatch(&mut s, &mut app, Action::Save);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("form closed on a bad room")
    };
    assert_eq!(f.fields[0].input.value, "三楼");
    assert_eq!(f.fields[1].input.value, "低保、残疾");
    assert!(f.fields[0].error.as_deref().unwrap_or("").contains("室号"));
    assert_eq!(f.focus, 0, "focus goes to the wrong field");
    for _ in 0..2 {
        dispatch(&mut s, &mut app, Action::Backspace);
    }
    typed(&mut s, &mut app, "601");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none());
    let r = s.roster(app.building.as_deref().unwrap()).unwrap();
    let h = r.households.iter().find(|h| h.room == "601").unwrap();
    assert_eq!(h.tags, vec!["低保", "残疾"]);
    assert!(has(&screen(&app, 120, 30), "601"));
}

#[test]
fn pinyin_initials_and_full_pinyin_find_the_household() {
    let (_d, mut s, _) = fixture();
    let mut app = start(&s, opts()).unwrap();
    for query in ["zs", "zhangsan", "张三"] {
        dispatch(&mut s, &mut app, Action::Search);
        for _ in 0..10 {
            dispatch(&mut s, &mut app, Action::Backspace);
        }
        typed(&mut s, &mut app, query);
        dispatch(&mut s, &mut app, Action::Open);
        let rows = panes::roster::selectable(&app);
        assert_eq!(rows.len(), 1, "{query}: {rows:?}");
        let lines = screen(&app, 120, 30);
        assert!(
            has(&lines, &format!("/{query}  1 条")),
            "{query}:\n{}",
            lines.join("\n")
        );
        assert!(has(&lines, "  301 "), "{query}");
    }
    dispatch(&mut s, &mut app, Action::Back);
    assert!(app.roster.query.is_empty(), "Esc clears the search");
}

#[test]
fn delete_asks_first_and_undo_brings_it_back() {
    let (_d, mut s, b) = fixture();
    let mut app = start(&s, opts()).unwrap();
    dispatch(&mut s, &mut app, Action::Delete);
    assert!(matches!(app.modal, Some(Modal::Confirm(_))));
    assert!(has(&screen(&app, 120, 30), "确定删除 住户 301"));
    dispatch(&mut s, &mut app, Action::Back);
    assert_eq!(
        s.roster(&b).unwrap().households.len(),
        2,
        "Esc deletes nothing"
    );
    dispatch(&mut s, &mut app, Action::Delete);
    dispatch(&mut s, &mut app, Action::Yes);
    assert_eq!(s.roster(&b).unwrap().households.len(), 1);
    dispatch(&mut s, &mut app, Action::Undo);
    assert_eq!(s.roster(&b).unwrap().households.len(), 2);
    assert!(has(&screen(&app, 120, 30), "已撤销"));
}

#[test]
fn pairing_is_seen_from_the_household_and_from_the_member() {
    let (_d, mut s, _) = fixture();
    let mut app = start(&s, opts()).unwrap();
    // On 301 (独居老人): pick the member.
    dispatch(&mut s, &mut app, Action::Pair);
    assert!(matches!(app.modal, Some(Modal::Picker(_))));
    typed(&mut s, &mut app, "wf");
    dispatch(&mut s, &mut app, Action::Open);
    assert!(app.modal.is_none());
    let lines = screen(&app, 120, 30);
    assert!(
        has(&lines, "结对：301"),
        "member side:\n{}",
        lines.join("\n")
    );
    dispatch(&mut s, &mut app, Action::Open);
    let lines = screen(&app, 120, 30);
    assert!(
        has(&lines, "结对") && has(&lines, "王芳"),
        "household side:\n{}",
        lines.join("\n")
    );
}

#[test]
fn editing_a_member_shows_the_room_not_an_id_and_saves_changes() {
    let (_d, mut s, b) = fixture();
    let mut app = start(&s, opts()).unwrap();
    dispatch(&mut s, &mut app, Action::Bottom);
    dispatch(&mut s, &mut app, Action::Edit);
    let Some(Modal::Form(f)) = &app.modal else {
        panic!("no edit form")
    };
    let home = f.fields.iter().find(|x| x.name == "household_id").unwrap();
    assert_eq!(home.input.value, "502");
    let i = f.fields.iter().position(|x| x.name == "home_org").unwrap();
    for _ in 0..i {
        dispatch(&mut s, &mut app, Action::NextField);
    }
    dispatch(&mut s, &mut app, Action::End);
    typed(&mut s, &mut app, "办公室");
    dispatch(&mut s, &mut app, Action::Save);
    assert!(app.modal.is_none());
    assert_eq!(
        s.roster(&b).unwrap().members[0].home_org,
        "嘉定区税务局办公室"
    );
}

#[test]
fn full_width_keys_from_an_ime_act_as_their_ascii_twins() {
    let (_d, s, _) = fixture();
    let app = start(&s, opts()).unwrap();
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert!(matches!(
        keys::action_for(&app, key('？')),
        Some(Action::Help)
    ));
    assert!(matches!(
        keys::action_for(&app, key('／')),
        Some(Action::Search)
    ));
    assert!(matches!(
        keys::action_for(&app, key('２')),
        Some(Action::Focus(Pane::Visits))
    ));
    assert!(matches!(
        keys::action_for(&app, key('j')),
        Some(Action::Down)
    ));
    assert!(matches!(
        keys::action_for(&app, key('r')),
        Some(Action::Report)
    ));
    assert!(matches!(
        keys::action_for(&app, key('c')),
        Some(Action::Checkin)
    ));
    let f2 = KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE);
    assert!(matches!(keys::action_for(&app, f2), Some(Action::Add)));
}

#[test]
fn help_lists_keys_from_the_keymap_in_english_too() {
    let (_d, mut s, _) = fixture();
    let mut o = opts();
    o.lang = Lang::En;
    let mut app = start(&s, o).unwrap();
    dispatch(&mut s, &mut app, Action::Help);
    let lines = screen(&app, 120, 40);
    assert!(has(&lines, "Keys"));
    assert!(has(&lines, "Quit"));
    assert!(has(&lines, "Roster"));
}

#[test]
fn every_keymap_action_names_an_action() {
    let keymap = keymap::Keymap::default();
    for a in keymap.actions() {
        assert!(
            Action::from_name(&a.name).is_some(),
            "{} has no Action",
            a.name
        );
    }
}

#[test]
fn help_lists_every_settings_problem_on_its_own_line_and_pages_to_the_end() {
    let (_d, mut s, _) = fixture();
    let mut app = start(&s, opts()).unwrap();
    app.warnings = vec![
        "配置文件第 3 行：键 独居老人 没有加引号".to_string(),
        "配置文件第 1 行：lang = \"fr\"".to_string(),
    ];
    app.size = (80, 24);
    dispatch(&mut s, &mut app, Action::Help);
    let first = screen(&app, 80, 24);
    assert!(has(&first, "设置文件里的问题"), "{}", first.join("\n"));
    assert!(has(&first, "• 配置文件第 3 行"));
    assert!(has(&first, "• 配置文件第 1 行"));
    dispatch(&mut s, &mut app, Action::PageDown);
    let second = screen(&app, 80, 24);
    assert_ne!(first, second, "PgDn pages");
    dispatch(&mut s, &mut app, Action::Bottom);
    let end = screen(&app, 80, 24).join("\n");
    dispatch(&mut s, &mut app, Action::PageDown);
    assert_eq!(
        screen(&app, 80, 24).join("\n"),
        end,
        "the end stays the end"
    );
    dispatch(&mut s, &mut app, Action::Top);
    assert_eq!(screen(&app, 80, 24), first);
}

#[test]
fn columns_never_touch_even_when_a_name_fills_its_width() {
    let (_d, mut s, b) = fixture();
    let h = s
        .records(K::Household, None, false)
        .unwrap()
        .into_iter()
        .find(|r| r.get("room") == &json!("301"))
        .map(|r| r.id)
        .unwrap();
    s.create(
        K::Resident,
        vec![
            ("building_id", json!(b)),
            ("household_id", json!(h)),
            ("name", json!("欧阳秀兰")),
            ("gender", json!("女")),
            ("birth_year", json!(1945)),
        ],
    )
    .unwrap();
    let mut app = start(&s, opts()).unwrap();
    let on_301 = |app: &App| match panes::roster::selected(app) {
        Some(panes::roster::Row::Household(i)) => app
            .data
            .roster
            .as_ref()
            .is_some_and(|r| r.households[i].room == "301"),
        _ => false,
    };
    for _ in 0..20 {
        if on_301(&app) {
            break;
        }
        dispatch(&mut s, &mut app, Action::Down);
    }
    assert!(on_301(&app));
    dispatch(&mut s, &mut app, Action::Open);
    let lines = screen(&app, 80, 24);
    assert!(has(&lines, "欧阳秀兰 女"), "{}", lines.join("\n"));
}
