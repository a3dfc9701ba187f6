//! What `update` asks the driver to do: writes to the store and reloads. Keeping them as
//! data lets the state machine be tested without a terminal or a database.

use std::sync::Arc;

use serde_json::Value;

use crate::domain::EntityKind;
use crate::tui::app::App;

/// Something the driver made and a dialog keeps for its next step (a checked bundle, a
/// roster plan): handed back as it was, shared, never made again — the confirmation of a
/// preview applies what the preview showed.
pub struct Kept<T>(pub Arc<T>);

impl<T> Kept<T> {
    pub fn new(value: T) -> Kept<T> {
        Kept(Arc::new(value))
    }
}

impl<T> Clone for Kept<T> {
    fn clone(&self) -> Self {
        Kept(Arc::clone(&self.0))
    }
}

impl<T> std::fmt::Debug for Kept<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kept<{}>", std::any::type_name::<T>())
    }
}

/// The same kept value, not an equal one.
impl<T> PartialEq for Kept<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Where a form's values go.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Create(EntityKind),
    Edit(EntityKind, String),
}

/// One thing for the driver to do.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Sync: export, preview or apply an import, list or resolve conflicts.
    Sync(super::dialogs::sync::Request),
    /// Write a form's values through the store's one write path.
    Save {
        target: Target,
        values: Vec<(String, Value)>,
    },
    /// Tick a 六个员 item done on a day (with a note), or untick it (`on` = None).
    Tick {
        item: crate::usecase::duty::Item,
        on: Option<jiff::civil::Date>,
        note: String,
    },
    /// 四个无 — record whether a month's target was met.
    Attest {
        month: String,
        target: String,
        met: bool,
        note: Value,
    },
    /// Take a 六个员 role for a member, or give it back when `held`.
    ToggleRole {
        member: String,
        role: String,
        held: bool,
    },
    /// Bring back a deleted record.
    Restore { kind: EntityKind, id: String },
    /// Record a visit's outcome, its needs, the next visit and the ticks it earns, in one
    /// change.
    CompleteVisit {
        visit: String,
        completion: crate::domain::visit::Completion,
    },
    /// Record today's check-in (editing an earlier one today), opening needs for problems.
    Checkin(crate::usecase::checkin::Entry),
    /// Write a report file.
    Report(Box<crate::report::request::ReportCmd>),
    /// Read a roster spreadsheet and show what importing it would do.
    RosterPreview {
        path: std::path::PathBuf,
        skip_bad: bool,
    },
    /// Import the previewed roster spreadsheet: the plan its preview showed.
    RosterApply {
        plan: Kept<crate::report::roster_import::Plan>,
        skip_bad: bool,
    },
    /// Stop the work running on the worker before it commits (Esc on the gauge).
    Cancel,
    /// Read the buildings (with their counts) and open the picker.
    LoadBuildings,
    /// Read the snapshot again for the current view (another month, a log filter, an
    /// entry opened): nothing is written.
    Reload,
    /// Read a record and open it in an edit form.
    LoadForEdit { kind: EntityKind, id: String },
    /// Tombstone a record.
    Delete { kind: EntityKind, id: String },
    /// Revert the last change of this device.
    Undo,
    /// Create a 双结对 pairing.
    Pair { member: String, household: String },
    /// Make a building current (kept as a device-local setting).
    SelectBuilding(String),
    /// First run: create the building and remember the owner's name.
    Setup {
        building: Vec<(String, Value)>,
        owner: String,
    },
}

/// The status message after an effect succeeded (used by the driver).
pub fn done_message(app: &App, effect: &Effect) -> String {
    let s = app.s();
    match effect {
        Effect::Delete { .. } => s.deleted.to_string(),
        Effect::Pair { .. } => s.paired.to_string(),
        Effect::Undo => s.undone.to_string(),
        Effect::Save {
            target: Target::Create(EntityKind::Activity) | Target::Edit(EntityKind::Activity, _),
            values,
        } => crate::tui::panes::log::activity_saved_message(app, values),
        Effect::Save {
            target: Target::Create(_) | Target::Edit(..),
            ..
        }
        | Effect::Setup { .. } => s.saved.to_string(),
        Effect::Tick { on: Some(_), .. } => s.d.ticked.to_string(),
        Effect::Tick { on: None, .. } => s.d.unticked.to_string(),
        Effect::Attest { .. } => s.saved.to_string(),
        Effect::ToggleRole { .. } => s.d.roles_changed.to_string(),
        Effect::Restore { .. } => s.d.restored.to_string(),
        Effect::CompleteVisit { .. } => s.visit_done.to_string(),
        Effect::Checkin(_) => s.checkin_saved.to_string(),
        Effect::SelectBuilding(_)
        | Effect::LoadForEdit { .. }
        | Effect::LoadBuildings
        | Effect::Report(_)
        | Effect::RosterPreview { .. }
        | Effect::RosterApply { .. }
        | Effect::Reload
        | Effect::Cancel
        | Effect::Sync(_) => String::new(),
    }
}
