//! Keys while a dialog is open: each dialog's own `update` decides what the key does to
//! it and answers with an [`Outcome`]; this turns outcomes into state and effects (what
//! a picked item or a submitted form means depends on why it was opened).

use serde_json::Value;

use super::action::Action;
use super::app::{App, Modal};
use super::dialogs::form::{Form, Purpose};
use super::dialogs::picker::{Item, PickFor, Picker};
use super::dialogs::{Outcome, confirm, field_pick};
use super::effect::Effect;
use crate::domain::EntityKind;

/// One key while a dialog is open.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let lang = app.lang;
    let s = app.s();
    let Some(modal) = app.modal.as_mut() else {
        return Vec::new();
    };
    let outcome = match modal {
        Modal::Discard(_) => {
            let Some(Modal::Discard(inner)) = app.modal.take() else {
                return Vec::new();
            };
            if !confirm::discards(&action) {
                app.modal = Some(*inner);
            }
            return Vec::new();
        }
        Modal::FieldPick(..) => return field_pick::update(app, action),
        Modal::Help { .. } => return super::dialogs::help::update(app, action),
        Modal::Sync(d) => match d.update(action, lang) {
            super::dialogs::sync::Step::Stay(effects) => Outcome::Stay(effects),
            super::dialogs::sync::Step::Close => Outcome::Close(Vec::new()),
        },
        Modal::Checkin(c) => c.update(action, s),
        Modal::Confirm(c) => c.update(&action),
        Modal::Picker(p) => p.update(action),
        Modal::Form(f) => f.update(action, &app.data, lang, s),
    };
    follow(app, outcome)
}

/// Acts on what the dialog answered.
fn follow(app: &mut App, outcome: Outcome) -> Vec<Effect> {
    match outcome {
        Outcome::Stay(effects) => effects,
        Outcome::Close(effects) => {
            app.modal = None;
            effects
        }
        Outcome::AskDiscard => {
            ask_discard(app);
            Vec::new()
        }
        Outcome::Quit => {
            app.quit = true;
            Vec::new()
        }
        Outcome::Picked(purpose, item) => {
            app.modal = None;
            picked(app, purpose, item)
        }
        Outcome::Submit(values) => submitted(app, values),
        Outcome::PickMember(c) => {
            open_member_pick(app, c);
            Vec::new()
        }
    }
}

/// A form whose meaning lies outside it: a report to write, a roster file to preview, a
/// pane's own form (tick, attest, dates).
fn submitted(app: &mut App, values: Vec<(String, Value)>) -> Vec<Effect> {
    let Some(Modal::Form(f)) = app.modal.as_mut() else {
        return Vec::new();
    };
    match f.purpose.clone() {
        Purpose::Report => {
            f.pending = true;
            let cmd =
                super::dialogs::report::command(&values, app.building.as_deref(), &app.output_dir);
            vec![Effect::Report(Box::new(cmd))]
        }
        Purpose::RosterImport => {
            let (path, skip_bad) = super::dialogs::report::import_args(&values);
            app.modal = None;
            vec![Effect::RosterPreview { path, skip_bad }]
        }
        Purpose::Pane(p) => super::dialogs::pane_form::saved(app, p, values),
        _ => Vec::new(),
    }
}

/// Covers the form with the member list, filtered by the key just typed.
fn open_member_pick(app: &mut App, c: char) {
    let Some(Modal::Form(f)) = app.modal.as_ref() else {
        return;
    };
    let multi = field_pick::member_field(f) == Some(true);
    let field = f.focus;
    let title = f.fields[field].label.clone();
    let items = app
        .data
        .roster
        .iter()
        .flat_map(|r| r.members.iter())
        .map(|m| {
            let category = crate::tui::labels::choice(&m.category, app.lang);
            Item::new(&m.id, &m.name, &category)
        })
        .collect();
    let mut picker = Picker::new(&title, PickFor::FormField { field, multi }, items);
    picker.input.insert_char(c);
    picker.refilter();
    if let Some(Modal::Form(form)) = app.modal.take() {
        app.modal = Some(Modal::FieldPick(form, picker));
    }
}

/// Covers the open dialog with 放弃已输入的内容？ (Enter keeps editing).
fn ask_discard(app: &mut App) {
    if let Some(m) = app.modal.take() {
        app.modal = Some(Modal::Discard(Box::new(m)));
    }
}

/// What picking an item in a picker does.
fn picked(app: &mut App, purpose: PickFor, item: Item) -> Vec<Effect> {
    match purpose {
        PickFor::Building => vec![Effect::SelectBuilding(item.id)],
        PickFor::PairMember { household } => vec![Effect::Pair {
            member: item.id,
            household,
        }],
        PickFor::PairHousehold { member } => vec![Effect::Pair {
            member,
            household: item.id,
        }],
        PickFor::DutyRole { .. } => super::panes::duties::picked(app, purpose, item),
        PickFor::LogKind => super::panes::log::picked(app, item),
        // Picked over a form, handled in `field_pick`.
        PickFor::FormField { .. } => Vec::new(),
        PickFor::Tag => {
            app.roster.tag = (!item.id.is_empty()).then_some(item.id);
            app.roster.selected = 0;
            Vec::new()
        }
        PickFor::VisitTag => {
            app.visits.tag = (!item.id.is_empty()).then_some(item.id);
            app.visits.selected = 0;
            Vec::new()
        }
        PickFor::VisitMember => {
            app.visits.member = (!item.id.is_empty()).then_some(item.id);
            app.visits.selected = 0;
            Vec::new()
        }
        PickFor::PlanVisit => {
            let Some(building) = app.building.clone() else {
                return Vec::new();
            };
            let presets = vec![
                ("building_id".into(), Value::String(building)),
                ("household_id".into(), Value::String(item.id)),
                ("status".into(), Value::String("planned".into())),
                (
                    "due".into(),
                    Value::String(crate::domain::date::format_date(app.data.today)),
                ),
            ];
            let mut form = Form::create(EntityKind::Visit, app.lang, app.s(), presets, &app.data);
            form.title = format!("{} {}", form.title, item.label);
            app.modal = Some(Modal::Form(Box::new(form)));
            Vec::new()
        }
    }
}
