//! `u` — undo the last change made on this device, by writing new ops (so an undo syncs
//! like any other edit and can itself be undone).

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::Value;

use super::write::{Action, Change, Edit, commit_in, field_spec, winner};
use super::{Store, StoreError};
use crate::domain::EntityKind;

/// What an undo reverted, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    pub action: Action,
    /// The kind of the record the change was about (its first edit's).
    pub entity: Option<EntityKind>,
    pub label: String,
    /// Kinds of the other records the change created with it (a planned visit, needs,
    /// auto-ticks), so the message can say the undo took them back too.
    pub also: Vec<EntityKind>,
}

impl Store {
    /// Reverts the newest change of this device not yet undone. Fields changed since by a
    /// later change (or another device) are left alone, so undo never clobbers newer work.
    /// Returns `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<Undone>, StoreError> {
        let device = self.device.clone();
        let author = self.author.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let target: Option<(String, String, String)> = tx
            .query_row(
                "SELECT c.id, c.action, c.summary FROM changes c
                 WHERE c.origin = ?1 AND c.action NOT IN ('undo', 'import')
                   AND NOT EXISTS (SELECT 1 FROM changes u WHERE u.undoes = c.id)
                 ORDER BY c.hlc DESC LIMIT 1",
                [&device],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((change_id, action, label)) = target else {
            return Ok(None);
        };
        let action = Action::parse(&action).unwrap_or(Action::Edit);
        struct Old {
            origin: String,
            seq: i64,
            entity: String,
            entity_id: String,
            field: String,
            prev: Option<(String, i64)>,
            scope: String,
        }
        let ops: Vec<Old> = tx
            .prepare(
                "SELECT origin, seq, entity, entity_id, field, prev_origin, prev_seq, scope
                 FROM ops WHERE change_id = ?1 ORDER BY hlc DESC",
            )?
            .query_map([&change_id], |r| {
                let prev_origin: Option<String> = r.get(5)?;
                let prev_seq: Option<i64> = r.get(6)?;
                Ok(Old {
                    origin: r.get(0)?,
                    seq: r.get(1)?,
                    entity: r.get(2)?,
                    entity_id: r.get(3)?,
                    field: r.get(4)?,
                    prev: prev_origin.zip(prev_seq),
                    scope: r.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        // Records this change created (a tombstone flag with nothing before it) are hidden
        // again by the undo; their other fields stay for a restore.
        let created: std::collections::HashSet<String> = ops
            .iter()
            .filter(|o| o.field == "deleted" && o.prev.is_none())
            .map(|o| o.entity_id.clone())
            .collect();
        // The change's first op names the record it was about; records created alongside
        // it are what the rules derived.
        let primary = ops.last().map(|o| o.entity_id.clone());
        let mut also: Vec<EntityKind> = Vec::new();
        for op in ops.iter().rev() {
            if created.contains(&op.entity_id)
                && Some(&op.entity_id) != primary.as_ref()
                && let Some(kind) = EntityKind::parse(&op.entity)
                && !also.contains(&kind)
            {
                also.push(kind);
            }
        }
        let mut edits = Vec::new();
        let mut entity = None;
        for op in ops {
            let Some(kind) = EntityKind::parse(&op.entity) else {
                continue;
            };
            entity = Some(kind);
            field_spec(kind, &op.field)?;
            // Revert only fields that still hold what this change wrote: a later edit (here
            // or from another device) is newer work and stays.
            let Some(w) = winner(&tx, &op.entity_id, &op.field)? else {
                continue;
            };
            let ours = op_value(&tx, &op.origin, &op.scope, op.seq)?;
            if op_value(&tx, &w.origin, &op.scope, w.seq)? != ours {
                continue;
            }
            let value = match &op.prev {
                Some((origin, seq)) => op_value(&tx, origin, &op.scope, *seq)?,
                // Undoing a creation hides the record; its fields stay for a restore.
                None if op.field == "deleted" => Value::Bool(true),
                None if created.contains(&op.entity_id) => continue,
                None => Value::Null,
            };
            edits.push(Edit {
                entity: kind,
                id: op.entity_id,
                field: op.field,
                value,
            });
        }
        let undone = Undone {
            action,
            entity,
            label: label.clone(),
            also,
        };
        let change = Change {
            action: Action::Undo,
            edits,
            label,
            undoes: Some(change_id),
        };
        commit_in(&tx, &device, &author, &change)?;
        tx.commit()?;
        Ok(Some(undone))
    }
}

/// The value an op wrote.
fn op_value(
    conn: &rusqlite::Connection,
    origin: &str,
    scope: &str,
    seq: i64,
) -> Result<Value, StoreError> {
    let text: String = conn
        .prepare_cached("SELECT value FROM ops WHERE origin = ?1 AND scope = ?2 AND seq = ?3")?
        .query_row(params![origin, scope, seq], |r| r.get(0))?;
    Ok(serde_json::from_str(&text)?)
}
