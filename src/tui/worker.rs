//! The one thread of long work: it takes the store and a [`Job`], does it while the
//! interface keeps drawing, resizing and listening for Esc, and gives the store back with
//! what the job did.
//!
//! The store is handed over rather than shared through a second connection. SQLite in WAL
//! mode would let the interface read meanwhile, but it has nothing to read: it draws from
//! its own state, and the gauge takes the keys. Owning the one connection makes "the
//! interface does not write while the worker writes" something the compiler checks, not a
//! habit; it keeps one way of opening the database, works for in-memory stores, and no
//! second connection waits on the job's write transaction.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::jobs::{self, Ctx, Job, Outcome};
use crate::progress::{Progress, Step};
use crate::store::Store;

/// A job running on its thread.
pub struct Worker {
    handle: JoinHandle<Done>,
    step: Arc<Mutex<Option<Step>>>,
    cancel: Arc<AtomicBool>,
}

/// What the thread gives back: the store, always, and what the job did.
pub struct Done {
    pub store: Store,
    pub outcome: Outcome,
    /// The job panicked (a bug): the panic hook has restored the terminal, so the
    /// interface sets it up again.
    pub panicked: bool,
}

impl Worker {
    /// Starts `job` on `store`.
    pub fn start(store: Store, job: Job, ctx: Ctx) -> Worker {
        Worker::watched(store, job, ctx, |_| {})
    }

    /// Starts `job`, calling `watch` on the worker's thread after each step (tests pause
    /// there to cancel at a known point).
    pub fn watched(
        store: Store,
        job: Job,
        ctx: Ctx,
        watch: impl Fn(Step) + Send + 'static,
    ) -> Worker {
        let step = Arc::new(Mutex::new(None));
        let cancel = Arc::new(AtomicBool::new(false));
        let (shared, flag) = (Arc::clone(&step), Arc::clone(&cancel));
        let handle = std::thread::spawn(move || {
            let mut store = store;
            let report = |s: Step| {
                if let Ok(mut last) = shared.lock() {
                    *last = Some(s);
                }
                watch(s);
            };
            let progress = Progress::new(&report, &flag);
            // A panic unwinds the job's transaction (nothing written) and the store is
            // still given back.
            let run = catch_unwind(AssertUnwindSafe(|| {
                jobs::run(&mut store, job, &ctx, &progress)
            }));
            match run {
                Ok(outcome) => Done {
                    store,
                    outcome,
                    panicked: false,
                },
                Err(panic) => {
                    let why = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    Done {
                        store,
                        outcome: Outcome::Failed(format!(
                            "内部错误（{why}），没有写入任何内容。请把这段话告诉维护 louzu 的人。 / internal error ({why}): nothing was written"
                        )),
                        panicked: true,
                    }
                }
            }
        });
        Worker {
            handle,
            step,
            cancel,
        }
    }

    /// Asks the job to stop before it commits.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The last step the job reported.
    pub fn step(&self) -> Option<Step> {
        self.step.lock().ok().and_then(|s| *s)
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the job and takes the store back; `None` only if the thread itself died
    /// outside the job (then the store is lost and the interface must stop).
    pub fn finish(self) -> Option<Done> {
        self.handle.join().ok()
    }
}

#[cfg(test)]
mod tests;
