//! The `?` overlay: generated from the keymap's own descriptions, so it can never drift
//! from what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::{cell, wrap};
use crate::tui::action::Action;
use crate::tui::app::{App, Modal};
use crate::tui::effect::Effect;
use crate::tui::theme::Role;

/// One key while help is open: scrolls by line, page or to either end; the keys that
/// open or leave it close it.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let page = page(app.size.1);
    let last = line_count(app).saturating_sub(page);
    let Some(Modal::Help { scroll }) = app.modal.as_mut() else {
        return Vec::new();
    };
    *scroll = match action {
        Action::Back | Action::Help | Action::Quit | Action::Open => {
            app.modal = None;
            return Vec::new();
        }
        Action::Up | Action::PrevField => scroll.saturating_sub(1),
        Action::Down | Action::NextField => *scroll + 1,
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => *scroll + page,
        Action::Top | Action::Home => 0,
        Action::Bottom | Action::End => last,
        _ => *scroll,
    }
    .min(last);
    Vec::new()
}

/// Lines the overlay shows at once in a terminal of `height` rows: the header and the
/// status line, the gap around the overlay and its own frame take six.
pub fn page(height: u16) -> usize {
    usize::from(height.saturating_sub(6)).max(1)
}

/// How many lines the overlay has, so scrolling stops at its end.
pub fn line_count(app: &App) -> usize {
    lines(app, 70).len()
}

/// Draws the help overlay, scrolled by `scroll` lines.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let theme = &app.theme;
    let s = app.s();
    let rect = super::centered(area, 72, area.height.saturating_sub(2));
    super::clear(frame, rect);
    let lines = lines(app, usize::from(rect.width.saturating_sub(2)));
    // However tall the status line grew, the last line can be scrolled to, never past.
    let shown = usize::from(rect.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(shown));
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

/// The overlay's lines at `cols` columns: settings problems first (each wrapped on its
/// own lines), then every key by group.
fn lines(app: &App, cols: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let s = app.s();
    let mut lines = Vec::new();
    if !app.warnings.is_empty() {
        lines.push(Line::styled(s.help_problems, theme.style(Role::Warning)));
        for w in &app.warnings {
            for (i, part) in wrap(w, cols.saturating_sub(2).max(8))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { "• " } else { "  " };
                lines.push(Line::styled(
                    format!("{lead}{part}"),
                    theme.style(Role::Warning),
                ));
            }
        }
        lines.push(Line::raw(""));
    }
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
        // A long description wraps under itself rather than being cut.
        for (i, part) in wrap(row.description, cols.saturating_sub(26))
            .into_iter()
            .enumerate()
        {
            let keys = if i == 0 {
                cell(&row.keys, 26)
            } else {
                " ".repeat(26)
            };
            lines.push(Line::from(vec![
                Span::styled(keys, theme.style(Role::Key)),
                Span::raw(part),
            ]));
        }
    }
    lines
}
