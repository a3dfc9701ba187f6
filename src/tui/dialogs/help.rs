//! The `?` overlay: generated from the keymap's own descriptions, so it can never drift
//! from what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::text::pad_right;
use crate::tui::app::App;
use crate::tui::theme::Role;

/// Draws the help overlay, scrolled by `scroll` lines.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let theme = &app.theme;
    let s = app.s();
    let rect = super::centered(area, 72, area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let mut lines = Vec::new();
    let mut group = String::new();
    for (g, keys, desc) in app.keymap.help_rows(app.lang) {
        if g != group {
            if !group.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(group_title(&g, app), theme.style(Role::Header)));
            group = g;
        }
        lines.push(Line::from(vec![
            Span::styled(pad_right(&keys, 26), theme.style(Role::Key)),
            Span::raw(desc),
        ]));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::FocusBorder))
        .title(Span::styled(format!(" {} ", s.help_title), theme.style(Role::Title)))
        .title_bottom(Span::styled(s.help_close, theme.style(Role::Muted)));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        rect,
    );
}

fn group_title(g: &str, app: &App) -> String {
    let zh = app.lang == crate::i18n::Lang::Zh;
    match g {
        "global" => if zh { "全局" } else { "Everywhere" }.to_string(),
        "list" => if zh { "列表" } else { "Lists" }.to_string(),
        "form" => if zh { "表单与搜索" } else { "Forms and search" }.to_string(),
        other => other.to_string(),
    }
}
