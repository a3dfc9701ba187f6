//! 正在处理 — the gauge over everything while long work runs on the worker: what it is
//! doing, how far (changes applied of how many, rows, pages), and Esc to stop it before it
//! commits. The screen keeps redrawing and resizing meanwhile.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};

use crate::i18n::Lang;
use crate::progress::{Stage, Step};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::strings::sync::{fill, text};
use crate::tui::theme::{Role, Theme};

/// The work running and what it last said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// What is being done ("正在导入数据包").
    pub title: String,
    pub step: Option<Step>,
    /// Esc was pressed: waiting for the worker to stop.
    pub cancelling: bool,
    /// Quit was asked for: leave once the worker has stopped.
    pub quit_after: bool,
}

impl Busy {
    pub fn new(title: &str) -> Busy {
        Busy {
            title: title.to_string(),
            step: None,
            cancelling: false,
            quit_after: false,
        }
    }

    /// Keys while the work runs: Esc asks it to stop, quitting waits for that; the rest
    /// wait.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Back | Action::No => {
                self.cancelling = true;
                vec![Effect::Cancel]
            }
            Action::Quit => {
                self.cancelling = true;
                self.quit_after = true;
                vec![Effect::Cancel]
            }
            _ => Vec::new(),
        }
    }

    /// What the work is doing, in words, with its count.
    pub fn line(&self, lang: Lang) -> String {
        let t = text(lang);
        let Some(step) = self.step else {
            return t.working.to_string();
        };
        let stage = match step.stage {
            Stage::Reading => t.st_reading,
            Stage::Checking => t.st_checking,
            Stage::Applying => t.st_applying,
            Stage::Collecting => t.st_collecting,
            Stage::Sealing => t.st_sealing,
            Stage::Rows => t.st_rows,
            Stage::Figures => t.st_figures,
            Stage::Rendering => t.st_rendering,
            Stage::Writing => t.st_writing,
        };
        if step.total == 0 {
            return stage.to_string();
        }
        let count = if step.done == 0 && step.stage == Stage::Rendering {
            fill(t.of_total, &[("total", &step.total.to_string())])
        } else {
            fill(
                t.done_of,
                &[
                    ("done", &step.done.to_string()),
                    ("total", &step.total.to_string()),
                ],
            )
        };
        format!("{stage} {count}")
    }

    /// How full the gauge is.
    pub fn ratio(&self) -> f64 {
        match self.step {
            Some(s) if s.total > 0 => (s.done as f64 / s.total as f64).clamp(0.0, 1.0),
            Some(s) if s.stage == Stage::Writing => 1.0,
            _ => 0.0,
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let t = text(lang);
        let rect = super::centered(area, 64, 8);
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::FocusBorder))
            .title(Span::styled(
                format!(" {} ", self.title),
                theme.style(Role::Title),
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [line, _, gauge, hint] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(self.line(lang)), line);
        let ratio = self.ratio();
        frame.render_widget(
            Gauge::default()
                .gauge_style(theme.style(Role::Accent))
                .ratio(ratio)
                .label(format!("{:.0}%", ratio * 100.0)),
            gauge,
        );
        let (hint_text, role) = if self.cancelling {
            (t.cancelling, Role::Warning)
        } else {
            (t.cancel_hint, Role::Muted)
        };
        frame.render_widget(
            Paragraph::new(Span::styled(hint_text, theme.style(role))).wrap(Wrap { trim: true }),
            hint,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gauge_says_how_far_and_how_to_stop_at_80x24_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let t = text(lang);
            let mut b = Busy::new(t.busy_import);
            b.step = Some(Step {
                stage: Stage::Applying,
                done: 30,
                total: 120,
            });
            let mut term =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            let (theme, _) = Theme::load("default", None, true);
            term.draw(|f| b.draw(f, Rect::new(0, 1, 80, 22), &theme, lang))
                .unwrap();
            let screen: String = term
                .backend()
                .buffer()
                .content()
                .iter()
                .map(|c| c.symbol())
                .collect::<String>()
                .replace(' ', "");
            let want = |s: &str| s.replace(' ', "");
            assert!(screen.contains(&want(t.busy_import)), "{screen}");
            assert!(screen.contains(&want(&b.line(lang))), "{screen}");
            assert!(screen.contains("30") && screen.contains("120"), "{screen}");
            assert!(screen.contains("25%"), "a quarter done: {screen}");
            assert!(screen.contains(&want(t.cancel_hint)), "{screen}");
            // Esc asks the worker to stop; the gauge says it is stopping.
            assert!(matches!(
                b.update(Action::Back).as_slice(),
                [Effect::Cancel]
            ));
            assert!(b.cancelling && !b.quit_after);
            assert!(b.update(Action::Type('x')).is_empty(), "other keys wait");
        }
    }
}
