//! The trust store: which devices this one accepts bundles from and exports to, with the
//! buildings each may receive, and what each last told us it holds.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::identity::{DeviceKey, Identity};
use super::{SyncError, bundle};
use crate::domain::EntityKind;
use crate::store::{Store, now_local};

/// A device this one trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedDevice {
    pub key: DeviceKey,
    /// The name people know it by (居委会, 副组长…), given when trusting it.
    pub name: String,
    /// Building ids bundles for it may carry; `None` means every building.
    pub buildings: Option<Vec<String>>,
}

/// Reads a device key from what a person typed after `louzu trust`: a bundle file made by
/// the device, a file holding its key text (a device card), or the key text itself.
pub fn read_key(input: &str) -> Result<DeviceKey, SyncError> {
    read_card(input).map(|(key, _)| key)
}

/// Reads a device key as [`read_key`] does, with the name a device card gives after the
/// key (pasted or in a card file), so the interface can offer it; a bundle names no one
/// before it is opened, so it gives none.
pub fn read_card(input: &str) -> Result<(DeviceKey, Option<String>), SyncError> {
    if let Some(card) = card_in_text(input) {
        return Ok(card);
    }
    let path = Path::new(input.trim());
    if path.is_file() {
        let io = |source| SyncError::Io {
            path: path.to_path_buf(),
            source,
        };
        // A file the size of no bundle is not read into memory to look for a key.
        if std::fs::metadata(path).map_err(io)?.len() <= bundle::MAX_FILE {
            let bytes = std::fs::read(path).map_err(io)?;
            if let Ok(outer) = bundle::Outer::parse(&bytes, path) {
                return Ok((outer.sender, None));
            }
            if let Some(card) = std::str::from_utf8(&bytes).ok().and_then(card_in_text) {
                return Ok(card);
            }
        }
    }
    Err(SyncError::NotAKey {
        input: input.trim().to_string(),
    })
}

/// The first word of `text` that is a device key, and the words after it as the name.
fn card_in_text(text: &str) -> Option<(DeviceKey, Option<String>)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (i, key) = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| DeviceKey::from_text(w).map(|k| (i, k)))?;
    let name = words[i + 1..].join(" ");
    Some((key, Some(name).filter(|n| !n.is_empty())))
}

/// Turns building names or ids into ids.
pub fn resolve_buildings(store: &Store, names: &[String]) -> Result<Vec<String>, SyncError> {
    let all = store.records(EntityKind::Building, None, true)?;
    names
        .iter()
        .map(|n| {
            all.iter()
                .find(|b| b.id == *n)
                .or_else(|| all.iter().find(|b| b.text("name") == n.as_str()))
                .map(|b| b.id.clone())
                .ok_or_else(|| SyncError::UnknownBuilding(n.clone()))
        })
        .collect()
}

/// Adds a device. A name already trusted with another key is refused unless `replace`
/// (a changed key is what a stolen name looks like); trusting the same key again updates
/// its name and buildings.
pub fn trust(
    store: &Store,
    key: DeviceKey,
    name: &str,
    buildings: Option<Vec<String>>,
    replace: bool,
) -> Result<TrustedDevice, SyncError> {
    let me = Identity::load_or_create(store)?;
    if me.key().sign == key.sign {
        return Err(SyncError::OwnKey);
    }
    let name = name.trim().to_string();
    if let Some(old) = by_name(store, &name)?
        && old.key != key
    {
        if !replace {
            return Err(SyncError::ChangedKey {
                name,
                old: old.key.fingerprint(),
                new: key.fingerprint(),
            });
        }
        store.conn().execute(
            "DELETE FROM trusted_device WHERE sign_key = ?1",
            [old.key.sign.to_vec()],
        )?;
    }
    if let Some(old) = by_sign_key(store, &key.sign)?
        && old.name != name
        && !replace
    {
        return Err(SyncError::AlreadyTrusted {
            name: old.name,
            fingerprint: key.fingerprint(),
        });
    }
    let buildings_json = buildings
        .as_ref()
        .map(|b| serde_json::to_string(b).unwrap_or_default());
    store.conn().execute(
        "INSERT INTO trusted_device (sign_key, dh_key, name, buildings, added)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(sign_key) DO UPDATE SET dh_key = excluded.dh_key, name = excluded.name,
             buildings = excluded.buildings",
        params![
            key.sign.to_vec(),
            key.dh.to_vec(),
            name,
            buildings_json,
            now_local()
        ],
    )?;
    Ok(TrustedDevice {
        key,
        name,
        buildings,
    })
}

/// Every trusted device, by name.
pub fn list(store: &Store) -> Result<Vec<TrustedDevice>, SyncError> {
    query(store, "1 = 1 ORDER BY name", params![])
}

/// The trusted device with this signing key.
pub fn by_sign_key(store: &Store, sign: &[u8; 32]) -> Result<Option<TrustedDevice>, SyncError> {
    Ok(query(store, "sign_key = ?1", params![sign.to_vec()])?
        .into_iter()
        .next())
}

/// The trusted device with this name.
pub fn by_name(store: &Store, name: &str) -> Result<Option<TrustedDevice>, SyncError> {
    Ok(query(store, "name = ?1", params![name])?.into_iter().next())
}

fn query(
    store: &Store,
    cond: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<TrustedDevice>, SyncError> {
    let sql = format!("SELECT sign_key, dh_key, name, buildings FROM trusted_device WHERE {cond}");
    let mut stmt = store.conn().prepare(&sql)?;
    let rows = stmt.query_map(p, |r| {
        let sign: Vec<u8> = r.get(0)?;
        let dh: Vec<u8> = r.get(1)?;
        let buildings: Option<String> = r.get(3)?;
        Ok((sign, dh, r.get::<_, String>(2)?, buildings))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (sign, dh, name, buildings) = row?;
        let (Ok(sign), Ok(dh)) = (<[u8; 32]>::try_from(sign), <[u8; 32]>::try_from(dh)) else {
            continue;
        };
        out.push(TrustedDevice {
            key: DeviceKey { sign, dh },
            name,
            buildings: buildings.and_then(|b| serde_json::from_str(&b).ok()),
        });
    }
    Ok(out)
}

/// Names of trusted devices, for messages.
pub fn known_names(store: &Store) -> Result<String, SyncError> {
    let names: Vec<String> = list(store)?.into_iter().map(|d| d.name).collect();
    Ok(if names.is_empty() {
        "无 / none".to_string()
    } else {
        names.join("、")
    })
}

/// What a peer last said it holds: (origin, scope) → highest contiguous seq.
pub fn peer_clock(
    store: &Store,
    peer: &[u8; 32],
) -> Result<HashMap<(String, String), i64>, SyncError> {
    let mut stmt = store
        .conn()
        .prepare("SELECT origin, scope, seq FROM peer_clock WHERE peer = ?1")?;
    let rows = stmt.query_map([peer.to_vec()], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records what a peer told us it holds (only ever raising what we knew).
pub(crate) fn learn_peer_clock(
    conn: &rusqlite::Connection,
    peer: &[u8; 32],
    clock: &[(String, String, i64)],
) -> Result<(), SyncError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO peer_clock (peer, origin, scope, seq) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(peer, origin, scope) DO UPDATE SET seq = max(seq, excluded.seq)",
    )?;
    for (origin, scope, seq) in clock {
        stmt.execute(params![peer.to_vec(), origin, scope, seq])?;
    }
    Ok(())
}

/// The name of the device that made ops with this origin id, when we know it.
pub fn origin_name(store: &Store, origin: &str) -> Result<Option<String>, SyncError> {
    if origin == store.device_id() || store.former_origins()?.iter().any(|o| o == origin) {
        return Ok(Some(Identity::load_or_create(store)?.name));
    }
    Ok(store
        .conn()
        .query_row(
            "SELECT value FROM meta WHERE key = 'origin_name.' || ?1",
            [origin],
            |r| r.get(0),
        )
        .optional()?)
}
