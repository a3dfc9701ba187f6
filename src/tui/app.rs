//! The application state. Only [`super::update::update`] changes it; drawing reads it.

use super::data::Data;
use super::dialogs::confirm::Confirm;
use super::dialogs::form::Form;
use super::dialogs::picker::Picker;
use super::keymap::Keymap;
use super::strings::{Strings, strings};
use super::theme::Theme;
use crate::i18n::Lang;
use crate::text::LineInput;

/// The four panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Roster,
    Visits,
    Duties,
    Log,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Roster, Pane::Visits, Pane::Duties, Pane::Log];

    /// Position in the tab bar and the `1`–`4` key that focuses it.
    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The pane's title.
    pub fn title(self, s: &Strings) -> &'static str {
        match self {
            Pane::Roster => s.roster,
            Pane::Visits => s.visits,
            Pane::Duties => s.duties,
            Pane::Log => s.log,
        }
    }
}

/// The roster pane: the floor-by-floor list, or one household opened.
#[derive(Debug, Clone, Default)]
pub struct RosterView {
    /// Selected row among the selectable rows of the list.
    pub selected: usize,
    /// The household opened with Enter, and the selected line inside it.
    pub open: Option<String>,
    pub detail_selected: usize,
    /// The `/` search being typed (Some while the search line has focus).
    pub search_input: Option<LineInput>,
    /// The search applied to the list.
    pub query: String,
    /// Only households with this tag.
    pub tag: Option<String>,
}

/// The visits pane: planned visits or the needs ledger, with filters.
#[derive(Debug, Clone, Default)]
pub struct VisitsView {
    pub selected: usize,
    /// Showing needs (民情诉求) instead of visits.
    pub needs: bool,
    pub overdue_only: bool,
    pub member: Option<String>,
    pub tag: Option<String>,
}

/// What sits on top of the panes, taking the keys.
pub enum Modal {
    Form(Box<Form>),
    Confirm(Confirm),
    Picker(Picker),
    Help {
        scroll: usize,
    },
    Checkin(Box<super::dialogs::checkin::Checkin>),
    Sync(Box<super::dialogs::sync::SyncDialog>),
    /// 放弃已输入的内容？ — asked when Esc would throw typed text away; the dialog it
    /// covers comes back as it was unless the leader answers yes.
    Discard(Box<Modal>),
    /// A member chosen from a list for a form's reference field: typing in the field
    /// opens it, filtered by what is typed (pinyin initials too).
    FieldPick(Box<Form>, super::dialogs::picker::Picker),
}

/// Kind of status-line message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
    Error,
}

/// All state of the running interface.
pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub focus: Pane,
    pub building: Option<String>,
    pub data: Data,
    pub roster: RosterView,
    pub visits: VisitsView,
    /// Visit cadence per tag and the check-in checklist, from the config file.
    pub cadences: crate::domain::cadence::Cadences,
    pub checkin_items: Vec<String>,
    /// 输出文件夹: where reports and bundles go, and where the import chooser starts.
    pub output_dir: std::path::PathBuf,
    /// Selected row in the duties and log panes.
    pub duties_selected: usize,
    pub log_selected: usize,
    /// The 六个员 pane: month shown, member opened, role set.
    pub duty: super::panes::duties::DutyView,
    /// The log pane: filter, search line, opened entry, journal or activity list.
    pub log: super::panes::log::LogView,
    pub modal: Option<Modal>,
    /// Long work running on the worker: its gauge, over everything.
    pub busy: Option<super::dialogs::busy::Busy>,
    pub status: Option<(String, Tone)>,
    /// Problems found in the settings files at start, each on its own line in help (`?`);
    /// the status line can only show one.
    pub warnings: Vec<String>,
    /// Terminal size, kept from resize events so paging knows a screenful.
    pub size: (u16, u16),
    pub quit: bool,
}

impl App {
    /// A new interface state; `data` is the first snapshot.
    pub fn new(
        lang: Lang,
        theme: Theme,
        keymap: Keymap,
        building: Option<String>,
        data: Data,
    ) -> App {
        let today = data.today;
        App {
            lang,
            theme,
            keymap,
            focus: Pane::Roster,
            building,
            data,
            roster: RosterView::default(),
            visits: VisitsView::default(),
            cadences: crate::domain::cadence::Cadences::default(),
            checkin_items: crate::domain::checkin::DEFAULT_ITEMS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            output_dir: crate::config::output::default_dir(),
            duties_selected: 0,
            log_selected: 0,
            duty: super::panes::duties::DutyView::new(today),
            log: super::panes::log::LogView::default(),
            modal: None,
            busy: None,
            warnings: Vec::new(),
            status: None,
            size: (120, 40),
            quit: false,
        }
    }

    /// The interface's words.
    pub fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    /// Whether all four panes fit side by side.
    pub fn wide(&self) -> bool {
        self.size.0 >= 120
    }

    /// What the snapshot must be read for: the 六个员 month, the log's filter and entry.
    pub fn view(&self) -> super::data::View {
        super::data::View {
            month: self.duty.month,
            periods: self.duty.set.periods(self.duty.month),
            journal: self.log.filter.clone(),
            entry: self.log.open.clone(),
        }
    }

    /// Rows a page-up/down moves: roughly one screenful of the focused list.
    pub fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(8)).max(1)
    }
}
