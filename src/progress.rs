//! 进度 — how far long work has come (importing or exporting a bundle, a roster, a report)
//! and the flag that asks it to stop before it commits. The library reports and checks;
//! whoever calls it decides what to do with the reports (the interface draws a gauge from
//! another thread, the command line ignores them). No thread lives here.

use std::sync::atomic::{AtomicBool, Ordering};

/// What the work is doing, so the gauge can say it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file from disk.
    Reading,
    /// Checking a bundle's signature and opening it (its key or passphrase).
    Checking,
    /// Applying a bundle's changes (done / total changes).
    Applying,
    /// Collecting the changes a bundle carries (done / total changes).
    Collecting,
    /// Encrypting and signing a bundle.
    Sealing,
    /// Planning a roster's rows, or preparing them to write (done / total rows).
    Rows,
    /// Working out a report's figures.
    Figures,
    /// Laying out a report (total = its rows or pages).
    Rendering,
    /// Writing to the database or the file: the last step, not cancelled any more.
    Writing,
}

/// One report: the stage, and how much of it is done (`total` 0 when not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
}

/// Where progress goes and where a request to stop comes from.
pub struct Progress<'a> {
    report: &'a dyn Fn(Step),
    cancel: &'a AtomicBool,
}

static NEVER: AtomicBool = AtomicBool::new(false);

fn ignore(_: Step) {}

impl<'a> Progress<'a> {
    /// Reports to `report`; `cancel` set means stop before committing.
    pub fn new(report: &'a dyn Fn(Step), cancel: &'a AtomicBool) -> Progress<'a> {
        Progress { report, cancel }
    }

    /// No reports, never cancelled: the command line and tests.
    pub fn none() -> Progress<'static> {
        Progress {
            report: &ignore,
            cancel: &NEVER,
        }
    }

    /// Reports how far a stage has come.
    pub fn step(&self, stage: Stage, done: u64, total: u64) {
        (self.report)(Step { stage, done, total });
    }

    /// Whether the work was asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}
