//! Reads for the 六个员 pane and `louzu duties`: ticks of a month's periods, 四个无
//! attestations, open needs by category; and the auto-tick change the visit and check-in
//! flows commit.

use std::collections::BTreeSet;

use jiff::civil::Date;
use rusqlite::params_from_iter;

use super::write::{Action, Change};
use super::{Store, StoreError};
use crate::domain::duty::{DutyEvent, EventKind, RoleSet, Tick, auto_ticks};

/// A stored tick with its id and member.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyTickRow {
    pub id: String,
    pub member_id: String,
    pub tick: Tick,
}

/// A 四个无 attestation for one month and target.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationRow {
    pub id: String,
    pub target: String,
    pub met: bool,
    pub note: String,
}

impl Store {
    /// Ticks of a building in any of `periods` (a month and the quarter and year around
    /// it), whatever the role set says now.
    pub fn duty_ticks(
        &self,
        building_id: &str,
        periods: &[String],
    ) -> Result<Vec<DutyTickRow>, StoreError> {
        if periods.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; periods.len()].join(", ");
        let sql = format!(
            "SELECT id, coalesce(member_id, ''), coalesce(role, ''), coalesce(item, ''),
                    coalesce(period, ''), coalesce(done, 0), coalesce(on_date, ''),
                    coalesce(note, '')
             FROM duty_tick WHERE building_id = ? AND deleted = 0 AND period IN ({marks})
             ORDER BY member_id, role, item"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let args = std::iter::once(building_id).chain(periods.iter().map(String::as_str));
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(DutyTickRow {
                id: r.get(0)?,
                member_id: r.get(1)?,
                tick: Tick {
                    role: r.get(2)?,
                    item: r.get(3)?,
                    period: r.get(4)?,
                    done: r.get::<_, i64>(5)? != 0,
                    on_date: r.get(6)?,
                    note: r.get(7)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The 四个无 attestations of a building for a month (`2026-11`).
    pub fn attestations(
        &self,
        building_id: &str,
        month: &str,
    ) -> Result<Vec<AttestationRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(target, ''), coalesce(met, 0), coalesce(note, '')
             FROM attestation WHERE building_id = ?1 AND month = ?2 AND deleted = 0
             ORDER BY target, id",
        )?;
        let rows = stmt.query_map([building_id, month], |r| {
            Ok(AttestationRow {
                id: r.get(0)?,
                target: r.get(1)?,
                met: r.get::<_, i64>(2)? != 0,
                note: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Open needs of a building by category (open = not resolved and not fed back): what
    /// a 四个无 target linked to the category warns about before "met" is attested.
    pub fn open_needs_by_category(
        &self,
        building_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(category, ''), count(*) FROM need
             WHERE building_id = ?1 AND deleted = 0
               AND coalesce(status, 'open') NOT IN ('resolved', 'fed_back')
             GROUP BY category ORDER BY category",
        )?;
        let rows = stmt.query_map([building_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Members of a building with this name (the device owner checking in is a member).
    pub fn members_named(&self, building_id: &str, name: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM member WHERE building_id = ?1 AND name = ?2 AND deleted = 0",
        )?;
        let rows = stmt.query_map([building_id, name], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The change that ticks what an event earns under `set` — e.g. 民情信息员's
    /// "走访联系户并记录诉求" when a member holding that role completes a visit — or `None`
    /// when it earns nothing new. The visit and check-in use cases add its edits to their own
    /// change, so one undo takes back the event and what it earned. `household` is the visited household, for rules limited to paired
    /// (双结对) households.
    pub fn auto_tick_change(
        &self,
        set: &RoleSet,
        kind: EventKind,
        building_id: &str,
        members: &[String],
        date: Date,
        household: Option<&str>,
    ) -> Result<Option<Change>, StoreError> {
        let assignments = self.duty_assignments(building_id)?;
        let paired = match household {
            Some(h) => {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT coalesce(member_id, '') FROM pairing
                     WHERE building_id = ?1 AND household_id = ?2 AND deleted = 0",
                )?;
                stmt.query_map([building_id, h], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?
            }
            None => Vec::new(),
        };
        let month = crate::domain::duty::Month::of(date);
        let done: BTreeSet<String> = self
            .duty_ticks(building_id, &set.periods(month))?
            .into_iter()
            .filter(|t| t.tick.done)
            .map(|t| t.id)
            .collect();
        let event = DutyEvent {
            kind,
            building: building_id.to_string(),
            members: members.to_vec(),
            date,
            paired,
        };
        let edits = auto_ticks(set, &event, &assignments, &done);
        if edits.is_empty() {
            return Ok(None);
        }
        let items: Vec<&str> = edits
            .iter()
            .filter(|e| e.field == "item")
            .filter_map(|e| e.value.as_str())
            .collect();
        Ok(Some(Change {
            action: Action::Create,
            label: format!("自动打勾：{}", items.join("、")),
            edits,
            undoes: None,
        }))
    }
}
