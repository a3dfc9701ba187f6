//! `louzu log [--since DATE] [--kind K] [--json]`: the activity log (活动记录).

use serde_json::json;

use crate::cli::said;
use crate::domain::date::{parse_date_on, today};
use crate::i18n::Lang;
use crate::store::{JournalFilter, LogKind, Store};

/// What a journal action is called in the log (`create` → 新增 / added).
pub fn action_label(action: &str, lang: Lang) -> &'static str {
    let (zh, en) = match action {
        "create" => ("新增", "added"),
        "edit" => ("修改", "edited"),
        "delete" => ("删除", "deleted"),
        "restore" => ("恢复", "restored"),
        "undo" => ("撤销", "undid"),
        "import" => ("导入", "imported"),
        "resolve" => ("解决冲突", "settled a conflict on"),
        _ => ("·", "·"),
    };
    lang.pick(zh, en)
}

/// Prints the journal of `building` (or the current building), newest first.
pub fn run(
    store: &Store,
    lang: Lang,
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
            said(
                format!("--kind {k}：可选 {}", names.join("、")),
                format!("--kind {k}: use one of {}", names.join(", ")),
            )
        })?),
        None => None,
    };
    let since = since
        .map(|s| {
            parse_date_on(s, today()).map_err(|e| {
                said(
                    format!("--since {s}：{e}"),
                    format!("--since {s}: {}", e.message(Lang::En)),
                )
            })
        })
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
        let kind = c.entity.map(|k| k.label(lang)).unwrap_or("");
        let action = action_label(&c.action, lang);
        let device = if c.origin == me {
            lang.pick("本机", "this device").to_string()
        } else if let Some(n) = names.get(c.origin.as_str()) {
            n.clone()
        } else {
            let n = crate::sync::trust::origin_name(store, &c.origin)?
                .unwrap_or_else(|| c.origin.chars().take(8).collect());
            names.insert(&c.origin, n.clone());
            n
        };
        let what = match lang {
            Lang::Zh => format!("{action}{kind}"),
            Lang::En => format!("{action} {kind}").trim().to_string(),
        };
        crate::out!(
            "{} {} {} {what} {}",
            c.at.get(..16).unwrap_or(&c.at).replace('T', " "),
            crate::text::pad_right(&c.author, 8),
            crate::text::pad_right(&device, 11),
            c.label
        );
    }
    Ok(())
}
