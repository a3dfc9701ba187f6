//! Report and import timing at street scale (release), against issue 6's targets:
//! - the monthly report for a whole street (2,000 buildings) as XLSX < 5 s
//! - a roster import of a 10,000-row XLSX < 2 s
//!
//! Run: `cargo bench --bench reports`. The street (with two visits per household) is kept
//! in `target/bench-reports.db` and generated only when missing (a few minutes; an existing
//! `target/bench-street.db` from `tui_street` is reused as its start).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use louzu::domain::EntityKind;
use louzu::domain::cadence::Cadences;
use louzu::report::roster_import::{apply, plan_file};
use louzu::report::{Format, Period, figures, month};
use louzu::store::Store;
use serde_json::json;

const BUILDINGS: usize = 2_000;
const ROWS: usize = 10_000;

fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn remove_db(p: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(s));
    }
}

fn ensure_street(path: &Path) {
    if path.exists() {
        return;
    }
    let t = Instant::now();
    let tmp = path.with_extension("tmp.db");
    remove_db(&tmp);
    let street = target().join("bench-street.db");
    let ids = if street.exists() {
        std::fs::copy(&street, &tmp).expect("copy street");
        let store = Store::open(&tmp).expect("open");
        store
            .buildings()
            .expect("buildings")
            .into_iter()
            .map(|b| b.id)
            .collect()
    } else {
        let mut store = Store::open(&tmp).expect("open bench db");
        store.set_owner_name("基准").expect("owner");
        louzu::demo::write_street(&mut store, BUILDINGS, 7).expect("street")
    };
    let mut store = Store::open(&tmp).expect("open");
    louzu::demo::write_street_visits(&mut store, &ids, 2, 11).expect("visits");
    drop(store);
    std::fs::rename(&tmp, path).expect("rename");
    remove_db(&tmp);
    println!("generated the street with visits in {:.1?}", t.elapsed());
}

/// This process's CPU time (user + system) from /proc, to tell slowness from a busy
/// machine (the bench box is shared); `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn report(name: &str, mut samples: Vec<Duration>, target_s: f64) {
    samples.sort();
    let med = samples[samples.len() / 2];
    let max = samples[samples.len() - 1];
    let verdict = if max.as_secs_f64() < target_s {
        "ok"
    } else {
        "OVER"
    };
    println!(
        "{name:<48} median {:>7.3} s  max {:>7.3} s  (target < {target_s} s) {verdict}",
        med.as_secs_f64(),
        max.as_secs_f64()
    );
}

fn monthly_street() {
    let path = target().join("bench-reports.db");
    ensure_street(&path);
    let store = Store::open(&path).expect("open");
    let period = Period::month_of(louzu::domain::date::today());
    let out = target().join("bench-month.xlsx");
    let mut samples = Vec::new();
    let mut size = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let cadences = Cadences::default();
        let set = louzu::domain::duty::RoleSet::default_set();
        let basis = figures::Basis {
            cadences: &cadences,
            duties: &set,
            today: louzu::domain::date::today(),
        };
        let f = figures::compute(&store, None, &period, &basis).expect("figures");
        let bytes = month::render(&f, Format::Xlsx, "基准").expect("xlsx");
        std::fs::write(&out, &bytes).expect("write");
        samples.push(t.elapsed());
        size = bytes.len();
    }
    println!(
        "  ({} buildings, {} KiB)",
        store.buildings().unwrap().len(),
        size / 1024
    );
    report("monthly report, 2,000 buildings, XLSX", samples, 5.0);
}

/// A roster of `ROWS` rows: 4,000 rooms (10 units × 20 floors × 20 rooms), 2–3 people each,
/// one in eight a member.
fn roster_xlsx(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let heads = [
        "室号",
        "姓名",
        "性别",
        "出生年份",
        "电话",
        "标签",
        "是否党员",
        "党员类别",
        "组织关系所在单位",
        "报到日期",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let (mut row, mut room) = (1u32, 0usize);
    while (row as usize) <= ROWS {
        let unit = room / 400 + 1;
        let floor = (room % 400) / 20 + 1;
        let num = room % 20 + 1;
        let text = format!("{unit}-{floor}{num:02}");
        for k in 0..(2 + room % 2) {
            if row as usize > ROWS {
                break;
            }
            let member = row % 8 == 0;
            let cells = [
                text.clone(),
                format!("居民{room}号{k}"),
                if k % 2 == 0 { "男" } else { "女" }.to_string(),
                (1940 + (row % 70)).to_string(),
                format!("139{:08}", row),
                if room % 5 == 0 { "独居老人" } else { "" }.to_string(),
                if member { "是" } else { "否" }.to_string(),
                if member { "在职党员" } else { "" }.to_string(),
                if member { "嘉定区税务局" } else { "" }.to_string(),
                if member { "2024-03-01" } else { "" }.to_string(),
            ];
            for (c, v) in cells.iter().enumerate() {
                ws.write_string(row, c as u16, v).unwrap();
            }
            row += 1;
        }
        room += 1;
    }
    book.save(path).expect("save roster");
}

fn import_10k() {
    let xlsx = target().join("bench-roster-10k.xlsx");
    if !xlsx.exists() {
        roster_xlsx(&xlsx);
    }
    let mut samples = Vec::new();
    let mut again = Vec::new();
    for i in 0..3 {
        let db = target().join(format!("bench-import-{i}.db"));
        remove_db(&db);
        let mut store = Store::open(&db).expect("open");
        let b = store
            .create(EntityKind::Building, vec![("name", json!("基准楼"))])
            .expect("building");
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let plan = plan_file(&store, &b, &xlsx).expect("plan");
        assert!(plan.errors.is_empty(), "{}", plan.summary());
        assert_eq!(plan.adds(), ROWS);
        apply(
            &mut store,
            plan,
            false,
            &louzu::usecase::Rules::default(),
            louzu::domain::date::today(),
        )
        .expect("apply");
        samples.push(t.elapsed());
        if let (Some(a), Some(b)) = (cpu, cpu_seconds()) {
            println!(
                "  import {i}: wall {:.3} s, cpu {:.2} s",
                t.elapsed().as_secs_f64(),
                b - a
            );
        }
        let t = Instant::now();
        let plan = plan_file(&store, &b, &xlsx).expect("plan");
        assert!(!plan.writes_anything());
        again.push(t.elapsed());
        drop(store);
        remove_db(&db);
    }
    report(
        "roster import, 10,000-row XLSX into an empty building",
        samples,
        2.0,
    );
    report("re-import of the same file (nothing to write)", again, 2.0);
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    if wants("import") {
        import_10k();
    }
    if wants("month") {
        monthly_street();
    }
}
