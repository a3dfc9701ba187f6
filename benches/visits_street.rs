//! Street-scale visits timing (release): 60,000 households, ~300,000 visits and ~50,000
//! needs, all written through the one write path into a cached database.
//!
//! Targets from the visits issue: opening the visits pane for a building and a keystroke
//! in it, each < 10 ms; the header counts < 5 ms.
//!
//! Run: `cargo bench --bench visits_street` (the database is cached in
//! `target/bench-visits.db`; the first run takes a few minutes to generate it).

use std::path::PathBuf;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use louzu::domain::EntityKind as K;
use louzu::domain::date::{add_days, format_date, today};
use louzu::i18n::Lang;
use louzu::store::{Action as StoreAction, Change, Edit, Store};
use louzu::tui::action::Action;
use louzu::tui::app::Pane;
use louzu::tui::data::Data;
use louzu::tui::{Options, dispatch, draw, start};

const BUILDINGS: usize = 2_000;
const VISITS_PER_HOUSEHOLD: usize = 5;
const NEEDS_PER_BUILDING: usize = 25;

mod common;

/// The street with visits and needs, generated once and cached.
fn generate() -> PathBuf {
    common::cached_db("bench-visits.db", |store| {
        let ids = louzu::demo::write_street(store, BUILDINGS, 11).expect("street");
        louzu::demo::write_street_visits(store, &ids, VISITS_PER_HOUSEHOLD, 12).expect("visits");
        add_needs(store, &ids);
        store
            .set_local_setting("building", &ids[ids.len() / 2])
            .expect("building");
    })
}

/// About 50,000 needs in every status, through the write path.
fn add_needs(store: &mut Store, ids: &[String]) {
    let cats = [
        "环境卫生",
        "楼道堆物",
        "设施维修",
        "治安消防",
        "邻里纠纷",
        "帮困",
    ];
    let statuses = ["open", "in_hand", "resolved", "fed_back", "open"];
    for (bi, b) in ids.iter().enumerate() {
        let households = store
            .records(K::Household, Some(b), false)
            .expect("households");
        let mut edits = Vec::new();
        for n in 0..NEEDS_PER_BUILDING {
            let id = uuid::Uuid::now_v7().to_string();
            let h = &households[(n * 7 + bi) % households.len()];
            let st = statuses[(n + bi) % statuses.len()];
            let raised = format_date(add_days(today(), -(((n * 3 + bi) % 90) as i64)));
            edits.push(Edit::new(K::Need, &id, "deleted", false));
            edits.push(Edit::new(K::Need, &id, "building_id", b.as_str()));
            edits.push(Edit::new(K::Need, &id, "household_id", h.id.as_str()));
            edits.push(Edit::new(K::Need, &id, "category", cats[n % cats.len()]));
            edits.push(Edit::new(
                K::Need,
                &id,
                "description",
                json!(format!("诉求 {n}")),
            ));
            edits.push(Edit::new(K::Need, &id, "status", st));
            edits.push(Edit::new(K::Need, &id, "raised_on", raised.as_str()));
            if st == "fed_back" {
                edits.push(Edit::new(K::Need, &id, "feedback", "已告知"));
            }
        }
        store
            .commit(Change {
                action: StoreAction::Create,
                edits,
                label: "基准诉求".into(),
                undoes: None,
            })
            .expect("needs");
    }
}

fn main() {
    let path = generate();
    let mut store = Store::open(&path).expect("open");
    let count = |sql: &str| -> i64 {
        store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .expect("count")
    };
    println!(
        "street: {} households, {} visits, {} needs, {} ops",
        count("SELECT count(*) FROM household"),
        count("SELECT count(*) FROM visit"),
        count("SELECT count(*) FROM need"),
        count("SELECT count(*) FROM op")
    );
    let buildings: Vec<String> = store
        .buildings()
        .expect("b")
        .into_iter()
        .map(|b| b.id)
        .collect();
    let day = today();

    let mut counts = Vec::new();
    let mut pane = Vec::new();
    for (i, b) in buildings.iter().cycle().step_by(37).take(200).enumerate() {
        let t = Instant::now();
        std::hint::black_box(store.counts(b, day).expect("counts"));
        counts.push(t.elapsed());
        if i % 2 == 0 {
            let t = Instant::now();
            std::hint::black_box(store.visits(b, 50).expect("visits"));
            std::hint::black_box(store.needs(b, 50).expect("needs"));
            pane.push(t.elapsed());
        }
    }
    common::stats("header counts", counts, 5.0);
    common::stats("visits pane queries (visits+needs)", pane, 10.0);

    let mut loads = Vec::new();
    for b in buildings.iter().step_by(97).take(20) {
        let t = Instant::now();
        std::hint::black_box(Data::load(&store, Some(b)).expect("load"));
        loads.push(t.elapsed());
    }
    common::stats("whole snapshot for a building", loads, 10.0);

    let opts = Options::defaults(Lang::Zh);
    let mut app = start(&store, opts).expect("start");
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("term");
    dispatch(&mut store, &mut app, Action::Resize(160, 48));
    let t = Instant::now();
    dispatch(&mut store, &mut app, Action::Focus(Pane::Visits));
    term.draw(|f| draw::draw(f, &app)).expect("draw");
    common::stats("focus visits pane -> frame", vec![t.elapsed()], 10.0);
    let mut keys = Vec::new();
    for i in 0..400 {
        let a = if (i / 10) % 2 == 0 {
            Action::Down
        } else {
            Action::Up
        };
        let t = Instant::now();
        dispatch(&mut store, &mut app, a);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        keys.push(t.elapsed());
    }
    common::stats("visits keystroke -> frame", keys, 10.0);
}
