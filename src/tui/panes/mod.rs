//! The four panes, one file each. Each draws from `&App` only.

pub mod duties;
pub mod log;
pub mod roster;
pub mod roster_update;
pub mod visits;

use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

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
