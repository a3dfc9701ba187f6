//! Restored and copied databases (恢复备份、复制数据库). A database restored from a backup,
//! or copied to a second computer, goes on numbering its edits from where the copy was
//! made, so the same (origin, seq) can name two different changes. Import checks, not
//! trusts: a range the bundle carries that this device already holds is compared op by
//! op (quickly, by the bundle's per-range hash, when all of it is held). Where the two
//! differ, the incoming version is kept under a *fork origin* derived from its content —
//! the same on every device that meets it — so both versions live on everywhere and
//! concurrent values on a field become conflicts. A device that finds its own origin
//! forked, or ahead of it in a peer, takes a new origin for its future edits.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::SyncError;
use super::codec::{Range, RangeHash, RawOp};
use super::export::each_op;
use crate::store::OpLog;

/// One origin's ops that exist here and in a bundle with different content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fork {
    /// Whose ops (the origin id).
    pub origin: String,
    pub scope: String,
    /// The numbers held in two versions.
    pub from: i64,
    pub to: i64,
    /// The origin the incoming version is kept under.
    pub kept_as: String,
}

/// Digests (values in their canonical spelling) of the ops held here for
/// `origin`/`scope` numbered `first..=last`.
fn held(
    conn: &rusqlite::Connection,
    origin: &str,
    scope: &str,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, [u8; 32]>, SyncError> {
    let mut digests = HashMap::new();
    each_op(&OpLog::new(conn), origin, scope, first, last, |op| {
        digests.insert(op.seq, op.digest(origin, scope, &canonical(op.value)));
        Ok(())
    })?;
    Ok(digests)
}

/// A value's JSON text in one spelling, so two devices that store the same value
/// differently (an older release, another storage layout) never look forked.
fn canonical(value: &str) -> String {
    serde_json::from_str::<serde_json::Value>(value)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| value.to_string())
}

/// [`RawOp::digest`] with the value in its canonical spelling.
fn digest(o: &RawOp) -> [u8; 32] {
    let mut c = o.clone();
    c.value = canonical(&o.value);
    c.digest()
}

/// Whether a range held here in full matches the bundle's hash for it (no hash, as in
/// format 1, means it must be compared op by op). The bundle hashes the value text as
/// stored; a mismatch only means "compare op by op", where values are compared in one
/// spelling.
pub(crate) fn held_matches(conn: &rusqlite::Connection, r: &Range) -> Result<bool, SyncError> {
    let Some(theirs) = &r.sha256 else {
        return Ok(false);
    };
    let mut hash = RangeHash::default();
    each_op(
        &OpLog::new(conn),
        &r.origin,
        &r.scope,
        r.first,
        r.last,
        |op| {
            hash.add(&op.digest(&r.origin, &r.scope, op.value));
            Ok(())
        },
    )?;
    Ok(hash.take() == *theirs)
}

/// The origin a forked run is kept under: derived from the origin, scope, where the run
/// starts and the content of its first op, so every device derives the same one.
fn fork_origin(origin: &str, scope: &str, from: i64, first: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"louzu fork v1\0");
    h.update(origin.as_bytes());
    h.update([0]);
    h.update(scope.as_bytes());
    h.update(from.to_le_bytes());
    h.update(first);
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Compares the bundle's ops in `first..=last` of `origin`/`scope` (a part this device
/// holds) with its own; from the first that differs to `last`, renames the incoming ops
/// (and links to them) to a fork origin numbered from 1. Returns the fork, if any.
pub(crate) fn split(
    conn: &rusqlite::Connection,
    raw: &mut [RawOp],
    origin: &str,
    scope: &str,
    first: i64,
    last: i64,
) -> Result<Option<Fork>, SyncError> {
    let ours = held(conn, origin, scope, first, last)?;
    let from = raw
        .iter()
        .filter(|o| o.origin == origin && o.scope == scope && (first..=last).contains(&o.seq))
        .map(|o| (o.seq, digest(o)))
        .filter(|(seq, d)| ours.get(seq) != Some(d))
        .min_by_key(|(s, _)| *s);
    let Some((from, digest)) = from else {
        return Ok(None);
    };
    let kept_as = fork_origin(origin, scope, from, &digest);
    let run = from..=last;
    let renamed = |o: &str, s: i64| o == origin && run.contains(&s);
    for op in raw.iter_mut().filter(|o| o.scope == scope) {
        for link in [&mut op.prev, &mut op.merged].into_iter().flatten() {
            if renamed(&link.0, link.1) {
                *link = (kept_as.clone(), link.1 - from + 1);
            }
        }
        // A context that reaches into the run had seen the incoming version: the shared
        // part under the origin, the rest under the fork origin.
        let mut seen = Vec::with_capacity(op.seen.len());
        for (o, upto) in std::mem::take(&mut op.seen) {
            if renamed(&o, upto) {
                seen.push((kept_as.clone(), upto.min(last) - from + 1));
                if from > 1 {
                    seen.push((o, from - 1));
                }
            } else {
                seen.push((o, upto));
            }
        }
        seen.sort();
        op.seen = seen;
        if renamed(&op.origin, op.seq) {
            op.origin = kept_as.clone();
            op.seq = op.seq - from + 1;
        }
    }
    Ok(Some(Fork {
        origin: origin.to_string(),
        scope: scope.to_string(),
        from,
        to: last,
        kept_as,
    }))
}

/// The forks this device knows of (found here or told by a peer), for the bundle header.
pub(crate) fn known(
    conn: &rusqlite::Connection,
) -> Result<Vec<(String, String, String, i64)>, SyncError> {
    let mut stmt = conn
        .prepare("SELECT substr(key, 6), value FROM meta WHERE key LIKE 'fork.%' ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (kept_as, v) = row?;
        if let Ok((origin, scope, from)) = serde_json::from_str::<(String, String, i64)>(&v) {
            out.push((kept_as, origin, scope, from));
        }
    }
    Ok(out)
}

/// Records a fork so later bundles tell others of it (device-local; first word wins).
pub(crate) fn remember(
    conn: &rusqlite::Connection,
    kept_as: &str,
    origin: &str,
    scope: &str,
    from: i64,
) -> Result<(), SyncError> {
    let v =
        serde_json::to_string(&(origin, scope, from)).map_err(crate::store::StoreError::from)?;
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
        [format!("fork.{kept_as}"), v],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_spelled_two_ways_is_not_a_fork_and_a_fork_origin_is_stable() {
        assert_eq!(canonical("[ \"独居老人\" ]"), canonical("[\"独居老人\"]"));
        assert_eq!(
            canonical("{\"b\":1, \"a\":2}"),
            canonical("{\"a\":2,\"b\":1}")
        );
        assert_ne!(canonical("\"a\""), canonical("\"b\""));
        let d = [7u8; 32];
        assert_eq!(fork_origin("o", "s", 6, &d), fork_origin("o", "s", 6, &d));
        assert_ne!(fork_origin("o", "s", 6, &d), fork_origin("o", "s", 7, &d));
        assert!(uuid::Uuid::parse_str(&fork_origin("o", "s", 6, &d)).is_ok());
    }
}
