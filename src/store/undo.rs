//! `u` — undo the last change made on this device, by writing new ops (so an undo syncs
//! like any other edit and can itself be undone).

use rusqlite::{OptionalExtension, TransactionBehavior};
use serde_json::Value;

use super::oplog::OpLog;
use super::write::{Action, Change, Edit, commit_logged};
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
        let log = OpLog::new(&tx);
        let mut ops = log.ops_of_change(&change_id)?;
        ops.reverse();
        // Records this change created (a tombstone flag with nothing before it) are hidden
        // again by the undo; their other fields stay for a restore.
        let mut created = std::collections::HashSet::new();
        let mut old = Vec::with_capacity(ops.len());
        for row in &ops {
            let Some((kind, spec)) = log.spec(row.field)? else {
                continue;
            };
            if spec.name == "deleted" && row.prev.is_none() {
                created.insert(row.rec);
            }
            old.push((row, kind, spec));
        }
        // The change's first op names the record it was about; records created alongside
        // it are what the rules derived.
        let primary = old.last().map(|(r, _, _)| r.rec);
        let mut also: Vec<EntityKind> = Vec::new();
        for (row, kind, _) in old.iter().rev() {
            if created.contains(&row.rec) && Some(row.rec) != primary && !also.contains(kind) {
                also.push(*kind);
            }
        }
        let mut edits = Vec::new();
        let mut entity = None;
        for (row, kind, spec) in old {
            entity = Some(kind);
            // Revert only fields that still hold what this change wrote: a later edit (here
            // or from another device) is newer work and stays.
            let Some(w) = log.winner(row.rec, row.field)? else {
                continue;
            };
            let ours = log.decode(spec, (&row.value).into())?;
            if log.value_of((w.stream, w.seq))? != Some(ours) {
                continue;
            }
            let value = match row.prev {
                Some(p) => log
                    .value_of(p)?
                    .ok_or_else(|| StoreError::NotFound(format!("{}#{}", p.0, p.1)))?,
                // Undoing a creation hides the record; its fields stay for a restore.
                None if spec.name == "deleted" => Value::Bool(true),
                None if created.contains(&row.rec) => continue,
                None => Value::Null,
            };
            let id = log.name(row.rec)?;
            let field = spec.name.to_string();
            edits.push(Edit {
                entity: kind,
                id,
                field,
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
        commit_logged(&log, &device, &author, &change)?;
        drop(log);
        tx.commit()?;
        Ok(Some(undone))
    }
}
