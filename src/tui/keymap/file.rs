//! Reading a keymap file: TOML parsed with spans, so every problem is reported with its
//! line, and the rest of the file still applies.

use std::fmt;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{KeyBinding, KeyError, KeyGroup};
use crate::text::line_of;

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
    /// The group name is not global, list or form.
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
                format!("unknown group \"{g}\" (global, list, form)"),
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
            P::UnknownGroup(g) => write!(f, "未知分组 \"{g}\"（可用 global、list、form）；已忽略"),
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
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) line: usize,
    pub(super) group: Option<(KeyGroup, usize)>,
    /// Whether `keys` was present (an empty list unbinds).
    pub(super) keys_given: bool,
    /// Whether `keys` listed anything, valid or not.
    pub(super) had_keys: bool,
    /// Line of the `keys` field (of the section when absent).
    pub(super) keys_line: usize,
    pub(super) keys: Vec<(KeyBinding, usize)>,
    pub(super) zh: Option<String>,
    pub(super) en: Option<String>,
}

/// Reads a keymap file into entries in file order, pushing a warning for every problem and
/// skipping only what the problem touches.
pub(super) fn parse(
    text: &str,
    file: Option<&Path>,
    warnings: &mut Vec<KeymapWarning>,
) -> Vec<Entry> {
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

pub(super) fn wrong_type(field: &str, expected: &'static str) -> KeymapProblem {
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
