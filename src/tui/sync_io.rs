//! The driver's half of the sync dialogs: performs a [`Request`] with the library's sync
//! functions (the ones the CLI calls) on the store and the file system, and answers with a
//! [`Reply`]. Kept out of `update` so the dialogs stay testable without files.

use std::path::{Path, PathBuf};

use crate::config::output;
use crate::i18n::Lang;
use crate::progress::Progress;
use crate::store::Store;
use crate::sync::conflicts::{self, Resolution};
use crate::sync::export::{ExportOptions, export_with, suggested_name};
use crate::sync::import::{ImportOptions, Preview, check_file};
use crate::sync::{Identity, SyncError, trust};
use crate::tui::dialogs::sync::{
    Device, ExportDialog, ImportDialog, Recipient, Reply, Request, SyncDialog,
};
use crate::tui::effect::Kept;
use crate::tui::listing;
use crate::tui::strings::sync::{fill, text};

/// What the driver knows besides the store: the language of its messages and the output
/// folder.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub out_dir: &'a Path,
}

/// Performs one request; the bool says whether the data changed (reload the panes). Long
/// ones (export, preview, import) report through `progress` and stop when it is cancelled.
pub fn run(store: &mut Store, req: Request, ctx: &Ctx, progress: &Progress) -> (Reply, bool) {
    match perform(store, req, ctx, progress) {
        Ok(r) => r,
        Err(SyncError::NeedsPassphrase { .. }) => (Reply::NeedsPassphrase, false),
        Err(e) => (Reply::Failed(one_language(&e.to_string(), ctx.lang)), false),
    }
}

/// A sync error says itself in Chinese, then ` / `, then in English (the command line
/// prints both); the interface shows the half in its language.
fn one_language(message: &str, lang: Lang) -> String {
    match (message.split_once(" / "), lang) {
        (Some((zh, _)), Lang::Zh) => zh.to_string(),
        (Some((_, en)), Lang::En) => en.to_string(),
        (None, _) => message.to_string(),
    }
}

/// The trusted devices as the export list shows them.
fn devices(store: &Store) -> Result<Vec<Device>, SyncError> {
    Ok(trust::list(store)?
        .into_iter()
        .map(|d| Device {
            fingerprint: d.key.fingerprint(),
            name: d.name,
        })
        .collect())
}

/// Where a chooser starts: the output folder once it exists, else home.
fn start_dir(out_dir: &Path) -> String {
    let dir = if out_dir.is_dir() {
        out_dir.to_path_buf()
    } else {
        directories::UserDirs::new()
            .map(|d| d.home_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from("."))
    };
    crate::tui::dialogs::chooser::as_dir(&dir.display().to_string())
}

/// A folder the chooser names, as a path ("" is the current folder).
fn folder_path(folder: &str) -> PathBuf {
    if folder.is_empty() {
        PathBuf::from(".")
    } else {
        PathBuf::from(folder)
    }
}

/// Makes the folder a file goes into (the output folder's first write); said if it cannot.
fn prepare(folder: &Path) -> Result<(), SyncError> {
    output::prepare(folder).map_err(|source| SyncError::Io {
        path: folder.to_path_buf(),
        source,
    })
}

/// When a bundle was made, as a person reads it: `2026-12-02 10:08` (its local time).
fn made_at(created: &str) -> String {
    created.get(..16).unwrap_or(created).replace('T', " ")
}

/// The dates a bundle's changes span, in the interface language.
fn dates(p: &Preview, lang: Lang) -> String {
    match &p.dates {
        Some((a, b)) if a == b => a.clone(),
        Some((a, b)) => format!("{a} {} {b}", lang.pick("至", "to")),
        None => String::new(),
    }
}

fn perform(
    store: &mut Store,
    req: Request,
    ctx: &Ctx,
    progress: &Progress,
) -> Result<(Reply, bool), SyncError> {
    let t = text(ctx.lang);
    Ok(match req {
        Request::OpenExport => {
            let me = Identity::load_or_create(store)?;
            // The output folder is offered even before it exists (made on first write).
            let dir = crate::tui::dialogs::chooser::as_dir(&ctx.out_dir.display().to_string());
            let d = ExportDialog::new(
                devices(store)?,
                Device {
                    fingerprint: me.key().fingerprint(),
                    name: me.name.clone(),
                },
                &dir,
                listing::read(&dir, ctx.out_dir),
                suggested_name(store),
            );
            (
                Reply::Open(Box::new(SyncDialog::Export(Box::new(d)))),
                false,
            )
        }
        Request::OpenImport => {
            let dir = start_dir(ctx.out_dir);
            let d = ImportDialog::new(&dir, listing::read(&dir, ctx.out_dir));
            (
                Reply::Open(Box::new(SyncDialog::Import(Box::new(d)))),
                false,
            )
        }
        Request::OpenConflicts => (Reply::Conflicts(conflicts::list(store, false)?), false),
        Request::List { dir } => (Reply::Listing(listing::read(&dir, ctx.out_dir)), false),
        Request::ReadKey { input } => {
            let (key, name) = trust::read_card(&input)?;
            (
                Reply::KeyRead {
                    fingerprint: key.fingerprint(),
                    key,
                    name,
                },
                false,
            )
        }
        Request::Trust { key, name } => {
            let d = trust::trust(store, key, &name, None, false)?;
            let message = fill(
                t.trusted,
                &[("name", &d.name), ("fp", &d.key.fingerprint())],
            );
            (
                Reply::Trusted {
                    devices: devices(store)?,
                    name: d.name,
                    message,
                },
                false,
            )
        }
        Request::WriteCard { folder } => {
            let me = Identity::load_or_create(store)?;
            let dir = folder_path(&folder);
            prepare(&dir)?;
            let safe: String = me
                .name
                .chars()
                .map(|c| if "/\\:*?\"<>| ".contains(c) { '_' } else { c })
                .collect();
            let path = dir.join(fill(t.card_file, &[("name", &safe)]));
            std::fs::write(&path, me.card()).map_err(|source| SyncError::Io {
                path: path.clone(),
                source,
            })?;
            let shown = output::shown(&path);
            (
                Reply::Note(fill(t.card_written, &[("path", &shown)])),
                false,
            )
        }
        Request::Export { folder, file, to } => {
            let dir = folder_path(&folder);
            prepare(&dir)?;
            let path = dir.join(file);
            let (opts, who) = match to {
                Recipient::Device(name) => (
                    ExportOptions {
                        for_names: vec![name.clone()],
                        ..Default::default()
                    },
                    Some(name),
                ),
                Recipient::Passphrase(p) => (
                    ExportOptions {
                        passphrase: Some(p.0),
                        ..Default::default()
                    },
                    None,
                ),
            };
            let s = export_with(store, &path, &opts, progress)?;
            let shown = output::shown(&s.path);
            let n = s.ops.to_string();
            let msg = match who {
                Some(name) => fill(
                    t.exported_for,
                    &[("n", &n), ("name", &name), ("path", &shown)],
                ),
                None => fill(t.exported_pass, &[("n", &n), ("path", &shown)]),
            };
            (Reply::Finished(msg), false)
        }
        // Checked once and kept: the confirmation applies this very bundle.
        Request::Preview { path, passphrase } => {
            let opts = ImportOptions {
                passphrase: passphrase.map(|p| p.0),
                dry_run: true,
            };
            let checked = check_file(store, Path::new(&path), &opts, progress)?;
            let p = checked.apply(store, true, progress)?;
            let lines = preview_lines(&p, ctx.lang);
            let bundle = Kept::new(checked);
            (Reply::Previewed { lines, bundle }, false)
        }
        Request::Import { bundle } => {
            let p = bundle.0.apply(store, false, progress)?;
            (Reply::Finished(done_message(&p, ctx.lang)), !p.already_held)
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

/// The status message after an import.
pub fn done_message(p: &Preview, lang: Lang) -> String {
    let t = text(lang);
    let msg = if p.already_held {
        fill(t.already_imported, &[("name", &p.sender)])
    } else {
        fill(
            t.imported,
            &[
                ("name", &p.sender),
                ("new", &p.new_records.to_string()),
                ("changed", &p.changed_records.to_string()),
                ("conflicts", &p.conflicts.to_string()),
            ],
        )
    };
    std::iter::once(msg)
        .chain(p.notes())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The preview a leader reads before confirming.
pub fn preview_lines(p: &Preview, lang: Lang) -> Vec<String> {
    let t = text(lang);
    if p.already_held {
        return vec![fill(t.already_imported, &[("name", &p.sender)])];
    }
    let mut lines = vec![
        fill(t.from, &[("name", &p.sender), ("fp", &p.fingerprint)]),
        fill(
            t.made,
            &[("at", &made_at(&p.created)), ("dates", &dates(p, lang))],
        ),
        fill(
            t.counts,
            &[
                ("new", &p.new_records.to_string()),
                ("changed", &p.changed_records.to_string()),
                ("conflicts", &p.conflicts.to_string()),
                ("ops", &p.new_ops.to_string()),
            ],
        ),
    ];
    if p.out_of_scope > 0 {
        lines.push(fill(
            t.out_of_scope,
            &[("n", &p.out_of_scope.to_string()), ("name", &p.sender)],
        ));
    }
    // A restored or copied database: what it means and what was done.
    lines.extend(p.notes());
    lines
}

#[cfg(test)]
mod tests;
