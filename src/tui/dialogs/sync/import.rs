//! `i` 导入数据包 — pick the bundle in the chooser (or type its path), give the passphrase
//! if it is locked with one, read the preview, and only then confirm.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Key, Next, Reply, Request, Secret};
use crate::i18n::Lang;
use crate::sync::import::Checked;
use crate::text::LineInput;
use crate::tui::action::Action;
use crate::tui::dialogs::chooser::{Chooser, Listing, Mode, Step as Pick};
use crate::tui::effect::Kept;
use crate::tui::keymap::Keymap;
use crate::tui::strings::sync::text;
use crate::tui::theme::{Role, Theme};

/// Where the import stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportStage {
    /// Choosing the file.
    Choose,
    /// The bundle is locked: its passphrase is asked for.
    Passphrase { path: String, input: LineInput },
    /// What it would change; Enter applies it (the bundle as the preview checked it).
    Preview {
        path: String,
        lines: Vec<String>,
        bundle: Kept<Checked>,
    },
}

/// The import dialog's state.
#[derive(Debug, Clone)]
pub struct ImportDialog {
    pub chooser: Chooser,
    pub stage: ImportStage,
    /// The file a preview was asked for, until it answers.
    asked: Option<String>,
    pub error: Option<String>,
    pub pending: bool,
}

impl ImportDialog {
    /// The chooser on `dir`, as read in `listing`.
    pub fn new(dir: &str, listing: Listing) -> ImportDialog {
        let mut chooser = Chooser::new(dir, Mode::Bundle);
        chooser.listed(listing);
        ImportDialog {
            chooser,
            stage: ImportStage::Choose,
            asked: None,
            error: None,
            pending: false,
        }
    }

    fn preview(&mut self, path: String, passphrase: Option<Secret>) -> Next {
        self.pending = true;
        self.asked = Some(path.clone());
        Next::ask(Request::Preview { path, passphrase })
    }

    pub(super) fn update(&mut self, action: Action) -> Next {
        if self.pending {
            return Next::Stay(Vec::new());
        }
        self.error = None;
        match &mut self.stage {
            ImportStage::Choose => match action {
                Action::Back => return Next::Close,
                action => match self.chooser.update(action) {
                    Pick::List(dir) => return Next::ask(Request::List { dir }),
                    Pick::File(path) => return self.preview(path, None),
                    Pick::Folder(_) | Pick::Nothing => {}
                },
            },
            ImportStage::Passphrase { path, input } => match action {
                Action::Back => self.stage = ImportStage::Choose,
                Action::Open | Action::Save if !input.value.is_empty() => {
                    let (path, secret) = (path.clone(), Secret(input.value.clone()));
                    return self.preview(path, Some(secret));
                }
                other => {
                    super::edit(input, other);
                }
            },
            ImportStage::Preview { bundle, .. } => match action {
                Action::Back => self.stage = ImportStage::Choose,
                Action::Open | Action::Save => {
                    self.pending = true;
                    return Next::ask(Request::Import {
                        bundle: bundle.clone(),
                    });
                }
                _ => {}
            },
        }
        Next::Stay(Vec::new())
    }

    pub(super) fn reply(&mut self, reply: Reply) {
        self.pending = false;
        match reply {
            Reply::Listing(l) => self.chooser.listed(l),
            Reply::Previewed { lines, bundle } => {
                if let Some(path) = self.asked.take() {
                    self.stage = ImportStage::Preview {
                        path,
                        lines,
                        bundle,
                    };
                }
            }
            Reply::NeedsPassphrase => {
                if let Some(path) = self.asked.take() {
                    self.stage = ImportStage::Passphrase {
                        path,
                        input: LineInput::default(),
                    };
                }
            }
            Reply::Failed(e) => {
                self.asked = None;
                // A wrong passphrase is typed again, not edited.
                if let ImportStage::Passphrase { input, .. } = &mut self.stage {
                    *input = LineInput::default();
                }
                self.error = Some(e);
            }
            _ => {}
        }
    }

    pub(super) fn hint(&self, keys: &Keymap, lang: Lang) -> String {
        let t = text(lang);
        let parts: Vec<(Key, &str)> = match self.stage {
            ImportStage::Choose => vec![
                (Key::Pair("up", "down"), t.h_choose),
                (Key::Fixed("Enter"), t.h_open),
                (Key::Fixed("Backspace"), t.h_up_folder),
                (Key::Fixed("Esc"), t.h_close),
            ],
            ImportStage::Passphrase { .. } => vec![
                (Key::Fixed("Enter"), t.h_preview),
                (Key::Fixed("Esc"), t.h_back),
            ],
            ImportStage::Preview { .. } => vec![
                (Key::Fixed("Enter"), t.h_import),
                (Key::Fixed("Esc"), t.h_back),
            ],
        };
        super::hints(keys, &parts)
    }

    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let t = text(lang);
        let [file, _, rest, msg] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(2),
            Constraint::Length(2),
        ])
        .areas(area);
        match &self.stage {
            ImportStage::Choose => {
                super::field(frame, file, theme, t.file, &self.chooser.input, true, false);
                self.chooser.draw(frame, rest, theme, lang);
            }
            ImportStage::Passphrase { path, input } => {
                super::field(
                    frame,
                    file,
                    theme,
                    t.file,
                    &LineInput::new(path.clone()),
                    false,
                    false,
                );
                let [ask, pass] =
                    Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(rest);
                frame.render_widget(
                    Paragraph::new(Span::styled(t.pass_asked, theme.style(Role::Warning)))
                        .wrap(Wrap { trim: true }),
                    ask,
                );
                super::field(frame, pass, theme, t.passphrase, input, true, true);
            }
            ImportStage::Preview { path, lines, .. } => {
                super::field(
                    frame,
                    file,
                    theme,
                    t.file,
                    &LineInput::new(path.clone()),
                    false,
                    false,
                );
                let lines: Vec<Line> = lines.iter().map(|l| Line::raw(l.clone())).collect();
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
            }
        }
        super::message(frame, msg, theme, self.error.as_deref(), None);
    }
}
