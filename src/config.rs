//! Where louzu keeps its files, and the user's config file (`config.toml`).
//!
//! Data and config folders come from `directories`, so they are the platform's own:
//! `~/.local/share/louzu` and `~/.config/louzu` on Linux, `%APPDATA%\louzu` on Windows.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Lang;

/// The user's settings. Every key is optional; a broken file is reported and ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub lang: Option<String>,
    pub theme: Option<String>,
    /// Visit cadence per household tag: `独居老人 = "weekly"`, `租户 = "none"`…
    #[serde(default)]
    pub cadence: std::collections::BTreeMap<String, String>,
    /// The daily check-in's checklist, replacing the default items.
    pub checkin_items: Option<Vec<String>>,
    /// 党员公示牌: the group's pledge (承诺) and the 居委会's phone printed under the cards.
    #[serde(default)]
    pub notice: NoticeConfig,
}

/// `[notice]` in config.toml: what the 党员公示牌 prints besides the members.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NoticeConfig {
    /// 党小组承诺, one line or several (`\n`); a standard pledge when not set.
    pub pledge: Option<String>,
    /// 居委会 phone for residents (the 居委会's own number, not a person's).
    pub office_phone: Option<String>,
}

/// A config file that could not be used, said with its path, line and reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigWarning(pub String);

impl Config {
    /// Reads `config.toml` from the config folder; missing is fine, broken is a warning.
    pub fn load(dir: Option<&Path>) -> (Config, Option<ConfigWarning>) {
        let Some(path) = dir.map(|d| d.join("config.toml")) else {
            return (Config::default(), None);
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            return (Config::default(), None);
        };
        match toml::from_str::<Config>(&text) {
            Ok(c) => (c, None),
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| crate::text::line_of(&text, s.start))
                    .unwrap_or(1);
                let reason = e.message().to_string();
                (
                    Config::default(),
                    Some(ConfigWarning(format!(
                        "配置文件 {} 第 {line} 行：{reason}；已使用默认设置 / config file ignored",
                        path.display()
                    ))),
                )
            }
        }
    }

    /// Visit cadences: defaults with the file's `[cadence]` table applied. A spelling
    /// louzu cannot read is reported and the defaults are kept.
    pub fn cadences(&self) -> (crate::domain::cadence::Cadences, Option<ConfigWarning>) {
        let base = crate::domain::cadence::Cadences::default();
        match base.clone().with_overrides(&self.cadence) {
            Ok(c) => (c, None),
            Err(e) => (
                base,
                Some(ConfigWarning(format!("config.toml [cadence]：{e}"))),
            ),
        }
    }

    /// The check-in checklist items.
    pub fn checkin_items(&self) -> Vec<String> {
        match &self.checkin_items {
            Some(items) if !items.is_empty() => items.clone(),
            _ => crate::domain::checkin::DEFAULT_ITEMS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// The language asked for in the file, if it names one louzu knows.
    pub fn lang(&self) -> Option<Lang> {
        self.lang.as_deref().and_then(Lang::parse)
    }
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "louzu")
}

/// The folder for `config.toml`, `keymap.toml` and `themes/`. `LOUZU_CONFIG_DIR` overrides.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LOUZU_CONFIG_DIR") {
        return Some(PathBuf::from(d));
    }
    dirs().map(|d| d.config_dir().to_path_buf())
}

/// The database to open: `--db`, else `LOUZU_DB`, else `louzu.db` in the data folder.
pub fn db_path(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("LOUZU_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    match dirs() {
        Some(d) => d.data_dir().join("louzu.db"),
        None => PathBuf::from("louzu.db"),
    }
}

/// The demo's own database, beside (never in place of) the real one.
pub fn demo_db_path() -> PathBuf {
    match dirs() {
        Some(d) => d.data_dir().join("demo.db"),
        None => PathBuf::from("louzu-demo.db"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_config_is_reported_with_its_line_and_defaults_used() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), "lang = \"en\"\ntheme = 3\n").unwrap();
        let (c, w) = Config::load(Some(dir.path()));
        assert!(c.theme.is_none());
        let w = w.unwrap().0;
        assert!(w.contains("第 2 行"), "{w}");
        std::fs::write(dir.path().join("config.toml"), "lang = \"en\"\n").unwrap();
        let (c, w) = Config::load(Some(dir.path()));
        assert_eq!((c.lang(), w), (Some(Lang::En), None));
    }
}
