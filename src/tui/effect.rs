//! What `update` asks the driver to do: writes to the store and reloads. Keeping them as
//! data lets the state machine be tested without a terminal or a database.

use serde_json::Value;

use crate::domain::EntityKind;

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
    /// Any change built by a pane (a tick, a completed visit), through the one write path;
    /// `message` goes to the status line when it is done.
    Commit {
        change: crate::store::Change,
        message: String,
    },
    /// Record a visit's outcome, its needs and the next visit, in one change.
    CompleteVisit {
        visit: String,
        completion: crate::store::Completion,
    },
    /// Record today's check-in (editing an earlier one today), opening needs for problems.
    Checkin {
        findings: Vec<(String, crate::domain::checkin::Finding)>,
        note: String,
        needs: Vec<String>,
    },
    /// Write a report file.
    Report(Box<crate::cli::report::ReportCmd>),
    /// Read a roster spreadsheet and show what importing it would do.
    RosterPreview {
        path: std::path::PathBuf,
        skip_bad: bool,
    },
    /// Import the previewed roster spreadsheet.
    RosterApply {
        path: std::path::PathBuf,
        skip_bad: bool,
    },
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
