//! The file chooser's reading of the disk: one folder's names, sorted as the chooser shows
//! them, and the places worth jumping to (the output folder, home, removable drives).
//! Kept beside the driver so the chooser itself stays free of I/O.

use std::path::{Path, PathBuf};

use crate::tui::dialogs::chooser::{Entry, EntryKind, Listing, Root, RootKind};

/// At most this many names are listed: a folder of a camera's photos must not stall the
/// screen (type to filter finds the rest only if it is among them, which a bundle is:
/// bundles sort before other files).
const MAX_ENTRIES: usize = 5000;

/// Reads the folder the chooser field names (`""` is the current folder).
pub fn read(dir: &str, out_dir: &Path) -> Listing {
    let path = if dir.is_empty() {
        PathBuf::from(".")
    } else {
        PathBuf::from(dir)
    };
    let roots = roots(out_dir);
    let Ok(read) = std::fs::read_dir(&path) else {
        return Listing {
            dir: dir.to_string(),
            entries: Vec::new(),
            roots,
            missing: true,
        };
    };
    let mut entries: Vec<Entry> = read
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            // A link to a folder is a folder to the leader.
            let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            let kind = if is_dir {
                EntryKind::Folder
            } else if name.to_lowercase().ends_with(".louzu") {
                EntryKind::Bundle
            } else {
                EntryKind::Other
            };
            Some(Entry { name, kind })
        })
        .collect();
    entries.sort_by_key(|e| (e.kind, e.name.to_lowercase()));
    entries.truncate(MAX_ENTRIES);
    Listing {
        dir: dir.to_string(),
        entries,
        roots,
        missing: false,
    }
}

/// The output folder (when it exists), home, and every removable drive mounted now.
pub fn roots(out_dir: &Path) -> Vec<Root> {
    let mut out = Vec::new();
    let mut push = |kind, path: &Path| {
        let path = path.display().to_string();
        if !out.iter().any(|r: &Root| r.path == path) {
            out.push(Root { kind, path });
        }
    };
    if out_dir.is_dir() {
        push(RootKind::Output, out_dir);
    }
    if let Some(home) = directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()) {
        push(RootKind::Home, &home);
    }
    for drive in drives() {
        push(RootKind::Drive, &drive);
    }
    out
}

/// Removable drives: the folders `LOUZU_DRIVES` lists (`:`-separated, `;` on Windows;
/// empty for none), for machines that mount USB sticks elsewhere; else the usual places.
fn drives() -> Vec<PathBuf> {
    match std::env::var_os("LOUZU_DRIVES") {
        Some(list) => std::env::split_paths(&list)
            .filter(|p| p.is_dir())
            .collect(),
        None => mounted(),
    }
}

/// Mounted removable drives: `/media/USER/NAME`, `/run/media/USER/NAME`, `/mnt/NAME` on
/// Linux, `/Volumes/NAME` on macOS.
#[cfg(not(windows))]
fn mounted() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut children = |dir: &Path, depth: usize| {
        let mut level = vec![dir.to_path_buf()];
        for _ in 0..depth {
            level = level
                .iter()
                .filter_map(|d| std::fs::read_dir(d).ok())
                .flat_map(|r| r.flatten().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
        }
        level.sort();
        out.extend(level);
    };
    if cfg!(target_os = "macos") {
        children(Path::new("/Volumes"), 1);
    } else {
        children(Path::new("/media"), 2);
        children(Path::new("/run/media"), 2);
        children(Path::new("/mnt"), 1);
    }
    out
}

/// The drive letters that exist (C: included: a leader may keep bundles anywhere).
#[cfg(windows)]
fn mounted() -> Vec<PathBuf> {
    ('A'..='Z')
        .map(|c| PathBuf::from(format!("{c}:\\")))
        .filter(|p| p.is_dir())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_lists_folders_then_bundles_then_the_rest() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("U盘备份")).unwrap();
        std::fs::write(d.path().join("b.louzu"), b"x").unwrap();
        std::fs::write(d.path().join("A.LOUZU"), b"x").unwrap();
        std::fs::write(d.path().join("名册.xlsx"), b"x").unwrap();
        std::fs::write(d.path().join(".hidden"), b"x").unwrap();
        let dir = format!("{}/", d.path().display());
        let l = read(&dir, d.path());
        let names: Vec<(&str, EntryKind)> = l
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.kind))
            .collect();
        assert_eq!(
            names,
            vec![
                ("U盘备份", EntryKind::Folder),
                ("A.LOUZU", EntryKind::Bundle),
                ("b.louzu", EntryKind::Bundle),
                ("名册.xlsx", EntryKind::Other),
            ]
        );
        assert!(!l.missing && l.dir == dir);
        assert_eq!(l.roots[0].kind, RootKind::Output, "{:?}", l.roots);
        let gone = read(&format!("{dir}没有/"), d.path());
        assert!(gone.missing && gone.entries.is_empty());
    }
}
