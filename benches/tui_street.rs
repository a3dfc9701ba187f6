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
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use louzu::i18n::Lang;
use louzu::store::Store;
use louzu::tui::action::Action;
use louzu::tui::{Options, dispatch, draw, start};

const BUILDINGS: usize = 2_000;

fn db_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("bench-street.db")
}

fn ensure_street(path: &Path) {
    if path.exists() {
        return;
    }
    let t = Instant::now();
    let tmp = path.with_extension("tmp.db");
    let _ = std::fs::remove_file(&tmp);
    let mut store = Store::open(&tmp).expect("open bench db");
    store.set_owner_name("基准").expect("owner");
    let ids = louzu::demo::write_street(&mut store, BUILDINGS, 7).expect("street");
    store
        .set_local_setting("building", &ids[ids.len() / 2])
        .expect("building");
    drop(store);
    for suffix in ["-wal", "-shm"] {
        let mut p = tmp.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::rename(&tmp, path).expect("rename bench db");
    println!("generated {BUILDINGS} buildings in {:.1?}", t.elapsed());
}

fn opts() -> Options {
    Options {
        lang: Lang::Zh,
        theme: "default".into(),
        config_dir: None,
        warnings: Vec::new(),
        cadences: Default::default(),
        checkin_items: louzu::domain::checkin::DEFAULT_ITEMS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

fn stats(name: &str, mut samples: Vec<Duration>, target_ms: f64) {
    samples.sort();
    let med = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    let max = samples[samples.len() - 1];
    let ok = if p95.as_secs_f64() * 1000.0 < target_ms {
        "ok"
    } else {
        "OVER"
    };
    println!(
        "{name:<40} median {:>8.3} ms  p95 {:>8.3} ms  max {:>8.3} ms  target < {target_ms} ms  {ok}",
        med.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0
    );
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
        stats("open + first frame", opens, 100.0);
        stats("roster keystroke -> frame", keys, 10.0);
        stats("pinyin search keystroke -> frame", search, 30.0);
        stats("building picker open + search + frame", picker, 100.0);
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
    let path = db_path();
    if std::env::var_os("LOUZU_BENCH_CHILD").is_some() {
        session(&path, false);
        println!("PEAK_KB {}", peak_kb().unwrap_or(0));
        return;
    }
    ensure_street(&path);
    let store = Store::open(&path).expect("open");
    let b = store.buildings().expect("buildings");
    let households: i64 = b.iter().map(|x| x.households).sum();
    let residents: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
        .expect("count");
    let ops: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM ops", [], |r| r.get(0))
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
