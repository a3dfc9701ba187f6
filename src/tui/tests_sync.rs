//! The sync dialogs through `update` and the driver on real stores: import shows its
//! preview and applies only on the second Enter; export writes for the chosen device;
//! conflicts are listed and settled with a key.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::action::Action;
use super::app::Modal;
use super::dialogs::sync::SyncDialog;
use super::*;
use crate::domain::EntityKind as K;
use crate::store::Store;
use crate::sync::export::{ExportOptions, build};
use crate::sync::import::{ImportOptions, import_bytes};
use crate::sync::{Identity, trust};

fn key(app: &App, c: char) -> Action {
    keys::action_for(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)).unwrap()
}

fn screen_text(app: &App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    // Wide characters leave a blank cell after them; drop all blanks to compare text.
    buf.content()
        .iter()
        .map(|c| c.symbol())
        .collect::<String>()
        .replace(' ', "")
}

#[test]
fn import_previews_then_applies_and_export_writes_for_the_chosen_device() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Store::open(&dir.path().join("office.db")).unwrap();
    let mut deputy = Store::open(&dir.path().join("deputy.db")).unwrap();
    Identity::rename(&office, "组长").unwrap();
    Identity::rename(&deputy, "副组长").unwrap();
    let ko = Identity::load_or_create(&office).unwrap().key();
    let kd = Identity::load_or_create(&deputy).unwrap().key();
    trust::trust(&office, kd, "副组长", None, false).unwrap();
    trust::trust(&deputy, ko, "组长", None, false).unwrap();
    let b = office
        .create(K::Building, vec![("name", json!("7号楼"))])
        .unwrap();
    office.set_local_setting("building", &b).unwrap();
    let h = office
        .create(
            K::Household,
            vec![("building_id", json!(b)), ("room", json!("301"))],
        )
        .unwrap();
    let for_deputy = ExportOptions {
        for_names: vec!["副组长".into()],
        ..Default::default()
    };
    let bytes = build(&office, &for_deputy).unwrap().0;
    import_bytes(&mut deputy, dir.path(), &bytes, &ImportOptions::default()).unwrap();
    deputy
        .update(K::Household, &h, vec![("note", json!("副组长走访过"))])
        .unwrap();
    let file = dir.path().join("from-deputy.louzu");
    crate::sync::export::export(
        &deputy,
        &file,
        &ExportOptions {
            for_names: vec!["组长".into()],
            ..Default::default()
        },
    )
    .unwrap();

    let mut app = start(&office, Options::defaults(Lang::Zh)).unwrap();
    let i = key(&app, 'i');
    dispatch(&mut office, &mut app, i);
    assert!(matches!(app.modal, Some(Modal::Sync(_))));
    dispatch(
        &mut office,
        &mut app,
        Action::Paste(file.display().to_string()),
    );
    dispatch(&mut office, &mut app, Action::Open);
    let shown = screen_text(&app);
    assert!(shown.contains("修改1"), "{shown}");
    assert!(shown.contains("副组长"));
    assert!(
        office
            .record(K::Household, &h)
            .unwrap()
            .unwrap()
            .get("note")
            .is_null(),
        "nothing applied before the confirmation"
    );
    dispatch(&mut office, &mut app, Action::Open);
    assert!(app.modal.is_none());
    assert!(app.status.as_ref().unwrap().0.contains("已从"));
    assert_eq!(
        office
            .record(K::Household, &h)
            .unwrap()
            .unwrap()
            .get("note"),
        &json!("副组长走访过")
    );

    app.output_dir = dir.path().join("输出");
    let x = key(&app, 'x');
    dispatch(&mut office, &mut app, x);
    match app.modal.as_ref() {
        Some(Modal::Sync(d)) => match d.as_ref() {
            SyncDialog::Export(d) => {
                let names: Vec<&str> = d.devices.iter().map(|d| d.name.as_str()).collect();
                assert_eq!(names, vec!["副组长"]);
                assert!(d.file.ends_with(".louzu"), "{}", d.file);
            }
            other => panic!("{other:?}"),
        },
        _ => panic!("no export dialog"),
    }
    dispatch(&mut office, &mut app, Action::Open);
    let written: Vec<_> = std::fs::read_dir(dir.path().join("输出"))
        .expect("the output folder is made on the first export")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let status = &app.status.as_ref().unwrap().0;
    assert!(status.contains("副组长"), "{status}");
    assert!(
        status.contains(&written[0].display().to_string()),
        "the full path is said: {status}"
    );

    let c = key(&app, 'C');
    dispatch(&mut office, &mut app, c);
    assert!(app.modal.is_none());
    assert!(app.status.as_ref().unwrap().0.contains("冲突"));
}

#[test]
fn conflicts_are_listed_and_settled_with_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("a.db")).unwrap();
    let mut b = Store::open(&dir.path().join("b.db")).unwrap();
    Identity::rename(&a, "组长").unwrap();
    Identity::rename(&b, "副组长").unwrap();
    let ka = Identity::load_or_create(&a).unwrap().key();
    let kb = Identity::load_or_create(&b).unwrap().key();
    trust::trust(&a, kb, "副组长", None, false).unwrap();
    trust::trust(&b, ka, "组长", None, false).unwrap();
    let bld = a
        .create(K::Building, vec![("name", json!("7号楼"))])
        .unwrap();
    a.set_local_setting("building", &bld).unwrap();
    let h = a
        .create(
            K::Household,
            vec![("building_id", json!(bld)), ("room", json!("301"))],
        )
        .unwrap();
    let for_b = ExportOptions {
        for_names: vec!["副组长".into()],
        ..Default::default()
    };
    let for_a = ExportOptions {
        for_names: vec!["组长".into()],
        ..Default::default()
    };
    let bytes = build(&a, &for_b).unwrap().0;
    import_bytes(&mut b, dir.path(), &bytes, &ImportOptions::default()).unwrap();
    a.update(K::Household, &h, vec![("note", json!("甲"))])
        .unwrap();
    b.update(K::Household, &h, vec![("note", json!("乙"))])
        .unwrap();
    let bytes = build(&b, &for_a).unwrap().0;
    import_bytes(&mut a, dir.path(), &bytes, &ImportOptions::default()).unwrap();

    let mut app = start(&a, Options::defaults(Lang::Zh)).unwrap();
    let c = key(&app, 'C');
    dispatch(&mut a, &mut app, c);
    let shown = screen_text(&app);
    assert!(shown.contains("甲") && shown.contains("乙"), "{shown}");
    let before = a
        .record(K::Household, &h)
        .unwrap()
        .unwrap()
        .get("note")
        .clone();
    let keep_b = key(&app, 'b');
    dispatch(&mut a, &mut app, keep_b);
    assert!(
        app.modal.is_none(),
        "the last conflict settled closes the list"
    );
    let after = a
        .record(K::Household, &h)
        .unwrap()
        .unwrap()
        .get("note")
        .clone();
    assert_ne!(before, after, "B, the other value, is shown now");
    assert!(crate::sync::conflicts::list(&a, false).unwrap().is_empty());
}

#[test]
fn the_office_building_picker_says_which_building_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Store::open(&dir.path().join("office.db")).unwrap();
    let b7 = office
        .create(K::Building, vec![("name", json!("7号楼"))])
        .unwrap();
    office
        .create(K::Building, vec![("name", json!("8号楼"))])
        .unwrap();
    office.set_local_setting("building", &b7).unwrap();
    office
        .create(
            K::Need,
            vec![
                ("building_id", json!(b7)),
                ("category", json!("楼道堆物")),
                ("description", json!("纸箱")),
                ("status", json!("open")),
                ("raised_on", json!("2026-01-05")),
            ],
        )
        .unwrap();
    let mut app = start(&office, Options::defaults(Lang::Zh)).unwrap();
    let b = key(&app, 'b');
    dispatch(&mut office, &mut app, b);
    let Some(Modal::Picker(p)) = &app.modal else {
        panic!("no picker")
    };
    let line7 = &p.items.iter().find(|i| i.label == "7号楼").unwrap().detail;
    assert!(
        line7.contains("未收到数据包") && line7.contains("诉求 1"),
        "{line7}"
    );
}

#[test]
fn sync_dialog_keys_type_move_the_list_and_answer_from_the_confirm_group() {
    let (_dir, store, mut app) = super::test_support::demo();
    let press =
        |app: &App, code: KeyCode, m: KeyModifiers| keys::action_for(app, KeyEvent::new(code, m));
    app.modal = Some(Modal::Sync(Box::new(SyncDialog::Trust(Box::new(
        super::dialogs::sync::TrustDialog::new(super::dialogs::sync::ExportDialog::new(
            Vec::new(),
            Default::default(),
            "/",
            Default::default(),
            "x.louzu".into(),
        )),
    )))));
    let none = KeyModifiers::NONE;
    assert!(matches!(
        press(&app, KeyCode::Char('j'), none),
        Some(Action::Type('j'))
    ));
    assert!(matches!(
        press(&app, KeyCode::Down, none),
        Some(Action::Down)
    ));
    assert!(matches!(
        press(&app, KeyCode::PageDown, none),
        Some(Action::PageDown)
    ));
    assert!(matches!(
        press(&app, KeyCode::Tab, none),
        Some(Action::NextField)
    ));
    assert!(matches!(
        press(&app, KeyCode::Char('s'), KeyModifiers::CONTROL),
        Some(Action::Save)
    ));
    if let Some(Modal::Sync(d)) = app.modal.as_mut()
        && let SyncDialog::Trust(t) = d.as_mut()
    {
        t.stage = super::dialogs::sync::TrustStage::Confirm {
            key: Identity::load_or_create(&store).unwrap().key(),
            fingerprint: String::new(),
            name: "居委会".into(),
        };
    }
    assert!(matches!(
        press(&app, KeyCode::Char('y'), none),
        Some(Action::Yes)
    ));
    assert!(
        matches!(press(&app, KeyCode::Char('ｙ'), none), Some(Action::Yes)),
        "full-width"
    );
    assert!(matches!(
        press(&app, KeyCode::Char('n'), none),
        Some(Action::No)
    ));
    assert!(matches!(press(&app, KeyCode::Esc, none), Some(Action::No)));
    assert!(
        press(&app, KeyCode::Enter, none).is_none(),
        "Enter never trusts: only the trust key does, after the fingerprint was read"
    );
    assert!(
        !matches!(
            press(&app, KeyCode::Char('x'), none),
            Some(Action::Yes | Action::No | Action::Type(_))
        ),
        "a question takes only its answers"
    );
}

#[test]
fn the_gauge_is_drawn_over_the_screen_and_esc_asks_to_stop() {
    let (_dir, _store, mut app) = super::test_support::demo();
    let t = super::strings::sync::text(Lang::Zh);
    let mut busy = super::dialogs::busy::Busy::new(t.busy_import);
    busy.step = Some(crate::progress::Step {
        stage: crate::progress::Stage::Applying,
        done: 700,
        total: 1400,
    });
    app.busy = Some(busy);
    let shown = super::test_support::screen(&app, 80, 24);
    for want in [t.busy_import, "700 / 1400", "50%", t.cancel_hint] {
        assert!(shown.contains(want), "{want}:\n{shown}");
    }
    // Resizing still works; keys other than Esc wait; Esc asks the worker to stop.
    update::update(&mut app, Action::Resize(160, 45));
    assert_eq!(app.size, (160, 45));
    assert!(update::update(&mut app, Action::Help).is_empty());
    assert!(app.modal.is_none(), "no help over the gauge");
    let esc = keys::action_for(&app, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)).unwrap();
    let effects = update::update(&mut app, esc);
    assert!(matches!(effects.as_slice(), [effect::Effect::Cancel]));
    assert!(super::test_support::screen(&app, 160, 45).contains(t.cancelling));
}
