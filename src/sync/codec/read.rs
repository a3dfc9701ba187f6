//! Reading a body: the header alone (cheap), the whole body as values, or a [`Body`] kept
//! as its bytes with each op read where it lies. Every reader bounds memory by what the
//! header declares before the bytes arrive.

use std::io::Read;

use flate2::read::DeflateDecoder;
use sha2::{Digest, Sha256};

use super::{DecodeError, Header, JournalRow, MAX_BODY, MAX_HEADER, RawOp, hex, unzigzag};

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

    /// An op's prev and merged links and, in a format 3 body (`causal`), the context the
    /// merged link's lowest bit announces: string indexes with seqs.
    fn links(&mut self, causal: bool) -> Result<Links, String> {
        let mut links = [None, None];
        let mut has_seen = false;
        for (i, l) in links.iter_mut().enumerate() {
            let mut o = self.varint()?;
            if i == 1 && causal {
                has_seen = o & 1 == 1;
                o >>= 1;
            }
            if o > 0 {
                *l = Some((o - 1, self.varint()? as i64));
            }
        }
        let mut seen = Vec::new();
        if has_seen {
            let n = self.varint()?;
            // Each entry takes at least two bytes.
            if n as usize > self.b.len().saturating_sub(self.at) / 2 {
                return Err("context longer than the body".into());
            }
            for _ in 0..n {
                seen.push((self.varint()?, self.varint()? as i64));
            }
        }
        Ok((links, seen))
    }
}

/// An op's links (prev, merged) and context, as string indexes and seqs.
type Links = ([Option<(u64, i64)>; 2], Vec<(u64, i64)>);

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
        let ([prev, merged], seen) = r.links(header.causal)?;
        let link = |l: Option<(u64, i64)>| -> Result<Option<(String, i64)>, String> {
            l.map(|(o, s)| Ok((get(o)?.clone(), s))).transpose()
        };
        let (prev, merged) = (link(prev)?, link(merged)?);
        let seen = seen
            .into_iter()
            .map(|(o, s)| Ok((get(o)?.clone(), s)))
            .collect::<Result<Vec<_>, String>>()?;
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
            seen,
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
#[derive(Debug, Clone)]
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
    /// What its author had seen of the record (format 3; empty for most ops).
    pub seen: Vec<(&'a str, i64)>,
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
        let ([prev, merged], seen) = r.links(self.header.causal)?;
        let link = |l: Option<(u64, i64)>| -> Result<Option<(&str, i64)>, String> {
            l.map(|(o, s)| Ok((self.string(self.check(o)?), s)))
                .transpose()
        };
        let (prev, merged) = (link(prev)?, link(merged)?);
        let seen = seen
            .into_iter()
            .map(|(o, s)| Ok((self.string(self.check(o)?), s)))
            .collect::<Result<Vec<_>, String>>()?;
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
            seen,
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
        let (links, seen) = r.links(self.header.causal)?;
        for (o, _) in links.into_iter().flatten().chain(seen) {
            self.check(o)?;
        }
        Ok((ids, r.at, hlc))
    }
}
