//! The driver's half of the sync dialogs: performs a [`Request`] on the store and the
//! file system and answers with a [`Reply`]. Kept out of `update` so the dialogs stay
//! testable without files.

use std::path::{Path, PathBuf};

use crate::store::Store;
use crate::sync::conflicts::{self, Resolution};
use crate::sync::export::{ExportOptions, export, suggested_name};
use crate::sync::import::{ImportOptions, Preview, import_file};
use crate::sync::trust;
use crate::tui::dialogs::sync::{Reply, Request};

/// Performs one request; the bool says whether the data changed (reload the panes).
pub fn run(store: &mut Store, req: Request) -> (Reply, bool) {
    match perform(store, req) {
        Ok(r) => r,
        Err(e) => (Reply::Failed(e.to_string()), false),
    }
}

fn perform(store: &mut Store, req: Request) -> Result<(Reply, bool), crate::sync::SyncError> {
    Ok(match req {
        Request::OpenExport => {
            let devices = trust::list(store)?.into_iter().map(|d| d.name).collect();
            let dir = dirs_home().unwrap_or_default();
            let path = dir.join(suggested_name(store));
            (
                Reply::ExportForm {
                    path: path.display().to_string(),
                    devices,
                },
                false,
            )
        }
        Request::OpenConflicts => (Reply::Conflicts(conflicts::list(store, false)?), false),
        Request::Export { to, for_name } => {
            let mut to = PathBuf::from(to);
            if to.is_dir() {
                to = to.join(suggested_name(store));
            }
            let opts = ExportOptions {
                for_names: vec![for_name.clone()],
                ..Default::default()
            };
            let s = export(store, &to, &opts)?;
            (
                Reply::Finished(format!(
                    "已导出 {} 项更改给「{for_name}」：{} / exported",
                    s.ops,
                    s.path.display()
                )),
                false,
            )
        }
        Request::Preview { path } => {
            let opts = ImportOptions {
                dry_run: true,
                ..Default::default()
            };
            let p = import_file(store, Path::new(&path), &opts)?;
            (Reply::Previewed(preview_lines(&p)), false)
        }
        Request::Import { path } => {
            let p = import_file(store, Path::new(&path), &ImportOptions::default())?;
            let msg = if p.already_held {
                "已经导入过，没有任何改动 / already imported".to_string()
            } else {
                format!(
                    "已从「{}」导入：新 {}，改 {}，冲突 {}",
                    p.sender, p.new_records, p.changed_records, p.conflicts
                )
            };
            let msg = std::iter::once(msg)
                .chain(p.notes())
                .collect::<Vec<_>>()
                .join(" ");
            (Reply::Finished(msg), !p.already_held)
        }
        Request::Resolve { id, keep_b } => {
            let how = if keep_b {
                Resolution::KeepB
            } else {
                Resolution::KeepA
            };
            conflicts::resolve(store, &id, how)?;
            (Reply::Conflicts(conflicts::list(store, false)?), true)
        }
    })
}

fn dirs_home() -> Option<PathBuf> {
    directories::UserDirs::new().map(|d| d.home_dir().to_path_buf())
}

/// The preview a leader reads before confirming.
pub fn preview_lines(p: &Preview) -> Vec<String> {
    if p.already_held {
        return vec![format!(
            "来自「{}」：已经导入过，没有任何改动。 / already imported",
            p.sender
        )];
    }
    let notes = p.notes();
    let dates = p.date_range();
    let mut lines = vec![
        format!("来自「{}」（指纹 {}）", p.sender, p.fingerprint),
        format!("制作于 {}，覆盖 {dates}", p.created),
        format!(
            "新记录 {}，修改 {}，冲突 {}（共 {} 项更改）",
            p.new_records, p.changed_records, p.conflicts, p.new_ops
        ),
    ];
    if p.out_of_scope > 0 {
        lines.push(format!(
            "另有 {} 项属于「{}」无权修改的楼组，将被忽略",
            p.out_of_scope, p.sender
        ));
    }
    // A restored or copied database: what it means and what was done.
    lines.extend(notes);
    lines
}
