//! The snapshot of the store the panes draw from. Loaded by the driver after each write,
//! never during drawing, so a keystroke that only moves the cursor touches no database.

use jiff::civil::Date;

use crate::domain::date::{format_date, today};
use crate::domain::duty::Month;
use crate::search::SearchKey;
use std::collections::HashMap;

use crate::store::{
    AttestationRow, ChangeRow, Counts, DutyTickRow, EntryDetail, JournalFilter, NeedRow, Record,
    Roster, Store, StoreError, TickRow, VisitRow,
};

/// What the 六个员 and log panes are looking at, so a reload after a write reads the same
/// month, filter and opened entry.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The month the 六个员 pane shows.
    pub month: Month,
    /// The tick periods of that month under the current role set (month, quarter, year).
    pub periods: Vec<String>,
    pub journal: JournalFilter,
    /// The journal entry opened in the log pane.
    pub entry: Option<String>,
}

impl View {
    /// This month, the whole journal, nothing opened.
    pub fn current() -> View {
        let month = Month::of(today());
        View {
            month,
            periods: vec![month.to_string()],
            journal: JournalFilter::default(),
            entry: None,
        }
    }
}

/// The view-dependent part of a snapshot (see [`Data::load_view_part`]).
#[derive(Debug)]
pub struct ViewPart {
    pub period: String,
    pub ticks: Vec<TickRow>,
    pub journal: Vec<ChangeRow>,
    pub duty_ticks: Vec<DutyTickRow>,
    pub attestations: Vec<AttestationRow>,
    pub entry: Option<EntryDetail>,
}

/// Weeks the log's charts cover: about three months.
pub const CHART_WEEKS: usize = 13;

/// What the screen shows, for the current building.
pub struct Data {
    /// The building this snapshot is of.
    pub building: Option<String>,
    pub today: Date,
    pub roster: Option<Roster>,
    /// Search keys aligned with `roster.households`: room, tags, residents' and members' names.
    pub household_keys: Vec<SearchKey>,
    /// Search keys aligned with `roster.members`.
    pub member_keys: Vec<SearchKey>,
    pub visits: Vec<VisitRow>,
    pub needs: Vec<NeedRow>,
    /// Header counts: overdue, due today, open needs, today's check-in.
    pub counts: Counts,
    /// Per household: (last visit done, next planned), for the roster.
    pub visit_dates: HashMap<String, (String, String)>,
    /// Today's check-in, if recorded.
    pub checkin: Option<Record>,
    /// The duty period shown (this month, `YYYY-MM`).
    pub period: String,
    pub ticks: Vec<TickRow>,
    pub assignments: Vec<(String, String)>,
    pub journal: Vec<ChangeRow>,
    /// Ticks of the viewed month's periods (with notes), for the checklists.
    pub duty_ticks: Vec<DutyTickRow>,
    /// 四个无 attestations of the viewed month.
    pub attestations: Vec<AttestationRow>,
    /// Open needs by category, for the 四个无 warning.
    pub open_needs: Vec<(String, i64)>,
    /// 楼组活动, newest first.
    pub activities: Vec<Record>,
    /// Activities and completed visits per week, oldest first ([`CHART_WEEKS`] each).
    pub weekly: (Vec<u64>, Vec<u64>),
    /// The journal entry opened in the log pane.
    pub entry: Option<EntryDetail>,
    /// This device, to tell its entries from other devices'.
    pub device: String,
    /// This device's earlier origins (before a restore or copy was found) and other
    /// devices' names by origin, for the log's 设备 column.
    pub former_origins: Vec<String>,
    pub peer_names: std::collections::HashMap<String, String>,
}

/// How many journal entries the log pane holds in memory.
const JOURNAL_LIMIT: i64 = 500;

impl Data {
    /// An empty snapshot (before the first load, or with no building yet).
    pub fn empty() -> Data {
        let today = today();
        Data {
            building: None,
            period: format_date(today)[..7].to_string(),
            today,
            roster: None,
            household_keys: Vec::new(),
            member_keys: Vec::new(),
            visits: Vec::new(),
            needs: Vec::new(),
            counts: Counts::default(),
            visit_dates: HashMap::new(),
            checkin: None,
            ticks: Vec::new(),
            assignments: Vec::new(),
            journal: Vec::new(),
            duty_ticks: Vec::new(),
            attestations: Vec::new(),
            open_needs: Vec::new(),
            activities: Vec::new(),
            weekly: (vec![0; CHART_WEEKS], vec![0; CHART_WEEKS]),
            entry: None,
            device: String::new(),
            former_origins: Vec::new(),
            peer_names: Default::default(),
        }
    }

    /// Reads everything the panes show for `building`, as of this month.
    pub fn load(store: &Store, building: Option<&str>) -> Result<Data, StoreError> {
        Data::load_view(store, building, &View::current())
    }

    /// Reads everything the panes show for `building`, for the month, journal filter and
    /// entry in `view`.
    pub fn load_view(
        store: &Store,
        building: Option<&str>,
        view: &View,
    ) -> Result<Data, StoreError> {
        let mut data = Data::empty();
        data.device = store.device_id().to_string();
        data.former_origins = store.former_origins()?;
        data.peer_names = store.peer_names()?;
        data.period = view.month.to_string();
        let Some(b) = building else {
            return Ok(data);
        };
        data.building = Some(b.to_string());
        let roster = store.roster(b)?;
        data.household_keys = roster
            .households
            .iter()
            .map(|h| {
                let mut text = format!("{} {}", h.room, h.tags.join(" "));
                for r in roster.residents.iter().filter(|r| r.household_id == h.id) {
                    text.push(' ');
                    text.push_str(&r.name);
                }
                for m in roster.members.iter().filter(|m| m.household_id == h.id) {
                    text.push(' ');
                    text.push_str(&m.name);
                }
                SearchKey::new(&text)
            })
            .collect();
        data.member_keys = roster
            .members
            .iter()
            .map(|m| SearchKey::new(&format!("{} {}", m.name, m.category)))
            .collect();
        data.roster = Some(roster);
        data.visits = store.visits(b, 50)?;
        data.needs = store.needs(b, 50)?;
        data.counts = store.counts(b, data.today)?;
        data.visit_dates = store.visit_dates(b)?;
        data.checkin = store.checkin_on(b, data.today)?;
        data.assignments = store.duty_assignments(b)?;
        data.apply_view(Data::load_view_part(store, b, view)?);
        data.open_needs = store.open_needs_by_category(b)?;
        let mut activities = store.records(crate::domain::EntityKind::Activity, Some(b), false)?;
        activities.sort_by(|x, y| y.text("date").cmp(x.text("date")));
        data.activities = activities;
        data.weekly = store.weekly_counts(b, data.today, CHART_WEEKS)?;
        Ok(data)
    }

    /// Only what depends on the view (the month shown, the log's filter, the entry
    /// opened): what moving to another month or filtering the log has to read again.
    pub fn load_view_part(
        store: &Store,
        building: &str,
        view: &View,
    ) -> Result<ViewPart, StoreError> {
        let period = view.month.to_string();
        Ok(ViewPart {
            ticks: store.ticks(building, &period)?,
            journal: store.journal_filtered(Some(building), &view.journal, JOURNAL_LIMIT)?,
            duty_ticks: store.duty_ticks(building, &view.periods)?,
            attestations: store.attestations(building, &period)?,
            entry: match &view.entry {
                Some(id) => store.journal_entry(id)?,
                None => None,
            },
            period,
        })
    }

    /// Puts a freshly read view part in place.
    pub fn apply_view(&mut self, part: ViewPart) {
        self.period = part.period;
        self.ticks = part.ticks;
        self.journal = part.journal;
        self.duty_ticks = part.duty_ticks;
        self.attestations = part.attestations;
        self.entry = part.entry;
    }

    /// The name of a member by id, for lists that store ids.
    pub fn member_name(&self, id: &str) -> &str {
        self.roster
            .as_ref()
            .and_then(|r| r.members.iter().find(|m| m.id == id))
            .map(|m| m.name.as_str())
            .unwrap_or("?")
    }

    /// A member's id by name (forms take names, never ids).
    pub fn member_id(&self, name: &str) -> Option<&str> {
        self.roster
            .as_ref()
            .and_then(|r| r.members.iter().find(|m| m.name == name.trim()))
            .map(|m| m.id.as_str())
    }

    /// A household's tags by id.
    pub fn tags_of(&self, id: &str) -> &[String] {
        self.roster
            .as_ref()
            .and_then(|r| r.households.iter().find(|h| h.id == id))
            .map(|h| h.tags.as_slice())
            .unwrap_or(&[])
    }

    /// The room of a household by id.
    pub fn room_of(&self, id: &str) -> Option<&str> {
        self.roster
            .as_ref()
            .and_then(|r| r.households.iter().find(|h| h.id == id))
            .map(|h| h.room.as_str())
    }
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("building", &self.building)
            .field(
                "households",
                &self.roster.as_ref().map(|r| r.households.len()),
            )
            .field("visits", &self.visits.len())
            .field("journal", &self.journal.len())
            .finish_non_exhaustive()
    }
}
