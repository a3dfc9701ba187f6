//! Themes (主题): how each semantic role looks.
//!
//! Widgets never name a colour; they ask the theme for a [`Role`] (`selection`, `overdue`,
//! `muted`…). A theme is a TOML file with an optional `inherits`, a `[palette]` of named
//! colours and a `[roles]` table. Four themes are bundled (embedded, so the binary works with
//! no files installed); a user can add or override themes in `<config dir>/themes/`.
//!
//! A broken theme file must never stop a leader from working: every problem becomes a
//! [`ThemeWarning`] naming the file, line and reason, and the bundled default theme is used.
//! `NO_COLOR` strips colours but keeps (and adds) modifiers so focus stays visible.

use crate::text::line_of;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use toml::Spanned;

/// Bundled themes, embedded so they cannot go missing: (name, TOML source).
const BUNDLED: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    (
        "dangjian-red",
        include_str!("../../themes/dangjian-red.toml"),
    ),
];

/// The name of the theme used when nothing else works.
pub const DEFAULT_THEME: &str = "default";

macro_rules! roles {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What a piece of the screen *means*, so a theme can decide how it looks.
        ///
        /// Widgets pick a role by meaning (`Overdue` for a visit past its date), never a
        /// colour; that keeps every theme, `NO_COLOR` and future themes consistent.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role {
            $($(#[$doc])* $variant,)*
        }

        impl Role {
            /// Every role, in declaration order, for iterating (tests, theme previews).
            pub const ALL: &'static [Role] = &[$(Role::$variant,)*];

            /// The key used for this role in theme files (`focus_border`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Role::$variant => $name,)*
                }
            }

            /// Parses a theme-file key; `-` is accepted for `_` since both are common.
            pub fn from_name(name: &str) -> Option<Role> {
                match name.replace('-', "_").as_str() {
                    $($name => Some(Role::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

roles! {
    /// Ordinary text and the screen background.
    Base = "base",
    /// Pane and dialog titles.
    Title = "title",
    /// Borders of panes that do not have focus.
    Border = "border",
    /// Border of the pane that has focus, so the leader sees where keys go.
    FocusBorder = "focus_border",
    /// The selected row of a list or table.
    Selection = "selection",
    /// Table column headers.
    Header = "header",
    /// Secondary information: dates, hints, empty-list text.
    Muted = "muted",
    /// Something needs attention soon (visit due this week, config warning).
    Warning = "warning",
    /// Something failed (save error, invalid input summary).
    Error = "error",
    /// 逾期 — a visit or duty past its date.
    Overdue = "overdue",
    /// 已完成 — a visit or duty done.
    Done = "done",
    /// 标签 — household tags such as 独居老人.
    Tag = "tag",
    /// 党员 — marks a party member.
    Member = "member",
    /// Key names in the help overlay and status-bar hints.
    Key = "key",
    /// Highlights that are neither good nor bad (counts, the current building).
    Accent = "accent",
    /// Tabs that are not selected.
    Tab = "tab",
    /// The selected tab.
    TabActive = "tab_active",
    /// The bottom status bar.
    StatusBar = "status_bar",
    /// Text fields in forms.
    Input = "input",
    /// A form field whose content is invalid.
    InputError = "input_error",
}

/// Modifiers each role keeps under `NO_COLOR`, so selection, focus and alarms stay visible
/// without colour.
const NO_COLOR_MODIFIERS: &[(Role, Modifier)] = &[
    (Role::Title, Modifier::BOLD),
    (Role::FocusBorder, Modifier::BOLD),
    (Role::Selection, Modifier::REVERSED),
    (Role::Header, Modifier::BOLD),
    (Role::Muted, Modifier::DIM),
    (Role::Warning, Modifier::BOLD),
    (Role::Error, Modifier::BOLD),
    (Role::Overdue, Modifier::BOLD),
    (Role::Key, Modifier::BOLD),
    (Role::TabActive, Modifier::REVERSED),
    (Role::StatusBar, Modifier::REVERSED),
    (Role::InputError, Modifier::UNDERLINED),
];

/// A resolved theme: one style per [`Role`].
///
/// Resolution (palette lookup, inheritance, fallback) happens once at load time so that
/// drawing is a plain array index.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    styles: Vec<Style>,
}

impl Default for Theme {
    /// The bundled default theme; what every failure falls back to.
    fn default() -> Self {
        let styles = resolve(DEFAULT_THEME, None, &mut Vec::new(), true)
            .map(|layer| {
                layer
                    .styles
                    .into_iter()
                    .map(Option::unwrap_or_default)
                    .collect()
            })
            .unwrap_or_else(|_| vec![Style::default(); Role::ALL.len()]);
        Self {
            name: DEFAULT_THEME.to_string(),
            styles,
        }
    }
}

impl Theme {
    /// The style for a role; widgets call this instead of naming colours.
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(role as usize).copied().unwrap_or_default()
    }

    /// The theme's name as given to [`Theme::load`] (or `default` after a fallback), for
    /// the settings screen.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Names of the bundled themes, for `--theme` help and a theme picker.
    pub fn builtin_names() -> Vec<&'static str> {
        BUNDLED.iter().map(|(name, _)| *name).collect()
    }

    /// Bundled names plus every `*.toml` in `user_dir/themes/`, sorted and deduplicated,
    /// so a picker can offer the user's own themes too.
    pub fn available(user_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUNDLED.iter().map(|(n, _)| n.to_string()).collect();
        if let Some(entries) = user_dir.and_then(|d| std::fs::read_dir(d.join("themes")).ok()) {
            for path in entries.flatten().map(|e| e.path()) {
                if path.extension().is_some_and(|e| e == "toml")
                    && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                {
                    names.push(stem.to_string());
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// Loads a theme by name, never failing.
    ///
    /// `user_dir/themes/NAME.toml` wins over a bundled theme of the same name. Any problem
    /// (unknown name, unreadable file, bad TOML, unknown colour/role/modifier, inheritance
    /// cycle) is returned as warnings to show the user, and the bundled default theme is
    /// used instead. `no_color` (the caller checks `NO_COLOR` is set and non-empty) drops
    /// all colours but keeps modifiers, adding reverse/bold where focus depends on them.
    pub fn load(name: &str, user_dir: Option<&Path>, no_color: bool) -> (Theme, Vec<ThemeWarning>) {
        let base = Theme::default();
        let (theme, warnings) = match resolve(name, user_dir, &mut Vec::new(), false) {
            Ok(layer) => {
                let styles = layer
                    .styles
                    .into_iter()
                    .zip(&base.styles)
                    .map(|(own, fallback)| own.unwrap_or(*fallback))
                    .collect();
                let theme = Theme {
                    name: name.to_string(),
                    styles,
                };
                (theme, Vec::new())
            }
            Err(warnings) => (base, warnings),
        };
        let theme = if no_color {
            theme.without_colour()
        } else {
            theme
        };
        (theme, warnings)
    }

    /// The same theme with every colour removed and the [`NO_COLOR_MODIFIERS`] added.
    fn without_colour(mut self) -> Theme {
        for style in &mut self.styles {
            style.fg = None;
            style.bg = None;
            style.underline_color = None;
        }
        for &(role, modifier) in NO_COLOR_MODIFIERS {
            if let Some(style) = self.styles.get_mut(role as usize) {
                *style = style.add_modifier(modifier);
            }
        }
        self
    }
}

/// A theme-file problem the user should fix; the default theme was used meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeWarning {
    /// The theme whose file had the problem (may be a parent named by `inherits`).
    pub theme: String,
    /// The user's file, or `None` for a bundled theme or a theme that was not found.
    pub file: Option<PathBuf>,
    /// 1-based line of the problem, when it can be pointed at.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: ThemeProblem,
}

/// What is wrong with a theme, in terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeProblem {
    /// No user file and no bundled theme has this name.
    UnknownTheme(String),
    /// The file exists but could not be read (permissions, not UTF-8…).
    Unreadable(String),
    /// The file is not valid TOML or has a value of the wrong type or an unknown key.
    Syntax(String),
    /// A colour that is neither in the palette, a terminal colour name, an index nor
    /// `#rrggbb`.
    UnknownColour(String),
    /// A key in `[roles]` that is not a [`Role`].
    UnknownRole(String),
    /// A modifier name that ratatui does not have.
    UnknownModifier(String),
    /// `inherits` leads back to a theme already in the chain (names in order).
    InheritanceCycle(Vec<String>),
}

impl ThemeWarning {
    /// The English message, for logs and users who run louzu in English.
    pub fn message_en(&self) -> String {
        let problem = match &self.problem {
            ThemeProblem::UnknownTheme(name) => format!(
                "no theme named \"{name}\" (bundled: {})",
                Theme::builtin_names().join(", ")
            ),
            ThemeProblem::Unreadable(why) => format!("cannot read the file: {why}"),
            ThemeProblem::Syntax(why) => format!("invalid TOML: {why}"),
            ThemeProblem::UnknownColour(c) => format!(
                "unknown colour \"{c}\" (use #rrggbb, a terminal colour name or a [palette] name)"
            ),
            ThemeProblem::UnknownRole(r) => format!("unknown role \"{r}\""),
            ThemeProblem::UnknownModifier(m) => format!("unknown modifier \"{m}\""),
            ThemeProblem::InheritanceCycle(chain) => {
                format!("inheritance cycle: {}", chain.join(" -> "))
            }
        };
        let place = match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("theme file {} line {line}", file.display()),
            (Some(file), None) => format!("theme file {}", file.display()),
            (None, Some(line)) => format!("bundled theme \"{}\" line {line}", self.theme),
            (None, None) => format!("theme \"{}\"", self.theme),
        };
        format!("{place}: {problem}; using the default theme")
    }
}

impl fmt::Display for ThemeWarning {
    /// The Chinese message shown in the status bar and on start-up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "主题文件 {} 第 {line} 行: ", file.display())?,
            (Some(file), None) => write!(f, "主题文件 {}: ", file.display())?,
            (None, Some(line)) => write!(f, "内置主题 \"{}\" 第 {line} 行: ", self.theme)?,
            (None, None) => write!(f, "主题 \"{}\": ", self.theme)?,
        }
        match &self.problem {
            ThemeProblem::UnknownTheme(name) => write!(
                f,
                "找不到主题 \"{name}\"（内置主题：{}）",
                Theme::builtin_names().join("、")
            )?,
            ThemeProblem::Unreadable(why) => write!(f, "无法读取文件（{why}）")?,
            ThemeProblem::Syntax(why) => write!(f, "TOML 格式错误（{why}）")?,
            ThemeProblem::UnknownColour(c) => write!(
                f,
                "未知颜色 \"{c}\"（可用 #rrggbb、终端颜色名或 [palette] 中的名字）"
            )?,
            ThemeProblem::UnknownRole(r) => write!(f, "未知角色 \"{r}\"")?,
            ThemeProblem::UnknownModifier(m) => write!(f, "未知修饰 \"{m}\"")?,
            ThemeProblem::InheritanceCycle(chain) => {
                write!(f, "继承形成循环：{}", chain.join(" → "))?
            }
        }
        write!(f, "；已使用默认主题")
    }
}

impl std::error::Error for ThemeWarning {}

/// The shape of a theme file, with spans kept so problems can be reported by line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    palette: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, RoleSpec>,
}

/// One `[roles]` entry: `{ fg = "...", bg = "...", modifiers = [...] }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSpec {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    #[serde(default)]
    modifiers: Vec<Spanned<String>>,
}

/// A theme resolved as far as its own file and its parents go; `None` roles fall back to
/// the bundled default.
struct Layer {
    palette: HashMap<String, Color>,
    styles: Vec<Option<Style>>,
}

/// Where a theme's text came from.
struct Source {
    text: String,
    /// The user's file; `None` when bundled.
    file: Option<PathBuf>,
}

/// Finds a theme's source: the user's file first unless `bundled_only`, then the bundle.
fn find_source(
    name: &str,
    user_dir: Option<&Path>,
    bundled_only: bool,
) -> Result<Option<Source>, ThemeWarning> {
    // A name is a file stem, never a path: `../x` must not read outside the themes folder.
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\']);
    if !plain {
        return Ok(None);
    }
    if !bundled_only && let Some(dir) = user_dir {
        let path = dir.join("themes").join(format!("{name}.toml"));
        if path.is_file() {
            return match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(Source {
                    text,
                    file: Some(path),
                })),
                Err(e) => Err(ThemeWarning {
                    theme: name.to_string(),
                    file: Some(path),
                    line: None,
                    problem: ThemeProblem::Unreadable(e.to_string()),
                }),
            };
        }
    }
    Ok(BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| Source {
            text: (*text).to_string(),
            file: None,
        }))
}

/// Resolves `name` and its `inherits` chain into a [`Layer`].
///
/// Bundled themes only inherit bundled themes, so a user file can never break them. A user
/// file that inherits its own name (`default.toml` with `inherits = "default"`) gets the
/// bundled theme of that name, so tweaking a bundled theme is one short file. `chain` holds
/// (name, is-user-file) of the themes being resolved, to detect cycles among user files.
fn resolve(
    name: &str,
    user_dir: Option<&Path>,
    chain: &mut Vec<(String, bool)>,
    bundled_only: bool,
) -> Result<Layer, Vec<ThemeWarning>> {
    let source = find_source(name, user_dir, bundled_only)
        .map_err(|w| vec![w])?
        .ok_or_else(|| {
            vec![ThemeWarning {
                theme: name.to_string(),
                file: None,
                line: None,
                problem: ThemeProblem::UnknownTheme(name.to_string()),
            }]
        })?;
    let is_user = source.file.is_some();
    let warn = |offset: Option<usize>, problem: ThemeProblem| ThemeWarning {
        theme: name.to_string(),
        file: source.file.clone(),
        line: offset.map(|o| line_of(&source.text, o)),
        problem,
    };
    let file: ThemeFile = toml::from_str(&source.text).map_err(|e| {
        vec![warn(
            e.span().map(|s| s.start),
            ThemeProblem::Syntax(e.message().trim().to_string()),
        )]
    })?;

    let parent = match &file.inherits {
        None => None,
        Some(inherits) => {
            let parent_name = inherits.get_ref().as_str();
            let parent_bundled_only = !is_user || parent_name == name;
            let parent_is_user = !parent_bundled_only
                && user_dir.is_some_and(|d| {
                    d.join("themes")
                        .join(format!("{parent_name}.toml"))
                        .is_file()
                });
            chain.push((name.to_string(), is_user));
            if chain
                .iter()
                .any(|(n, user)| n == parent_name && *user == parent_is_user)
            {
                let mut names: Vec<String> = chain.iter().map(|(n, _)| n.clone()).collect();
                names.push(parent_name.to_string());
                return Err(vec![warn(
                    Some(inherits.span().start),
                    ThemeProblem::InheritanceCycle(names),
                )]);
            }
            let resolved = resolve(parent_name, user_dir, chain, parent_bundled_only);
            chain.pop();
            match resolved {
                Ok(layer) => Some(layer),
                Err(mut warnings) => {
                    // An unknown parent is this file's mistake: point at its `inherits` line.
                    for w in &mut warnings {
                        if let ThemeProblem::UnknownTheme(_) = w.problem {
                            *w = warn(Some(inherits.span().start), w.problem.clone());
                        }
                    }
                    return Err(warnings);
                }
            }
        }
    };

    let mut problems = Vec::new();
    let (mut palette, mut styles) = match parent {
        Some(layer) => (layer.palette, layer.styles),
        None => (HashMap::new(), vec![None; Role::ALL.len()]),
    };
    for (key, value) in &file.palette {
        match Color::from_str(value.get_ref()) {
            Ok(colour) => {
                palette.insert(key.get_ref().clone(), colour);
            }
            Err(_) => problems.push(warn(
                Some(value.span().start),
                ThemeProblem::UnknownColour(value.get_ref().clone()),
            )),
        }
    }
    for (key, spec) in &file.roles {
        let Some(role) = Role::from_name(key.get_ref()) else {
            problems.push(warn(
                Some(key.span().start),
                ThemeProblem::UnknownRole(key.get_ref().clone()),
            ));
            continue;
        };
        let mut style = Style::default();
        let mut colour = |value: &Spanned<String>| {
            let text = value.get_ref();
            let found = palette
                .get(text)
                .copied()
                .or_else(|| Color::from_str(text).ok());
            if found.is_none() {
                problems.push(warn(
                    Some(value.span().start),
                    ThemeProblem::UnknownColour(text.clone()),
                ));
            }
            found
        };
        style.fg = spec.fg.as_ref().and_then(&mut colour);
        style.bg = spec.bg.as_ref().and_then(&mut colour);
        for m in &spec.modifiers {
            match parse_modifier(m.get_ref()) {
                Some(modifier) => style = style.add_modifier(modifier),
                None => problems.push(warn(
                    Some(m.span().start),
                    ThemeProblem::UnknownModifier(m.get_ref().clone()),
                )),
            }
        }
        styles[role as usize] = Some(style);
    }
    if problems.is_empty() {
        Ok(Layer { palette, styles })
    } else {
        problems.sort_by_key(|w| w.line);
        Err(problems)
    }
}

/// Parses a modifier name as written in theme files (case-insensitive, a few aliases).
fn parse_modifier(name: &str) -> Option<Modifier> {
    Some(match name.to_lowercase().replace('-', "_").as_str() {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "slow_blink" | "blink" => Modifier::SLOW_BLINK,
        "rapid_blink" => Modifier::RAPID_BLINK,
        "reversed" | "reverse" => Modifier::REVERSED,
        "hidden" => Modifier::HIDDEN,
        "crossed_out" | "strikethrough" => Modifier::CROSSED_OUT,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
