//! A form's keys: move between fields, cycle choices, type, submit. The form checks its
//! own fields; a visit's completion and first-run setup become effects here, every other
//! purpose goes back to `tui::modal` as [`Outcome::Submit`].

use serde_json::Value;

use super::Outcome;
use super::edit_input;
use super::field_pick;
use super::form::{Form, Purpose};
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::data::Data;
use crate::tui::effect::Effect;
use crate::tui::strings::Strings;

impl Form {
    /// One key while the form is open.
    pub fn update(&mut self, action: Action, data: &Data, lang: Lang, s: &Strings) -> Outcome {
        if self.pending {
            return Outcome::stay();
        }
        if self.opened.is_none() {
            self.opened = Some(self.texts(lang));
        }
        let on_choice = self.fields.get(self.focus).is_some_and(|x| x.is_choice());
        match action {
            // Ctrl+Q during first-run setup leaves louzu (nothing was written yet).
            Action::Quit if self.purpose == Purpose::Setup => return Outcome::Quit,
            // First-run setup cannot be left: without a building nothing works.
            Action::Back if self.purpose == Purpose::Setup => {
                self.error = Some(s.setup_needed.to_string());
            }
            Action::Back if self.changed(lang) => return Outcome::AskDiscard,
            Action::Back => return Outcome::Close(Vec::new()),
            Action::NextField | Action::Down => self.next(lang, data),
            Action::PrevField | Action::Up => self.prev(lang, data),
            Action::Left if on_choice => self.cycle(false, lang),
            Action::Right | Action::Type(' ') if on_choice => self.cycle(true, lang),
            Action::Open if self.focus + 1 < self.fields.len() => self.next(lang, data),
            Action::Open | Action::Save => return self.submit(data, lang, s),
            // Typing in a member field opens the member list, filtered by the key.
            Action::Type(c) if field_pick::member_field(self).is_some() => {
                return Outcome::PickMember(c);
            }
            other => {
                if let Some(field) = self.current()
                    && !field.is_choice()
                    && edit_input(&mut field.input, other)
                {
                    field.error = None;
                }
            }
        }
        Outcome::stay()
    }

    /// Checks every field; a form that passes becomes its effect (saving it stays open,
    /// marked pending, until the driver answers).
    fn submit(&mut self, data: &Data, lang: Lang, s: &Strings) -> Outcome {
        let Some(values) = self.collect(lang, data, s) else {
            return Outcome::stay();
        };
        let effect = match &self.purpose {
            Purpose::CompleteVisit(visit) => {
                let visit = visit.clone();
                match completion(self, &values, lang, s, data.today) {
                    Some(completion) => Effect::CompleteVisit { visit, completion },
                    None => return Outcome::stay(),
                }
            }
            Purpose::Save(target) => Effect::Save {
                target: target.clone(),
                values,
            },
            Purpose::Setup => {
                let owner = values
                    .iter()
                    .find(|(n, _)| n == "owner")
                    .and_then(|(_, v)| v.as_str())
                    .unwrap_or("")
                    .to_string();
                Effect::Setup {
                    building: values.into_iter().filter(|(n, _)| n != "owner").collect(),
                    owner,
                }
            }
            Purpose::Pane(_) | Purpose::Report | Purpose::RosterImport => {
                return Outcome::Submit(values);
            }
        };
        self.pending = true;
        Outcome::Stay(vec![effect])
    }
}

/// Builds a visit completion from the form's parsed values; marks the form and returns
/// `None` when a rule across fields fails (a missed visit needs its reason).
fn completion(
    f: &mut Form,
    values: &[(String, Value)],
    lang: Lang,
    s: &Strings,
    today: jiff::civil::Date,
) -> Option<crate::domain::visit::Completion> {
    use crate::domain::date::parse_date_on;
    use crate::domain::visit::{Completion, Outcome};
    let get = |n: &str| values.iter().find(|(k, _)| k == n).map(|(_, v)| v);
    let text = |n: &str| {
        get(n)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let reason = text("reason");
    let outcome = match text("outcome").as_str() {
        o if o == super::form::OUTCOMES[1] => Outcome::Missed(reason.clone()),
        o if o == super::form::OUTCOMES[2] => Outcome::Cancelled(reason.clone()),
        _ => Outcome::Done,
    };
    if outcome != Outcome::Done && reason.is_empty() {
        f.reject("reason", s.reason_needed.to_string());
        return None;
    }
    let needs = crate::domain::visit::parse_needs(&text("needs"));
    let visitors = get("visitors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let _ = lang;
    Some(Completion {
        outcome,
        date: parse_date_on(&text("done_on"), today).ok()?,
        visitors,
        situation: text("situation"),
        handling: Some(text("handling")).filter(|h| !h.is_empty()),
        needs,
        follow_up: parse_date_on(&text("follow_up"), today).ok(),
    })
}
