//! Property: replicas that exchange bundles in any order — with duplicates, reordering,
//! bundles dropped then delivered late, and databases restored from older backups of
//! themselves — end identical, and every value overwritten by a concurrent edit is
//! findable in the conflicts list.

use std::path::Path;

use proptest::prelude::*;
use serde_json::json;

use louzu::domain::EntityKind as K;
use louzu::store::Store;
use louzu::sync::conflicts::{self, Resolution};
use louzu::sync::export::{ExportOptions, build};
use louzu::sync::import::{ImportOptions, import_bytes};
use louzu::sync::{Identity, SyncError, trust};

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
    ]
}

struct Net {
    dir: tempfile::TempDir,
    stores: Vec<Store>,
    mail: Vec<(usize, Vec<u8>)>,
    households: Vec<String>,
    counter: u32,
    backups: Vec<bool>,
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
        import_bytes(
            &mut self.stores[*to],
            Path::new("mail.louzu"),
            bytes,
            &ImportOptions::default(),
        )
        .map(drop)
    }

    fn run(&mut self, s: &Step) {
        let n = self.stores.len();
        match *s {
            Step::Edit { r, h, v } => {
                self.counter += 1;
                let value = format!("v{v}-{}-{r}", self.counter);
                let id = self.households[h].clone();
                let field = if v % 2 == 0 { "note" } else { "tags" };
                let val = if field == "tags" {
                    json!([value])
                } else {
                    json!(value)
                };
                self.stores[r % n]
                    .update(K::Household, &id, vec![(field, val)])
                    .unwrap();
            }
            Step::Delete { r, h } => {
                let id = self.households[h].clone();
                self.stores[r % n].delete(K::Household, &id).unwrap();
            }
            Step::Restore { r, h } => {
                let id = self.households[h].clone();
                self.stores[r % n].restore(K::Household, &id).unwrap();
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
                    conflicts::resolve(store, &c.id, how).unwrap();
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
/// "heads". All but the visible one must be in the conflicts table.
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
        let first = net.stores[0].dump().unwrap();
        for (i, s) in net.stores.iter().enumerate() {
            prop_assert_eq!(&s.dump().unwrap(), &first, "replica {} differs", i);
            let lost = unreviewed_heads(s);
            prop_assert!(lost.is_empty(), "replica {}: overwritten without a conflict: {:?}", i, lost);
        }
        drop(net.dir);
    }
}
