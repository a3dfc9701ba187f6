//! `louzu visits`, `louzu needs`, `louzu checkin`: the daily work from scripts, through the
//! same store workflows the TUI uses.

use serde_json::{Value, json};

use crate::cli::said;
use crate::domain::checkin::{Finding, item_label};
use crate::domain::date::{days_between, format_date, parse_date, today};
use crate::domain::entity::word_label;
use crate::domain::need::NeedStatus;
use crate::i18n::Lang;
use crate::store::Store;
use crate::usecase;

/// `n 天` / `n days` (`1 day`): how long, in the interface language.
fn days(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n}天"),
        Lang::En if n == 1 => "1 day".to_string(),
        Lang::En => format!("{n} days"),
    }
}

/// Lists planned visits (all, due by today, or overdue), as text or JSON.
pub fn visits(
    store: &Store,
    building: &str,
    due: bool,
    overdue: bool,
    as_json: bool,
    lang: Lang,
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
            match lang {
                Lang::Zh => format!("逾期{}", days(late, lang)),
                Lang::En => format!("{} overdue", days(late, lang)),
            }
        } else {
            r["due"].as_str().unwrap_or("").to_string()
        };
        crate::out!(
            "{}\t{}\t{}\t{}\t{}",
            r["room"].as_str().unwrap_or(""),
            when,
            r["purpose"].as_str().unwrap_or(""),
            join(&r["assigned"], lang),
            r["id"].as_str().unwrap_or("")
        );
    }
    Ok(())
}

/// Names in a list, as the interface language lists them (`曾国华、陆建明`, `A, B`).
fn join(v: &Value, lang: Lang) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "))
        })
        .unwrap_or_default()
}

/// Lists needs (all, or only open ones), oldest open first.
pub fn needs(
    store: &Store,
    building: &str,
    open: bool,
    as_json: bool,
    lang: Lang,
) -> anyhow::Result<()> {
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
            .map(|s| s.label(lang))
            .unwrap_or("");
        crate::out!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            days(r["age_days"].as_i64().unwrap_or(0), lang),
            st,
            r["room"].as_str().unwrap_or(""),
            word_label(r["category"].as_str().unwrap_or(""), lang),
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
    /// The language of the message saying what was recorded.
    pub lang: Lang,
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
        lang,
    } = args;
    let day = match date {
        Some(d) => parse_date(d).map_err(|e| {
            said(
                format!("--date {d}：{e}"),
                format!("--date {d}: {}", e.message(Lang::En)),
            )
        })?,
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
        let (item, value) = arg.split_once('=').ok_or_else(|| {
            said(
                format!("--item {arg}：请写成 项目=ok 或 项目=problem:说明"),
                format!("--item {arg}: write ITEM=ok or ITEM=problem:NOTE"),
            )
        })?;
        let item = known_item(known, item).ok_or_else(|| {
            let item = item.trim();
            said(
                format!(
                    "--item {arg}：「{item}」不在巡楼清单里（{}）",
                    known.join("、")
                ),
                format!(
                    "--item {arg}: \"{item}\" is not on the check-in list ({})",
                    checklist_en(known)
                ),
            )
        })?;
        let f = Finding::parse(value).map_err(|e| {
            said(
                format!("--item {arg}：{e}"),
                format!(
                    "--item {arg}: \"{}\" is not a finding: write ok or problem:NOTE",
                    value.trim()
                ),
            )
        })?;
        match findings.iter_mut().find(|(k, _)| *k == item) {
            Some(slot) => slot.1 = f,
            None => findings.push((item, f)),
        }
    }
    let mut open_needs = Vec::new();
    for n in needs {
        let item = known_item(known, n).unwrap_or_else(|| n.trim().to_string());
        let problem = |list: &[(String, Finding)]| {
            list.iter()
                .any(|(k, f)| *k == item && matches!(f, Finding::Problem(_)))
        };
        let named = findings.iter().any(|(k, _)| *k == item);
        if !(problem(&findings) || !named && problem(&recorded)) {
            return Err(said(
                format!("--need {n}：只有记为 problem 的项目才能登记诉求"),
                format!("--need {n}: only an item recorded as a problem can open a need"),
            ));
        }
        open_needs.push(item);
    }
    let entry = usecase::checkin::Entry {
        findings: findings.clone(),
        note: note.to_string(),
        open_needs,
    };
    let done = usecase::checkin::record(store, rules, building, day, &entry)?;
    let needs_opened = done.derived.needs;
    let problems = findings
        .iter()
        .filter(|(_, f)| matches!(f, Finding::Problem(_)))
        .count();
    let ok = findings.len() - problems;
    match lang {
        Lang::Zh => crate::out!(
            "巡楼已记录 {}：{ok} 项正常，{problems} 项有问题，新登记诉求 {needs_opened} 条",
            format_date(day),
        ),
        Lang::En => crate::out!(
            "Check-in recorded for {}: {ok} ok, {problems} with a problem, {needs_opened} new {}",
            format_date(day),
            if needs_opened == 1 { "need" } else { "needs" }
        ),
    }
    Ok(())
}

/// The checklist item a person named: as stored (楼道堆物) or by its English label (any
/// case), so `--item lights=ok` works in English too.
fn known_item(known: &[String], named: &str) -> Option<String> {
    let named = named.trim();
    known
        .iter()
        .find(|k| *k == named || item_label(k, Lang::En).eq_ignore_ascii_case(named))
        .cloned()
}

/// The checklist for an English message: each item as it may be typed.
fn checklist_en(known: &[String]) -> String {
    known
        .iter()
        .map(|k| match item_label(k, Lang::En) {
            en if en == k => k.clone(),
            en => format!("{en} ({k})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
