//! The terminal interface: state ([`app`]), actions and [`update`], drawing ([`draw`]),
//! and the driver below that turns keys into actions and effects into store writes.

pub mod action;
pub mod app;
pub mod cursor;
pub mod data;
pub mod dialogs;
pub mod draw;
pub mod effect;
pub mod hints;
pub mod keymap;
pub mod keys;
pub mod labels;
mod listing;
pub mod panes;
pub mod strings;
mod sync_io;
pub mod theme;
pub mod update;

use std::path::PathBuf;

use self::action::Action;
use self::app::{App, Modal, Tone};
use self::data::Data;
use self::dialogs::form::Form;
use self::effect::{Effect, Target};
use crate::domain::date::today;
use crate::i18n::Lang;
use crate::store::{Store, StoreError};
use crate::usecase;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;

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
    /// 输出文件夹: where reports and bundles are written (`config::output`).
    pub output_dir: PathBuf,
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
            output_dir: crate::config::output::default_dir(),
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
    app.output_dir = opts.output_dir;
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
            // The day is read here, once per key, never inside `update` or a pane: past
            // midnight the next key reloads, so "today", overdue and due counts move on.
            if today() != app.data.today
                && let Err(e) = reload(&store, &mut app, None)
            {
                update::update(&mut app, Action::Failed(e.to_string()));
            }
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

/// Performs one effect: reads for the interface, or one use case for a user action, then
/// reloads and says what happened. No rule lives here — the use cases hold them, shared
/// with the CLI.
fn perform(store: &mut Store, app: &mut App, effect: Effect) {
    let lang = app.lang;
    let result: Result<(), StoreError> = (|| {
        let done = match effect {
            Effect::Sync(req) => {
                let out_dir = app.output_dir.clone();
                let ctx = sync_io::Ctx {
                    lang,
                    out_dir: &out_dir,
                };
                let (reply, changed) = sync_io::run(store, req, &ctx);
                if changed {
                    reload(store, app, None)?;
                }
                update::update(app, Action::SyncReply(Box::new(reply)));
                return Ok(());
            }
            Effect::Report(cmd) => {
                let written =
                    crate::report::request::execute(store, *cmd, &app.cadences, &app.output_dir)
                        .map_err(|e| StoreError::Rule(format!("{e:#}")))?;
                let shown = crate::config::output::shown(&written.path);
                let mut msg = format!("{}{shown}", app.s().written);
                for n in &written.notes {
                    msg.push_str(" · ");
                    msg.push_str(n);
                }
                update::update(app, Action::Done(msg));
                return Ok(());
            }
            Effect::RosterPreview { path, skip_bad } => {
                let b = app.building.clone().unwrap_or_default();
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
                let b = app.building.clone().unwrap_or_default();
                let plan = crate::report::roster_import::plan_file(store, &b, &path)
                    .map_err(|e| StoreError::Rule(e.to_string()))?;
                let rules = usecase::Rules {
                    cadences: app.cadences.clone(),
                    duties: app.duty.set.clone(),
                };
                let n = crate::report::roster_import::apply(
                    store,
                    plan,
                    skip_bad,
                    &rules,
                    app.data.today,
                )
                .map_err(|e| StoreError::Rule(e.to_string()))?;
                reload(store, app, None)?;
                let s = app.s();
                let msg = format!("{}{n}{}", s.roster_imported, s.households_changed_undoable);
                update::update(app, Action::Done(msg));
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
                if let Some(b) = app.building.as_deref() {
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
            Effect::Undo => {
                let msg = match usecase::undo::undo(store)? {
                    Some(u) => usecase::undo::describe(&u, lang),
                    None => app.s().nothing_to_undo.to_string(),
                };
                reload(store, app, None)?;
                update::update(app, Action::Done(msg));
                return Ok(());
            }
            Effect::SelectBuilding(id) => {
                store.set_local_setting("building", &id)?;
                app.building = Some(id);
                reload(store, app, None)?;
                update::update(app, Action::Done(String::new()));
                return Ok(());
            }
            effect => {
                let msg = effect::done_message(app, &effect);
                let done = write(store, app, effect)?;
                if let Some(b) = done.building {
                    app.building = Some(b);
                }
                (done.done, msg)
            }
        };
        let (done, msg) = done;
        reload(store, app, done.record.as_deref())?;
        let msg = match done.change {
            Some(_) => format!("{msg}{}", done.derived.describe(lang)),
            None => app.s().nothing_changed.to_string(),
        };
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

/// What a write did, and the building it made current (first-run setup).
struct Written {
    done: usecase::Done,
    building: Option<String>,
}

/// Calls the use case an effect asks for.
fn write(store: &mut Store, app: &App, effect: Effect) -> Result<Written, StoreError> {
    let rules = usecase::Rules {
        cadences: app.cadences.clone(),
        duties: app.duty.set.clone(),
    };
    let today = app.data.today;
    let building = app.building.clone().unwrap_or_default();
    let done = match effect {
        Effect::Save {
            target: Target::Create(kind),
            values,
        } => usecase::record::create(store, &rules, today, kind, values)?,
        Effect::Save {
            target: Target::Edit(kind, id),
            values,
        } => usecase::record::edit(store, &rules, today, kind, &id, values)?,
        Effect::CompleteVisit { visit, completion } => {
            usecase::visit::complete(store, &rules, today, &visit, &completion)?
        }
        Effect::Checkin(entry) => {
            usecase::checkin::record(store, &rules, &building, today, &entry)?
        }
        Effect::Tick { item, on, note } => usecase::duty::set_tick(store, &item, on, &note)?,
        Effect::Attest {
            month,
            target,
            met,
            note,
        } => usecase::duty::attest(store, &building, &month, &target, met, note)?,
        Effect::ToggleRole { member, role, held } => {
            usecase::duty::toggle_role(store, &building, &member, &role, held)?
        }
        Effect::Delete { kind, id } => usecase::record::delete(store, kind, &id)?,
        Effect::Restore { kind, id } => usecase::record::restore(store, kind, &id)?,
        Effect::Pair { member, household } => {
            usecase::record::pair(store, today, &building, &member, &household)?
        }
        Effect::Setup {
            building: fields,
            owner,
        } => {
            let done = usecase::setup::first_run(store, fields, &owner, today)?;
            let building = done.record.clone();
            return Ok(Written { done, building });
        }
        // Reads are performed in `perform`.
        Effect::Sync(_)
        | Effect::Report(_)
        | Effect::RosterPreview { .. }
        | Effect::RosterApply { .. }
        | Effect::LoadBuildings
        | Effect::Reload
        | Effect::LoadForEdit { .. }
        | Effect::Undo
        | Effect::SelectBuilding(_) => usecase::Done::default(),
    };
    Ok(Written {
        done,
        building: None,
    })
}

/// Reads the snapshot again after a write, keeping every cursor on its record and
/// selecting `created` (a record just written) where it shows.
fn reload(store: &Store, app: &mut App, created: Option<&str>) -> Result<(), StoreError> {
    let data = Data::load_view(store, app.building.as_deref(), &app.view())?;
    update::update(app, Action::Loaded(Box::new(data)));
    if let Some(id) = created {
        cursor::select(app, id);
    }
    Ok(())
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

#[cfg(test)]
mod tests_flows;
