//! Visits (走访), needs (民情诉求) and the daily check-in (巡楼): the queries the visits
//! pane, the header and the use cases read. The workflows that write live in `usecase`.

use std::collections::HashMap;

use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};

use super::{Record, Store, StoreError};
use crate::domain::EntityKind as K;
use crate::domain::date::{format_date, parse_date};

/// The numbers the header shows in every layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub overdue: i64,
    pub due_today: i64,
    pub open_needs: i64,
    pub checkin_done: bool,
}

/// 民情诉求 — a need as the needs list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedRow {
    pub id: String,
    pub household_id: String,
    pub category: String,
    pub description: String,
    pub status: String,
    pub escalated_to: String,
    pub raised_on: String,
    pub owner: String,
}

impl Store {
    /// Header counts for a building on `today`: four indexed counts.
    pub fn counts(&self, building: &str, today: Date) -> Result<Counts, StoreError> {
        let t = format_date(today);
        let c = &self.conn;
        let overdue = c
            .prepare_cached(
                "SELECT count(*) FROM visit WHERE building_id = ?1 AND status = 'planned'
                 AND due < ?2 AND deleted = 0",
            )?
            .query_row(params![building, t], |r| r.get(0))?;
        let due_today = c
            .prepare_cached(
                "SELECT count(*) FROM visit WHERE building_id = ?1 AND status = 'planned'
                 AND due = ?2 AND deleted = 0",
            )?
            .query_row(params![building, t], |r| r.get(0))?;
        let open_needs = c
            .prepare_cached(&format!(
                "SELECT count(*) FROM need WHERE building_id = ?1
                 AND status IN ({}) AND deleted = 0",
                crate::domain::need::NeedStatus::open_sql()
            ))?
            .query_row(params![building], |r| r.get(0))?;
        let checkin_done = c
            .prepare_cached(
                "SELECT 1 FROM checkin WHERE building_id = ?1 AND date = ?2 AND deleted = 0",
            )?
            .query_row(params![building, t], |_| Ok(()))
            .optional()?
            .is_some();
        Ok(Counts {
            overdue,
            due_today,
            open_needs,
            checkin_done,
        })
    }

    /// Needs of a building: open ones oldest first, then the latest closed (`closed_limit`).
    pub fn needs(&self, building: &str, closed_limit: i64) -> Result<Vec<NeedRow>, StoreError> {
        let sql = "SELECT id, coalesce(household_id, ''), coalesce(category, ''),
                          coalesce(description, ''), coalesce(status, ''),
                          coalesce(escalated_to, ''), coalesce(raised_on, ''), coalesce(owner, '')
                   FROM need WHERE building_id = ?1 AND deleted = 0";
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT * FROM ({sql} AND status IN ({open})
                             ORDER BY raised_on, id)
             UNION ALL
             SELECT * FROM ({sql} AND status NOT IN ({open})
                             ORDER BY raised_on DESC, id LIMIT ?2)",
            open = crate::domain::need::NeedStatus::open_sql()
        ))?;
        let rows = stmt.query_map(params![building, closed_limit], |r| {
            Ok(NeedRow {
                id: r.get(0)?,
                household_id: r.get(1)?,
                category: r.get(2)?,
                description: r.get(3)?,
                status: r.get(4)?,
                escalated_to: r.get(5)?,
                raised_on: r.get(6)?,
                owner: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Per household of a building: the last visit done and the next one planned.
    pub fn visit_dates(
        &self,
        building: &str,
    ) -> Result<HashMap<String, (String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT household_id,
                    coalesce(max(CASE WHEN status = 'done' THEN done_on END), ''),
                    coalesce(min(CASE WHEN status = 'planned' THEN due END), '')
             FROM visit WHERE building_id = ?1 AND deleted = 0 GROUP BY household_id",
        )?;
        let rows = stmt.query_map([building], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The building's check-in on a date, if one was recorded.
    pub fn checkin_on(&self, building: &str, date: Date) -> Result<Option<Record>, StoreError> {
        let id: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT id FROM checkin WHERE building_id = ?1 AND date = ?2 AND deleted = 0
                 ORDER BY id LIMIT 1",
            )?
            .query_row(params![building, format_date(date)], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => self.record(K::Checkin, &id),
            None => Ok(None),
        }
    }

    /// Whether a household has a planned visit (other than `except`).
    pub fn has_planned_visit(
        &self,
        household: &str,
        except: Option<&str>,
    ) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM visit WHERE household_id = ?1 AND status = 'planned'
                 AND deleted = 0 AND id <> ?2 LIMIT 1",
            )?
            .query_row(params![household, except.unwrap_or("")], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The date of the household's last completed visit, if any: the cadence rule counts
    /// the next visit from it.
    pub fn last_visit_done(&self, household: &str) -> Result<Option<Date>, StoreError> {
        let last: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT max(done_on) FROM visit WHERE household_id = ?1 AND status = 'done'
                 AND deleted = 0",
            )?
            .query_row([household], |r| r.get(0))?;
        Ok(last.and_then(|d| parse_date(&d).ok()))
    }
}
