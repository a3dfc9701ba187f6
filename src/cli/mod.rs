//! Command implementations behind `louzu`'s subcommands; `main.rs` only parses and picks.

pub mod demo;
pub mod duties;
pub mod log;
pub mod script;
pub mod sync;
pub mod visits;

use crate::store::{BuildingRow, Store};

/// The building a command works on: the one named (`--building`, name or id), else the
/// current one of the interface, else the only/first one.
pub fn current_building(store: &Store, named: Option<&str>) -> anyhow::Result<BuildingRow> {
    let all = store.buildings()?;
    if let Some(n) = named {
        return all
            .into_iter()
            .find(|b| b.id == n || b.name == n)
            .ok_or_else(|| anyhow::anyhow!("没有楼组「{n}」 / no building named \"{n}\""));
    }
    let saved = store.local_setting("building")?;
    let pick = saved
        .and_then(|s| all.iter().position(|b| b.id == s))
        .unwrap_or(0);
    all.into_iter().nth(pick).ok_or_else(|| {
        anyhow::anyhow!("还没有楼组：先运行 louzu 设置 / no building yet: run louzu first")
    })
}
