//! 用例 — one function per thing the leader does (add a household, complete a visit,
//! check in, tick a duty…). Each builds ONE [`Change`]: the record plus everything the
//! rules derive from it (the next planned visit, the needs it opens, the 六个员 items it
//! earns), committed once — one transaction, one journal entry, one undo step. The TUI
//! driver and the CLI both call these, so the two can never apply different rules.

pub mod cadence;
pub mod checkin;
pub mod duty;
pub mod record;
pub mod scope;
pub mod setup;
pub mod undo;
pub mod visit;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_props;

use serde_json::Value;

use crate::domain::EntityKind;
use crate::domain::cadence::Cadences;
use crate::domain::duty::RoleSet;
use crate::domain::edit::Edit;
use crate::i18n::Lang;
use crate::store::{Action, Change, Store, StoreError};

/// The rules an action applies besides the record itself, from the leader's config.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Visit cadence per household tag (独居老人 weekly…).
    pub cadences: Cadences,
    /// The 六个员 role set, whose auto-tick rules completed visits and check-ins earn.
    pub duties: RoleSet,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            cadences: Cadences::default(),
            duties: RoleSet::default_set(),
        }
    }
}

impl Rules {
    /// The rules as the leader's `config.toml` sets them (the folder `louzu` reads, or
    /// `LOUZU_CONFIG_DIR`), for work no command passes rules to: re-planning visits after
    /// an import. A file with problems leaves the defaults where it is wrong (the
    /// interface said so when it started).
    pub fn configured() -> Rules {
        let (config, _) = crate::config::Config::load(crate::config::config_dir().as_deref());
        Rules {
            cadences: config.cadences(),
            duties: RoleSet::default_set(),
        }
    }
}

/// What an action did, for the interface to say and select.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Done {
    /// The change written; `None` when nothing differed from what was stored.
    pub change: Option<String>,
    /// The record the action was about (a new record's id after a create).
    pub record: Option<String>,
    /// What the rules added to the same change.
    pub derived: Derived,
}

/// Records the rules added to an action's change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// The cadence rule (or the follow-up date) planned the next visit.
    pub planned_visit: bool,
    /// Needs (民情诉求) opened.
    pub needs: usize,
    /// 六个员 items ticked automatically.
    pub ticks: Vec<String>,
}

impl Derived {
    /// `（及其走访计划、2 条诉求）` — appended to a status line; empty when nothing was added.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if self.planned_visit {
            parts.push(lang.pick("走访计划", "planned visit").to_string());
        }
        if self.needs > 0 {
            parts.push(match lang {
                Lang::Zh => format!("{}条诉求", self.needs),
                Lang::En if self.needs == 1 => "1 need".to_string(),
                Lang::En => format!("{} needs", self.needs),
            });
        }
        if !self.ticks.is_empty() {
            parts.push(match lang {
                Lang::Zh => format!("六个员打勾：{}", self.ticks.join("、")),
                Lang::En => format!("duty ticks: {}", self.ticks.join(", ")),
            });
        }
        if parts.is_empty() {
            return String::new();
        }
        match lang {
            Lang::Zh => format!("（及{}）", parts.join("、")),
            Lang::En => format!(" (with {})", parts.join(", ")),
        }
    }
}

/// A new record id (UUIDv7: time-ordered, unique across devices).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The edits that create a record: its tombstone flag, then every field that has a value.
pub(crate) fn create_edits(kind: EntityKind, id: &str, fields: Vec<(&str, Value)>) -> Vec<Edit> {
    let mut edits = vec![Edit::new(kind, id, "deleted", false)];
    edits.extend(
        fields
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(f, v)| Edit::new(kind, id, f, v)),
    );
    edits
}

/// Commits one action's edits as one change; nothing is written when there are none.
pub(crate) fn commit(
    store: &mut Store,
    action: Action,
    label: String,
    edits: Vec<Edit>,
) -> Result<Option<String>, StoreError> {
    if edits.is_empty() {
        return Ok(None);
    }
    store
        .commit(Change {
            action,
            edits,
            label,
            undoes: None,
        })
        .map(Some)
}

/// A text field's value: trimmed, or null when blank (so a blank never overwrites with "").
pub(crate) fn text_or_null(s: &str) -> Value {
    let t = s.trim();
    if t.is_empty() {
        Value::Null
    } else {
        Value::String(t.to_string())
    }
}
