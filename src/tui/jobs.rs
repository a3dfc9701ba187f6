//! Long work as data: importing and exporting bundles, reading and importing a roster,
//! writing a report. [`run`] does one with the store it is given and reports through a
//! [`Progress`]; it runs on the worker thread (`worker.rs`) in the interface and inline in
//! tests. [`finish`] turns what it did into the actions the interface shows.

use std::path::PathBuf;

use super::action::Action;
use super::app::App;
use super::dialogs::sync::{Reply, Request};
use super::effect::{Effect, Kept};
use super::sync_io;
use crate::i18n::Lang;
use crate::progress::Progress;
use crate::report::request::{ReportCmd, Written};
use crate::report::roster_import::{self, Plan};
use crate::store::Store;
use crate::tui::strings::sync::text;

/// One piece of long work.
pub enum Job {
    Sync(Request),
    Report(Box<ReportCmd>),
    RosterPlan { path: PathBuf, skip_bad: bool },
    RosterApply { plan: Kept<Plan>, skip_bad: bool },
}

/// What a job needs from the interface's state, copied so the worker owns it.
pub struct Ctx {
    pub lang: Lang,
    pub out_dir: PathBuf,
    pub rules: crate::usecase::Rules,
    pub building: String,
    pub today: jiff::civil::Date,
}

impl Ctx {
    pub fn of(app: &App) -> Ctx {
        Ctx {
            lang: app.lang,
            out_dir: app.output_dir.clone(),
            rules: crate::usecase::Rules {
                cadences: app.cadences.clone(),
                duties: app.duty.set.clone(),
            },
            building: app.building.clone().unwrap_or_default(),
            today: app.data.today,
        }
    }
}

/// What a job did.
pub enum Outcome {
    Sync { reply: Reply, changed: bool },
    Report(Result<Written, String>),
    RosterPlanned { plan: Kept<Plan>, skip_bad: bool },
    RosterApplied(usize),
    Failed(String),
}

impl Job {
    /// The job an effect asks for, or the effect back when it is quick work.
    pub fn of(effect: Effect) -> Result<Job, Box<Effect>> {
        match effect {
            Effect::Sync(req) if req.is_long() => Ok(Job::Sync(req)),
            Effect::Report(cmd) => Ok(Job::Report(cmd)),
            Effect::RosterPreview { path, skip_bad } => Ok(Job::RosterPlan { path, skip_bad }),
            Effect::RosterApply { plan, skip_bad } => Ok(Job::RosterApply { plan, skip_bad }),
            other => Err(Box::new(other)),
        }
    }

    /// What the gauge is titled.
    pub fn title(&self, lang: Lang) -> &'static str {
        let t = text(lang);
        match self {
            Job::Sync(Request::Export { .. }) => t.busy_export,
            Job::Sync(Request::Import { .. }) => t.busy_import,
            Job::Sync(_) => t.busy_preview,
            Job::Report(_) => t.busy_report,
            Job::RosterPlan { .. } => t.busy_roster_plan,
            Job::RosterApply { .. } => t.busy_roster_apply,
        }
    }
}

/// Does the job on `store`.
pub fn run(store: &mut Store, job: Job, ctx: &Ctx, progress: &Progress) -> Outcome {
    match job {
        Job::Sync(req) => {
            let io = sync_io::Ctx {
                lang: ctx.lang,
                out_dir: &ctx.out_dir,
            };
            let (reply, changed) = sync_io::run(store, req, &io, progress);
            Outcome::Sync { reply, changed }
        }
        Job::Report(cmd) => Outcome::Report(
            crate::report::request::execute_with(
                store,
                *cmd,
                &ctx.rules.cadences,
                ctx.lang,
                &ctx.out_dir,
                progress,
            )
            .map_err(|e| format!("{e:#}")),
        ),
        Job::RosterPlan { path, skip_bad } => {
            match roster_import::plan_file_with(store, &ctx.building, &path, progress) {
                Ok(plan) => Outcome::RosterPlanned {
                    plan: Kept::new(plan),
                    skip_bad,
                },
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
        Job::RosterApply { plan, skip_bad } => {
            match roster_import::apply_with(
                store, &plan.0, skip_bad, &ctx.rules, ctx.today, progress,
            ) {
                Ok(n) => Outcome::RosterApplied(n),
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
    }
}

/// Shows what a job did: reloads after a write, then the dialog's answer or the status.
pub fn finish(store: &Store, app: &mut App, outcome: Outcome) {
    let s = app.s();
    let reloaded = |app: &mut App| {
        if let Err(e) = super::reload(store, app, None) {
            super::update::update(app, Action::Failed(e.to_string()));
        }
    };
    match outcome {
        Outcome::Sync { reply, changed } => {
            if changed {
                reloaded(app);
            }
            super::update::update(app, Action::SyncReply(Box::new(reply)));
        }
        Outcome::Report(Ok(written)) => {
            let shown = crate::config::output::shown(&written.path);
            let mut msg = format!("{}{shown}", s.written);
            for n in &written.notes {
                msg.push_str(" · ");
                msg.push_str(n);
            }
            super::update::update(app, Action::Done(msg));
        }
        Outcome::Report(Err(e)) | Outcome::Failed(e) => {
            super::update::update(app, Action::Failed(e));
        }
        Outcome::RosterPlanned { plan, skip_bad } => {
            let p = &plan.0;
            let action = Action::RosterPlanned {
                summary: p.summary(),
                errors: p.errors.len(),
                writes: p.writes_anything(),
                plan: plan.clone(),
                skip_bad,
            };
            super::update::update(app, action);
        }
        Outcome::RosterApplied(n) => {
            reloaded(app);
            let msg = format!("{}{n}{}", s.roster_imported, s.households_changed_undoable);
            super::update::update(app, Action::Done(msg));
        }
    }
}
