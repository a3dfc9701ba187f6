//! Dialogs drawn over the panes: one file each.

pub mod confirm;
pub mod form;
pub mod help;
pub mod member_refs;
pub mod pane_form;
pub mod picker;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// A box of at most `w`×`h` centred in `area`, never larger than it.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}
