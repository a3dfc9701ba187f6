//! The roster pane's keys: open a household, add and edit its people, pair, filter by tag,
//! search. Returns effects for the driver like every `update`.

use serde_json::Value;

use super::roster::{self, DetailItem, Row};
use crate::domain::EntityKind;
use crate::domain::tags::{KNOWN_TAGS, in_difficulty};
use crate::text::LineInput;
use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Tone};
use crate::tui::dialogs::confirm::Confirm;
use crate::tui::dialogs::edit_input;
use crate::tui::dialogs::form::Form;
use crate::tui::dialogs::picker::{Item, PickFor, Picker};
use crate::tui::effect::Effect;
use crate::tui::update::step;

/// One key in the roster pane (list or an opened household).
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let s = app.s();
    let lang = app.lang;
    let Some(building) = app.building.clone() else {
        return Vec::new();
    };
    let preset_b = ("building_id".to_string(), Value::String(building));
    let open = app.roster.open.clone();
    let in_detail = open.as_ref().map(|h| {
        let items = roster::detail_items(app, h);
        (h.clone(), items.get(app.roster.detail_selected).copied())
    });
    let row = roster::selected(app);
    match action {
        Action::Open => match (in_detail, row) {
            (Some(_), _) => {}
            (None, Some(Row::Household(i))) => {
                app.roster.open = household_id(app, i);
                app.roster.detail_selected = 0;
            }
            (None, Some(Row::Member(i))) => {
                let hid = app
                    .data
                    .roster
                    .as_ref()
                    .and_then(|r| r.members.get(i))
                    .map(|m| m.household_id.clone())
                    .filter(|h| !h.is_empty());
                if hid.is_some() {
                    app.roster.open = hid;
                    app.roster.detail_selected = 0;
                }
            }
            _ => {}
        },
        Action::Back => {
            // Esc closes the open household first, then clears the search and tag filter.
            let was_open = app.roster.open.take().is_some();
            if !was_open {
                app.roster.query.clear();
                app.roster.tag = None;
            }
        }
        Action::RosterImport => {
            let form = crate::tui::dialogs::report::import_form(app);
            app.modal = Some(Modal::Form(Box::new(form)));
        }
        Action::Search => {
            let mut input = LineInput::default();
            input.insert_str(&app.roster.query);
            app.roster.search_input = Some(input);
        }
        Action::FilterTag => {
            let mut tags: Vec<String> = KNOWN_TAGS.iter().map(|t| t.to_string()).collect();
            if let Some(r) = &app.data.roster {
                for t in r.households.iter().flat_map(|h| h.tags.iter()) {
                    if !tags.contains(t) {
                        tags.push(t.clone());
                    }
                }
            }
            let mut items = vec![Item::new("", s.all_tags, "")];
            items.extend(tags.iter().map(|t| {
                let n = app
                    .data
                    .roster
                    .as_ref()
                    .map(|r| r.households.iter().filter(|h| h.tags.contains(t)).count())
                    .unwrap_or(0);
                // Known tags read in the interface language; the leader's own as typed.
                let label = crate::domain::entity::word_label(t, app.lang);
                Item::new(t, label, &format!("{n}"))
            }));
            app.modal = Some(Modal::Picker(Picker::new(
                s.tag_filter,
                PickFor::Tag,
                items,
            )));
        }
        Action::Add => {
            let (kind, presets) = match &in_detail {
                Some((h, _)) => (
                    EntityKind::Resident,
                    vec![preset_b, ("household_id".into(), Value::String(h.clone()))],
                ),
                None => (EntityKind::Household, vec![preset_b]),
            };
            app.modal = Some(Modal::Form(Box::new(Form::create(
                kind, lang, s, presets, &app.data,
            ))));
        }
        Action::AddMember => {
            let mut presets = vec![preset_b];
            let home = match (&in_detail, row) {
                (Some((h, _)), _) => Some(h.clone()),
                (None, Some(Row::Household(i))) => household_id(app, i),
                _ => None,
            };
            if let Some(h) = home {
                presets.push(("household_id".into(), Value::String(h)));
            }
            presets.push(("category".into(), Value::String("在职党员".into())));
            app.modal = Some(Modal::Form(Box::new(Form::create(
                EntityKind::Member,
                lang,
                s,
                presets,
                &app.data,
            ))));
        }
        Action::Edit | Action::Delete => {
            let Some((kind, id, label)) = target(
                app,
                in_detail.as_ref().map(|(_, i)| *i),
                row,
                open.is_some(),
            ) else {
                return Vec::new();
            };
            if matches!(action, Action::Edit) {
                return vec![Effect::LoadForEdit { kind, id }];
            }
            app.modal = Some(Modal::Confirm(Confirm {
                question: format!(
                    "{} {} {}{}",
                    s.confirm_delete,
                    lang.pick(kind.zh(), kind.en()),
                    label,
                    lang.pick("？", "?")
                ),
                on_yes: Effect::Delete { kind, id },
            }));
        }
        Action::Pair => return pair(app, in_detail.map(|(h, _)| h), row),
        _ => {}
    }
    Vec::new()
}

/// Opens the pairing picker from a household (choose a member) or a member (choose a
/// household, those in difficulty first).
fn pair(app: &mut App, open: Option<String>, row: Option<Row>) -> Vec<Effect> {
    let s = app.s();
    let Some(r) = app.data.roster.as_ref() else {
        return Vec::new();
    };
    let household = match (open, row) {
        (Some(h), _) => Some(h),
        (None, Some(Row::Household(i))) => r.households.get(i).map(|h| h.id.clone()),
        _ => None,
    };
    if let Some(h) = household {
        if r.members.is_empty() {
            app.status = Some((s.no_members.to_string(), Tone::Warning));
            return Vec::new();
        }
        let items = r
            .members
            .iter()
            .map(|m| {
                let category = crate::tui::labels::choice(&m.category, app.lang);
                Item::new(&m.id, &m.name, &category)
            })
            .collect();
        if let Some(hh) = r.households.iter().find(|x| x.id == h)
            && !in_difficulty(&hh.tags)
        {
            app.status = Some((s.not_in_difficulty.to_string(), Tone::Warning));
        }
        app.modal = Some(Modal::Picker(Picker::new(
            s.pick_member,
            PickFor::PairMember { household: h },
            items,
        )));
    } else if let Some(Row::Member(i)) = row {
        let Some(m) = r.members.get(i) else {
            return Vec::new();
        };
        let mut hs: Vec<_> = r.households.iter().collect();
        hs.sort_by_key(|h| !in_difficulty(&h.tags));
        let items = hs
            .into_iter()
            .map(|h| Item::new(&h.id, &h.room, &h.tags.join(" ")))
            .collect();
        app.modal = Some(Modal::Picker(Picker::new(
            s.pick_household,
            PickFor::PairHousehold {
                member: m.id.clone(),
            },
            items,
        )));
    }
    Vec::new()
}

fn household_id(app: &App, i: usize) -> Option<String> {
    app.data
        .roster
        .as_ref()
        .and_then(|r| r.households.get(i))
        .map(|h| h.id.clone())
}

/// The record the cursor is on: (kind, id, label).
fn target(
    app: &App,
    detail: Option<Option<DetailItem>>,
    row: Option<Row>,
    in_detail: bool,
) -> Option<(EntityKind, String, String)> {
    let r = app.data.roster.as_ref()?;
    if in_detail {
        return match detail.flatten()? {
            DetailItem::Resident(i) => r
                .residents
                .get(i)
                .map(|x| (EntityKind::Resident, x.id.clone(), x.name.clone())),
            DetailItem::Member(i) => r
                .members
                .get(i)
                .map(|x| (EntityKind::Member, x.id.clone(), x.name.clone())),
            DetailItem::Pairing(i) => r.pairings.get(i).map(|p| {
                let label = format!(
                    "{} ↔ {}",
                    app.data.member_name(&p.member_id),
                    app.data.room_of(&p.household_id).unwrap_or("")
                );
                (EntityKind::Pairing, p.id.clone(), label)
            }),
        };
    }
    match row? {
        Row::Household(i) => r
            .households
            .get(i)
            .map(|h| (EntityKind::Household, h.id.clone(), h.room.clone())),
        Row::Member(i) => r
            .members
            .get(i)
            .map(|m| (EntityKind::Member, m.id.clone(), m.name.clone())),
        _ => None,
    }
}

/// One key while the roster's search line is open.
pub fn update_search(app: &mut App, action: Action) {
    match action {
        Action::Open => app.roster.search_input = None,
        Action::Back => {
            app.roster.search_input = None;
            app.roster.query.clear();
            app.roster.selected = 0;
        }
        Action::Down | Action::NextField => move_cursor(app, 1),
        Action::Up | Action::PrevField => move_cursor(app, -1),
        other => {
            if let Some(input) = app.roster.search_input.as_mut()
                && edit_input(input, other)
            {
                app.roster.query = input.value.clone();
                app.roster.selected = 0;
            }
        }
    }
}

/// Moves the roster's cursor (in the list, or in an opened household's items).
pub fn move_cursor(app: &mut App, delta: isize) {
    match app.roster.open.clone() {
        Some(h) => {
            let n = roster::detail_items(app, &h).len();
            app.roster.detail_selected = step(app.roster.detail_selected, delta, n);
        }
        None => {
            let n = roster::selectable(app).len();
            app.roster.selected = step(app.roster.selected, delta, n);
        }
    }
}
