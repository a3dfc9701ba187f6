//! The keymap (按键) as data: which keys trigger which action, and how the help overlay
//! describes them.
//!
//! Defaults live in the embedded `keymap.toml`; a user's `<config dir>/keymap.toml`
//! replaces the keys of the actions it names. Actions are snake_case names
//! (`focus_roster`); the app maps them to its own `Action` enum, so this module knows
//! nothing about what an action does. Every binding carries Chinese and English text,
//! which is all the help overlay shows: it can never disagree with the real bindings.
//!
//! A mistake in the user file never costs the user their keys: each problem becomes a
//! [`KeymapWarning`] with file, line and reason, and everything else in the file applies.

mod key;

use crate::i18n::Lang;
use crate::text::line_of;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use key::{KeyBinding, KeyError, fold_ime_char};

/// The default bindings, embedded so louzu works with no files installed.
const DEFAULT_KEYMAP: &str = include_str!("keymap.toml");

/// Where a binding is active.
///
/// Lists and forms reuse keys (Tab, ↑, ↓) for different things; the app passes the group
/// that has focus and [`Keymap::lookup`] falls back to `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyGroup {
    /// Works everywhere (quit, help, pane focus) unless a focused group binds the key.
    Global,
    /// Lists and tables: moving, opening, adding, deleting.
    List,
    /// Forms and search boxes: plain characters are typed, not looked up globally.
    Form,
    /// A yes/no question (trust this device?): its own keys, so `y` answers there and
    /// nowhere else.
    Confirm,
}

impl KeyGroup {
    /// All groups in help-overlay order.
    pub const ALL: [KeyGroup; 4] = [
        KeyGroup::Global,
        KeyGroup::List,
        KeyGroup::Form,
        KeyGroup::Confirm,
    ];

    /// The name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            KeyGroup::Global => "global",
            KeyGroup::List => "list",
            KeyGroup::Form => "form",
            KeyGroup::Confirm => "confirm",
        }
    }

    /// Parses the name used in keymap files.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.name() == name)
    }

    /// Section heading for the help overlay.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (KeyGroup::Global, Lang::Zh) => "全局",
            (KeyGroup::List, Lang::Zh) => "列表",
            (KeyGroup::Form, Lang::Zh) => "表单与搜索框",
            (KeyGroup::Confirm, Lang::Zh) => "确认",
            (KeyGroup::Global, Lang::En) => "Everywhere",
            (KeyGroup::List, Lang::En) => "Lists",
            (KeyGroup::Form, Lang::En) => "Forms and search",
            (KeyGroup::Confirm, Lang::En) => "Questions",
        }
    }
}

/// One action's keys and descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionBinding {
    /// snake_case action name, matched by the app to its `Action` enum.
    pub name: String,
    /// Where the keys work.
    pub group: KeyGroup,
    /// Keys that trigger the action; empty when the user unbound it.
    pub keys: Vec<KeyBinding>,
    /// 中文说明 for the help overlay.
    pub zh: String,
    /// English description for the help overlay.
    pub en: String,
}

impl ActionBinding {
    /// The description in the given language.
    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// One line of the help overlay, generated from the bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow<'a> {
    /// Section the row belongs to.
    pub group: KeyGroup,
    /// The keys, as labels joined with `, ` (`q, Ctrl-q, Ctrl-c`).
    pub keys: String,
    /// What the keys do.
    pub description: &'a str,
}

/// All bindings, in the order of the default file (which is the help order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    actions: Vec<ActionBinding>,
}

impl Default for Keymap {
    /// The embedded defaults (checked by tests to parse without warnings).
    fn default() -> Self {
        let mut warnings = Vec::new();
        let actions = parse(DEFAULT_KEYMAP, None, &mut warnings)
            .into_iter()
            .map(|entry| ActionBinding {
                group: entry.group.map_or(KeyGroup::Global, |(g, _)| g),
                keys: entry.keys.into_iter().map(|(k, _)| k).collect(),
                zh: entry.zh.unwrap_or_else(|| entry.name.clone()),
                en: entry.en.unwrap_or_else(|| entry.name.clone()),
                name: entry.name,
            })
            .collect();
        Self { actions }
    }
}

impl Keymap {
    /// The defaults with `user_dir/keymap.toml` applied, never failing.
    ///
    /// For each action the user file names, its `keys` replace the default keys (an empty
    /// list unbinds it) and `zh`/`en` replace the descriptions. A key the user gives to one
    /// action is taken away from default bindings in the same group, so rebinding `q`
    /// needs no second edit. Problems are returned as warnings; the rest still applies.
    pub fn load(user_dir: Option<&Path>) -> (Keymap, Vec<KeymapWarning>) {
        let mut keymap = Keymap::default();
        let mut warnings = Vec::new();
        let Some(path) = user_dir.map(|d| d.join("keymap.toml")) else {
            return (keymap, warnings);
        };
        if !path.is_file() {
            return (keymap, warnings);
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let entries = parse(&text, Some(&path), &mut warnings);
                keymap.apply(entries, &path, &mut warnings);
                keymap.keep_essentials(&path, &mut warnings);
                warnings.sort_by_key(|w| w.line);
            }
            Err(e) => warnings.push(KeymapWarning {
                file: Some(path),
                line: None,
                problem: KeymapProblem::Unreadable(e.to_string()),
            }),
        }
        (keymap, warnings)
    }

    /// Gives back their default keys to the actions no keymap may leave unbound.
    fn keep_essentials(&mut self, path: &Path, warnings: &mut Vec<KeymapWarning>) {
        let defaults = Keymap::default();
        for name in ["quit", "help", "save", "cancel"] {
            let Some(idx) = self.actions.iter().position(|a| a.name == name) else {
                continue;
            };
            if !self.actions[idx].keys.is_empty() {
                continue;
            }
            let group = self.actions[idx].group;
            let taken: Vec<KeyBinding> = self
                .actions
                .iter()
                .filter(|a| a.group == group)
                .flat_map(|a| a.keys.iter().cloned())
                .collect();
            let keys: Vec<KeyBinding> = defaults
                .action(name)
                .map(|a| a.keys.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|k| !taken.contains(k))
                .collect();
            self.actions[idx].keys = keys;
            warnings.push(KeymapWarning {
                file: Some(path.to_path_buf()),
                line: None,
                problem: KeymapProblem::Essential(name.to_string()),
            });
        }
    }

    /// Applies user entries over the current bindings.
    fn apply(&mut self, entries: Vec<Entry>, path: &Path, warnings: &mut Vec<KeymapWarning>) {
        let warn = |line: usize, problem| KeymapWarning {
            file: Some(path.to_path_buf()),
            line: Some(line),
            problem,
        };
        let mut user_set = vec![false; self.actions.len()];
        for entry in entries {
            let Some(idx) = self.actions.iter().position(|a| a.name == entry.name) else {
                warnings.push(warn(entry.line, KeymapProblem::UnknownAction(entry.name)));
                continue;
            };
            let group = self.actions[idx].group;
            if let Some((wanted, line)) = entry.group
                && wanted != group
            {
                warnings.push(warn(
                    line,
                    KeymapProblem::GroupChange {
                        action: entry.name.clone(),
                        group: group.name(),
                    },
                ));
            }
            if entry.keys.is_empty() && entry.had_keys {
                warnings.push(warn(
                    entry.keys_line,
                    KeymapProblem::NoValidKeys(entry.name.clone()),
                ));
            } else if entry.keys_given {
                let mut keys = Vec::with_capacity(entry.keys.len());
                for (key, line) in entry.keys {
                    let holder = self.actions.iter().enumerate().find(|(j, a)| {
                        *j != idx && a.group == group && user_set[*j] && a.keys.contains(&key)
                    });
                    if let Some((_, holder)) = holder {
                        warnings.push(warn(
                            line,
                            KeymapProblem::Conflict {
                                key: key.to_string(),
                                kept: holder.name.clone(),
                                dropped: entry.name.clone(),
                            },
                        ));
                        continue;
                    }
                    for (j, other) in self.actions.iter_mut().enumerate() {
                        if j != idx && other.group == group {
                            other.keys.retain(|k| *k != key);
                        }
                    }
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
                self.actions[idx].keys = keys;
                user_set[idx] = true;
            }
            if let Some(zh) = entry.zh {
                self.actions[idx].zh = zh;
            }
            if let Some(en) = entry.en {
                self.actions[idx].en = en;
            }
        }
    }

    /// The action a key triggers where `group` has focus, falling back to global bindings.
    ///
    /// In [`KeyGroup::Form`] a plain character (no Ctrl/Alt) never reaches the global
    /// bindings: typing 王 or `q` or `1` into a field must not quit or switch panes. Key
    /// releases are ignored (Windows terminals report them). IME full-width characters and
    /// shift+letter are normalised first ([`KeyBinding::from_event`]).
    pub fn lookup(&self, event: &KeyEvent, group: KeyGroup) -> Option<&str> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let key = KeyBinding::from_event(event);
        self.find(key, group).or_else(|| {
            let typed_in_form = group == KeyGroup::Form && key.is_text();
            if group == KeyGroup::Global || typed_in_form {
                None
            } else {
                self.find(key, KeyGroup::Global)
            }
        })
    }

    fn find(&self, key: KeyBinding, group: KeyGroup) -> Option<&str> {
        self.actions
            .iter()
            .find(|a| a.group == group && a.keys.contains(&key))
            .map(|a| a.name.as_str())
    }

    /// Every binding, in help order, for settings screens and tests.
    pub fn actions(&self) -> &[ActionBinding] {
        &self.actions
    }

    /// The binding of one action, e.g. to show its keys in a status-bar hint.
    pub fn action(&self, name: &str) -> Option<&ActionBinding> {
        self.actions.iter().find(|a| a.name == name)
    }

    /// The label of an action's first key (`?`, `Ctrl-s`), for hints like "? 帮助"; `None`
    /// if the action is unknown or unbound.
    pub fn hint(&self, name: &str) -> Option<String> {
        self.action(name)?.keys.first().map(KeyBinding::label)
    }

    /// Rows for the `?` overlay: sections in [`KeyGroup::ALL`] order, actions in file order,
    /// unbound actions left out.
    pub fn help_rows(&self, lang: Lang) -> Vec<HelpRow<'_>> {
        KeyGroup::ALL
            .into_iter()
            .flat_map(|group| {
                self.actions
                    .iter()
                    .filter(move |a| a.group == group && !a.keys.is_empty())
            })
            .map(|a| HelpRow {
                group: a.group,
                keys: a
                    .keys
                    .iter()
                    .map(KeyBinding::label)
                    .collect::<Vec<_>>()
                    .join(", "),
                description: a.description(lang),
            })
            .collect()
    }
}

/// A keymap-file problem; the rest of the file still applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapWarning {
    /// The user's file, or `None` for the embedded defaults.
    pub file: Option<PathBuf>,
    /// 1-based line of the problem, when it can be pointed at.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: KeymapProblem,
}

/// What is wrong in a keymap file, in terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeymapProblem {
    /// The file exists but could not be read; defaults are used.
    Unreadable(String),
    /// Not valid TOML; defaults are used.
    Syntax(String),
    /// A top-level key other than `actions`; ignored.
    UnknownSection(String),
    /// `[actions.NAME]` with a name louzu does not have; ignored.
    UnknownAction(String),
    /// A field other than keys, group, zh, en; ignored.
    UnknownField(String),
    /// A field with the wrong kind of value; ignored.
    WrongType {
        /// The field, e.g. `keys`.
        field: String,
        /// What it should be, in English (`a list of strings`).
        expected: &'static str,
    },
    /// A key that cannot be parsed; that key is ignored.
    BadKey {
        /// The key as written.
        key: String,
        /// Why it is not a key.
        error: KeyError,
    },
    /// `keys` listed only bad keys; the action keeps its default keys.
    NoValidKeys(String),
    /// A user file tried to move an action to another group; it stays.
    GroupChange {
        /// The action.
        action: String,
        /// The group it keeps.
        group: &'static str,
    },
    /// Two actions in the user file share a key in one group; the first keeps it.
    Conflict {
        /// The key.
        key: String,
        /// The action that keeps it.
        kept: String,
        /// The action that loses it.
        dropped: String,
    },
    /// The group name is not global, list, form or confirm.
    UnknownGroup(String),
    /// The file left an action every leader needs (quit, help, save, cancel) without a
    /// key; its default keys are kept so louzu can always be left and explained.
    Essential(String),
}

impl KeymapWarning {
    /// The English message, for logs and users who run louzu in English.
    pub fn message_en(&self) -> String {
        use KeymapProblem as P;
        let (problem, outcome) = match &self.problem {
            P::Unreadable(why) => (
                format!("cannot read the file: {why}"),
                "using the default keys".to_string(),
            ),
            P::Syntax(why) => (
                format!("invalid TOML: {why}"),
                "using the default keys".into(),
            ),
            P::UnknownSection(s) => (
                format!("unknown section \"{s}\" (only [actions.NAME])"),
                "ignored".into(),
            ),
            P::UnknownAction(a) => (format!("unknown action \"{a}\""), "ignored".into()),
            P::UnknownField(f) => (
                format!("unknown field \"{f}\" (keys, group, zh, en)"),
                "ignored".into(),
            ),
            P::WrongType { field, expected } => (
                format!("\"{field}\" should be {expected}"),
                "ignored".into(),
            ),
            P::BadKey { key, error } => (
                format!("cannot read key \"{key}\": {}", error.reason_en()),
                "this key is ignored".into(),
            ),
            P::NoValidKeys(a) => (
                format!("no usable key for \"{a}\""),
                "its default keys are kept".into(),
            ),
            P::Essential(a) => (
                format!("\"{a}\" would have no key left"),
                "its default keys are kept, so louzu can always be left and explained".into(),
            ),
            P::GroupChange { action, group } => (
                format!("the group of \"{action}\" cannot be changed"),
                format!("it stays \"{group}\""),
            ),
            P::Conflict { key, kept, dropped } => (
                format!("key \"{key}\" is bound to both \"{kept}\" and \"{dropped}\""),
                format!("it stays with \"{kept}\""),
            ),
            P::UnknownGroup(g) => (
                format!("unknown group \"{g}\" (global, list, form, confirm)"),
                "ignored".into(),
            ),
        };
        let place = match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("keymap file {} line {line}", file.display()),
            (Some(file), None) => format!("keymap file {}", file.display()),
            (None, Some(line)) => format!("built-in keymap line {line}"),
            (None, None) => "built-in keymap".to_string(),
        };
        format!("{place}: {problem}; {outcome}")
    }
}

impl fmt::Display for KeymapWarning {
    /// The Chinese message shown in the status bar and on start-up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use KeymapProblem as P;
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "按键文件 {} 第 {line} 行: ", file.display())?,
            (Some(file), None) => write!(f, "按键文件 {}: ", file.display())?,
            (None, Some(line)) => write!(f, "内置按键表第 {line} 行: ")?,
            (None, None) => write!(f, "内置按键表: ")?,
        }
        match &self.problem {
            P::Unreadable(why) => write!(f, "无法读取文件（{why}）；已使用默认按键"),
            P::Syntax(why) => write!(f, "TOML 格式错误（{why}）；已使用默认按键"),
            P::UnknownSection(s) => {
                write!(f, "未知的设置段 \"{s}\"（只支持 [actions.名称]）；已忽略")
            }
            P::UnknownAction(a) => write!(f, "未知操作 \"{a}\"；已忽略"),
            P::UnknownField(x) => write!(f, "未知字段 \"{x}\"（可用 keys、group、zh、en）；已忽略"),
            P::WrongType { field, expected } => write!(
                f,
                "\"{field}\" 的值类型不对（应为 {}）；已忽略",
                expected_zh(expected)
            ),
            P::BadKey { key, error } => write!(
                f,
                "无法识别按键 \"{key}\"：{}；已忽略此键",
                error.reason_zh()
            ),
            P::NoValidKeys(a) => write!(f, "\"{a}\" 没有可用的按键；保留默认按键"),
            P::Essential(a) => write!(
                f,
                "\"{a}\" 不能没有按键（否则无法退出或查看帮助）；保留默认按键"
            ),
            P::GroupChange { action, group } => {
                write!(f, "不能更改 \"{action}\" 的分组；仍为 \"{group}\"")
            }
            P::Conflict { key, kept, dropped } => write!(
                f,
                "按键 \"{key}\" 同时绑定到 \"{kept}\" 和 \"{dropped}\"；仍归 \"{kept}\""
            ),
            P::UnknownGroup(g) => write!(
                f,
                "未知分组 \"{g}\"（可用 global、list、form、confirm）；已忽略"
            ),
        }
    }
}

impl std::error::Error for KeymapWarning {}

/// Chinese for the `expected` phrases used in [`KeymapProblem::WrongType`].
fn expected_zh(expected: &str) -> &'static str {
    match expected {
        "a list of strings" => "字符串列表",
        "a table" => "表",
        _ => "字符串",
    }
}

/// One `[actions.NAME]` section as read from a file, with lines for later warnings.
struct Entry {
    name: String,
    line: usize,
    group: Option<(KeyGroup, usize)>,
    /// Whether `keys` was present (an empty list unbinds).
    keys_given: bool,
    /// Whether `keys` listed anything, valid or not.
    had_keys: bool,
    /// Line of the `keys` field (of the section when absent).
    keys_line: usize,
    keys: Vec<(KeyBinding, usize)>,
    zh: Option<String>,
    en: Option<String>,
}

/// Reads a keymap file into entries in file order, pushing a warning for every problem and
/// skipping only what the problem touches.
fn parse(text: &str, file: Option<&Path>, warnings: &mut Vec<KeymapWarning>) -> Vec<Entry> {
    let line = |offset: usize| line_of(text, offset);
    let mut warn = |offset: usize, problem| {
        warnings.push(KeymapWarning {
            file: file.map(Path::to_path_buf),
            line: Some(line(offset)),
            problem,
        });
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            warn(
                offset,
                KeymapProblem::Syntax(e.message().trim().to_string()),
            );
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    for (key, value) in in_file_order(&root) {
        if key.get_ref() != "actions" {
            warn(
                key.span().start,
                KeymapProblem::UnknownSection(key.get_ref().to_string()),
            );
            continue;
        }
        let DeValue::Table(actions) = value.get_ref() else {
            warn(value.span().start, wrong_type("actions", "a table"));
            continue;
        };
        for (name, body) in in_file_order(actions) {
            let DeValue::Table(fields) = body.get_ref() else {
                warn(body.span().start, wrong_type(name.get_ref(), "a table"));
                continue;
            };
            let mut entry = Entry {
                name: name.get_ref().to_string(),
                line: line(name.span().start),
                group: None,
                keys_given: false,
                had_keys: false,
                keys_line: line(name.span().start),
                keys: Vec::new(),
                zh: None,
                en: None,
            };
            for (field, value) in in_file_order(fields) {
                let start = value.span().start;
                match (field.get_ref().as_ref(), value.get_ref()) {
                    ("keys", DeValue::Array(items)) => {
                        entry.keys_given = true;
                        entry.had_keys = !items.is_empty();
                        entry.keys_line = line(start);
                        for item in items.iter() {
                            let DeValue::String(s) = item.get_ref() else {
                                warn(item.span().start, wrong_type("keys", "a list of strings"));
                                continue;
                            };
                            match s.parse::<KeyBinding>() {
                                Ok(k) => entry.keys.push((k, line(item.span().start))),
                                Err(error) => warn(
                                    item.span().start,
                                    KeymapProblem::BadKey {
                                        key: s.to_string(),
                                        error,
                                    },
                                ),
                            }
                        }
                    }
                    ("keys", _) => warn(start, wrong_type("keys", "a list of strings")),
                    ("group", DeValue::String(g)) => match KeyGroup::from_name(g) {
                        Some(group) => entry.group = Some((group, line(start))),
                        None => warn(start, KeymapProblem::UnknownGroup(g.to_string())),
                    },
                    ("zh", DeValue::String(s)) => entry.zh = Some(s.to_string()),
                    ("en", DeValue::String(s)) => entry.en = Some(s.to_string()),
                    (f @ ("group" | "zh" | "en"), _) => warn(start, wrong_type(f, "a string")),
                    (other, _) => warn(
                        field.span().start,
                        KeymapProblem::UnknownField(other.to_string()),
                    ),
                }
            }
            entries.push(entry);
        }
    }
    entries
}

fn wrong_type(field: &str, expected: &'static str) -> KeymapProblem {
    KeymapProblem::WrongType {
        field: field.to_string(),
        expected,
    }
}

/// Table entries sorted by position in the file (toml's map is sorted by key), so help
/// rows follow the order the file was written in.
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

#[cfg(test)]
mod tests;
