//! The snapshot of the store the panes draw from. Loaded by the driver after each write,
//! never during drawing, so a keystroke that only moves the cursor touches no database.

use jiff::civil::Date;

use crate::domain::date::{format_date, today};
use crate::search::SearchKey;
use std::collections::HashMap;

use crate::store::{
    ChangeRow, Counts, NeedRow, Record, Roster, Store, StoreError, TickRow, VisitRow,
};

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
        }
    }

    /// Reads everything the panes show for `building`.
    pub fn load(store: &Store, building: Option<&str>) -> Result<Data, StoreError> {
        let mut data = Data::empty();
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
        data.ticks = store.ticks(b, &data.period)?;
        data.assignments = store.duty_assignments(b)?;
        data.journal = store.journal(b, JOURNAL_LIMIT)?;
        Ok(data)
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
