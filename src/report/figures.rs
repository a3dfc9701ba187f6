//! 报表数字 — the figures every report is made of, computed read-only in SQL over one
//! building or every building of an office database, for any period of whole months.
//! Each query runs once for all buildings (grouped), so a street of 2,000 buildings costs
//! the same few scans as one.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use rusqlite::params;

use super::{Period, ReportError};
use crate::domain::cadence::Cadences;
use crate::domain::date::{format_date, parse_date};
use crate::domain::duty::{self, Month, RoleSet, Tick};
use crate::domain::entity::ACTIVITY_KINDS;
use crate::store::Store;

/// One building's figures for the period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildingFigures {
    pub id: String,
    pub name: String,
    pub neighbourhood: String,
    pub households: i64,
    pub members: i64,
    /// 楼组活动 held, in total and per [`ACTIVITY_KINDS`] entry.
    pub activities: i64,
    pub activities_by_kind: Vec<i64>,
    /// 参与居民人次 and 党员出席人次 over those activities.
    pub residents_taking_part: i64,
    pub member_attendance: i64,
    /// Visits due in the period (not cancelled), of them done, of them missed.
    pub visits_planned: i64,
    pub planned_done: i64,
    pub visits_missed: i64,
    /// 逾期未访: visits still planned whose day (on or before the period's end) has passed
    /// on [`Basis::today`] — for the current month, the header's 逾期 count.
    pub visits_overdue: i64,
    /// 走访户次: visits completed in the period; 走访户数: distinct households.
    pub visits_done: i64,
    pub households_visited: i64,
    /// Completed visits per week (a month) or per month (longer periods).
    pub visits_by_bucket: Vec<i64>,
    /// Households whose tags ask for regular visits, of them visited, and the visits their
    /// cadences ask for in the period.
    pub cadence_households: i64,
    pub cadence_visited: i64,
    pub cadence_expected: i64,
    /// 诉求: received, resolved (incl. fed back), fed back, escalated, still open at the end.
    pub needs_received: i64,
    pub needs_resolved: i64,
    pub needs_fed_back: i64,
    pub needs_escalated: i64,
    pub needs_open: i64,
    /// 双结对: paired households, of them visited in the period.
    pub paired_households: i64,
    pub paired_visited: i64,
    /// 六个员: checklist items done, of those due in the period for the roles members hold
    /// (the 六个员 pane's 全组 figure).
    pub duty_done: i64,
    pub duty_due: i64,
    /// 四个无: targets attested met, of those due (every target, every month); how many
    /// attestations were filled in; months with every target met.
    pub attest_met: i64,
    pub attest_due: i64,
    pub attest_filled: i64,
    pub attest_full_months: i64,
    /// 巡楼: days checked, and problem findings.
    pub checkin_days: i64,
    pub checkin_problems: i64,
}

/// One member's 六个员 checklist for the period: items done of items due.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberDuty {
    pub building_id: String,
    pub member_id: String,
    pub name: String,
    pub roles: String,
    pub done: i64,
    pub due: i64,
}

/// One attestation of a 四个无 target.
#[derive(Debug, Clone, PartialEq)]
pub struct Attestation {
    pub building_id: String,
    pub month: String,
    pub target: String,
    pub met: bool,
    pub note: String,
}

/// One activity held in the period, for the 台账's list.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub building_id: String,
    pub date: String,
    pub kind: String,
    pub title: String,
    pub present: i64,
    pub residents: i64,
}

/// Everything a monthly or yearly report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub period: Period,
    /// 制表日 — the day the figures were computed for.
    pub today: Date,
    pub buildings: Vec<BuildingFigures>,
    pub duties: Vec<MemberDuty>,
    pub attestations: Vec<Attestation>,
    pub activities: Vec<ActivityRow>,
}

impl Figures {
    /// Labels of [`BuildingFigures::visits_by_bucket`].
    pub fn bucket_labels(&self) -> Vec<String> {
        if self.period.months().len() == 1 {
            let last = self.period.end.day();
            (0..buckets(&self.period))
                .map(|i| {
                    let a = i * 7 + 1;
                    let b = (a + 6).min(last as usize);
                    format!("{a}–{b}日")
                })
                .collect()
        } else {
            self.period
                .months()
                .iter()
                .map(|m| format!("{}月", m[5..].trim_start_matches('0')))
                .collect()
        }
    }

    /// Every building's figures added up (the office's 概况); the one building's own
    /// figures when there is only one.
    pub fn total(&self) -> BuildingFigures {
        if let [one] = self.buildings.as_slice() {
            return one.clone();
        }
        let mut t = BuildingFigures {
            name: format!("全部 {} 个楼组", self.buildings.len()),
            activities_by_kind: vec![0; ACTIVITY_KINDS.len()],
            visits_by_bucket: vec![0; buckets(&self.period)],
            ..Default::default()
        };
        for b in &self.buildings {
            for (x, y) in t.activities_by_kind.iter_mut().zip(&b.activities_by_kind) {
                *x += y;
            }
            for (x, y) in t.visits_by_bucket.iter_mut().zip(&b.visits_by_bucket) {
                *x += y;
            }
            t.households += b.households;
            t.members += b.members;
            t.activities += b.activities;
            t.residents_taking_part += b.residents_taking_part;
            t.member_attendance += b.member_attendance;
            t.visits_planned += b.visits_planned;
            t.planned_done += b.planned_done;
            t.visits_missed += b.visits_missed;
            t.visits_overdue += b.visits_overdue;
            t.visits_done += b.visits_done;
            t.households_visited += b.households_visited;
            t.cadence_households += b.cadence_households;
            t.cadence_visited += b.cadence_visited;
            t.cadence_expected += b.cadence_expected;
            t.needs_received += b.needs_received;
            t.needs_resolved += b.needs_resolved;
            t.needs_fed_back += b.needs_fed_back;
            t.needs_escalated += b.needs_escalated;
            t.needs_open += b.needs_open;
            t.paired_households += b.paired_households;
            t.paired_visited += b.paired_visited;
            t.duty_done += b.duty_done;
            t.duty_due += b.duty_due;
            t.attest_met += b.attest_met;
            t.attest_due += b.attest_due;
            t.attest_filled += b.attest_filled;
            t.attest_full_months += b.attest_full_months;
            t.checkin_days += b.checkin_days;
            t.checkin_problems += b.checkin_problems;
        }
        t
    }

    /// The figures of one building.
    pub fn building(&self, id: &str) -> Option<&BuildingFigures> {
        self.buildings.iter().find(|b| b.id == id)
    }
}

fn buckets(p: &Period) -> usize {
    match p.months().len() {
        1 => (p.end.day() as usize).div_ceil(7),
        n => n,
    }
}

fn bucket(p: &Period, date: &str) -> Option<usize> {
    let d = parse_date(date).ok()?;
    if d < p.start || d > p.end {
        return None;
    }
    Some(match p.months().len() {
        1 => (d.day() as usize - 1) / 7,
        _ => {
            ((d.year() - p.start.year()) as usize) * 12 + d.month() as usize
                - p.start.month() as usize
        }
    })
}

/// What the figures depend on besides the data: the leader's visit cadences and 六个员
/// set (both from the config folder) and the day they are computed on.
#[derive(Debug, Clone, Copy)]
pub struct Basis<'a> {
    pub cadences: &'a Cadences,
    pub duties: &'a RoleSet,
    /// 制表日: overdue visits are counted as of this day.
    pub today: Date,
}

/// Computes the figures for `building` (or, with `None`, every building) over `period`.
pub fn compute(
    store: &Store,
    building: Option<&str>,
    period: &Period,
    basis: &Basis<'_>,
) -> Result<Figures, ReportError> {
    let cadences = basis.cadences;
    let conn = store.conn();
    let (from, to) = (period.from(), period.to());
    let (m_from, m_to) = (from[..7].to_string(), to[..7].to_string());
    let mut rows: Vec<BuildingFigures> = store
        .buildings()?
        .into_iter()
        .filter(|b| building.is_none_or(|w| b.id == w))
        .map(|b| BuildingFigures {
            id: b.id,
            name: b.name,
            neighbourhood: b.neighbourhood,
            households: b.households,
            members: b.members,
            activities_by_kind: vec![0; ACTIVITY_KINDS.len()],
            visits_by_bucket: vec![0; buckets(period)],
            ..Default::default()
        })
        .collect();
    let index: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    let at = |id: &str| index.get(id).copied();

    // 活动
    let mut activities = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, coalesce(date, ''), coalesce(kind, ''), coalesce(title, ''),
                    coalesce(json_array_length(present), 0), coalesce(residents_count, 0)
             FROM activity
             WHERE deleted = 0 AND date BETWEEN ?2 AND ?3 AND (?1 IS NULL OR building_id = ?1)
             ORDER BY building_id, date",
        )?;
        let mut q = stmt.query(params![building, from, to])?;
        while let Some(r) = q.next()? {
            let bid: String = r.get(0)?;
            let Some(i) = at(&bid) else { continue };
            let a = ActivityRow {
                building_id: bid,
                date: r.get(1)?,
                kind: r.get(2)?,
                title: r.get(3)?,
                present: r.get(4)?,
                residents: r.get(5)?,
            };
            let b = &mut rows[i];
            b.activities += 1;
            let k = ACTIVITY_KINDS
                .iter()
                .position(|k| *k == a.kind)
                .unwrap_or(ACTIVITY_KINDS.len() - 1);
            b.activities_by_kind[k] += 1;
            b.member_attendance += a.present;
            b.residents_taking_part += a.residents;
            activities.push(a);
        }
    }

    // 走访 completed in the period
    let mut visited: HashSet<(usize, String)> = HashSet::new();
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, household_id, done_on FROM visit
             WHERE deleted = 0 AND status = 'done' AND done_on BETWEEN ?2 AND ?3
               AND (?1 IS NULL OR building_id = ?1)",
        )?;
        let mut q = stmt.query(params![building, from, to])?;
        while let Some(r) = q.next()? {
            let bid: String = r.get(0)?;
            let Some(i) = at(&bid) else { continue };
            let hid: Option<String> = r.get(1)?;
            let on: String = r.get(2)?;
            let b = &mut rows[i];
            b.visits_done += 1;
            if let Some(k) = bucket(period, &on) {
                b.visits_by_bucket[k] += 1;
            }
            if let Some(h) = hid
                && visited.insert((i, h))
            {
                b.households_visited += 1;
            }
        }
    }
    // 走访 planned in the period
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, count(*), sum(status = 'done'), sum(status = 'missed')
             FROM visit
             WHERE deleted = 0 AND status <> 'cancelled' AND due BETWEEN ?2 AND ?3
               AND (?1 IS NULL OR building_id = ?1)
             GROUP BY building_id",
        )?;
        let mut q = stmt.query(params![building, from, to])?;
        while let Some(r) = q.next()? {
            let Some(i) = at(&r.get::<_, String>(0)?) else {
                continue;
            };
            rows[i].visits_planned = r.get(1)?;
            rows[i].planned_done = r.get(2)?;
            rows[i].visits_missed = r.get(3)?;
        }
    }
    // 走访 overdue: still planned, due by the period's end and before today
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, count(*) FROM visit
             WHERE deleted = 0 AND status = 'planned' AND due <= ?2 AND due < ?3
               AND (?1 IS NULL OR building_id = ?1)
             GROUP BY building_id",
        )?;
        let mut q = stmt.query(params![building, to, format_date(basis.today)])?;
        while let Some(r) = q.next()? {
            let Some(i) = at(&r.get::<_, String>(0)?) else {
                continue;
            };
            rows[i].visits_overdue = r.get(1)?;
        }
    }
    // Cadence: households whose tags ask for regular visits
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, id, tags FROM household
             WHERE deleted = 0 AND tags IS NOT NULL AND tags <> '[]'
               AND (?1 IS NULL OR building_id = ?1)",
        )?;
        let mut q = stmt.query(params![building])?;
        let days = period.days() as f64;
        let mut expected: HashMap<usize, f64> = HashMap::new();
        while let Some(r) = q.next()? {
            let Some(i) = at(&r.get::<_, String>(0)?) else {
                continue;
            };
            let hid: String = r.get(1)?;
            let tags: Vec<String> =
                serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default();
            if let Some(c) = cadences.for_tags(&tags) {
                rows[i].cadence_households += 1;
                *expected.entry(i).or_default() += days / f64::from(c.approx_days().max(1));
                if visited.contains(&(i, hid)) {
                    rows[i].cadence_visited += 1;
                }
            }
        }
        for (i, e) in expected {
            rows[i].cadence_expected = e.round() as i64;
        }
    }
    // 诉求
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT building_id,
                    sum(raised_on BETWEEN ?2 AND ?3),
                    sum(status IN ('resolved', 'fed_back') AND closed_on BETWEEN ?2 AND ?3),
                    sum(status = 'fed_back' AND closed_on BETWEEN ?2 AND ?3),
                    sum(raised_on BETWEEN ?2 AND ?3 AND coalesce(escalated_to, '') <> ''),
                    sum(status IN ({open}) AND raised_on <= ?3)
             FROM need WHERE deleted = 0 AND (?1 IS NULL OR building_id = ?1)
             GROUP BY building_id",
            open = crate::domain::need::NeedStatus::open_sql()
        ))?;
        let mut q = stmt.query(params![building, from, to])?;
        while let Some(r) = q.next()? {
            let Some(i) = at(&r.get::<_, String>(0)?) else {
                continue;
            };
            let b = &mut rows[i];
            b.needs_received = r.get::<_, Option<i64>>(1)?.unwrap_or(0);
            b.needs_resolved = r.get::<_, Option<i64>>(2)?.unwrap_or(0);
            b.needs_fed_back = r.get::<_, Option<i64>>(3)?.unwrap_or(0);
            b.needs_escalated = r.get::<_, Option<i64>>(4)?.unwrap_or(0);
            b.needs_open = r.get::<_, Option<i64>>(5)?.unwrap_or(0);
        }
    }
    // 双结对
    {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT p.building_id, p.household_id FROM pairing p
             JOIN household h ON h.id = p.household_id AND h.deleted = 0
             JOIN member m ON m.id = p.member_id AND m.deleted = 0
             WHERE p.deleted = 0 AND coalesce(p.since, '') <= ?2
               AND (?1 IS NULL OR p.building_id = ?1)",
        )?;
        let mut q = stmt.query(params![building, to])?;
        while let Some(r) = q.next()? {
            let Some(i) = at(&r.get::<_, String>(0)?) else {
                continue;
            };
            rows[i].paired_households += 1;
            if visited.contains(&(i, r.get::<_, String>(1)?)) {
                rows[i].paired_visited += 1;
            }
        }
    }
    // 六个员: items due in the period for the roles each member holds, as the pane counts
    // them (domain::duty::period_progress); 四个无: every target due once a month.
    let months: Vec<Month> = period
        .months()
        .iter()
        .filter_map(|m| Month::parse(m).ok())
        .collect();
    let set = basis.duties;
    let mut roles_of: HashMap<String, Vec<String>> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT coalesce(member_id, ''), coalesce(role, '') FROM duty_assignment
             WHERE deleted = 0 AND (?1 IS NULL OR building_id = ?1)
             ORDER BY member_id, role",
        )?;
        let mut q = stmt.query(params![building])?;
        while let Some(r) = q.next()? {
            let role: String = r.get(1)?;
            let list = roles_of.entry(r.get(0)?).or_default();
            if !list.contains(&role) {
                list.push(role);
            }
        }
    }
    let mut periods: Vec<String> = Vec::new();
    for m in &months {
        for p in set.periods(*m) {
            if !periods.contains(&p) {
                periods.push(p);
            }
        }
    }
    let mut ticks_of: HashMap<String, Vec<Tick>> = HashMap::new();
    if !periods.is_empty() {
        let marks = vec!["?"; periods.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT coalesce(member_id, ''), coalesce(role, ''), coalesce(item, ''),
                    coalesce(period, ''), coalesce(done, 0), coalesce(on_date, ''),
                    coalesce(note, '')
             FROM duty_tick
             WHERE deleted = 0 AND (?1 IS NULL OR building_id = ?1) AND period IN ({marks})"
        ))?;
        let args: Vec<rusqlite::types::Value> = std::iter::once(match building {
            Some(b) => rusqlite::types::Value::Text(b.to_string()),
            None => rusqlite::types::Value::Null,
        })
        .chain(periods.iter().cloned().map(rusqlite::types::Value::Text))
        .collect();
        let mut q = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(r) = q.next()? {
            ticks_of.entry(r.get(0)?).or_default().push(Tick {
                role: r.get(1)?,
                item: r.get(2)?,
                period: r.get(3)?,
                done: r.get::<_, i64>(4)? != 0,
                on_date: r.get(5)?,
                note: r.get(6)?,
            });
        }
    }
    let mut duties = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, id, coalesce(name, '') FROM member
             WHERE deleted = 0 AND (?1 IS NULL OR building_id = ?1)
             ORDER BY building_id, name, id",
        )?;
        let mut q = stmt.query(params![building])?;
        let none: Vec<Tick> = Vec::new();
        while let Some(r) = q.next()? {
            let building_id: String = r.get(0)?;
            let Some(i) = at(&building_id) else {
                continue;
            };
            let member_id: String = r.get(1)?;
            let roles: Vec<&str> = roles_of
                .get(&member_id)
                .map(|v| v.iter().map(String::as_str).collect())
                .unwrap_or_default();
            let ticks = ticks_of.get(&member_id).unwrap_or(&none);
            let (done, due) = duty::period_progress(set, &months, &roles, ticks);
            let d = MemberDuty {
                building_id,
                roles: roles.join("、"),
                member_id,
                name: r.get(2)?,
                done: done as i64,
                due: due as i64,
            };
            rows[i].duty_done += d.done;
            rows[i].duty_due += d.due;
            duties.push(d);
        }
    }
    // 四个无
    let mut attestations = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, month, coalesce(target, ''), coalesce(met, 0),
                    coalesce(note, '')
             FROM attestation
             WHERE deleted = 0 AND month BETWEEN ?2 AND ?3 AND (?1 IS NULL OR building_id = ?1)
             ORDER BY building_id, month, target",
        )?;
        let mut q = stmt.query(params![building, m_from, m_to])?;
        let mut by_building: HashMap<usize, Vec<(String, String, bool)>> = HashMap::new();
        while let Some(r) = q.next()? {
            let a = Attestation {
                building_id: r.get(0)?,
                month: r.get(1)?,
                target: r.get(2)?,
                met: r.get::<_, i64>(3)? != 0,
                note: r.get(4)?,
            };
            let Some(i) = at(&a.building_id) else {
                continue;
            };
            by_building
                .entry(i)
                .or_default()
                .push((a.month.clone(), a.target.clone(), a.met));
            attestations.push(a);
        }
        let none = Vec::new();
        for (i, b) in rows.iter_mut().enumerate() {
            let mine = by_building.get(&i).unwrap_or(&none);
            let (met, due) = duty::targets_met(set, &months, mine);
            b.attest_met = met as i64;
            b.attest_due = due as i64;
            b.attest_filled = mine
                .iter()
                .filter(|(_, t, _)| set.targets.iter().any(|x| x.name == *t))
                .count() as i64;
            b.attest_full_months = duty::full_months(set, &months, mine) as i64;
        }
    }
    // 巡楼
    {
        let mut stmt = conn.prepare(
            "SELECT building_id, count(DISTINCT date),
                    sum((SELECT count(*) FROM json_each(CASE WHEN json_valid(items)
                           THEN items ELSE '{}' END)
                         WHERE value LIKE 'problem%'))
             FROM checkin
             WHERE deleted = 0 AND date BETWEEN ?2 AND ?3 AND (?1 IS NULL OR building_id = ?1)
             GROUP BY building_id",
        )?;
        let mut q = stmt.query(params![building, from, to])?;
        while let Some(r) = q.next()? {
            let Some(i) = at(&r.get::<_, String>(0)?) else {
                continue;
            };
            rows[i].checkin_days = r.get(1)?;
            rows[i].checkin_problems = r.get::<_, Option<i64>>(2)?.unwrap_or(0);
        }
    }
    Ok(Figures {
        period: period.clone(),
        today: basis.today,
        buildings: rows,
        duties,
        attestations,
        activities,
    })
}
