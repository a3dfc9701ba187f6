//! Turning a key press into an action, through the keymap. While a text field has focus,
//! printable characters are text; everything else still goes through the keymap.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::app::{App, Modal};
use super::keymap::KeyGroup;

/// The action a key press means in the current state, if any.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if let Some(Modal::Sync(d)) = &app.modal {
        return sync_key(app, d, key);
    }
    let typing = matches!(
        app.modal,
        Some(Modal::Form(_))
            | Some(Modal::Picker(_))
            | Some(Modal::Checkin(_))
            | Some(Modal::FieldPick(..))
    ) || (app.modal.is_none()
        && (app.roster.search_input.is_some() || app.log.search_input.is_some()));
    if matches!(app.modal, Some(Modal::Confirm(_) | Modal::Discard(_)))
        && let KeyCode::Char(c) = key.code
        && !key.modifiers.contains(KeyModifiers::CONTROL)
    {
        return Some(Action::Type(c));
    }
    if typing {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if plain => return Some(Action::Type(c)),
            KeyCode::Backspace => return Some(Action::Backspace),
            KeyCode::Delete => return Some(Action::DeleteForward),
            KeyCode::Left => return Some(Action::Left),
            KeyCode::Right => return Some(Action::Right),
            KeyCode::Home => return Some(Action::Home),
            KeyCode::End => return Some(Action::End),
            KeyCode::Enter => return Some(Action::Open),
            KeyCode::Esc => return Some(Action::Back),
            _ => {}
        }
        return app
            .keymap
            .lookup(&key, KeyGroup::Form)
            .and_then(Action::from_name);
    }
    app.keymap
        .lookup(&key, KeyGroup::List)
        .and_then(Action::from_name)
}

/// The sync dialogs: a yes/no question answers to the keymap's `confirm` keys; otherwise
/// text is typed into the field, the list keys (↑↓, PgUp/PgDn) move in the list under it,
/// and Tab, Ctrl+S and the rest come from the form keys.
fn sync_key(app: &App, dialog: &super::dialogs::sync::SyncDialog, key: KeyEvent) -> Option<Action> {
    if dialog.asks_yes_no() {
        return app
            .keymap
            .lookup(&key, KeyGroup::Confirm)
            .and_then(Action::from_name);
    }
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain => return Some(Action::Type(c)),
        KeyCode::Backspace => return Some(Action::Backspace),
        KeyCode::Delete => return Some(Action::DeleteForward),
        KeyCode::Left => return Some(Action::Left),
        KeyCode::Right => return Some(Action::Right),
        KeyCode::Home => return Some(Action::Home),
        KeyCode::End => return Some(Action::End),
        KeyCode::Enter => return Some(Action::Open),
        KeyCode::Esc => return Some(Action::Back),
        _ => {}
    }
    let list = app.keymap.lookup(&key, KeyGroup::List);
    if let Some(name @ ("up" | "down" | "page_up" | "page_down")) = list {
        return Action::from_name(name);
    }
    app.keymap
        .lookup(&key, KeyGroup::Form)
        .and_then(Action::from_name)
}
