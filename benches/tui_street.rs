//! Street-scale interface timing (release): a 街道 of 2,000 buildings, ~60,000 households,
//! ~150,000 residents, written through the one write path into a cached database.
//!
//! Measures, against the foundation issue's targets:
//! - open the database + build the first frame (< 100 ms)
//! - a roster keystroke to the next frame (< 10 ms)
//! - a pinyin search keystroke to the next frame (< 30 ms)
//! - peak memory of a process that opens, draws and searches (< 100 MB)
//!
//! Run: `cargo bench --bench tui_street`. The database is kept in `target/bench-street.db`
//! and rebuilt only when missing. Peak memory is measured in a child process so that
//! generating the data does not count.

use std::path::{Path, PathBuf};

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use louzu::i18n::Lang;
use louzu::store::Store;
use louzu::tui::action::Action;
use louzu::tui::{Options, dispatch, draw, start};

const BUILDINGS: usize = 2_000;

mod common;

fn ensure_street() -> PathBuf {
    common::cached_db("bench-street.db", |store| {
        let ids = louzu::demo::write_street(store, BUILDINGS, 7).expect("street");
        store
            .set_local_setting("building", &ids[ids.len() / 2])
            .expect("building");
    })
}

fn opts() -> Options {
    Options::defaults(Lang::Zh)
}

/// One session as a user has it: open, first frame, keystrokes, searches.
fn session(path: &Path, report: bool) {
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    let mut opens = Vec::new();
    for _ in 0..if report { 20 } else { 1 } {
        let t = Instant::now();
        let store = Store::open(path).expect("open");
        let app = start(&store, opts()).expect("start");
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        opens.push(t.elapsed());
    }
    let mut store = Store::open(path).expect("open");
    let mut app = start(&store, opts()).expect("start");
    dispatch(&mut store, &mut app, Action::Resize(160, 48));
    let mut keys = Vec::new();
    for i in 0..400 {
        let a = if (i / 20) % 2 == 0 {
            Action::Down
        } else {
            Action::Up
        };
        let t = Instant::now();
        dispatch(&mut store, &mut app, a);
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        keys.push(t.elapsed());
    }
    let mut search = Vec::new();
    for _ in 0..40 {
        dispatch(&mut store, &mut app, Action::Search);
        for c in ['w', 'x', 'y'] {
            let t = Instant::now();
            dispatch(&mut store, &mut app, Action::Type(c));
            term.draw(|f| draw::draw(f, &app)).expect("draw");
            search.push(t.elapsed());
        }
        dispatch(&mut store, &mut app, Action::Back);
    }
    // The office's building picker: all 2,000 buildings, searched by pinyin.
    let mut picker = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        dispatch(&mut store, &mut app, Action::BuildingPicker);
        dispatch(&mut store, &mut app, Action::Type('x'));
        term.draw(|f| draw::draw(f, &app)).expect("draw");
        picker.push(t.elapsed());
        dispatch(&mut store, &mut app, Action::Back);
    }
    if report {
        common::stats("open + first frame", opens, 100.0);
        common::stats("roster keystroke -> frame", keys, 10.0);
        common::stats("pinyin search keystroke -> frame", search, 30.0);
        common::stats("building picker open + search + frame", picker, 100.0);
    }
}

/// Peak resident memory of this process in kB (Linux; elsewhere unknown).
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

fn main() {
    let path = common::target_file("bench-street.db");
    if std::env::var_os("LOUZU_BENCH_CHILD").is_some() {
        session(&path, false);
        println!("PEAK_KB {}", peak_kb().unwrap_or(0));
        return;
    }
    let path = ensure_street();
    let store = Store::open(&path).expect("open");
    let b = store.buildings().expect("buildings");
    let households: i64 = b.iter().map(|x| x.households).sum();
    let residents: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
        .expect("count");
    let ops: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM op", [], |r| r.get(0))
        .expect("count");
    drop(store);
    println!(
        "street: {} buildings, {households} households, {residents} residents, {ops} ops",
        b.len()
    );
    session(&path, true);
    let exe = std::env::current_exe().expect("exe");
    let out = std::process::Command::new(exe)
        .env("LOUZU_BENCH_CHILD", "1")
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    match text.lines().find_map(|l| l.strip_prefix("PEAK_KB ")) {
        Some(kb) => {
            let mb = kb.trim().parse::<f64>().unwrap_or(0.0) / 1024.0;
            let ok = if mb < 100.0 { "ok" } else { "OVER" };
            println!(
                "{:<40} {mb:.1} MB  target < 100 MB  {ok}",
                "peak memory (open, draw, search)"
            );
        }
        None => println!("peak memory: not measurable here"),
    }
}
