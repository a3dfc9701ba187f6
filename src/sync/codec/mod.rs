//! The bundle's body before encryption: a JSON header (sender, ranges, version vector,
//! counts, hash) and the ops in a compact binary form (each repeated string — device,
//! scope, record and change ids — written once in a table, UUIDs as 16 bytes, numbers as
//! varints), then the journal rows of the changes the ops belong to. All of it
//! deflate-compressed.

use std::collections::HashMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A contiguous run of one origin's ops in one scope: `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub origin: String,
    pub scope: String,
    pub first: i64,
    pub last: i64,
    /// SHA-256 over the [`op_digest`]s of the range's ops in seq order (format 2): a
    /// receiver that already holds the range checks its own copy against it instead of
    /// trusting that the same (origin, seq) means the same change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The digest of one op's content, the same on every device that holds the same op:
/// what a restored or copied database is caught by when it reuses an (origin, seq).
#[allow(clippy::too_many_arguments)]
pub fn op_digest(
    origin: &str,
    scope: &str,
    seq: i64,
    hlc: i64,
    change_id: &str,
    entity: &str,
    entity_id: &str,
    field: &str,
    value: &str,
    prev: Option<(&str, i64)>,
    merged: Option<(&str, i64)>,
    seen: &[(&str, i64)],
) -> [u8; 32] {
    let mut h = Sha256::new();
    for s in [origin, scope, change_id, entity, entity_id, field, value] {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    h.update(seq.to_le_bytes());
    h.update(hlc.to_le_bytes());
    for l in [prev, merged] {
        match l {
            None => h.update([0]),
            Some((o, s)) => {
                h.update([1]);
                h.update((o.len() as u64).to_le_bytes());
                h.update(o.as_bytes());
                h.update(s.to_le_bytes());
            }
        }
    }
    // Only ops that carry a context (format 3) hash one, so every other op's digest is
    // what format 2 computed.
    if !seen.is_empty() {
        h.update([2]);
        h.update((seen.len() as u64).to_le_bytes());
        for (o, s) in seen {
            h.update((o.len() as u64).to_le_bytes());
            h.update(o.as_bytes());
            h.update(s.to_le_bytes());
        }
    }
    h.finalize().into()
}

impl RawOp {
    /// [`op_digest`] of this op.
    pub fn digest(&self) -> [u8; 32] {
        op_digest(
            &self.origin,
            &self.scope,
            self.seq,
            self.hlc,
            &self.change_id,
            &self.entity,
            &self.entity_id,
            &self.field,
            &self.value,
            self.prev.as_ref().map(|(o, s)| (o.as_str(), *s)),
            self.merged.as_ref().map(|(o, s)| (o.as_str(), *s)),
            &self.seen_refs(),
        )
    }

    /// Its context with borrowed origins.
    pub fn seen_refs(&self) -> Vec<(&str, i64)> {
        self.seen.iter().map(|(o, s)| (o.as_str(), *s)).collect()
    }
}

/// Folds op digests, in seq order, into a range hash.
#[derive(Default)]
pub struct RangeHash(Sha256);

impl RangeHash {
    /// Adds the next op's digest.
    pub fn add(&mut self, digest: &[u8; 32]) {
        self.0.update(digest);
    }
    /// The hash in the bundle's text form; starts afresh.
    pub fn take(&mut self) -> String {
        hex(&std::mem::take(&mut self.0).finalize())
    }
}

/// What a bundle says about itself, readable without decoding its ops.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Header {
    /// The sender's device id (the `origin` of its own ops).
    pub sender_device: String,
    /// The name the sender gives itself.
    pub sender_name: String,
    /// When the bundle was made (local time, RFC 3339).
    pub created: String,
    /// Names of the devices it is for, as the sender knows them.
    pub recipients: Vec<String>,
    /// Whether it carries everything in its scopes rather than only what was missing.
    pub full: bool,
    pub ranges: Vec<Range>,
    /// The sender's version vector for the scopes it may share: what it holds.
    pub clock: Vec<(String, String, i64)>,
    pub ops: u64,
    pub hlc_min: i64,
    pub hlc_max: i64,
    /// SHA-256 of the uncompressed body after the header.
    pub sha256: String,
    /// Length in bytes of the uncompressed body after the header: the reader inflates no
    /// more than this (format 1 bundles lack it; then [`MAX_BODY`] bounds them).
    #[serde(default)]
    pub body_len: u64,
    /// Origins the sender used before its current one (it takes a new one when it finds
    /// it was restored from a backup or copied), so their changes are named after it too.
    #[serde(default)]
    pub former_origins: Vec<String>,
    /// Forks the sender knows of: (fork origin, forked origin, scope, first forked seq).
    /// The device whose origin was forked learns from it that it was restored or copied.
    #[serde(default)]
    pub forks: Vec<(String, String, String, i64)>,
    /// Whether ops may carry what their authors had seen (format 3): each op's merged
    /// link then has a flag bit for a context after it. Format 2 bodies lack it.
    #[serde(default)]
    pub causal: bool,
}

/// The most a body may inflate to, whatever its header says: 512 MiB, several times a
/// whole street's history (1M ops inflate to well under 100 MiB).
pub const MAX_BODY: u64 = 512 << 20;
/// The most the JSON header may take: 16 MiB (an office's clock for thousands of
/// buildings is a few MiB).
pub const MAX_HEADER: u64 = 16 << 20;

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// It would inflate past what its header declares or past [`MAX_BODY`]; nothing more
    /// was inflated.
    TooLarge(String),
    /// It is not a well-formed body.
    Malformed(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::TooLarge(s) | DecodeError::Malformed(s) => f.write_str(s),
        }
    }
}

impl From<String> for DecodeError {
    fn from(s: String) -> DecodeError {
        DecodeError::Malformed(s)
    }
}

impl From<&str> for DecodeError {
    fn from(s: &str) -> DecodeError {
        DecodeError::Malformed(s.to_string())
    }
}

/// One journal row (活动记录) travelling with its ops, so the office sees who did what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalRow {
    pub id: String,
    pub origin: String,
    pub hlc: i64,
    pub at: String,
    pub author: String,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub building_id: Option<String>,
    pub summary: String,
    pub undoes: Option<String>,
}

/// An op as read from a bundle, before its entity and field are checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawOp {
    pub origin: String,
    pub scope: String,
    pub seq: i64,
    pub hlc: i64,
    pub change_id: String,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    /// The value as JSON text.
    pub value: String,
    pub prev: Option<(String, i64)>,
    pub merged: Option<(String, i64)>,
    /// What its author had seen of the record: (origin, highest seq held), format 3.
    pub seen: Vec<(String, i64)>,
}

/// Builds a body op by op, interning repeated strings.
#[derive(Default)]
pub struct Writer {
    strings: Vec<u8>,
    index: HashMap<String, u64>,
    ops: Vec<u8>,
    count: u64,
    last_hlc: i64,
    pub hlc_min: i64,
    pub hlc_max: i64,
    range: RangeHash,
    /// Writes format 2's layout (no context flag), to test that it is still read.
    #[cfg(test)]
    format2: bool,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(super) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

impl Writer {
    fn intern(&mut self, s: &str) -> u64 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.index.len() as u64;
        match uuid::Uuid::parse_str(s) {
            Ok(u) if u.hyphenated().to_string() == s => {
                self.strings.push(1);
                self.strings.extend_from_slice(u.as_bytes());
            }
            _ => {
                self.strings.push(0);
                put_varint(&mut self.strings, s.len() as u64);
                self.strings.extend_from_slice(s.as_bytes());
            }
        }
        self.index.insert(s.to_string(), i);
        i
    }

    /// Appends one op.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        origin: &str,
        scope: &str,
        seq: i64,
        hlc: i64,
        change_id: &str,
        entity: &str,
        entity_id: &str,
        field: &str,
        value: &str,
        prev: Option<(&str, i64)>,
        merged: Option<(&str, i64)>,
        seen: &[(&str, i64)],
    ) {
        self.range.add(&op_digest(
            origin, scope, seq, hlc, change_id, entity, entity_id, field, value, prev, merged, seen,
        ));
        let ids = [
            self.intern(origin),
            self.intern(scope),
            self.intern(change_id),
            self.intern(entity),
            self.intern(entity_id),
            self.intern(field),
        ];
        let links = [prev, merged].map(|l| l.map(|(o, s)| (self.intern(o), s)));
        let seen: Vec<(u64, i64)> = seen.iter().map(|(o, s)| (self.intern(o), *s)).collect();
        for i in ids {
            put_varint(&mut self.ops, i);
        }
        put_varint(&mut self.ops, seq as u64);
        put_varint(&mut self.ops, zigzag(hlc.wrapping_sub(self.last_hlc)));
        self.last_hlc = hlc;
        put_varint(&mut self.ops, value.len() as u64);
        self.ops.extend_from_slice(value.as_bytes());
        // The merged link's lowest bit says a context follows (format 3).
        let shift = !self.legacy();
        for (i, l) in links.into_iter().enumerate() {
            let flag = u64::from(i == 1 && !seen.is_empty());
            let tag = |o: u64| if i == 1 && shift { (o << 1) | flag } else { o };
            match l {
                None => put_varint(&mut self.ops, tag(0)),
                Some((o, s)) => {
                    put_varint(&mut self.ops, tag(o + 1));
                    put_varint(&mut self.ops, s as u64);
                }
            }
        }
        if !seen.is_empty() && shift {
            put_varint(&mut self.ops, seen.len() as u64);
            for (o, s) in seen {
                put_varint(&mut self.ops, o);
                put_varint(&mut self.ops, s as u64);
            }
        }
        if self.count == 0 || hlc < self.hlc_min {
            self.hlc_min = hlc;
        }
        self.hlc_max = self.hlc_max.max(hlc);
        self.count += 1;
    }

    #[cfg(test)]
    fn legacy(&self) -> bool {
        self.format2
    }

    #[cfg(not(test))]
    fn legacy(&self) -> bool {
        false
    }

    /// The hash of the ops pushed since the last call: call it after each range.
    pub fn take_range_hash(&mut self) -> String {
        self.range.take()
    }

    /// Number of ops pushed.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Compresses header and body; fills in the header's count and hash. A journal or header
    /// that cannot be written, or a compressor that fails, is an error, never an empty body.
    pub fn finish(self, mut header: Header, journal: &[JournalRow]) -> Result<Vec<u8>, String> {
        let mut body = Vec::with_capacity(self.strings.len() + self.ops.len() + 64);
        put_varint(&mut body, self.index.len() as u64);
        body.extend_from_slice(&self.strings);
        put_varint(&mut body, self.count);
        body.extend_from_slice(&self.ops);
        let j = serde_json::to_vec(journal).map_err(|e| format!("journal: {e}"))?;
        put_varint(&mut body, j.len() as u64);
        body.extend_from_slice(&j);
        header.ops = self.count;
        header.causal = !self.legacy();
        header.hlc_min = self.hlc_min;
        header.hlc_max = self.hlc_max;
        header.sha256 = hex(&Sha256::digest(&body));
        header.body_len = body.len() as u64;
        if header.body_len > MAX_BODY {
            return Err(format!(
                "the bundle would hold {} MiB, more than the {} MiB a bundle may; export fewer buildings at a time",
                header.body_len >> 20,
                MAX_BODY >> 20
            ));
        }
        let h = serde_json::to_vec(&header).map_err(|e| format!("header: {e}"))?;
        let hlen = u32::try_from(h.len()).map_err(|_| "header too large".to_string())?;
        let mut enc = DeflateEncoder::new(Vec::with_capacity(body.len() / 3), Compression::new(6));
        let deflate = |e: std::io::Error| format!("compression: {e}");
        enc.write_all(&hlen.to_le_bytes()).map_err(deflate)?;
        enc.write_all(&h).map_err(deflate)?;
        enc.write_all(&body).map_err(deflate)?;
        enc.finish().map_err(deflate)
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

mod read;
#[cfg(test)]
mod tests;

pub use read::{Body, OpAt, OpRef, decode, read_header};
