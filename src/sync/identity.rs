//! This device's identity: an Ed25519 key pair that signs its bundles and an X25519 key
//! pair that opens bundles sent to it, made when first needed and kept in the database
//! (created readable by its owner only).

use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

use super::SyncError;
use crate::store::{Store, now_local};

/// A device's public keys: what another device trusts, and what the fingerprint is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceKey {
    /// Ed25519 public key: checks the device's signatures.
    pub sign: [u8; 32],
    /// X25519 public key: bundles for the device are encrypted to it.
    pub dh: [u8; 32],
}

/// Prefix of the text form of a device key.
const KEY_PREFIX: &str = "louzu-device-";

impl DeviceKey {
    /// A short, readable digest people compare by eye or over the phone before trusting:
    /// 20 hex digits in groups of four (80 bits of SHA-256 of both keys).
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.sign);
        h.update(self.dh);
        let d = h.finalize();
        let hex: String = d[..10].iter().map(|b| format!("{b:02x}")).collect();
        hex.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// The key as one line of text (`louzu device` prints it; `louzu trust` accepts it).
    pub fn to_text(&self) -> String {
        let hex: String = self
            .sign
            .iter()
            .chain(self.dh.iter())
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{KEY_PREFIX}{hex}")
    }

    /// Parses [`DeviceKey::to_text`], ignoring surrounding whitespace.
    pub fn from_text(text: &str) -> Option<DeviceKey> {
        let hex = text.trim().strip_prefix(KEY_PREFIX)?;
        if hex.len() != 128 || !hex.is_ascii() {
            return None;
        }
        let bytes: Vec<u8> = (0..64)
            .map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok())
            .collect::<Option<_>>()?;
        let mut sign = [0; 32];
        let mut dh = [0; 32];
        sign.copy_from_slice(&bytes[..32]);
        dh.copy_from_slice(&bytes[32..]);
        VerifyingKey::from_bytes(&sign).ok()?;
        Some(DeviceKey { sign, dh })
    }
}

/// This device's secret keys and the name it gives itself in bundles.
pub struct Identity {
    pub(crate) sign: SigningKey,
    pub(crate) dh: StaticSecret,
    pub name: String,
}

impl Identity {
    /// This device's identity, made (and stored) the first time it is needed.
    pub fn load_or_create(store: &Store) -> Result<Identity, SyncError> {
        let conn = store.conn();
        let row: Option<(Vec<u8>, Vec<u8>, String)> = conn
            .query_row(
                "SELECT sign_seed, dh_secret, name FROM device_key WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((seed, dh, name)) = row
            && let (Ok(seed), Ok(dh)) = (<[u8; 32]>::try_from(seed), <[u8; 32]>::try_from(dh))
        {
            return Ok(Identity {
                sign: SigningKey::from_bytes(&seed),
                dh: StaticSecret::from(dh),
                name,
            });
        }
        let seed = random32()?;
        let dh = random32()?;
        let name = match store.owner_name() {
            "" => "本机".to_string(),
            owner => owner.to_string(),
        };
        conn.execute(
            "INSERT OR REPLACE INTO device_key (id, sign_seed, dh_secret, name, created)
             VALUES (1, ?1, ?2, ?3, ?4)",
            params![seed.to_vec(), dh.to_vec(), name, now_local()],
        )?;
        Ok(Identity {
            sign: SigningKey::from_bytes(&seed),
            dh: StaticSecret::from(dh),
            name,
        })
    }

    /// Renames this device (the name other devices see in its bundles).
    pub fn rename(store: &Store, name: &str) -> Result<Identity, SyncError> {
        let mut me = Identity::load_or_create(store)?;
        store.conn().execute(
            "UPDATE device_key SET name = ?1 WHERE id = 1",
            [name.trim()],
        )?;
        me.name = name.trim().to_string();
        Ok(me)
    }

    /// 设备名片 — the device card: its key on the first line and its name on the second,
    /// as `louzu device --card` and the interface write it and `louzu trust` reads it.
    pub fn card(&self) -> String {
        format!("{}\n{}\n", self.key().to_text(), self.name)
    }

    /// The public half, to give to other devices.
    pub fn key(&self) -> DeviceKey {
        DeviceKey {
            sign: self.sign.verifying_key().to_bytes(),
            dh: PublicKey::from(&self.dh).to_bytes(),
        }
    }
}

/// 32 bytes from the operating system's random source.
pub(crate) fn random32() -> Result<[u8; 32], SyncError> {
    let mut b = [0u8; 32];
    fill_random(&mut b)?;
    Ok(b)
}

/// Fills `buf` from the operating system's random source. Without one no key or bundle
/// can be made safely, so its failure is an error, never a weaker key.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), SyncError> {
    getrandom::fill(buf).map_err(|e| SyncError::Seal {
        detail: format!("no operating-system random source: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_text_round_trips_and_fingerprint_is_grouped() {
        let store_dir = tempfile::tempdir().unwrap();
        let store = Store::open(&store_dir.path().join("a.db")).unwrap();
        let me = Identity::load_or_create(&store).unwrap();
        let again = Identity::load_or_create(&store).unwrap();
        assert_eq!(me.key(), again.key());
        let text = me.key().to_text();
        assert_eq!(DeviceKey::from_text(&format!(" {text}\n")), Some(me.key()));
        assert_eq!(DeviceKey::from_text("louzu-device-zz"), None);
        let fp = me.key().fingerprint();
        assert_eq!(fp.len(), 24);
        assert_eq!(fp.matches('-').count(), 4);
    }
}
