//! Which op holds each field: [`Held`], and the bounded cache of holders [`OpLog`] keeps
//! for the records written lately, so a run of ops for one record reads none back.
//!
//! [`OpLog`]: super::oplog::OpLog

use std::collections::HashMap;

use super::oplog::Row;

/// The op holding a field, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Held {
    pub stream: i64,
    pub seq: i64,
    pub hlc: i64,
    /// The change the op belongs to (its `uid` number): breaks a tie between equal clocks.
    pub change: i64,
}

impl Held {
    pub fn of(row: &Row) -> Held {
        Held {
            stream: row.stream,
            seq: row.seq,
            hlc: row.hlc,
            change: row.change,
        }
    }
}

/// How many records' field holders [`OpLog`] keeps in memory (twice this at most).
const HELD_CAP: usize = 50_000;

type Fields = Vec<(i64, Option<Held>)>;

/// Field holders by record, for the records written lately: a young and an old
/// generation, so the cache stays bounded while a run of ops for one record stays in it.
#[derive(Default)]
pub(super) struct HeldCache {
    cur: HashMap<i64, Fields>,
    old: HashMap<i64, Fields>,
    /// Records first named through this log whose entries are all still kept: every op
    /// they have went through it, so a field not in the cache has no op.
    pub(super) fresh: std::collections::HashSet<i64>,
}

impl HeldCache {
    fn fields(&mut self, rec: i64) -> Option<&mut Fields> {
        if !self.cur.contains_key(&rec) {
            let moved = self.old.remove(&rec)?;
            self.cur.insert(rec, moved);
        }
        self.cur.get_mut(&rec)
    }

    /// `Some(holder)` when known without asking the database.
    pub(super) fn get(&mut self, rec: i64, field: i64) -> Option<Option<Held>> {
        let fresh = self.fresh.contains(&rec);
        match self.fields(rec) {
            Some(f) => match f.iter().find(|(x, _)| *x == field) {
                Some((_, h)) => Some(*h),
                None if fresh => Some(None),
                None => None,
            },
            None if fresh => Some(None),
            None => None,
        }
    }

    pub(super) fn set(&mut self, rec: i64, field: i64, h: Option<Held>) {
        if self.cur.len() >= HELD_CAP && !self.cur.contains_key(&rec) && self.fields(rec).is_none()
        {
            let dropped = std::mem::replace(&mut self.old, std::mem::take(&mut self.cur));
            for r in dropped.keys() {
                self.fresh.remove(r);
            }
        }
        if self.fields(rec).is_none() {
            self.cur.insert(rec, Vec::new());
        }
        if let Some(f) = self.cur.get_mut(&rec) {
            match f.iter_mut().find(|(x, _)| *x == field) {
                Some(slot) => slot.1 = h,
                None => f.push((field, h)),
            }
        }
    }
}
