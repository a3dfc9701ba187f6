//! Small forms the 六个员 and log panes open: a tick with its date and note, a 四个无
//! attestation, the log's date range. They reuse the generic [`Form`] for typing and
//! validation; what saving does is decided here.

use serde_json::Value;

use super::form::{Field, Form, Purpose};
use crate::domain::date::parse_date_on;
use crate::domain::{EntityKind, FieldKind, FieldSpec};
use crate::i18n::Lang;
use crate::tui::app::{App, Modal};
use crate::tui::effect::Effect;

/// Which pane form it is, with what it acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum PaneForm {
    /// Tick `item` of `role` for `member` in `period`, with a date and note.
    Tick {
        member: String,
        member_name: String,
        role: String,
        item: String,
        period: String,
    },
    /// Attest a 四个无 `target` for `month`.
    Attest { target: String, month: String },
    /// The log's date range.
    Dates,
}

const SINCE: FieldSpec = FieldSpec {
    name: "since",
    kind: FieldKind::Date,
    required: false,
    zh: "从（含）",
    en: "From",
};
const UNTIL: FieldSpec = FieldSpec {
    name: "until",
    kind: FieldKind::Date,
    required: false,
    zh: "到（含）",
    en: "Until",
};

fn spec(kind: EntityKind, name: &str) -> FieldSpec {
    *kind.field(name).expect("field in the registry")
}

fn form(title: String, purpose: PaneForm, fields: Vec<Field>, note: Option<String>) -> Form {
    Form {
        title,
        purpose: Purpose::Pane(purpose),
        fields,
        focus: 0,
        error: None,
        note,
        presets: Vec::new(),
        pending: false,
        opened: None,
    }
}

/// The form for ticking an item with a date and note, starting from what is recorded.
/// `shown` is the item's name in the interface language.
pub fn tick(
    lang: Lang,
    shown: &str,
    p: PaneForm,
    on_date: &str,
    note: &str,
    today: jiff::civil::Date,
) -> Form {
    let title = match &p {
        PaneForm::Tick { member_name, .. } => format!("{member_name} · {shown}"),
        _ => String::new(),
    };
    let date = if on_date.is_empty() {
        crate::domain::date::format_date(today)
    } else {
        on_date.to_string()
    };
    let fields = vec![
        Field::new(&spec(EntityKind::DutyTick, "on_date"), lang, &date),
        Field::new(&spec(EntityKind::DutyTick, "note"), lang, note),
    ];
    form(title, p, fields, None)
}

/// The form for attesting a target, with the open-need warning as its note. `shown` is the
/// target's name in the interface language.
pub fn attest(
    lang: Lang,
    shown: &str,
    p: PaneForm,
    met: Option<bool>,
    note: &str,
    warning: Option<String>,
) -> Form {
    let title = match &p {
        PaneForm::Attest { month, .. } => {
            format!(
                "{} {month} · {shown}",
                crate::tui::strings::strings(lang).dlg_targets
            )
        }
        _ => String::new(),
    };
    let met_text = match met {
        Some(true) => crate::tui::strings::strings(lang).dlg_yes,
        Some(false) => crate::tui::strings::strings(lang).dlg_no,
        // Not yet attested: start on "no" when something is open, else "yes".
        None if warning.is_some() => crate::tui::strings::strings(lang).dlg_no,
        None => crate::tui::strings::strings(lang).dlg_yes,
    };
    let fields = vec![
        Field::new(&spec(EntityKind::Attestation, "met"), lang, met_text),
        Field::new(&spec(EntityKind::Attestation, "note"), lang, note),
    ];
    form(title, p, fields, warning)
}

/// The form for the log's date range.
pub fn dates(lang: Lang, since: &str, until: &str) -> Form {
    let fields = vec![
        Field::new(&SINCE, lang, since),
        Field::new(&UNTIL, lang, until),
    ];
    form(
        crate::tui::strings::strings(lang)
            .filter_by_date
            .to_string(),
        PaneForm::Dates,
        fields,
        Some(
            crate::tui::strings::strings(lang)
                .leave_empty_for_no_limit
                .to_string(),
        ),
    )
}

fn value<'a>(values: &'a [(String, Value)], name: &str) -> &'a Value {
    values
        .iter()
        .find(|(n, _)| n == name)
        .map_or(&Value::Null, |(_, v)| v)
}

/// What saving a pane form does.
pub fn saved(app: &mut App, p: PaneForm, values: Vec<(String, Value)>) -> Vec<Effect> {
    let _s = app.s();
    let building = app.building.clone().unwrap_or_default();
    let effect = match p {
        PaneForm::Tick {
            member,
            member_name: _,
            role,
            item,
            period,
        } => {
            let on = value(&values, "on_date")
                .as_str()
                .and_then(|d| parse_date_on(d, app.data.today).ok());
            let note = value(&values, "note").as_str().unwrap_or("");
            Effect::Tick {
                item: crate::usecase::duty::Item {
                    building: building.clone(),
                    member,
                    role,
                    item,
                    period,
                },
                on: Some(on.unwrap_or(app.data.today)),
                note: note.to_string(),
            }
        }
        PaneForm::Attest { target, month } => {
            let met = value(&values, "met").as_bool().unwrap_or(false);
            let note = value(&values, "note").clone();
            Effect::Attest {
                month,
                target,
                met,
                note,
            }
        }
        PaneForm::Dates => {
            let date = |n| {
                value(&values, n)
                    .as_str()
                    .and_then(|d| parse_date_on(d, app.data.today).ok())
            };
            app.log.filter.since = date("since");
            app.log.filter.until = date("until");
            app.log.open = None;
            app.log_selected = 0;
            app.modal = None;
            return vec![Effect::Reload];
        }
    };
    if let Some(Modal::Form(f)) = &mut app.modal {
        f.pending = true;
    }
    vec![effect]
}
