//! 六个员 and activity-log timing at street scale (release), against issue 4's targets,
//! on a database of at least 2,000,000 ops:
//! - opening the log filtered to one building (< 20 ms)
//! - scrolling the log a page (< 10 ms)
//! - the 六个员 pane for a building, month changed (< 10 ms)
//!
//! The street is smaller than a whole 街道 (200 buildings) but deeper: 29 visits per
//! household and a year of duty ticks (each its own change, as a leader makes them) and
//! monthly activities, so the op log passes 2 million and each building's journal has
//! hundreds of entries. Every timing includes reading the store and drawing a frame.
//!
//! Run: `cargo bench --bench duties_log`. The database is cached in
//! `target/bench-duties-log-2m.db` and rebuilt only when missing.

use std::path::PathBuf;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use louzu::i18n::Lang;
use louzu::store::{JournalFilter, LogKind, Store};
use louzu::tui::action::Action;
use louzu::tui::app::Pane;
use louzu::tui::{Options, dispatch, draw, start};

const BUILDINGS: usize = 200;
const VISITS_PER_HOUSEHOLD: usize = 29;
const DUTY_MONTHS: i32 = 12;

mod common;

/// 200 buildings with a year of duties and enough visits to pass 2,000,000 ops.
fn ensure() -> PathBuf {
    common::cached_db("bench-duties-log-2m.db", |store| {
        let ids = louzu::demo::write_street(store, BUILDINGS, 11).expect("street");
        louzu::demo::write_street_duties(store, &ids, DUTY_MONTHS, 12).expect("duties");
        louzu::demo::write_street_visits(store, &ids, VISITS_PER_HOUSEHOLD, 13).expect("visits");
        store
            .set_local_setting("building", &ids[ids.len() / 2])
            .expect("building");
    })
}

fn main() {
    let path = ensure();
    let mut store = Store::open(&path).expect("open");
    let count = |sql: &str| -> i64 {
        store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .expect("count")
    };
    let b = store
        .local_setting("building")
        .expect("setting")
        .expect("building");
    println!(
        "db: {} buildings, {} ops, {} journal entries ({} for the measured building)",
        count("SELECT count(*) FROM building"),
        count("SELECT count(*) FROM op"),
        count("SELECT count(*) FROM changes"),
        store
            .conn()
            .query_row(
                "SELECT count(*) FROM changes WHERE building_id = ?1",
                [&b],
                |r| r.get::<_, i64>(0)
            )
            .expect("count"),
    );
    let opts = Options::defaults(Lang::Zh);
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    let mut app = start(&store, opts).expect("start");
    dispatch(&mut store, &mut app, Action::Resize(160, 48));

    // The query alone, for reference.
    let mut query = Vec::new();
    for kind in LogKind::ALL.iter().cycle().take(80) {
        let f = JournalFilter {
            kind: Some(*kind),
            ..JournalFilter::default()
        };
        let t = Instant::now();
        let rows = store.journal_filtered(Some(&b), &f, 500).expect("journal");
        std::hint::black_box(rows);
        query.push(t.elapsed());
    }

    // Opening the log filtered: choose a kind in the picker → reload → frame.
    dispatch(&mut store, &mut app, Action::Focus(Pane::Log));
    let mut open = Vec::new();
    for i in 0..60 {
        dispatch(&mut store, &mut app, Action::FilterTag);
        for _ in 0..(1 + i % 4) {
            dispatch(&mut store, &mut app, Action::Down);
        }
        let t = Instant::now();
        dispatch(&mut store, &mut app, Action::Open);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        open.push(t.elapsed());
    }
    // The whole journal of the building, then page through it.
    dispatch(&mut store, &mut app, Action::Back);
    let mut page = Vec::new();
    for i in 0..200 {
        let a = if (i / 20) % 2 == 0 {
            Action::PageDown
        } else {
            Action::PageUp
        };
        let t = Instant::now();
        dispatch(&mut store, &mut app, a);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        page.push(t.elapsed());
    }
    // Opening an entry's field-level changes.
    let mut entry = Vec::new();
    for _ in 0..40 {
        let t = Instant::now();
        dispatch(&mut store, &mut app, Action::Open);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        entry.push(t.elapsed());
        dispatch(&mut store, &mut app, Action::Back);
        dispatch(&mut store, &mut app, Action::Down);
    }
    // The 六个员 pane: change month (reads that month's ticks) and draw.
    dispatch(&mut store, &mut app, Action::Focus(Pane::Duties));
    let mut duties = Vec::new();
    for i in 0..60 {
        let a = if (i / 6) % 2 == 0 {
            Action::PrevPeriod
        } else {
            Action::NextPeriod
        };
        let t = Instant::now();
        dispatch(&mut store, &mut app, a);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        duties.push(t.elapsed());
    }
    let mut duty_keys = Vec::new();
    for i in 0..200 {
        let a = if (i / 10) % 2 == 0 {
            Action::Down
        } else {
            Action::Up
        };
        let t = Instant::now();
        dispatch(&mut store, &mut app, a);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        duty_keys.push(t.elapsed());
    }
    common::stats("journal query, one building, one kind", query, 20.0);
    common::stats("open log filtered to one building + frame", open, 20.0);
    common::stats("scroll the log a page + frame", page, 10.0);
    common::stats("open a log entry (field changes) + frame", entry, 20.0);
    common::stats("duties pane: change month + frame", duties, 10.0);
    common::stats("duties pane: keystroke + frame", duty_keys, 10.0);
}
