//! The demo building and the generated street, checked through the public API: what a new
//! user sees when they open the demo, and what the benchmarks stand on.

use std::collections::BTreeSet;

use louzu::demo::{write_demo, write_street, write_street_visits};
use louzu::domain::EntityKind;
use louzu::domain::date::{format_date, today};
use louzu::store::Store;

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("demo.db")).expect("open store");
    (dir, store)
}

fn period(d: jiff::civil::Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

#[test]
fn demo_is_a_realistic_building_with_a_proper_party_group() {
    let (_dir, mut store) = fresh();
    let b = write_demo(&mut store).expect("demo written");
    let roster = store.roster(&b).expect("roster");
    assert_eq!(roster.building.text("name"), "新成路 56 弄 7 号楼");
    assert!(
        (20..=30).contains(&roster.households.len()),
        "{} households",
        roster.households.len()
    );
    assert!(
        (40..=60).contains(&roster.residents.len()),
        "{} residents",
        roster.residents.len()
    );
    assert!(
        (6..=8).contains(&roster.members.len()),
        "{} members",
        roster.members.len()
    );
    let categories: BTreeSet<&str> = roster.members.iter().map(|m| m.category.as_str()).collect();
    assert!(categories.len() >= 3, "{categories:?}");
    let roles: Vec<&str> = roster
        .members
        .iter()
        .map(|m| m.group_role.as_str())
        .collect();
    assert_eq!(roles.iter().filter(|r| **r == "组长").count(), 1);
    assert_eq!(roles.iter().filter(|r| **r == "副组长").count(), 1);
    // Most members live in the building, and each is one of their household's residents.
    let housed: Vec<_> = roster
        .members
        .iter()
        .filter(|m| !m.household_id.is_empty())
        .collect();
    assert!(housed.len() * 2 > roster.members.len());
    for m in housed {
        assert!(
            roster
                .residents
                .iter()
                .any(|r| r.household_id == m.household_id && r.name == m.name),
            "{} is not a resident of their household",
            m.name
        );
    }
    let tagged = roster.households.iter().filter(|h| !h.tags.is_empty());
    assert!(tagged.count() >= roster.households.len() / 4);
}

#[test]
fn demo_pairings_join_a_member_and_a_household_of_the_building() {
    let (_dir, mut store) = fresh();
    let b = write_demo(&mut store).expect("demo written");
    let roster = store.roster(&b).expect("roster");
    assert!(roster.pairings.len() >= 3, "{:?}", roster.pairings);
    for p in &roster.pairings {
        let member = roster.members.iter().find(|m| m.id == p.member_id);
        let household = roster.households.iter().find(|h| h.id == p.household_id);
        assert!(member.is_some(), "pairing {} has no member", p.id);
        let household = household.expect("paired household is in the building");
        assert!(
            louzu::domain::tags::in_difficulty(&household.tags),
            "room {} is paired but not in difficulty: {:?}",
            household.room,
            household.tags
        );
    }
}

#[test]
fn demo_has_overdue_today_and_upcoming_visits_and_this_months_duties() {
    let (_dir, mut store) = fresh();
    let b = write_demo(&mut store).expect("demo written");
    let t = format_date(today());
    let visits = store.visits(&b, 100).expect("visits");
    let planned: Vec<_> = visits.iter().filter(|v| v.status == "planned").collect();
    assert!(planned.iter().any(|v| v.due < t), "no overdue visit");
    assert!(planned.iter().any(|v| v.due == t), "nothing due today");
    assert!(planned.iter().any(|v| v.due > t), "nothing upcoming");
    assert!(planned.iter().all(|v| !v.assigned.is_empty()));
    assert!(
        visits
            .iter()
            .any(|v| v.status == "done" && v.done_on < t && !v.done_on.is_empty())
    );

    let assignments = store.duty_assignments(&b).expect("duty roles");
    let roles: BTreeSet<&str> = assignments.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(roles.len(), 6, "{roles:?}");
    let ticks = store.ticks(&b, &period(today())).expect("ticks");
    assert!(!ticks.is_empty(), "no duty ticks this month");
    assert!(ticks.iter().all(|t| t.on_date <= format_date(today())));
}

#[test]
fn two_demos_hold_the_same_records() {
    let (_a, mut first) = fresh();
    let (_b, mut second) = fresh();
    write_demo(&mut first).expect("first demo");
    write_demo(&mut second).expect("second demo");
    let (x, y) = (first.dump().expect("dump"), second.dump().expect("dump"));
    for kind in EntityKind::ALL {
        let count = |v: &serde_json::Value| v[kind.name()].as_array().map_or(0, Vec::len);
        assert_eq!(count(&x), count(&y), "{}", kind.name());
    }
    let names = |s: &Store| -> BTreeSet<String> {
        s.records(EntityKind::Resident, None, false)
            .expect("residents")
            .iter()
            .map(|r| r.text("name").to_string())
            .collect()
    };
    assert_eq!(names(&first), names(&second));
}

#[test]
fn street_builds_buildings_of_thirty_households() {
    let (_dir, mut store) = fresh();
    let ids = write_street(&mut store, 5, 1).expect("street written");
    assert_eq!(ids.len(), 5);
    let rows = store.buildings().expect("buildings");
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.households == 30));
    assert_eq!(rows.iter().map(|r| r.households).sum::<i64>(), 150);
    assert!(rows.iter().all(|r| (2..=3).contains(&r.members)));
    let residents = store
        .records(EntityKind::Resident, None, false)
        .expect("residents")
        .len();
    assert!((300..=450).contains(&residents), "{residents} residents");

    let written = write_street_visits(&mut store, &ids[..2], 2, 1).expect("visits");
    assert_eq!(written, 120);
    let visits = store.visits(&ids[0], 1000).expect("visits");
    assert_eq!(visits.len(), 60);
    assert_eq!(visits.iter().filter(|v| v.status == "planned").count(), 30);
}

#[test]
fn the_same_seed_gives_the_same_street() {
    let (_a, mut first) = fresh();
    let (_b, mut second) = fresh();
    write_street(&mut first, 2, 7).expect("street");
    write_street(&mut second, 2, 7).expect("street");
    let names = |s: &Store| -> Vec<String> {
        let mut v: Vec<String> = s
            .records(EntityKind::Resident, None, false)
            .expect("residents")
            .iter()
            .map(|r| r.text("name").to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&first), names(&second));
}
