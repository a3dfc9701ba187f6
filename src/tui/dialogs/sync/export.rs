//! `x` 导出数据包 — for whom (a trusted device, by name and fingerprint, or a passphrase
//! typed twice), into which folder (the output folder, or a USB stick through the
//! chooser). Two more rows start what a first exchange needs: trusting a new device and
//! writing this device's card for the other side.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::{Device, Key, Next, Recipient, Reply, Request, Secret, SyncDialog, TrustDialog};
use crate::i18n::Lang;
use crate::text::{LineInput, truncate, width};
use crate::tui::action::Action;
use crate::tui::dialogs::chooser::{Chooser, Listing, Mode, Step as Pick};
use crate::tui::keymap::Keymap;
use crate::tui::strings::sync::text;
use crate::tui::theme::{Role, Theme};

/// Where the keys go in the export dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFocus {
    /// The list of recipients and the two starting rows.
    List,
    Pass,
    Again,
    Folder,
}

/// What a row of the list stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Device(usize),
    Passphrase,
    Trust,
    Card,
}

/// The export dialog's state.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub devices: Vec<Device>,
    /// This device, as the other side sees it.
    pub me: Device,
    /// The row chosen in the list.
    pub chosen: usize,
    pub focus: ExportFocus,
    pub pass: LineInput,
    pub again: LineInput,
    /// The folder the bundle goes into.
    pub folder: Chooser,
    /// The bundle's file name (dated, named after the building).
    pub file: String,
    pub error: Option<String>,
    pub note: Option<String>,
    pub pending: bool,
}

impl ExportDialog {
    /// The dialog over `folder` (as read in `listing`), with the first device chosen.
    pub fn new(
        devices: Vec<Device>,
        me: Device,
        folder: &str,
        listing: Listing,
        file: String,
    ) -> ExportDialog {
        let mut chooser = Chooser::new(folder, Mode::Folder);
        chooser.listed(listing);
        ExportDialog {
            devices,
            me,
            chosen: 0,
            focus: ExportFocus::List,
            pass: LineInput::default(),
            again: LineInput::default(),
            folder: chooser,
            file,
            error: None,
            note: None,
            pending: false,
        }
    }

    fn rows(&self) -> usize {
        self.devices.len() + 3
    }

    fn choice(&self) -> Choice {
        let n = self.devices.len();
        match self.chosen {
            i if i < n => Choice::Device(i),
            i if i == n => Choice::Passphrase,
            i if i == n + 1 => Choice::Trust,
            _ => Choice::Card,
        }
    }

    fn next_focus(&self, forward: bool) -> ExportFocus {
        use ExportFocus as F;
        let pass = self.choice() == Choice::Passphrase;
        let order: &[F] = if pass {
            &[F::List, F::Pass, F::Again, F::Folder]
        } else {
            &[F::List, F::Folder]
        };
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        order[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }

    /// The request that writes the bundle, or why it cannot be written yet.
    fn export(&mut self, lang: Lang) -> Next {
        let t = text(lang);
        let to = match self.choice() {
            Choice::Device(i) => Recipient::Device(self.devices[i].name.clone()),
            Choice::Passphrase if self.pass.value.is_empty() => {
                self.error = Some(t.pass_empty.into());
                self.focus = ExportFocus::Pass;
                return Next::Stay(Vec::new());
            }
            Choice::Passphrase if self.pass.value != self.again.value => {
                self.error = Some(t.pass_differ.into());
                self.again = LineInput::default();
                self.focus = ExportFocus::Again;
                return Next::Stay(Vec::new());
            }
            Choice::Passphrase => Recipient::Passphrase(Secret(self.pass.value.clone())),
            Choice::Trust | Choice::Card => {
                self.error = Some(if self.devices.is_empty() {
                    t.no_device_yet.into()
                } else {
                    t.choose_recipient.into()
                });
                self.focus = ExportFocus::List;
                return Next::Stay(Vec::new());
            }
        };
        self.pending = true;
        Next::ask(Request::Export {
            folder: self.folder.dir().to_string(),
            file: self.file.clone(),
            to,
        })
    }

    pub(super) fn update(&mut self, action: Action, lang: Lang) -> Next {
        if self.pending {
            return Next::Stay(Vec::new());
        }
        if !matches!(action, Action::Up | Action::Down) {
            self.error = None;
            self.note = None;
        }
        match (self.focus, action) {
            (ExportFocus::List, Action::Back) => return Next::Close,
            (_, Action::Back) => self.focus = ExportFocus::List,
            (_, Action::Save) => return self.export(lang),
            (_, Action::NextField) => self.focus = self.next_focus(true),
            (_, Action::PrevField) => self.focus = self.next_focus(false),
            (ExportFocus::List, action) => return self.update_list(action, lang),
            (ExportFocus::Pass, Action::Open) => self.focus = ExportFocus::Again,
            (ExportFocus::Again, Action::Open) => return self.export(lang),
            (ExportFocus::Pass, action) => {
                super::edit(&mut self.pass, action);
            }
            (ExportFocus::Again, action) => {
                super::edit(&mut self.again, action);
            }
            (ExportFocus::Folder, action) => match self.folder.update(action) {
                Pick::List(dir) => return Next::ask(Request::List { dir }),
                Pick::Folder(_) => return self.export(lang),
                Pick::File(_) | Pick::Nothing => {}
            },
        }
        Next::Stay(Vec::new())
    }

    fn update_list(&mut self, action: Action, lang: Lang) -> Next {
        let last = self.rows() - 1;
        match action {
            Action::Up => self.chosen = self.chosen.saturating_sub(1),
            Action::Down => self.chosen = (self.chosen + 1).min(last),
            Action::Home | Action::Top | Action::PageUp => self.chosen = 0,
            Action::End | Action::Bottom | Action::PageDown => self.chosen = last,
            Action::Open => match self.choice() {
                Choice::Device(_) => return self.export(lang),
                Choice::Passphrase => self.focus = ExportFocus::Pass,
                Choice::Trust => {
                    let d = TrustDialog::new(self.clone());
                    return Next::Become(SyncDialog::Trust(Box::new(d)));
                }
                Choice::Card => {
                    self.pending = true;
                    return Next::ask(Request::WriteCard {
                        folder: self.folder.dir().to_string(),
                    });
                }
            },
            _ => {}
        }
        Next::Stay(Vec::new())
    }

    pub(super) fn reply(&mut self, reply: Reply) {
        match reply {
            Reply::Listing(l) => self.folder.listed(l),
            Reply::Note(n) => {
                self.pending = false;
                self.note = Some(n);
            }
            Reply::Failed(e) => {
                self.pending = false;
                self.error = Some(e);
            }
            _ => self.pending = false,
        }
    }

    /// After a device was trusted: the list again, with it chosen.
    pub(super) fn trusted(&mut self, devices: Vec<Device>, name: &str, message: String) {
        self.chosen = devices.iter().position(|d| d.name == name).unwrap_or(0);
        self.devices = devices;
        self.focus = ExportFocus::List;
        self.note = Some(message);
        self.error = None;
        self.pending = false;
    }

    pub(super) fn hint(&self, keys: &Keymap, lang: Lang) -> String {
        let t = text(lang);
        let parts: Vec<(Key, &str)> = match self.focus {
            ExportFocus::List => vec![
                (Key::Pair("up", "down"), t.h_choose),
                (Key::Fixed("Enter"), t.h_ok),
                (Key::Action("next_field"), t.h_next_field),
                (Key::Action("save"), t.h_export),
                (Key::Fixed("Esc"), t.h_close),
            ],
            ExportFocus::Pass | ExportFocus::Again => vec![
                (Key::Fixed("Enter"), t.h_next),
                (Key::Action("next_field"), t.h_next_field),
                (Key::Action("save"), t.h_export),
                (Key::Fixed("Esc"), t.h_back),
            ],
            ExportFocus::Folder => vec![
                (Key::Pair("up", "down"), t.h_choose),
                (Key::Fixed("Enter"), t.h_open),
                (Key::Fixed("Backspace"), t.h_up_folder),
                (Key::Action("save"), t.h_export),
                (Key::Fixed("Esc"), t.h_back),
            ],
        };
        super::hints(keys, &parts)
    }

    fn choice_label(&self, c: Choice, lang: Lang) -> String {
        let t = text(lang);
        match c {
            Choice::Device(i) => {
                let d = &self.devices[i];
                format!("{}  {}{}", d.name, t.fingerprint, d.fingerprint)
            }
            Choice::Passphrase => t.by_passphrase.to_string(),
            Choice::Trust => t.trust_new.to_string(),
            Choice::Card => t.write_card.to_string(),
        }
    }

    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let t = text(lang);
        let pass = self.choice() == Choice::Passphrase;
        let [who, pass_row, folder, file, me, _, list, msg] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(pass)),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(2),
            Constraint::Length(3),
        ])
        .areas(area);
        let w = usize::from(area.width);
        let summary = match self.choice() {
            Choice::Device(i) => self.devices[i].name.clone(),
            Choice::Passphrase => t.by_passphrase_short.to_string(),
            Choice::Trust | Choice::Card => String::new(),
        };
        let who_role = if self.focus == ExportFocus::List {
            Role::Title
        } else {
            Role::Muted
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(t.for_whom, theme.style(who_role)),
                Span::styled(
                    truncate(&summary, w.saturating_sub(width(t.for_whom))).into_owned(),
                    theme.style(Role::Accent),
                ),
            ])),
            who,
        );
        if pass {
            let [a, b] = Layout::horizontal([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)])
                .areas(pass_row);
            let focus = self.focus;
            super::field(
                frame,
                a,
                theme,
                t.passphrase,
                &self.pass,
                focus == ExportFocus::Pass,
                true,
            );
            super::field(
                frame,
                b,
                theme,
                t.again,
                &self.again,
                focus == ExportFocus::Again,
                true,
            );
        }
        let on_folder = self.focus == ExportFocus::Folder;
        super::field(
            frame,
            folder,
            theme,
            t.save_in,
            &self.folder.input,
            on_folder,
            false,
        );
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(t.file_name, theme.style(Role::Muted)),
                Span::raw(truncate(&self.file, w.saturating_sub(width(t.file_name))).into_owned()),
            ])),
            file,
        );
        let mine = format!(
            "{}{}  {}{}",
            t.this_device, self.me.name, t.fingerprint, self.me.fingerprint
        );
        frame.render_widget(
            Paragraph::new(Span::styled(
                truncate(&mine, w).into_owned(),
                theme.style(Role::Muted),
            )),
            me,
        );
        if on_folder {
            self.folder.draw(frame, list, theme, lang);
        } else {
            let items: Vec<ListItem> = (0..self.rows())
                .map(|i| {
                    let c = match i {
                        i if i < self.devices.len() => Choice::Device(i),
                        i if i == self.devices.len() => Choice::Passphrase,
                        i if i == self.devices.len() + 1 => Choice::Trust,
                        _ => Choice::Card,
                    };
                    let role = match c {
                        Choice::Device(_) | Choice::Passphrase => Role::Base,
                        Choice::Trust | Choice::Card => Role::Accent,
                    };
                    let label = format!("→ {}", self.choice_label(c, lang));
                    ListItem::new(Span::styled(
                        truncate(&label, w).into_owned(),
                        theme.style(role),
                    ))
                })
                .collect();
            let mut state = ListState::default().with_selected(Some(self.chosen));
            frame.render_stateful_widget(
                List::new(items).highlight_style(theme.style(Role::Selection)),
                list,
                &mut state,
            );
        }
        super::message(
            frame,
            msg,
            theme,
            self.error.as_deref(),
            self.note.as_deref(),
        );
    }
}
