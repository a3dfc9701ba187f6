//! The bundle file's outer layer: magic, format version, the sender's public keys, one key
//! stanza per recipient (or passphrase), then the encrypted body and a signature over all
//! of it. Everything a stranger can read is that it is a louzu bundle and which key signed
//! it. See `docs/bundle-format.md`.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, XChaCha20Poly1305};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

use super::SyncError;
use super::identity::{DeviceKey, Identity, fill_random, random32};

/// First bytes of every bundle.
pub const MAGIC: &[u8; 8] = b"LOUZU\x1aB\x01";
/// The format this build writes and the newest it reads.
pub const FORMAT: u16 = 3;

const STANZA_DEVICE: u8 = 1;
const STANZA_PASSPHRASE: u8 = 2;
const WRAPPED: usize = 48;
const SIG: usize = 64;
/// Fixed-size start: magic, version, two keys, stanza count.
const FIXED: usize = 8 + 2 + 32 + 32 + 2;
/// Versions above this are not "a newer louzu" but damage: louzu bumps the format once
/// in a long while, so a version in the thousands is noise after the magic.
const MAX_PLAUSIBLE_FORMAT: u16 = 64;
/// Most key stanzas a bundle may carry (louzu writes one per recipient device plus at most
/// one passphrase); each is an X25519 or, once, an Argon2 computation for the reader.
pub const MAX_STANZAS: usize = 32;
/// Largest bundle file read: the largest body plus room for the header.
pub const MAX_FILE: u64 = super::codec::MAX_BODY + (1 << 20);

/// Who may open a bundle.
pub enum Recipient {
    /// A trusted device, by its X25519 public key.
    Device([u8; 32]),
    /// Anyone who knows the passphrase.
    Passphrase(String),
}

/// The Argon2id cost louzu writes for a passphrase stanza (argon2's recommended defaults:
/// 19 MiB, 2 passes, 1 lane). A reader accepts exactly this and nothing else, so a forged
/// header cannot make it spend a gigabyte or a minute per stanza.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon {
    /// Memory in KiB.
    pub m: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

/// What this build writes and the only cost it reads.
pub const ARGON: Argon = Argon {
    m: argon2::Params::DEFAULT_M_COST,
    t: argon2::Params::DEFAULT_T_COST,
    p: argon2::Params::DEFAULT_P_COST,
};

/// Encrypts `body` (already compressed) to the recipients, signs everything and returns the
/// file's bytes. Every failure (a key that cannot be derived, a cipher that refuses) is an
/// error: nothing is ever sealed with a fallback key.
pub fn seal(me: &Identity, recipients: &[Recipient], body: &[u8]) -> Result<Vec<u8>, SyncError> {
    seal_with(me, recipients, body, ARGON)
}

/// [`seal`] with a chosen Argon2 cost (tests feed it one argon2 rejects).
pub(crate) fn seal_with(
    me: &Identity,
    recipients: &[Recipient],
    body: &[u8],
    argon: Argon,
) -> Result<Vec<u8>, SyncError> {
    let fail = |detail: &str| SyncError::Seal {
        detail: detail.to_string(),
    };
    let mut seen = std::collections::HashSet::new();
    let mut passphrases = 0;
    let recipients: Vec<&Recipient> = recipients
        .iter()
        .filter(|r| match r {
            Recipient::Device(k) => seen.insert(*k),
            Recipient::Passphrase(_) => {
                passphrases += 1;
                passphrases == 1
            }
        })
        .collect();
    if passphrases > 1 {
        return Err(fail("a bundle takes one passphrase"));
    }
    if recipients.len() > MAX_STANZAS {
        return Err(SyncError::Seal {
            detail: format!(
                "{} recipients, a bundle may have at most {MAX_STANZAS}; export in several parts",
                recipients.len()
            ),
        });
    }
    let body_key = random32()?;
    let key = me.key();
    let mut out = Vec::with_capacity(body.len() + 512);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&key.sign);
    out.extend_from_slice(&key.dh);
    out.extend_from_slice(&(recipients.len() as u16).to_le_bytes());
    for r in recipients {
        match r {
            Recipient::Device(their) => {
                let eph = StaticSecret::from(random32()?);
                let eph_pub = PublicKey::from(&eph);
                let shared = eph.diffie_hellman(&PublicKey::from(*their));
                if !shared.was_contributory() {
                    return Err(fail("a recipient's device key is not a usable X25519 key"));
                }
                let wrap = device_wrap_key(shared.as_bytes(), eph_pub.as_bytes(), their)
                    .ok_or_else(|| fail("HKDF refused to derive a device wrapping key"))?;
                out.push(STANZA_DEVICE);
                out.extend_from_slice(eph_pub.as_bytes());
                out.extend_from_slice(
                    &wrap_key(&wrap, &body_key)
                        .ok_or_else(|| fail("could not wrap the body key"))?,
                );
            }
            Recipient::Passphrase(p) => {
                let mut salt = [0u8; 16];
                fill_random(&mut salt)?;
                let wrap = passphrase_key(p, &salt, argon).map_err(|e| SyncError::Seal {
                    detail: format!("Argon2 could not derive the passphrase key: {e}"),
                })?;
                out.push(STANZA_PASSPHRASE);
                out.extend_from_slice(&salt);
                out.extend_from_slice(&argon.m.to_le_bytes());
                out.extend_from_slice(&argon.t.to_le_bytes());
                out.extend_from_slice(&argon.p.to_le_bytes());
                out.extend_from_slice(
                    &wrap_key(&wrap, &body_key)
                        .ok_or_else(|| fail("could not wrap the body key"))?,
                );
            }
        }
    }
    let header_end = out.len();
    let mut nonce = [0u8; 24];
    fill_random(&mut nonce)?;
    let cipher = XChaCha20Poly1305::new((&body_key).into());
    let sealed = cipher
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: body,
                aad: &out[..header_end],
            },
        )
        .map_err(|_| fail("the body cipher refused to encrypt"))?;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&(sealed.len() as u64).to_le_bytes());
    out.extend_from_slice(&sealed);
    let sig = me.sign.sign(&out);
    out.extend_from_slice(&sig.to_bytes());
    Ok(out)
}

/// A key stanza as read from a file.
enum Stanza {
    Device {
        eph: [u8; 32],
        wrapped: [u8; WRAPPED],
    },
    Passphrase {
        salt: [u8; 16],
        m: u32,
        t: u32,
        p: u32,
        wrapped: [u8; WRAPPED],
    },
}

/// A bundle's outer layer, parsed but not yet verified or opened.
pub struct Outer<'a> {
    pub sender: DeviceKey,
    stanzas: Vec<Stanza>,
    header_end: usize,
    nonce: [u8; 24],
    sealed: &'a [u8],
    signed: &'a [u8],
    signature: [u8; SIG],
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn arr<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).and_then(|s| s.try_into().ok())
    }
    fn u32(&mut self) -> Option<u32> {
        self.arr().map(u32::from_le_bytes)
    }
}

impl<'a> Outer<'a> {
    /// Reads the layout, refusing what is not a bundle, a newer format, a damaged or cut
    /// short file, an over-large one, a passphrase cost louzu never writes and recipient
    /// lists it never writes — each with its own error. Nothing is decrypted or trusted yet.
    pub fn parse(bytes: &'a [u8], file: &Path) -> Result<Outer<'a>, SyncError> {
        let corrupt = |detail: &str| SyncError::Corrupt {
            file: file.to_path_buf(),
            detail: detail.to_string(),
        };
        let n = bytes.len().min(MAGIC.len());
        if bytes.is_empty() || bytes[..n] != MAGIC[..n] {
            return Err(SyncError::NotBundle {
                file: file.to_path_buf(),
            });
        }
        if bytes.len() as u64 > MAX_FILE {
            return Err(SyncError::TooLarge {
                file: file.to_path_buf(),
                detail: format!(
                    "{} MiB, more than {} MiB",
                    bytes.len() >> 20,
                    MAX_FILE >> 20
                ),
            });
        }
        // A cut inside the fixed start: only the magic (or part of it) is there.
        let truncated = |expected: u64| SyncError::Truncated {
            file: file.to_path_buf(),
            expected,
            found: bytes.len() as u64,
        };
        if bytes.len() < 10 {
            return Err(truncated(FIXED as u64));
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        match version {
            0 => return Err(corrupt("format version 0")),
            v if v > MAX_PLAUSIBLE_FORMAT => {
                return Err(corrupt(&format!(
                    "format version {v} is not one louzu uses"
                )));
            }
            v if v > FORMAT => {
                return Err(SyncError::TooNew {
                    file: file.to_path_buf(),
                    found: v,
                    supported: FORMAT,
                });
            }
            _ => {}
        }
        let mut c = Cursor { bytes, at: 10 };
        // Past the fixed start a short file cannot say how long it should have been.
        let short = || corrupt("it ends in the middle of its header");
        let sign: [u8; 32] = c.arr().ok_or_else(short)?;
        let dh: [u8; 32] = c.arr().ok_or_else(short)?;
        let count = u16::from_le_bytes(c.arr().ok_or_else(short)?);
        if usize::from(count) > MAX_STANZAS {
            return Err(SyncError::BadRecipients {
                file: file.to_path_buf(),
                detail: format!("{count} recipients, louzu writes at most {MAX_STANZAS}"),
            });
        }
        let mut stanzas = Vec::with_capacity(usize::from(count));
        let mut ephs = std::collections::HashSet::new();
        for _ in 0..count {
            let kind = c.take(1).ok_or_else(short)?[0];
            match kind {
                STANZA_DEVICE => {
                    let eph: [u8; 32] = c.arr().ok_or_else(short)?;
                    if !ephs.insert(eph) {
                        return Err(SyncError::BadRecipients {
                            file: file.to_path_buf(),
                            detail: "the same recipient key twice".into(),
                        });
                    }
                    stanzas.push(Stanza::Device {
                        eph,
                        wrapped: c.arr().ok_or_else(short)?,
                    })
                }
                STANZA_PASSPHRASE => {
                    let salt = c.arr().ok_or_else(short)?;
                    let (m, t, p) = (
                        c.u32().ok_or_else(short)?,
                        c.u32().ok_or_else(short)?,
                        c.u32().ok_or_else(short)?,
                    );
                    if (Argon { m, t, p }) != ARGON {
                        return Err(SyncError::PassphraseCost {
                            file: file.to_path_buf(),
                            m,
                            t,
                            p,
                            want_m: ARGON.m,
                            want_t: ARGON.t,
                            want_p: ARGON.p,
                        });
                    }
                    if stanzas
                        .iter()
                        .any(|s| matches!(s, Stanza::Passphrase { .. }))
                    {
                        return Err(SyncError::BadRecipients {
                            file: file.to_path_buf(),
                            detail: "two passphrases".into(),
                        });
                    }
                    stanzas.push(Stanza::Passphrase {
                        salt,
                        m,
                        t,
                        p,
                        wrapped: c.arr().ok_or_else(short)?,
                    })
                }
                k => return Err(corrupt(&format!("unknown recipient kind {k}"))),
            }
        }
        let header_end = c.at;
        let nonce: [u8; 24] = c.arr().ok_or_else(short)?;
        let len = u64::from_le_bytes(c.arr().ok_or_else(short)?);
        let expected = (c.at as u64).saturating_add(len).saturating_add(SIG as u64);
        if (bytes.len() as u64) < expected {
            // An honest length a copy stopped short of, or a damaged one no file could have.
            return Err(if expected <= MAX_FILE {
                truncated(expected)
            } else {
                corrupt("its length field is impossible")
            });
        }
        if (bytes.len() as u64) > expected {
            return Err(corrupt("there are bytes after its signature"));
        }
        let sealed = c.take(len as usize).ok_or_else(short)?;
        let signed = &bytes[..c.at];
        let signature: [u8; SIG] = c.arr().ok_or_else(short)?;
        Ok(Outer {
            sender: DeviceKey { sign, dh },
            stanzas,
            header_end,
            nonce,
            sealed,
            signed,
            signature,
        })
    }

    /// Checks the signature against the sender's key (the caller has checked that key is
    /// trusted).
    pub fn verify(&self) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(&self.sender.sign) else {
            return false;
        };
        key.verify(self.signed, &Signature::from_bytes(&self.signature))
            .is_ok()
    }

    /// Whether any stanza is for a passphrase.
    pub fn has_passphrase(&self) -> bool {
        self.stanzas
            .iter()
            .any(|s| matches!(s, Stanza::Passphrase { .. }))
    }

    /// Decrypts the body with this device's key or the passphrase. `None` when no stanza
    /// opens with either.
    pub fn open(&self, me: &Identity, passphrase: Option<&str>) -> Option<Vec<u8>> {
        let my_pub = PublicKey::from(&me.dh);
        for s in &self.stanzas {
            let key = match s {
                Stanza::Device { eph, wrapped } => {
                    let shared = me.dh.diffie_hellman(&PublicKey::from(*eph));
                    if !shared.was_contributory() {
                        continue;
                    }
                    device_wrap_key(shared.as_bytes(), eph, my_pub.as_bytes())
                        .and_then(|wrap| unwrap_key(&wrap, wrapped))
                }
                Stanza::Passphrase {
                    salt,
                    m,
                    t,
                    p,
                    wrapped,
                } => {
                    let Some(pass) = passphrase else { continue };
                    // `parse` let through only the cost louzu writes.
                    passphrase_key(
                        pass,
                        salt,
                        Argon {
                            m: *m,
                            t: *t,
                            p: *p,
                        },
                    )
                    .ok()
                    .and_then(|w| unwrap_key(&w, wrapped))
                }
            };
            if let Some(key) = key {
                let cipher = XChaCha20Poly1305::new((&key).into());
                return cipher
                    .decrypt(
                        (&self.nonce).into(),
                        Payload {
                            msg: self.sealed,
                            aad: &self.signed[..self.header_end],
                        },
                    )
                    .ok();
            }
        }
        None
    }
}

fn device_wrap_key(shared: &[u8; 32], eph: &[u8; 32], recipient: &[u8; 32]) -> Option<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(eph);
    salt[32..].copy_from_slice(recipient);
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut out = [0u8; 32];
    hk.expand(b"louzu bundle v1 device key", &mut out).ok()?;
    Some(out)
}

fn passphrase_key(pass: &str, salt: &[u8; 16], argon: Argon) -> Result<[u8; 32], argon2::Error> {
    let params = argon2::Params::new(argon.m, argon.t, argon.p, Some(32))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    a.hash_password_into(pass.as_bytes(), salt, &mut out)?;
    Ok(out)
}

/// Each wrapping key is used once (fresh ephemeral key or fresh salt), so a zero nonce is
/// safe here. `None` only if the cipher refuses, which the caller reports.
fn wrap_key(wrap: &[u8; 32], body_key: &[u8; 32]) -> Option<[u8; WRAPPED]> {
    let c = ChaCha20Poly1305::new(wrap.into());
    let v = c.encrypt(&[0u8; 12].into(), body_key.as_slice()).ok()?;
    v.try_into().ok()
}

fn unwrap_key(wrap: &[u8; 32], wrapped: &[u8; WRAPPED]) -> Option<[u8; 32]> {
    let c = ChaCha20Poly1305::new(wrap.into());
    let v = c.decrypt(&[0u8; 12].into(), wrapped.as_slice()).ok()?;
    v.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> (tempfile::TempDir, Identity) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("a.db")).unwrap();
        let id = Identity::load_or_create(&store).unwrap();
        (dir, id)
    }

    #[test]
    fn a_key_derivation_failure_is_an_error_not_a_zero_key() {
        let (_d, me) = identity();
        // Argon2 refuses less than 8 KiB of memory per lane.
        let bad = Argon { m: 1, t: 1, p: 1 };
        let pass = [Recipient::Passphrase("口令".into())];
        let err = seal_with(&me, &pass, b"body", bad).unwrap_err();
        assert!(matches!(err, SyncError::Seal { .. }), "{err}");
        assert!(err.to_string().contains("Argon2"), "{err}");
        // A recipient key that makes a degenerate shared secret is refused too.
        let err = seal(&me, &[Recipient::Device([0; 32])], b"body").unwrap_err();
        assert!(matches!(err, SyncError::Seal { .. }), "{err}");
        // The cost louzu writes seals.
        assert!(seal(&me, &pass, b"body").is_ok());
    }

    fn sealed_with_passphrase() -> Vec<u8> {
        let (_d, me) = identity();
        seal(&me, &[Recipient::Passphrase("口令".into())], b"body").unwrap()
    }

    fn parse_err(bytes: &[u8]) -> SyncError {
        match Outer::parse(bytes, Path::new("b.louzu")) {
            Err(e) => e,
            Ok(_) => panic!("parsed"),
        }
    }

    #[test]
    fn each_damage_says_what_it_is() {
        let good = sealed_with_passphrase();
        assert!(Outer::parse(&good, Path::new("b.louzu")).is_ok());
        // Garbage after the magic is damage, not "upgrade louzu (version 53106)".
        let mut b = good.clone();
        b[8..10].copy_from_slice(&53106u16.to_le_bytes());
        let e = parse_err(&b);
        assert!(matches!(e, SyncError::Corrupt { .. }), "{e}");
        assert!(!e.to_string().contains("升级"), "{e}");
        // A small next version is a newer louzu.
        b[8..10].copy_from_slice(&(FORMAT + 1).to_le_bytes());
        let e = parse_err(&b);
        assert!(matches!(e, SyncError::TooNew { .. }), "{e}");
        assert!(e.to_string().contains("请升级 louzu"), "{e}");
        // An impossible length says damaged, with no 19-digit byte count.
        let mut b = good.clone();
        let len_at = FIXED + 1 + 16 + 12 + WRAPPED + 24;
        b[len_at..len_at + 8].copy_from_slice(&0x1fac_e0ff_1234_5678u64.to_le_bytes());
        let e = parse_err(&b);
        assert!(matches!(e, SyncError::Corrupt { .. }), "{e}");
        assert!(!e.to_string().contains("2282"), "{e}");
        // A plausible one a copy stopped short of says how much is missing.
        let e = parse_err(&good[..good.len() - 10]);
        assert!(matches!(e, SyncError::Truncated { .. }), "{e}");
        // An Argon2 cost louzu never writes has its own message, not "wrong passphrase".
        let mut b = good.clone();
        let m_at = FIXED + 1 + 16;
        b[m_at..m_at + 4].copy_from_slice(&(1u32 << 20).to_le_bytes());
        let e = parse_err(&b);
        assert!(
            matches!(e, SyncError::PassphraseCost { m: 1048576, .. }),
            "{e}"
        );
        assert!(!e.to_string().contains("口令不对"), "{e}");
        let mut b = good.clone();
        b[m_at + 4..m_at + 8].copy_from_slice(&64u32.to_le_bytes());
        assert!(matches!(
            parse_err(&b),
            SyncError::PassphraseCost { t: 64, .. }
        ));
        // 65,535 stanzas are refused before any is read.
        let mut b = good.clone();
        b[FIXED - 2..FIXED].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(matches!(parse_err(&b), SyncError::BadRecipients { .. }));
    }

    #[test]
    fn one_stanza_per_recipient() {
        let (_d, me) = identity();
        let (_d2, other) = identity();
        let k = other.key().dh;
        let b = seal(&me, &[Recipient::Device(k), Recipient::Device(k)], b"body").unwrap();
        let outer = Outer::parse(&b, Path::new("b")).unwrap();
        assert_eq!(
            outer.stanzas.len(),
            1,
            "the same device twice is one stanza"
        );
        let two = [
            Recipient::Passphrase("a".into()),
            Recipient::Passphrase("b".into()),
        ];
        assert!(matches!(seal(&me, &two, b"x"), Err(SyncError::Seal { .. })));
        let many: Vec<Recipient> = (0..=MAX_STANZAS as u8)
            .map(|i| {
                let s = StaticSecret::from([i.wrapping_add(1); 32]);
                Recipient::Device(PublicKey::from(&s).to_bytes())
            })
            .collect();
        assert!(matches!(
            seal(&me, &many, b"x"),
            Err(SyncError::Seal { .. })
        ));
        // A forged file with one device stanza twice is refused.
        let mut forged = b[..FIXED].to_vec();
        forged[FIXED - 2..].copy_from_slice(&2u16.to_le_bytes());
        let stanza = &b[FIXED..FIXED + 1 + 32 + WRAPPED];
        forged.extend_from_slice(stanza);
        forged.extend_from_slice(stanza);
        forged.extend_from_slice(&b[FIXED + stanza.len()..]);
        assert!(matches!(
            parse_err(&forged),
            SyncError::BadRecipients { .. }
        ));
    }
}
