//! The driver's half of the sync dialogs: performs a [`Request`] on the store and the
//! file system and answers with a [`Reply`]. Kept out of `update` so the dialogs stay
//! testable without files.

use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::store::Store;
use crate::sync::conflicts::{self, Resolution};
use crate::sync::export::{ExportOptions, export, suggested_name};
use crate::sync::import::{ImportOptions, Preview, import_file};
use crate::sync::trust;
use crate::tui::dialogs::sync::{Reply, Request};

/// Performs one request; the bool says whether the data changed (reload the panes).
/// What it says is in `lang`.
pub fn run(store: &mut Store, req: Request, lang: Lang) -> (Reply, bool) {
    match perform(store, req, lang) {
        Ok(r) => r,
        Err(e) => (Reply::Failed(e.to_string()), false),
    }
}

fn perform(
    store: &mut Store,
    req: Request,
    lang: Lang,
) -> Result<(Reply, bool), crate::sync::SyncError> {
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
                Reply::Finished(match lang {
                    Lang::Zh => format!(
                        "已导出 {} 项更改给「{for_name}」：{}",
                        s.ops,
                        s.path.display()
                    ),
                    Lang::En => format!(
                        "Exported {} changes for \"{for_name}\": {}",
                        s.ops,
                        s.path.display()
                    ),
                }),
                false,
            )
        }
        Request::Preview { path } => {
            let opts = ImportOptions {
                dry_run: true,
                ..Default::default()
            };
            let p = import_file(store, Path::new(&path), &opts)?;
            (Reply::Previewed(preview_lines(&p, lang)), false)
        }
        Request::Import { path } => {
            let p = import_file(store, Path::new(&path), &ImportOptions::default())?;
            let msg = match (p.already_held, lang) {
                (true, Lang::Zh) => "已经导入过，没有任何改动".to_string(),
                (true, Lang::En) => "Already imported; nothing changed".to_string(),
                (false, Lang::Zh) => format!(
                    "已从「{}」导入：新 {}，改 {}，冲突 {}",
                    p.sender, p.new_records, p.changed_records, p.conflicts
                ),
                (false, Lang::En) => format!(
                    "Imported from \"{}\": {} new, {} changed, {} conflicts",
                    p.sender, p.new_records, p.changed_records, p.conflicts
                ),
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

/// The preview a leader reads before confirming, in `lang`.
pub fn preview_lines(p: &Preview, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    if p.already_held {
        return vec![if zh {
            format!("来自「{}」：已经导入过，没有任何改动。", p.sender)
        } else {
            format!(
                "From \"{}\": already imported; nothing would change.",
                p.sender
            )
        }];
    }
    let notes = p.notes();
    let dates = p.date_range();
    // "2026-12-02 09:42", not the stored RFC 3339 time.
    let made = p.created.get(..16).unwrap_or(&p.created).replace('T', " ");
    let mut lines = if zh {
        vec![
            format!("来自「{}」（指纹 {}）", p.sender, p.fingerprint),
            format!("制作于 {made}，覆盖 {dates}"),
            format!(
                "新记录 {}，修改 {}，冲突 {}（共 {} 项更改）",
                p.new_records, p.changed_records, p.conflicts, p.new_ops
            ),
        ]
    } else {
        vec![
            format!("From \"{}\" (fingerprint {})", p.sender, p.fingerprint),
            format!("Made {made}, covering {dates}"),
            format!(
                "{} new, {} changed, {} conflicts ({} changes in all)",
                p.new_records, p.changed_records, p.conflicts, p.new_ops
            ),
        ]
    };
    if p.out_of_scope > 0 {
        lines.push(if zh {
            format!(
                "另有 {} 项属于「{}」无权修改的楼组，将被忽略",
                p.out_of_scope, p.sender
            )
        } else {
            format!(
                "{} more changes are for buildings \"{}\" may not edit; they will be ignored",
                p.out_of_scope, p.sender
            )
        });
    }
    // A restored or copied database: what it means and what was done.
    lines.extend(notes);
    lines
}
