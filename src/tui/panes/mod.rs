//! The four panes, one file each. Each draws from `&App` only.

pub mod duties;
pub mod log;
pub mod roster;
pub mod roster_update;
pub mod visits;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, ListState, Paragraph};

use super::app::{App, Pane};
use super::theme::Role;

/// The pane's frame: title with its number key, bright border when focused.
pub fn frame_block<'a>(app: &App, pane: Pane, extra: &str) -> Block<'a> {
    let focused = app.focus == pane && app.modal.is_none();
    let (border, title) = if focused {
        (Role::FocusBorder, Role::Title)
    } else {
        (Role::Border, Role::Muted)
    };
    let marker = if focused { "▶ " } else { "" };
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.style(border))
        .title(Span::styled(
            format!(
                " {marker}{} {} {extra}",
                pane.index() + 1,
                pane.title(app.s())
            ),
            app.theme.style(title),
        ))
}

/// After a list of `total` rows was drawn in `area` (inside a pane's frame): when rows
/// lie above or below what shows, says so on the frame's bottom edge ("▼ 还有 3 行"), so
/// the member or visit past the edge is never missing unseen.
pub fn mark_more(frame: &mut Frame, area: Rect, total: usize, state: &ListState, app: &App) {
    let above = state.offset();
    let below = total.saturating_sub(above + usize::from(area.height));
    if above == 0 && below == 0 {
        return;
    }
    let s = app.s();
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(s.rows_above.replace("{n}", &above.to_string()));
    }
    if below > 0 {
        parts.push(s.rows_below.replace("{n}", &below.to_string()));
    }
    let text = format!(" {} ", parts.join(" · "));
    let w = crate::text::width(&text) as u16;
    let edge = area.y.saturating_add(area.height);
    if edge >= frame.area().bottom() || w + 2 > area.width {
        return;
    }
    let at = Rect::new(area.x + area.width - w - 1, edge, w, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(text, app.theme.style(Role::Muted))),
        at,
    );
}
