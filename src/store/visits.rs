//! Visits (走访), needs (民情诉求) and the daily check-in (巡楼): the queries the visits
//! pane and header read, and the workflows that turn one user action into one change —
//! completing a visit records it, opens its needs and plans the next visit together.

use std::collections::HashMap;

use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};
use serde_json::{Value, json};

use super::write::{Action, Change, Edit};
use super::{Record, Store, StoreError};
use crate::domain::EntityKind as K;
use crate::domain::cadence::Cadences;
use crate::domain::checkin::{self, Finding};
use crate::domain::date::{format_date, parse_date};
use crate::domain::need::{NeedStatus, check_transition};

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

/// A need raised while completing a visit or from a check-in finding.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNeed {
    pub category: String,
    pub description: String,
}

/// How a visit ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// 未访 — nobody home, refused…; the reason is kept.
    Missed(String),
    Cancelled(String),
}

/// What the leader records when a visit is completed.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub outcome: Outcome,
    pub date: Date,
    pub visitors: Vec<String>,
    pub situation: String,
    /// 当场解决 or where it was escalated (居委会 / 物业 / 网格 / 支部 / 其他).
    pub handling: Option<String>,
    pub needs: Vec<NewNeed>,
    /// The next visit's date; `None` plans none.
    pub follow_up: Option<Date>,
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn create_edits(kind: K, id: &str, fields: Vec<(&str, Value)>) -> Vec<Edit> {
    let mut edits = vec![Edit::new(kind, id, "deleted", false)];
    edits.extend(
        fields
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(f, v)| Edit::new(kind, id, f, v)),
    );
    edits
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
            .prepare_cached(
                "SELECT count(*) FROM need WHERE building_id = ?1
                 AND status IN ('open', 'in_hand', 'escalated') AND deleted = 0",
            )?
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
            "SELECT * FROM ({sql} AND status IN ('open', 'in_hand', 'escalated')
                             ORDER BY raised_on, id)
             UNION ALL
             SELECT * FROM ({sql} AND status IN ('resolved', 'fed_back')
                             ORDER BY raised_on DESC, id LIMIT ?2)"
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

    /// Records a visit's outcome in one change: the visit itself, each need raised (as
    /// new needs, escalated when the visit was), and the next visit planned on the
    /// follow-up date unless the household already has one planned.
    pub fn complete_visit(&mut self, visit_id: &str, c: &Completion) -> Result<String, StoreError> {
        let visit = self
            .record(K::Visit, visit_id)?
            .ok_or_else(|| StoreError::NotFound(visit_id.to_string()))?;
        let building = visit.text("building_id").to_string();
        let household = visit.text("household_id").to_string();
        let date = format_date(c.date);
        let (status, reason) = match &c.outcome {
            Outcome::Done => ("done", Value::Null),
            Outcome::Missed(r) => ("missed", json!(r)),
            Outcome::Cancelled(r) => ("cancelled", json!(r)),
        };
        let mut edits = vec![
            Edit::new(K::Visit, visit_id, "status", status),
            Edit::new(K::Visit, visit_id, "done_on", date.as_str()),
            Edit::new(K::Visit, visit_id, "visitors", json!(c.visitors)),
        ];
        let text = |s: &str| {
            if s.trim().is_empty() {
                Value::Null
            } else {
                json!(s.trim())
            }
        };
        edits.push(Edit::new(
            K::Visit,
            visit_id,
            "situation",
            text(&c.situation),
        ));
        edits.push(Edit::new(K::Visit, visit_id, "handling", json!(c.handling)));
        edits.push(Edit::new(K::Visit, visit_id, "reason", reason));
        edits.push(Edit::new(
            K::Visit,
            visit_id,
            "follow_up",
            json!(c.follow_up.map(format_date)),
        ));
        let escalated = c
            .handling
            .as_deref()
            .filter(|h| *h != "当场解决" && !h.is_empty());
        for need in &c.needs {
            let (st, to) = match (c.handling.as_deref(), escalated) {
                (Some("当场解决"), _) => (NeedStatus::Resolved, Value::Null),
                (_, Some(to)) => (NeedStatus::Escalated, json!(to)),
                _ => (NeedStatus::Open, Value::Null),
            };
            edits.extend(create_edits(
                K::Need,
                &new_id(),
                vec![
                    ("building_id", json!(building)),
                    ("household_id", json!(household)),
                    ("category", json!(need.category)),
                    ("description", json!(need.description)),
                    ("source", json!("visit")),
                    ("status", json!(st.name())),
                    ("escalated_to", to),
                    ("owner", json!(c.visitors.first())),
                    ("raised_on", json!(date)),
                ],
            ));
        }
        if let Some(next) = c.follow_up
            && !self.has_planned_visit(&household, Some(visit_id))?
        {
            edits.extend(create_edits(
                K::Visit,
                &new_id(),
                vec![
                    ("building_id", json!(building)),
                    ("household_id", json!(household)),
                    ("due", json!(format_date(next))),
                    ("purpose", visit.get("purpose").clone()),
                    ("assigned", visit.get("assigned").clone()),
                    ("status", json!("planned")),
                ],
            ));
        }
        let room = self
            .record(K::Household, &household)?
            .map(|h| h.label())
            .unwrap_or_default();
        self.commit(Change {
            action: Action::Edit,
            edits,
            label: room,
            undoes: None,
        })
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

    /// Keeps the cadence rule: a household whose tags have a cadence always has its next
    /// visit planned. Plans one (a cadence after the last visit, but not before today) if
    /// none is; returns the new visit's id.
    pub fn ensure_next_visit(
        &mut self,
        household: &str,
        cadences: &Cadences,
        today: Date,
    ) -> Result<Option<String>, StoreError> {
        let Some(h) = self.record(K::Household, household)? else {
            return Ok(None);
        };
        if h.deleted {
            return Ok(None);
        }
        let tags: Vec<String> = h
            .get("tags")
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let Some(cadence) = cadences.for_tags(&tags) else {
            return Ok(None);
        };
        if self.has_planned_visit(household, None)? {
            return Ok(None);
        }
        let last: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT max(done_on) FROM visit WHERE household_id = ?1 AND status = 'done'
                 AND deleted = 0",
            )?
            .query_row([household], |r| r.get(0))?;
        let due = last
            .and_then(|d| parse_date(&d).ok())
            .map(|d| cadence.next(d))
            .filter(|d| *d > today)
            .unwrap_or(today);
        let purpose = tags
            .iter()
            .find(|t| cadences.0.contains_key(*t))
            .map(|t| format!("{t}例行走访"))
            .unwrap_or_default();
        self.create(
            K::Visit,
            vec![
                ("building_id", json!(h.text("building_id"))),
                ("household_id", json!(household)),
                ("due", json!(format_date(due))),
                ("purpose", json!(purpose)),
                ("status", json!("planned")),
            ],
        )
        .map(Some)
    }

    /// Sets a need's fields, checking the status rules (fed back needs what the resident
    /// was told; escalated needs to whom).
    pub fn update_need(
        &mut self,
        id: &str,
        fields: Vec<(&str, Value)>,
    ) -> Result<Option<String>, StoreError> {
        let current = self
            .record(K::Need, id)?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let after = |f: &str| -> String {
            fields
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(_, v)| v.as_str().unwrap_or("").to_string())
                .unwrap_or_else(|| current.text(f).to_string())
        };
        let from = NeedStatus::parse(current.text("status"));
        if let Some(to) = NeedStatus::parse(&after("status")) {
            check_transition(from, to, &after("escalated_to"), &after("feedback"))
                .map_err(|e| StoreError::Rule(e.to_string()))?;
        }
        let closing = matches!(
            NeedStatus::parse(&after("status")),
            Some(NeedStatus::Resolved | NeedStatus::FedBack)
        );
        let mut fields = fields;
        if closing
            && current.text("closed_on").is_empty()
            && !fields.iter().any(|(n, _)| *n == "closed_on")
        {
            fields.push((
                "closed_on",
                json!(format_date(crate::domain::date::today())),
            ));
        }
        self.update(K::Need, id, fields)
    }

    /// Records the day's check-in; a second one the same day edits the first. Problems
    /// listed in `open_needs` each open a need in the same change.
    pub fn record_checkin(
        &mut self,
        building: &str,
        date: Date,
        findings: &[(String, Finding)],
        note: &str,
        open_needs: &[String],
    ) -> Result<String, StoreError> {
        let items = checkin::to_json(findings);
        let by = self.owner_name().to_string();
        let d = format_date(date);
        let (id, mut edits, action) = match self.checkin_on(building, date)? {
            Some(r) => (
                r.id.clone(),
                vec![
                    Edit::new(K::Checkin, &r.id, "items", items),
                    Edit::new(
                        K::Checkin,
                        &r.id,
                        "note",
                        if note.trim().is_empty() {
                            Value::Null
                        } else {
                            json!(note.trim())
                        },
                    ),
                ],
                Action::Edit,
            ),
            None => {
                let id = new_id();
                let edits = create_edits(
                    K::Checkin,
                    &id,
                    vec![
                        ("building_id", json!(building)),
                        ("date", json!(d)),
                        ("items", items),
                        (
                            "note",
                            if note.trim().is_empty() {
                                Value::Null
                            } else {
                                json!(note.trim())
                            },
                        ),
                        (
                            "by_name",
                            if by.is_empty() {
                                Value::Null
                            } else {
                                json!(by)
                            },
                        ),
                    ],
                );
                (id, edits, Action::Create)
            }
        };
        for item in open_needs {
            let text = findings
                .iter()
                .find(|(i, _)| i == item)
                .map(|(_, f)| match f {
                    Finding::Problem(n) if !n.is_empty() => format!("{item}：{n}"),
                    _ => item.clone(),
                })
                .unwrap_or_else(|| item.clone());
            edits.extend(create_edits(
                K::Need,
                &new_id(),
                vec![
                    ("building_id", json!(building)),
                    ("category", json!(checkin::need_category(item))),
                    ("description", json!(text)),
                    ("source", json!("checkin")),
                    ("status", json!("open")),
                    ("raised_on", json!(d)),
                ],
            ));
        }
        self.commit(Change {
            action,
            edits,
            label: d,
            undoes: None,
        })?;
        Ok(id)
    }
}
