//! The one write path. Every change — from the TUI, the CLI, an import — becomes field-level
//! operations appended to `ops` and applied to the materialised tables in the same
//! transaction. Sync ships these ops; nothing else ever writes a user table.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::Value;

use super::causal;
use super::hlc::Hlc;
use super::oplog::{Held, Link, OpLog, Row};
use super::{Store, StoreError, meta_get, meta_set};
pub use crate::domain::edit::Edit;
use crate::domain::value::check_value;
use crate::domain::{EntityKind, FieldKind, FieldSpec};

/// What kind of user action a change was, for the journal and for undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Edit,
    Delete,
    Restore,
    Undo,
    Import,
    Resolve,
}

impl Action {
    /// Name stored in the journal.
    pub fn name(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Undo => "undo",
            Action::Import => "import",
            Action::Resolve => "resolve",
        }
    }

    /// Parses a journal name.
    pub fn parse(s: &str) -> Option<Action> {
        [
            Action::Create,
            Action::Edit,
            Action::Delete,
            Action::Restore,
            Action::Undo,
            Action::Import,
            Action::Resolve,
        ]
        .into_iter()
        .find(|a| a.name() == s)
    }
}

/// One user action: the edits it makes, applied together or not at all.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: Action,
    pub edits: Vec<Edit>,
    /// Short label of the record acted on (a room, a name) for the journal.
    pub label: String,
    /// For an undo, the change it reverts.
    pub undoes: Option<String>,
}

/// One field-level operation, as stored in `ops` and carried in sync bundles.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub origin: String,
    pub scope: String,
    pub seq: i64,
    pub hlc: i64,
    pub change_id: String,
    pub entity: EntityKind,
    pub entity_id: String,
    pub field: String,
    pub value: Value,
    /// The op (origin, seq, same scope) this one overwrote for the field, if any.
    pub prev: Option<(String, i64)>,
    /// What its author had seen of the record, per origin (same scope): the highest seq
    /// of that origin's ops on it held. Only deletes, restores and an edit whose author
    /// held a delete of the record carry one (`store/causal.rs`); empty otherwise.
    pub seen: Vec<(String, i64)>,
}

/// The scope of shared settings, which travel to every device.
pub const SHARED_SCOPE: &str = "shared";

/// What applying one op did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Already held: nothing changed.
    Duplicate,
    /// Became the field's value.
    Won,
    /// Recorded, but a later write keeps the field.
    Lost,
}

impl Store {
    /// Applies a change through the one write path: validates every edit, records each as
    /// an op, updates the tables and the journal, all in one transaction. Returns the
    /// change id. On any error nothing is written.
    pub fn commit(&mut self, change: Change) -> Result<String, StoreError> {
        let device = self.device.clone();
        let author = self.author.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let change_id = commit_in(&tx, &device, &author, &change)?;
        tx.commit()?;
        Ok(change_id)
    }

    /// Creates a record from `(field, value)` pairs; returns its new UUIDv7 id.
    pub fn create(
        &mut self,
        kind: EntityKind,
        fields: Vec<(&str, Value)>,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        let label = label_from(kind, fields.iter().map(|(f, v)| (*f, v)));
        let mut edits = vec![Edit::new(kind, &id, "deleted", false)];
        edits.extend(
            fields
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(f, v)| Edit::new(kind, &id, f, v)),
        );
        self.commit(Change {
            action: Action::Create,
            edits,
            label,
            undoes: None,
        })?;
        Ok(id)
    }

    /// Sets fields of an existing record; fields whose value is unchanged are skipped.
    pub fn update(
        &mut self,
        kind: EntityKind,
        id: &str,
        fields: Vec<(&str, Value)>,
    ) -> Result<Option<String>, StoreError> {
        let current = self
            .record(kind, id)?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let edits: Vec<Edit> = fields
            .into_iter()
            .filter(|(f, v)| current.get(f) != v)
            .map(|(f, v)| Edit::new(kind, id, f, v))
            .collect();
        if edits.is_empty() {
            return Ok(None);
        }
        let label = current.label();
        self.commit(Change {
            action: Action::Edit,
            edits,
            label,
            undoes: None,
        })
        .map(Some)
    }

    /// Deletes a record as a tombstone: hidden everywhere, restorable.
    pub fn delete(&mut self, kind: EntityKind, id: &str) -> Result<String, StoreError> {
        self.set_deleted(kind, id, true, Action::Delete)
    }

    /// Brings a deleted record back.
    pub fn restore(&mut self, kind: EntityKind, id: &str) -> Result<String, StoreError> {
        self.set_deleted(kind, id, false, Action::Restore)
    }

    fn set_deleted(
        &mut self,
        kind: EntityKind,
        id: &str,
        deleted: bool,
        action: Action,
    ) -> Result<String, StoreError> {
        let current = self
            .record(kind, id)?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        self.commit(Change {
            action,
            edits: vec![Edit::new(kind, id, "deleted", deleted)],
            label: current.label(),
            undoes: None,
        })
    }
}

/// The body of [`Store::commit`], on an open transaction (import and undo reuse it).
pub(crate) fn commit_in(
    tx: &Transaction,
    device: &str,
    author: &str,
    change: &Change,
) -> Result<String, StoreError> {
    let log = OpLog::new(tx);
    commit_logged(&log, device, author, change)
}

/// [`commit_in`] with the caller's op-log caches.
pub(crate) fn commit_logged(
    log: &OpLog,
    device: &str,
    author: &str,
    change: &Change,
) -> Result<String, StoreError> {
    let tx = log.conn;
    let mut scopes: HashMap<String, String> = HashMap::new();
    // Records this change creates may be referred to by its other edits (a household and
    // its first resident saved together).
    let mut created: HashSet<&str> = HashSet::new();
    for e in change.edits.iter().filter(|e| e.field == "deleted") {
        if !exists(tx, e.entity, &e.id)? {
            created.insert(e.id.as_str());
        }
    }
    let building_of: HashMap<&str, &str> = change
        .edits
        .iter()
        .filter(|x| x.field == "building_id")
        .filter_map(|x| Some((x.id.as_str(), x.value.as_str()?)))
        .collect();
    for e in &change.edits {
        let spec = field_spec(e.entity, &e.field)?;
        check_value(spec, &e.value).map_err(|error| StoreError::Invalid {
            field: spec.zh.to_string(),
            error,
        })?;
        check_refs(tx, spec, &e.value, &created)?;
        if !scopes.contains_key(&e.id) {
            let scope = scope_of(tx, &building_of, e)?;
            scopes.insert(e.id.clone(), scope);
        }
    }
    // A change may create records (those it gives a tombstone flag that do not exist yet)
    // and edit others in one go, as completing a visit does.
    check_required(change, &created)?;
    for e in &change.edits {
        if !created.contains(e.id.as_str()) && !exists(tx, e.entity, &e.id)? {
            return Err(StoreError::NotFound(e.id.clone()));
        }
    }
    let change_id = uuid::Uuid::now_v7().to_string();
    let change_uid = log.intern(&change_id)?;
    let mut last = Hlc(meta_get(tx, "hlc")?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0));
    let first_hlc = Hlc::tick(last);
    // Sequence numbers and the ops this change wrote are kept in memory for the change:
    // a record it creates has no earlier op, so only its own earlier edits can be `prev`.
    let mut seqs: HashMap<String, i64> = HashMap::new();
    let mut written: HashMap<(i64, i64), Held> = HashMap::new();
    // What this device had seen of each record before the change, for the ops that
    // carry it (see `store/causal.rs`); `None` once a record's first op is written.
    let mut contexts: HashMap<i64, Option<Vec<Link>>> = HashMap::new();
    for e in &change.edits {
        let spec = field_spec(e.entity, &e.field)?;
        let scope = scopes.get(&e.id).cloned().unwrap_or_default();
        last = Hlc::tick(last);
        let seq = match seqs.get(&scope) {
            Some(s) => s + 1,
            None => next_seq(tx, device, &scope)?,
        };
        seqs.insert(scope.clone(), seq);
        let stream = log.intern_stream(device, &scope)?;
        let rec = log.intern(&e.id)?;
        let field = log.field(e.entity, spec)?;
        let current = match written.get(&(rec, field)) {
            Some(h) => Some(*h),
            None if created.contains(e.id.as_str()) => None,
            None => log.winner(rec, field)?,
        };
        let prev = match &current {
            Some(h) => Some((log.origin_of(h.stream)?, h.seq)),
            None => None,
        };
        let seen = if created.contains(e.id.as_str()) {
            Vec::new()
        } else {
            let first = !contexts.contains_key(&rec);
            let slot = contexts.entry(rec).or_insert(None);
            let needs = e.field == "deleted"
                || (first
                    && match log.field_id(e.entity, "deleted")? {
                        Some(d) => !log.deletes(rec, d)?.is_empty(),
                        None => false,
                    });
            if needs {
                let context = match slot {
                    Some(c) => c.clone(),
                    None => slot.insert(causal::context_of(log, rec)?).clone(),
                };
                if context.is_empty() {
                    // Never empty, so an op written now is told from one from before v7.
                    vec![(stream, seq - 1)]
                } else {
                    context
                }
            } else {
                Vec::new()
            }
        };
        let op = Op {
            origin: device.to_string(),
            scope,
            seq,
            hlc: last.0,
            change_id: change_id.clone(),
            entity: e.entity,
            entity_id: e.id.clone(),
            field: e.field.clone(),
            value: e.value.clone(),
            prev,
            seen: seen
                .iter()
                .map(|(st, upto)| Ok((log.origin_of(*st)?, *upto)))
                .collect::<Result<_, StoreError>>()?,
        };
        let row = Row {
            stream,
            seq,
            hlc: last.0,
            change: change_uid,
            rec,
            field,
            value: log.encode(spec, &e.value)?,
            prev: current.map(|h| (h.stream, h.seq)),
            merged: None,
            seen,
        };
        apply_row(log, &op, &row, None, false, Some(current))?;
        written.insert((rec, field), Held::of(&row));
    }
    log.finish()?;
    for (scope, seq) in &seqs {
        tx.prepare_cached(
            "INSERT INTO clock (origin, scope, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT(origin, scope) DO UPDATE SET seq = excluded.seq",
        )?
        .execute(params![device, scope, seq])?;
    }
    meta_set(tx, "hlc", &last.0.to_string())?;
    let (entity, entity_id, building) = match change.edits.first() {
        Some(e) => {
            let scope = scopes.get(&e.id).cloned();
            (
                Some(e.entity.name()),
                Some(e.id.clone()),
                scope.filter(|s| s != SHARED_SCOPE),
            )
        }
        None => (None, None, None),
    };
    tx.execute(
        "INSERT INTO changes (id, origin, hlc, at, author, action, entity, entity_id,
                              building_id, summary, undoes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            change_id,
            device,
            first_hlc.0,
            now_local(),
            author,
            change.action.name(),
            entity,
            entity_id,
            building,
            change.label,
            change.undoes,
        ],
    )?;
    Ok(change_id)
}

/// What applying one op found, for an import's preview and summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyOutcome {
    pub applied: Applied,
    /// Conflict rows this op added (a concurrent write to the same field, or an edit of a
    /// record another device deleted).
    pub conflicts: usize,
}

/// The stored form of an op from elsewhere (an import), its ids interned.
pub(crate) fn row_of(
    log: &OpLog,
    op: &Op,
    merged: Option<&(String, i64)>,
) -> Result<Row, StoreError> {
    let spec = field_spec(op.entity, &op.field)?;
    let link = |l: Option<&(String, i64)>| -> Result<Option<(i64, i64)>, StoreError> {
        match l {
            Some((o, s)) => Ok(Some((log.intern_stream(o, &op.scope)?, *s))),
            None => Ok(None),
        }
    };
    Ok(Row {
        stream: log.intern_stream(&op.origin, &op.scope)?,
        seq: op.seq,
        hlc: op.hlc,
        change: log.intern(&op.change_id)?,
        rec: log.intern(&op.entity_id)?,
        field: log.field(op.entity, spec)?,
        value: log.encode(spec, &op.value)?,
        prev: link(op.prev.as_ref())?,
        merged: link(merged)?,
        seen: op
            .seen
            .iter()
            .map(|(o, upto)| Ok((log.intern_stream(o, &op.scope)?, *upto)))
            .collect::<Result<_, StoreError>>()?,
    })
}

/// The one apply step, for local ops and imported ones alike. Records the op (with the
/// second op a conflict resolution overwrote, `merged`, and what its author had seen) and,
/// when it wins by (hlc, change id), writes its value. For imported ops (`detect`) it also
/// records conflicts (`store/causal.rs`): concurrent writes of one field, and edits
/// concurrent with a delete; LWW still picks the visible value, and the conflict row keeps
/// the other one for review. Importing an op already held does nothing.
pub(crate) fn apply_linked(
    log: &OpLog,
    op: &Op,
    merged: Option<&(String, i64)>,
    detect: bool,
) -> Result<ApplyOutcome, StoreError> {
    let row = row_of(log, op, merged)?;
    apply_row(log, op, &row, merged, detect, None)
}

/// The body of [`apply_linked`] on the op's stored form; `known` is the field's current
/// winner when the caller has just read it (`Some(None)`: the field has none yet).
pub(crate) fn apply_row(
    log: &OpLog,
    op: &Op,
    row: &Row,
    merged: Option<&(String, i64)>,
    detect: bool,
    known: Option<Option<Held>>,
) -> Result<ApplyOutcome, StoreError> {
    let spec = field_spec(op.entity, &op.field)?;
    // The holder before this op: read first, since once inserted the op is among the
    // field's ops itself.
    let current = match known {
        Some(w) => w,
        None => log.winner(row.rec, row.field)?,
    };
    if !log.insert(row)? {
        return Ok(ApplyOutcome {
            applied: Applied::Duplicate,
            conflicts: 0,
        });
    }
    log.track_span(row);
    let wins = match &current {
        None => true,
        Some(w) => log.later(&Held::of(row), w)?,
    };
    let conflicts = if detect {
        causal::detect(log, op, row, merged, current, wins)?
    } else {
        0
    };
    if !wins {
        return Ok(ApplyOutcome {
            applied: Applied::Lost,
            conflicts,
        });
    }
    log.set_column(
        op.entity,
        &op.entity_id,
        spec.name,
        to_sql(spec, &op.value)?,
    )?;
    Ok(ApplyOutcome {
        applied: Applied::Won,
        conflicts,
    })
}

/// The op currently holding a field.
pub(crate) struct Winner {
    pub origin: String,
    pub seq: i64,
}

/// The op currently holding a record's field: the greatest (hlc, origin) of its ops.
pub(crate) fn winner(
    log: &OpLog,
    kind: EntityKind,
    entity_id: &str,
    field: &str,
) -> Result<Option<Winner>, StoreError> {
    let (Some(rec), Some(f)) = (log.uid(entity_id)?, log.field_id(kind, field)?) else {
        return Ok(None);
    };
    match log.winner(rec, f)? {
        Some(h) => Ok(Some(Winner {
            origin: log.origin_of(h.stream)?,
            seq: h.seq,
        })),
        None => Ok(None),
    }
}

pub(crate) fn field_spec(kind: EntityKind, field: &str) -> Result<&'static FieldSpec, StoreError> {
    kind.field(field).ok_or_else(|| StoreError::UnknownField {
        kind: kind.zh().to_string(),
        field: field.to_string(),
    })
}

/// Converts a field's JSON value to what its column stores.
pub(crate) fn to_sql(spec: &FieldSpec, v: &Value) -> Result<rusqlite::types::Value, StoreError> {
    use rusqlite::types::Value as Sql;
    Ok(match (spec.kind, v) {
        (_, Value::Null) => Sql::Null,
        (FieldKind::Tags | FieldKind::RefList(_) | FieldKind::Json, v) => {
            Sql::Text(serde_json::to_string(v)?)
        }
        (_, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or(0.0)),
        },
        (_, Value::String(s)) => Sql::Text(s.clone()),
        (_, other) => Sql::Text(other.to_string()),
    })
}

/// This device's next sequence number in a scope. Its own ops are always contiguous, so
/// the version vector's entry for itself is the last one it made.
fn next_seq(tx: &rusqlite::Connection, origin: &str, scope: &str) -> Result<i64, StoreError> {
    let held: Option<i64> = tx
        .prepare_cached("SELECT seq FROM clock WHERE origin = ?1 AND scope = ?2")?
        .query_row([origin, scope], |r| r.get(0))
        .optional()?;
    Ok(held.unwrap_or(0) + 1)
}

/// The sync scope a record belongs to: its building (a building is its own scope), or
/// "shared" for settings.
fn scope_of(
    tx: &rusqlite::Connection,
    building_of: &HashMap<&str, &str>,
    e: &Edit,
) -> Result<String, StoreError> {
    match e.entity {
        EntityKind::Building => Ok(e.id.clone()),
        EntityKind::Setting => Ok(SHARED_SCOPE.to_string()),
        kind => {
            let in_change = building_of.get(e.id.as_str()).map(|b| b.to_string());
            let stored: Option<String> = tx
                .prepare_cached(&format!(
                    "SELECT building_id FROM {} WHERE id = ?1",
                    kind.name()
                ))?
                .query_row([&e.id], |r| r.get(0))
                .optional()?
                .flatten();
            match (stored, in_change) {
                (Some(s), Some(new)) if s != new => Err(StoreError::Invalid {
                    field: "楼组".into(),
                    error: crate::domain::DomainError::BadRef(new),
                }),
                (Some(s), _) | (None, Some(s)) => Ok(s),
                (None, None) => Err(StoreError::Invalid {
                    field: "楼组".into(),
                    error: crate::domain::DomainError::Required("楼组".into()),
                }),
            }
        }
    }
}

/// Every record the change creates gets its required fields. (The fields given are
/// collected once: a re-plan after a big import creates thousands of visits in one change.)
fn check_required(change: &Change, created: &HashSet<&str>) -> Result<(), StoreError> {
    let given: HashSet<(&str, &str)> = change
        .edits
        .iter()
        .filter(|x| !x.value.is_null())
        .map(|x| (x.id.as_str(), x.field.as_str()))
        .collect();
    for e in change
        .edits
        .iter()
        .filter(|e| e.field == "deleted" && created.contains(e.id.as_str()))
    {
        for spec in e.entity.fields().iter().filter(|s| s.required) {
            if !given.contains(&(e.id.as_str(), spec.name)) {
                return Err(StoreError::Invalid {
                    field: spec.zh.to_string(),
                    error: crate::domain::DomainError::Required(spec.zh.to_string()),
                });
            }
        }
    }
    Ok(())
}

/// A reference made from this device must point at a record that exists.
fn check_refs(
    tx: &rusqlite::Connection,
    spec: &FieldSpec,
    v: &Value,
    created: &HashSet<&str>,
) -> Result<(), StoreError> {
    let (kind, ids): (EntityKind, Vec<&str>) = match (spec.kind, v) {
        (FieldKind::Ref(k), Value::String(s)) => (k, vec![s.as_str()]),
        (FieldKind::RefList(k), Value::Array(items)) => {
            (k, items.iter().filter_map(Value::as_str).collect())
        }
        _ => return Ok(()),
    };
    for id in ids {
        if !created.contains(id) && !exists(tx, kind, id)? {
            return Err(StoreError::Invalid {
                field: spec.zh.to_string(),
                error: crate::domain::DomainError::BadRef(id.to_string()),
            });
        }
    }
    Ok(())
}

fn exists(tx: &rusqlite::Connection, kind: EntityKind, id: &str) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", kind.name()))?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A short label for a record being created, from its own fields.
fn label_from<'a>(kind: EntityKind, fields: impl Iterator<Item = (&'a str, &'a Value)>) -> String {
    let key = super::record::label_field(kind);
    fields
        .filter(|(f, _)| *f == key)
        .find_map(|(_, v)| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Now, as local Shanghai time for the journal.
pub(crate) fn now_local() -> String {
    jiff::Timestamp::now()
        .to_zoned(crate::domain::date::shanghai())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
