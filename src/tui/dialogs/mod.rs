//! Dialogs drawn over the panes: one file each.

pub mod busy;
pub mod checkin;
pub mod chooser;
pub mod confirm;
pub mod field_pick;
pub mod form;
pub mod help;
pub mod member_refs;
pub mod pane_form;
pub mod picker;
pub mod report;
pub mod sync;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::Clear;

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

/// Clears the area under a dialog, and the column left of it: a wide (Chinese) character
/// that starts just left of the dialog would otherwise cover the dialog's left border.
pub fn clear(frame: &mut Frame, rect: Rect) {
    let wider = Rect {
        x: rect.x.saturating_sub(1),
        width: rect.width + u16::from(rect.x > 0),
        ..rect
    };
    frame.render_widget(Clear, wider.intersection(frame.area()));
}
