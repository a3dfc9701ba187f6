//! The bundle's body before encryption: a JSON header (sender, ranges, version vector,
//! counts, hash) and the ops in a compact binary form (each repeated string — device,
//! scope, record and change ids — written once in a table, UUIDs as 16 bytes, numbers as
//! varints), then the journal rows of the changes the ops belong to. All of it
//! deflate-compressed.

use std::collections::HashMap;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
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
        )
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

fn unzigzag(v: u64) -> i64 {
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
    ) {
        self.range.add(&op_digest(
            origin, scope, seq, hlc, change_id, entity, entity_id, field, value, prev, merged,
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
        for i in ids {
            put_varint(&mut self.ops, i);
        }
        put_varint(&mut self.ops, seq as u64);
        put_varint(&mut self.ops, zigzag(hlc.wrapping_sub(self.last_hlc)));
        self.last_hlc = hlc;
        put_varint(&mut self.ops, value.len() as u64);
        self.ops.extend_from_slice(value.as_bytes());
        for l in links {
            match l {
                None => put_varint(&mut self.ops, 0),
                Some((o, s)) => {
                    put_varint(&mut self.ops, o + 1);
                    put_varint(&mut self.ops, s as u64);
                }
            }
        }
        if self.count == 0 || hlc < self.hlc_min {
            self.hlc_min = hlc;
        }
        self.hlc_max = self.hlc_max.max(hlc);
        self.count += 1;
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

/// Reads only the header (cheap: the ops are not decompressed).
pub fn read_header(compressed: &[u8]) -> Result<Header, DecodeError> {
    let mut d = DeflateDecoder::new(compressed);
    header_from(&mut d)
}

/// Reads at most `limit` bytes, growing the buffer only as bytes actually arrive (a
/// declared length is never allocated up front); `TooLarge` if more would follow.
fn read_limited(d: &mut impl Read, limit: u64, what: &str) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(limit.min(1 << 20) as usize);
    d.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Malformed(format!("{what}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(DecodeError::TooLarge(format!(
            "{what} inflates past {limit} bytes"
        )));
    }
    Ok(out)
}

fn header_from(d: &mut impl Read) -> Result<Header, DecodeError> {
    let mut len = [0u8; 4];
    d.read_exact(&mut len)
        .map_err(|e| DecodeError::Malformed(format!("header: {e}")))?;
    let len = u64::from(u32::from_le_bytes(len));
    if len > MAX_HEADER {
        return Err(DecodeError::TooLarge(format!(
            "header declares {len} bytes, more than {MAX_HEADER}"
        )));
    }
    let h = read_limited(&mut d.take(len), len, "header")?;
    if (h.len() as u64) < len {
        return Err("header cut short".into());
    }
    serde_json::from_slice(&h).map_err(|e| DecodeError::Malformed(format!("header: {e}")))
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.b.get(self.at).ok_or("ops cut short")?;
            self.at += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("bad number".into())
    }
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).ok_or("bad length")?;
        let s = self.b.get(self.at..end).ok_or("ops cut short")?;
        self.at = end;
        Ok(s)
    }
    fn text(&mut self) -> Result<&'a str, String> {
        let n = self.varint()? as usize;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| "text is not UTF-8".to_string())
    }
}

/// Decodes a whole body: header, ops (in bundle order) and journal rows. Checks the hash.
/// Memory is bounded before it grows: the body is inflated only up to the length its header
/// declares (and never past [`MAX_BODY`]), and no table is sized from a count the bytes
/// cannot hold.
pub fn decode(compressed: &[u8]) -> Result<(Header, Vec<RawOp>, Vec<JournalRow>), DecodeError> {
    let mut d = DeflateDecoder::new(compressed);
    let header = header_from(&mut d)?;
    let limit = match header.body_len {
        0 => MAX_BODY,
        n if n > MAX_BODY => {
            return Err(DecodeError::TooLarge(format!(
                "header declares a {n}-byte body, more than {MAX_BODY}"
            )));
        }
        n => n,
    };
    let body = read_limited(&mut d, limit, "body")?;
    if header.body_len != 0 && body.len() as u64 != header.body_len {
        return Err("body is shorter than its header says".into());
    }
    if hex(&Sha256::digest(&body)) != header.sha256 {
        return Err("body hash does not match its header".into());
    }
    let mut r = Reader { b: &body, at: 0 };
    let n = r.varint()? as usize;
    // Each string takes at least two bytes.
    let mut strings: Vec<String> = Vec::with_capacity(n.min(body.len() / 2));
    for _ in 0..n {
        match r.bytes(1)?[0] {
            1 => {
                let b: [u8; 16] = r.bytes(16)?.try_into().map_err(|_| "bad id")?;
                strings.push(uuid::Uuid::from_bytes(b).hyphenated().to_string());
            }
            0 => strings.push(r.text()?.to_string()),
            _ => return Err("bad string tag".into()),
        }
    }
    let get = |i: u64| -> Result<&String, String> {
        strings
            .get(i as usize)
            .ok_or_else(|| "string index out of range".to_string())
    };
    let count = r.varint()?;
    if count != header.ops {
        return Err("op count does not match its header".into());
    }
    // Each op takes at least 11 bytes (six ids, seq, clock, value length, two links).
    let mut ops = Vec::with_capacity((count as usize).min((body.len() - r.at) / 11));
    let mut hlc = 0i64;
    for _ in 0..count {
        let mut ids = [0u64; 6];
        for id in &mut ids {
            *id = r.varint()?;
        }
        let seq = r.varint()? as i64;
        // Clocks are delta-coded; the wrapping add undoes the writer's wrapping subtract
        // exactly. Whether the clock is plausible is the importer's check.
        hlc = hlc.wrapping_add(unzigzag(r.varint()?));
        let value = r.text()?.to_string();
        let mut links = [None, None];
        for l in &mut links {
            let o = r.varint()?;
            if o > 0 {
                *l = Some((get(o - 1)?.clone(), r.varint()? as i64));
            }
        }
        let [prev, merged] = links;
        ops.push(RawOp {
            origin: get(ids[0])?.clone(),
            scope: get(ids[1])?.clone(),
            seq,
            hlc,
            change_id: get(ids[2])?.clone(),
            entity: get(ids[3])?.clone(),
            entity_id: get(ids[4])?.clone(),
            field: get(ids[5])?.clone(),
            value,
            prev,
            merged,
        });
    }
    let j = r.text()?;
    let journal = serde_json::from_str(j).map_err(|e| format!("journal: {e}"))?;
    Ok((header, ops, journal))
}

/// A decoded body kept as its bytes: ops are read one at a time where they lie, so an
/// import of a million ops never holds them all as values (see [`Body::index`]).
pub struct Body {
    pub header: Header,
    bytes: Vec<u8>,
    strings: Vec<String>,
    ops_at: usize,
    pub journal: Vec<JournalRow>,
}

/// Where one op lies in a [`Body`], with what ordering and filtering need.
#[derive(Debug, Clone, Copy)]
pub struct OpAt {
    pub at: u32,
    pub origin: u32,
    pub scope: u32,
    pub seq: i64,
    pub hlc: i64,
}

/// An op read from a [`Body`], borrowing its text.
#[derive(Debug, Clone, Copy)]
pub struct OpRef<'a> {
    pub origin: &'a str,
    pub scope: &'a str,
    pub seq: i64,
    pub hlc: i64,
    pub change_id: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub field: &'a str,
    pub value: &'a str,
    pub prev: Option<(&'a str, i64)>,
    pub merged: Option<(&'a str, i64)>,
}

impl Body {
    /// Inflates and checks a body (its hash), reads its string table and journal; the
    /// ops stay encoded.
    /// Memory is bounded as in [`decode`]: never inflated past the declared length (nor
    /// [`MAX_BODY`]).
    pub fn open(compressed: &[u8]) -> Result<Body, DecodeError> {
        let mut d = DeflateDecoder::new(compressed);
        let header = header_from(&mut d)?;
        let limit = match header.body_len {
            0 => MAX_BODY,
            n if n > MAX_BODY => {
                return Err(DecodeError::TooLarge(format!(
                    "header declares a {n}-byte body, more than {MAX_BODY}"
                )));
            }
            n => n,
        };
        let bytes = read_limited(&mut d, limit, "body")?;
        if header.body_len != 0 && bytes.len() as u64 != header.body_len {
            return Err("body is shorter than its header says".into());
        }
        if hex(&Sha256::digest(&bytes)) != header.sha256 {
            return Err("body hash does not match its header".into());
        }
        if bytes.len() > u32::MAX as usize {
            return Err("body too large".into());
        }
        let mut r = Reader { b: &bytes, at: 0 };
        let n = r.varint()? as usize;
        // Each string takes at least two bytes.
        let mut strings: Vec<String> = Vec::with_capacity(n.min(bytes.len() / 2));
        for _ in 0..n {
            match r.bytes(1)?[0] {
                1 => {
                    let b: [u8; 16] = r.bytes(16)?.try_into().map_err(|_| "bad id")?;
                    strings.push(uuid::Uuid::from_bytes(b).hyphenated().to_string());
                }
                0 => strings.push(r.text()?.to_string()),
                _ => return Err("bad string tag".into()),
            }
        }
        let count = r.varint()?;
        if count != header.ops {
            return Err("op count does not match its header".into());
        }
        let ops_at = r.at;
        let mut body = Body {
            header,
            bytes: Vec::new(),
            strings,
            ops_at,
            journal: Vec::new(),
        };
        let mut end = ops_at;
        let mut hlc = 0i64;
        for _ in 0..count {
            let (_, next, h) = body.read_at(&bytes, end, hlc)?;
            end = next;
            hlc = h;
        }
        let mut r = Reader { b: &bytes, at: end };
        let j = r.text()?;
        body.journal = serde_json::from_str(j).map_err(|e| format!("journal: {e}"))?;
        body.bytes = bytes;
        Ok(body)
    }

    /// Where every op lies, in bundle order.
    pub fn index(&self) -> Result<Vec<OpAt>, String> {
        let mut out = Vec::with_capacity((self.header.ops as usize).min(self.bytes.len() / 11));
        let mut at = self.ops_at;
        let mut hlc = 0i64;
        for _ in 0..self.header.ops {
            let (op, next, h) = self.read_at(&self.bytes, at, hlc)?;
            out.push(OpAt {
                at: at as u32,
                origin: op[0],
                scope: op[1],
                seq: op[6] as i64,
                hlc: h,
            });
            at = next;
            hlc = h;
        }
        Ok(out)
    }

    /// A string of the body's table.
    pub fn string(&self, i: u32) -> &str {
        self.strings.get(i as usize).map_or("", String::as_str)
    }

    /// The op at `o` (from [`Body::index`]).
    pub fn op(&self, o: &OpAt) -> Result<OpRef<'_>, String> {
        let mut r = Reader {
            b: &self.bytes,
            at: o.at as usize,
        };
        let mut ids = [0u32; 6];
        for id in &mut ids {
            *id = self.check(r.varint()?)?;
        }
        let _seq = r.varint()?;
        let _hlc = r.varint()?;
        let value = r.text()?;
        let mut links = [None, None];
        for l in &mut links {
            let i = r.varint()?;
            if i > 0 {
                let origin = self.check(i - 1)?;
                *l = Some((self.string(origin), r.varint()? as i64));
            }
        }
        let [prev, merged] = links;
        Ok(OpRef {
            origin: self.string(ids[0]),
            scope: self.string(ids[1]),
            seq: o.seq,
            hlc: o.hlc,
            change_id: self.string(ids[2]),
            entity: self.string(ids[3]),
            entity_id: self.string(ids[4]),
            field: self.string(ids[5]),
            value,
            prev,
            merged,
        })
    }

    fn check(&self, i: u64) -> Result<u32, String> {
        if (i as usize) < self.strings.len() {
            Ok(i as u32)
        } else {
            Err("string index out of range".into())
        }
    }

    /// Reads the op at `at`: its six string ids and seq, where the next op starts, and
    /// its clock (the body stores each clock as a difference from the one before).
    fn read_at(&self, b: &[u8], at: usize, hlc: i64) -> Result<([u32; 7], usize, i64), String> {
        let mut r = Reader { b, at };
        let mut ids = [0u32; 7];
        for id in ids.iter_mut().take(6) {
            *id = self.check(r.varint()?)?;
        }
        let seq = r.varint()?;
        ids[6] = u32::try_from(seq).map_err(|_| "bad seq")?;
        let hlc = hlc.wrapping_add(unzigzag(r.varint()?));
        let n = r.varint()? as usize;
        r.bytes(n)?;
        for _ in 0..2 {
            let i = r.varint()?;
            if i > 0 {
                self.check(i - 1)?;
                r.varint()?;
            }
        }
        Ok((ids, r.at, hlc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_round_trip_with_ids_and_links() {
        let id = uuid::Uuid::now_v7().to_string();
        let mut w = Writer::default();
        w.push(
            "dev", "shared", 1, 100, &id, "setting", &id, "key", "\"a\"", None, None,
        );
        w.push(
            "dev",
            "shared",
            2,
            90,
            &id,
            "setting",
            &id,
            "key",
            "\"b\"",
            Some(("dev", 1)),
            Some(("other", 7)),
        );
        let header = Header {
            sender_device: "dev".into(),
            sender_name: "本机".into(),
            created: "2026-01-01T00:00:00+08:00".into(),
            recipients: vec![],
            full: true,
            ranges: vec![],
            clock: vec![],
            ops: 0,
            hlc_min: 0,
            hlc_max: 0,
            sha256: String::new(),
            body_len: 0,
            former_origins: vec![],
            forks: vec![],
        };
        let bytes = w.finish(header, &[]).unwrap();
        let h = read_header(&bytes).unwrap();
        assert_eq!((h.ops, h.hlc_min, h.hlc_max), (2, 90, 100));
        let (_, ops, journal) = decode(&bytes).unwrap();
        assert!(journal.is_empty());
        assert_eq!(ops[1].entity_id, id);
        assert_eq!(ops[1].hlc, 90);
        assert_eq!(ops[1].prev, Some(("dev".into(), 1)));
        assert_eq!(ops[1].merged, Some(("other".into(), 7)));
        assert_eq!(ops[0].value, "\"a\"");
    }
}
