//! Everything that can happen to the interface, as data: keys become actions, the driver
//! reports what its effects did as actions, and `update` is the only place they act.

use super::app::Pane;
use super::data::Data;

/// One thing that happens.
#[derive(Debug)]
pub enum Action {
    Quit,
    Help,
    NextPane,
    PrevPane,
    Focus(Pane),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selected row, confirm, or move on in a form.
    Open,
    /// Esc: close what is open, clear the search, go back.
    Back,
    Add,
    Edit,
    Delete,
    Undo,
    Search,
    FilterTag,
    BuildingPicker,
    AddMember,
    Pair,
    Save,
    /// Open today's check-in (巡楼).
    Checkin,
    /// Open the report dialog.
    Report,
    /// Roster: import a roster spreadsheet.
    RosterImport,
    /// Visits pane: switch to the needs ledger and back.
    ToggleNeeds,
    OverdueOnly,
    /// Needs: move to the next status.
    Advance,
    /// Check-in: also open a need for the problem under the cursor.
    ToggleNeed,
    /// 六个员: the month before / after.
    PrevPeriod,
    NextPeriod,
    /// Log: bring back the deleted record of the entry.
    Restore,
    /// Log: switch between the journal and the list of 楼组活动.
    ToggleView,
    /// Log: choose a date range.
    FilterDates,
    /// 导出数据包 — write a bundle for a trusted device.
    Export,
    /// 导入数据包 — preview, then apply a bundle.
    Import,
    /// 冲突 — the list of concurrent edits to settle.
    Conflicts,
    /// Office mode: per-building figures for the building picker (last bundle received,
    /// overdue visits, open needs, duties).
    OfficeStats(Vec<crate::sync::office::BuildingStats>),
    /// The driver answered a sync request.
    SyncReply(Box<super::dialogs::sync::Reply>),
    NextField,
    PrevField,
    /// A character typed into the focused input (IME commits arrive as these too).
    Type(char),
    /// Several characters at once (paste, some IMEs).
    Paste(String),
    Backspace,
    DeleteForward,
    Left,
    Right,
    Home,
    End,
    /// The answer to a yes/no question.
    Yes,
    No,
    /// Over 放弃已输入的内容？: throw the typed text away.
    Discard,
    /// In the conflicts list: keep side A or B.
    KeepA,
    KeepB,
    Resize(u16, u16),
    /// The driver read a fresh snapshot from the store.
    Loaded(Box<Data>),
    /// The driver read a roster spreadsheet: what importing it would do.
    RosterPlanned {
        summary: String,
        errors: usize,
        writes: bool,
        plan: super::effect::Kept<crate::report::roster_import::Plan>,
        skip_bad: bool,
    },
    /// How far the work on the worker has come (the gauge).
    Progress(crate::progress::Step),
    /// The driver read the view-dependent part again (another month, a log filter).
    ViewLoaded(Box<crate::tui::data::ViewPart>),
    /// The driver read the buildings for the picker.
    BuildingsLoaded(Vec<crate::store::BuildingRow>),
    /// The driver read a record to edit.
    EditRecord(Box<crate::store::Record>),
    /// The driver finished an effect; the message goes to the status line.
    Done(String),
    /// An effect failed; nothing was written. The message says why.
    Failed(String),
}

impl Action {
    /// The action a keymap entry names (`keymap.toml` uses these snake_case names).
    pub fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "quit" => Action::Quit,
            "help" => Action::Help,
            "next_pane" => Action::NextPane,
            "prev_pane" => Action::PrevPane,
            "focus_roster" => Action::Focus(Pane::Roster),
            "focus_visits" => Action::Focus(Pane::Visits),
            "focus_duties" => Action::Focus(Pane::Duties),
            "focus_log" => Action::Focus(Pane::Log),
            "up" => Action::Up,
            "down" => Action::Down,
            "page_up" => Action::PageUp,
            "page_down" => Action::PageDown,
            "top" => Action::Top,
            "bottom" => Action::Bottom,
            "open" => Action::Open,
            "back" | "cancel" => Action::Back,
            "add" => Action::Add,
            "edit" => Action::Edit,
            "delete" => Action::Delete,
            "undo" => Action::Undo,
            "search" => Action::Search,
            "filter_tag" => Action::FilterTag,
            "building_picker" => Action::BuildingPicker,
            "add_member" => Action::AddMember,
            "pair" => Action::Pair,
            "save" => Action::Save,
            "checkin" => Action::Checkin,
            "report" => Action::Report,
            "roster_import" => Action::RosterImport,
            "toggle_needs" => Action::ToggleNeeds,
            "overdue_only" => Action::OverdueOnly,
            "advance" => Action::Advance,
            "toggle_need" => Action::ToggleNeed,
            "prev_period" => Action::PrevPeriod,
            "next_period" => Action::NextPeriod,
            "restore" => Action::Restore,
            "toggle_view" => Action::ToggleView,
            "filter_dates" => Action::FilterDates,
            "export" => Action::Export,
            "import" => Action::Import,
            "conflicts" => Action::Conflicts,
            "next_field" => Action::NextField,
            "cursor_left" => Action::Left,
            "cursor_right" => Action::Right,
            "line_start" => Action::Home,
            "line_end" => Action::End,
            "backspace" => Action::Backspace,
            "delete_forward" => Action::DeleteForward,
            "submit_field" => Action::Open,
            "yes" | "trust" => Action::Yes,
            "no" => Action::No,
            "discard" => Action::Discard,
            "keep_a" => Action::KeepA,
            "keep_b" => Action::KeepB,
            "prev_field" => Action::PrevField,
            _ => return None,
        })
    }
}
