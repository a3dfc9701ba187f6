//! 信任新设备 — from the export dialog: paste the other device's card (its key text) or
//! pick the card file or a bundle it sent, give it a name, then compare its fingerprint
//! aloud and answer y/n (the keymap's `confirm` keys). The rules of trusting are the
//! library's (`sync::trust`), performed by the driver.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{ExportDialog, Key, Next, Reply, Request, SyncDialog};
use crate::i18n::Lang;
use crate::sync::DeviceKey;
use crate::text::LineInput;
use crate::tui::action::Action;
use crate::tui::dialogs::chooser::{Chooser, Mode, Step as Pick};
use crate::tui::keymap::Keymap;
use crate::tui::strings::sync::{fill, text};
use crate::tui::theme::{Role, Theme};

/// The steps of trusting a device.
#[derive(Debug, Clone, PartialEq)]
pub enum TrustStage {
    /// Paste the card or pick a file.
    Source,
    /// The key was read: name it.
    Name {
        key: DeviceKey,
        fingerprint: String,
        name: LineInput,
    },
    /// Compare the fingerprint, then y or n.
    Confirm {
        key: DeviceKey,
        fingerprint: String,
        name: String,
    },
}

/// The trust dialog, holding the export dialog it came from (and goes back to).
#[derive(Debug, Clone)]
pub struct TrustDialog {
    pub back: Box<ExportDialog>,
    pub stage: TrustStage,
    pub source: Chooser,
    pub error: Option<String>,
    pub pending: bool,
}

impl TrustDialog {
    /// Starts in the folder the export shows, with the listing it already has.
    pub fn new(back: ExportDialog) -> TrustDialog {
        let mut source = Chooser::new(back.folder.dir(), Mode::AnyFile);
        if let Some(l) = back.folder.listing.clone() {
            source.listed(l);
        }
        TrustDialog {
            back: Box::new(back),
            stage: TrustStage::Source,
            source,
            error: None,
            pending: false,
        }
    }

    fn home(&self) -> Next {
        let mut back = self.back.clone();
        back.pending = false;
        Next::Become(SyncDialog::Export(back))
    }

    pub(super) fn update(&mut self, action: Action, lang: Lang) -> Next {
        if self.pending {
            return Next::Stay(Vec::new());
        }
        self.error = None;
        let t = text(lang);
        match &mut self.stage {
            TrustStage::Source => match action {
                Action::Back => return self.home(),
                // A pasted card replaces the folder shown: it is the key, not a file name.
                Action::Paste(p) if p.contains("louzu-device-") => {
                    self.source.input = LineInput::new(p.replace(['\n', '\r'], " ").trim());
                }
                action => match self.source.update(action) {
                    Pick::List(dir) => return Next::ask(Request::List { dir }),
                    Pick::File(input) => {
                        self.pending = true;
                        return Next::ask(Request::ReadKey { input });
                    }
                    Pick::Folder(_) | Pick::Nothing => {}
                },
            },
            TrustStage::Name {
                key,
                fingerprint,
                name,
            } => match action {
                Action::Back => self.stage = TrustStage::Source,
                Action::Open | Action::Save if name.value.trim().is_empty() => {
                    self.error = Some(t.name_needed.into());
                }
                Action::Open | Action::Save => {
                    self.stage = TrustStage::Confirm {
                        key: *key,
                        fingerprint: fingerprint.clone(),
                        name: name.value.trim().to_string(),
                    }
                }
                other => {
                    super::edit(name, other);
                }
            },
            TrustStage::Confirm {
                key,
                fingerprint,
                name,
            } => match action {
                Action::Yes => {
                    self.pending = true;
                    return Next::ask(Request::Trust {
                        key: *key,
                        name: name.clone(),
                    });
                }
                Action::No | Action::Back => {
                    self.stage = TrustStage::Name {
                        key: *key,
                        fingerprint: fingerprint.clone(),
                        name: LineInput::new(name.clone()),
                    }
                }
                _ => {}
            },
        }
        Next::Stay(Vec::new())
    }

    /// Takes the driver's answer; `Some` when the export dialog comes back.
    pub(super) fn reply(&mut self, reply: Reply) -> Option<Box<ExportDialog>> {
        self.pending = false;
        match reply {
            Reply::Listing(l) => self.source.listed(l),
            Reply::KeyRead {
                key,
                fingerprint,
                name,
            } => {
                self.stage = TrustStage::Name {
                    key,
                    fingerprint,
                    name: LineInput::new(name.unwrap_or_default()),
                }
            }
            Reply::Trusted {
                devices,
                name,
                message,
            } => {
                let mut back = self.back.clone();
                back.trusted(devices, &name, message);
                return Some(back);
            }
            Reply::Failed(e) => {
                // Refused (a name taken by another key, this device's own key): name again.
                if let TrustStage::Confirm {
                    key,
                    fingerprint,
                    name,
                } = &self.stage
                {
                    self.stage = TrustStage::Name {
                        key: *key,
                        fingerprint: fingerprint.clone(),
                        name: LineInput::new(name.clone()),
                    };
                }
                self.error = Some(e);
            }
            _ => {}
        }
        None
    }

    pub(super) fn hint(&self, keys: &Keymap, lang: Lang) -> String {
        let t = text(lang);
        let parts: Vec<(Key, &str)> = match self.stage {
            TrustStage::Source => vec![
                (Key::Pair("up", "down"), t.h_choose),
                (Key::Fixed("Enter"), t.h_open),
                (Key::Fixed("Backspace"), t.h_up_folder),
                (Key::Fixed("Esc"), t.h_back),
            ],
            TrustStage::Name { .. } => vec![
                (Key::Fixed("Enter"), t.h_next),
                (Key::Fixed("Esc"), t.h_back),
            ],
            TrustStage::Confirm { .. } => vec![
                (Key::Action("trust"), t.h_trust),
                (Key::Action("no"), t.h_not_trust),
            ],
        };
        super::hints(keys, &parts)
    }

    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let t = text(lang);
        let [top, rest, msg] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(3),
            Constraint::Length(2),
        ])
        .areas(area);
        match &self.stage {
            TrustStage::Source => {
                let [input, note] =
                    Layout::vertical([Constraint::Length(1), Constraint::Length(2)]).areas(top);
                super::field(
                    frame,
                    input,
                    theme,
                    t.card_or_bundle,
                    &self.source.input,
                    true,
                    false,
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(t.paste_card, theme.style(Role::Muted)))
                        .wrap(Wrap { trim: true }),
                    note,
                );
                self.source.draw(frame, rest, theme, lang);
            }
            TrustStage::Name {
                fingerprint, name, ..
            } => {
                let [input, note] =
                    Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(top);
                super::field(frame, input, theme, t.name, name, true, false);
                frame.render_widget(
                    Paragraph::new(Span::styled(t.name_note, theme.style(Role::Muted))),
                    note,
                );
                frame.render_widget(
                    Paragraph::new(vec![
                        Line::raw(""),
                        Line::raw(t.their_fingerprint),
                        Line::styled(format!("  {fingerprint}"), theme.style(Role::Accent)),
                    ]),
                    rest,
                );
            }
            TrustStage::Confirm {
                fingerprint, name, ..
            } => {
                let lines = vec![
                    Line::raw(format!("{}{name}", t.name)),
                    Line::raw(""),
                    Line::raw(t.their_fingerprint),
                    Line::styled(format!("  {fingerprint}"), theme.style(Role::Title)),
                    Line::raw(""),
                    Line::raw(t.compare),
                    Line::styled(
                        fill(t.trust_question, &[("name", name)]),
                        theme.style(Role::Warning),
                    ),
                ];
                frame.render_widget(
                    Paragraph::new(lines).wrap(Wrap { trim: false }),
                    top.union(rest),
                );
            }
        }
        super::message(frame, msg, theme, self.error.as_deref(), None);
    }
}
