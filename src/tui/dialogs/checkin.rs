//! 今日巡楼 — the daily stairwell check-in in under a minute: each item ok or a problem
//! with a note, one key to also open a need, and today's due visits listed below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Outcome, edit_input};
use crate::domain::EntityKind;
use crate::domain::checkin::Finding;
use crate::text::{LineInput, pad_right, truncate, width};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::strings::Strings;
use crate::tui::theme::Role;

/// One checklist item as being filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: String,
    pub problem: bool,
    pub note: LineInput,
    /// Also open a need (民情诉求) for this problem when saving.
    pub need: bool,
    /// The need this item opened earlier today, shown as →诉求.
    pub linked: Option<String>,
    /// Recorded earlier today but no longer in the configured checklist: kept and shown.
    pub extra: bool,
}

/// The open check-in dialog.
#[derive(Debug, Clone)]
pub struct Checkin {
    pub items: Vec<Item>,
    /// The last row is the free note.
    pub note: LineInput,
    pub focus: usize,
    pub error: Option<String>,
    pub pending: bool,
    /// What the dialog opened with, to tell whether the leader changed anything.
    opened: (Vec<Item>, String),
}

impl Checkin {
    /// One key: move between items, mark ok/problem, type a note (typing marks a
    /// problem), Ctrl+N to also open a need (or open the need it already opened), save.
    pub fn update(&mut self, action: Action, s: &Strings) -> Outcome {
        if self.pending {
            return Outcome::stay();
        }
        match action {
            Action::Back if self.changed() => return Outcome::AskDiscard,
            Action::Back => return Outcome::Close(Vec::new()),
            Action::Up | Action::PrevField => self.step(-1),
            Action::Down | Action::NextField => self.step(1),
            Action::Left => self.set_problem(false),
            Action::Right => self.set_problem(true),
            Action::ToggleNeed => {
                let changed = self.changed();
                let Some(item) = self.items.get_mut(self.focus) else {
                    return Outcome::stay();
                };
                // An item that already opened a need opens that need, never a second.
                match item.linked.clone() {
                    Some(id) if !changed => {
                        return Outcome::Close(vec![Effect::LoadForEdit {
                            kind: EntityKind::Need,
                            id,
                        }]);
                    }
                    Some(_) => self.error = Some(s.checkin_save_first.to_string()),
                    None => {
                        item.problem = true;
                        item.need = !item.need;
                    }
                }
            }
            Action::Open | Action::Save => {
                self.pending = true;
                return Outcome::Stay(vec![Effect::Checkin(self.entry())]);
            }
            other => {
                let typed = matches!(other, Action::Type(_) | Action::Paste(_));
                if edit_input(self.input(), other) && typed {
                    self.set_problem(true);
                }
            }
        }
        Outcome::stay()
    }

    /// Today's checklist, starting from what was recorded earlier today (a second check-in
    /// the same day edits the first): every recorded finding shows, including items the
    /// configured list no longer has.
    pub fn new(app: &App) -> Checkin {
        let lines = crate::usecase::checkin::lines(&app.checkin_items, app.data.checkin.as_ref());
        let items: Vec<Item> = lines
            .into_iter()
            .map(|l| {
                let (problem, note) = match l.finding {
                    Some(Finding::Problem(n)) => (true, n),
                    _ => (false, String::new()),
                };
                Item {
                    name: l.name,
                    problem,
                    note: LineInput::new(note),
                    need: false,
                    linked: l.need,
                    extra: l.extra,
                }
            })
            .collect();
        let note = app
            .data
            .checkin
            .as_ref()
            .map(|r| r.text("note").to_string())
            .unwrap_or_default();
        Checkin {
            opened: (items.clone(), note.clone()),
            items,
            note: LineInput::new(note),
            focus: 0,
            error: None,
            pending: false,
        }
    }

    /// Whether anything differs from what the dialog opened with (Esc then asks).
    pub fn changed(&self) -> bool {
        let same = self.items.len() == self.opened.0.len()
            && self.items.iter().zip(&self.opened.0).all(|(a, b)| {
                a.problem == b.problem && a.need == b.need && a.note.value == b.note.value
            });
        !same || self.note.value != self.opened.1
    }

    /// The input under the cursor: an item's note, or the free note on the last row.
    pub fn input(&mut self) -> &mut LineInput {
        match self.items.get_mut(self.focus) {
            Some(item) => &mut item.note,
            None => &mut self.note,
        }
    }

    /// Moves between rows (items, then the free note).
    pub fn step(&mut self, delta: isize) {
        self.focus = self
            .focus
            .saturating_add_signed(delta)
            .min(self.items.len());
    }

    /// Sets the focused item ok or problem.
    pub fn set_problem(&mut self, problem: bool) {
        if let Some(item) = self.items.get_mut(self.focus) {
            item.problem = problem;
            if !problem {
                item.need = false;
            }
        }
    }

    /// What saving hands to the check-in use case.
    pub fn entry(&self) -> crate::usecase::checkin::Entry {
        let findings = self
            .items
            .iter()
            .map(|i| {
                let f = if i.problem {
                    Finding::Problem(i.note.value.trim().to_string())
                } else {
                    Finding::Ok
                };
                (i.name.clone(), f)
            })
            .collect();
        let open_needs = self
            .items
            .iter()
            .filter(|i| i.problem && i.need && i.linked.is_none())
            .map(|i| i.name.clone())
            .collect();
        crate::usecase::checkin::Entry {
            findings,
            note: self.note.value.clone(),
            open_needs,
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, app: &App) {
        let s = app.s();
        let theme = &app.theme;
        let due: Vec<String> = app
            .data
            .visits
            .iter()
            .filter(|v| {
                v.status == "planned" && v.due <= crate::domain::date::format_date(app.data.today)
            })
            .map(|v| format!("{} {}", v.room, v.purpose))
            .collect();
        let h = (self.items.len() + due.len() + 6) as u16;
        let wide = (width(s.checkin_keys) + 4).max(76) as u16;
        let rect = super::centered(area, wide.min(area.width), h.min(area.height));
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::FocusBorder))
            .title(Span::styled(
                format!(
                    " {} {} ",
                    s.checkin_title,
                    crate::domain::date::format_date(app.data.today)
                ),
                theme.style(Role::Title),
            ))
            .title_bottom(Span::styled(
                truncate(s.checkin_keys, usize::from(rect.width.saturating_sub(2))).into_owned(),
                theme.style(Role::Muted),
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let w = usize::from(inner.width);
        let shown_name = |i: &Item| {
            let name = crate::domain::checkin::item_label(&i.name, app.lang);
            if i.extra {
                format!("{name}{}", s.checkin_extra)
            } else {
                name.to_string()
            }
        };
        let name_w = (self
            .items
            .iter()
            .map(|i| width(&shown_name(i)))
            .max()
            .unwrap_or(4)
            + 2)
        .min(w / 2);
        let mut lines = Vec::new();
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.style(Role::Error)));
        }
        let mut cursor = None;
        // [正常] / [问题] or [ok] / [problem], then a space.
        let mark_w = width(s.checkin_ok).max(width(s.checkin_problem)) + 3;
        for (n, item) in self.items.iter().enumerate() {
            let focused = n == self.focus;
            let (mark, role) = if item.problem {
                (format!("[{}]", s.checkin_problem), Role::Warning)
            } else {
                (format!("[{}]", s.checkin_ok), Role::Done)
            };
            let name_style = if focused {
                theme.style(Role::Accent)
            } else {
                theme.style(Role::Base)
            };
            let mut spans = vec![
                Span::styled(if focused { "▶ " } else { "  " }, theme.style(Role::Accent)),
                Span::styled(
                    pad_right(&truncate(&shown_name(item), name_w - 1), name_w),
                    name_style,
                ),
                Span::styled(pad_right(&mark, mark_w), theme.style(role)),
            ];
            let used = 2 + name_w + mark_w;
            let need_mark = match (&item.linked, item.need) {
                (Some(_), _) => Some(s.checkin_need_open),
                (None, true) => Some(s.checkin_need),
                (None, false) => None,
            };
            let need_w = need_mark.map_or(0, |m| width(m) + 1);
            let (shown, col) = item.note.visible(w.saturating_sub(used + need_w + 1));
            if focused {
                cursor = Some((used + col, lines.len()));
            }
            spans.push(Span::styled(shown, theme.style(Role::Input)));
            if let Some(m) = need_mark {
                spans.push(Span::styled(format!(" {m}"), theme.style(Role::Overdue)));
            }
            lines.push(Line::from(spans));
        }
        let focused = self.focus == self.items.len();
        let label = pad_right(s.checkin_note, name_w + 10);
        let (shown, col) = self.note.visible(w.saturating_sub(width(&label) + 2));
        if focused {
            cursor = Some((2 + width(&label) + col, lines.len()));
        }
        lines.push(Line::from(vec![
            Span::styled(if focused { "▶ " } else { "  " }, theme.style(Role::Accent)),
            Span::styled(label, theme.style(Role::Base)),
            Span::styled(shown, theme.style(Role::Input)),
        ]));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("{}{}", s.checkin_due, app.lang.pick("：", ":")),
            theme.style(Role::Header),
        ));
        for d in &due {
            lines.push(Line::raw(truncate(&format!("  {d}"), w).into_owned()));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if let Some((x, y)) = cursor {
            frame.set_cursor_position((
                inner.x + (x as u16).min(inner.width.saturating_sub(1)),
                inner.y + (y as u16).min(inner.height.saturating_sub(1)),
            ));
        }
    }
}
