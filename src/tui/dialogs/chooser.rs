//! 选择文件 — a path field with the folder it names listed under it, so a bundle on a USB
//! stick is picked with arrows and Enter instead of typed in full.
//!
//! The field is the one truth: the list shows the folder before the last separator,
//! filtered by what follows it. Typing filters (or, with a separator, walks into a
//! folder); Enter opens a folder or picks a file; Backspace at the end of a folder goes up
//! one. Jump targets (the output folder, home, removable drives) head the list while
//! nothing is typed after the separator. Reading a folder is the driver's work
//! ([`Listing`] arrives as a reply), so this stays pure.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use crate::i18n::Lang;
use crate::text::{LineInput, truncate, width};
use crate::tui::action::Action;
use crate::tui::theme::{Role, Theme};

/// What the chooser is for, which decides what is shown brightly and what Enter picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A bundle to import: folders and `.louzu` files first, other files dimmed.
    Bundle,
    /// A card or bundle another device sent: every file alike.
    AnyFile,
    /// A folder to write into: folders, and a first row that picks the folder shown.
    Folder,
}

/// One name in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
}

/// What a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Folder,
    Bundle,
    Other,
}

/// A place to jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub kind: RootKind,
    pub path: String,
}

/// Why a place is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// 输出文件夹: where louzu writes reports and bundles.
    Output,
    Home,
    /// A USB stick or other removable drive (a drive letter on Windows).
    Drive,
}

/// A folder as the driver read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// The folder part of the field it was read for (so a late answer is ignored).
    pub dir: String,
    /// Folders first, then bundles, then other files, each by name.
    pub entries: Vec<Entry>,
    pub roots: Vec<Root>,
    /// The folder does not exist or cannot be read.
    pub missing: bool,
}

/// One row of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    /// Folder mode: use the folder shown.
    Here,
    Root(&'a Root),
    Entry(&'a Entry),
}

/// What a key asked of the driver or the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Nothing,
    /// Read this folder (the field's folder part changed).
    List(String),
    /// A file was picked (or typed, when nothing listed matches).
    File(String),
    /// Folder mode: this folder was picked.
    Folder(String),
}

/// The path field and its list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chooser {
    pub input: LineInput,
    pub mode: Mode,
    pub listing: Option<Listing>,
    pub selected: usize,
}

/// Rows a page key moves: about what an 80×24 dialog shows.
const PAGE: usize = 8;

fn is_sep(c: char) -> bool {
    c == '/' || (cfg!(windows) && c == '\\')
}

/// The field split at its last separator: (folder with its separator, filter).
pub fn split(text: &str) -> (&str, &str) {
    match text.rfind(is_sep) {
        Some(i) => text.split_at(i + 1),
        None => ("", text),
    }
}

/// The folder above `dir` (which ends with a separator); the same at a root.
fn parent(dir: &str) -> &str {
    let trimmed = dir.trim_end_matches(is_sep);
    if trimmed.is_empty() || (cfg!(windows) && trimmed.ends_with(':')) {
        return dir;
    }
    match trimmed.rfind(is_sep) {
        Some(i) => &dir[..=i],
        None => "",
    }
}

/// A folder path as the field holds it: ending with one separator.
pub fn as_dir(path: &str) -> String {
    if path.is_empty() || path.ends_with(is_sep) {
        path.to_string()
    } else {
        format!("{path}{}", std::path::MAIN_SEPARATOR)
    }
}

impl Chooser {
    /// A chooser showing `dir`; the caller asks the driver to list [`Chooser::dir`].
    pub fn new(dir: &str, mode: Mode) -> Chooser {
        Chooser {
            input: LineInput::new(as_dir(dir)),
            mode,
            listing: None,
            selected: 0,
        }
    }

    /// The folder the list shows ("" is the current folder).
    pub fn dir(&self) -> &str {
        split(&self.input.value).0
    }

    fn filter(&self) -> String {
        split(&self.input.value).1.to_lowercase()
    }

    /// Takes the driver's reading of a folder, if it is still the one shown.
    pub fn listed(&mut self, listing: Listing) {
        if listing.dir == self.dir() {
            self.listing = Some(listing);
            self.selected = self.first_entry();
        }
    }

    /// The rows shown now: nothing until the folder is read.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let Some(l) = self.listing.as_ref().filter(|l| l.dir == self.dir()) else {
            return Vec::new();
        };
        let filter = self.filter();
        let mut rows = Vec::new();
        if filter.is_empty() {
            // A folder not made yet (the output folder before its first file) is made
            // when the file is written.
            if self.mode == Mode::Folder {
                rows.push(Row::Here);
            }
            rows.extend(l.roots.iter().map(Row::Root));
        }
        rows.extend(
            l.entries
                .iter()
                .filter(|e| self.mode != Mode::Folder || e.kind == EntryKind::Folder)
                .filter(|e| filter.is_empty() || e.name.to_lowercase().contains(&filter))
                .map(Row::Entry),
        );
        rows
    }

    /// The first row after the jump targets (where the eye starts), or 0.
    fn first_entry(&self) -> usize {
        let rows = self.rows();
        rows.iter()
            .position(|r| matches!(r, Row::Entry(_) | Row::Here))
            .unwrap_or(0)
    }

    fn relisted(&mut self, before: &str) -> Step {
        if self.dir() == before {
            self.selected = self.first_entry();
            Step::Nothing
        } else {
            self.selected = 0;
            Step::List(self.dir().to_string())
        }
    }

    fn set(&mut self, text: String) -> Step {
        let before = self.dir().to_string();
        self.input = LineInput::new(text);
        self.relisted(&before)
    }

    /// Handles a key meant for the field or its list.
    pub fn update(&mut self, action: Action) -> Step {
        let n = self.rows().len();
        let last = n.saturating_sub(1);
        let before = self.dir().to_string();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(PAGE),
            Action::PageDown => self.selected = (self.selected + PAGE).min(last),
            Action::Home | Action::Top => self.selected = 0,
            Action::End | Action::Bottom => self.selected = last,
            Action::Backspace => {
                let at_end = self.input.cursor == self.input.value.chars().count();
                if at_end && self.filter().is_empty() && !before.is_empty() {
                    let up = parent(&before).to_string();
                    return self.set(up);
                }
                self.input.backspace();
                return self.relisted(&before);
            }
            Action::Open => return self.open(),
            Action::Type(c) => {
                self.input.insert_char(c);
                return self.relisted(&before);
            }
            // A whole path pasted (from a file manager) replaces the field.
            Action::Paste(t) if std::path::Path::new(t.trim()).is_absolute() => {
                return self.set(t.trim().to_string());
            }
            Action::Paste(t) => {
                self.input.insert_str(t.trim_matches(['\n', '\r']));
                return self.relisted(&before);
            }
            Action::DeleteForward => {
                self.input.delete();
                return self.relisted(&before);
            }
            Action::Left => self.input.left(),
            Action::Right => self.input.right(),
            _ => {}
        }
        Step::Nothing
    }

    /// Enter: into a folder, onto a jump target, or the file picked.
    fn open(&mut self) -> Step {
        let dir = self.dir().to_string();
        let row = self.rows().get(self.selected).copied();
        match row {
            Some(Row::Here) => Step::Folder(dir),
            Some(Row::Root(root)) => {
                let to = as_dir(&root.path);
                self.set(to)
            }
            Some(Row::Entry(e)) if e.kind == EntryKind::Folder => {
                let to = as_dir(&format!("{dir}{}", e.name));
                self.set(to)
            }
            Some(Row::Entry(e)) => Step::File(format!("{dir}{}", e.name)),
            None => {
                let typed = self.input.value.trim().to_string();
                match self.mode {
                    Mode::Folder => Step::Folder(dir),
                    _ if typed.is_empty() || typed.ends_with(is_sep) => Step::Nothing,
                    _ => Step::File(typed),
                }
            }
        }
    }

    /// Draws the list (the caller draws the field).
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let w = usize::from(area.width);
        let t = crate::tui::strings::sync::text(lang);
        let rows = self.rows();
        let mut items: Vec<ListItem> = rows
            .iter()
            .map(|r| {
                let (mark, name, note, role) = match r {
                    Row::Here => {
                        let missing = self.listing.as_ref().is_some_and(|l| l.missing);
                        let note = if missing { t.made_on_write } else { "" };
                        (
                            "✓ ",
                            t.save_here.to_string(),
                            note.to_string(),
                            Role::Accent,
                        )
                    }
                    Row::Root(root) => {
                        let label = match root.kind {
                            RootKind::Output => t.root_output,
                            RootKind::Home => t.root_home,
                            RootKind::Drive => t.root_drive,
                        };
                        ("⇱ ", label.to_string(), root.path.clone(), Role::Accent)
                    }
                    Row::Entry(e) => match e.kind {
                        EntryKind::Folder => ("▸ ", as_dir(&e.name), String::new(), Role::Base),
                        EntryKind::Bundle => ("  ", e.name.clone(), String::new(), Role::Base),
                        EntryKind::Other if self.mode == Mode::Bundle => {
                            ("  ", e.name.clone(), String::new(), Role::Muted)
                        }
                        EntryKind::Other => ("  ", e.name.clone(), String::new(), Role::Base),
                    },
                };
                let head = format!("{mark}{name}");
                let room = w.saturating_sub(width(&head) + 2);
                let mut spans = vec![Span::styled(
                    truncate(&head, w).into_owned(),
                    theme.style(role),
                )];
                if !note.is_empty() && room > 4 {
                    spans.push(Span::styled(
                        format!("  {}", truncate(&note, room)),
                        theme.style(Role::Muted),
                    ));
                }
                ListItem::new(Line::from(spans))
            })
            .collect();
        if items.is_empty() {
            let empty = match &self.listing {
                Some(l) if l.missing && l.dir == self.dir() => t.no_such_folder,
                Some(l) if l.dir == self.dir() => t.nothing_matches,
                _ => "",
            };
            items.push(ListItem::new(Span::styled(empty, theme.style(Role::Muted))));
        }
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme.style(Role::Selection)),
            area,
            &mut state,
        );
    }
}

#[cfg(test)]
mod tests;
