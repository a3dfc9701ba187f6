//! 冲突 — concurrent edits found on import, kept for review, and their resolution (itself an
//! op that overwrites both sides, so it syncs and settles the conflict everywhere).

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::Value;

use super::SyncError;
use super::import::date_of;
use super::trust::origin_name;
use crate::domain::EntityKind;
use crate::store::{Action, Change, Edit, OpLog, Store, commit_in, settle, winner};
use crate::usecase::{Rules, cadence};

/// One side of a conflict: the op's value and who made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The field this side wrote (for an edit-vs-delete conflict, B's field differs).
    pub field: String,
    pub value: Value,
    pub device: String,
    pub author: String,
    /// When (Shanghai date and time from its clock).
    pub at: String,
}

/// A conflict: A is the value every device shows, B the concurrent one kept here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub id: String,
    pub kind: String,
    pub entity_id: String,
    /// The record's label (room, name…).
    pub record: String,
    pub field: String,
    /// True when A deleted the record and B edited it.
    pub edit_vs_delete: bool,
    pub a: Side,
    pub b: Side,
    pub resolved: bool,
}

struct OpRow {
    field: String,
    value: Value,
    hlc: i64,
    change_id: String,
}

fn op_row(store: &Store, origin: &str, scope: &str, seq: i64) -> Result<Option<OpRow>, SyncError> {
    let log = OpLog::new(store.conn());
    let Some(stream) = log.stream(origin, scope)? else {
        return Ok(None);
    };
    let row: Option<(i64, rusqlite::types::Value, i64, i64)> = store
        .conn()
        .query_row(
            "SELECT field, value, hlc, change FROM op WHERE stream = ?1 AND seq = ?2",
            params![stream, seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((field, value, hlc, change)) = row else {
        return Ok(None);
    };
    let Some((_, spec)) = log.spec(field)? else {
        return Ok(None);
    };
    Ok(Some(OpRow {
        field: spec.name.to_string(),
        value: log.decode(spec, (&value).into())?,
        hlc,
        change_id: log.name(change)?,
    }))
}

fn side(store: &Store, origin: &str, scope: &str, seq: i64) -> Result<Side, SyncError> {
    let row = op_row(store, origin, scope, seq)?;
    let author: Option<String> = match &row {
        Some(r) => store
            .conn()
            .query_row(
                "SELECT author FROM changes WHERE id = ?1",
                [&r.change_id],
                |x| x.get(0),
            )
            .optional()?,
        None => None,
    };
    let at = row
        .as_ref()
        .and_then(|r| jiff::Timestamp::from_millisecond(r.hlc >> 16).ok())
        .map(|t| {
            t.to_zoned(crate::domain::date::shanghai())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    Ok(Side {
        field: row.as_ref().map(|r| r.field.clone()).unwrap_or_default(),
        value: row.as_ref().map(|r| r.value.clone()).unwrap_or(Value::Null),
        device: origin_name(store, origin)?.unwrap_or_else(|| short(origin)),
        author: author.unwrap_or_default(),
        at,
    })
}

fn short(id: &str) -> String {
    id.chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// Conflicts, open ones first; `all` includes resolved ones.
pub fn list(store: &Store, all: bool) -> Result<Vec<Conflict>, SyncError> {
    struct Row {
        id: String,
        kind: String,
        entity_id: String,
        field: String,
        win: (String, i64),
        scope: String,
        lose: (String, i64),
        resolved: bool,
    }
    let rows: Vec<Row> = store
        .conn()
        .prepare(
            "SELECT id, entity, entity_id, field, win_origin, win_scope, win_seq, lose_origin,
                    lose_seq, resolved_by IS NOT NULL
             FROM conflicts ORDER BY resolved_by IS NOT NULL, found, id",
        )?
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                kind: r.get(1)?,
                entity_id: r.get(2)?,
                field: r.get(3)?,
                win: (r.get(4)?, r.get(6)?),
                scope: r.get(5)?,
                lose: (r.get(7)?, r.get(8)?),
                resolved: r.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for Row {
        id,
        kind,
        entity_id,
        field,
        win,
        scope,
        lose,
        resolved,
    } in rows
    {
        if resolved && !all {
            continue;
        }
        let record = EntityKind::parse(&kind)
            .and_then(|k| store.record(k, &entity_id).ok().flatten())
            .map(|r| r.label())
            .unwrap_or_default();
        let a = side(store, &win.0, &scope, win.1)?;
        let b = side(store, &lose.0, &scope, lose.1)?;
        out.push(Conflict {
            edit_vs_delete: field == "deleted" && b.field != "deleted",
            id,
            kind,
            entity_id,
            record,
            field,
            a,
            b,
            resolved,
        });
    }
    Ok(out)
}

/// How to settle a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep A, the value shown now (for edit-vs-delete: keep it deleted).
    KeepA,
    /// Take B, the other value (for edit-vs-delete: restore the record).
    KeepB,
    /// Write a new value (typed as in a form).
    Value(String),
}

/// Finds a conflict by id or unique id prefix.
fn find(store: &Store, id: &str) -> Result<String, SyncError> {
    let ids: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM conflicts WHERE id LIKE ?1 || '%'")?
        .query_map([id.trim()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    match ids.len() {
        0 => Err(SyncError::NoConflict(id.to_string())),
        1 => Ok(ids.into_iter().next().unwrap_or_default()),
        _ => Err(SyncError::AmbiguousConflict(id.to_string())),
    }
}

/// Resolves a conflict by writing the chosen value as a new op that names both sides as
/// overwritten; returns the change id. Settling a household's tags (or bringing it back)
/// re-plans its routine visits in the same change, by the leader's config as of today.
pub fn resolve(store: &mut Store, id: &str, how: Resolution) -> Result<String, SyncError> {
    let today = crate::domain::date::today();
    resolve_with(store, id, how, &Rules::configured(), today)
}

/// [`resolve`] with the rules and the day its re-plan uses.
pub fn resolve_with(
    store: &mut Store,
    id: &str,
    how: Resolution,
    rules: &Rules,
    today: jiff::civil::Date,
) -> Result<String, SyncError> {
    let id = find(store, id)?;
    let c = list(store, true)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| SyncError::NoConflict(id.clone()))?;
    let kind = EntityKind::parse(&c.kind).ok_or_else(|| SyncError::NoConflict(id.clone()))?;
    let spec = kind
        .field(&c.field)
        .ok_or_else(|| SyncError::NoConflict(id.clone()))?;
    let value = match (&how, c.edit_vs_delete) {
        (Resolution::KeepA, true) => Value::Bool(true),
        (Resolution::KeepB, true) => Value::Bool(false),
        (Resolution::KeepA, false) => c.a.value.clone(),
        (Resolution::KeepB, false) => c.b.value.clone(),
        (Resolution::Value(text), _) => {
            crate::domain::value::parse_field(spec, text).map_err(|error| {
                crate::store::StoreError::Invalid {
                    field: spec.zh.to_string(),
                    error,
                }
            })?
        }
    };
    let (wo, scope, ws, lo, ls): (String, String, i64, String, i64) = store.conn().query_row(
        "SELECT win_origin, win_scope, win_seq, lose_origin, lose_seq FROM conflicts
         WHERE id = ?1",
        [&id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    // What the cadence rule derives from the household's settled tags (or its return).
    let mut derived = Vec::new();
    let shows = |v: &Value| -> bool { v == &Value::Bool(false) };
    if kind == EntityKind::Household
        && (c.field == "tags" || (c.field == "deleted" && shows(&value)))
        && let Some(h) = store.record(kind, &c.entity_id)?
    {
        let tags = if c.field == "tags" {
            cadence::tags_of(&value)
        } else {
            cadence::tags_of(h.get("tags"))
        };
        let building = h.text("building_id").to_string();
        derived = cadence::replan(store, rules, today, &building, &c.entity_id, &tags)?.0;
    }
    let device = store.device_id().to_string();
    let author = store.owner_name().to_string();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current =
        winner(&OpLog::new(&tx), kind, &c.entity_id, &c.field)?.map(|w| (w.origin, w.seq));
    let change_id = commit_in(
        &tx,
        &device,
        &author,
        &Change {
            action: Action::Resolve,
            edits: std::iter::once(Edit {
                entity: kind,
                id: c.entity_id.clone(),
                field: c.field.clone(),
                value,
            })
            .chain(derived)
            .collect(),
            label: c.record.clone(),
            undoes: None,
        },
    )?;
    // The new op's prev is the field's current holder; `merged` names the other side.
    let win = (wo, ws);
    let lose = (lo, ls);
    let merged = if current.as_ref() == Some(&lose) {
        &win
    } else {
        &lose
    };
    {
        let log = OpLog::new(&tx);
        let merged_stream = log.intern_stream(&merged.0, &scope)?;
        let (rec, field) = (log.uid(&c.entity_id)?, log.field_id(kind, &c.field)?);
        let settled = |r: &crate::store::OpRow| Some(r.rec) == rec && Some(r.field) == field;
        for row in log.ops_of_change(&change_id)?.iter().filter(|r| settled(r)) {
            tx.execute(
                "UPDATE op SET merged_stream = ?1, merged_seq = ?2 WHERE stream = ?3 AND seq = ?4",
                params![merged_stream, merged.1, row.stream, row.seq],
            )?;
        }
    }
    tx.execute(
        "UPDATE conflicts SET resolved_by = ?1 WHERE id = ?2",
        params![change_id, id],
    )?;
    if let Some(prev) = &current {
        let probe = crate::store::Op {
            origin: device.clone(),
            scope,
            seq: 0,
            hlc: 0,
            change_id: change_id.clone(),
            entity: kind,
            entity_id: c.entity_id.clone(),
            field: c.field.clone(),
            value: Value::Null,
            prev: None,
            seen: Vec::new(),
        };
        settle(&tx, &probe, prev, merged)?;
    }
    tx.commit()?;
    Ok(change_id)
}

/// A conflict's values as text for the terminal.
pub fn show_value(v: &Value) -> String {
    crate::domain::value::edit_text(v, crate::i18n::Lang::Zh)
}

/// Shanghai date of an op's clock (re-exported for the conflicts view).
pub fn date(hlc: i64) -> String {
    date_of(hlc)
}
