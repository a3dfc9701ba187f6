//! "Really delete?" — asked before any delete (and undo is there after).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::Outcome;
use crate::text::width;
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::theme::{Role, Theme};

/// A question and the effect a yes performs.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: String,
    pub on_yes: Effect,
}

impl Confirm {
    /// Yes (Enter, y) does it, No (Esc, n) does not; other keys leave the question up.
    pub fn update(&self, action: &Action) -> Outcome {
        match action {
            Action::Yes => Outcome::Close(vec![self.on_yes.clone()]),
            Action::No | Action::Back | Action::Quit => Outcome::Close(Vec::new()),
            _ => Outcome::stay(),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keys: &str) {
        ask(frame, area, theme, &self.question, keys);
    }
}

/// A question box with its keys below, centred over whatever is drawn.
pub fn ask(frame: &mut Frame, area: Rect, theme: &Theme, question: &str, keys: &str) {
    {
        let w = (width(question).max(width(keys)) + 4) as u16;
        let rect = super::centered(area, w, 5);
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Warning));
        let text = vec![
            Line::styled(question.to_string(), theme.style(Role::Warning)),
            Line::from(Span::styled(keys.to_string(), theme.style(Role::Muted))),
        ];
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            rect,
        );
    }
}

/// Whether a key over 放弃已输入的内容？ throws the typed text away: only a yes does;
/// anything else (Enter included) goes back to the text.
pub fn discards(action: &Action) -> bool {
    matches!(action, Action::Discard)
}
