//! The scripting commands: `louzu add KIND field=value…`, `edit ID field=value…`,
//! `delete ID`, `restore ID`, `find TEXT [--json]`. Each goes through the one write path
//! and the domain's validation, so a script can do nothing the forms cannot.

use serde_json::{Value, json};

use crate::cli::said;
use crate::domain::date::today;
use crate::domain::value::parse_field;
use crate::domain::{EntityKind, FieldKind};
use crate::i18n::Lang;
use crate::search::{Query, SearchKey};
use crate::store::{Record, Store};
use crate::usecase::{self, Rules};

/// A kind by its table name (`household`) or its Chinese name (`住户`).
pub fn parse_kind(s: &str) -> anyhow::Result<EntityKind> {
    EntityKind::parse(s)
        .or_else(|| EntityKind::ALL.iter().copied().find(|k| k.zh() == s))
        .ok_or_else(|| {
            let names: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
            said(
                format!("不认识的记录类型「{s}」，可用：{}", names.join(", ")),
                format!("unknown kind \"{s}\": use one of {}", names.join(", ")),
            )
        })
}

/// Parses `field=value` arguments for a kind. A reference may be given by id or by the
/// name people know the record by (a building's name, a household's room in that building).
fn parse_fields(
    store: &Store,
    kind: EntityKind,
    args: &[String],
    building: Option<&str>,
) -> anyhow::Result<Vec<(&'static str, Value)>> {
    let mut out = Vec::new();
    let mut building = building.map(str::to_string);
    for arg in args {
        let (name, text) = arg.split_once('=').ok_or_else(|| {
            said(
                format!("「{arg}」应写成 字段=值，例如 room=301"),
                format!("\"{arg}\": write field=value, e.g. room=301"),
            )
        })?;
        let spec = kind
            .field(name.trim())
            .filter(|s| s.name != "deleted")
            .ok_or_else(|| {
                let names: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
                said(
                    format!(
                        "{}没有字段「{name}」，可用：{}",
                        kind.zh(),
                        names.join(", ")
                    ),
                    format!(
                        "a {} has no field \"{name}\": use one of {}",
                        kind.en(),
                        names.join(", ")
                    ),
                )
            })?;
        let mut value = parse_field(spec, text).map_err(|e| {
            said(
                format!("{}：{e}", spec.label(Lang::Zh)),
                format!("{}: {}", spec.label(Lang::En), e.message(Lang::En)),
            )
        })?;
        if let (FieldKind::Ref(target), Value::String(s)) = (spec.kind, &value) {
            let id = resolve_ref(store, target, s, building.as_deref())?;
            if target == EntityKind::Building {
                building = Some(id.clone());
            }
            value = Value::String(id);
        }
        out.push((spec.name, value));
    }
    Ok(out)
}

fn resolve_ref(
    store: &Store,
    kind: EntityKind,
    text: &str,
    building: Option<&str>,
) -> anyhow::Result<String> {
    if store.record(kind, text)?.is_some() {
        return Ok(text.to_string());
    }
    let matches: Vec<Record> = store
        .records(
            kind,
            building.filter(|_| kind != EntityKind::Building),
            false,
        )?
        .into_iter()
        .filter(|r| r.label() == text)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(said(
            format!("没有找到{}「{text}」", kind.zh()),
            format!("no {} \"{text}\"", kind.en()),
        )),
        _ => Err(said(
            format!("有多个{}叫「{text}」，请用 id", kind.zh()),
            format!(
                "several records ({}) are called \"{text}\": use the id",
                kind.en()
            ),
        )),
    }
}

fn find_by_id(store: &Store, id: &str) -> anyhow::Result<Record> {
    store.find_record(id)?.ok_or_else(|| {
        said(
            format!("没有找到记录 {id}（用 `louzu find` 查 id）"),
            format!("no record {id} (find ids with `louzu find`)"),
        )
    })
}

/// `louzu add`: creates a record, prints its id. A tagged household gets its first visit
/// planned by the cadence rule, as in the interface.
pub fn add(
    store: &mut Store,
    kind: &str,
    args: &[String],
    rules: &Rules,
) -> anyhow::Result<String> {
    let kind = parse_kind(kind)?;
    let mut fields = parse_fields(store, kind, args, None)?;
    // A record of a building goes to the current one unless `building_id=` names another.
    if kind.is_scoped()
        && kind != EntityKind::Building
        && !fields.iter().any(|(f, _)| *f == "building_id")
    {
        let b = super::building(store, None)?;
        fields.push(("building_id", Value::String(b)));
    }
    let fields = fields
        .into_iter()
        .map(|(f, v)| (f.to_string(), v))
        .collect();
    let done = usecase::record::create(store, rules, today(), kind, fields)?;
    let id = done.record.unwrap_or_default();
    crate::out!("{id}");
    Ok(id)
}

/// `louzu edit`: sets fields of a record, under the same rules as the interface: a need's
/// status changes are checked, a household's new tags plan its next visit.
pub fn edit(
    store: &mut Store,
    id: &str,
    args: &[String],
    rules: &Rules,
    lang: Lang,
) -> anyhow::Result<()> {
    let rec = find_by_id(store, id)?;
    let building = rec.get("building_id").as_str().map(str::to_string);
    let fields = parse_fields(store, rec.kind, args, building.as_deref())?;
    let fields = fields
        .into_iter()
        .map(|(f, v)| (f.to_string(), v))
        .collect();
    let done = usecase::record::edit(store, rules, today(), rec.kind, &rec.id, fields)?;
    match (done.change, lang) {
        (Some(_), Lang::Zh) => crate::out!("已修改 {}", rec.id),
        (Some(_), Lang::En) => crate::out!("updated {}", rec.id),
        (None, _) => crate::out!("{}", lang.pick("没有变化", "nothing changed")),
    }
    Ok(())
}

/// `louzu delete` / `louzu restore`.
pub fn set_deleted(store: &mut Store, id: &str, deleted: bool, lang: Lang) -> anyhow::Result<()> {
    let rec = find_by_id(store, id)?;
    let id = &rec.id;
    if deleted {
        usecase::record::delete(store, rec.kind, id)?;
        match lang {
            Lang::Zh => crate::out!("已删除（可用 louzu restore {id} 恢复）"),
            Lang::En => crate::out!("deleted (louzu restore {id} brings it back)"),
        }
    } else {
        usecase::record::restore(store, rec.kind, id)?;
        match lang {
            Lang::Zh => crate::out!("已恢复 {id}"),
            Lang::En => crate::out!("restored {id}"),
        }
    }
    Ok(())
}

/// `louzu find`: records whose id starts with the text, or whose text fields contain it
/// (pinyin and initials work, as in the TUI's search). Phones are never printed.
pub fn find(store: &Store, text: &str, as_json: bool, lang: Lang) -> anyhow::Result<()> {
    let query = Query::new(text);
    let mut hits = Vec::new();
    for &kind in EntityKind::ALL {
        for r in store.records(kind, None, true)? {
            let texts = kind
                .fields()
                .iter()
                .filter(|f| matches!(f.kind, FieldKind::Text | FieldKind::Room | FieldKind::Tags))
                .map(|f| crate::domain::value::edit_text(r.get(f.name), crate::i18n::Lang::Zh))
                .filter(|t| !t.is_empty());
            let hit = r.id.starts_with(text.trim())
                || texts
                    .into_iter()
                    .any(|t| SearchKey::new(&t).matches(&query));
            if hit {
                hits.push(r);
            }
        }
    }
    if as_json {
        let rows: Vec<Value> = hits
            .iter()
            .map(|r| {
                let fields: serde_json::Map<String, Value> = r
                    .fields
                    .iter()
                    .filter(|(k, _)| r.kind.field(k).is_some_and(|s| s.kind != FieldKind::Phone))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                json!({"id": r.id, "kind": r.kind.name(), "label": r.label(),
                       "deleted": r.deleted, "fields": fields})
            })
            .collect();
        crate::out!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for r in &hits {
            let mark = if r.deleted {
                lang.pick(" (已删除)", " (deleted)")
            } else {
                ""
            };
            crate::out!("{}\t{}\t{}{mark}", r.id, r.kind.label(lang), r.label());
        }
        if hits.is_empty() {
            match lang {
                Lang::Zh => crate::out!("没有找到「{text}」"),
                Lang::En => crate::out!("nothing found for \"{text}\""),
            }
        }
    }
    Ok(())
}
