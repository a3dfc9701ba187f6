//! The `?` overlay: generated from the keymap's own descriptions, so it can never drift
//! from what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::{pad_right, truncate};
use crate::tui::app::App;
use crate::tui::theme::Role;

/// Draws the help overlay, scrolled by `scroll` lines.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let theme = &app.theme;
    let s = app.s();
    // Wide enough for the longest descriptions where the screen allows; a description
    // that still does not fit is cut with …, never mid-word without a sign.
    let rect = super::centered(area, 100, area.height.saturating_sub(2));
    let text_w = usize::from(rect.width.saturating_sub(2)).saturating_sub(26);
    super::clear(frame, rect);
    let mut lines = Vec::new();
    let mut group = None;
    for row in app.keymap.help_rows(app.lang) {
        if group != Some(row.group) {
            if group.is_some() {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                row.group.title(app.lang),
                theme.style(Role::Header),
            ));
            group = Some(row.group);
        }
        lines.push(Line::from(vec![
            Span::styled(pad_right(&row.keys, 26), theme.style(Role::Key)),
            Span::raw(truncate(row.description, text_w).into_owned()),
        ]));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::FocusBorder))
        .title(Span::styled(
            format!(" {} ", s.help_title),
            theme.style(Role::Title),
        ))
        .title_bottom(Span::styled(s.help_close, theme.style(Role::Muted)));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        rect,
    );
}
