//! The terminal interface: state ([`app`]), actions and [`update`], drawing ([`draw`]),
//! and the driver below that turns keys into actions and effects into store writes.

pub mod action;
pub mod app;
pub mod data;
pub mod dialogs;
pub mod draw;
pub mod effect;
pub mod keymap;
pub mod keys;
pub mod panes;
pub mod strings;
mod sync_io;
pub mod theme;
pub mod update;

use std::path::PathBuf;

use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use serde_json::Value;

use self::action::Action;
use self::app::{App, Modal, Tone};
use self::data::Data;
use self::dialogs::form::Form;
use self::effect::{Effect, Target};
use crate::domain::EntityKind;
use crate::domain::date::{format_date, today};
use crate::i18n::Lang;
use crate::store::{Store, StoreError};

/// How the interface starts.
pub struct Options {
    pub lang: Lang,
    pub theme: String,
    pub config_dir: Option<PathBuf>,
    /// Problems found in config files, shown once the screen is up.
    pub warnings: Vec<String>,
    /// Visit cadence per household tag.
    pub cadences: crate::domain::cadence::Cadences,
    /// The daily check-in's checklist.
    pub checkin_items: Vec<String>,
}

impl Options {
    /// Built-in defaults in a language: default theme, no config folder, default cadences
    /// and check-in items. Tests and benchmarks start from this.
    pub fn defaults(lang: Lang) -> Options {
        Options {
            lang,
            theme: theme::DEFAULT_THEME.to_string(),
            config_dir: None,
            warnings: Vec::new(),
            cadences: crate::domain::cadence::Cadences::default(),
            checkin_items: crate::domain::checkin::DEFAULT_ITEMS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// Builds the starting state: theme and keymap from data files (problems reported, not
/// fatal), the current building, and the first-run form if there is none.
pub fn start(store: &Store, opts: Options) -> Result<App, StoreError> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (theme, theme_warnings) =
        theme::Theme::load(&opts.theme, opts.config_dir.as_deref(), no_color);
    let (keymap, key_warnings) = keymap::Keymap::load(opts.config_dir.as_deref());
    let mut warnings = opts.warnings;
    warnings.extend(theme_warnings.iter().map(|w| match opts.lang {
        Lang::Zh => w.to_string(),
        Lang::En => w.message_en(),
    }));
    warnings.extend(key_warnings.iter().map(|w| match opts.lang {
        Lang::Zh => w.to_string(),
        Lang::En => w.message_en(),
    }));
    let buildings = store.building_names()?;
    let saved = store.local_setting("building")?;
    let building = saved
        .filter(|b| buildings.iter().any(|(id, _)| id == b))
        .or_else(|| buildings.first().map(|(id, _)| id.clone()));
    let duties = crate::duty_config::load_for(store, opts.config_dir.as_deref());
    warnings.extend(duties.warning.map(|w| w.message(opts.lang)));
    let mut view = data::View::current();
    view.periods = duties.set.periods(view.month);
    let data = Data::load_view(store, building.as_deref(), &view)?;
    let mut app = App::new(opts.lang, theme, keymap, building, data);
    app.duty.set = duties.set;
    app.cadences = opts.cadences;
    app.checkin_items = opts.checkin_items;
    if app.building.is_none() {
        app.modal = Some(Modal::Form(Box::new(Form::setup(app.lang, app.s()))));
    }
    if !warnings.is_empty() {
        app.status = Some((warnings.join(" | "), Tone::Warning));
    }
    Ok(app)
}

/// Restores the terminal's extra modes however the interface ends.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs the interface until the user quits.
pub fn run(mut store: Store, opts: Options) -> anyhow::Result<()> {
    let mut app = start(&store, opts)?;
    // ratatui::init installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    if let Ok(size) = terminal.size() {
        update::update(&mut app, Action::Resize(size.width, size.height));
    }
    while !app.quit {
        terminal.draw(|f| draw::draw(f, &app))?;
        let action = match event::read()? {
            Event::Key(key) => keys::action_for(&app, key),
            Event::Paste(text) => Some(Action::Paste(text)),
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            _ => None,
        };
        if let Some(action) = action {
            dispatch(&mut store, &mut app, action);
        }
    }
    Ok(())
}

/// Applies an action and performs the effects it asks for, feeding outcomes back in.
pub fn dispatch(store: &mut Store, app: &mut App, action: Action) {
    let effects = update::update(app, action);
    for effect in effects {
        perform(store, app, effect);
    }
}

fn perform(store: &mut Store, app: &mut App, effect: Effect) {
    let lang = app.lang;
    let msg = update::done_message(app, &effect);
    let mut building = app.building.clone();
    let result: Result<(), StoreError> = (|| {
        match effect {
            Effect::Sync(req) => {
                let (reply, changed) = sync_io::run(store, req);
                if changed {
                    let data = Data::load_view(store, building.as_deref(), &app.view())?;
                    update::update(app, Action::Loaded(Box::new(data)));
                }
                update::update(app, Action::SyncReply(Box::new(reply)));
                return Ok(());
            }
            Effect::Report(cmd) => {
                let written = crate::cli::report::execute(store, *cmd, &app.cadences)
                    .map_err(|e| StoreError::Rule(format!("{e:#}")))?;
                let mut msg = format!(
                    "{}{}",
                    crate::tui::strings::strings(lang).written,
                    written.path.display()
                );
                for n in &written.notes {
                    msg.push_str(" · ");
                    msg.push_str(n);
                }
                update::update(app, Action::Done(msg));
                return Ok(());
            }
            Effect::RosterPreview { path, skip_bad } => {
                let b = building.clone().unwrap_or_default();
                let plan = crate::report::roster_import::plan_file(store, &b, &path)
                    .map_err(|e| StoreError::Rule(e.to_string()))?;
                update::update(
                    app,
                    Action::RosterPlanned {
                        summary: plan.summary(),
                        errors: plan.errors.len(),
                        writes: plan.writes_anything(),
                        path,
                        skip_bad,
                    },
                );
                return Ok(());
            }
            Effect::RosterApply { path, skip_bad } => {
                let b = building.clone().unwrap_or_default();
                let plan = crate::report::roster_import::plan_file(store, &b, &path)
                    .map_err(|e| StoreError::Rule(e.to_string()))?;
                let n = crate::report::roster_import::apply(store, plan, skip_bad)
                    .map_err(|e| StoreError::Rule(e.to_string()))?;
                let data = Data::load_view(store, building.as_deref(), &app.view())?;
                update::update(app, Action::Loaded(Box::new(data)));
                update::update(
                    app,
                    Action::Done(format!(
                        "{}{n}{}",
                        crate::tui::strings::strings(lang).roster_imported,
                        crate::tui::strings::strings(lang).households_changed_undoable
                    )),
                );
                return Ok(());
            }
            Effect::LoadBuildings => {
                let buildings = store.buildings()?;
                let office = buildings.len() > 1;
                update::update(app, Action::BuildingsLoaded(buildings));
                // On a database holding many buildings (the office), say which reported.
                if office && let Ok(stats) = crate::sync::office::building_stats(store) {
                    update::update(app, Action::OfficeStats(stats));
                }
                return Ok(());
            }
            // Nothing was written: only the month or the log's view changed.
            Effect::Reload => {
                if let Some(b) = building.as_deref() {
                    let part = Data::load_view_part(store, b, &app.view())?;
                    update::update(app, Action::ViewLoaded(Box::new(part)));
                }
                return Ok(());
            }
            Effect::LoadForEdit { kind, id } => {
                let record = store
                    .record(kind, &id)?
                    .ok_or_else(|| StoreError::NotFound(id.clone()))?;
                update::update(app, Action::EditRecord(Box::new(record)));
                return Ok(());
            }
            Effect::Save { target, values } => {
                let values: Vec<(&str, Value)> = values
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                let id = match target {
                    Target::Edit(EntityKind::Need, id) => {
                        store.update_need(&id, values)?;
                        id
                    }
                    Target::Create(kind) => store.create(kind, values)?,
                    Target::Edit(kind, id) => {
                        store.update(kind, &id, values)?;
                        id
                    }
                };
                // The cadence rule: a tagged household always has its next visit planned.
                if store.record(EntityKind::Household, &id)?.is_some() {
                    store.ensure_next_visit(&id, &app.cadences, app.data.today)?;
                }
            }
            Effect::CompleteVisit { visit, completion } => {
                store.complete_visit(&visit, &completion)?;
                // 六个员 items the config ticks when a member completes a visit.
                if completion.outcome == crate::store::Outcome::Done {
                    let b = building.clone().unwrap_or_default();
                    let household = store
                        .record(EntityKind::Visit, &visit)?
                        .map(|r| r.text("household_id").to_string());
                    store.apply_auto_ticks(
                        &app.duty.set,
                        crate::domain::duty::EventKind::VisitDone,
                        &b,
                        &completion.visitors,
                        completion.date,
                        household.as_deref(),
                    )?;
                }
            }
            Effect::Checkin {
                findings,
                note,
                needs,
            } => {
                let b = building.clone().unwrap_or_default();
                store.record_checkin(&b, app.data.today, &findings, &note, &needs)?;
                let me = store.members_named(&b, store.owner_name())?;
                store.apply_auto_ticks(
                    &app.duty.set,
                    crate::domain::duty::EventKind::CheckinDone,
                    &b,
                    &me,
                    app.data.today,
                    None,
                )?;
            }
            Effect::Commit { change, .. } => {
                store.commit(change)?;
            }
            Effect::Delete { kind, id } => {
                store.delete(kind, &id)?;
            }
            Effect::Undo => {
                if store.undo()?.is_none() {
                    update::update(app, Action::Done(app.s().nothing_to_undo.to_string()));
                    return Ok(());
                }
            }
            Effect::Pair { member, household } => {
                let b = building.clone().unwrap_or_default();
                store.create(
                    EntityKind::Pairing,
                    vec![
                        ("building_id", Value::String(b)),
                        ("member_id", Value::String(member)),
                        ("household_id", Value::String(household)),
                        ("since", Value::String(format_date(today()))),
                    ],
                )?;
            }
            Effect::SelectBuilding(id) => {
                store.set_local_setting("building", &id)?;
                building = Some(id);
            }
            Effect::Setup {
                building: fields,
                owner,
            } => {
                let values = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                let id = store.create(EntityKind::Building, values)?;
                store.set_owner_name(&owner)?;
                store.set_local_setting("building", &id)?;
                building = Some(id);
            }
        }
        let data = Data::load_view(store, building.as_deref(), &app.view())?;
        update::update(app, Action::Loaded(Box::new(data)));
        update::update(app, Action::Done(msg));
        Ok(())
    })();
    if let Err(e) = result {
        let text = match &e {
            StoreError::Invalid { field, error } => format!("{field}：{}", error.message(lang)),
            other => other.to_string(),
        };
        update::update(app, Action::Failed(text));
    }
}

#[cfg(test)]
mod duty_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_visits;

#[cfg(test)]
mod tests_sync;
