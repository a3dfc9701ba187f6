//! `louzu demo`: the demo building in its own file. The first run writes it; later runs
//! open it as the user left it, unless `--reset` asks to start over.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

use crate::cli::said;
use crate::domain::EntityKind as K;
use crate::domain::date::{add_days, format_date, today};
use crate::i18n::Lang;
use crate::store::Store;
use crate::sync::export::{ExportOptions, build};
use crate::sync::identity::Identity;
use crate::sync::import::{ImportOptions, import_bytes};
use crate::sync::trust;

/// What `louzu demo` did with the demo file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// There was none: a fresh demo was written.
    Written,
    /// `--reset`: the old demo was replaced by a fresh one.
    Reset,
    /// The demo as the user left it.
    Kept,
    /// `--street N`: a fresh street of N generated buildings (always written anew).
    Street(usize),
}

impl Opened {
    /// What to tell the user, in the interface language.
    pub fn message(self, path: &Path, lang: Lang) -> String {
        let p = path.display();
        match (self, lang) {
            (Opened::Written, Lang::Zh) => format!("已生成演示楼组：{p}"),
            (Opened::Written, Lang::En) => format!("Demo building written: {p}"),
            (Opened::Reset, Lang::Zh) => format!("已重置演示楼组（--reset）：{p}"),
            (Opened::Reset, Lang::En) => format!("Demo building started over (--reset): {p}"),
            (Opened::Kept, Lang::Zh) => format!(
                "打开上次的演示楼组，保留了您在其中的操作：{p}（louzu demo --reset 重新开始）"
            ),
            (Opened::Kept, Lang::En) => format!(
                "Opened the demo building as you left it: {p} (louzu demo --reset starts over)"
            ),
            (Opened::Street(n), Lang::Zh) => format!("已生成演示街道（{n} 栋楼）：{p}"),
            (Opened::Street(n), Lang::En) => {
                format!("Demo street written ({n} buildings): {p}")
            }
        }
    }
}

/// The demo never writes over a file that is not a demo: it may be the leader's own data.
fn not_a_demo(path: &Path) -> anyhow::Error {
    said(
        format!(
            "{} 已存在且不是演示数据库，请用 --db 另选路径",
            path.display()
        ),
        format!(
            "{} already exists and is not a demo database; choose another --db path",
            path.display()
        ),
    )
}

/// Opens the demo at `path`: keeps an existing demo unless `reset`, writes one otherwise.
/// Any file there that is not a demo is refused, so the demo never touches real data.
pub fn open_demo(path: &Path, reset: bool) -> anyhow::Result<(Store, Opened)> {
    if path.exists() {
        let store = Store::open(path).ok();
        let is_demo = store
            .as_ref()
            .and_then(|s| s.local_setting("demo").ok().flatten())
            .is_some();
        if !is_demo {
            return Err(not_a_demo(path));
        }
        if let (Some(store), false) = (store, reset) {
            return Ok((store, Opened::Kept));
        }
        return Ok((write_demo_db(path)?, Opened::Reset));
    }
    Ok((write_demo_db(path)?, Opened::Written))
}

/// Writes a fresh demo database at `path`. An existing demo there is replaced; any other
/// file is refused, so the demo can never overwrite real data.
pub fn write_demo_db(path: &Path) -> anyhow::Result<Store> {
    let mut store = fresh_demo_file(path)?;
    store.set_owner_name("曾国华")?;
    let building = crate::demo::write_demo(&mut store)?;
    store.set_local_setting("building", &building)?;
    deputy_sync(&mut store, path, &building).context("演示：副组长的同步文件")?;
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
            return Err(not_a_demo(path));
        }
        remove_db(path)?;
    }
    let store = Store::open(path)?;
    store.set_local_setting("demo", "1")?;
    Ok(store)
}

fn remove_db(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| {
                said(
                    format!("无法替换旧的演示文件 {}：{e}", p.display()),
                    format!("cannot replace the old demo {}: {e}", p.display()),
                )
            })?;
        }
    }
    Ok(())
}

/// The deputy (副组长 单丽萍) works on her own laptop: she receives the building from the
/// leader, records a visit and takes up a need there, and sends a bundle back, which the
/// demo imports — so the log shows another device's entries and the sync dialogs have a
/// trusted peer. Her database is a scratch file next to the demo, removed afterwards.
fn deputy_sync(leader: &mut Store, path: &Path, building: &str) -> anyhow::Result<()> {
    let mut scratch = path.as_os_str().to_owned();
    scratch.push(".deputy");
    let scratch = PathBuf::from(scratch);
    remove_db(&scratch)?;
    let result = (|| -> anyhow::Result<()> {
        let mut deputy = Store::open(&scratch)?;
        deputy.set_owner_name("单丽萍")?;
        Identity::rename(leader, "组长 曾国华的笔记本")?;
        Identity::rename(&deputy, "副组长 单丽萍")?;
        let lk = Identity::load_or_create(leader)?.key();
        let dk = Identity::load_or_create(&deputy)?.key();
        trust::trust(leader, dk, "副组长 单丽萍", None, true)?;
        trust::trust(&deputy, lk, "组长 曾国华", None, true)?;
        let to_deputy = ExportOptions {
            for_names: vec!["副组长 单丽萍".into()],
            ..Default::default()
        };
        let (bytes, _) = build(leader, &to_deputy)?;
        import_bytes(
            &mut deputy,
            Path::new("给副组长.louzu"),
            &bytes,
            &ImportOptions::default(),
        )?;
        // Her work: a visit done yesterday, and the 401/301 dispute taken in hand.
        let t = today();
        let me = deputy
            .members_named(building, "单丽萍")?
            .into_iter()
            .next()
            .unwrap_or_default();
        let roster = deputy.roster(building)?;
        let room = |r: &str| {
            roster
                .households
                .iter()
                .find(|h| h.room == r)
                .map(|h| h.id.clone())
        };
        if let Some(h) = room("204") {
            deputy.create(
                K::Visit,
                vec![
                    ("building_id", json!(building)),
                    ("household_id", json!(h)),
                    ("due", json!(format_date(add_days(t, -1)))),
                    ("purpose", json!("结对探望")),
                    ("assigned", json!([me])),
                    ("status", json!("done")),
                    ("done_on", json!(format_date(add_days(t, -1)))),
                    ("visitors", json!([me])),
                    (
                        "situation",
                        json!("康复补贴申请已递交街道，孩子下周开始上康复课"),
                    ),
                    ("handling", json!("当场解决")),
                ],
            )?;
        }
        let dispute = deputy
            .needs(building, 0)?
            .into_iter()
            .find(|n| n.category == "邻里纠纷" && n.status == "open");
        if let Some(n) = dispute {
            crate::demo::move_need(
                &mut deputy,
                &n.id,
                vec![
                    ("status", json!("in_hand")),
                    (
                        "measures",
                        json!("已约 401、301 两户周六在楼道见面，物业来看冷凝水管"),
                    ),
                ],
            )?;
        }
        let to_leader = ExportOptions {
            for_names: vec!["组长 曾国华".into()],
            ..Default::default()
        };
        let (bytes, _) = build(&deputy, &to_leader)?;
        import_bytes(
            leader,
            Path::new("副组长-单丽萍.louzu"),
            &bytes,
            &ImportOptions::default(),
        )?;
        Ok(())
    })();
    remove_db(&scratch)?;
    result
}
