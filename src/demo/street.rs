//! A generated street (街道) of buildings, the size an office merges: for the benches,
//! `louzu demo --street N` and tests at scale.

use serde_json::json;

use super::Profile as P;
use super::*;
use crate::domain::EntityKind as K;
use crate::domain::date::{add_days, format_date};
use crate::domain::duty::{self, Month, RoleSet};
use crate::store::{Action, Change, Edit, Store, StoreError};

const ROADS: &[&str] = &[
    "新成路",
    "塔城路",
    "清河路",
    "博乐路",
    "城中路",
    "沪宜公路",
    "叶城路",
    "温宿路",
    "迎园路",
    "金沙路",
];
const NEIGHBOURHOODS: &[&str] = &[
    "新成", "迎园", "桃园", "金沙", "丽景", "梅园", "复华", "清河", "塔城", "嘉翔", "白银", "桃李",
    "启良", "众众", "银杏", "金鹤", "蓝天", "盛华", "福蕴", "嘉宝", "李园", "陆家", "清水", "方泰",
    "大众",
];
#[rustfmt::skip]
const WORK_ORGS: &[&str] = &[
    "嘉定区税务局", "嘉定区中心医院党委", "嘉定区第一中学党总支", "嘉定区城管执法局",
    "新成路街道办事处机关党委", "嘉定区人民法院", "嘉定区规划资源局", "嘉定工业区管委会",
];
#[rustfmt::skip]
const HOME_TOWNS: &[&str] = &[
    "安徽省六安市裕安区固镇镇党委", "江苏省盐城市阜宁县益林镇党委",
    "河南省信阳市光山县砖桥镇党委", "江西省上饶市鄱阳县饶丰镇党委",
];
/// Household mix of an ordinary old compound: (profile, weight out of 100).
#[rustfmt::skip]
const MIX: &[(Profile, u64)] = &[
    (P::AloneElder, 9), (P::ElderCouple, 18), (P::Couple, 14), (P::Family, 30), (P::ThreeGen, 13),
    (P::Renters, 11), (P::Single, 5),
];

fn pick_profile(rng: &mut Rng) -> Profile {
    let mut roll = rng.range(0, 100) as u64;
    for &(p, w) in MIX {
        if roll < w {
            return p;
        }
        roll -= w;
    }
    P::Family
}

/// Tags a household of this make-up plausibly carries: about a third carry any.
fn street_tags(rng: &mut Rng, profile: Profile, people: &[Person], year: i64) -> Vec<&'static str> {
    let oldest = people
        .iter()
        .map(|p| year - p.birth_year)
        .max()
        .unwrap_or(0);
    let mut tags = Vec::new();
    let mut maybe = |rng: &mut Rng, pct: u64, tag: &'static str| {
        if rng.chance(pct) {
            tags.push(tag);
        }
    };
    match profile {
        P::AloneElder => {
            maybe(rng, 100, "独居老人");
            maybe(rng, 10, "孤老");
            maybe(rng, 10, "低保");
        }
        P::ElderCouple => {
            maybe(rng, 40, "纯老");
            maybe(rng, 5, "困难");
        }
        P::Couple | P::Family | P::ThreeGen => {
            maybe(rng, 4, "残疾");
            maybe(rng, 3, "低保");
            maybe(rng, 2, "低收入");
        }
        P::Renters => {
            maybe(rng, 100, "租户");
            maybe(rng, 50, "流动人口");
            maybe(rng, 3, "外籍");
        }
        P::Single => {
            maybe(rng, 25, "失业");
            maybe(rng, 15, "低收入");
        }
    }
    if oldest >= 80 && matches!(profile, P::AloneElder | P::ElderCouple) {
        tags.push("高龄");
    }
    tags
}

/// Writes `buildings` generated buildings of 30 households each (about 75 residents and
/// 2–3 members per building), so benchmarks and the office's merge views can be measured
/// at street scale — 2,000 buildings is a whole 街道 (≈60,000 households, ≈150,000
/// residents). Every record goes through the one write path, three changes per building
/// (the building, its households, then its residents and members: a record may only refer
/// to one already committed). The same `seed` gives the same street. Returns the building
/// ids in order.
pub fn write_street(
    store: &mut Store,
    buildings: usize,
    seed: u64,
) -> Result<Vec<String>, StoreError> {
    let year = i64::from(today().year());
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(buildings);
    for i in 0..buildings {
        out.push(street_building(store, &mut rng, i, year)?);
    }
    Ok(out)
}

fn street_building(
    store: &mut Store,
    rng: &mut Rng,
    i: usize,
    year: i64,
) -> Result<String, StoreError> {
    // 40 buildings to a compound (one lane of one road), 80 to a neighbourhood.
    let compound = i / 40;
    let road = ROADS[compound % ROADS.len()];
    let lane = 5 + 12 * (compound / ROADS.len());
    let hood = NEIGHBOURHOODS[(i / 80) % NEIGHBOURHOODS.len()];
    let round = i / 80 / NEIGHBOURHOODS.len();
    let hood = if round == 0 {
        format!("{hood}居民区")
    } else {
        format!("{hood}{}居民区", round + 1)
    };
    let name = format!("{road} {lane} 弄 {} 号楼", i % 40 + 1);

    let mut b = Batch::new(name.clone());
    let building = b.add(
        K::Building,
        vec![
            ("name", json!(name)),
            (
                "address",
                json!(format!("嘉定区{road} {lane} 弄 {} 号", i % 40 + 1)),
            ),
            ("neighbourhood", json!(hood)),
            ("compound", json!(format!("{road}{lane}弄小区"))),
        ],
    );
    b.commit(store)?;

    let mut homes = Vec::with_capacity(30);
    let mut b = Batch::new(format!("{name} 住户"));
    for floor in 1..=6 {
        for n in 1..=5 {
            let profile = pick_profile(rng);
            let surname = rng.pick(SURNAMES);
            let people = household_people(rng, profile, surname, year, None);
            let tags = street_tags(rng, profile, &people, year);
            let id = b.add(
                K::Household,
                vec![
                    ("building_id", json!(building)),
                    ("room", json!(format!("{floor}{n:02}"))),
                    ("tags", json!(tags)),
                ],
            );
            homes.push((id, people));
        }
    }
    b.commit(store)?;

    let mut b = Batch::new(format!("{name} 居民与党员"));
    for (hid, people) in &homes {
        for p in people {
            b.add(K::Resident, resident_fields(&building, hid, p));
        }
    }
    // 2–3 members, in different households (stepping by 11 of 30 never repeats).
    let members = rng.range(2, 4) as usize;
    let start = rng.range(0, homes.len() as i64) as usize;
    for k in 0..members {
        let (hid, people) = &homes[(start + 11 * k) % homes.len()];
        let Some(p) = people.iter().find(|p| year - p.birth_year >= 20) else {
            continue;
        };
        let age = year - p.birth_year;
        let roll = rng.range(0, 100);
        let (category, org) = if age >= 60 && roll < 85 {
            ("离退休党员", format!("{hood}第一党支部"))
        } else if roll < 70 {
            ("在职党员", rng.pick(WORK_ORGS).to_string())
        } else if roll < 85 {
            ("流动党员", rng.pick(HOME_TOWNS).to_string())
        } else if roll < 93 {
            ("社区党员", format!("{hood}党总支"))
        } else {
            ("下岗(失业)党员", format!("{hood}第一党支部"))
        };
        let role = ["组长", "副组长", "组员"][k.min(2)];
        b.add(
            K::Member,
            vec![
                ("building_id", json!(building)),
                ("household_id", json!(hid)),
                ("name", json!(p.name)),
                ("category", json!(category)),
                ("home_org", json!(org)),
                (
                    "report_date",
                    json!(format!("{}-03-01", year - rng.range(1, 20))),
                ),
                ("show_identity", json!(rng.chance(70))),
                ("group_role", json!(role)),
                ("phone", json!(p.phone)),
            ],
        );
    }
    b.commit(store)?;
    Ok(building)
}

/// Adds `per_household` visits to every household of the given buildings — all but the
/// last completed in the past months, the last planned around today — so the visits pane
/// and monthly report can be measured on a street with history. One change per building.
/// Returns how many visits were written.
pub fn write_street_visits(
    store: &mut Store,
    buildings: &[String],
    per_household: usize,
    seed: u64,
) -> Result<usize, StoreError> {
    let t = today();
    let mut rng = Rng::new(seed);
    let mut written = 0;
    for building in buildings {
        let households = store.records(K::Household, Some(building), false)?;
        let members: Vec<String> = store
            .records(K::Member, Some(building), false)?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut b = Batch::new("走访计划");
        for h in &households {
            for k in 0..per_household {
                let assigned: Vec<&String> = if members.is_empty() {
                    Vec::new()
                } else {
                    vec![&members[rng.range(0, members.len() as i64) as usize]]
                };
                let mut fields = vec![
                    ("building_id", json!(building)),
                    ("household_id", json!(h.id)),
                    ("assigned", json!(assigned)),
                ];
                if k + 1 < per_household {
                    let back = (per_household - 1 - k) as i64 * 30;
                    let on = format_date(add_days(t, -back - rng.range(0, 20)));
                    fields.extend([
                        ("due", json!(on)),
                        ("status", json!("done")),
                        ("done_on", json!(on)),
                        ("visitors", json!(assigned)),
                        ("situation", json!("情况正常")),
                        ("handling", json!("当场解决")),
                    ]);
                } else {
                    fields.extend([
                        ("due", json!(format_date(add_days(t, rng.range(-10, 30))))),
                        ("status", json!("planned")),
                        ("purpose", json!("例行走访")),
                    ]);
                }
                b.add(K::Visit, fields);
                written += 1;
            }
        }
        b.commit(store)?;
    }
    Ok(written)
}

/// Adds a year-like history of 六个员 work to the given buildings, as a leader would have
/// made it: each member takes one or two roles, then for each of the last `months` months
/// ticks their items one change at a time (most of them), the building attests 四个无, and
/// the group holds one activity. So the log and the duties pane can be measured against a
/// journal with many entries per building. Returns how many changes were written.
pub fn write_street_duties(
    store: &mut Store,
    buildings: &[String],
    months: i32,
    seed: u64,
) -> Result<usize, StoreError> {
    let set = RoleSet::default_set();
    let t = today();
    let now = Month::of(t);
    let mut rng = Rng::new(seed);
    let mut changes = 0;
    for building in buildings {
        let members: Vec<String> = store
            .records(K::Member, Some(building), false)?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut b = Batch::new("六个员分工");
        let mut held: Vec<(String, String)> = Vec::new();
        for (k, m) in members.iter().enumerate() {
            for r in [k * 2 % set.roles.len(), (k * 2 + 1) % set.roles.len()] {
                let role = set.roles[r].name.clone();
                let id = duty::assignment_id(building, m, &role);
                b.edits.extend([
                    Edit::new(K::DutyAssignment, &id, "deleted", false),
                    Edit::new(K::DutyAssignment, &id, "building_id", building.as_str()),
                    Edit::new(K::DutyAssignment, &id, "member_id", m.as_str()),
                    Edit::new(K::DutyAssignment, &id, "role", role.as_str()),
                ]);
                held.push((m.clone(), role));
            }
        }
        b.commit(store)?;
        changes += 1;
        for back in (0..months).rev() {
            let month = now.shift(-back);
            for (m, role) in &held {
                let items = set.role(role).map_or(&[][..], |r| &r.items[..]);
                for item in items {
                    if !rng.chance(80) {
                        continue;
                    }
                    let on = add_days(month.first_day(), rng.range(0, 27));
                    let period = set.period_of(role, month);
                    let key = duty::TickKey {
                        building,
                        member: m,
                        role,
                        item,
                        period: &period,
                    };
                    store.commit(Change {
                        action: Action::Create,
                        edits: key.edits(true, Some(on), ""),
                        label: item.clone(),
                        undoes: None,
                    })?;
                    changes += 1;
                }
            }
            let mut b = Batch::new("楼组活动");
            b.add(
                K::Activity,
                vec![
                    ("building_id", json!(building)),
                    ("date", json!(format_date(add_days(month.first_day(), 10)))),
                    (
                        "kind",
                        json!(rng.pick(crate::domain::entity::ACTIVITY_KINDS)),
                    ),
                    ("title", json!("楼组月度活动")),
                    ("present", json!(members)),
                    ("residents_count", json!(rng.range(3, 20))),
                    ("content", json!("学习、议事，听取居民意见")),
                ],
            );
            b.commit(store)?;
            changes += 1;
        }
    }
    Ok(changes)
}
