//! Property: after any k actions of every kind and j undos, the leader sees exactly what
//! the first k − j actions showed — each action, with all it derived, is one undo step.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::domain::EntityKind as K;
use crate::domain::checkin::Finding;
use crate::domain::visit::{Completion, NewNeed, Outcome};

/// One user action, on one of three households.
#[derive(Debug, Clone)]
enum Step {
    AddHousehold(usize, bool),
    Tags(usize, bool),
    Delete(usize),
    Restore(usize),
    CompleteVisit(usize, bool),
    Checkin(bool, bool),
    Tick(bool),
    Attest(bool),
    Pair(usize),
    AdvanceNeed,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, any::<bool>()).prop_map(|(h, t)| Step::AddHousehold(h, t)),
        (0..3usize, any::<bool>()).prop_map(|(h, t)| Step::Tags(h, t)),
        (0..3usize).prop_map(Step::Delete),
        (0..3usize).prop_map(Step::Restore),
        (0..3usize, any::<bool>()).prop_map(|(h, n)| Step::CompleteVisit(h, n)),
        (any::<bool>(), any::<bool>()).prop_map(|(p, n)| Step::Checkin(p, n)),
        any::<bool>().prop_map(Step::Tick),
        any::<bool>().prop_map(Step::Attest),
        (0..3usize).prop_map(Step::Pair),
        Just(Step::AdvanceNeed),
    ]
}

fn d(s: &str) -> jiff::civil::Date {
    crate::domain::date::parse_date(s).unwrap()
}

struct Run {
    _dir: tempfile::TempDir,
    s: Store,
    rules: Rules,
    b: String,
    m: String,
    households: [Option<String>; 3],
}

impl Run {
    /// The shared fixture: a building whose one member, the owner, holds every role.
    fn new() -> Run {
        let w = super::tests::world();
        Run {
            _dir: w._dir,
            s: w.s,
            rules: w.rules,
            b: w.b,
            m: w.m,
            households: [None, None, None],
        }
    }

    fn live(&self, h: usize) -> Option<String> {
        let id = self.households[h].clone()?;
        let r = self.s.record(K::Household, &id).ok()??;
        (!r.deleted).then_some(id)
    }

    /// Performs a step; whether it wrote a change.
    fn apply(&mut self, st: &Step) -> bool {
        let t = d("2026-11-28");
        let tags = |on: bool| {
            if on {
                json!(["独居老人"])
            } else {
                json!([])
            }
        };
        let done = match st {
            Step::AddHousehold(h, tagged) if self.households[*h].is_none() => {
                let done = record::create(
                    &mut self.s,
                    &self.rules,
                    t,
                    K::Household,
                    vec![
                        ("building_id".into(), json!(self.b)),
                        ("room".into(), json!(format!("{}01", h + 1))),
                        ("tags".into(), tags(*tagged)),
                    ],
                )
                .unwrap();
                self.households[*h] = done.record.clone();
                done
            }
            Step::Tags(h, on) => match self.live(*h) {
                Some(id) => record::edit(
                    &mut self.s,
                    &self.rules,
                    t,
                    K::Household,
                    &id,
                    vec![("tags".into(), tags(*on))],
                )
                .unwrap(),
                None => return false,
            },
            Step::Delete(h) => match self.live(*h) {
                Some(id) => record::delete(&mut self.s, K::Household, &id).unwrap(),
                None => return false,
            },
            Step::Restore(h) => match &self.households[*h] {
                Some(id) if self.live(*h).is_none() => {
                    record::restore(&mut self.s, K::Household, &id.clone()).unwrap()
                }
                _ => return false,
            },
            Step::CompleteVisit(h, need) => {
                let Some(id) = self.live(*h) else {
                    return false;
                };
                let planned = self
                    .s
                    .visits(&self.b, 0)
                    .unwrap()
                    .into_iter()
                    .find(|v| v.household_id == id && v.status == "planned");
                let Some(v) = planned else {
                    return false;
                };
                let c = Completion {
                    outcome: Outcome::Done,
                    date: t,
                    visitors: vec![self.m.clone()],
                    situation: "情况良好".into(),
                    handling: None,
                    needs: if *need {
                        vec![NewNeed {
                            category: "帮困".into(),
                            description: "想申请助餐".into(),
                        }]
                    } else {
                        Vec::new()
                    },
                    follow_up: None,
                };
                visit::complete(&mut self.s, &self.rules, t, &v.id, &c).unwrap()
            }
            Step::Checkin(problem, need) => {
                let f = if *problem {
                    Finding::Problem("三楼纸箱".into())
                } else {
                    Finding::Ok
                };
                let entry = checkin::Entry {
                    findings: vec![("楼道堆物".into(), f)],
                    note: String::new(),
                    open_needs: if *problem && *need {
                        vec!["楼道堆物".into()]
                    } else {
                        Vec::new()
                    },
                };
                checkin::record(&mut self.s, &self.rules, &self.b, t, &entry).unwrap()
            }
            Step::Tick(on) => {
                let role = &self.rules.duties.roles[0];
                let item = duty::Item {
                    building: self.b.clone(),
                    member: self.m.clone(),
                    role: role.name.clone(),
                    item: role.items[0].clone(),
                    period: self
                        .rules
                        .duties
                        .period_of(&role.name, crate::domain::duty::Month::of(t)),
                };
                duty::set_tick(&mut self.s, &item, on.then_some(t), "").unwrap()
            }
            Step::Attest(met) => {
                let target = self.rules.duties.targets[0].name.clone();
                duty::attest(&mut self.s, &self.b, "2026-11", &target, *met, Value::Null).unwrap()
            }
            Step::Pair(h) => match self.live(*h) {
                Some(id) => {
                    let (b, m) = (self.b.clone(), self.m.clone());
                    record::pair(&mut self.s, t, &b, &m, &id).unwrap()
                }
                None => return false,
            },
            Step::AdvanceNeed => {
                let needs = self.s.needs(&self.b, 0).unwrap();
                let Some(n) = needs.iter().find(|n| n.status == "open") else {
                    return false;
                };
                record::edit(
                    &mut self.s,
                    &self.rules,
                    t,
                    K::Need,
                    &n.id,
                    vec![("status".into(), json!("in_hand"))],
                )
                .unwrap()
            }
            _ => return false,
        };
        done.change.is_some()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn undo_walks_back_through_any_history_of_any_action(
        steps in proptest::collection::vec(step(), 1..14),
        back in 0usize..14,
    ) {
        let mut run = Run::new();
        let mut seen = vec![run.s.live_dump()];
        for st in &steps {
            if run.apply(st) {
                seen.push(run.s.live_dump());
            }
        }
        let back = back.min(seen.len() - 1);
        for _ in 0..back {
            prop_assert!(run.s.undo().unwrap().is_some());
        }
        prop_assert_eq!(run.s.live_dump(), seen[seen.len() - 1 - back].clone());
    }
}
