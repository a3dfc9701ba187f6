//! `louzu demo`: the demo building in its own file.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::store::Store;

/// Writes a fresh demo database at `path`. An existing demo there is replaced; any other
/// file is refused, so the demo can never overwrite real data.
pub fn write_demo_db(path: &Path) -> anyhow::Result<Store> {
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
    let mut store = Store::open(path)?;
    store.set_local_setting("demo", "1")?;
    store.set_owner_name("曾国华")?;
    let building = crate::demo::write_demo(&mut store)?;
    store.set_local_setting("building", &building)?;
    Ok(store)
}
