//! `louzu duties [--period 2026-11] [--json]`: the 六个员 board and 四个无 of a month.

use anyhow::Context;
use serde_json::{Value, json};

use crate::cli::said;
use crate::domain::date::today;
use crate::domain::duty::{self, Month};
use crate::domain::entity::word_label;
use crate::i18n::Lang;
use crate::store::Store;
use crate::text::{pad_right, width};

/// The board's own words, as the 六个员 pane says them.
struct Words {
    duties: &'static str,
    group: &'static str,
    targets: &'static str,
    met: &'static str,
    not_met: &'static str,
    not_attested: &'static str,
    behind: &'static str,
    retired: &'static str,
}

const ZH: Words = Words {
    duties: "六个员",
    group: "全组",
    targets: "四个无",
    met: "✓ 达成",
    not_met: "✗ 未达成",
    not_attested: "— 未填",
    behind: "落后",
    retired: "（已不在清单）",
};

const EN: Words = Words {
    duties: "Duties",
    group: "group",
    targets: "targets met",
    met: "✓ met",
    not_met: "✗ not met",
    not_attested: "— not attested",
    behind: "behind",
    retired: " (no longer listed)",
};

/// `治安消防 1 条未办结` / `1 open safety and fire need`.
fn open_needs(category: &str, n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{category} {n} 条未办结"),
        Lang::En => format!(
            "{n} open {} {}",
            word_label(category, lang),
            if n == 1 { "need" } else { "needs" }
        ),
    }
}

/// Prints the board of `building` (or the current building) for `period` (or this month).
pub fn run(
    store: &Store,
    config_dir: Option<&std::path::Path>,
    building: Option<&str>,
    period: Option<&str>,
    as_json: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let w = if lang == Lang::En { &EN } else { &ZH };
    let loaded = crate::duty_config::load_for(store, config_dir);
    if let Some(warning) = &loaded.warning {
        eprintln!("{}", warning.message(lang));
    }
    let set = loaded.set;
    let id = super::building(store, building)?;
    let b = store
        .record(crate::domain::EntityKind::Building, &id)?
        .context("reading the building")?;
    let month = match period {
        Some(p) => Month::parse(p).map_err(|e| {
            said(
                format!("--period {p}：{e}"),
                format!("--period {p}: {}", e.message(Lang::En)),
            )
        })?,
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
        "{} · {} {month} · {} {done}/{total} · {} {targets_met}/{targets_due}",
        b.text("name"),
        w.duties,
        w.group,
        w.targets,
    );
    // English target names differ in length (No crime … No illegal structures): padded by
    // display width, the marks after them line up. The Chinese board keeps its layout.
    let target_names: Vec<String> = targets
        .iter()
        .map(|t| set.target_label(t["target"].as_str().unwrap_or(""), lang))
        .map(str::to_string)
        .collect();
    let target_names = match lang {
        Lang::Zh => target_names,
        Lang::En => {
            let cols = target_names.iter().map(|n| width(n)).max().unwrap_or(0);
            target_names.iter().map(|n| pad_right(n, cols)).collect()
        }
    };
    // Names are padded to 4 Chinese characters' width, or to the longest name, never cut.
    let name_cols = rows.iter().map(|r| width(&r.name)).fold(8, usize::max);
    for (t, name) in targets.iter().zip(&target_names) {
        let mark = match t["met"].as_bool() {
            Some(true) => w.met,
            Some(false) => w.not_met,
            None => w.not_attested,
        };
        let warn: Vec<String> = t["open_needs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| {
                open_needs(
                    n["category"].as_str().unwrap_or(""),
                    n["open"].as_i64().unwrap_or(0),
                    lang,
                )
            })
            .collect();
        let warn = if warn.is_empty() {
            String::new()
        } else {
            format!("  ⚠ {}", warn.join(lang.pick("，", "; ")))
        };
        crate::out!("  {name} {mark} {}{warn}", t["note"].as_str().unwrap_or(""));
    }
    for r in &rows {
        let behind = if r.behind {
            format!("  {}", w.behind)
        } else {
            String::new()
        };
        crate::out!(
            "{} {}/{} {}{behind}",
            pad_right(&r.name, name_cols),
            r.done,
            r.total,
            set.roles_label(&r.roles, lang)
        );
        for l in &r.lines {
            let mark = if l.done { "[x]" } else { "[ ]" };
            let retired = if l.retired { w.retired } else { "" };
            crate::out!(
                "    {mark} {} · {}{retired} {} {}",
                set.role_label(&l.role, lang),
                set.item_label(&l.role, &l.item, lang),
                l.on_date,
                l.note
            );
        }
    }
    Ok(())
}
