//! `louzu duties [--period 2026-11] [--json]`: the 六个员 board and 四个无 of a month.

use anyhow::Context;
use serde_json::{Value, json};

use crate::domain::date::today;
use crate::domain::duty::{self, Month};
use crate::store::Store;

/// Prints the board of `building` (or the current building) for `period` (or this month).
pub fn run(
    store: &Store,
    config_dir: Option<&std::path::Path>,
    building: Option<&str>,
    period: Option<&str>,
    as_json: bool,
) -> anyhow::Result<()> {
    let loaded = crate::duty_config::load_for(store, config_dir);
    if let Some(w) = &loaded.warning {
        eprintln!("{w}");
    }
    let set = loaded.set;
    let id = super::building(store, building)?;
    let b = store
        .record(crate::domain::EntityKind::Building, &id)?
        .context("reading the building")?;
    let month = match period {
        Some(p) => Month::parse(p).map_err(|e| anyhow::anyhow!("--period {p}: {e}"))?,
        None => Month::of(today()),
    };
    let roster = store.roster(&b.id).context("reading the roster")?;
    let members: Vec<(String, String)> = roster
        .members
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    let assignments = store.duty_assignments(&b.id)?;
    let ticks: Vec<(String, duty::Tick)> = store
        .duty_ticks(&b.id, &set.periods(month))?
        .into_iter()
        .map(|t| (t.member_id, t.tick))
        .collect();
    let rows = duty::board(&set, month, today(), &members, &assignments, &ticks);
    let attested = store.attestations(&b.id, &month.to_string())?;
    let open = store.open_needs_by_category(&b.id)?;
    let risks = duty::target_risks(&set, &open);
    let targets: Vec<Value> = set
        .targets
        .iter()
        .map(|t| {
            let a = attested.iter().find(|a| a.target == t.name);
            let at_risk: Vec<Value> = risks
                .iter()
                .filter(|(n, _)| *n == t.name)
                .flat_map(|(_, hits)| hits.iter().map(|(c, n)| json!({"category": c, "open": n})))
                .collect();
            json!({
                "target": t.name,
                "met": a.map(|a| a.met),
                "note": a.map(|a| a.note.clone()).unwrap_or_default(),
                "open_needs": at_risk,
            })
        })
        .collect();
    let (done, total) = duty::board_totals(&rows);
    let marks: Vec<(String, String, bool)> = attested
        .iter()
        .map(|a| (month.to_string(), a.target.clone(), a.met))
        .collect();
    let (targets_met, targets_due) = duty::targets_met(&set, &[month], &marks);
    if as_json {
        let members: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "member_id": r.member_id,
                    "name": r.name,
                    "roles": r.roles,
                    "done": r.done,
                    "total": r.total,
                    "behind": r.behind,
                    "items": r.lines.iter().map(|l| json!({
                        "role": l.role, "item": l.item, "period": l.period, "done": l.done,
                        "on_date": l.on_date, "note": l.note, "retired": l.retired,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let out = json!({
            "building": {"id": b.id, "name": b.text("name")},
            "period": month.to_string(),
            "done": done,
            "total": total,
            "targets_met": targets_met,
            "targets_due": targets_due,
            "members": members,
            "targets": targets,
        });
        crate::out!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    crate::out!(
        "{} · 六个员 {month} · 全组 {done}/{total} · 四个无 {targets_met}/{targets_due}",
        b.text("name")
    );
    for t in &targets {
        let mark = match t["met"].as_bool() {
            Some(true) => "✓ 达成",
            Some(false) => "✗ 未达成",
            None => "— 未填",
        };
        let warn: Vec<String> = t["open_needs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| {
                format!(
                    "{} {} 条未办结",
                    n["category"].as_str().unwrap_or(""),
                    n["open"]
                )
            })
            .collect();
        let warn = if warn.is_empty() {
            String::new()
        } else {
            format!("  ⚠ {}", warn.join("，"))
        };
        crate::out!(
            "  {} {mark} {}{warn}",
            t["target"].as_str().unwrap_or(""),
            t["note"].as_str().unwrap_or("")
        );
    }
    for r in &rows {
        let behind = if r.behind { "  落后" } else { "" };
        crate::out!(
            "{} {}/{} {}{behind}",
            crate::text::pad_right(&r.name, 8),
            r.done,
            r.total,
            r.roles.join("、")
        );
        for l in &r.lines {
            let mark = if l.done { "[x]" } else { "[ ]" };
            let retired = if l.retired {
                "（已不在清单）"
            } else {
                ""
            };
            crate::out!(
                "    {mark} {} · {}{retired} {} {}",
                l.role,
                l.item,
                l.on_date,
                l.note
            );
        }
    }
    Ok(())
}
