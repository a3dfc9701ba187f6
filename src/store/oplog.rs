//! The compact op log (schema v5): every id an op names is interned once — record, change
//! and device UUIDs as 16-byte blobs in `uid`, each (origin, scope) pair as a `stream`,
//! each (entity kind, field) as a `field_name` — so an op row is a handful of small
//! integers, its clock and its value. Values are stored natively (see [`encode`]): a
//! reference is the referenced record's `uid`, a yes/no is 0 or 1, text is text.
//!
//! [`OpLog`] wraps a connection with in-memory caches of those tables; the write path, the
//! import and the readers (undo, journal, conflicts, export) all go through it.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::StoreError;
pub(crate) use super::held::Held;
use super::held::HeldCache;
use crate::domain::{EntityKind, FieldKind, FieldSpec};

/// How an id is stored in `uid.key`: a canonical (lowercase, hyphenated) UUID as its 16
/// bytes, anything else as its text. The two never compare equal in SQLite.
pub(crate) fn uid_key(s: &str) -> Sql {
    match uuid::Uuid::try_parse(s) {
        Ok(u) if is_canonical(&u, s) => Sql::Blob(u.as_bytes().to_vec()),
        _ => Sql::Text(s.to_string()),
    }
}

fn is_canonical(u: &uuid::Uuid, s: &str) -> bool {
    let mut buf = uuid::Uuid::encode_buffer();
    u.hyphenated().encode_lower(&mut buf) == s
}

/// The text of a stored `uid.key`.
pub(crate) fn uid_text(v: ValueRef) -> String {
    match v {
        ValueRef::Blob(b) if b.len() == 16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            uuid::Uuid::from_bytes(a).hyphenated().to_string()
        }
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Null => String::new(),
    }
}

/// A link from an op to one it overwrote, as stored: (stream, seq).
pub(crate) type Link = (i64, i64);

/// What an op overwrote: its `prev` and, for a conflict resolution, `merged`.
pub(crate) type Parents = (Option<Link>, Option<Link>);

/// An op as stored in `op`, ids resolved to their interned numbers.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub stream: i64,
    pub seq: i64,
    pub hlc: i64,
    pub change: i64,
    pub rec: i64,
    pub field: i64,
    pub value: Sql,
    pub prev: Option<Link>,
    pub merged: Option<Link>,
    /// What the author had seen of the record (schema v7, `op_seen`): for each stream with
    /// ops on it, the highest seq held. Only deletes, restores and edits whose author held
    /// a delete of the record carry one (see `store/causal.rs`); empty for the rest, and
    /// not read back by [`OpLog::ops_of_change`].
    pub seen: Vec<Link>,
}

/// A connection with caches of the interning tables. Cheap to make; an import keeps one
/// for its whole run.
pub(crate) struct OpLog<'c> {
    pub conn: &'c Connection,
    uids: RefCell<HashMap<String, i64>>,
    streams: RefCell<HashMap<(i64, i64), i64>>,
    stream_names: RefCell<HashMap<i64, (i64, i64)>>,
    names: RefCell<HashMap<i64, String>>,
    fields: RefCell<HashMap<(EntityKind, &'static str), i64>>,
    field_specs: RefCell<HashMap<i64, (EntityKind, &'static FieldSpec)>>,
    spans: RefCell<HashMap<(i64, i64), (i64, i64)>>,
    /// Fields' holders as this log last knew them; every op it adds keeps them current.
    held: RefCell<HeldCache>,
    /// Column values of the record being written, flushed as one upsert.
    pending: RefCell<Option<Pending>>,
    /// The deletes (`deleted` = yes ops) of records looked at lately, by record: an edit
    /// arriving is checked against each (most records have none).
    deletes: RefCell<HashMap<i64, Vec<Held>>>,
}

/// How many records' deletes [`OpLog`] keeps in memory before forgetting those with none.
const DELETES_CAP: usize = 100_000;

/// Values won by ops for one record, not yet written to its table.
struct Pending {
    kind: EntityKind,
    id: String,
    columns: Vec<(&'static str, Sql)>,
}

impl<'c> OpLog<'c> {
    pub fn new(conn: &'c Connection) -> OpLog<'c> {
        OpLog {
            conn,
            uids: RefCell::default(),
            streams: RefCell::default(),
            stream_names: RefCell::default(),
            names: RefCell::default(),
            fields: RefCell::default(),
            field_specs: RefCell::default(),
            spans: RefCell::default(),
            held: RefCell::default(),
            pending: RefCell::default(),
            deletes: RefCell::default(),
        }
    }

    /// The interned number of an id, if it has one.
    pub fn uid(&self, s: &str) -> Result<Option<i64>, StoreError> {
        if let Some(&i) = self.uids.borrow().get(s) {
            return Ok(Some(i));
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM uid WHERE key = ?1")?
            .query_row([uid_key(s)], |r| r.get(0))
            .optional()?;
        if let Some(i) = found {
            self.remember(s, i);
        }
        Ok(found)
    }

    fn remember(&self, s: &str, i: i64) {
        self.uids.borrow_mut().insert(s.to_string(), i);
    }

    /// The interned number of an id, made if new.
    pub fn intern(&self, s: &str) -> Result<i64, StoreError> {
        if let Some(i) = self.uid(s)? {
            return Ok(i);
        }
        self.conn
            .prepare_cached("INSERT INTO uid (key) VALUES (?1)")?
            .execute([uid_key(s)])?;
        let i = self.conn.last_insert_rowid();
        self.remember(s, i);
        self.held.borrow_mut().fresh.insert(i);
        Ok(i)
    }

    /// The id a `uid` number stands for.
    pub fn name(&self, i: i64) -> Result<String, StoreError> {
        if let Some(s) = self.names.borrow().get(&i) {
            return Ok(s.clone());
        }
        let s: String = self
            .conn
            .prepare_cached("SELECT key FROM uid WHERE id = ?1")?
            .query_row([i], |r| Ok(uid_text(r.get_ref(0)?)))?;
        self.names.borrow_mut().insert(i, s.clone());
        Ok(s)
    }

    /// The stream of (origin, scope), if it has one.
    pub fn stream(&self, origin: &str, scope: &str) -> Result<Option<i64>, StoreError> {
        let (Some(o), Some(s)) = (self.uid(origin)?, self.uid(scope)?) else {
            return Ok(None);
        };
        self.stream_of(o, s, false)
    }

    /// The stream of (origin, scope), made if new.
    pub fn intern_stream(&self, origin: &str, scope: &str) -> Result<i64, StoreError> {
        let (o, s) = (self.intern(origin)?, self.intern(scope)?);
        Ok(self.stream_of(o, s, true)?.unwrap_or_default())
    }

    fn stream_of(&self, o: i64, s: i64, make: bool) -> Result<Option<i64>, StoreError> {
        if let Some(&i) = self.streams.borrow().get(&(o, s)) {
            return Ok(Some(i));
        }
        let mut found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM stream WHERE origin = ?1 AND scope = ?2")?
            .query_row([o, s], |r| r.get(0))
            .optional()?;
        if found.is_none() && make {
            self.conn
                .prepare_cached("INSERT INTO stream (origin, scope) VALUES (?1, ?2)")?
                .execute([o, s])?;
            found = Some(self.conn.last_insert_rowid());
        }
        if let Some(i) = found {
            self.streams.borrow_mut().insert((o, s), i);
            self.stream_names.borrow_mut().insert(i, (o, s));
        }
        Ok(found)
    }

    /// A stream's (origin, scope) as `uid` numbers.
    pub fn stream_parts(&self, i: i64) -> Result<(i64, i64), StoreError> {
        if let Some(&p) = self.stream_names.borrow().get(&i) {
            return Ok(p);
        }
        let p: (i64, i64) = self
            .conn
            .prepare_cached("SELECT origin, scope FROM stream WHERE id = ?1")?
            .query_row([i], |r| Ok((r.get(0)?, r.get(1)?)))?;
        self.stream_names.borrow_mut().insert(i, p);
        Ok(p)
    }

    /// The device that made a stream's ops.
    pub fn origin_of(&self, stream: i64) -> Result<String, StoreError> {
        let (o, _) = self.stream_parts(stream)?;
        self.name(o)
    }

    /// The number of an (entity kind, field), made if new.
    pub fn field(&self, kind: EntityKind, spec: &'static FieldSpec) -> Result<i64, StoreError> {
        if let Some(&i) = self.fields.borrow().get(&(kind, spec.name)) {
            return Ok(i);
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM field_name WHERE entity = ?1 AND field = ?2")?
            .query_row([kind.name(), spec.name], |r| r.get(0))
            .optional()?;
        let i = match found {
            Some(i) => i,
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO field_name (entity, field, vkind) VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![kind.name(), spec.name, value_kind(spec)])?;
                self.conn.last_insert_rowid()
            }
        };
        self.fields.borrow_mut().insert((kind, spec.name), i);
        self.field_specs.borrow_mut().insert(i, (kind, spec));
        Ok(i)
    }

    /// The number of an existing (entity kind, field), without making one.
    pub fn field_id(&self, kind: EntityKind, field: &str) -> Result<Option<i64>, StoreError> {
        let Some(spec) = kind.field(field) else {
            return Ok(None);
        };
        if let Some(&i) = self.fields.borrow().get(&(kind, spec.name)) {
            return Ok(Some(i));
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM field_name WHERE entity = ?1 AND field = ?2")?
            .query_row([kind.name(), spec.name], |r| r.get(0))
            .optional()?;
        if let Some(i) = found {
            self.fields.borrow_mut().insert((kind, spec.name), i);
            self.field_specs.borrow_mut().insert(i, (kind, spec));
        }
        Ok(found)
    }

    /// The entity kind and field a `field_name` number stands for; `None` for a field this
    /// build does not know.
    pub fn spec(&self, i: i64) -> Result<Option<(EntityKind, &'static FieldSpec)>, StoreError> {
        if let Some(&p) = self.field_specs.borrow().get(&i) {
            return Ok(Some(p));
        }
        let (entity, field): (String, String) = self
            .conn
            .prepare_cached("SELECT entity, field FROM field_name WHERE id = ?1")?
            .query_row([i], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let Some(kind) = EntityKind::parse(&entity) else {
            return Ok(None);
        };
        let Some(spec) = kind.field(&field) else {
            return Ok(None);
        };
        self.field_specs.borrow_mut().insert(i, (kind, spec));
        self.fields.borrow_mut().insert((kind, spec.name), i);
        Ok(Some((kind, spec)))
    }

    /// Stores a field's JSON value compactly (see the module doc).
    pub fn encode(&self, spec: &FieldSpec, v: &Value) -> Result<Sql, StoreError> {
        Ok(match (spec.kind, v) {
            (_, Value::Null) => Sql::Null,
            (FieldKind::Bool, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
            (FieldKind::Ref(_), Value::String(s)) => Sql::Integer(self.intern(s)?),
            (_, Value::String(s)) => Sql::Text(s.clone()),
            (k, Value::Number(n)) if !matches!(k, FieldKind::Bool | FieldKind::Ref(_)) => {
                match n.as_i64() {
                    Some(i) => Sql::Integer(i),
                    None => Sql::Blob(serde_json::to_vec(v)?),
                }
            }
            (_, other) => Sql::Blob(serde_json::to_vec(other)?),
        })
    }

    /// The JSON value [`OpLog::encode`] stored.
    pub fn decode(&self, spec: &FieldSpec, v: ValueRef) -> Result<Value, StoreError> {
        Ok(match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => match spec.kind {
                FieldKind::Bool => Value::Bool(i != 0),
                FieldKind::Ref(_) => Value::String(self.name(i)?),
                _ => Value::from(i),
            },
            ValueRef::Real(r) => Value::from(r),
            ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => serde_json::from_slice(b)?,
        })
    }

    /// Appends an op; `false` if an op with its (stream, seq) is already held.
    pub fn insert(&self, row: &Row) -> Result<bool, StoreError> {
        let n = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO op (stream, seq, hlc, change, rec, field, value,
                                           prev_stream, prev_seq, merged_stream, merged_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                row.stream,
                row.seq,
                row.hlc,
                row.change,
                row.rec,
                row.field,
                row.value,
                row.prev.map(|p| p.0),
                row.prev.map(|p| p.1),
                row.merged.map(|p| p.0),
                row.merged.map(|p| p.1),
            ])?;
        if n > 0 {
            self.added(row)?;
            if !row.seen.is_empty() {
                let mut stmt = self.conn.prepare_cached(
                    "INSERT OR REPLACE INTO op_seen (stream, seq, seen, upto)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (seen, upto) in &row.seen {
                    stmt.execute([row.stream, row.seq, *seen, *upto])?;
                }
            }
        }
        Ok(n > 0)
    }

    /// The deletes of a record: its ops setting `deleted` (field number `deleted`) to yes.
    pub fn deletes(&self, rec: i64, deleted: i64) -> Result<Vec<Held>, StoreError> {
        if let Some(d) = self.deletes.borrow().get(&rec) {
            return Ok(d.clone());
        }
        // A record first named through this log has no op the log did not add (and one
        // the log added a delete to is in the cache): nothing to keep for it.
        if self.held.borrow().fresh.contains(&rec) {
            return Ok(Vec::new());
        }
        let found: Vec<Held> = {
            self.conn
                .prepare_cached(
                    "SELECT hlc, stream, seq, change FROM op
                     WHERE rec = ?1 AND field = ?2 AND value = 1",
                )?
                .query_map([rec, deleted], |r| {
                    Ok(Held {
                        hlc: r.get(0)?,
                        stream: r.get(1)?,
                        seq: r.get(2)?,
                        change: r.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?
        };
        let mut cache = self.deletes.borrow_mut();
        if cache.len() >= DELETES_CAP {
            // Forget the records without deletes (asked again if need be); the few with
            // some stay, as for records this log made they are the only record of them.
            cache.retain(|_, d| !d.is_empty());
        }
        cache.insert(rec, found.clone());
        Ok(found)
    }

    /// Whether op `a` overwrites op `b`: the later clock wins; on the same clock (two
    /// devices in one millisecond, or a copied database) the greater change id. Not the
    /// origin first: a restored or copied database's op is kept under a fork origin on some
    /// devices and under its own on others, so only what the op carries decides the same
    /// way everywhere. One change held under two names is one edit with one value; the
    /// greater origin then picks which name holds the field, as `field_state` does.
    pub fn later(&self, a: &Held, b: &Held) -> Result<bool, StoreError> {
        if a.hlc != b.hlc {
            return Ok(a.hlc > b.hlc);
        }
        if a.change != b.change {
            return Ok(self.name(a.change)? > self.name(b.change)?);
        }
        if a.stream == b.stream {
            return Ok(false);
        }
        Ok(self.origin_of(a.stream)? > self.origin_of(b.stream)?)
    }

    /// The op holding a field: the greatest of its ops by [`OpLog::later`] (last writer wins).
    pub fn winner(&self, rec: i64, field: i64) -> Result<Option<Held>, StoreError> {
        if let Some(h) = self.held.borrow_mut().get(rec, field) {
            return Ok(h);
        }
        let h = self.winner_stored(rec, field)?;
        self.held.borrow_mut().set(rec, field, h);
        Ok(h)
    }

    /// Keeps the holder of a row's field (and the record's deletes) current after the row
    /// was added.
    fn added(&self, row: &Row) -> Result<(), StoreError> {
        if row.value == Sql::Integer(1)
            && self
                .spec(row.field)?
                .is_some_and(|(_, s)| s.name == "deleted")
        {
            let fresh = self.held.borrow().fresh.contains(&row.rec);
            let mut cache = self.deletes.borrow_mut();
            match cache.get_mut(&row.rec) {
                Some(d) => d.push(Held::of(row)),
                None if fresh => {
                    cache.insert(row.rec, vec![Held::of(row)]);
                }
                None => {}
            }
        }
        let known = self.held.borrow_mut().get(row.rec, row.field);
        let now = match known {
            None => return Ok(()),
            Some(None) => Held::of(row),
            Some(Some(h)) => {
                if !self.later(&Held::of(row), &h)? {
                    return Ok(());
                }
                Held::of(row)
            }
        };
        self.held.borrow_mut().set(row.rec, row.field, Some(now));
        Ok(())
    }

    /// Queues a won value for a record's column; written with the record's other new
    /// values in one statement by [`OpLog::finish`] or when another record comes.
    pub fn set_column(
        &self,
        kind: EntityKind,
        id: &str,
        column: &'static str,
        value: Sql,
    ) -> Result<(), StoreError> {
        let same = self
            .pending
            .borrow()
            .as_ref()
            .is_some_and(|p| p.kind == kind && p.id == id);
        if !same {
            self.flush_record()?;
            *self.pending.borrow_mut() = Some(Pending {
                kind,
                id: id.to_string(),
                columns: Vec::new(),
            });
        }
        if let Some(p) = self.pending.borrow_mut().as_mut() {
            match p.columns.iter_mut().find(|(c, _)| *c == column) {
                Some(slot) => slot.1 = value,
                None => p.columns.push((column, value)),
            }
        }
        Ok(())
    }

    /// Writes the queued values of the current record.
    pub fn flush_record(&self) -> Result<(), StoreError> {
        let Some(p) = self.pending.borrow_mut().take() else {
            return Ok(());
        };
        // Table and column names come from the static registry, never from input; the
        // values are parameters.
        let table = p.kind.name();
        let cols: Vec<&str> = p.columns.iter().map(|(c, _)| *c).collect();
        let marks: Vec<String> = (2..cols.len() + 2).map(|i| format!("?{i}")).collect();
        let sets: Vec<String> = cols.iter().map(|c| format!("{c} = excluded.{c}")).collect();
        let sql = if cols.is_empty() {
            format!("INSERT OR IGNORE INTO {table} (id) VALUES (?1)")
        } else {
            format!(
                "INSERT INTO {table} (id, {}) VALUES (?1, {}) ON CONFLICT(id) DO UPDATE SET {}",
                cols.join(", "),
                marks.join(", "),
                sets.join(", ")
            )
        };
        let mut values: Vec<Sql> = Vec::with_capacity(cols.len() + 1);
        values.push(Sql::Text(p.id));
        values.extend(p.columns.into_iter().map(|(_, v)| v));
        self.conn
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }

    /// Writes what is queued: the current record's values and where changes' ops lie.
    /// Call before reading record tables and before the transaction ends.
    pub fn finish(&self) -> Result<(), StoreError> {
        self.flush_record()?;
        self.write_spans()
    }

    /// The holder of a field as stored, without the cache.
    fn winner_stored(&self, rec: i64, field: i64) -> Result<Option<Held>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT hlc, stream, seq, change FROM op WHERE rec = ?1 AND field = ?2",
        )?;
        let mut rows = stmt.query([rec, field])?;
        let mut best: Option<Held> = None;
        while let Some(r) = rows.next()? {
            let h = Held {
                hlc: r.get(0)?,
                stream: r.get(1)?,
                seq: r.get(2)?,
                change: r.get(3)?,
            };
            let better = match &best {
                None => true,
                Some(b) => self.later(&h, b)?,
            };
            if better {
                best = Some(h);
            }
        }
        Ok(best)
    }

    /// An op's clock and the ops it overwrote; `None` if not held.
    pub fn links(&self, l: Link) -> Result<Option<(i64, Parents)>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT hlc, prev_stream, prev_seq, merged_stream, merged_seq FROM op
                 WHERE stream = ?1 AND seq = ?2",
            )?
            .query_row([l.0, l.1], |r| {
                let ps: Option<i64> = r.get(1)?;
                let pq: Option<i64> = r.get(2)?;
                let ms: Option<i64> = r.get(3)?;
                let mq: Option<i64> = r.get(4)?;
                Ok((r.get(0)?, (ps.zip(pq), ms.zip(mq))))
            })
            .optional()?)
    }

    /// The value an op wrote, or `None` if it is not held.
    pub fn value_of(&self, l: Link) -> Result<Option<Value>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT field, value FROM op WHERE stream = ?1 AND seq = ?2")?;
        let mut rows = stmt.query([l.0, l.1])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let field: i64 = r.get(0)?;
        let Some((_, spec)) = self.spec(field)? else {
            return Ok(None);
        };
        Ok(Some(self.decode(spec, r.get_ref(1)?)?))
    }

    /// Notes an op just added, for [`OpLog::write_spans`].
    pub fn track_span(&self, row: &Row) {
        self.spans
            .borrow_mut()
            .entry((row.change, row.stream))
            .and_modify(|(a, b)| {
                *a = (*a).min(row.seq);
                *b = (*b).max(row.seq);
            })
            .or_insert((row.seq, row.seq));
    }

    /// Records where the changes of the ops added lie in each stream, so a change's ops
    /// are found without an index on `change` (they are consecutive in each stream).
    pub fn write_spans(&self) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO change_span (change, stream, first, last) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(change, stream) DO UPDATE SET first = min(first, excluded.first),
                last = max(last, excluded.last)",
        )?;
        for ((change, stream), (first, last)) in self.spans.borrow_mut().drain() {
            stmt.execute([change, stream, first, last])?;
        }
        Ok(())
    }

    /// The number of a (kind, field) pair this build does not know, kept as it came.
    pub fn raw_field(&self, entity: &str, field: &str) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO field_name (entity, field, vkind) VALUES (?1, ?2, 'plain')",
            )?
            .execute([entity, field])?;
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM field_name WHERE entity = ?1 AND field = ?2")?
            .query_row([entity, field], |r| r.get(0))?)
    }

    /// The ops of a change, in clock order.
    pub fn ops_of_change(&self, change_id: &str) -> Result<Vec<Row>, StoreError> {
        let Some(change) = self.uid(change_id)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.stream, o.seq, o.hlc, o.rec, o.field, o.value, o.prev_stream, o.prev_seq,
                    o.merged_stream, o.merged_seq
             FROM change_span s JOIN op o
               ON o.stream = s.stream AND o.seq BETWEEN s.first AND s.last
             WHERE s.change = ?1 AND o.change = ?1",
        )?;
        let mut out: Vec<Row> = stmt
            .query_map([change], |r| {
                let ps: Option<i64> = r.get(6)?;
                let pq: Option<i64> = r.get(7)?;
                let ms: Option<i64> = r.get(8)?;
                let mq: Option<i64> = r.get(9)?;
                Ok(Row {
                    stream: r.get(0)?,
                    seq: r.get(1)?,
                    hlc: r.get(2)?,
                    change,
                    rec: r.get(3)?,
                    field: r.get(4)?,
                    value: r.get(5)?,
                    prev: ps.zip(pq),
                    merged: ms.zip(mq),
                    seen: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        out.sort_by_key(|r| (r.hlc, r.stream, r.seq));
        Ok(out)
    }
}

/// How a field's integers decode, kept in `field_name` for the readable `ops` view.
fn value_kind(spec: &FieldSpec) -> &'static str {
    match spec.kind {
        FieldKind::Bool => "bool",
        FieldKind::Ref(_) => "ref",
        _ => "plain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_round_trip_exactly_whatever_their_shape() {
        let conn = Connection::open_in_memory().unwrap();
        let schema = include_str!("schema_v5.sql");
        conn.execute_batch(schema.split("-- @copy").next().unwrap())
            .unwrap();
        let log = OpLog::new(&conn);
        let kind = EntityKind::Household;
        let id = uuid::Uuid::now_v7().to_string();
        for (field, v) in [
            ("building_id", json!(id)),
            ("building_id", json!("not-a-uuid")),
            ("building_id", json!(id.to_uppercase())),
            ("building_id", json!(7)),
            ("deleted", json!(false)),
            ("deleted", json!(true)),
            ("deleted", json!(1)),
            ("room", json!("301")),
            ("room", json!(301)),
            ("room", json!(1.5)),
            ("tags", json!(["独居老人", "低保"])),
            ("note", json!({"a": [1, null]})),
            ("note", Value::Null),
            ("note", json!(u64::MAX)),
        ] {
            let spec = kind.field(field).unwrap();
            let stored = log.encode(spec, &v).unwrap();
            let back = log.decode(spec, ValueRef::from(&stored)).unwrap();
            assert_eq!(back, v, "{field} = {v}");
        }
        assert!(matches!(uid_key(&id), Sql::Blob(b) if b.len() == 16));
        assert_eq!(log.name(log.intern(&id).unwrap()).unwrap(), id);
    }
}
