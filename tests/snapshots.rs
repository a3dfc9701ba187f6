//! Whole screens of the demo building as the leader sees them — every pane and the main
//! dialogs, at 80×24 and 160×45, in Chinese and in English — kept as `insta` snapshots in
//! `tests/snapshots/`, so a change to what a screen says or where it says it shows up in
//! review as a diff of the screen itself.
//!
//! The demo counts its dates from today; this binary pins today to the demo's fixed day
//! (`LOUZU_TODAY`) before anything runs, so it has its own `main` (no test harness: the
//! variable is set while the process has one thread). What still depends on the moment the
//! demo was written — journal times, the other device's id, fingerprints — is masked.
//!
//! Review a change with `INSTA_UPDATE=always cargo test --test snapshots` and `git diff`.

use louzu::i18n::Lang;
use louzu::store::Store;
use louzu::tui::action::Action as A;
use louzu::tui::app::{App, Pane};
use louzu::tui::{Options, dispatch, draw, start, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

/// The demo's day: a Thursday late in November, with visits overdue, due and coming.
const TODAY: &str = "2026-11-26";
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

/// The screen as text, wide characters counted once, trailing blanks dropped.
fn rows(app: &App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += UnicodeWidthStr::width(sym).max(1) as u16;
            }
            mask(line.trim_end())
        })
        .collect()
}

/// Replaces what depends on when the demo was written, keeping every width: journal
/// times (`12-02 09:41`, `2026-12-02 09:41`), the other device's id after `·`, and key
/// fingerprints (`3304-c71f-8afe-715e-5e1d`).
fn mask(line: &str) -> String {
    let c: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let d = |k: usize| c.get(k).is_some_and(char::is_ascii_digit);
    let hex = |k: usize| c.get(k).is_some_and(char::is_ascii_hexdigit);
    let fits = |at: usize, pat: &str| {
        pat.chars().enumerate().all(|(n, p)| match p {
            '9' => d(at + n),
            'f' => hex(at + n),
            other => c.get(at + n) == Some(&other),
        })
    };
    while i < c.len() {
        let boundary = i == 0 || !c[i - 1].is_ascii_alphanumeric();
        if boundary && fits(i, "9999-99-99 99:99") {
            out.push_str("YYYY-MM-DD hh:mm");
            i += 16;
        } else if boundary && fits(i, "99-99 99:99") {
            out.push_str("MM-DD hh:mm");
            i += 11;
        } else if boundary && fits(i, "9999-99-99T99:99:99+08:00") {
            out.push_str("YYYY-MM-DDThh:mm:ss+08:00");
            i += 25;
        } else if boundary && fits(i, "ffff-ffff-ffff-ffff-ffff") {
            out.push_str("xxxx-xxxx-xxxx-xxxx-xxxx");
            i += 24;
        } else if c[i] == '·'
            && fits(i + 1, "ffff")
            && !c.get(i + 5).is_some_and(|x| x.is_alphanumeric())
        {
            out.push_str("·dev0");
            i += 5;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// A screen: a name, the pane focused, and the keys (as actions) that open it.
struct Screen {
    name: &'static str,
    pane: Pane,
    actions: fn() -> Vec<A>,
}

fn screens() -> Vec<Screen> {
    let s = |name, pane, actions| Screen {
        name,
        pane,
        actions,
    };
    vec![
        s("roster", Pane::Roster, Vec::new),
        s("roster_household", Pane::Roster, || vec![A::Open]),
        s("roster_search", Pane::Roster, || {
            vec![A::Search, A::Type('z'), A::Type('g'), A::Type('h')]
        }),
        s("roster_tags", Pane::Roster, || vec![A::FilterTag]),
        s("household_form", Pane::Roster, || vec![A::Add]),
        s("resident_form", Pane::Roster, || vec![A::Open, A::Add]),
        s("member_form", Pane::Roster, || vec![A::AddMember]),
        s("delete_confirm", Pane::Roster, || vec![A::Delete]),
        s("discard", Pane::Roster, || {
            vec![A::Add, A::Type('6'), A::Type('0'), A::Type('5'), A::Back]
        }),
        s("form_error", Pane::Roster, || vec![A::Add, A::Save]),
        s("visits", Pane::Visits, Vec::new),
        s("visit_completion", Pane::Visits, || vec![A::Open]),
        s("plan_visit_household", Pane::Visits, || vec![A::Add]),
        s("plan_visit_form", Pane::Visits, || {
            vec![A::Add, A::Type('3'), A::Type('0'), A::Type('2'), A::Open]
        }),
        s("needs", Pane::Visits, || vec![A::ToggleNeeds]),
        s("need_form", Pane::Visits, || vec![A::ToggleNeeds, A::Edit]),
        s("duties", Pane::Duties, Vec::new),
        s("duty_checklist", Pane::Duties, || {
            vec![A::Down, A::Down, A::Down, A::Down, A::Open]
        }),
        s("attest", Pane::Duties, || vec![A::Open]),
        s("log", Pane::Log, Vec::new),
        s("log_entry", Pane::Log, || vec![A::Open]),
        s("activities", Pane::Log, || vec![A::ToggleView]),
        s("activity_form", Pane::Log, || vec![A::Add]),
        s("help", Pane::Roster, || vec![A::Help]),
        s("checkin", Pane::Roster, || vec![A::Checkin]),
        s("report", Pane::Roster, || vec![A::Report]),
        s("buildings", Pane::Roster, || vec![A::BuildingPicker]),
        s("export", Pane::Roster, || vec![A::Export]),
        s("import", Pane::Roster, || vec![A::Import]),
    ]
}

/// Every size of one screen, one after the other.
fn shots(store: &mut Store, lang: Lang, screen: &Screen) -> String {
    let mut out = String::new();
    for (w, h) in SIZES {
        let mut app = start(store, Options::defaults(lang)).unwrap();
        update::update(&mut app, A::Resize(w, h));
        update::update(&mut app, A::Focus(screen.pane));
        for a in (screen.actions)() {
            dispatch(store, &mut app, a);
        }
        out.push_str(&format!("── {w}×{h} ──\n"));
        for line in rows(&app, w, h) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn main() {
    // SAFETY: nothing else runs yet — no test harness, no thread but this one.
    unsafe {
        std::env::set_var("LOUZU_TODAY", TODAY);
        // The sync dialogs show the output folder and home, the same everywhere, and no
        // removable drive (which ones are mounted differs from machine to machine).
        std::env::set_var("HOME", "/home/leader");
        std::env::set_var("LOUZU_OUTPUT_DIR", "/home/leader/文档");
        std::env::set_var("LOUZU_DRIVES", "");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut demo = louzu::cli::demo::write_demo_db(&dir.path().join("demo.db")).unwrap();
    let mut failed = Vec::new();
    let mut check = |name: String, text: String| {
        let r = std::panic::catch_unwind(|| {
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(name.as_str(), text);
            });
        });
        if r.is_err() {
            failed.push(name);
        }
    };
    for screen in screens() {
        for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let text = shots(&mut demo, lang, &screen);
            check(format!("{}@{tag}", screen.name), text);
        }
    }
    // First run: no building yet.
    let mut empty = Store::open(&dir.path().join("new.db")).unwrap();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let first = Screen {
            name: "first_run",
            pane: Pane::Roster,
            actions: Vec::new,
        };
        check(format!("first_run@{tag}"), shots(&mut empty, lang, &first));
    }
    if !failed.is_empty() {
        eprintln!(
            "{} screens differ from their snapshots: {}\n\
             review with INSTA_UPDATE=always cargo test --test snapshots; git diff tests/snapshots",
            failed.len(),
            failed.join(", ")
        );
        std::process::exit(1);
    }
}
