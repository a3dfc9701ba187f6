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

mod file;
mod key;

use crate::i18n::Lang;
use std::path::Path;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use file::{Entry, parse};
pub use file::{KeymapProblem, KeymapWarning};
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
    /// Editing the text of a field or search box (cursor, delete, Enter to go on).
    Typing,
    /// A yes/no question (delete this?).
    Confirm,
    /// 放弃已输入的内容？ — one key throws the text away, any other keeps it.
    Discard,
    /// The conflicts list: keep A or B.
    Conflicts,
    /// Trust this device? Answered only by its own key, never Enter: a device is trusted
    /// after its fingerprint was read, not by a run of Enters.
    Trust,
}

impl KeyGroup {
    /// All groups in help-overlay order.
    pub const ALL: [KeyGroup; 8] = [
        KeyGroup::Global,
        KeyGroup::List,
        KeyGroup::Form,
        KeyGroup::Typing,
        KeyGroup::Confirm,
        KeyGroup::Discard,
        KeyGroup::Conflicts,
        KeyGroup::Trust,
    ];

    /// The name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            KeyGroup::Global => "global",
            KeyGroup::List => "list",
            KeyGroup::Form => "form",
            KeyGroup::Typing => "typing",
            KeyGroup::Confirm => "confirm",
            KeyGroup::Discard => "discard",
            KeyGroup::Conflicts => "conflicts",
            KeyGroup::Trust => "trust",
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
            (KeyGroup::Global, Lang::En) => "Everywhere",
            (KeyGroup::List, Lang::En) => "Lists",
            (KeyGroup::Form, Lang::En) => "Forms and search",
            (KeyGroup::Typing, Lang::Zh) => "输入文字时",
            (KeyGroup::Typing, Lang::En) => "While typing",
            (KeyGroup::Confirm, Lang::Zh) => "确认提问",
            (KeyGroup::Confirm, Lang::En) => "Questions",
            (KeyGroup::Discard, Lang::Zh) => "放弃已输入的内容？",
            (KeyGroup::Discard, Lang::En) => "Discard what was typed?",
            (KeyGroup::Trust, Lang::Zh) => "信任设备（核对指纹后）",
            (KeyGroup::Trust, Lang::En) => "Trusting a device (after checking its fingerprint)",
            (KeyGroup::Conflicts, Lang::Zh) => "冲突列表",
            (KeyGroup::Conflicts, Lang::En) => "Conflicts list",
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

    /// Every key of an action, for a question's own hint line ("Enter/y").
    pub fn hint_all(&self, name: &str) -> String {
        self.action(name)
            .map(|a| {
                a.keys
                    .iter()
                    .map(KeyBinding::label)
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }

    /// Whether a key press is one of an action's keys (where one question asks for a
    /// particular answer, whatever else its group binds to the key).
    pub fn binds(&self, name: &str, event: &KeyEvent) -> bool {
        event.kind != KeyEventKind::Release
            && self
                .action(name)
                .is_some_and(|a| a.keys.contains(&KeyBinding::from_event(event)))
    }

    /// The action a key triggers in the first of `layers` that binds it, then globally —
    /// except a plain character while typing, which is text.
    pub fn lookup_layers(&self, event: &KeyEvent, layers: &[KeyGroup]) -> Option<&str> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let key = KeyBinding::from_event(event);
        if let Some(found) = layers.iter().find_map(|g| self.find(key, *g)) {
            return Some(found);
        }
        let typing = layers
            .iter()
            .any(|g| matches!(g, KeyGroup::Form | KeyGroup::Typing));
        if typing && key.is_text() {
            return None;
        }
        self.find(key, KeyGroup::Global)
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

#[cfg(test)]
mod tests;
