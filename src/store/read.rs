//! Typed reads for the panes: the roster of one building, its visits, duty ticks, and the
//! journal. Each is one or a few indexed queries for one building, so opening a pane at
//! street scale stays fast.

use rusqlite::params;
use serde_json::Value;

use super::record::Record;
use super::{Store, StoreError};
use crate::domain::EntityKind;
use crate::domain::room::Room;

/// A building in the picker, with the figures an office compares buildings by.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingRow {
    pub id: String,
    pub name: String,
    pub address: String,
    pub neighbourhood: String,
    pub households: i64,
    pub members: i64,
}

/// 户 — one household as the roster lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Household {
    pub id: String,
    pub room: String,
    pub floor: u16,
    pub tags: Vec<String>,
    pub note: String,
}

/// 居民 — a resident; the phone is kept for the detail view only, never listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Resident {
    pub id: String,
    pub household_id: String,
    pub name: String,
    pub gender: String,
    pub birth_year: Option<i64>,
    pub phone: String,
    pub note: String,
}

/// 党员 — a member and where they serve from.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: String,
    pub household_id: String,
    pub name: String,
    pub category: String,
    pub home_org: String,
    pub home_org_contact: String,
    pub report_date: String,
    pub skills: String,
    pub show_identity: bool,
    pub contact_public: bool,
    pub group_role: String,
    pub phone: String,
}

/// 双结对 — a member paired with a household.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairing {
    pub id: String,
    pub member_id: String,
    pub household_id: String,
    pub since: String,
    pub note: String,
}

/// Everything the roster pane shows for one building.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    pub building: Record,
    /// In stair order: floor, unit, room.
    pub households: Vec<Household>,
    pub residents: Vec<Resident>,
    pub members: Vec<Member>,
    pub pairings: Vec<Pairing>,
}

/// 走访 — a visit as the visits pane lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRow {
    pub id: String,
    pub household_id: String,
    pub room: String,
    pub due: String,
    pub purpose: String,
    pub status: String,
    pub done_on: String,
    pub assigned: Vec<String>,
}

/// A duty-checklist tick for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct TickRow {
    pub id: String,
    pub member_id: String,
    pub role: String,
    pub item: String,
    pub period: String,
    pub done: bool,
    pub on_date: String,
}

/// One journal entry (活动记录): a user action on some record.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub id: String,
    pub at: String,
    pub author: String,
    pub origin: String,
    pub action: String,
    pub entity: Option<EntityKind>,
    pub entity_id: String,
    pub label: String,
}

fn text(r: &Record, f: &str) -> String {
    r.text(f).to_string()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Store {
    /// Every building not deleted, by name: (id, name), without the counts.
    pub fn building_names(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(name, '') FROM building WHERE deleted = 0 ORDER BY name, id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every building not deleted, by name, with household and member counts.
    pub fn buildings(&self) -> Result<Vec<BuildingRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.id, coalesce(b.name, ''), coalesce(b.address, ''),
                    coalesce(b.neighbourhood, ''),
                    (SELECT count(*) FROM household h WHERE h.building_id = b.id AND h.deleted = 0),
                    (SELECT count(*) FROM member m WHERE m.building_id = b.id AND m.deleted = 0)
             FROM building b WHERE b.deleted = 0 ORDER BY b.name, b.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(BuildingRow {
                id: r.get(0)?,
                name: r.get(1)?,
                address: r.get(2)?,
                neighbourhood: r.get(3)?,
                households: r.get(4)?,
                members: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The roster of one building: households in stair order, their residents and members,
    /// and pairings. Residents of a deleted household are hidden with it.
    pub fn roster(&self, building_id: &str) -> Result<Roster, StoreError> {
        let building = self
            .record(EntityKind::Building, building_id)?
            .ok_or_else(|| StoreError::NotFound(building_id.to_string()))?;
        let mut households: Vec<Household> = self
            .records(EntityKind::Household, Some(building_id), false)?
            .into_iter()
            .map(|r| Household {
                floor: Room::floor_of(r.text("room")),
                room: text(&r, "room"),
                tags: strings(r.get("tags")),
                note: text(&r, "note"),
                id: r.id,
            })
            .collect();
        households.sort_by(|a, b| {
            Room::sort_key(&a.room)
                .cmp(&Room::sort_key(&b.room))
                .then_with(|| a.room.cmp(&b.room))
        });
        let live = |hid: &str| households.iter().any(|h| h.id == hid);
        let residents = self
            .records(EntityKind::Resident, Some(building_id), false)?
            .into_iter()
            .filter(|r| live(r.text("household_id")))
            .map(|r| Resident {
                household_id: text(&r, "household_id"),
                name: text(&r, "name"),
                gender: text(&r, "gender"),
                birth_year: r.get("birth_year").as_i64(),
                phone: text(&r, "phone"),
                note: text(&r, "note"),
                id: r.id,
            })
            .collect();
        let members: Vec<Member> = self
            .records(EntityKind::Member, Some(building_id), false)?
            .into_iter()
            .map(|r| Member {
                household_id: text(&r, "household_id"),
                name: text(&r, "name"),
                category: text(&r, "category"),
                home_org: text(&r, "home_org"),
                home_org_contact: text(&r, "home_org_contact"),
                report_date: text(&r, "report_date"),
                skills: text(&r, "skills"),
                show_identity: r.get("show_identity").as_bool().unwrap_or(false),
                contact_public: r.get("contact_public").as_bool().unwrap_or(false),
                group_role: text(&r, "group_role"),
                phone: text(&r, "phone"),
                id: r.id,
            })
            .collect();
        let pairings = self
            .records(EntityKind::Pairing, Some(building_id), false)?
            .into_iter()
            .filter(|r| {
                live(r.text("household_id")) && members.iter().any(|m| m.id == r.text("member_id"))
            })
            .map(|r| Pairing {
                member_id: text(&r, "member_id"),
                household_id: text(&r, "household_id"),
                since: text(&r, "since"),
                note: text(&r, "note"),
                id: r.id,
            })
            .collect();
        Ok(Roster {
            building,
            households,
            residents,
            members,
            pairings,
        })
    }

    /// Visits of a building that are still planned, soonest due first, then the most
    /// recently completed (`done_limit` of them).
    pub fn visits(&self, building_id: &str, done_limit: i64) -> Result<Vec<VisitRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM (
               SELECT v.id, v.household_id, coalesce(h.room, ''), coalesce(v.due, ''),
                      coalesce(v.purpose, ''), coalesce(v.status, ''), coalesce(v.done_on, ''),
                      coalesce(v.assigned, '[]')
               FROM visit v JOIN household h ON h.id = v.household_id AND h.deleted = 0
               WHERE v.building_id = ?1 AND v.deleted = 0 AND v.status = 'planned'
               ORDER BY v.due, h.room)
             UNION ALL
             SELECT * FROM (
               SELECT v.id, v.household_id, coalesce(h.room, ''), coalesce(v.due, ''),
                      coalesce(v.purpose, ''), coalesce(v.status, ''), coalesce(v.done_on, ''),
                      coalesce(v.assigned, '[]')
               FROM visit v JOIN household h ON h.id = v.household_id AND h.deleted = 0
               WHERE v.building_id = ?1 AND v.deleted = 0 AND v.status <> 'planned'
               ORDER BY v.done_on DESC, v.due DESC LIMIT ?2)",
        )?;
        let rows = stmt.query_map(params![building_id, done_limit], |r| {
            let assigned: String = r.get(7)?;
            Ok(VisitRow {
                id: r.get(0)?,
                household_id: r.get(1)?,
                room: r.get(2)?,
                due: r.get(3)?,
                purpose: r.get(4)?,
                status: r.get(5)?,
                done_on: r.get(6)?,
                assigned: serde_json::from_str(&assigned).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Duty ticks of a building for one period (e.g. `2026-11`).
    pub fn ticks(&self, building_id: &str, period: &str) -> Result<Vec<TickRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(member_id, ''), coalesce(role, ''), coalesce(item, ''),
                    coalesce(period, ''), coalesce(done, 0), coalesce(on_date, '')
             FROM duty_tick WHERE building_id = ?1 AND period = ?2 AND deleted = 0
             ORDER BY member_id, role, item",
        )?;
        let rows = stmt.query_map([building_id, period], |r| {
            Ok(TickRow {
                id: r.get(0)?,
                member_id: r.get(1)?,
                role: r.get(2)?,
                item: r.get(3)?,
                period: r.get(4)?,
                done: r.get::<_, i64>(5)? != 0,
                on_date: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Duty roles taken by the members of a building: (member id, role).
    pub fn duty_assignments(&self, building_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(member_id, ''), coalesce(role, '') FROM duty_assignment
             WHERE building_id = ?1 AND deleted = 0 ORDER BY member_id, role",
        )?;
        let rows = stmt.query_map([building_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
