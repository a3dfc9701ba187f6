//! `louzu demo`: the demo building in its own file.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::store::Store;

/// Writes a fresh demo database at `path`. An existing demo there is replaced; any other
/// file is refused, so the demo can never overwrite real data.
pub fn write_demo_db(path: &Path) -> anyhow::Result<Store> {
    let mut store = fresh_demo_file(path)?;
    store.set_owner_name("曾国华")?;
    let building = crate::demo::write_demo(&mut store)?;
    store.set_local_setting("building", &building)?;
    Ok(store)
}

/// `louzu demo --street N`: a street (街道) of `buildings` generated buildings — about 600
/// ops each — in its own demo file, so an office can try louzu at the size it merges.
pub fn write_street_db(path: &Path, buildings: usize) -> anyhow::Result<Store> {
    let mut store = fresh_demo_file(path)?;
    store.set_owner_name("居委会")?;
    let ids = crate::demo::write_street(&mut store, buildings, 7)?;
    if let Some(first) = ids.first() {
        store.set_local_setting("building", first)?;
    }
    Ok(store)
}

/// An empty database at `path` marked as a demo, replacing an old demo there.
fn fresh_demo_file(path: &Path) -> anyhow::Result<Store> {
    if path.exists() {
        let is_demo = Store::open(path)
            .ok()
            .and_then(|s| s.local_setting("demo").ok().flatten())
            .is_some();
        if !is_demo {
            anyhow::bail!(
                "{} already exists and is not a demo database; choose another --db path",
                path.display()
            );
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            if p.exists() {
                std::fs::remove_file(&p)
                    .with_context(|| format!("cannot replace the old demo {}", p.display()))?;
            }
        }
    }
    let store = Store::open(path)?;
    store.set_local_setting("demo", "1")?;
    Ok(store)
}
