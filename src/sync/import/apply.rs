//! Applying a checked bundle: every op in one transaction through the store's apply step,
//! the senders' journal entries, the clock, the peer's knowledge, then commit (or roll
//! back for a preview, or when asked to stop).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Checked, Preview, our_clock, scopes_of};
use crate::domain::EntityKind;
use crate::progress::{Progress, Stage};
use crate::store::{
    Action, Applied, Change, Op, OpLog, SHARED_SCOPE, Store, StoreError, apply_linked,
    commit_logged, meta_get, meta_set, new_origin_in, now_local,
};
use crate::sync::codec::{Body, OpAt, OpRef, RawOp};
use crate::sync::{SyncError, fork, trust};
use crate::usecase::{Rules, cadence};

impl Checked {
    /// Applies the checked bundle in one transaction; a dry run (the preview) rolls it
    /// back. Refused when this database changed since it was checked (check again), and
    /// stopped without writing anything when `progress` is cancelled. The households it
    /// touched are re-planned by the leader's config (`Rules::configured`) as of today.
    pub fn apply(
        &self,
        store: &mut Store,
        dry_run: bool,
        progress: &Progress,
    ) -> Result<Preview, SyncError> {
        let today = crate::domain::date::today();
        self.apply_with(store, dry_run, progress, &Rules::configured(), today)
    }

    /// [`Checked::apply`] with the rules and the day the households the bundle touched
    /// are re-planned by (`usecase::cadence::after_import`): in the same transaction, as
    /// one change of this device's own, so the merged data and what the rules derive from
    /// it land together or not at all.
    pub fn apply_with(
        &self,
        store: &mut Store,
        dry_run: bool,
        progress: &Progress,
        rules: &Rules,
        today: jiff::civil::Date,
    ) -> Result<Preview, SyncError> {
        let mut preview = self.preview.clone();
        if our_clock(store)? != self.held {
            return Err(SyncError::Stale {
                file: preview.file.clone(),
            });
        }
        let (sender, header) = (&self.sender, &self.header);
        let Some(body) = &self.body else {
            // Nothing new, but what the sender holds is still news: later exports to it
            // can leave that out. (Only ever raises what we knew; a re-import changes
            // nothing.)
            if !dry_run {
                trust::learn_peer_clock(store.conn(), &sender.key.sign, &header.clock)?;
            }
            return Ok(preview);
        };
        let file = self.preview.file.as_path();
        let malformed = |detail: String| SyncError::Malformed {
            file: file.to_path_buf(),
            sender: sender.name.clone(),
            detail,
        };
        let allowed = |scope: &str| {
            scope == SHARED_SCOPE
                || sender
                    .buildings
                    .as_ref()
                    .is_none_or(|b| b.iter().any(|x| x == scope))
        };
        let (found, pending, wanted) = (&self.found, &self.pending, &self.wanted);
        let (renumber, file_hash) = (self.renumber, &self.file_hash);
        let (_, last) = pending.clocks();
        let any = pending.len() > 0;
        let me_origin = store.device_id().to_string();
        let mut device = store.device_id().to_string();
        let author = store.owner_name().to_string();
        // Begun on a shared borrow, so the use cases can read the store inside it (the
        // re-plan below sees the merged data before it commits). `store` is borrowed
        // mutably by this function, so no other transaction can be open on it.
        let tx =
            rusqlite::Transaction::new_unchecked(store.conn(), TransactionBehavior::Immediate)?;
        if renumber {
            device = new_origin_in(&tx, &device)?;
            preview.new_origin = true;
        }
        for f in found {
            fork::remember(&tx, &f.kept_as, &f.origin, &f.scope, f.from)?;
        }
        for (kept_as, origin, scope, from) in &header.forks {
            fork::remember(&tx, kept_as, origin, scope, *from)?;
        }
        // A big import touches the op log, its index, the id table and every record table:
        // a page cache that holds their working set writes each page once, not once per
        // spill. (Back to what it was once the import is done.)
        let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        if pending.len() > 10_000 {
            tx.pragma_update(None, "cache_size", -16_384)?;
        }
        let log = OpLog::new(&tx);
        let mut tally = Tally::default();
        let total = pending.len() as u64;
        let step = |i: usize| -> Result<(), SyncError> {
            if progress.cancelled() {
                return Err(SyncError::Cancelled {
                    file: file.to_path_buf(),
                });
            }
            progress.step(Stage::Applying, i as u64 + 1, total);
            Ok(())
        };
        match pending {
            Pending::Body(order) => {
                for (i, at) in order.iter().enumerate() {
                    let raw = body.op(at).map_err(&malformed)?;
                    let (op, merged) = to_op(file, &raw, &malformed)?;
                    tally.apply(&log, &op, merged.as_ref(), &mut preview)?;
                    step(i)?;
                }
            }
            Pending::Raw(ops) => {
                for (i, (op, merged)) in ops.iter().enumerate() {
                    tally.apply(&log, op, merged.as_ref(), &mut preview)?;
                    step(i)?;
                }
            }
        }
        log.finish()?;
        // What the rules derive from the merged data: one change of this device's own, in
        // the same transaction (and journal), so it can be undone like any other.
        let mut households = tally.households;
        for v in &tally.visits {
            if let Some(visit) = store.record(EntityKind::Visit, v)? {
                households.insert(visit.text("household_id").to_string());
            }
        }
        let replanned = cadence::after_import(store, rules, today, &households)?;
        if !replanned.edits.is_empty() {
            // Labelled like any edit, by the records' own labels (rooms): data, not words
            // of one language.
            let mut label: Vec<&str> = replanned.households.iter().map(String::as_str).collect();
            if label.len() > 5 {
                label.truncate(5);
                label.push("…");
            }
            commit_logged(
                &log,
                &device,
                &author,
                &Change {
                    action: Action::Edit,
                    edits: replanned.edits,
                    label: label.join(" "),
                    undoes: None,
                },
            )?;
        }
        preview.replanned = replanned.households;
        let (created, changed) = (tally.created, tally.changed);
        let journal = &body.journal;
        preview.new_records = created.len() as u64;
        preview.changed_records = changed.len() as u64;
        {
            let mut set_clock = tx.prepare_cached(
                "INSERT INTO clock (origin, scope, seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT(origin, scope) DO UPDATE SET seq = max(seq, excluded.seq)",
            )?;
            for ((origin, scope), (_, last)) in wanted {
                set_clock.execute(params![origin, scope, last])?;
            }
            let mut add_change = tx.prepare_cached(
                "INSERT OR IGNORE INTO changes (id, origin, hlc, at, author, action, entity,
                     entity_id, building_id, summary, undoes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let sender_origins: HashSet<&str> = std::iter::once(header.sender_device.as_str())
                .chain(header.former_origins.iter().map(String::as_str))
                .collect();
            for j in journal {
                if j.building_id.as_deref().is_none_or(allowed) {
                    // A change whose author left the name blank is shown under the name this
                    // device trusts its maker by, not as a blank next to an id.
                    let author = if !j.author.trim().is_empty() {
                        j.author.clone()
                    } else if sender_origins.contains(j.origin.as_str()) {
                        sender.name.clone()
                    } else {
                        meta_get(&tx, &format!("origin_name.{}", j.origin))?.unwrap_or_default()
                    };
                    add_change.execute(params![
                        j.id,
                        j.origin,
                        j.hlc,
                        j.at,
                        author,
                        j.action,
                        j.entity,
                        j.entity_id,
                        j.building_id,
                        j.summary,
                        j.undoes
                    ])?;
                }
            }
        }
        // Advance our clock past everything imported, so edits made here from now on order
        // after them (and so win over what they build on).
        let hlc: i64 = meta_get(&tx, "hlc")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        // The ops' own clocks, checked above, not the header's claim.
        let imported_max = if any { last } else { 0 };
        meta_set(&tx, "hlc", &hlc.max(imported_max).to_string())?;
        for origin in std::iter::once(&header.sender_device).chain(&header.former_origins) {
            if *origin != device && *origin != me_origin {
                meta_set(&tx, &format!("origin_name.{origin}"), &sender.name)?;
            }
        }
        trust::learn_peer_clock(&tx, &sender.key.sign, &header.clock)?;
        tx.execute(
            "INSERT OR REPLACE INTO bundle_received (hash, sender, at, created, scopes, ops)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                file_hash,
                sender.name,
                now_local(),
                header.created,
                serde_json::to_string(&scopes_of(header)).map_err(StoreError::from)?,
                preview.new_ops as i64
            ],
        )?;
        let label = format!(
            "从「{}」导入 {} 项更改（新 {}，改 {}，冲突 {}）",
            sender.name,
            preview.new_ops,
            preview.new_records,
            preview.changed_records,
            preview.conflicts
        );
        commit_logged(
            &log,
            &device,
            &author,
            &Change {
                action: Action::Import,
                edits: Vec::new(),
                label,
                undoes: None,
            },
        )?;
        drop(log);
        tx.pragma_update(None, "cache_size", cache)?;
        if std::env::var_os("LOUZU_TEST_CRASH_DURING_IMPORT").is_some() {
            // Test hook: die the hard way with the transaction open, as a power cut would.
            std::process::abort();
        }
        // Asked to stop: the transaction is dropped, so nothing of it is written.
        if progress.cancelled() {
            return Err(SyncError::Cancelled {
                file: file.to_path_buf(),
            });
        }
        progress.step(Stage::Writing, 0, 0);
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
            preview.applied = true;
            if renumber {
                store.reload_origin()?;
            }
        }
        Ok(preview)
    }
}

/// An imported op with the second op it overwrote, if it resolved a conflict.
type Incoming = (Op, Option<(String, i64)>);

/// The ops an import applies, in the order they apply.
pub(super) enum Pending {
    /// Their places in the bundle's body (the usual case).
    Body(Vec<OpAt>),
    /// Decoded, after a restored or copied range was split off under a fork origin.
    Raw(Vec<Incoming>),
}

impl Pending {
    pub(super) fn len(&self) -> usize {
        match self {
            Pending::Body(v) => v.len(),
            Pending::Raw(v) => v.len(),
        }
    }

    /// The smallest and largest clock among them (`(i64::MAX, i64::MIN)` if none).
    pub(super) fn clocks(&self) -> (i64, i64) {
        let fold = |(a, b): (i64, i64), h: i64| (a.min(h), b.max(h));
        match self {
            Pending::Body(v) => v.iter().map(|o| o.hlc).fold((i64::MAX, i64::MIN), fold),
            Pending::Raw(v) => v
                .iter()
                .map(|(o, _)| o.hlc)
                .fold((i64::MAX, i64::MIN), fold),
        }
    }
}

/// What the applied ops did to records, counted for the preview, and what the cadence
/// rule must look at again.
#[derive(Default)]
struct Tally {
    existed: HashMap<String, bool>,
    created: HashSet<String>,
    changed: HashSet<String>,
    /// Households whose tags or deletion came in.
    households: BTreeSet<String>,
    /// Visits whose household, status, due date, purpose or deletion came in.
    visits: HashSet<String>,
}

impl Tally {
    fn apply(
        &mut self,
        log: &OpLog,
        op: &Op,
        merged: Option<&(String, i64)>,
        preview: &mut Preview,
    ) -> Result<(), SyncError> {
        let was = match self.existed.get(op.entity_id.as_str()) {
            Some(&b) => b,
            None => {
                let b = log
                    .conn
                    .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", op.entity.name()))?
                    .query_row([&op.entity_id], |_| Ok(()))
                    .optional()?
                    .is_some();
                self.existed.insert(op.entity_id.clone(), b);
                b
            }
        };
        let outcome = apply_linked(log, op, merged, true)?;
        if outcome.applied != Applied::Duplicate {
            preview.new_ops += 1;
            // (Looked up before inserting: most ops are for records already noted.)
            let (kind, f, id) = (op.entity, op.field.as_str(), &op.entity_id);
            let household = matches!(f, "tags" | "deleted");
            if kind == EntityKind::Household && household && !self.households.contains(id) {
                self.households.insert(id.clone());
            }
            let visit = matches!(f, "household_id" | "status" | "due" | "purpose" | "deleted");
            if kind == EntityKind::Visit && visit && !self.visits.contains(id) {
                self.visits.insert(id.clone());
            }
        }
        preview.conflicts += outcome.conflicts as u64;
        if outcome.applied == Applied::Won {
            let set = if was {
                &mut self.changed
            } else {
                &mut self.created
            };
            if !set.contains(op.entity_id.as_str()) {
                set.insert(op.entity_id.clone());
            }
        }
        Ok(())
    }
}

/// An op read from the body, owned (for [`fork::split`]).
pub(super) fn owned(r: &OpRef) -> RawOp {
    RawOp {
        origin: r.origin.to_string(),
        scope: r.scope.to_string(),
        seq: r.seq,
        hlc: r.hlc,
        change_id: r.change_id.to_string(),
        entity: r.entity.to_string(),
        entity_id: r.entity_id.to_string(),
        field: r.field.to_string(),
        value: r.value.to_string(),
        prev: r.prev.map(|(o, s)| (o.to_string(), s)),
        merged: r.merged.map(|(o, s)| (o.to_string(), s)),
        seen: r.seen.iter().map(|(o, s)| (o.to_string(), *s)).collect(),
    }
}

/// The ops we want, checked to be complete, in the order they apply: by (hlc, origin) so
/// each one's history is applied before it. Only their places in the body are held.
pub(super) fn plan(
    body: &Body,
    wanted: &HashMap<(String, String), (i64, i64)>,
    malformed: &dyn Fn(String) -> SyncError,
) -> Result<Vec<OpAt>, SyncError> {
    let mut seen: HashMap<(u32, u32), (i64, i64, i64)> = HashMap::new();
    let mut keys: HashMap<(u32, u32), Option<(i64, i64)>> = HashMap::new();
    let mut out = body.index().map_err(malformed)?;
    out.retain(|at| {
        let range = *keys.entry((at.origin, at.scope)).or_insert_with(|| {
            wanted
                .get(&(
                    body.string(at.origin).to_string(),
                    body.string(at.scope).to_string(),
                ))
                .copied()
        });
        let Some((held, last)) = range else {
            return false;
        };
        if at.seq <= held || at.seq > last {
            return false;
        }
        seen.entry((at.origin, at.scope))
            .or_insert((held, last, 0))
            .2 += 1;
        true
    });
    out.shrink_to_fit();
    // Every wanted range must be there in full, or the clock would claim ops we lack.
    let mut got: HashMap<(&str, &str), i64> = HashMap::new();
    for ((o, sc), (_, _, n)) in &seen {
        *got.entry((body.string(*o), body.string(*sc))).or_insert(0) += n;
    }
    for ((origin, scope), (held, last)) in wanted {
        let n = got
            .get(&(origin.as_str(), scope.as_str()))
            .copied()
            .unwrap_or(0);
        if n != last - held {
            return Err(malformed(format!(
                "range {origin}/{scope} has {n} of {} ops",
                last - held
            )));
        }
    }
    out.sort_by(|a, b| {
        (a.hlc, body.string(a.origin), a.seq).cmp(&(b.hlc, body.string(b.origin), b.seq))
    });
    Ok(out)
}

/// Checks and converts one op.
fn to_op(
    file: &Path,
    r: &OpRef,
    malformed: &dyn Fn(String) -> SyncError,
) -> Result<Incoming, SyncError> {
    let entity = EntityKind::parse(r.entity).ok_or_else(|| SyncError::Unknown {
        file: file.to_path_buf(),
        detail: format!("record kind {}", r.entity),
    })?;
    if entity.field(r.field).is_none() {
        return Err(SyncError::Unknown {
            file: file.to_path_buf(),
            detail: format!("field {} of {}", r.field, entity.en()),
        });
    }
    let value = serde_json::from_str(r.value)
        .map_err(|e| malformed(format!("value of {}: {e}", r.field)))?;
    Ok((
        Op {
            origin: r.origin.to_string(),
            scope: r.scope.to_string(),
            seq: r.seq,
            hlc: r.hlc,
            change_id: r.change_id.to_string(),
            entity,
            entity_id: r.entity_id.to_string(),
            field: r.field.to_string(),
            value,
            prev: r.prev.map(|(o, s)| (o.to_string(), s)),
            seen: r.seen.iter().map(|(o, s)| (o.to_string(), *s)).collect(),
        },
        r.merged.map(|(o, s)| (o.to_string(), s)),
    ))
}

/// Checks and converts the ops we want, sorted by (hlc, origin) so each one's history is
/// applied before it.
pub(super) fn to_ops(
    file: &Path,
    raw: &[RawOp],
    wanted: &HashMap<(String, String), (i64, i64)>,
    malformed: &dyn Fn(String) -> SyncError,
) -> Result<Vec<Incoming>, SyncError> {
    let mut out = Vec::new();
    let mut seen: HashMap<(&str, &str), i64> = HashMap::new();
    for r in raw {
        let Some(&(held, last)) = wanted.get(&(r.origin.clone(), r.scope.clone())) else {
            continue;
        };
        if r.seq <= held || r.seq > last {
            continue;
        }
        let n = seen.entry((&r.origin, &r.scope)).or_insert(0);
        *n += 1;
        let entity = EntityKind::parse(&r.entity).ok_or_else(|| SyncError::Unknown {
            file: file.to_path_buf(),
            detail: format!("record kind {}", r.entity),
        })?;
        if entity.field(&r.field).is_none() {
            return Err(SyncError::Unknown {
                file: file.to_path_buf(),
                detail: format!("field {} of {}", r.field, entity.en()),
            });
        }
        let value = serde_json::from_str(&r.value)
            .map_err(|e| malformed(format!("value of {}: {e}", r.field)))?;
        out.push((
            Op {
                origin: r.origin.clone(),
                scope: r.scope.clone(),
                seq: r.seq,
                hlc: r.hlc,
                change_id: r.change_id.clone(),
                entity,
                entity_id: r.entity_id.clone(),
                field: r.field.clone(),
                value,
                prev: r.prev.clone(),
                seen: r.seen.clone(),
            },
            r.merged.clone(),
        ));
    }
    // Every wanted range must be there in full, or the clock would claim ops we lack.
    for ((origin, scope), (held, last)) in wanted {
        let got = seen
            .get(&(origin.as_str(), scope.as_str()))
            .copied()
            .unwrap_or(0);
        if got != last - held {
            return Err(malformed(format!(
                "range {origin}/{scope} has {got} of {} ops",
                last - held
            )));
        }
    }
    out.sort_by(|(a, _), (b, _)| (a.hlc, &a.origin, a.seq).cmp(&(b.hlc, &b.origin, b.seq)));
    Ok(out)
}
