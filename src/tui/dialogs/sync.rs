//! 数据包 — the sync dialogs: export (`x`) to a chosen trusted device, import (`i`) with its
//! preview before anything is applied, and the conflicts list (`C`) where each concurrent
//! edit is settled by keeping A or B. These hold state and draw; the driver
//! (`tui::sync_io`) does the file work and answers with a [`Reply`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use crate::i18n::Lang;
use crate::sync::conflicts::{Conflict, show_value};
use crate::text::{LineInput, truncate};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::theme::{Role, Theme};

/// What the dialogs ask the driver for.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Read the trusted devices and a suggested file name, then open the export dialog.
    OpenExport,
    /// Read the open conflicts, then open the list.
    OpenConflicts,
    Export {
        to: String,
        for_name: String,
    },
    /// Work out what a bundle would change (rolled back).
    Preview {
        path: String,
    },
    Import {
        path: String,
    },
    Resolve {
        id: String,
        keep_b: bool,
    },
}

/// What the driver answers.
#[derive(Debug, Clone)]
pub enum Reply {
    ExportForm {
        path: String,
        devices: Vec<String>,
    },
    /// Done; the message goes to the status line and the dialog closes.
    Finished(String),
    Previewed(Vec<String>),
    Conflicts(Vec<Conflict>),
    Failed(String),
}

/// The dialog on screen.
#[derive(Debug, Clone)]
pub enum SyncDialog {
    Export {
        path: LineInput,
        devices: Vec<String>,
        chosen: usize,
        error: Option<String>,
    },
    Import {
        path: LineInput,
        preview: Option<Vec<String>>,
        error: Option<String>,
    },
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

fn edit(input: &mut LineInput, action: Action) -> bool {
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
    /// An empty import dialog: the leader types or pastes the bundle's path.
    pub fn import() -> SyncDialog {
        SyncDialog::Import {
            path: LineInput::new(""),
            preview: None,
            error: None,
        }
    }

    /// Handles one action while the dialog is open.
    pub fn update(&mut self, action: Action, lang: Lang) -> Step {
        let req = |r: Request| Step::Stay(vec![Effect::Sync(r)]);
        match self {
            SyncDialog::Export {
                path,
                devices,
                chosen,
                error,
            } => match action {
                Action::Back => Step::Close,
                Action::Up | Action::PrevField => {
                    *chosen = chosen.saturating_sub(1);
                    Step::Stay(Vec::new())
                }
                Action::Down | Action::NextField => {
                    *chosen = (*chosen + 1).min(devices.len().saturating_sub(1));
                    Step::Stay(Vec::new())
                }
                Action::Open | Action::Save => match devices.get(*chosen) {
                    Some(d) if !path.value.trim().is_empty() => req(Request::Export {
                        to: path.value.trim().to_string(),
                        for_name: d.clone(),
                    }),
                    Some(_) => {
                        *error = Some(crate::tui::strings::strings(lang).give_a_file_path.into());
                        Step::Stay(Vec::new())
                    }
                    None => {
                        *error = Some(
                            crate::tui::strings::strings(lang)
                                .no_trusted_device_yet_run_louzu_trus
                                .into(),
                        );
                        Step::Stay(Vec::new())
                    }
                },
                other => {
                    if edit(path, other) {
                        *error = None;
                    }
                    Step::Stay(Vec::new())
                }
            },
            SyncDialog::Import {
                path,
                preview,
                error,
            } => match action {
                Action::Back if preview.is_some() => {
                    *preview = None;
                    Step::Stay(Vec::new())
                }
                Action::Back => Step::Close,
                Action::Open | Action::Save if !path.value.trim().is_empty() => {
                    let p = path.value.trim().to_string();
                    if preview.is_some() {
                        req(Request::Import { path: p })
                    } else {
                        req(Request::Preview { path: p })
                    }
                }
                other => {
                    if edit(path, other) {
                        *preview = None;
                        *error = None;
                    }
                    Step::Stay(Vec::new())
                }
            },
            SyncDialog::Conflicts { rows, selected } => match action {
                Action::Back | Action::Quit => Step::Close,
                Action::Up | Action::PrevField => {
                    *selected = selected.saturating_sub(1);
                    Step::Stay(Vec::new())
                }
                Action::Down | Action::NextField => {
                    *selected = (*selected + 1).min(rows.len().saturating_sub(1));
                    Step::Stay(Vec::new())
                }
                c @ (Action::KeepA | Action::KeepB) => match rows.get(*selected) {
                    Some(row) => req(Request::Resolve {
                        id: row.id.clone(),
                        keep_b: matches!(c, Action::KeepB),
                    }),
                    None => Step::Stay(Vec::new()),
                },
                _ => Step::Stay(Vec::new()),
            },
        }
    }

    /// Takes the driver's answer; returns false when the dialog should close.
    pub fn reply(&mut self, reply: Reply) -> bool {
        match (self, reply) {
            (SyncDialog::Import { preview, .. }, Reply::Previewed(lines)) => {
                *preview = Some(lines);
                true
            }
            (
                SyncDialog::Export { error, .. } | SyncDialog::Import { error, .. },
                Reply::Failed(e),
            ) => {
                *error = Some(e);
                true
            }
            (SyncDialog::Conflicts { rows, selected }, Reply::Conflicts(new)) => {
                *rows = new;
                *selected = (*selected).min(rows.len().saturating_sub(1));
                !rows.is_empty()
            }
            _ => false,
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let rect = super::centered(area, 76, 18);
        super::clear(frame, rect);
        let (title, hint) = match self {
            SyncDialog::Export { .. } => (
                crate::tui::strings::strings(lang).export_a_bundle,
                crate::tui::strings::strings(lang).device_enter_export_esc_cancel,
            ),
            SyncDialog::Import { preview: None, .. } => (
                crate::tui::strings::strings(lang).import_a_bundle,
                crate::tui::strings::strings(lang).enter_preview_esc_cancel,
            ),
            SyncDialog::Import { .. } => (
                crate::tui::strings::strings(lang).import_a_bundle,
                crate::tui::strings::strings(lang).enter_import_esc_back,
            ),
            SyncDialog::Conflicts { .. } => (
                crate::tui::strings::strings(lang).conflicts,
                crate::tui::strings::strings(lang).select_a_keep_a_b_keep_b_esc_close,
            ),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::FocusBorder))
            .title(Span::styled(format!(" {title} "), theme.style(Role::Title)));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [body, hint_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Span::styled(hint, theme.style(Role::Muted))),
            hint_area,
        );
        let w = usize::from(body.width);
        match self {
            SyncDialog::Export {
                path,
                devices,
                chosen,
                error,
            } => {
                let [input, list, err] = Layout::vertical([
                    Constraint::Length(2),
                    Constraint::Min(1),
                    Constraint::Length(2),
                ])
                .areas(body);
                let label = crate::tui::strings::strings(lang).file;
                let lw = crate::text::width(label);
                let (shown, col) = path.visible(w.saturating_sub(lw + 1));
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::raw(label),
                        Span::styled(shown, theme.style(Role::Input)),
                    ])),
                    input,
                );
                frame.set_cursor_position((input.x + (lw + col) as u16, input.y));
                let items: Vec<ListItem> = devices
                    .iter()
                    .map(|d| ListItem::new(format!("→ {d}")))
                    .collect();
                let mut state = ListState::default().with_selected(Some(*chosen));
                frame.render_stateful_widget(
                    List::new(items).highlight_style(theme.style(Role::Selection)),
                    list,
                    &mut state,
                );
                if let Some(e) = error {
                    frame.render_widget(
                        Paragraph::new(Span::styled(e.clone(), theme.style(Role::Error)))
                            .wrap(Wrap { trim: true }),
                        err,
                    );
                }
            }
            SyncDialog::Import {
                path,
                preview,
                error,
            } => {
                let [input, rest] =
                    Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(body);
                let label = crate::tui::strings::strings(lang).file;
                let lw = crate::text::width(label);
                let (shown, col) = path.visible(w.saturating_sub(lw + 1));
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::raw(label),
                        Span::styled(shown, theme.style(Role::Input)),
                    ])),
                    input,
                );
                frame.set_cursor_position((input.x + (lw + col) as u16, input.y));
                let mut lines: Vec<Line> = preview
                    .iter()
                    .flatten()
                    .map(|l| Line::raw(l.clone()))
                    .collect();
                if let Some(e) = error {
                    lines.push(Line::styled(e.clone(), theme.style(Role::Error)));
                }
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
            }
            SyncDialog::Conflicts { rows, selected } => {
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
                let mut state = ListState::default().with_selected(Some(*selected));
                frame.render_stateful_widget(
                    List::new(items).highlight_style(theme.style(Role::Selection)),
                    body,
                    &mut state,
                );
            }
        }
    }
}
