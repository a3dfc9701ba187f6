//! What the release packages ship (scripts/dist): the example config loads as it is, on
//! Linux and in the Windows form (BOM + CRLF), the themes load cleanly, the README names the
//! files the script writes, and the shell-convention commands work.

use std::path::{Path, PathBuf};
use std::process::Command;

use louzu::config::Config;
use louzu::tui::theme::Theme;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads `config.toml` from `dir` the way louzu does and fails on any warning.
fn assert_loads_cleanly(dir: &Path) -> Config {
    let (cfg, warnings) = Config::load(Some(dir));
    let said: Vec<String> = warnings
        .iter()
        .map(|w| w.message(louzu::i18n::Lang::Zh))
        .collect();
    assert!(
        said.is_empty(),
        "config.toml in {}: {said:?}",
        dir.display()
    );
    cfg
}

#[test]
fn the_example_config_loads_with_no_warning_and_means_what_it_says() {
    let cfg = assert_loads_cleanly(&root().join("packaging"));
    assert_eq!(cfg.lang(), Some(louzu::i18n::Lang::Zh));
    assert_eq!(
        cfg.cadence.get("租户").map(String::as_str),
        Some("quarterly")
    );
    assert_eq!(
        cfg.cadence.get("独居老人").map(String::as_str),
        Some("weekly")
    );
    assert!(cfg.checkin_items().iter().any(|i| i == "消防通道"));
    let theme = cfg.theme.expect("the example names a theme");
    let (_, warnings) = Theme::load(&theme, Some(&root()), false);
    assert!(warnings.is_empty(), "theme {theme}: {warnings:?}");
}

#[test]
fn the_windows_form_of_the_example_config_loads_too() {
    // scripts/dist writes it with a UTF-8 byte-order mark and CRLF line ends for Notepad;
    // older Notepad also saves that way when a leader edits the file.
    let text = std::fs::read_to_string(root().join("packaging/config.toml")).unwrap();
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), windows).unwrap();
    let cfg = assert_loads_cleanly(dir.path());
    assert_eq!(
        cfg.cadence.get("租户").map(String::as_str),
        Some("quarterly")
    );
}

#[test]
fn every_shipped_theme_loads_without_warnings() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root().join("themes")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let (theme, warnings) = Theme::load(&name, Some(&root()), false);
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        assert_eq!(theme.name(), name);
        names.push(name);
    }
    assert!(names.len() >= 4, "{names:?}");
}

#[test]
fn the_readme_names_the_files_the_dist_script_writes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let dist = std::fs::read_to_string(root().join("scripts/dist")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    for suffix in ["windows-x86_64.zip", "linux-x86_64.tar.gz"] {
        let file = format!("louzu-{version}-{suffix}");
        assert!(readme.contains(&file), "README.md should name {file}");
        let pattern = format!("louzu-$version-{}", suffix.split('.').next().unwrap());
        assert!(
            dist.contains(&pattern),
            "scripts/dist should write {pattern}"
        );
    }
    for shipped in ["louzu.exe", "使用说明.txt", "config.toml", "SHA256SUMS"] {
        assert!(
            readme.contains(shipped),
            "README.md should mention {shipped}"
        );
        assert!(dist.contains(shipped), "scripts/dist should ship {shipped}");
    }
    let download = readme.find("## 下载安装").expect("a 下载安装 section");
    let developer = readme
        .find("cargo run --release -- demo")
        .expect("the developer commands");
    assert!(
        download < developer,
        "下载安装 comes before the developer section"
    );
    assert!(readme.contains("cargo test"));
}

#[test]
fn completions_and_the_man_page_come_from_the_command_line_definition() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_louzu"))
            .args(args)
            .env("LOUZU_CONFIG_DIR", root().join("packaging"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = run(&["completions", shell]);
        // Every command a leader types is offered, including the newest ones.
        for cmd in ["demo", "export", "import", "report", "completions"] {
            assert!(script.contains(cmd), "{shell} completion lacks {cmd}");
        }
    }
    let man = run(&["man"]);
    assert!(man.contains(".TH louzu 1"));
    assert!(man.contains("export"));
}
