//! Turning a key press into an action, through the keymap. While a text field has focus,
//! printable characters are text; everything else still goes through the keymap.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::app::{App, Modal};
use super::dialogs::sync::SyncDialog;
use super::keymap::KeyGroup;

/// The action a key press means in the current state, if any.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    // A question takes only its answers (and the global keys, Ctrl+Q, …).
    match &app.modal {
        Some(Modal::Discard(_)) => {
            // Only the discard key throws typed text away; any other key keeps it.
            return Some(if app.keymap.binds("discard", &key) {
                Action::Discard
            } else {
                Action::No
            });
        }
        Some(Modal::Confirm(_)) => {
            return app
                .keymap
                .lookup_layers(&key, &[KeyGroup::Confirm])
                .and_then(Action::from_name);
        }
        Some(Modal::Sync(d)) if matches!(**d, SyncDialog::Conflicts { .. }) => {
            return app
                .keymap
                .lookup_layers(&key, &[KeyGroup::Conflicts, KeyGroup::List])
                .and_then(Action::from_name);
        }
        Some(Modal::Sync(d)) => return sync_key(app, d, key),
        _ => {}
    }
    let typing = matches!(
        app.modal,
        Some(Modal::Form(_))
            | Some(Modal::Picker(_))
            | Some(Modal::Checkin(_))
            | Some(Modal::FieldPick(..))
    ) || (app.modal.is_none()
        && (app.roster.search_input.is_some() || app.log.search_input.is_some()));
    if typing {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let KeyCode::Char(c) = key.code
            && plain
        {
            return Some(Action::Type(c));
        }
        return app
            .keymap
            .lookup_layers(&key, &[KeyGroup::Typing, KeyGroup::Form])
            .and_then(Action::from_name);
    }
    app.keymap
        .lookup(&key, KeyGroup::List)
        .and_then(Action::from_name)
}

/// The export, trust and import dialogs: a yes/no question (trust this device?) takes the
/// `confirm` keys; otherwise text is typed into the field, the list keys (↑↓, PgUp/PgDn)
/// move in the list under it, and the typing and form keys do the rest (Home/End go to
/// the list's ends there, Tab to the next field).
fn sync_key(app: &App, dialog: &SyncDialog, key: KeyEvent) -> Option<Action> {
    if dialog.asks_yes_no() {
        // Only the trust key trusts (never Enter); the confirm group's "no" declines.
        if app.keymap.binds("trust", &key) {
            return Some(Action::Yes);
        }
        return match app.keymap.lookup_layers(&key, &[KeyGroup::Confirm]) {
            Some("no") => Some(Action::No),
            _ => None,
        };
    }
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if let KeyCode::Char(c) = key.code
        && plain
    {
        return Some(Action::Type(c));
    }
    if let Some(name @ ("up" | "down" | "page_up" | "page_down")) =
        app.keymap.lookup_layers(&key, &[KeyGroup::List])
    {
        return Action::from_name(name);
    }
    app.keymap
        .lookup_layers(&key, &[KeyGroup::Typing, KeyGroup::Form])
        .and_then(Action::from_name)
}
