//! 报表数字 — the figures every report is made of, computed read-only in SQL over one
//! building or every building of an office database, for any period of whole months.
//! Each query runs once for all buildings (grouped), so a street of 2,000 buildings costs
//! the same few scans as one.

use std::collections::{HashMap, HashSet};

use rusqlite::params;

use super::{Period, ReportError};
use crate::domain::cadence::Cadences;
use crate::domain::date::parse_date;
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
    /// 六个员 ticks for the period: done of recorded.
    pub duty_done: i64,
    pub duty_recorded: i64,
    /// 四个无: targets attested met, of attested; months with every attested target met.
    pub attest_met: i64,
    pub attest_total: i64,
    pub attest_full_months: i64,
    /// 巡楼: days checked, and problem findings.
    pub checkin_days: i64,
    pub checkin_problems: i64,
}

/// One member's duty ticks for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberDuty {
    pub building_id: String,
    pub member_id: String,
    pub name: String,
    pub roles: String,
    pub done: i64,
    pub recorded: i64,
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

/// Computes the figures for `building` (or, with `None`, every building) over `period`.
/// Households' visit cadences come from `cadences` (the leader's config).
pub fn compute(
    store: &Store,
    building: Option<&str>,
    period: &Period,
    cadences: &Cadences,
) -> Result<Figures, ReportError> {
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
        let mut stmt = conn.prepare(
            "SELECT building_id,
                    sum(raised_on BETWEEN ?2 AND ?3),
                    sum(status IN ('resolved', 'fed_back') AND closed_on BETWEEN ?2 AND ?3),
                    sum(status = 'fed_back' AND closed_on BETWEEN ?2 AND ?3),
                    sum(raised_on BETWEEN ?2 AND ?3 AND coalesce(escalated_to, '') <> ''),
                    sum(status IN ('open', 'in_hand', 'escalated') AND raised_on <= ?3)
             FROM need WHERE deleted = 0 AND (?1 IS NULL OR building_id = ?1)
             GROUP BY building_id",
        )?;
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
    // 六个员
    let mut duties = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT m.building_id, m.id, coalesce(m.name, ''),
                    coalesce((SELECT group_concat(role, '、') FROM (
                        SELECT DISTINCT role FROM duty_assignment a
                        WHERE a.member_id = m.id AND a.deleted = 0 ORDER BY role)), ''),
                    coalesce(t.done, 0), coalesce(t.recorded, 0)
             FROM member m
             LEFT JOIN (SELECT member_id, sum(coalesce(done, 0)) AS done, count(*) AS recorded
                        FROM duty_tick
                        WHERE deleted = 0 AND period BETWEEN ?2 AND ?3
                          AND (?1 IS NULL OR building_id = ?1)
                        GROUP BY member_id) t ON t.member_id = m.id
             WHERE m.deleted = 0 AND (?1 IS NULL OR m.building_id = ?1)
             ORDER BY m.building_id, m.name",
        )?;
        let mut q = stmt.query(params![building, m_from, m_to])?;
        while let Some(r) = q.next()? {
            let d = MemberDuty {
                building_id: r.get(0)?,
                member_id: r.get(1)?,
                name: r.get(2)?,
                roles: r.get(3)?,
                done: r.get(4)?,
                recorded: r.get(5)?,
            };
            let Some(i) = at(&d.building_id) else {
                continue;
            };
            rows[i].duty_done += d.done;
            rows[i].duty_recorded += d.recorded;
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
        let mut months: HashMap<(usize, String), bool> = HashMap::new();
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
            rows[i].attest_total += 1;
            rows[i].attest_met += i64::from(a.met);
            let all = months.entry((i, a.month.clone())).or_insert(true);
            *all &= a.met;
            attestations.push(a);
        }
        for ((i, _), all) in months {
            rows[i].attest_full_months += i64::from(all);
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
        buildings: rows,
        duties,
        attestations,
        activities,
    })
}
