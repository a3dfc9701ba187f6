//! Reading the 六个员 / 四个无 set from `<config dir>/duties.toml`. A broken file is
//! reported (file, line, reason, in the interface language) and the previous good set is kept:
//! the last file that parsed, remembered by the caller, or else the embedded default.

use std::path::Path;

use crate::domain::duty::RoleSet;
use crate::i18n::Lang;

/// The file name in the config folder.
pub const FILE: &str = "duties.toml";

/// Why the user's duties file was not used, in both languages; show one with
/// [`DutyWarning::message`] (Display is the Chinese text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyWarning {
    pub zh: String,
    pub en: String,
}

impl DutyWarning {
    /// The warning in the interface language.
    pub fn message(&self, lang: Lang) -> String {
        lang.pick(&self.zh, &self.en).to_string()
    }
}

impl std::fmt::Display for DutyWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}

/// What loading found.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub set: RoleSet,
    /// Why the user's file was not used.
    pub warning: Option<DutyWarning>,
    /// The text of a file that parsed, for the caller to remember as the previous set.
    pub good_text: Option<String>,
}

/// Loads the set: the user's file if present and valid; else `previous` (the text of the
/// last file that was valid) if it still parses; else the default.
pub fn load(dir: Option<&Path>, previous: Option<&str>) -> Loaded {
    let fallback = || {
        previous
            .and_then(|t| RoleSet::parse(t).ok())
            .unwrap_or_else(RoleSet::default_set)
    };
    let Some(path) = dir.map(|d| d.join(FILE)) else {
        return Loaded {
            set: RoleSet::default_set(),
            warning: None,
            good_text: None,
        };
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                set: RoleSet::default_set(),
                warning: None,
                good_text: None,
            };
        }
        Err(e) => {
            return Loaded {
                set: fallback(),
                warning: Some(DutyWarning {
                    zh: format!(
                        "六个员设置 {p}：无法读取（{e}），继续使用之前的设置；请检查这个文件",
                        p = path.display()
                    ),
                    en: format!(
                        "duties file {p} cannot be read ({e}); keeping the previous set. Check the file",
                        p = path.display()
                    ),
                }),
                good_text: None,
            };
        }
    };
    match RoleSet::parse(&text) {
        Ok(set) => Loaded {
            set,
            warning: None,
            good_text: Some(text),
        },
        Err(err) => Loaded {
            set: fallback(),
            warning: Some(DutyWarning {
                zh: format!(
                    "六个员设置 {p} 第 {l} 行：{zh}；继续使用之前的设置",
                    p = path.display(),
                    l = err.line,
                    zh = err.zh,
                ),
                en: format!(
                    "duties file {p} line {l}: {en}; keeping the previous set",
                    p = path.display(),
                    l = err.line,
                    en = err.en,
                ),
            }),
            good_text: None,
        },
    }
}

/// The device-local setting that remembers the last good file.
const REMEMBERED: &str = "duties_last_good";

/// Loads the set for a store: a broken file falls back to the last good file this device
/// saw (remembered in the database), and a good file becomes the one remembered.
pub fn load_for(store: &crate::store::Store, dir: Option<&Path>) -> Loaded {
    let previous = store.local_setting(REMEMBERED).ok().flatten();
    let loaded = load(dir, previous.as_deref());
    if let Some(text) = &loaded.good_text
        && previous.as_deref() != Some(text.as_str())
    {
        let _ = store.set_local_setting(REMEMBERED, text);
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_broken_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let l = load(Some(dir.path()), None);
        assert_eq!(l.set, RoleSet::default_set());
        assert!(l.warning.is_none());

        let mine = "[[roles]]\nname = \"楼道长\"\nitems = [\"每周巡楼\"]\n";
        std::fs::write(dir.path().join(FILE), mine).unwrap();
        let l = load(Some(dir.path()), None);
        assert_eq!(l.set.roles.len(), 1);
        assert_eq!(l.good_text.as_deref(), Some(mine));

        std::fs::write(dir.path().join(FILE), "[[roles]]\nname = 3\n").unwrap();
        let l = load(Some(dir.path()), Some(mine));
        let w = l.warning.unwrap();
        let (zh, en) = (w.message(Lang::Zh), w.message(Lang::En));
        assert!(zh.contains("第 2 行") && !zh.contains("line 2"), "{zh}");
        assert!(en.contains("line 2") && !en.contains("第 2 行"), "{en}");
        assert!(zh.contains(FILE) && en.contains(FILE));
        assert_eq!(w.to_string(), zh);
        assert_eq!(l.set.roles[0].name, "楼道长", "the previous set is kept");
        let l = load(Some(dir.path()), None);
        assert_eq!(l.set, RoleSet::default_set(), "no previous: the default");
    }
}
