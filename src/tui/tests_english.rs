//! The English interface has no Chinese left in it: every pane and every dialog, opened as
//! a leader would open it with `--lang en`, at 80×24 and 160×45, on a building whose own
//! data (names, rooms, notes, tags) is all ASCII. So any Chinese cell on these screens is
//! the interface's, and fails the test with the screen and the line it is on.

use serde_json::json;

use super::action::Action;
use super::app::{App, Modal, Pane};
use super::test_support::rows;
use super::*;
use crate::domain::EntityKind as K;
use crate::domain::edit::Edit;
use crate::store::{Action as StoreAction, Change, Store};
use crate::sync::export::{ExportOptions, build};
use crate::sync::import::{ImportOptions, import_bytes};
use crate::sync::{Identity, trust};

/// Chinese (and full-width) characters: ideographs, CJK punctuation, full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3100}'..='\u{312F}'
        | '\u{3200}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// A leader's store with an ASCII building: rooms, people, visits, needs, an activity, a
/// check-in, duty roles and ticks, a deleted resident, a trusted deputy and a conflict
/// with that deputy. Returns the store, the deputy's bundle file, and the temp folder.
fn fixture() -> (tempfile::TempDir, Store, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("leader.db")).unwrap();
    let mut b = Store::open(&dir.path().join("deputy.db")).unwrap();
    Identity::rename(&a, "Leader laptop").unwrap();
    Identity::rename(&b, "Deputy laptop").unwrap();
    let ka = Identity::load_or_create(&a).unwrap().key();
    let kb = Identity::load_or_create(&b).unwrap().key();
    trust::trust(&a, kb, "Deputy", None, false).unwrap();
    trust::trust(&b, ka, "Leader", None, false).unwrap();
    a.set_owner_name("Wang Li").unwrap();
    let bld = a
        .create(
            K::Building,
            vec![
                ("name", json!("Block 7")),
                ("address", json!("56 Xincheng Road")),
                ("neighbourhood", json!("Xincheng")),
            ],
        )
        .unwrap();
    a.set_local_setting("building", &bld).unwrap();
    let today = crate::domain::date::today();
    let day = |n: i64| crate::domain::date::format_date(crate::domain::date::add_days(today, n));
    let room = |s: &mut Store, room: &str, tags: serde_json::Value| {
        s.create(
            K::Household,
            vec![
                ("building_id", json!(bld)),
                ("room", json!(room)),
                ("tags", tags),
                ("note", json!("knock loudly")),
            ],
        )
        .unwrap()
    };
    let h1 = room(&mut a, "101", json!(["alone", "independent"]));
    let h2 = room(&mut a, "102", json!([]));
    let h3 = room(&mut a, "201", json!(["dog"]));
    let person = |s: &mut Store, h: &str, name: &str, gender: &str, year: i64| {
        s.create(
            K::Resident,
            vec![
                ("building_id", json!(bld)),
                ("household_id", json!(h)),
                ("name", json!(name)),
                ("gender", json!(gender)),
                ("birth_year", json!(year)),
                ("phone", json!("13912345678")),
            ],
        )
        .unwrap()
    };
    person(&mut a, &h1, "Zhang San", "男", 1940);
    person(&mut a, &h2, "Li Si", "女", 1975);
    let gone = person(&mut a, &h3, "Zhao Wu", "男", 1990);
    a.delete(K::Resident, &gone).unwrap();
    let mut members = Vec::new();
    for (name, h, category) in [
        ("Wang Li", &h2, "在职党员"),
        ("Chen Hua", &h3, "离退休党员"),
        ("Qiu Mei", &h1, "社区党员"),
    ] {
        members.push(
            a.create(
                K::Member,
                vec![
                    ("building_id", json!(bld)),
                    ("household_id", json!(h)),
                    ("name", json!(name)),
                    ("category", json!(category)),
                    ("home_org", json!("Tax office")),
                    ("show_identity", json!(true)),
                ],
            )
            .unwrap(),
        );
    }
    for (h, due, status) in [
        (&h1, day(-5), "planned"),
        (&h2, day(0), "planned"),
        (&h3, day(6), "planned"),
        (&h3, day(-20), "done"),
    ] {
        let mut fields = vec![
            ("building_id", json!(bld)),
            ("household_id", json!(h)),
            ("due", json!(due)),
            ("status", json!(status)),
            ("purpose", json!("weekly call")),
            ("assigned", json!([members[0]])),
        ];
        if status == "done" {
            fields.extend([
                ("done_on", json!(due)),
                ("visitors", json!([members[1]])),
                ("situation", json!("all well")),
                ("handling", json!("当场解决")),
            ]);
        }
        a.create(K::Visit, fields).unwrap();
    }
    for (cat, text, status) in [
        ("设施维修", "stair light out", "open"),
        ("楼道堆物", "boxes by 102", "in_hand"),
        ("帮困", "meal service", "escalated"),
        ("政策咨询", "pension question", "resolved"),
    ] {
        let mut fields = vec![
            ("building_id", json!(bld)),
            ("household_id", json!(h1)),
            ("category", json!(cat)),
            ("description", json!(text)),
            ("status", json!(status)),
            ("raised_on", json!(day(-3))),
            ("owner", json!(members[1])),
        ];
        if status == "escalated" {
            fields.push(("escalated_to", json!("Office")));
        }
        a.create(K::Need, fields).unwrap();
    }
    a.create(
        K::Activity,
        vec![
            ("building_id", json!(bld)),
            ("date", json!(day(-2))),
            ("kind", json!("学习")),
            ("title", json!("Study evening")),
            ("present", json!(members)),
            ("residents_count", json!(4)),
            ("content", json!("read and talked")),
        ],
    )
    .unwrap();
    a.create(
        K::Checkin,
        vec![
            ("building_id", json!(bld)),
            ("date", json!(day(0))),
            (
                "items",
                json!({"楼道堆物": "problem:boxes on floor 2", "消防通道": "ok"}),
            ),
            ("note", json!("told 102")),
            ("by_name", json!("Wang Li")),
        ],
    )
    .unwrap();
    // Roles and ticks of the built-in set, written with ASCII journal labels: the use
    // cases label them with the (Chinese) stored names, which the log shows as data.
    let set = crate::domain::duty::RoleSet::default_set();
    let month = crate::domain::duty::Month::of(today);
    for (k, m) in members.iter().enumerate() {
        let role = set.roles[k].name.clone();
        let id = crate::domain::duty::assignment_id(&bld, m, &role);
        let mut edits = vec![
            Edit::new(K::DutyAssignment, &id, "deleted", false),
            Edit::new(K::DutyAssignment, &id, "building_id", bld.as_str()),
            Edit::new(K::DutyAssignment, &id, "member_id", m.as_str()),
            Edit::new(K::DutyAssignment, &id, "role", role.as_str()),
        ];
        let period = set.period_of(&role, month);
        let key = crate::domain::duty::TickKey {
            building: &bld,
            member: m,
            role: &role,
            item: &set.roles[k].items[0],
            period: &period,
        };
        edits.extend(key.edits(true, Some(today), "done early"));
        a.commit(Change {
            action: StoreAction::Create,
            edits,
            label: format!("role and tick {k}"),
            undoes: None,
        })
        .unwrap();
    }
    // The deputy gets everything, both edit 101's note: one conflict each way.
    let for_b = ExportOptions {
        for_names: vec!["Deputy".into()],
        ..Default::default()
    };
    let bytes = build(&a, &for_b).unwrap().0;
    import_bytes(&mut b, dir.path(), &bytes, &ImportOptions::default()).unwrap();
    a.update(K::Household, &h1, vec![("note", json!("ring twice"))])
        .unwrap();
    b.update(K::Household, &h1, vec![("note", json!("call first"))])
        .unwrap();
    b.update(K::Household, &h2, vec![("note", json!("new tenant"))])
        .unwrap();
    let for_a = ExportOptions {
        for_names: vec!["Leader".into()],
        ..Default::default()
    };
    let bytes = build(&b, &for_a).unwrap().0;
    import_bytes(&mut a, dir.path(), &bytes, &ImportOptions::default()).unwrap();
    b.update(K::Household, &h3, vec![("note", json!("moved out"))])
        .unwrap();
    let later = dir.path().join("from-deputy.louzu");
    crate::sync::export::export(&b, &later, &for_a).unwrap();
    (dir, a, later)
}

/// Each Chinese run found, with the first screen and line it was on.
struct Findings(Vec<(String, String)>);

impl Findings {
    fn check(&mut self, name: &str, app: &mut App) {
        // An import's journal label is written in Chinese by the import itself and kept
        // as data (it travels in bundles to devices of either language): not the screen's.
        let data: Vec<String> = app
            .data
            .journal
            .iter()
            .filter(|c| c.action == "import")
            .map(|c| c.label.clone())
            .collect();
        let is_data = |run: &str| data.iter().any(|l| l.contains(run));
        for (w, h) in [(80, 24), (160, 45)] {
            update::update(app, Action::Resize(w, h));
            for (y, line) in rows(app, w, h).iter().enumerate() {
                let mut run = String::new();
                for c in line.chars().chain(std::iter::once(' ')) {
                    if is_cjk(c) {
                        run.push(c);
                    } else if !run.is_empty() {
                        if !is_data(&run) && !self.0.iter().any(|(r, _)| *r == run) {
                            let at = format!("{name} {w}×{h} row {y}: {}", line.trim());
                            self.0.push((std::mem::take(&mut run), at));
                        }
                        run.clear();
                    }
                }
            }
        }
    }
}

fn en(s: &Store) -> App {
    start(s, Options::defaults(Lang::En)).unwrap()
}

fn act(s: &mut Store, app: &mut App, actions: Vec<Action>) {
    for a in actions {
        dispatch(s, app, a);
    }
}

#[test]
fn every_english_screen_is_free_of_chinese() {
    let (dir, mut s, bundle) = fixture();
    let mut f = Findings(Vec::new());
    use Action as A;
    let down = |n: usize| (0..n).map(|_| A::Down).collect::<Vec<_>>();
    let then = |mut a: Vec<Action>, b: Vec<Action>| {
        a.extend(b);
        a
    };
    // (screen, pane focused, actions from a fresh start, text that shows it opened)
    let screens: Vec<(&str, Pane, Vec<Action>, &str)> = vec![
        ("roster", Pane::Roster, vec![], "3 households"),
        (
            "roster search",
            Pane::Roster,
            vec![A::Search, A::Type('z')],
            "/ z",
        ),
        (
            "roster tags",
            Pane::Roster,
            vec![A::FilterTag],
            "Filter by tag",
        ),
        (
            "buildings",
            Pane::Roster,
            vec![A::BuildingPicker],
            "Choose building",
        ),
        ("household", Pane::Roster, vec![A::Open], "Room 101"),
        (
            "household form",
            Pane::Roster,
            vec![A::Add],
            "Add household",
        ),
        (
            "household edit",
            Pane::Roster,
            vec![A::Edit],
            "Edit household 101",
        ),
        (
            "resident form",
            Pane::Roster,
            vec![A::Open, A::Add],
            "Add resident",
        ),
        (
            "member form",
            Pane::Roster,
            vec![A::AddMember],
            "Add member",
        ),
        (
            "pair picker",
            Pane::Roster,
            vec![A::Pair],
            "Pair with member",
        ),
        (
            "delete",
            Pane::Roster,
            vec![A::Delete],
            "Delete household 101?",
        ),
        (
            "discard",
            Pane::Roster,
            vec![A::Add, A::Type('9'), A::Back],
            "Discard what you typed?",
        ),
        (
            "form error",
            Pane::Roster,
            vec![A::Add, A::Save],
            "Add household",
        ),
        (
            "roster import",
            Pane::Roster,
            vec![A::RosterImport],
            "Import a roster",
        ),
        ("visits", Pane::Visits, vec![], "overdue"),
        (
            "visits overdue",
            Pane::Visits,
            vec![A::OverdueOnly],
            "overdue",
        ),
        (
            "visits by member",
            Pane::Visits,
            vec![A::AddMember],
            "Filter by member",
        ),
        (
            "visits tags",
            Pane::Visits,
            vec![A::FilterTag],
            "Filter by tag",
        ),
        (
            "completion",
            Pane::Visits,
            vec![A::Open],
            "Complete visit 101",
        ),
        ("plan: household", Pane::Visits, vec![A::Add], "101"),
        (
            "plan: form",
            Pane::Visits,
            vec![A::Add, A::Open],
            "Add visit 101",
        ),
        (
            "plan: member picker",
            Pane::Visits,
            vec![A::Add, A::Open, A::NextField, A::NextField, A::Type('w')],
            "/ w",
        ),
        ("needs", Pane::Visits, vec![A::ToggleNeeds], "Needs 3"),
        (
            "need form",
            Pane::Visits,
            vec![A::ToggleNeeds, A::Edit],
            "Edit need",
        ),
        (
            "need add",
            Pane::Visits,
            vec![A::ToggleNeeds, A::Add],
            "Add need",
        ),
        (
            "need to fed back",
            Pane::Visits,
            then(vec![A::ToggleNeeds], then(down(3), vec![A::Advance])),
            "before marking it fed back",
        ),
        ("duties", Pane::Duties, vec![], "Targets"),
        (
            "duties last month",
            Pane::Duties,
            vec![A::PrevPeriod],
            "Targets",
        ),
        ("attest", Pane::Duties, vec![A::Open], "No crime"),
        (
            "checklist",
            Pane::Duties,
            then(down(4), vec![A::Open]),
            "Wang Li · Policy explainer",
        ),
        (
            "checklist item",
            Pane::Duties,
            then(down(4), vec![A::Open, A::Edit]),
            "Put up posters",
        ),
        (
            "assign roles",
            Pane::Duties,
            then(down(4), vec![A::Add]),
            "Look out for disputes between nei",
        ),
        ("log", Pane::Log, vec![], "Journal"),
        ("log entry", Pane::Log, vec![A::Open], "imported"),
        (
            "log search",
            Pane::Log,
            vec![A::Search, A::Type('s')],
            "/ s",
        ),
        ("log kinds", Pane::Log, vec![A::FilterTag], "Filter by kind"),
        (
            "log dates",
            Pane::Log,
            vec![A::FilterDates],
            "Filter by date",
        ),
        (
            "activities",
            Pane::Log,
            vec![A::ToggleView],
            "Study evening",
        ),
        ("activity form", Pane::Log, vec![A::Add], "Add activity"),
        (
            "restore",
            Pane::Log,
            then(vec![A::FilterTag], then(down(7), vec![A::Open, A::Restore])),
            "Restore",
        ),
        ("help", Pane::Roster, vec![A::Help], "Keys"),
        (
            "check-in",
            Pane::Roster,
            vec![A::Checkin],
            "Today's check-in",
        ),
        ("report", Pane::Roster, vec![A::Report], "Write a report"),
        ("export", Pane::Roster, vec![A::Export], "Export a bundle"),
        (
            "export with a passphrase",
            Pane::Roster,
            vec![A::Export, A::Down, A::Open],
            "Passphrase:",
        ),
        (
            "trust a new device",
            Pane::Roster,
            vec![A::Export, A::Down, A::Down, A::Open],
            "Card or bundle:",
        ),
        ("import", Pane::Roster, vec![A::Import], "Import a bundle"),
        (
            "import preview",
            Pane::Roster,
            vec![A::Import, A::Paste(bundle.display().to_string()), A::Open],
            "From \"Deputy\"",
        ),
        (
            "conflicts",
            Pane::Roster,
            vec![A::Conflicts],
            "\"call first\"",
        ),
        ("undo", Pane::Roster, vec![A::Undo], "Undone"),
    ];
    let mut missing = Vec::new();
    for (name, pane, actions, expect) in screens {
        let mut app = en(&s);
        update::update(&mut app, Action::Focus(pane));
        act(&mut s, &mut app, actions);
        f.check(name, &mut app);
        let shown = rows(&app, 160, 45).join("\n");
        if !shown.contains(expect) {
            missing.push(format!("{name}: no {expect:?} on\n{shown}"));
        }
    }
    // First run, on an empty database.
    let empty = Store::open(&dir.path().join("new.db")).unwrap();
    let mut app = en(&empty);
    assert!(matches!(app.modal, Some(Modal::Form(_))));
    f.check("first-run setup", &mut app);
    assert!(
        missing.is_empty(),
        "screens not opened:\n{}",
        missing.join("\n")
    );
    let found: Vec<String> = f.0.iter().map(|(r, at)| format!("{r}  ⟵ {at}")).collect();
    assert!(
        found.is_empty(),
        "Chinese on English screens:\n{}",
        found.join("\n")
    );
}
