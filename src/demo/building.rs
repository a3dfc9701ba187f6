//! The demo building (新成路 56 弄 7 号楼): its homes, members and several weeks of
//! history, so every pane and report has real content.

use serde_json::json;

use super::Profile as P;
use super::history::*;
use super::*;
use crate::domain::EntityKind as K;
use crate::store::{Store, StoreError};

/// One household of the demo building.
struct Home {
    room: &'static str,
    profile: Profile,
    surname: &'static str,
    tags: &'static [&'static str],
    note: &'static str,
}

const fn home(
    room: &'static str,
    profile: Profile,
    surname: &'static str,
    tags: &'static [&'static str],
    note: &'static str,
) -> Home {
    Home {
        room,
        profile,
        surname,
        tags,
        note,
    }
}

#[rustfmt::skip]
const HOMES: &[Home] = &[
    home("101", P::AloneElder, "周", &["独居老人", "高龄"], "听力不好，敲门要用力；女儿住宝山，每周来一次"),
    home("102", P::Family, "王", &[], ""),
    home("103", P::ElderCouple, "陆", &["纯老"], ""),
    home("104", P::Renters, "马", &["租户", "流动人口"], "房东住闵行，联系方式在居委会"),
    home("201", P::Family, "朱", &[], ""),
    home("202", P::AloneElder, "钱", &["孤老", "低保"], "无子女；低保每年 3 月年审"),
    home("203", P::ThreeGen, "徐", &[], ""),
    home("204", P::Family, "蔡", &["残疾"], "孩子肢体残疾，轮椅出行，楼道务必通畅"),
    home("301", P::ElderCouple, "曾", &[], "退役军人家庭"),
    home("302", P::Couple, "郑", &[], ""),
    home("303", P::Single, "黄", &["失业", "低收入"], ""),
    home("304", P::Renters, "解", &["租户"], "合租"),
    home("401", P::ThreeGen, "顾", &["养犬"], ""),
    home("402", P::Family, "姚", &[], ""),
    home("403", P::AloneElder, "吴", &["独居老人", "爱养花"], "阳台花盆多，注意高空坠物"),
    home("404", P::Couple, "戴", &[], ""),
    home("501", P::Couple, "单", &[], ""),
    home("502", P::ElderCouple, "许", &["高龄", "困难"], "老伴卧床，行动不便"),
    home("503", P::Family, "沈", &[], ""),
    home("504", P::Renters, "金", &["租户", "外籍"], "韩国籍，会说简单中文"),
    home("601", P::ElderCouple, "蒋", &["新搬入"], "去年底搬入"),
    home("602", P::AloneElder, "俞", &["独居老人", "高龄", "残疾"], "视力残疾二级"),
    home("603", P::Family, "曹", &[], ""),
    home("604", P::Couple, "区", &[], ""),
];

/// One party member of the demo building.
pub(super) struct Mem {
    pub(super) name: &'static str,
    pub(super) gender: &'static str,
    pub(super) age: i64,
    pub(super) room: Option<&'static str>,
    pub(super) category: &'static str,
    pub(super) home_org: &'static str,
    pub(super) contact: &'static str,
    pub(super) report_date: &'static str,
    pub(super) skills: &'static str,
    pub(super) show_identity: bool,
    pub(super) role: &'static str,
    pub(super) phone: Option<&'static str>,
    pub(super) duties: &'static [&'static str],
}

/// A member row: name, sex, age, room, category, group role, 亮身份, phone, then home
/// organisation, its contact, 报到 date, skills, 六个员 roles.
#[allow(clippy::too_many_arguments)]
const fn mem(
    name: &'static str,
    gender: &'static str,
    age: i64,
    room: Option<&'static str>,
    category: &'static str,
    role: &'static str,
    show_identity: bool,
    phone: Option<&'static str>,
    home_org: &'static str,
    contact: &'static str,
    report_date: &'static str,
    skills: &'static str,
    duties: &'static [&'static str],
) -> Mem {
    Mem {
        name,
        gender,
        age,
        room,
        category,
        home_org,
        contact,
        report_date,
        skills,
        show_identity,
        role,
        phone,
        duties,
    }
}

#[rustfmt::skip]
pub(super) const MEMBERS: &[Mem] = &[
    mem("曾国华", "男", 72, Some("301"), "离退休党员", "组长", true, Some("139-1234-5678"),
        "新成居民区第三党支部", "", "2004-03-15", "熟悉邻里情况，会写材料", &["政策宣传员", "民情信息员"]),
    mem("单丽萍", "女", 45, Some("402"), "在职党员", "副组长", true, Some("138-1761-2093"),
        "嘉定区税务局", "机关党委 孙老师 021-5999-2301", "2012-06-20", "税务、社保政策咨询", &["政策宣传员"]),
    mem("陆建明", "男", 69, Some("103"), "离退休党员", "组员", true, None,
        "新成居民区第三党支部", "", "2006-09-01", "水电维修", &["平安守护员"]),
    mem("查文静", "女", 39, Some("503"), "在职党员", "组员", true, Some("136-2188-4410"),
        "嘉定区中心医院党委", "党办 王老师 021-6999-1234", "2018-04-10", "护理，测血压", &["帮困服务员"]),
    mem("解晓东", "男", 33, Some("304"), "流动党员", "组员", false, Some("151-2101-3367"),
        "安徽省六安市裕安区固镇镇党委", "镇组织办 李老师 0564-333-8021", "2023-03-05", "快递配送，力气活", &["平安守护员"]),
    mem("仇美华", "女", 63, Some("601"), "社区党员", "组员", true, Some("021-5953-2217"),
        "新成居民区党总支", "", "2024-12-20", "文艺，组织活动", &["文明倡导员"]),
    mem("盛志强", "男", 48, None, "在职党员", "组员", false, None,
        "嘉定区第一中学党总支", "党总支 周老师 021-5953-0088", "2015-09-12", "辅导功课", &["文明倡导员", "矛盾调解员"]),
    mem("黄秀英", "女", 53, Some("303"), "下岗(失业)党员", "组员", true, None,
        "新成居民区第三党支部", "", "2010-05-18", "调解邻里纠纷", &["矛盾调解员", "帮困服务员"]),
];

/// Ids the demo's later records refer to.
pub(super) struct Ids {
    pub(super) building: String,
    pub(super) rooms: Vec<(&'static str, String)>,
    pub(super) members: Vec<String>,
}

impl Ids {
    pub(super) fn room(&self, room: &str) -> Result<&str, StoreError> {
        self.rooms
            .iter()
            .find(|(r, _)| *r == room)
            .map(|(_, id)| id.as_str())
            .ok_or_else(|| StoreError::NotFound(room.to_string()))
    }

    /// A member by name, from [`MEMBERS`].
    pub(super) fn member(&self, name: &str) -> Result<&str, StoreError> {
        MEMBERS
            .iter()
            .position(|m| m.name == name)
            .and_then(|i| self.members.get(i))
            .map(String::as_str)
            .ok_or_else(|| StoreError::NotFound(name.to_string()))
    }
}

/// Writes the demo building 新成路 56 弄 7 号楼 — 24 households on six floors, their
/// residents, a party group of eight with every kind of record a leader keeps — so a new
/// user (or a screenshot, or a test) sees louzu with realistic, lived-in data. Dates are
/// counted from [`today`], so there is always something overdue and something coming.
/// Returns the building's id.
pub fn write_demo(store: &mut Store) -> Result<String, StoreError> {
    let t = today();
    let year = i64::from(t.year());
    let mut rng = Rng::new(5607);

    let mut b = Batch::new("演示楼组 新成路 56 弄 7 号楼");
    let building = b.add(
        K::Building,
        vec![
            ("name", json!("新成路 56 弄 7 号楼")),
            ("address", json!("嘉定区新成路 56 弄 7 号")),
            ("neighbourhood", json!("新成居民区")),
            ("compound", json!("新成小区")),
        ],
    );
    b.commit(store)?;

    let mut b = Batch::new(format!("演示住户 {} 户", HOMES.len()));
    let rooms: Vec<(&str, String)> = HOMES
        .iter()
        .map(|h| {
            let id = b.add(
                K::Household,
                vec![
                    ("building_id", json!(building)),
                    ("room", json!(h.room)),
                    ("tags", json!(h.tags)),
                    ("note", json!(h.note)),
                ],
            );
            (h.room, id)
        })
        .collect();
    b.commit(store)?;
    let mut ids = Ids {
        building,
        rooms,
        members: Vec::new(),
    };

    let mut b = Batch::new("演示居民与党员");
    for h in HOMES {
        let member = MEMBERS.iter().find(|m| m.room == Some(h.room));
        let head = match member {
            Some(m) if m.gender == "男" => Some(m.age),
            Some(m) => Some(m.age + 2),
            None if h.tags.contains(&"高龄") => Some(rng.range(81, 93)),
            None => None,
        };
        let mut people = household_people(&mut rng, h.profile, h.surname, year, head);
        if let Some(m) = member {
            // The member is one of the household's residents: take the place of the
            // adult of the same sex (the only resident, for one-person homes).
            let slot = people
                .iter()
                .position(|p| p.gender == m.gender && year - p.birth_year >= 18)
                .unwrap_or(0);
            if let Some(p) = people.get_mut(slot) {
                *p = Person {
                    name: m.name.to_string(),
                    gender: m.gender,
                    birth_year: year - m.age,
                    phone: m.phone.map(str::to_string),
                };
            }
        }
        let hid = ids.room(h.room)?.to_string();
        for p in &people {
            b.add(K::Resident, resident_fields(&ids.building, &hid, p));
        }
    }
    for m in MEMBERS {
        let household = m.room.map(|r| ids.room(r)).transpose()?;
        let id = b.add(
            K::Member,
            vec![
                ("building_id", json!(ids.building)),
                ("household_id", json!(household)),
                ("name", json!(m.name)),
                ("category", json!(m.category)),
                ("home_org", json!(m.home_org)),
                ("home_org_contact", json!(m.contact)),
                ("report_date", json!(m.report_date)),
                ("skills", json!(m.skills)),
                ("show_identity", json!(m.show_identity)),
                ("contact_public", json!(m.role != "组员")),
                ("group_role", json!(m.role)),
                ("phone", json!(m.phone)),
            ],
        );
        ids.members.push(id);
    }
    b.commit(store)?;

    demo_pairings(store, &ids, t)?;
    demo_visits(store, &ids, t)?;
    demo_needs(store, &ids, t)?;
    demo_duties(store, &ids, t, &mut rng)?;
    demo_attestations(store, &ids, t)?;
    demo_checkins(store, &ids, t)?;
    demo_activities(store, &ids, t)?;
    Ok(ids.building)
}
