//! Where louzu keeps its files, and the user's config file (`config.toml`).
//!
//! Data and config folders come from `directories`, so they are the platform's own:
//! `~/.local/share/louzu` and `~/.config/louzu` on Linux, `%APPDATA%\louzu` on Windows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::domain::cadence::{Cadence, Cadences};
use crate::i18n::Lang;

/// The file name in the config folder.
pub const FILE: &str = "config.toml";

/// The settings `config.toml` may hold, for the "unknown setting" warning.
const KEYS: &str = "lang, theme, cadence, checkin_items, notice, output_dir";

/// The user's settings. Every key is optional; what cannot be read is warned about and
/// left at its default, and the rest of the file still applies.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub lang: Option<String>,
    pub theme: Option<String>,
    /// Visit cadence per household tag: `独居老人 = "weekly"`, `租户 = "none"`… Only
    /// spellings louzu can read are kept here; the others were warned about.
    pub cadence: BTreeMap<String, String>,
    /// The daily check-in's checklist, replacing the default items.
    pub checkin_items: Option<Vec<String>>,
    /// 党员公示牌: the group's pledge (承诺) and the 居委会's phone printed under the cards.
    pub notice: NoticeConfig,
    /// 输出文件夹 — where reports and bundles go when no path is given (see [`output`]).
    pub output_dir: Option<PathBuf>,
}

/// `[notice]` in config.toml: what the 党员公示牌 prints besides the members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeConfig {
    /// 党小组承诺, one line or several (`\n`); a standard pledge when not set.
    pub pledge: Option<String>,
    /// 居委会 phone for residents (the 居委会's own number, not a person's).
    pub office_phone: Option<String>,
}

/// One problem with the config file: which file, which line, what is wrong and what to do,
/// in both languages. One warning per problem, so a list can show each on its own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    pub file: PathBuf,
    /// 1-based line, when the problem is on one line.
    pub line: Option<usize>,
    pub zh: String,
    pub en: String,
}

impl ConfigWarning {
    fn new(file: &Path, line: Option<usize>, zh: String, en: String) -> ConfigWarning {
        ConfigWarning {
            file: file.to_path_buf(),
            line,
            zh,
            en,
        }
    }

    /// The warning in the interface language, with the file and line first.
    pub fn message(&self, lang: Lang) -> String {
        let file = self.file.display();
        match (lang, self.line) {
            (Lang::Zh, Some(l)) => format!("配置文件 {file} 第 {l} 行：{}", self.zh),
            (Lang::Zh, None) => format!("配置文件 {file}：{}", self.zh),
            (Lang::En, Some(l)) => format!("config file {file} line {l}: {}", self.en),
            (Lang::En, None) => format!("config file {file}: {}", self.en),
        }
    }
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::Zh))
    }
}

impl Config {
    /// Reads `config.toml` from the config folder. Missing is fine; everything else that
    /// is wrong (a folder in its place, GBK text, broken lines, unknown keys, wrong types,
    /// a language louzu does not speak) is one warning each, and the rest still loads.
    pub fn load(dir: Option<&Path>) -> (Config, Vec<ConfigWarning>) {
        let Some(path) = dir.map(|d| d.join(FILE)) else {
            return (Config::default(), Vec::new());
        };
        let mut warnings = Vec::new();
        let Some(text) = read_text(&path, &mut warnings) else {
            return (Config::default(), warnings);
        };
        let config = Config::parse(&text, &path, &mut warnings);
        (config, warnings)
    }

    /// Reads settings from a file's text; `path` is only for the warnings.
    pub fn parse(text: &str, path: &Path, warnings: &mut Vec<ConfigWarning>) -> Config {
        let text = quote_bare_keys(text, path, warnings);
        let (table, errors) = DeTable::parse_recoverable(&text);
        for e in errors {
            let line = e.span().map(|s| crate::text::line_of(&text, s.start));
            let reason = e.message().trim().to_string();
            warnings.push(ConfigWarning::new(
                path,
                line,
                format!("不是正确的 TOML（{reason}），这一处已跳过，其余设置照常使用"),
                format!("not valid TOML ({reason}); skipped, the other settings still apply"),
            ));
        }
        let at = |span: std::ops::Range<usize>| Some(crate::text::line_of(&text, span.start));
        let mut config = Config::default();
        for (key, value) in table.get_ref().iter() {
            let line = at(value.span());
            let wrong = |want_zh: &str, want_en: &str| {
                let (zh, en) = type_name(value.get_ref());
                ConfigWarning::new(
                    path,
                    line,
                    format!("{key} 应该是{want_zh}，这里写的是{zh}；已忽略这个设置"),
                    format!("{key} should be {want_en}, not {en}; this setting is ignored"),
                )
            };
            match (key.get_ref().as_ref(), value.get_ref()) {
                ("lang", DeValue::String(s)) => match Lang::parse(s) {
                    Some(_) => config.lang = Some(s.to_string()),
                    None => warnings.push(ConfigWarning::new(
                        path,
                        line,
                        format!(
                            "lang = \"{s}\"：louzu 只有中文（zh）和英文（en），已使用中文；请写 lang = \"zh\" 或 \"en\""
                        ),
                        format!(
                            "lang = \"{s}\": louzu speaks Chinese (zh) and English (en); using Chinese. Write lang = \"zh\" or \"en\""
                        ),
                    )),
                },
                ("lang", _) => {
                    warnings.push(wrong("文字 \"zh\" 或 \"en\"", "the text \"zh\" or \"en\""))
                }
                ("theme", DeValue::String(s)) => config.theme = Some(s.to_string()),
                ("theme", _) => warnings.push(wrong(
                    "加引号的主题名称（如 \"light\"）",
                    "a theme name in quotes (\"light\")",
                )),
                ("cadence", DeValue::Table(t)) => {
                    for (tag, spec) in t.iter() {
                        read_cadence(tag.get_ref(), spec, &mut config, path, &at, warnings);
                    }
                }
                ("cadence", _) => warnings.push(wrong(
                    "一个表（[cadence] 下每行一个 标签 = \"weekly\"）",
                    "a table ([cadence], then one tag = \"weekly\" per line)",
                )),
                ("checkin_items", DeValue::Array(items)) => {
                    let mut kept = Vec::new();
                    for item in items.iter() {
                        match item.get_ref() {
                            DeValue::String(s) if !s.trim().is_empty() => {
                                kept.push(s.trim().to_string());
                            }
                            other => {
                                let (zh, en) = type_name(other);
                                warnings.push(ConfigWarning::new(
                                    path,
                                    at(item.span()),
                                    format!(
                                        "checkin_items 里的每一项应该是加引号的文字，这里是{zh}；这一项已跳过"
                                    ),
                                    format!(
                                        "each of checkin_items should be text in quotes, not {en}; this item is skipped"
                                    ),
                                ));
                            }
                        }
                    }
                    if kept.is_empty() {
                        warnings.push(ConfigWarning::new(
                            path,
                            line,
                            "checkin_items 没有可用的项目，巡楼用默认清单".into(),
                            "checkin_items has no usable item; the check-in uses the default list"
                                .into(),
                        ));
                    } else {
                        config.checkin_items = Some(kept);
                    }
                }
                ("checkin_items", _) => warnings.push(wrong(
                    "一个列表，如 [\"楼道堆物\", \"照明\"]",
                    "a list, such as [\"楼道堆物\", \"照明\"]",
                )),
                ("output_dir", DeValue::String(s)) if !s.trim().is_empty() => {
                    config.output_dir = Some(PathBuf::from(s.trim()));
                }
                ("output_dir", _) => warnings.push(wrong(
                    "加引号的文件夹位置（如 \"D:\\\\楼组\" 或 \"~/文档/楼组\"）",
                    "a folder in quotes (\"D:\\\\louzu\" or \"~/Documents/louzu\")",
                )),
                ("notice", DeValue::Table(t)) => {
                    for (k, v) in t.iter() {
                        let text = match v.get_ref() {
                            DeValue::String(s) => Some(s.to_string()),
                            _ => None,
                        };
                        match (k.get_ref().as_ref(), text) {
                            ("pledge", Some(t)) => config.notice.pledge = Some(t),
                            ("office_phone", Some(t)) => config.notice.office_phone = Some(t),
                            (name, _) => warnings.push(ConfigWarning::new(
                                path,
                                at(k.span()),
                                format!(
                                    "[notice] {name}：只认 pledge 和 office_phone，且应是加引号的文字；已忽略"
                                ),
                                format!(
                                    "[notice] {name}: only pledge and office_phone, as text in quotes, are read; ignored"
                                ),
                            )),
                        }
                    }
                }
                ("notice", _) => warnings.push(wrong(
                    "一个表（[notice] 下写 pledge = \"…\"、office_phone = \"…\"）",
                    "a table ([notice], then pledge = \"…\" and office_phone = \"…\")",
                )),
                (other, _) => warnings.push(ConfigWarning::new(
                    path,
                    at(key.span()),
                    format!(
                        "不认识的设置「{other}」，已忽略；可用的设置：{KEYS}（按键在 keymap.toml，六个员在 duties.toml）"
                    ),
                    format!(
                        "unknown setting \"{other}\", ignored; the settings are {KEYS} (keys go in keymap.toml, duties in duties.toml)"
                    ),
                )),
            }
        }
        config
    }

    /// Visit cadences: defaults with the file's `[cadence]` table applied (the spellings
    /// louzu could not read were warned about at load and left out).
    pub fn cadences(&self) -> Cadences {
        let base = Cadences::default();
        base.clone().with_overrides(&self.cadence).unwrap_or(base)
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

/// One `[cadence]` line: kept when louzu can read it, else warned about (the tag keeps its
/// default cadence).
fn read_cadence(
    tag: &str,
    spec: &toml::Spanned<DeValue<'_>>,
    config: &mut Config,
    path: &Path,
    at: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    warnings: &mut Vec<ConfigWarning>,
) {
    let line = at(spec.span());
    match spec.get_ref() {
        DeValue::String(v) if Cadence::parse(v).is_ok() => {
            config.cadence.insert(tag.to_string(), v.to_string());
        }
        DeValue::String(v) => warnings.push(ConfigWarning::new(
            path,
            line,
            format!(
                "[cadence] {tag} = \"{v}\"：看不懂这个走访周期，这个标签用默认周期；可写 weekly、biweekly、monthly、quarterly、14d、2w、1m 或 none"
            ),
            format!(
                "[cadence] {tag} = \"{v}\": not a visit cadence louzu can read, so the tag keeps its default; write weekly, biweekly, monthly, quarterly, 14d, 2w, 1m or none"
            ),
        )),
        other => {
            let (zh, en) = type_name(other);
            warnings.push(ConfigWarning::new(
                path,
                line,
                format!(
                    "[cadence] {tag} 应该是加引号的周期（如 \"weekly\"），这里写的是{zh}；这个标签用默认周期"
                ),
                format!(
                    "[cadence] {tag} should be a cadence in quotes (\"weekly\"), not {en}; the tag keeps its default"
                ),
            ));
        }
    }
}

/// The file's text, or why there is none. A file saved as GBK (the default of older Chinese
/// Windows editors) is read as GBK with a warning to save it as UTF-8.
fn read_text(path: &Path, warnings: &mut Vec<ConfigWarning>) -> Option<String> {
    let warn = |zh: &str, en: &str| ConfigWarning::new(path, None, zh.into(), en.into());
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Ok(m) if m.is_dir() => {
            warnings.push(warn(
                "这是一个文件夹，不是设置文件；已使用默认设置。请把这个文件夹改名或删除，把设置写进名为 config.toml 的文本文件",
                "this is a folder, not a settings file; using the defaults. Rename or remove the folder and put your settings in a text file named config.toml",
            ));
            return None;
        }
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            warnings.push(ConfigWarning::new(
                path,
                None,
                format!("无法读取（{e}）；已使用默认设置。请检查文件的权限"),
                format!("cannot be read ({e}); using the defaults. Check the file's permissions"),
            ));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Some(t.to_string());
    }
    match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(t) => {
            warnings.push(warn(
                "文件是 GBK 编码，已按 GBK 读取；请另存为 UTF-8（记事本：另存为 → 编码选 UTF-8），其他程序才能读对",
                "the file is saved as GBK; it was read as GBK, but please save it as UTF-8 (Notepad: Save as → Encoding UTF-8) so other tools read it right",
            ));
            Some(t.into_owned())
        }
        None => {
            warnings.push(warn(
                "不是 UTF-8 或 GBK 文本，无法读取；已使用默认设置。请用文本编辑器另存为 UTF-8",
                "is neither UTF-8 nor GBK text and cannot be read; using the defaults. Save it as UTF-8 from a text editor",
            ));
            None
        }
    }
}

/// TOML allows only ASCII letters, digits, `-` and `_` in a bare key, but people write
/// `独居老人 = "weekly"` (the README once did). Such keys are quoted before parsing, and
/// each is reported with its line so the file can be fixed for other tools.
fn quote_bare_keys<'a>(
    text: &'a str,
    path: &Path,
    warnings: &mut Vec<ConfigWarning>,
) -> std::borrow::Cow<'a, str> {
    const MULTILINE: [&str; 2] = ["\"\"\"", "\x27\x27\x27"];
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut in_multiline: Option<&str> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some(delim) = in_multiline {
            if line.matches(delim).count() % 2 == 1 {
                in_multiline = None;
            }
            out.push_str(line);
            continue;
        }
        let trimmed = line.trim_start();
        let bare = match trimmed.split_once('=') {
            Some((key, _))
                if !trimmed.starts_with(['#', '[', '"', '\''])
                    && !key.trim().is_empty()
                    && !key.trim().is_ascii()
                    && !key.contains(['"', '\'', '#', '.', '[', ']', ',', '{']) =>
            {
                Some(key.trim())
            }
            _ => None,
        };
        for delim in MULTILINE {
            if line.matches(delim).count() % 2 == 1 {
                in_multiline = Some(delim);
            }
        }
        let Some(key) = bare else {
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - trimmed.len()];
        let rest = trimmed.split_once('=').map_or("", |(_, r)| r);
        out.push_str(indent);
        out.push('"');
        out.push_str(key);
        out.push_str("\" =");
        out.push_str(rest);
        changed = true;
        warnings.push(ConfigWarning::new(
            path,
            Some(i + 1),
            format!(
                "键 {key} 没有加引号，已按 \"{key}\" 读取；TOML 里中文键要加引号，请改成 \"{key}\" = …"
            ),
            format!(
                "the key {key} has no quotes; read as \"{key}\". TOML needs quotes around a Chinese key: write \"{key}\" = …"
            ),
        ));
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// How a value's type is named in a warning.
fn type_name(v: &DeValue<'_>) -> (&'static str, &'static str) {
    match v {
        DeValue::String(_) => ("文字", "text"),
        DeValue::Integer(_) => ("整数", "a number"),
        DeValue::Float(_) => ("小数", "a number"),
        DeValue::Boolean(_) => ("是/否（true/false）", "true/false"),
        DeValue::Datetime(_) => ("日期", "a date"),
        DeValue::Array(_) => ("列表", "a list"),
        DeValue::Table(_) => ("表", "a table"),
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

pub mod output;

#[cfg(test)]
mod tests;
