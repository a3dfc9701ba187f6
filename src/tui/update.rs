//! `update` — the one place the interface's state changes. It returns effects for the
//! driver instead of touching the store, so every flow here is testable as plain data.

use super::dialogs::sync::{Reply as SyncReply, Request as SyncRequest, SyncDialog};
use serde_json::Value;

use super::action::Action;
use super::app::{App, Modal, Pane, Tone};
use super::dialogs::confirm::Confirm;
use super::dialogs::field_pick;
use super::dialogs::form::{Form, Purpose};
use super::dialogs::picker::{Item, PickFor, Picker};
use super::effect::Effect;
use super::panes::roster::{self, DetailItem, Row};
use crate::domain::EntityKind;
use crate::domain::tags::{KNOWN_TAGS, in_difficulty};
use crate::text::LineInput;

/// Applies one action to the state; returns what the driver must do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Loaded(data) => {
            // Cursors follow their records through the reload, not their row numbers.
            let same_building = app.building == data.building;
            let marks = super::cursor::remember(app);
            app.building = data.building.clone();
            app.data = *data;
            if same_building {
                super::cursor::restore(app, &marks);
            }
            clamp(app);
            return Vec::new();
        }
        Action::Done(msg) => {
            let pending = match &app.modal {
                Some(Modal::Form(f)) => f.pending,
                Some(Modal::Checkin(c)) => c.pending,
                _ => false,
            };
            if pending {
                app.modal = None;
            }
            app.status = Some((msg, Tone::Info));
            return Vec::new();
        }
        Action::Failed(msg) => {
            match &mut app.modal {
                Some(Modal::Form(f)) if f.pending => {
                    f.pending = false;
                    f.error = Some(msg);
                }
                Some(Modal::Checkin(c)) if c.pending => {
                    c.pending = false;
                    c.error = Some(msg);
                }
                _ => app.status = Some((msg, Tone::Error)),
            }
            return Vec::new();
        }
        Action::RosterPlanned {
            summary,
            errors,
            writes,
            plan,
            skip_bad,
        } => {
            // Errors block the import unless the leader chose to skip those rows.
            let msg = if errors > 0 && !skip_bad {
                Some(format!(
                    "{summary} — {}",
                    crate::tui::strings::strings(app.lang).errors_nothing_written_fix_the_file
                ))
            } else if !writes {
                Some(format!(
                    "{summary} — {}",
                    crate::tui::strings::strings(app.lang).nothing_to_write
                ))
            } else {
                None
            };
            match msg {
                Some(m) => app.status = Some((m, Tone::Warning)),
                None => {
                    app.modal = Some(Modal::Confirm(Confirm {
                        question: format!(
                            "{summary}\n{}",
                            crate::tui::strings::strings(app.lang).import_it
                        ),
                        on_yes: Effect::RosterApply { plan, skip_bad },
                    }));
                }
            }
            return Vec::new();
        }
        Action::ViewLoaded(part) => {
            let marks = super::cursor::remember(app);
            app.data.apply_view(*part);
            super::cursor::restore(app, &marks);
            clamp(app);
            return Vec::new();
        }
        Action::BuildingsLoaded(buildings) => {
            let items = buildings
                .iter()
                .map(|b| {
                    let detail = format!(
                        "{} {} · {}{} · {}{}",
                        b.neighbourhood,
                        b.address,
                        b.households,
                        crate::tui::strings::strings(app.lang).households,
                        b.members,
                        crate::tui::strings::strings(app.lang).dlg_members,
                    );
                    Item::new(&b.id, &b.name, &detail)
                })
                .collect();
            app.modal = Some(Modal::Picker(Picker::new(
                app.s().pick_building,
                PickFor::Building,
                items,
            )));
            return Vec::new();
        }
        Action::EditRecord(record) => {
            app.modal = Some(Modal::Form(Box::new(Form::edit(
                &record,
                app.lang,
                app.s(),
                &app.data,
            ))));
            return Vec::new();
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            return Vec::new();
        }
        Action::OfficeStats(stats) => {
            if let Some(Modal::Picker(p)) = app.modal.as_mut()
                && p.purpose == PickFor::Building
            {
                for item in &mut p.items {
                    if let Some(st) = stats.iter().find(|s| s.id == item.id) {
                        item.detail = office_detail(&item.detail, st, app.lang);
                    }
                }
            }
            return Vec::new();
        }
        Action::SyncReply(reply) => {
            sync_reply(app, *reply);
            return Vec::new();
        }
        Action::Progress(step) => {
            if let Some(b) = app.busy.as_mut() {
                b.step = Some(step);
            }
            return Vec::new();
        }
        _ => {}
    }
    // Long work on the worker: its gauge takes the keys (Esc cancels).
    if let Some(b) = app.busy.as_mut() {
        return b.update(action);
    }
    if app.modal.is_some() {
        return update_modal(app, action);
    }
    if app.roster.search_input.is_some() {
        update_search(app, action);
        return Vec::new();
    }
    if app.log.search_input.is_some() {
        return super::panes::log::update_search(app, action);
    }
    update_list(app, action)
}

/// A building's picker line in office mode: its own detail, then when it last reported and
/// what is open there.
fn office_detail(
    detail: &str,
    st: &crate::sync::office::BuildingStats,
    lang: crate::i18n::Lang,
) -> String {
    let last = match &st.last_bundle {
        Some((date, device)) => format!(
            "{} {date} {device}",
            crate::tui::strings::strings(lang).bundle
        ),
        None => crate::tui::strings::strings(lang).no_bundle_yet.to_string(),
    };
    format!(
        "{detail} · {last} · {} {} · {} {} · {} {}/{}",
        crate::tui::strings::strings(lang).dlg_overdue,
        st.overdue_visits,
        crate::tui::strings::strings(lang).dlg_open_needs,
        st.open_needs,
        crate::tui::strings::strings(lang).dlg_duties,
        st.duties_done,
        st.duties_total
    )
}

/// The driver's answer to a sync request: open the dialog it prepared, or show it there.
fn sync_reply(app: &mut App, reply: SyncReply) {
    match reply {
        SyncReply::Open(dialog) => app.modal = Some(Modal::Sync(dialog)),
        SyncReply::Finished(msg) => {
            app.modal = None;
            app.status = Some((msg, Tone::Info));
        }
        SyncReply::Conflicts(rows) if !matches!(app.modal, Some(Modal::Sync(_))) => {
            if rows.is_empty() {
                let msg = crate::tui::strings::strings(app.lang).no_open_conflicts;
                app.status = Some((msg.to_string(), Tone::Info));
            } else {
                app.modal = Some(Modal::Sync(Box::new(SyncDialog::Conflicts {
                    rows,
                    selected: 0,
                })));
            }
        }
        other => match app.modal.as_mut() {
            Some(Modal::Sync(d)) => {
                if !d.reply(other) {
                    app.modal = None;
                }
            }
            _ => {
                if let SyncReply::Failed(msg) = other {
                    app.status = Some((msg, Tone::Error));
                }
            }
        },
    }
}

pub(super) fn update_modal(app: &mut App, action: Action) -> Vec<Effect> {
    let lang = app.lang;
    let s = app.s();
    let Some(modal) = app.modal.as_mut() else {
        return Vec::new();
    };
    match modal {
        Modal::Discard(_) => {
            let Some(Modal::Discard(inner)) = app.modal.take() else {
                return Vec::new();
            };
            // Only a yes throws the typed text away; anything else goes back to it.
            if !matches!(action, Action::Type('y' | 'Y')) {
                app.modal = Some(*inner);
            }
        }
        Modal::FieldPick(..) => return super::dialogs::field_pick::update(app, action),
        Modal::Help { scroll } => match action {
            Action::Back | Action::Help | Action::Quit | Action::Open => app.modal = None,
            Action::Up | Action::PrevField => *scroll = scroll.saturating_sub(1),
            Action::Down | Action::NextField => *scroll += 1,
            _ => {}
        },
        Modal::Checkin(c) => {
            if c.pending {
                return Vec::new();
            }
            match action {
                Action::Back if c.changed() => ask_discard(app),
                Action::Back => app.modal = None,
                Action::Up | Action::PrevField => c.step(-1),
                Action::Down | Action::NextField => c.step(1),
                Action::Left => c.set_problem(false),
                Action::Right => c.set_problem(true),
                Action::ToggleNeed => {
                    let changed = c.changed();
                    let Some(item) = c.items.get_mut(c.focus) else {
                        return Vec::new();
                    };
                    // An item that already opened a need opens that need, never a second.
                    match item.linked.clone() {
                        Some(id) if !changed => {
                            app.modal = None;
                            return vec![Effect::LoadForEdit {
                                kind: EntityKind::Need,
                                id,
                            }];
                        }
                        Some(_) => c.error = Some(s.checkin_save_first.to_string()),
                        None => {
                            item.problem = true;
                            item.need = !item.need;
                        }
                    }
                }
                Action::Open | Action::Save => {
                    c.pending = true;
                    return vec![Effect::Checkin(c.entry())];
                }
                other => {
                    let typed = matches!(other, Action::Type(_) | Action::Paste(_));
                    if edit_input(c.input(), other) && typed {
                        c.set_problem(true);
                    }
                }
            }
        }
        Modal::Sync(d) => {
            if let super::dialogs::sync::Step::Stay(effects) = d.update(action, lang) {
                return effects;
            }
            app.modal = None;
        }
        Modal::Confirm(c) => match action {
            Action::Open | Action::Type('y' | 'Y') => {
                let effect = c.on_yes.clone();
                app.modal = None;
                return vec![effect];
            }
            Action::Back | Action::Type('n' | 'N') | Action::Quit => app.modal = None,
            _ => {}
        },
        Modal::Picker(p) => match action {
            Action::Back => app.modal = None,
            Action::Up | Action::PrevField => p.step(-1),
            Action::Down | Action::NextField => p.step(1),
            Action::PageUp => p.step(-10),
            Action::PageDown => p.step(10),
            Action::Open | Action::Save => {
                let Some(item) = p.chosen().cloned() else {
                    return Vec::new();
                };
                let purpose = p.purpose.clone();
                app.modal = None;
                return picked(app, purpose, item);
            }
            other => {
                if edit_input(&mut p.input, other) {
                    p.refilter();
                }
            }
        },
        Modal::Form(f) => {
            if f.pending {
                return Vec::new();
            }
            if f.opened.is_none() {
                f.opened = Some(f.texts(lang));
            }
            let data = &app.data;
            match action {
                // Ctrl+Q during first-run setup leaves louzu (nothing was written yet).
                Action::Quit if f.purpose == Purpose::Setup => app.quit = true,
                // First-run setup cannot be left: without a building nothing works.
                Action::Back if f.purpose == Purpose::Setup => {
                    f.error = Some(s.setup_needed.to_string());
                }
                Action::Back if f.changed(lang) => ask_discard(app),
                Action::Back => app.modal = None,
                Action::NextField | Action::Down => f.next(lang, data),
                Action::PrevField | Action::Up => f.prev(lang, data),
                Action::Left if f.fields.get(f.focus).is_some_and(|x| x.is_choice()) => {
                    f.cycle(false, lang)
                }
                Action::Right | Action::Type(' ')
                    if f.fields.get(f.focus).is_some_and(|x| x.is_choice()) =>
                {
                    f.cycle(true, lang)
                }
                Action::Open if f.focus + 1 < f.fields.len() => f.next(lang, data),
                Action::Open | Action::Save => {
                    let Some(values) = f.collect(lang, data, s) else {
                        return Vec::new();
                    };
                    if let Purpose::CompleteVisit(visit) = &f.purpose {
                        let visit = visit.clone();
                        return match completion(f, &values, lang, s) {
                            Some(completion) => {
                                f.pending = true;
                                vec![Effect::CompleteVisit { visit, completion }]
                            }
                            None => Vec::new(),
                        };
                    }
                    if f.purpose == Purpose::Report {
                        f.pending = true;
                        let cmd = super::dialogs::report::command(
                            &values,
                            app.building.as_deref(),
                            &app.output_dir,
                        );
                        return vec![Effect::Report(Box::new(cmd))];
                    }
                    if f.purpose == Purpose::RosterImport {
                        let (path, skip_bad) = super::dialogs::report::import_args(&values);
                        app.modal = None;
                        return vec![Effect::RosterPreview { path, skip_bad }];
                    }
                    if let Purpose::Pane(p) = &f.purpose {
                        let p = p.clone();
                        return super::dialogs::pane_form::saved(app, p, values);
                    }
                    f.pending = true;
                    return vec![match &f.purpose {
                        Purpose::Save(target) => Effect::Save {
                            target: target.clone(),
                            values,
                        },
                        Purpose::CompleteVisit(_) => return Vec::new(),
                        Purpose::Pane(_) | Purpose::Report | Purpose::RosterImport => {
                            return Vec::new();
                        }
                        Purpose::Setup => {
                            let owner = values
                                .iter()
                                .find(|(n, _)| n == "owner")
                                .and_then(|(_, v)| v.as_str())
                                .unwrap_or("")
                                .to_string();
                            Effect::Setup {
                                building: values
                                    .into_iter()
                                    .filter(|(n, _)| n != "owner")
                                    .collect(),
                                owner,
                            }
                        }
                    }];
                }
                // Typing in a member field opens the member list, filtered by the key.
                Action::Type(c) if field_pick::member_field(f).is_some() => {
                    let multi = field_pick::member_field(f) == Some(true);
                    let field = f.focus;
                    let title = f.fields[field].label.clone();
                    let items = app
                        .data
                        .roster
                        .iter()
                        .flat_map(|r| r.members.iter())
                        .map(|m| Item::new(&m.id, &m.name, &m.category))
                        .collect();
                    let mut picker =
                        Picker::new(&title, PickFor::FormField { field, multi }, items);
                    picker.input.insert_char(c);
                    picker.refilter();
                    if let Some(Modal::Form(form)) = app.modal.take() {
                        app.modal = Some(Modal::FieldPick(form, picker));
                    }
                }
                other => {
                    if let Some(field) = f.current()
                        && !field.is_choice()
                        && edit_input(&mut field.input, other)
                    {
                        field.error = None;
                    }
                }
            }
        }
    }
    Vec::new()
}

/// Covers the open dialog with 放弃已输入的内容？ (Enter keeps editing).
fn ask_discard(app: &mut App) {
    if let Some(m) = app.modal.take() {
        app.modal = Some(Modal::Discard(Box::new(m)));
    }
}

/// Applies a text-editing action to an input; false if the action is not one.
pub(super) fn edit_input(input: &mut LineInput, action: Action) -> bool {
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

fn update_search(app: &mut App, action: Action) {
    match action {
        Action::Open => app.roster.search_input = None,
        Action::Back => {
            app.roster.search_input = None;
            app.roster.query.clear();
            app.roster.selected = 0;
        }
        Action::Down | Action::NextField => move_roster(app, 1),
        Action::Up | Action::PrevField => move_roster(app, -1),
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

fn update_list(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => app.quit = true,
        Action::Help => app.modal = Some(Modal::Help { scroll: 0 }),
        Action::NextPane => app.focus = Pane::ALL[(app.focus.index() + 1) % 4],
        Action::PrevPane => app.focus = Pane::ALL[(app.focus.index() + 3) % 4],
        Action::Focus(p) => app.focus = p,
        Action::Up => move_focused(app, -1),
        Action::Down => move_focused(app, 1),
        Action::PageUp => move_focused(app, -(app.page() as isize)),
        Action::PageDown => move_focused(app, app.page() as isize),
        Action::Top => move_focused(app, isize::MIN / 2),
        Action::Bottom => move_focused(app, isize::MAX / 2),
        Action::Undo => return vec![Effect::Undo],
        Action::Report if app.building.is_some() => {
            let form = super::dialogs::report::report_form(app);
            app.modal = Some(Modal::Form(Box::new(form)));
        }
        Action::Checkin if app.building.is_some() => {
            let c = super::dialogs::checkin::Checkin::new(app);
            app.modal = Some(Modal::Checkin(Box::new(c)));
        }
        Action::Export => return vec![Effect::Sync(SyncRequest::OpenExport)],
        Action::Import => return vec![Effect::Sync(SyncRequest::OpenImport)],
        Action::Conflicts => return vec![Effect::Sync(SyncRequest::OpenConflicts)],
        // The list with its counts is read when asked for, not on every reload.
        Action::BuildingPicker => return vec![Effect::LoadBuildings],
        other if app.focus == Pane::Roster => return update_roster(app, other),
        other if app.focus == Pane::Visits => return super::panes::visits::update(app, other),
        other if app.focus == Pane::Duties => return super::panes::duties::update(app, other),
        other => return super::panes::log::update(app, other),
    }
    Vec::new()
}

fn update_roster(app: &mut App, action: Action) -> Vec<Effect> {
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
            let form = super::dialogs::report::import_form(app);
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
                Item::new(t, t, &format!("{n}"))
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
                    "{} {} {}？",
                    s.confirm_delete,
                    lang.pick(kind.zh(), kind.en()),
                    label
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
            .map(|m| Item::new(&m.id, &m.name, &m.category))
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

fn move_focused(app: &mut App, delta: isize) {
    match app.focus {
        Pane::Roster => move_roster(app, delta),
        Pane::Visits => {
            let n = super::panes::visits::len(app);
            app.visits.selected = step(app.visits.selected, delta, n);
        }
        Pane::Duties => {
            let n = super::panes::duties::lines(app).len();
            app.duties_selected = step(app.duties_selected, delta, n);
        }
        Pane::Log => {
            let n = super::panes::log::row_count(app);
            app.log_selected = step(app.log_selected, delta, n);
        }
    }
}

fn move_roster(app: &mut App, delta: isize) {
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

fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    current.saturating_add_signed(delta).min(len - 1)
}

/// Keeps every cursor inside its list after a reload (a record may have gone).
fn clamp(app: &mut App) {
    if let Some(h) = &app.roster.open
        && app.data.room_of(h).is_none()
    {
        app.roster.open = None;
    }
    move_roster(app, 0);
    move_focused(app, 0);
    let focus = app.focus;
    for p in [Pane::Visits, Pane::Duties, Pane::Log] {
        app.focus = p;
        move_focused(app, 0);
    }
    app.focus = focus;
}

/// Builds a visit completion from the form's parsed values; marks the form and returns
/// `None` when a rule across fields fails (a missed visit needs its reason).
fn completion(
    f: &mut Form,
    values: &[(String, Value)],
    lang: crate::i18n::Lang,
    s: &super::strings::Strings,
) -> Option<crate::domain::visit::Completion> {
    use crate::domain::date::parse_date;
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
        o if o == super::dialogs::form::OUTCOMES[1] => Outcome::Missed(reason.clone()),
        o if o == super::dialogs::form::OUTCOMES[2] => Outcome::Cancelled(reason.clone()),
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
        date: parse_date(&text("done_on")).ok()?,
        visitors,
        situation: text("situation"),
        handling: Some(text("handling")).filter(|h| !h.is_empty()),
        needs,
        follow_up: parse_date(&text("follow_up")).ok(),
    })
}
