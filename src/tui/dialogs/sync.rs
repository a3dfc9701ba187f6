//! 数据包 — the sync dialogs: export (`x`) for a trusted device or a passphrase, trusting a
//! new device from its card or a bundle it sent, import (`i`) through a file chooser with
//! its preview before anything is applied, and the conflicts list (`C`) where each
//! concurrent edit is settled by keeping A or B. These hold state and draw; the driver
//! (`tui::sync_io`) does the file and store work and answers with a [`Reply`].

mod export;
mod import;
mod trust;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

pub use self::export::{ExportDialog, ExportFocus};
pub use self::import::{ImportDialog, ImportStage};
pub use self::trust::{TrustDialog, TrustStage};
use super::chooser::Listing;
use crate::i18n::Lang;
use crate::sync::DeviceKey;
use crate::sync::conflicts::{Conflict, show_value};
use crate::text::{LineInput, truncate, width};
use crate::tui::action::Action;
use crate::tui::effect::{Effect, Kept};
use crate::tui::keymap::Keymap;
use crate::tui::theme::{Role, Theme};

/// A passphrase on its way to the driver: never printed by `{:?}` (effects are logged in
/// test failures, and a passphrase must not end up in one).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Who an export is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A trusted device, by the name it is trusted under.
    Device(String),
    /// Whoever has the passphrase.
    Passphrase(Secret),
}

/// A trusted device as the export list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Device {
    pub name: String,
    pub fingerprint: String,
}

/// What the dialogs ask the driver for.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Read the trusted devices, this device and the output folder; open the export dialog.
    OpenExport,
    /// Read the output folder; open the import dialog.
    OpenImport,
    /// Read the open conflicts, then open the list.
    OpenConflicts,
    /// Read a folder for the chooser ("" is the current folder).
    List {
        dir: String,
    },
    /// Read a device key from pasted card text or a card or bundle file.
    ReadKey {
        input: String,
    },
    /// Trust a device under a name (after the leader compared the fingerprint).
    Trust {
        key: DeviceKey,
        name: String,
    },
    /// Write this device's card into a folder.
    WriteCard {
        folder: String,
    },
    Export {
        folder: String,
        file: String,
        to: Recipient,
    },
    /// Work out what a bundle would change (rolled back).
    Preview {
        path: String,
        passphrase: Option<Secret>,
    },
    /// Apply the bundle the preview checked (not read or decrypted again).
    Import {
        bundle: Kept<crate::sync::import::Checked>,
    },
    Resolve {
        id: String,
        keep_b: bool,
    },
}

impl Request {
    /// Work long enough to run on the worker behind a gauge (a big bundle at the office
    /// takes a while to check and apply).
    pub fn is_long(&self) -> bool {
        matches!(
            self,
            Request::Export { .. } | Request::Preview { .. } | Request::Import { .. }
        )
    }
}

/// What the driver answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A dialog prepared by the driver (it read what the dialog shows first).
    Open(Box<SyncDialog>),
    Listing(Listing),
    /// A key was read: its fingerprint to compare, and the name its card gives.
    KeyRead {
        key: DeviceKey,
        fingerprint: String,
        name: Option<String>,
    },
    /// A device was trusted; the export list again, with it chosen.
    Trusted {
        devices: Vec<Device>,
        name: String,
        message: String,
    },
    /// Something was written and the dialog stays (this device's card).
    Note(String),
    /// Done; the message goes to the status line and the dialog closes.
    Finished(String),
    /// What the bundle would change, and the bundle as checked, for the confirmation.
    Previewed {
        lines: Vec<String>,
        bundle: Kept<crate::sync::import::Checked>,
    },
    /// The bundle is locked with a passphrase: ask for it.
    NeedsPassphrase,
    Conflicts(Vec<Conflict>),
    Failed(String),
}

/// The dialog on screen.
#[derive(Debug, Clone)]
pub enum SyncDialog {
    Export(Box<ExportDialog>),
    Trust(Box<TrustDialog>),
    Import(Box<ImportDialog>),
    Conflicts {
        rows: Vec<Conflict>,
        selected: usize,
    },
}

/// What a key did to the dialog.
pub enum Step {
    Stay(Vec<Effect>),
    Close,
}

/// What a key did inside one of the dialogs, which may hand over to another.
pub(super) enum Next {
    Stay(Vec<Effect>),
    Close,
    Become(SyncDialog),
}

impl Next {
    fn ask(req: Request) -> Next {
        Next::Stay(vec![Effect::Sync(req)])
    }
}

/// Edits a plain text field; false if the action is not an edit.
pub(super) fn edit(input: &mut LineInput, action: Action) -> bool {
    match action {
        Action::Type(c) => input.insert_char(c),
        Action::Paste(t) => input.insert_str(&t.replace(['\n', '\r'], " ")),
        Action::Backspace => input.backspace(),
        Action::DeleteForward => input.delete(),
        Action::Left => input.left(),
        Action::Right => input.right(),
        Action::Home => input.home(),
        Action::End => input.end(),
        _ => return false,
    }
    true
}

impl SyncDialog {
    /// Handles one action while the dialog is open.
    pub fn update(&mut self, action: Action, lang: Lang) -> Step {
        let next = match self {
            SyncDialog::Export(d) => d.update(action, lang),
            SyncDialog::Trust(d) => d.update(action, lang),
            SyncDialog::Import(d) => d.update(action),
            SyncDialog::Conflicts { rows, selected } => conflicts_update(rows, selected, action),
        };
        match next {
            Next::Stay(effects) => Step::Stay(effects),
            Next::Close => Step::Close,
            Next::Become(d) => {
                *self = d;
                Step::Stay(Vec::new())
            }
        }
    }

    /// Whether a yes/no question is up: its keys come from the keymap's `confirm` group.
    pub fn asks_yes_no(&self) -> bool {
        matches!(self, SyncDialog::Trust(d) if matches!(d.stage, TrustStage::Confirm { .. }))
    }

    /// Whether the dialog waits for the driver (keys other than Esc wait too).
    pub fn pending(&self) -> bool {
        match self {
            SyncDialog::Export(d) => d.pending,
            SyncDialog::Trust(d) => d.pending,
            SyncDialog::Import(d) => d.pending,
            SyncDialog::Conflicts { .. } => false,
        }
    }

    /// Takes the driver's answer; returns false when the dialog should close.
    pub fn reply(&mut self, reply: Reply) -> bool {
        let back = match (&mut *self, reply) {
            (SyncDialog::Conflicts { rows, selected }, Reply::Conflicts(new)) => {
                *rows = new;
                *selected = (*selected).min(rows.len().saturating_sub(1));
                return !rows.is_empty();
            }
            (SyncDialog::Export(d), reply) => {
                d.reply(reply);
                None
            }
            (SyncDialog::Trust(d), reply) => d.reply(reply),
            (SyncDialog::Import(d), reply) => {
                d.reply(reply);
                None
            }
            (SyncDialog::Conflicts { .. }, _) => None,
        };
        if let Some(export) = back {
            *self = SyncDialog::Export(export);
        }
        true
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang, keys: &Keymap) {
        let t = crate::tui::strings::sync::text(lang);
        let (title, hint) = match self {
            SyncDialog::Export(d) => (t.export_title, d.hint(keys, lang)),
            SyncDialog::Trust(d) => (t.trust_title, d.hint(keys, lang)),
            SyncDialog::Import(d) => (t.import_title, d.hint(keys, lang)),
            SyncDialog::Conflicts { .. } => {
                let said = |a: &str| keys.action(a).map_or("", |b| b.description(lang));
                let parts = [
                    (Key::Pair("up", "down"), t.h_choose),
                    (Key::Action("keep_a"), said("keep_a")),
                    (Key::Action("keep_b"), said("keep_b")),
                    (Key::Action("back"), t.h_close),
                ];
                (
                    crate::tui::strings::strings(lang).conflicts,
                    hints(keys, &parts),
                )
            }
        };
        let rect = super::centered(area, 78, 20);
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::FocusBorder))
            .title(Span::styled(format!(" {title} "), theme.style(Role::Title)));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let hint_rows = if width(&hint) > usize::from(inner.width) {
            2
        } else {
            1
        };
        let [body, hint_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(hint_rows)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Span::styled(hint, theme.style(Role::Muted)))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            hint_area,
        );
        match self {
            SyncDialog::Export(d) => d.draw(frame, body, theme, lang),
            SyncDialog::Trust(d) => d.draw(frame, body, theme, lang),
            SyncDialog::Import(d) => d.draw(frame, body, theme, lang),
            SyncDialog::Conflicts { rows, selected } => {
                conflicts_draw(frame, body, theme, lang, rows, *selected)
            }
        }
    }
}

/// A key of the hint line: an action of the keymap, or a key the text fields hold fixed.
pub(super) enum Key {
    Action(&'static str),
    /// Two actions shown as one (`↑↓`).
    Pair(&'static str, &'static str),
    Fixed(&'static str),
}

/// `↑↓ 选择 · Enter 确定 · …` with the keys from the keymap (an unbound action is left out).
pub(super) fn hints(keys: &Keymap, parts: &[(Key, &str)]) -> String {
    parts
        .iter()
        .filter_map(|(k, what)| {
            let label = match k {
                Key::Action(a) => keys.hint(a)?,
                Key::Pair(a, b) => format!("{}{}", keys.hint(a)?, keys.hint(b)?),
                Key::Fixed(f) => f.to_string(),
            };
            Some(format!("{label} {what}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A labelled one-line field; the cursor is placed when it has focus. `masked` shows each
/// character as `*` (passphrases).
pub(super) fn field(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    label: &str,
    input: &LineInput,
    focused: bool,
    masked: bool,
) {
    let lw = width(label);
    let shown_input;
    let input = if masked {
        shown_input = LineInput {
            value: "*".repeat(input.value.chars().count()),
            cursor: input.cursor,
        };
        &shown_input
    } else {
        input
    };
    let (shown, col) = input.visible(usize::from(area.width).saturating_sub(lw + 1));
    let label_role = if focused { Role::Title } else { Role::Muted };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label.to_string(), theme.style(label_role)),
            Span::styled(shown, theme.style(Role::Input)),
        ])),
        area,
    );
    if focused {
        frame.set_cursor_position((area.x + (lw + col) as u16, area.y));
    }
}

/// A message under the fields: an error, or a note of what was done.
pub(super) fn message(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    error: Option<&str>,
    note: Option<&str>,
) {
    let (text, role) = match (error, note) {
        (Some(e), _) => (e, Role::Error),
        (None, Some(n)) => (n, Role::Done),
        (None, None) => return,
    };
    frame.render_widget(
        Paragraph::new(Span::styled(text.to_string(), theme.style(role)))
            .wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

fn conflicts_update(rows: &[Conflict], selected: &mut usize, action: Action) -> Next {
    match action {
        Action::Back | Action::Quit => Next::Close,
        Action::Up | Action::PrevField => {
            *selected = selected.saturating_sub(1);
            Next::Stay(Vec::new())
        }
        Action::Down | Action::NextField => {
            *selected = (*selected + 1).min(rows.len().saturating_sub(1));
            Next::Stay(Vec::new())
        }
        c @ (Action::KeepA | Action::KeepB) => match rows.get(*selected) {
            Some(row) => Next::ask(Request::Resolve {
                id: row.id.clone(),
                keep_b: matches!(c, Action::KeepB),
            }),
            None => Next::Stay(Vec::new()),
        },
        _ => Next::Stay(Vec::new()),
    }
}

fn conflicts_draw(
    frame: &mut Frame,
    body: Rect,
    theme: &Theme,
    lang: Lang,
    rows: &[Conflict],
    sel: usize,
) {
    let w = usize::from(body.width);
    let items: Vec<ListItem> = rows
        .iter()
        .map(|c| {
            let head = format!("{} {} · {}", c.id, c.record, c.field);
            let (open, close) = (lang.pick("「", " \""), lang.pick("」", "\" "));
            let a = format!(
                "  A{open}{}{close}{} {} {}",
                show_value(&c.a.value),
                c.a.author,
                c.a.device,
                c.a.at
            );
            let b = if c.edit_vs_delete {
                format!(
                    "  B {} {}{}{}{open}{}{close}{}",
                    c.b.device,
                    c.b.at,
                    lang.pick("：", ": "),
                    c.b.field,
                    show_value(&c.b.value),
                    lang.pick("（A 删除了它）", "(A deleted it)")
                )
            } else {
                format!(
                    "  B{open}{}{close}{} {} {}",
                    show_value(&c.b.value),
                    c.b.author,
                    c.b.device,
                    c.b.at
                )
            };
            ListItem::new(vec![
                Line::raw(truncate(&head, w).into_owned()),
                Line::raw(truncate(&a, w).into_owned()),
                Line::raw(truncate(&b, w).into_owned()),
            ])
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(sel));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.style(Role::Selection)),
        body,
        &mut state,
    );
}

#[cfg(test)]
mod tests;
