//! Shared by the benchmarks: a street-scale database generated once and cached in
//! `target/`, and one way of printing timings against a target.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use louzu::store::Store;

/// `target/NAME` (or under `CARGO_TARGET_DIR`).
pub fn target_file(name: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
        .join(name)
}

/// Opens the cached database `name`, generating it with `fill` first if missing. The
/// data is written to a temporary file and renamed, so an interrupted run leaves nothing
/// half-made behind.
pub fn cached_db(name: &str, fill: impl FnOnce(&mut Store)) -> PathBuf {
    let path = target_file(name);
    if path.exists() {
        return path;
    }
    let t = Instant::now();
    let tmp = path.with_extension("tmp.db");
    remove_db(&tmp);
    let mut store = Store::open(&tmp).expect("open bench db");
    store.set_owner_name("基准").expect("owner");
    fill(&mut store);
    drop(store);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&tmp, suffix));
    }
    std::fs::rename(&tmp, &path).expect("rename bench db");
    println!("generated {name} in {:.1?}", t.elapsed());
    path
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_db(p: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(p, suffix));
    }
}

/// Prints median, p95 and max against a target in milliseconds.
pub fn stats(name: &str, mut samples: Vec<Duration>, target_ms: f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let med = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    let max = samples[samples.len() - 1];
    let ok = if ms(p95) < target_ms { "ok" } else { "OVER" };
    println!(
        "{name:<40} median {:>8.3} ms  p95 {:>8.3} ms  max {:>8.3} ms  target < {target_ms} ms  {ok}",
        ms(med),
        ms(p95),
        ms(max)
    );
}
