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
mod jobs;
pub mod keymap;
pub mod keys;
pub mod labels;
mod listing;
pub mod modal;
pub mod panes;
pub mod strings;
mod sync_io;
pub mod theme;
pub mod update;
mod worker;

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
            output_dir: crate::config::output::dir(&crate::config::Config::default()),
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
    app.status = match warnings.as_slice() {
        [] => None,
        [one] => Some((one.clone(), Tone::Warning)),
        [first, ..] => Some((
            app.s().settings_problems(warnings.len(), first),
            Tone::Warning,
        )),
    };
    app.warnings = warnings;
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

/// Runs the interface until the user quits. Long work (bundles, rosters, reports) runs on
/// the worker with the store handed to it; meanwhile the screen redraws every tick and
/// only the gauge takes keys.
pub fn run(store: Store, opts: Options) -> anyhow::Result<()> {
    let mut app = start(&store, opts)?;
    // ratatui::init installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    if let Ok(size) = terminal.size() {
        update::update(&mut app, Action::Resize(size.width, size.height));
    }
    let mut store = Some(store);
    let mut worker: Option<worker::Worker> = None;
    while !app.quit {
        terminal.draw(|f| draw::draw(f, &app))?;
        if let Some(w) = worker.take_if(|w| w.is_finished()) {
            let done = w.finish().ok_or_else(|| {
                anyhow::anyhow!(
                    "louzu 的后台工作意外中止，已退出；数据库没有被改动。 / the worker thread died; louzu stopped, the database is unchanged"
                )
            })?;
            if done.panicked {
                terminal = ratatui::init();
                terminal.clear()?;
            }
            let quit_after = app.busy.take().is_some_and(|b| b.quit_after);
            let s = store.insert(done.store);
            jobs::finish(s, &mut app, done.outcome);
            app.quit |= quit_after;
            continue;
        }
        if let Some(step) = worker.as_ref().and_then(|w| w.step())
            && app.busy.as_ref().is_some_and(|b| b.step != Some(step))
        {
            update::update(&mut app, Action::Progress(step));
        }
        // While the worker runs, wake up to redraw the gauge; otherwise wait for a key.
        if worker.is_some() && !event::poll(std::time::Duration::from_millis(80))? {
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) => keys::action_for(&app, key),
            Event::Paste(text) => Some(Action::Paste(text)),
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            _ => None,
        };
        let Some(action) = action else { continue };
        let Some(s) = store.as_mut() else {
            // The worker has the store: the gauge answers (Esc cancels).
            for effect in update::update(&mut app, action) {
                if let (Effect::Cancel, Some(w)) = (&effect, &worker) {
                    w.cancel();
                }
            }
            continue;
        };
        // The day is read here, once per key, never inside `update` or a pane: past
        // midnight the next key reloads, so "today", overdue and due counts move on.
        if today() != app.data.today
            && let Err(e) = reload(s, &mut app, None)
        {
            update::update(&mut app, Action::Failed(e.to_string()));
        }
        for effect in update::update(&mut app, action) {
            match (jobs::Job::of(effect), store.take()) {
                (Ok(job), Some(lent)) => {
                    app.busy = Some(dialogs::busy::Busy::new(job.title(app.lang)));
                    worker = Some(worker::Worker::start(lent, job, jobs::Ctx::of(&app)));
                }
                (Err(effect), Some(mut s)) => {
                    perform(&mut s, &mut app, *effect);
                    store = Some(s);
                }
                // A second piece of work while one runs (the gauge allows none): said.
                (_, None) => {
                    let wait = strings::sync::text(app.lang).wait.to_string();
                    update::update(&mut app, Action::Failed(wait));
                }
            }
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
            // Quick sync work (listing a folder, reading a key, trusting) is done here.
            Effect::Sync(req) if !req.is_long() => {
                let out_dir = app.output_dir.clone();
                let ctx = sync_io::Ctx {
                    lang,
                    out_dir: &out_dir,
                };
                let none = crate::progress::Progress::none();
                let (reply, changed) = sync_io::run(store, req, &ctx, &none);
                if changed {
                    reload(store, app, None)?;
                }
                update::update(app, Action::SyncReply(Box::new(reply)));
                return Ok(());
            }
            // Nothing runs on the worker here: nothing to stop.
            Effect::Cancel => return Ok(()),
            // Long work, done inline (tests; the run loop gives it to the worker instead).
            effect @ (Effect::Sync(_)
            | Effect::Report(_)
            | Effect::RosterPreview { .. }
            | Effect::RosterApply { .. }) => {
                if let Ok(job) = jobs::Job::of(effect) {
                    let ctx = jobs::Ctx::of(app);
                    let outcome = jobs::run(store, job, &ctx, &crate::progress::Progress::none());
                    jobs::finish(store, app, outcome);
                }
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
        let text = e.message(lang);
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
        | Effect::Cancel
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

#[cfg(test)]
mod tests_english;
