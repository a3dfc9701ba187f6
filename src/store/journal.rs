//! The activity log (活动记录) read side: the journal filtered by building, kind, date
//! range and text; one entry opened into its field-level changes (old → new, from each
//! op's `prev`); and weekly counts of activities and visits for the charts.

use jiff::civil::Date;
use rusqlite::types::Value as Sql;
use rusqlite::{OptionalExtension, params, params_from_iter};
use serde_json::Value;

use super::oplog::OpLog;
use super::read::ChangeRow;
use super::{Store, StoreError};
use crate::domain::EntityKind;
use crate::domain::date::{add_days, format_date};

/// What the leader filters the log by: groups of record kinds, or kinds of action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// 楼组活动
    Activity,
    /// 走访
    Visit,
    /// 巡楼
    Checkin,
    /// 六个员 ticks and roles, 四个无
    Duty,
    /// 民情诉求 and their status changes
    Need,
    /// 名册: building, households, residents, members, pairings
    Roster,
    /// Deletions and restores of anything
    Deletion,
    /// Imports from sync bundles
    Import,
}

impl LogKind {
    pub const ALL: [LogKind; 8] = [
        LogKind::Activity,
        LogKind::Visit,
        LogKind::Checkin,
        LogKind::Duty,
        LogKind::Need,
        LogKind::Roster,
        LogKind::Deletion,
        LogKind::Import,
    ];

    /// The name `louzu log --kind` takes.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Activity => "activity",
            LogKind::Visit => "visit",
            LogKind::Checkin => "checkin",
            LogKind::Duty => "duty",
            LogKind::Need => "need",
            LogKind::Roster => "roster",
            LogKind::Deletion => "delete",
            LogKind::Import => "import",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            LogKind::Activity => "活动",
            LogKind::Visit => "走访",
            LogKind::Checkin => "巡楼",
            LogKind::Duty => "六个员",
            LogKind::Need => "诉求",
            LogKind::Roster => "名册",
            LogKind::Deletion => "删除与恢复",
            LogKind::Import => "导入",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            LogKind::Activity => "activities",
            LogKind::Visit => "visits",
            LogKind::Checkin => "check-ins",
            LogKind::Duty => "duties",
            LogKind::Need => "needs",
            LogKind::Roster => "roster",
            LogKind::Deletion => "deletions",
            LogKind::Import => "imports",
        }
    }

    /// Parses an English name or the Chinese label.
    pub fn parse(s: &str) -> Option<LogKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.name() == s || k.zh() == s || k.en() == s)
    }

    /// Entity kinds in this group (empty for action-based kinds).
    fn entities(self) -> &'static [&'static str] {
        match self {
            LogKind::Activity => &["activity"],
            LogKind::Visit => &["visit"],
            LogKind::Checkin => &["checkin"],
            LogKind::Duty => &["duty_tick", "duty_assignment", "attestation"],
            LogKind::Need => &["need"],
            LogKind::Roster => &["building", "household", "resident", "member", "pairing"],
            LogKind::Deletion | LogKind::Import => &[],
        }
    }

    fn actions(self) -> &'static [&'static str] {
        match self {
            LogKind::Deletion => &["delete", "restore"],
            LogKind::Import => &["import"],
            _ => &[],
        }
    }
}

/// Which journal entries to show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JournalFilter {
    pub kind: Option<LogKind>,
    /// First day shown (inclusive).
    pub since: Option<Date>,
    /// Last day shown (inclusive).
    pub until: Option<Date>,
    /// Text the entry's summary or author contains.
    pub text: String,
}

/// One field an entry changed.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub entity: EntityKind,
    pub entity_id: String,
    pub field: String,
    /// What the field held before (`None`: it was not set — a new record).
    pub old: Option<Value>,
    pub new: Value,
}

/// A journal entry opened: the entry, its field-level changes, and whether the record it
/// is about is deleted now (so it can be restored from here).
#[derive(Debug, Clone, PartialEq)]
pub struct EntryDetail {
    pub change: ChangeRow,
    pub changes: Vec<FieldChange>,
    pub deleted_now: bool,
}

fn change_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeRow> {
    let entity: String = r.get(5)?;
    Ok(ChangeRow {
        id: r.get(0)?,
        at: r.get(1)?,
        author: r.get(2)?,
        origin: r.get(3)?,
        action: r.get(4)?,
        entity: EntityKind::parse(&entity),
        entity_id: r.get(6)?,
        label: r.get(7)?,
    })
}

const CHANGE_COLUMNS: &str = "id, at, author, origin, action, coalesce(entity, ''),
    coalesce(entity_id, ''), summary";

impl Store {
    /// Journal entries, newest first, at most `limit`: of one building (with the shared
    /// settings' entries) or of all buildings (`None`, the office). Walks the
    /// `(building_id, hlc)` index from the newest end, so a building's log opens in the
    /// same time however large the street's journal is.
    pub fn journal_filtered(
        &self,
        building_id: Option<&str>,
        filter: &JournalFilter,
        limit: i64,
    ) -> Result<Vec<ChangeRow>, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<Sql> = Vec::new();
        if let Some(kind) = filter.kind {
            let (col, list) = if kind.entities().is_empty() {
                ("action", kind.actions())
            } else {
                ("entity", kind.entities())
            };
            conds.push(format!("{col} IN ({})", vec!["?"; list.len()].join(", ")));
            args.extend(list.iter().map(|s| Sql::Text(s.to_string())));
        }
        if let Some(d) = filter.since {
            conds.push("at >= ?".into());
            args.push(Sql::Text(format_date(d)));
        }
        if let Some(d) = filter.until {
            conds.push("at < ?".into());
            args.push(Sql::Text(format_date(add_days(d, 1))));
        }
        let text = filter.text.trim();
        if !text.is_empty() {
            conds.push("(instr(summary, ?) > 0 OR instr(author, ?) > 0)".into());
            args.push(Sql::Text(text.to_string()));
            args.push(Sql::Text(text.to_string()));
        }
        let extra: String = conds.iter().map(|c| format!(" AND {c}")).collect();
        let sql = match building_id {
            // Two index range scans merged, rather than an OR the planner cannot index.
            Some(_) => format!(
                "SELECT * FROM (
                   SELECT {CHANGE_COLUMNS}, hlc FROM changes
                   WHERE building_id = ?{extra} ORDER BY hlc DESC LIMIT ?)
                 UNION ALL
                 SELECT * FROM (
                   SELECT {CHANGE_COLUMNS}, hlc FROM changes
                   WHERE building_id IS NULL{extra} ORDER BY hlc DESC LIMIT ?)
                 ORDER BY hlc DESC LIMIT ?"
            ),
            None => format!(
                "SELECT {CHANGE_COLUMNS}, hlc FROM changes WHERE 1 = 1{extra}
                 ORDER BY hlc DESC LIMIT ?"
            ),
        };
        let mut all: Vec<Sql> = Vec::new();
        match building_id {
            Some(b) => {
                all.push(Sql::Text(b.to_string()));
                all.extend(args.iter().cloned());
                all.push(Sql::Integer(limit));
                all.extend(args.iter().cloned());
                all.push(Sql::Integer(limit));
                all.push(Sql::Integer(limit));
            }
            None => {
                all.extend(args);
                all.push(Sql::Integer(limit));
            }
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(all), change_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One journal entry with the field-level changes of its ops: each op's `prev` names
    /// the op it overwrote, whose value is the "old" side. `None` if there is no such entry.
    pub fn journal_entry(&self, change_id: &str) -> Result<Option<EntryDetail>, StoreError> {
        let change = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CHANGE_COLUMNS} FROM changes WHERE id = ?1"
            ))?
            .query_row([change_id], change_row)
            .optional()?;
        let Some(change) = change else {
            return Ok(None);
        };
        let log = OpLog::new(&self.conn);
        let mut changes = Vec::new();
        for row in log.ops_of_change(change_id)? {
            let Some((entity, spec)) = log.spec(row.field)? else {
                continue;
            };
            let old = match row.prev {
                Some(p) => log.value_of(p)?,
                None => None,
            };
            changes.push(FieldChange {
                entity,
                entity_id: log.name(row.rec)?,
                field: spec.name.to_string(),
                old,
                new: log.decode(spec, (&row.value).into())?,
            });
        }
        let deleted_now = match change.entity {
            Some(k) if !change.entity_id.is_empty() => self
                .conn
                .prepare_cached(&format!("SELECT deleted FROM {} WHERE id = ?1", k.name()))?
                .query_row([&change.entity_id], |r| r.get::<_, i64>(0))
                .optional()?
                .is_some_and(|d| d != 0),
            _ => false,
        };
        Ok(Some(EntryDetail {
            change,
            changes,
            deleted_now,
        }))
    }

    /// Activities held and visits completed per week, for the `weeks` weeks ending on
    /// `end` (oldest first): the log's charts.
    pub fn weekly_counts(
        &self,
        building_id: &str,
        end: Date,
        weeks: usize,
    ) -> Result<(Vec<u64>, Vec<u64>), StoreError> {
        let start = add_days(end, -(weeks as i64 * 7) + 1);
        let bucket = |dates: Vec<String>| {
            let mut out = vec![0u64; weeks];
            for d in dates {
                if let Ok(d) = crate::domain::date::parse_date(&d) {
                    let i = crate::domain::date::days_between(start, d);
                    if (0..weeks as i64 * 7).contains(&i) {
                        out[(i / 7) as usize] += 1;
                    }
                }
            }
            out
        };
        let (from, to) = (format_date(start), format_date(end));
        let dates = |sql: &str| -> Result<Vec<String>, StoreError> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params![building_id, from, to], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let activities = dates(
            "SELECT date FROM activity WHERE building_id = ?1 AND deleted = 0
               AND date >= ?2 AND date <= ?3",
        )?;
        let visits = dates(
            "SELECT done_on FROM visit WHERE building_id = ?1 AND deleted = 0
               AND status = 'done' AND done_on >= ?2 AND done_on <= ?3",
        )?;
        Ok((bucket(activities), bucket(visits)))
    }
}
