//! Dialogs drawn over the panes: one file each.

pub mod busy;
pub mod checkin;
pub mod chooser;
pub mod confirm;
pub mod field_pick;
pub mod form;
mod form_update;
pub mod help;
pub mod member_refs;
pub mod pane_form;
pub mod picker;
pub mod report;
pub mod sync;

use ratatui::Frame;

use serde_json::Value;

use crate::text::LineInput;
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use picker::{Item, PickFor};
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

/// What a key did to a dialog. Dialogs are handed what they need (the data, the language,
/// the texts) rather than the whole `App`, and answer with this; `tui::modal` acts on it.
#[derive(Debug)]
pub enum Outcome {
    /// The dialog stays open; the driver performs the effects (none: it just redrew).
    Stay(Vec<Effect>),
    /// The dialog closes, then the driver performs the effects.
    Close(Vec<Effect>),
    /// Esc with typed text: ask 放弃已输入的内容？ over the dialog.
    AskDiscard,
    /// A picker's item was chosen (the picker closes).
    Picked(PickFor, Item),
    /// A form's values passed its checks; what they mean depends on why it was opened.
    Submit(Vec<(String, Value)>),
    /// A key typed into a member field: open the member list over the form with it.
    PickMember(char),
    /// Leave louzu (Ctrl+Q during first-run setup, before anything was written).
    Quit,
}

impl Outcome {
    /// Nothing for the caller to do.
    pub fn stay() -> Outcome {
        Outcome::Stay(Vec::new())
    }
}

/// Applies a text-editing action to an input; false if the action is not one.
pub fn edit_input(input: &mut LineInput, action: Action) -> bool {
    match action {
        Action::Type(c) => input.insert_char(c),
        Action::Paste(text) => input.insert_str(&text.replace(['\n', '\r'], " ")),
        Action::Backspace => input.backspace(),
        Action::DeleteForward => input.delete(),
        Action::Left => input.left(),
        Action::Right => input.right(),
        Action::Home => input.home(),
        Action::End => input.end(),
        _ => return false,
    }
    true
}
