//! A member chosen from a list for a form's reference field (负责人, 走访人, 出席党员):
//! typing in the field opens the members, filtered by what is typed (pinyin initials too).

use crate::domain::EntityKind;
use crate::text::LineInput;
use crate::tui::action::Action;
use crate::tui::app::{App, Modal};
use crate::tui::dialogs::edit_input;
use crate::tui::dialogs::form::Form;
use crate::tui::dialogs::picker::{PickFor, Picker};
use crate::tui::effect::Effect;
use crate::tui::modal::update as update_modal;

/// Whether the focused field names members: `Some(true)` for a list (走访人, 出席党员),
/// `Some(false)` for one (负责人).
pub fn member_field(f: &Form) -> Option<bool> {
    use crate::domain::FieldKind;
    match f.fields.get(f.focus)?.spec.kind {
        FieldKind::Ref(EntityKind::Member) => Some(false),
        FieldKind::RefList(EntityKind::Member) => Some(true),
        _ => None,
    }
}

/// Keys while a member list is open over a form: Enter puts the chosen member (or, when
/// nothing matches, the text as typed — nothing typed is lost) into the field; a 、 or comma
/// does the same and goes on to the next name; Tab also moves to the next field, Ctrl+S
/// also saves the form; Esc goes back to the form as it was.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Modal::FieldPick(mut form, mut picker)) = app.modal.take() else {
        return Vec::new();
    };
    let separator = matches!(action, Action::Type('、' | ',' | '，' | ';' | '；'));
    match action {
        Action::Back => app.modal = Some(Modal::Form(form)),
        Action::Open | Action::Save => {
            fill(&mut form, &picker, false);
            app.modal = Some(Modal::Form(form));
            if matches!(action, Action::Save) {
                return update_modal(app, Action::Save);
            }
        }
        _ if separator => {
            fill(&mut form, &picker, true);
            app.modal = Some(Modal::Form(form));
        }
        // Tab takes the choice and moves on, as in any field.
        Action::NextField | Action::PrevField => {
            fill(&mut form, &picker, false);
            app.modal = Some(Modal::Form(form));
            return update_modal(app, action);
        }
        other => {
            match other {
                Action::Up => picker.step(-1),
                Action::Down => picker.step(1),
                Action::PageUp => picker.step(-10),
                Action::PageDown => picker.step(10),
                other => {
                    if edit_input(&mut picker.input, other) {
                        picker.refilter();
                    }
                }
            }
            app.modal = Some(Modal::FieldPick(form, picker));
        }
    }
    Vec::new()
}

/// Puts the picker's choice into the form field it was opened for.
fn fill(form: &mut Form, picker: &Picker, more: bool) {
    let PickFor::FormField { field, multi } = picker.purpose else {
        return;
    };
    let name = match picker.chosen() {
        Some(item) => item.label.clone(),
        None => picker.input.value.trim().to_string(),
    };
    let Some(f) = form.fields.get_mut(field) else {
        return;
    };
    let current = f
        .input
        .value
        .trim()
        .trim_end_matches(['、', ',', '，', ';', '；'])
        .to_string();
    let listed = current
        .split(['、', ',', '，', ';', '；'])
        .any(|n| n.trim() == name);
    let mut text = match (multi, current.is_empty(), name.is_empty() || listed) {
        (true, false, true) => current,
        (true, false, false) => format!("{current}、{name}"),
        _ => name,
    };
    if more && multi {
        text.push('、');
    }
    f.input = LineInput::new(text);
    f.error = None;
}
