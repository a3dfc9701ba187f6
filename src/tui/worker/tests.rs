//! The worker on real stores: an import cancelled halfway leaves the database as it was
//! and says so; an export cancelled writes no file; the store always comes back.

use std::path::Path;
use std::sync::mpsc;

use super::*;
use crate::i18n::Lang;
use crate::progress::Stage;
use crate::sync::export::{ExportOptions, export};
use crate::sync::{Identity, trust};
use crate::tui::dialogs::sync::{Recipient, Reply, Request};

/// The demo building on 组长's store, and 副组长's empty one; each trusts the other.
fn two(dir: &Path) -> (Store, Store) {
    let mut a = Store::open(&dir.join("a.db")).unwrap();
    let b = Store::open(&dir.join("b.db")).unwrap();
    Identity::rename(&a, "组长").unwrap();
    Identity::rename(&b, "副组长").unwrap();
    crate::demo::write_demo(&mut a).unwrap();
    let ka = Identity::load_or_create(&a).unwrap().key();
    let kb = Identity::load_or_create(&b).unwrap().key();
    trust::trust(&a, kb, "副组长", None, false).unwrap();
    trust::trust(&b, ka, "组长", None, false).unwrap();
    (a, b)
}

fn ctx(dir: &Path) -> Ctx {
    Ctx {
        lang: Lang::Zh,
        out_dir: dir.to_path_buf(),
        rules: crate::usecase::Rules::default(),
        building: String::new(),
        today: crate::domain::date::today(),
    }
}

/// What a leader could see of a database: every record, and the journal.
fn state(s: &Store) -> (serde_json::Value, i64) {
    let journal = s
        .conn()
        .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
        .unwrap();
    (s.dump().unwrap(), journal)
}

/// Runs `job` on the worker, pausing it after `at` steps of `stage` while the test asks
/// it to stop (as Esc does), then waits for it.
fn cancelled_at(store: Store, job: Job, dir: &Path, stage: Stage, at: u64) -> Done {
    let (paused, seen) = mpsc::channel();
    let (go, wait) = mpsc::channel::<()>();
    let w = Worker::watched(store, job, ctx(dir), move |s| {
        if s.stage == stage && s.done == at {
            let _ = paused.send(s);
            let _ = wait.recv();
        }
    });
    let step = seen.recv().expect("the job reached the step");
    assert_eq!(w.step(), Some(step), "the gauge sees where it is");
    w.cancel();
    go.send(()).unwrap();
    w.finish().expect("the store comes back")
}

#[test]
fn an_import_cancelled_halfway_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (a, mut b) = two(dir.path());
    let file = dir.path().join("demo.louzu");
    let opts = ExportOptions {
        for_names: vec!["副组长".into()],
        ..Default::default()
    };
    export(&a, &file, &opts).unwrap();
    let before = state(&b);
    // The preview (inline, as a test may) keeps the checked bundle for the import.
    let io = crate::tui::sync_io::Ctx {
        lang: Lang::Zh,
        out_dir: dir.path(),
    };
    let preview = Request::Preview {
        path: file.display().to_string(),
        passphrase: None,
    };
    let (Reply::Previewed { bundle, .. }, _) =
        crate::tui::sync_io::run(&mut b, preview, &io, &Progress::none())
    else {
        panic!("no preview")
    };
    let total = bundle.0.ops() as u64;
    assert!(total > 100, "a demo's worth of changes: {total}");
    let job = Job::Sync(Request::Import {
        bundle: bundle.clone(),
    });
    let done = cancelled_at(b, job, dir.path(), Stage::Applying, total / 2);
    let Outcome::Sync {
        reply: Reply::Failed(msg),
        changed: false,
    } = &done.outcome
    else {
        panic!("not refused")
    };
    assert!(
        msg.contains("已取消") && msg.contains("没有导入任何内容"),
        "{msg}"
    );
    assert!(!done.panicked);
    let mut b = done.store;
    assert_eq!(state(&b), before, "nothing of the import was written");
    // The same kept bundle still imports, all of it, once asked to.
    let w = Worker::start(b, Job::Sync(Request::Import { bundle }), ctx(dir.path()));
    let done = w.finish().unwrap();
    assert!(
        matches!(
            &done.outcome,
            Outcome::Sync {
                reply: Reply::Finished(_),
                changed: true
            }
        ),
        "imported after all"
    );
    b = done.store;
    assert_eq!(
        b.dump().unwrap()["household"],
        a.dump().unwrap()["household"]
    );
}

#[test]
fn an_export_cancelled_before_writing_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _b) = two(dir.path());
    let job = Job::Sync(Request::Export {
        folder: dir.path().display().to_string(),
        file: "x.louzu".into(),
        to: Recipient::Device("副组长".into()),
    });
    let done = cancelled_at(a, job, dir.path(), Stage::Collecting, 10);
    let Outcome::Sync {
        reply: Reply::Failed(msg),
        ..
    } = &done.outcome
    else {
        panic!("not refused")
    };
    assert!(msg.contains("已取消") && msg.contains("没有写出"), "{msg}");
    assert!(!dir.path().join("x.louzu").exists());
}
