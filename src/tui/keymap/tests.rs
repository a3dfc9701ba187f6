use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::file::wrong_type;
use super::*;

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    let mut event = KeyEvent::new(code, modifiers);
    event.kind = KeyEventKind::Press;
    event
}

fn ch(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Loads with a user keymap file and returns the keymap, warnings and the file path.
fn with_user_file(text: &str) -> (Keymap, Vec<KeymapWarning>) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("keymap.toml"), text).expect("write keymap");
    Keymap::load(Some(dir.path()))
}

/// The action list from the brief: name, group, default keys.
const EXPECTED: &[(&str, KeyGroup, &[&str])] = &[
    ("quit", KeyGroup::Global, &["q", "ctrl-q", "ctrl-c"]),
    ("help", KeyGroup::Global, &["?", "f1"]),
    ("next_pane", KeyGroup::Global, &["tab"]),
    ("prev_pane", KeyGroup::Global, &["backtab"]),
    ("focus_roster", KeyGroup::Global, &["1"]),
    ("focus_visits", KeyGroup::Global, &["2"]),
    ("focus_duties", KeyGroup::Global, &["3"]),
    ("focus_log", KeyGroup::Global, &["4"]),
    ("search", KeyGroup::Global, &["/", "ctrl-f"]),
    ("building_picker", KeyGroup::Global, &["b", "f5"]),
    ("up", KeyGroup::List, &["up", "k"]),
    ("down", KeyGroup::List, &["down", "j"]),
    ("page_up", KeyGroup::List, &["pageup", "ctrl-u"]),
    ("page_down", KeyGroup::List, &["pagedown", "ctrl-d"]),
    ("top", KeyGroup::List, &["home", "g"]),
    ("bottom", KeyGroup::List, &["end", "G"]),
    ("open", KeyGroup::List, &["enter", "right", "l"]),
    ("back", KeyGroup::List, &["esc", "left", "h"]),
    ("add", KeyGroup::List, &["a", "insert", "f2"]),
    ("edit", KeyGroup::List, &["e", "f3"]),
    ("delete", KeyGroup::List, &["d", "delete"]),
    ("undo", KeyGroup::List, &["u", "ctrl-z"]),
    ("filter_tag", KeyGroup::List, &["t", "f4"]),
    ("add_member", KeyGroup::List, &["m", "f6"]),
    ("pair", KeyGroup::List, &["p", "f7"]),
    ("prev_period", KeyGroup::List, &["[", "ctrl-left"]),
    ("next_period", KeyGroup::List, &["]", "ctrl-right"]),
    ("restore", KeyGroup::List, &["R", "ctrl-r"]),
    ("toggle_view", KeyGroup::List, &["v", "f12"]),
    ("filter_dates", KeyGroup::List, &["f", "ctrl-t"]),
    ("save", KeyGroup::Form, &["ctrl-s"]),
    ("cancel", KeyGroup::Form, &["esc"]),
    ("next_field", KeyGroup::Form, &["tab", "down"]),
    ("prev_field", KeyGroup::Form, &["backtab", "up"]),
];

#[test]
fn defaults_parse_without_warnings() {
    let mut warnings = Vec::new();
    let entries = parse(DEFAULT_KEYMAP, None, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(entries.len() >= EXPECTED.len());
    let (_, warnings) = Keymap::load(None);
    assert!(warnings.is_empty());
}

#[test]
fn defaults_keep_the_core_actions_and_their_keys() {
    let keymap = Keymap::default();
    for (name, group, keys) in EXPECTED {
        let action = keymap.action(name).expect("action exists");
        assert_eq!(action.group, *group, "{name}");
        let keys: Vec<KeyBinding> = keys.iter().map(|k| k.parse().expect("key")).collect();
        assert_eq!(action.keys, keys, "{name}");
    }
}

#[test]
fn every_default_action_has_zh_and_en() {
    let mut warnings = Vec::new();
    for entry in parse(DEFAULT_KEYMAP, None, &mut warnings) {
        assert!(entry.group.is_some(), "{} has no group", entry.name);
        assert!(
            entry.zh.is_some_and(|s| !s.trim().is_empty()),
            "{} has no zh",
            entry.name
        );
        assert!(
            entry.en.is_some_and(|s| !s.trim().is_empty()),
            "{} has no en",
            entry.name
        );
    }
}

#[test]
fn no_key_is_bound_twice_in_one_group() {
    let keymap = Keymap::default();
    for group in KeyGroup::ALL {
        let mut seen = Vec::new();
        for action in keymap.actions().iter().filter(|a| a.group == group) {
            for key in &action.keys {
                assert!(!seen.contains(key), "{key} twice in {}", group.name());
                seen.push(*key);
            }
        }
    }
}

#[test]
fn lookup_uses_focused_group_then_global() {
    let keymap = Keymap::default();
    let tab = press(KeyCode::Tab, KeyModifiers::NONE);
    let up = press(KeyCode::Up, KeyModifiers::NONE);
    let esc = press(KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(keymap.lookup(&tab, KeyGroup::List), Some("next_pane"));
    assert_eq!(keymap.lookup(&tab, KeyGroup::Form), Some("next_field"));
    assert_eq!(keymap.lookup(&up, KeyGroup::List), Some("up"));
    assert_eq!(keymap.lookup(&up, KeyGroup::Form), Some("prev_field"));
    assert_eq!(keymap.lookup(&esc, KeyGroup::List), Some("back"));
    assert_eq!(keymap.lookup(&esc, KeyGroup::Form), Some("cancel"));
    assert_eq!(keymap.lookup(&ch('q'), KeyGroup::List), Some("quit"));
    assert_eq!(keymap.lookup(&ch('j'), KeyGroup::Global), None);
    // x is export (issue 5); z is unbound.
    assert_eq!(keymap.lookup(&ch('x'), KeyGroup::List), Some("export"));
    assert_eq!(keymap.lookup(&ch('z'), KeyGroup::List), None);
}

#[test]
fn typing_in_a_form_never_fires_global_letters() {
    let keymap = Keymap::default();
    for c in ['q', '1', '?', '/', 'b', '王'] {
        assert_eq!(keymap.lookup(&ch(c), KeyGroup::Form), None, "{c}");
    }
    assert_eq!(keymap.lookup(&ctrl('q'), KeyGroup::Form), Some("quit"));
    assert_eq!(keymap.lookup(&ctrl('s'), KeyGroup::Form), Some("save"));
    let f1 = press(KeyCode::F(1), KeyModifiers::NONE);
    assert_eq!(keymap.lookup(&f1, KeyGroup::Form), Some("help"));
}

#[test]
fn shift_letter_matches_uppercase_binding() {
    let keymap = Keymap::default();
    let shift_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(keymap.lookup(&shift_g, KeyGroup::List), Some("bottom"));
    assert_eq!(keymap.lookup(&ch('g'), KeyGroup::List), Some("top"));
    let backtab = press(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(keymap.lookup(&backtab, KeyGroup::List), Some("prev_pane"));
    let question = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
    assert_eq!(keymap.lookup(&question, KeyGroup::List), Some("help"));
}

#[test]
fn full_width_ime_keys_work() {
    let keymap = Keymap::default();
    assert_eq!(keymap.lookup(&ch('？'), KeyGroup::List), Some("help"));
    assert_eq!(
        keymap.lookup(&ch('１'), KeyGroup::List),
        Some("focus_roster")
    );
    assert_eq!(keymap.lookup(&ch('４'), KeyGroup::List), Some("focus_log"));
    assert_eq!(keymap.lookup(&ch('／'), KeyGroup::List), Some("search"));
    assert_eq!(keymap.lookup(&ch('ｊ'), KeyGroup::List), Some("down"));
    let shift_g = press(KeyCode::Char('Ｇ'), KeyModifiers::SHIFT);
    assert_eq!(keymap.lookup(&shift_g, KeyGroup::List), Some("bottom"));
}

#[test]
fn key_release_is_ignored() {
    let keymap = Keymap::default();
    let mut release = ch('q');
    release.kind = KeyEventKind::Release;
    assert_eq!(keymap.lookup(&release, KeyGroup::List), None);
}

#[test]
fn user_override_replaces_keys_and_keeps_descriptions() {
    let (keymap, warnings) = with_user_file("[actions.quit]\nkeys = [\"x\", \"ctrl-w\"]\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(keymap.lookup(&ch('x'), KeyGroup::List), Some("quit"));
    assert_eq!(keymap.lookup(&ctrl('w'), KeyGroup::List), Some("quit"));
    assert_eq!(keymap.lookup(&ch('q'), KeyGroup::List), None);
    assert_eq!(keymap.lookup(&ctrl('c'), KeyGroup::List), None);
    let quit = keymap.action("quit").expect("quit");
    assert_eq!(quit.zh, "退出");
    assert_eq!(quit.en, "Quit");
}

#[test]
fn user_override_takes_key_from_default_in_same_group() {
    let (keymap, warnings) = with_user_file(
        "[actions.help]\nkeys = [\"q\"]\nzh = \"帮助\"\n\n[actions.edit]\nkeys = []\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(keymap.lookup(&ch('q'), KeyGroup::List), Some("help"));
    assert_eq!(keymap.lookup(&ctrl('q'), KeyGroup::List), Some("quit"));
    assert_eq!(keymap.action("help").map(|a| a.zh.as_str()), Some("帮助"));
    // an empty list unbinds
    assert_eq!(keymap.lookup(&ch('e'), KeyGroup::List), None);
    assert!(
        keymap
            .help_rows(Lang::En)
            .iter()
            .all(|r| r.description != "Edit")
    );
}

#[test]
fn copied_default_file_applies_cleanly() {
    let (keymap, warnings) = with_user_file(DEFAULT_KEYMAP);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(keymap, Keymap::default());
}

#[test]
fn bad_user_file_warns_with_line_and_keeps_defaults() {
    let (keymap, warnings) = with_user_file("[actions.quit]\nkeys = [\"x\"\nzh = \"退\"\n");
    assert_eq!(keymap, Keymap::default());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(matches!(w.problem, KeymapProblem::Syntax(_)), "{w:?}");
    assert!(w.file.as_ref().is_some_and(|f| f.ends_with("keymap.toml")));
    assert_eq!(w.line, Some(3));
    let zh = w.to_string();
    assert!(zh.starts_with("按键文件 "), "{zh}");
    assert!(zh.contains("keymap.toml 第 3 行: TOML 格式错误"), "{zh}");
    assert!(zh.ends_with("已使用默认按键"), "{zh}");
    assert!(w.message_en().contains("keymap.toml line 3: invalid TOML"));
}

#[test]
fn unknown_action_warns_and_rest_applies() {
    let (keymap, warnings) =
        with_user_file("[actions.quiit]\nkeys = [\"x\"]\n\n[actions.help]\nkeys = [\"h\"]\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(1));
    assert_eq!(
        warnings[0].problem,
        KeymapProblem::UnknownAction("quiit".into())
    );
    assert!(
        warnings[0]
            .to_string()
            .contains("第 1 行: 未知操作 \"quiit\"；已忽略")
    );
    assert_eq!(keymap.lookup(&ch('h'), KeyGroup::Global), Some("help"));
    // h was taken from nobody in the global group; list's back still has it
    assert_eq!(keymap.lookup(&ch('h'), KeyGroup::List), Some("back"));
}

#[test]
fn unparseable_key_warns_and_other_keys_apply() {
    let (keymap, warnings) =
        with_user_file("[actions.search]\nkeys = [\n  \"ctrl-f\",\n  \"ctrl-pgupp\",\n]\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(4));
    assert_eq!(
        warnings[0].problem,
        KeymapProblem::BadKey {
            key: "ctrl-pgupp".into(),
            error: KeyError::UnknownName("pgupp".into()),
        }
    );
    assert!(
        warnings[0]
            .message_en()
            .contains("unknown key name \"pgupp\"")
    );
    assert_eq!(keymap.lookup(&ctrl('f'), KeyGroup::List), Some("search"));
    assert_eq!(keymap.lookup(&ch('/'), KeyGroup::List), None);
}

#[test]
fn only_bad_keys_keep_the_defaults() {
    let (keymap, warnings) = with_user_file("[actions.quit]\nkeys = [\"hyper-q\"]\n");
    let problems: Vec<_> = warnings.iter().map(|w| &w.problem).collect();
    assert!(matches!(
        problems[..],
        [KeymapProblem::BadKey { .. }, KeymapProblem::NoValidKeys(_)]
    ));
    assert_eq!(keymap.lookup(&ch('q'), KeyGroup::List), Some("quit"));
}

#[test]
fn wrong_types_and_unknown_fields_warn_with_line() {
    let (keymap, warnings) = with_user_file(
        "[actions.quit]\nkeys = \"x\"\ncolour = 1\n\n[actions.help]\nkeys = [\"f9\"]\ngroup = \"list\"\n[other]\n",
    );
    let got: Vec<_> = warnings
        .iter()
        .map(|w| (w.line, w.problem.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (Some(2), wrong_type("keys", "a list of strings")),
            (Some(3), KeymapProblem::UnknownField("colour".into())),
            (
                Some(7),
                KeymapProblem::GroupChange {
                    action: "help".into(),
                    group: "global",
                }
            ),
            (Some(8), KeymapProblem::UnknownSection("other".into())),
        ]
    );
    // quit untouched, help rebound but still global
    assert_eq!(keymap.lookup(&ch('q'), KeyGroup::List), Some("quit"));
    let f9 = press(KeyCode::F(9), KeyModifiers::NONE);
    assert_eq!(keymap.lookup(&f9, KeyGroup::Form), Some("help"));
}

#[test]
fn two_user_actions_sharing_a_key_warn() {
    let (keymap, warnings) =
        with_user_file("[actions.add]\nkeys = [\"n\"]\n[actions.edit]\nkeys = [\"n\", \"e\"]\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(4));
    assert!(
        warnings[0]
            .to_string()
            .contains("同时绑定到 \"add\" 和 \"edit\"")
    );
    assert_eq!(keymap.lookup(&ch('n'), KeyGroup::List), Some("add"));
    assert_eq!(keymap.lookup(&ch('e'), KeyGroup::List), Some("edit"));
}

#[test]
fn help_rows_come_from_the_data() {
    let keymap = Keymap::default();
    let rows = keymap.help_rows(Lang::Zh);
    assert_eq!(rows.len(), keymap.actions().len());
    assert_eq!(
        rows[0],
        HelpRow {
            group: KeyGroup::Global,
            keys: "q, Ctrl-q, Ctrl-c".into(),
            description: "退出",
        }
    );
    let groups: Vec<KeyGroup> = rows.iter().map(|r| r.group).collect();
    let mut sorted = groups.clone();
    sorted.sort();
    assert_eq!(groups, sorted, "sections are contiguous, global first");
    let en = keymap.help_rows(Lang::En);
    assert!(
        en.iter()
            .any(|r| r.keys == "End, G" && r.description == "Go to bottom")
    );
    assert_eq!(keymap.hint("help").as_deref(), Some("?"));
    assert_eq!(keymap.hint("nope"), None);
}
