//! `louzu visits`, `louzu needs`, `louzu checkin`: the daily work from scripts, through the
//! same store workflows the TUI uses.

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::domain::checkin::Finding;
use crate::domain::date::{days_between, format_date, parse_date, today};
use crate::domain::need::NeedStatus;
use crate::store::Store;
use crate::usecase;

/// Lists planned visits (all, due by today, or overdue), as text or JSON.
pub fn visits(
    store: &Store,
    building: &str,
    due: bool,
    overdue: bool,
    as_json: bool,
) -> anyhow::Result<()> {
    let t = today();
    let roster = store.roster(building)?;
    let name = |id: &str| {
        roster
            .members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let rows: Vec<Value> = store
        .visits(building, 0)?
        .into_iter()
        .filter_map(|v| {
            let late = parse_date(&v.due).map(|d| days_between(d, t)).ok()?;
            if (overdue && late <= 0) || (due && late < 0) {
                return None;
            }
            let tags = roster
                .households
                .iter()
                .find(|h| h.id == v.household_id)
                .map(|h| h.tags.clone())
                .unwrap_or_default();
            let assigned: Vec<String> = v.assigned.iter().map(|id| name(id)).collect();
            Some(json!({
                "id": v.id, "room": v.room, "due": v.due, "days_overdue": late.max(0),
                "purpose": v.purpose, "assigned": assigned, "tags": tags,
            }))
        })
        .collect();
    if as_json {
        crate::out!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for r in &rows {
        let late = r["days_overdue"].as_i64().unwrap_or(0);
        let when = if late > 0 {
            format!("逾期{late}天")
        } else {
            r["due"].as_str().unwrap_or("").to_string()
        };
        crate::out!(
            "{}\t{}\t{}\t{}\t{}",
            r["room"].as_str().unwrap_or(""),
            when,
            r["purpose"].as_str().unwrap_or(""),
            join(&r["assigned"]),
            r["id"].as_str().unwrap_or("")
        );
    }
    Ok(())
}

fn join(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default()
}

/// Lists needs (all, or only open ones), oldest open first.
pub fn needs(store: &Store, building: &str, open: bool, as_json: bool) -> anyhow::Result<()> {
    let roster = store.roster(building)?;
    let t = today();
    let rows: Vec<Value> = store
        .needs(building, if open { 0 } else { 1000 })?
        .into_iter()
        .filter(|n| !open || NeedStatus::parse(&n.status).is_some_and(NeedStatus::is_open))
        .map(|n| {
            let room = roster
                .households
                .iter()
                .find(|h| h.id == n.household_id)
                .map(|h| h.room.clone())
                .unwrap_or_default();
            let age = parse_date(&n.raised_on)
                .map(|d| days_between(d, t))
                .unwrap_or(0);
            json!({
                "id": n.id, "room": room, "category": n.category, "description": n.description,
                "status": n.status, "escalated_to": n.escalated_to, "raised_on": n.raised_on,
                "age_days": age,
            })
        })
        .collect();
    if as_json {
        crate::out!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for r in &rows {
        let st = NeedStatus::parse(r["status"].as_str().unwrap_or(""))
            .map(NeedStatus::zh)
            .unwrap_or("");
        crate::out!(
            "{}天\t{}\t{}\t{}\t{}\t{}",
            r["age_days"],
            st,
            r["room"].as_str().unwrap_or(""),
            r["category"].as_str().unwrap_or(""),
            r["description"].as_str().unwrap_or(""),
            r["id"].as_str().unwrap_or("")
        );
    }
    Ok(())
}

/// What `louzu checkin` was given.
pub struct CheckinArgs<'a> {
    /// `ITEM=ok|problem[:note]` pairs.
    pub items: &'a [String],
    pub note: &'a str,
    /// Problem items to open a need for.
    pub needs: &'a [String],
    /// The configured checklist.
    pub known: &'a [String],
    pub date: Option<&'a str>,
    /// The cadence and 六个员 rules from the config.
    pub rules: &'a usecase::Rules,
}

/// Records today's check-in from `ITEM=ok|problem[:note]` pairs; items not named are ok.
/// `--need ITEM` also opens a need for that problem.
pub fn checkin(store: &mut Store, building: &str, args: CheckinArgs<'_>) -> anyhow::Result<()> {
    let CheckinArgs {
        items,
        note,
        needs,
        known,
        date,
        rules,
    } = args;
    let day = match date {
        Some(d) => parse_date(d).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => today(),
    };
    // Items not named are ok on a first check-in; a second one the same day changes only
    // the items it names, so an earlier problem is never overwritten.
    let earlier = store.checkin_on(building, day)?;
    let recorded = earlier
        .as_ref()
        .map(|r| crate::domain::checkin::from_json(r.get("items")))
        .unwrap_or_default();
    let mut findings: Vec<(String, Finding)> = known
        .iter()
        .filter(|k| !recorded.iter().any(|(i, _)| i == *k))
        .map(|k| (k.clone(), Finding::Ok))
        .collect();
    for arg in items {
        let (item, value) = arg
            .split_once('=')
            .with_context(|| format!("--item {arg}: write ITEM=ok or ITEM=problem:说明"))?;
        let item = item.trim();
        if !known.iter().any(|k| k == item) {
            bail!(
                "--item {arg}: 「{item}」不在巡楼清单里（{}）",
                known.join("、")
            );
        }
        let f = Finding::parse(value).map_err(|e| anyhow::anyhow!("--item {arg}: {e}"))?;
        match findings.iter_mut().find(|(k, _)| k == item) {
            Some(slot) => slot.1 = f,
            None => findings.push((item.to_string(), f)),
        }
    }
    for n in needs {
        let problem = |list: &[(String, Finding)]| {
            list.iter()
                .any(|(k, f)| k == n && matches!(f, Finding::Problem(_)))
        };
        let named = findings.iter().any(|(k, _)| k == n);
        if !(problem(&findings) || !named && problem(&recorded)) {
            bail!("--need {n}: 只有记为 problem 的项目才能登记诉求");
        }
    }
    let entry = usecase::checkin::Entry {
        findings: findings.clone(),
        note: note.to_string(),
        open_needs: needs.to_vec(),
    };
    let done = usecase::checkin::record(store, rules, building, day, &entry)?;
    let needs_opened = done.derived.needs;
    let problems = findings
        .iter()
        .filter(|(_, f)| matches!(f, Finding::Problem(_)))
        .count();
    crate::out!(
        "巡楼已记录 {}：{} 项正常，{} 项有问题，新登记诉求 {} 条",
        format_date(day),
        findings.len() - problems,
        problems,
        needs_opened
    );
    Ok(())
}
