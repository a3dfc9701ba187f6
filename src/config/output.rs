//! 输出文件夹 — the one folder reports and bundles go to when no path is given, so a leader
//! finds every file louzu wrote in one place (and the import chooser starts there).
//!
//! `LOUZU_OUTPUT_DIR`, else `output_dir` in config.toml, else the user's Documents folder,
//! else the home folder. It is made when the first file is written into it, not before:
//! opening louzu never leaves an empty folder behind.

use std::path::{Path, PathBuf};

use super::Config;

/// The output folder for these settings (not created here).
pub fn dir(cfg: &Config) -> PathBuf {
    let home = directories::UserDirs::new().map(|d| d.home_dir().to_path_buf());
    if let Some(d) = std::env::var_os("LOUZU_OUTPUT_DIR").filter(|d| !d.is_empty()) {
        return expand(Path::new(&d), home.as_deref());
    }
    if let Some(d) = &cfg.output_dir {
        return expand(d, home.as_deref());
    }
    default_dir()
}

/// Documents, else home, else the current folder: where a file is found again by someone
/// who never set anything.
pub fn default_dir() -> PathBuf {
    let Some(user) = directories::UserDirs::new() else {
        return PathBuf::from(".");
    };
    user.document_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| user.home_dir().to_path_buf())
}

/// `~` and `~/…` mean the home folder, as a leader copying a path from a guide writes it.
fn expand(path: &Path, home: Option<&Path>) -> PathBuf {
    let text = path.to_string_lossy();
    match (home, text.strip_prefix('~')) {
        (Some(h), Some("")) => h.to_path_buf(),
        (Some(h), Some(rest)) if rest.starts_with(['/', '\\']) => h.join(&rest[1..]),
        _ => path.to_path_buf(),
    }
}

/// Makes the folder a file is about to be written into (the first write makes the output
/// folder); the error names the folder.
pub fn prepare(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)
}

/// A path as the leader should read it in a message: absolute, so "written to 月度台账.xlsx"
/// never leaves them guessing which folder.
pub fn shown(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_means_home_and_other_paths_stay() {
        let home = Path::new("/home/zeng");
        assert_eq!(expand(Path::new("~"), Some(home)), home);
        assert_eq!(
            expand(Path::new("~/文档/楼组"), Some(home)),
            home.join("文档/楼组")
        );
        assert_eq!(
            expand(Path::new("/media/u盘"), Some(home)),
            Path::new("/media/u盘")
        );
        assert_eq!(expand(Path::new("~x"), Some(home)), Path::new("~x"));
        assert_eq!(expand(Path::new("~/a"), None), Path::new("~/a"));
    }

    #[test]
    fn the_folder_is_made_on_first_write_only() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("楼组文件");
        let cfg = Config {
            output_dir: Some(out.clone()),
            ..Config::default()
        };
        // Only when LOUZU_OUTPUT_DIR is not set by whoever runs the tests.
        if std::env::var_os("LOUZU_OUTPUT_DIR").is_none() {
            assert_eq!(dir(&cfg), out);
        }
        assert!(!out.exists(), "naming the folder does not make it");
        prepare(&out).unwrap();
        assert!(out.is_dir());
        prepare(&out).unwrap();
        assert!(shown(Path::new("x.louzu")).ends_with("x.louzu"));
        assert!(Path::new(&shown(Path::new("x.louzu"))).is_absolute());
    }
}
