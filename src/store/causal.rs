//! 冲突检测 — which imported ops are concurrent with what is held, and the conflicts kept
//! for them.
//!
//! *Same field:* an op and the field's holder are concurrent when neither is an ancestor
//! of the other through `prev`/`merged` links.
//!
//! *Edit vs delete:* a delete is the `deleted` field's tombstone, so an edit of another
//! field is never an ancestor of it. Instead the ops that need it carry what their author
//! had seen of the record (`op_seen`, schema v7): every delete and restore, and every
//! change's first edit of a record whose author held a delete of it. A context is, per
//! stream with ops on the record, the highest seq held; since a device holds each stream
//! as a contiguous prefix (a gap is refused), "had seen S:n" is "upto for S ≥ n" — and
//! since a device's knowledge only grows along its own stream, any context at or before
//! an op in its stream says what its author had seen. An edit and a delete are
//! concurrent exactly when neither author had seen the other's op, whichever clock is
//! later; an edit whose author held no delete of the record had seen none. A delete
//! written before v7 has no context and is judged by clock as before (an edit later by
//! the clock, from another device, is taken as unseen).
//!
//! Either way, what hides nothing is not a conflict: two concurrent writes of the same
//! value to one field (two devices that plan the same derived visit, or both delete a
//! record), or an edit writing the very value the deleter had seen in that field.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::StoreError;
use super::oplog::{Held, Link, OpLog, Parents, Row};
use super::write::{Op, now_local};

/// Records what an imported op conflicts with; returns the conflict rows added.
/// `current` is the field's holder before the op, `wins` whether the op now holds it.
pub(super) fn detect(
    log: &OpLog,
    op: &Op,
    row: &Row,
    merged: Option<&(String, i64)>,
    current: Option<Held>,
    wins: bool,
) -> Result<usize, StoreError> {
    let tx = log.conn;
    if let (Some(prev), Some(m)) = (&op.prev, merged) {
        settle(tx, op, prev, m)?;
    }
    let mut conflicts = 0;
    if let Some(w) = &current {
        let wid = (w.stream, w.seq);
        let built_on = row.prev == Some(wid) || row.merged == Some(wid);
        let concurrent = !built_on
            && if wins {
                !is_ancestor(log, (wid, w.hlc), (row.prev, row.merged))?
            } else {
                let theirs = log.links(wid)?.map(|l| l.1).unwrap_or((None, None));
                !is_ancestor(log, ((row.stream, row.seq), row.hlc), theirs)?
            };
        if concurrent && log.value_of(wid)?.as_ref() != Some(&op.value) {
            let w_origin = log.origin_of(w.stream)?;
            let (win, lose) = if wins {
                ((op.origin.as_str(), op.seq), (w_origin.as_str(), w.seq))
            } else {
                ((w_origin.as_str(), w.seq), (op.origin.as_str(), op.seq))
            };
            conflicts += record_conflict(tx, op, &op.field, win, lose)?;
        }
    }
    conflicts += edit_vs_delete(log, op, row)?;
    Ok(conflicts)
}

/// What the author of an op had seen of its record, to store with it: for each stream
/// with ops on the record, the highest seq held (before the op's own change).
pub(super) fn context_of(log: &OpLog, rec: i64) -> Result<Vec<Link>, StoreError> {
    Ok(log
        .conn
        .prepare_cached("SELECT stream, max(seq) FROM op WHERE rec = ?1 GROUP BY stream")?
        .query_map([rec], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}

/// Whether the author of `x` had seen `y` when making it: `y` is earlier in the same
/// stream, or a context in `x`'s stream at or before `x` covers it.
fn saw(log: &OpLog, x: Link, y: Link) -> Result<bool, StoreError> {
    if x.0 == y.0 {
        return Ok(y.1 < x.1);
    }
    Ok(log
        .conn
        .prepare_cached(
            "SELECT 1 FROM op_seen WHERE stream = ?1 AND seq <= ?2 AND seen = ?3 AND upto >= ?4
             LIMIT 1",
        )?
        .query_row([x.0, x.1, y.0, y.1], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether an op carries a context of its own (written by v7 or later).
fn has_context(log: &OpLog, x: Link) -> Result<bool, StoreError> {
    Ok(log
        .conn
        .prepare_cached("SELECT 1 FROM op_seen WHERE stream = ?1 AND seq = ?2 LIMIT 1")?
        .query_row([x.0, x.1], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Everything the author of `x` is known to have seen: per stream, the highest seq.
fn knowledge(log: &OpLog, x: Link) -> Result<HashMap<i64, i64>, StoreError> {
    let mut k: HashMap<i64, i64> = log
        .conn
        .prepare_cached(
            "SELECT seen, max(upto) FROM op_seen WHERE stream = ?1 AND seq <= ?2 GROUP BY seen",
        )?
        .query_map([x.0, x.1], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let own = k.entry(x.0).or_insert(0);
    *own = (*own).max(x.1 - 1);
    Ok(k)
}

/// What the author of delete `d` had seen, for checking many edits against it: its
/// knowledge, and whether it carries a context at all (a delete from before v7 does not).
struct Deleter {
    d: Held,
    knows: HashMap<i64, i64>,
    has_context: bool,
}

impl Deleter {
    fn of(log: &OpLog, d: Held) -> Result<Deleter, StoreError> {
        let dl = (d.stream, d.seq);
        Ok(Deleter {
            knows: knowledge(log, dl)?,
            has_context: has_context(log, dl)?,
            d,
        })
    }

    fn saw(&self, e: &Held) -> bool {
        self.knows.get(&e.stream).is_some_and(|&upto| e.seq <= upto)
    }

    /// Whether edit `e` and this delete are concurrent: neither author had seen the
    /// other's op. A delete from before v7 says nothing of what its author had seen: as
    /// before, an edit no later by the clock is taken as seen.
    fn concurrent(&self, log: &OpLog, e: &Held) -> Result<bool, StoreError> {
        let d = &self.d;
        if d.stream == e.stream || self.saw(e) || (!self.has_context && e.hlc <= d.hlc) {
            return Ok(false);
        }
        Ok(!saw(log, (e.stream, e.seq), (d.stream, d.seq))?)
    }

    /// Whether the deleter had seen the record's field `field` holding `value`: then a
    /// concurrent edit writing that same value hides nothing the deleter did not see.
    fn saw_value(
        &self,
        log: &OpLog,
        rec: i64,
        field: i64,
        value: &Value,
    ) -> Result<bool, StoreError> {
        if !self.has_context {
            return Ok(false);
        }
        let ops: Vec<Held> = log
            .conn
            .prepare_cached(
                "SELECT hlc, stream, seq, change FROM op WHERE rec = ?1 AND field = ?2",
            )?
            .query_map([rec, field], |r| {
                Ok(Held {
                    hlc: r.get(0)?,
                    stream: r.get(1)?,
                    seq: r.get(2)?,
                    change: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut best: Option<Held> = None;
        for h in ops.into_iter().filter(|h| self.saw(h)) {
            let better = match &best {
                None => true,
                Some(b) => log.later(&h, b)?,
            };
            if better {
                best = Some(h);
            }
        }
        Ok(match best {
            Some(b) => log.value_of((b.stream, b.seq))?.as_ref() == Some(value),
            None => false,
        })
    }
}

/// Edit vs delete, for an imported op: a delete is checked against every edit of the
/// record held, an edit against every delete held. Each concurrent pair is kept for
/// review (field `deleted`, A = the delete, B = the edit), whichever clock is later and
/// whether or not the record is deleted now — so every device that holds both finds the
/// pair, in whatever order they came.
fn edit_vs_delete(log: &OpLog, op: &Op, row: &Row) -> Result<usize, StoreError> {
    let Some(deleted) = log.field_id(op.entity, "deleted")? else {
        return Ok(0);
    };
    let mut found = 0;
    if row.field == deleted {
        if op.value != Value::Bool(true) {
            return Ok(0);
        }
        let d = Deleter::of(log, Held::of(row))?;
        let edits: Vec<(Held, i64)> = log
            .conn
            .prepare_cached(
                "SELECT hlc, stream, seq, change, field FROM op
                 WHERE rec = ?1 AND field <> ?2 AND stream <> ?3",
            )?
            .query_map(params![row.rec, deleted, row.stream], |r| {
                Ok((
                    Held {
                        hlc: r.get(0)?,
                        stream: r.get(1)?,
                        seq: r.get(2)?,
                        change: r.get(3)?,
                    },
                    r.get(4)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (e, field) in edits {
            if !d.concurrent(log, &e)? {
                continue;
            }
            let Some(value) = log.value_of((e.stream, e.seq))? else {
                continue;
            };
            if d.saw_value(log, row.rec, field, &value)? {
                continue;
            }
            let o = log.origin_of(e.stream)?;
            found += record_conflict(log.conn, op, "deleted", (&op.origin, op.seq), (&o, e.seq))?;
        }
        return Ok(found);
    }
    let e = Held::of(row);
    for d in log.deletes(row.rec, deleted)? {
        let d = Deleter::of(log, d)?;
        if !d.concurrent(log, &e)? || d.saw_value(log, row.rec, row.field, &op.value)? {
            continue;
        }
        let d_origin = log.origin_of(d.d.stream)?;
        found += record_conflict(
            log.conn,
            op,
            "deleted",
            (&d_origin, d.d.seq),
            (&op.origin, op.seq),
        )?;
    }
    Ok(found)
}

/// Whether the op `target` is in the history of an op whose links are `from`, walking
/// `prev` and `merged` back. Since an import advances the clock past every op it brings,
/// an op's ancestors all have smaller hlcs, so the walk stops below `target`'s hlc.
fn is_ancestor(log: &OpLog, target: ((i64, i64), i64), from: Parents) -> Result<bool, StoreError> {
    let (t, t_hlc) = target;
    let mut todo = vec![from];
    let mut seen = HashSet::new();
    while let Some((prev, merged)) = todo.pop() {
        for l in [prev, merged].into_iter().flatten() {
            if l == t {
                return Ok(true);
            }
            if !seen.insert(l) || seen.len() > 100_000 {
                continue;
            }
            if let Some((hlc, parents)) = log.links(l)?
                && hlc >= t_hlc
            {
                todo.push(parents);
            }
        }
    }
    Ok(false)
}

/// Keeps a conflict for review; its id is derived from the two ops, so the same pair found
/// twice (or on two devices) is one conflict with one id.
fn record_conflict(
    tx: &rusqlite::Connection,
    op: &Op,
    field: &str,
    win: (&str, i64),
    lose: (&str, i64),
) -> Result<usize, StoreError> {
    use sha2::Digest;
    let key = format!("{}/{}/{}/{}/{}", op.scope, win.0, win.1, lose.0, lose.1);
    let hash = sha2::Sha256::digest(key.as_bytes());
    let id: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
    Ok(tx
        .prepare_cached(
            "INSERT OR IGNORE INTO conflicts (id, entity, entity_id, field, win_origin,
                 win_scope, win_seq, lose_origin, lose_scope, lose_seq, found)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?6, ?9, ?10)",
        )?
        .execute(params![
            id,
            op.entity.name(),
            op.entity_id,
            field,
            win.0,
            op.scope,
            win.1,
            lose.0,
            lose.1,
            now_local(),
        ])?)
}

/// Marks settled the open conflicts on `op`'s field that a resolution overwrote: those
/// whose losing side is `merged`, or whose sides are exactly `prev` and `merged`.
pub(crate) fn settle(
    tx: &rusqlite::Connection,
    op: &Op,
    prev: &(String, i64),
    merged: &(String, i64),
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE conflicts SET resolved_by = ?1 WHERE resolved_by IS NULL AND entity_id = ?2
           AND field = ?3 AND win_scope = ?4
           AND ((lose_origin = ?5 AND lose_seq = ?6)
             OR (win_origin = ?5 AND win_seq = ?6 AND lose_origin = ?7 AND lose_seq = ?8))",
    )?
    .execute(params![
        op.change_id,
        op.entity_id,
        op.field,
        op.scope,
        merged.0,
        merged.1,
        prev.0,
        prev.1
    ])?;
    Ok(())
}
