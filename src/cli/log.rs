//! `louzu log [--since DATE] [--kind K] [--json]`: the activity log (活动记录).

use serde_json::json;

use crate::domain::date::parse_date;
use crate::store::{JournalFilter, LogKind, Store};

/// Prints the journal of `building` (or the current building), newest first.
pub fn run(
    store: &Store,
    building: Option<&str>,
    since: Option<&str>,
    kind: Option<&str>,
    limit: i64,
    as_json: bool,
) -> anyhow::Result<()> {
    let b_id = super::building(store, building)?;
    let kind = match kind {
        Some(k) => Some(LogKind::parse(k).ok_or_else(|| {
            let names: Vec<&str> = LogKind::ALL.iter().map(|k| k.name()).collect();
            anyhow::anyhow!("--kind {k}: use one of {}", names.join(", "))
        })?),
        None => None,
    };
    let since = since
        .map(|s| parse_date(s).map_err(|e| anyhow::anyhow!("--since {s}: {e}")))
        .transpose()?;
    let filter = JournalFilter {
        kind,
        since,
        ..JournalFilter::default()
    };
    let rows = store.journal_filtered(Some(&b_id), &filter, limit)?;
    let me = store.device_id().to_string();
    if as_json {
        let out: Vec<_> = rows
            .iter()
            .map(|c| {
                json!({
                    "id": c.id, "at": c.at, "author": c.author, "device": c.origin,
                    "this_device": c.origin == me, "action": c.action,
                    "entity": c.entity.map(|k| k.name()), "entity_id": c.entity_id,
                    "summary": c.label,
                })
            })
            .collect();
        crate::out!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    // Other devices by the name this device trusts them under.
    let mut names: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for c in &rows {
        let kind = c.entity.map(|k| k.zh()).unwrap_or("");
        let action = crate::tui::strings::ZH.action(&c.action);
        let device = if c.origin == me {
            "本机".to_string()
        } else if let Some(n) = names.get(c.origin.as_str()) {
            n.clone()
        } else {
            let n = crate::sync::trust::origin_name(store, &c.origin)?
                .unwrap_or_else(|| c.origin.chars().take(8).collect());
            names.insert(&c.origin, n.clone());
            n
        };
        crate::out!(
            "{} {} {} {action}{kind} {}",
            c.at.get(..16).unwrap_or(&c.at).replace('T', " "),
            crate::text::pad_right(&c.author, 8),
            crate::text::pad_right(&device, 8),
            c.label
        );
    }
    Ok(())
}
