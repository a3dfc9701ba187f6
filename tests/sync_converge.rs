//! Property: replicas that exchange bundles in any order — with duplicates, reordering,
//! bundles dropped then delivered late, clocks running ahead, and databases restored from
//! older backups of themselves — end identical; every value overwritten by a concurrent
//! edit is findable in the conflicts list, and so is every edit made concurrently with a
//! delete (whichever clock is later); and no household keeps a planned routine visit for
//! a tag it no longer has.

use std::collections::HashSet;
use std::path::Path;

use jiff::civil::Date;
use proptest::prelude::*;
use serde_json::json;

use louzu::domain::EntityKind as K;
use louzu::store::{Hlc, Store};
use louzu::sync::conflicts::{self, Resolution};
use louzu::sync::export::{ExportOptions, build};
use louzu::sync::import::{ImportOptions, import_bytes_with};
use louzu::sync::{Identity, SyncError, trust};
use louzu::usecase::{Rules, record};

/// The day every replica works on (the cadence rule plans from it).
fn today() -> Date {
    Date::new(2026, 11, 26).unwrap()
}

/// Tags an edit may give, the first of each pair with a visit cadence.
const TAGS: [&[&str]; 5] = [&["独居老人"], &["高龄"], &["低保", "高龄"], &[], &["租户"]];

#[derive(Debug, Clone)]
enum Step {
    Edit {
        r: usize,
        h: usize,
        v: u8,
    },
    Delete {
        r: usize,
        h: usize,
    },
    Restore {
        r: usize,
        h: usize,
    },
    Send {
        from: usize,
        to: usize,
    },
    Deliver {
        m: usize,
    },
    Resolve {
        r: usize,
        keep_b: bool,
    },
    /// Copies replica r's database file aside, as a backup.
    Backup {
        r: usize,
    },
    /// Puts replica r's last backup back in place of its database and goes on with it.
    RestoreBackup {
        r: usize,
    },
    /// Sets replica r's clock `mins` minutes ahead of the wall clock (never back): its
    /// next edits are later by the clock than others made after them.
    Skew {
        r: usize,
        mins: i64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..5usize, 0..3usize, 0..4u8).prop_map(|(r, h, v)| Step::Edit { r, h, v }),
        1 => (0..5usize, 0..3usize).prop_map(|(r, h)| Step::Delete { r, h }),
        1 => (0..5usize, 0..3usize).prop_map(|(r, h)| Step::Restore { r, h }),
        3 => (0..5usize, 0..5usize).prop_map(|(from, to)| Step::Send { from, to }),
        4 => (0..64usize).prop_map(|m| Step::Deliver { m }),
        1 => (0..5usize, any::<bool>()).prop_map(|(r, keep_b)| Step::Resolve { r, keep_b }),
        1 => (0..5usize).prop_map(|r| Step::Backup { r }),
        1 => (0..5usize).prop_map(|r| Step::RestoreBackup { r }),
        2 => (0..5usize, 1..60i64).prop_map(|(r, mins)| Step::Skew { r, mins }),
    ]
}

/// An edit or a delete of a household, with what its replica held of that household
/// (change ids) when it was made: the ground truth of what its author had seen.
#[derive(Debug, Clone)]
struct Event {
    delete: bool,
    h: usize,
    change: String,
    held: HashSet<String>,
}

struct Net {
    dir: tempfile::TempDir,
    stores: Vec<Store>,
    mail: Vec<(usize, Vec<u8>)>,
    households: Vec<String>,
    counter: u32,
    backups: Vec<bool>,
    events: Vec<Event>,
}

fn name(i: usize) -> String {
    format!("r{i}")
}

impl Net {
    fn new(n: usize) -> Net {
        let dir = tempfile::tempdir().unwrap();
        let stores: Vec<Store> = (0..n)
            .map(|i| {
                let s = Store::open(&dir.path().join(format!("{i}.db"))).unwrap();
                Identity::rename(&s, &name(i)).unwrap();
                s
            })
            .collect();
        let keys: Vec<_> = stores
            .iter()
            .map(|s| Identity::load_or_create(s).unwrap().key())
            .collect();
        for (i, s) in stores.iter().enumerate() {
            for (j, k) in keys.iter().enumerate() {
                if i != j {
                    trust::trust(s, *k, &name(j), None, false).unwrap();
                }
            }
        }
        let mut net = Net {
            dir,
            stores,
            mail: Vec::new(),
            households: Vec::new(),
            counter: 0,
            backups: vec![false; n],
            events: Vec::new(),
        };
        let b = net.stores[0]
            .create(K::Building, vec![("name", json!("12号楼"))])
            .unwrap();
        for room in ["101", "102", "201"] {
            let h = net.stores[0]
                .create(
                    K::Household,
                    vec![("building_id", json!(b)), ("room", json!(room))],
                )
                .unwrap();
            net.households.push(h);
        }
        for j in 1..n {
            let m = net.send(0, j);
            net.deliver(m).unwrap();
        }
        net
    }

    fn send(&mut self, from: usize, to: usize) -> usize {
        let opts = ExportOptions {
            for_names: vec![name(to)],
            ..Default::default()
        };
        let bytes = build(&self.stores[from], &opts).unwrap().0;
        self.mail.push((to, bytes));
        self.mail.len() - 1
    }

    fn deliver(&mut self, m: usize) -> Result<(), SyncError> {
        let (to, bytes) = &self.mail[m];
        import_bytes_with(
            &mut self.stores[*to],
            Path::new("mail.louzu"),
            bytes,
            &ImportOptions::default(),
            &Rules::default(),
            today(),
        )
        .map(drop)
    }

    /// The changes replica r holds ops of for household h.
    fn held(&self, r: usize, h: usize) -> HashSet<String> {
        self.stores[r]
            .conn()
            .prepare("SELECT DISTINCT change_id FROM ops WHERE entity_id = ?1")
            .unwrap()
            .query_map([&self.households[h]], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn note_event(&mut self, delete: bool, h: usize, held: HashSet<String>, done: Option<String>) {
        if let Some(change) = done {
            self.events.push(Event {
                delete,
                h,
                change,
                held,
            });
        }
    }

    fn run(&mut self, s: &Step) {
        let n = self.stores.len();
        match *s {
            Step::Edit { r, h, v } => {
                self.counter += 1;
                let r = r % n;
                // Every value is new, so no two edits leave the same value.
                let value = format!("v{v}-{}-{r}", self.counter);
                let id = self.households[h].clone();
                let (field, val) = if v % 2 == 0 {
                    ("note", json!(value))
                } else {
                    let mut tags: Vec<&str> = TAGS[(self.counter as usize) % TAGS.len()].to_vec();
                    tags.push(&value);
                    ("tags", json!(tags))
                };
                let held = self.held(r, h);
                let done = record::edit(
                    &mut self.stores[r],
                    &Rules::default(),
                    today(),
                    K::Household,
                    &id,
                    vec![(field.to_string(), val)],
                )
                .unwrap();
                self.note_event(false, h, held, done.change);
            }
            Step::Delete { r, h } => {
                let r = r % n;
                let id = self.households[h].clone();
                let held = self.held(r, h);
                let done = record::delete(&mut self.stores[r], K::Household, &id).unwrap();
                self.note_event(true, h, held, done.change);
            }
            Step::Restore { r, h } => {
                let id = self.households[h].clone();
                record::restore(&mut self.stores[r % n], K::Household, &id).unwrap();
            }
            Step::Skew { r, mins } => {
                let s = &self.stores[r % n];
                let ahead = Hlc::now_plus(mins * 60_000).0;
                s.conn()
                    .execute(
                        "UPDATE meta SET value = max(CAST(value AS INTEGER), ?1) WHERE key = 'hlc'",
                        [ahead],
                    )
                    .unwrap();
            }
            Step::Send { from, to } => {
                let (from, to) = (from % n, to % n);
                if from != to {
                    self.send(from, to);
                }
            }
            Step::Deliver { m } => {
                if !self.mail.is_empty() {
                    let m = m % self.mail.len();
                    match self.deliver(m) {
                        Ok(()) | Err(SyncError::Missing { .. }) => {}
                        Err(e) => panic!("delivery failed: {e}"),
                    }
                }
            }
            Step::Backup { r } => {
                let r = r % n;
                let to = self.dir.path().join(format!("{r}.backup"));
                let _ = std::fs::remove_file(&to);
                self.stores[r]
                    .conn()
                    .execute("VACUUM INTO ?1", [to.to_str().unwrap()])
                    .unwrap();
                self.backups[r] = true;
            }
            Step::RestoreBackup { r } => {
                let r = r % n;
                if self.backups[r] {
                    let db = self.dir.path().join(format!("{r}.db"));
                    let placeholder = Store::open(&self.dir.path().join("x.db")).unwrap();
                    drop(std::mem::replace(&mut self.stores[r], placeholder));
                    for ext in ["-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
                    }
                    std::fs::copy(self.dir.path().join(format!("{r}.backup")), &db).unwrap();
                    self.stores[r] = Store::open(&db).unwrap();
                }
            }
            Step::Resolve { r, keep_b } => {
                let store = &mut self.stores[r % n];
                if let Some(c) = conflicts::list(store, false).unwrap().first() {
                    let how = if keep_b {
                        Resolution::KeepB
                    } else {
                        Resolution::KeepA
                    };
                    conflicts::resolve_with(store, &c.id, how, &Rules::default(), today()).unwrap();
                }
            }
        }
    }

    /// Everyone sends to everyone and imports: once everything (what a restore dropped
    /// comes back only so), then twice what is missing: all have heard from all.
    fn settle(&mut self) {
        let n = self.stores.len();
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let opts = ExportOptions {
                        for_names: vec![name(j)],
                        full: true,
                        ..Default::default()
                    };
                    let bytes = build(&self.stores[i], &opts).unwrap().0;
                    self.mail.push((j, bytes));
                    self.deliver(self.mail.len() - 1).unwrap();
                }
            }
        }
        for _ in 0..3 {
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        let m = self.send(i, j);
                        self.deliver(m).unwrap();
                    }
                }
            }
        }
    }
}

/// Ops on a field that no other op on the same field overwrote: the field's concurrent
/// "heads". All but the visible one must be in the conflicts table — unless they left the
/// same value (nothing was lost).
fn unreviewed_heads(s: &Store) -> Vec<String> {
    let sql = "
        SELECT o.origin, o.scope, o.seq, o.entity_id, o.field FROM ops o
        WHERE NOT EXISTS (SELECT 1 FROM ops x WHERE x.entity_id = o.entity_id
                 AND x.field = o.field
                 AND ((x.prev_origin = o.origin AND x.prev_seq = o.seq)
                   OR (x.merged_origin = o.origin AND x.merged_seq = o.seq)))
          AND NOT EXISTS (SELECT 1 FROM field_state f WHERE f.entity_id = o.entity_id
                 AND f.field = o.field AND f.origin = o.origin AND f.seq = o.seq)
          AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.lose_origin = o.origin
                 AND c.lose_scope = o.scope AND c.lose_seq = o.seq)
          -- The same value written by another op that is visible, was overwritten by
          -- someone who saw it, or is under review: that value was not lost either.
          AND NOT EXISTS (SELECT 1 FROM ops x WHERE x.entity_id = o.entity_id
                 AND x.field = o.field AND x.value = o.value
                 AND (EXISTS (SELECT 1 FROM field_state f WHERE f.entity_id = x.entity_id
                        AND f.field = x.field AND f.origin = x.origin AND f.seq = x.seq)
                   OR EXISTS (SELECT 1 FROM ops y WHERE y.entity_id = x.entity_id
                        AND y.field = x.field
                        AND ((y.prev_origin = x.origin AND y.prev_seq = x.seq)
                          OR (y.merged_origin = x.origin AND y.merged_seq = x.seq)))
                   OR EXISTS (SELECT 1 FROM conflicts c WHERE c.lose_origin = x.origin
                        AND c.lose_scope = x.scope AND c.lose_seq = x.seq)))
          -- A restored or copied database's edit can be held under two names (its own
          -- origin and a fork origin): one edit, one value, so the twin lost nothing.
          AND NOT EXISTS (SELECT 1 FROM field_state f JOIN ops w ON w.origin = f.origin
                 AND w.scope = f.scope AND w.seq = f.seq
                 WHERE f.entity_id = o.entity_id AND f.field = o.field
                   AND w.change_id = o.change_id)";
    s.conn()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{}:{} {}.{}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Concurrent edit/delete pairs by the replicas' own history (neither author held the
/// other's change), each with whether the edit is later by the clock, that replica `s`
/// does not have in its conflicts list.
fn unflagged_pairs(net: &Net, s: &Store) -> (Vec<String>, [usize; 2]) {
    let mut missing = Vec::new();
    let mut orders = [0usize; 2];
    // `None` for a change a restored backup lost before it left its replica.
    let hlc = |change: &str, h: &str| -> Option<i64> {
        s.conn()
            .query_row(
                "SELECT max(hlc) FROM ops WHERE change_id = ?1 AND entity_id = ?2",
                [change, h],
                |r| r.get(0),
            )
            .unwrap()
    };
    for d in net.events.iter().filter(|e| e.delete) {
        for e in net.events.iter().filter(|e| !e.delete && e.h == d.h) {
            if d.held.contains(&e.change) || e.held.contains(&d.change) {
                continue;
            }
            let h = &net.households[d.h];
            let (Some(eh), Some(dh)) = (hlc(&e.change, h), hlc(&d.change, h)) else {
                continue;
            };
            orders[usize::from(eh > dh)] += 1;
            let flagged: bool = s
                .conn()
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM conflicts c
                       JOIN ops w ON w.origin = c.win_origin AND w.scope = c.win_scope
                                 AND w.seq = c.win_seq
                       JOIN ops l ON l.origin = c.lose_origin AND l.scope = c.lose_scope
                                 AND l.seq = c.lose_seq
                       WHERE c.field = 'deleted' AND c.entity_id = ?1
                         AND w.change_id = ?2 AND l.change_id = ?3)",
                    [h, &d.change, &e.change],
                    |r| r.get(0),
                )
                .unwrap();
            if !flagged {
                missing.push(format!("delete {} / edit {} of {h}", d.change, e.change));
            }
        }
    }
    (missing, orders)
}

/// Live households with a planned routine visit (`{tag}例行走访`) for a tag they lack,
/// or with more than one planned visit.
fn stale_plans(s: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for h in s.records(K::Household, None, false).unwrap() {
        if h.deleted {
            continue;
        }
        let tags: Vec<String> = h
            .get("tags")
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let planned = s.planned_visits(&h.id).unwrap();
        for (_, due, purpose) in &planned {
            let tag = purpose.strip_suffix("例行走访").unwrap_or("");
            if !tags.iter().any(|t| t == tag) {
                out.push(format!("{} {tags:?}: {purpose} on {due}", h.label()));
            }
        }
        if planned.len() > 1 {
            out.push(format!("{}: {} planned visits", h.label(), planned.len()));
        }
    }
    out
}

/// The end state every run must reach (see the module doc).
fn check(net: &Net) -> Result<[usize; 2], TestCaseError> {
    let first = net.stores[0].dump().unwrap();
    let mut orders = [0, 0];
    for (i, s) in net.stores.iter().enumerate() {
        prop_assert_eq!(&s.dump().unwrap(), &first, "replica {} differs", i);
        let lost = unreviewed_heads(s);
        prop_assert!(
            lost.is_empty(),
            "replica {}: overwritten without a conflict: {:?}",
            i,
            lost
        );
        let (missing, o) = unflagged_pairs(net, s);
        prop_assert!(
            missing.is_empty(),
            "replica {}: edit vs delete not flagged: {:?}",
            i,
            missing
        );
        let stale = stale_plans(s);
        prop_assert!(
            stale.is_empty(),
            "replica {}: planned visits out of line: {:?}",
            i,
            stale
        );
        orders = o;
    }
    Ok(orders)
}

/// Both clock orders of a concurrent edit and delete, deterministically: an edit made
/// before a delete (by the clock) on a replica that had not seen it, and one made after
/// it by a replica whose clock runs ahead — each flagged on every replica.
#[test]
fn concurrent_edits_and_deletes_are_flagged_in_both_clock_orders() {
    let mut net = Net::new(3);
    let steps = [
        Step::Edit { r: 1, h: 0, v: 0 },
        Step::Skew { r: 0, mins: 10 },
        Step::Delete { r: 0, h: 0 },
        Step::Skew { r: 2, mins: 30 },
        Step::Delete { r: 0, h: 1 },
        Step::Edit { r: 2, h: 1, v: 1 },
        Step::Send { from: 0, to: 1 },
        Step::Send { from: 2, to: 0 },
        Step::Deliver { m: 2 },
        Step::Deliver { m: 3 },
    ];
    for s in &steps {
        net.run(s);
    }
    net.settle();
    let orders = check(&net).unwrap();
    assert_eq!(orders, [1, 1], "one pair in each clock order");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn replicas_converge_and_lose_nothing(
        n in 3..=5usize,
        steps in prop::collection::vec(step(), 10..40),
    ) {
        let mut net = Net::new(n);
        for s in &steps {
            net.run(s);
        }
        net.settle();
        check(&net)?;
        drop(net.dir);
    }
}
