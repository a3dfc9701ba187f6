//! 演示数据 — a demo building to try louzu on without touching real data, and a generated
//! street (街道) of buildings to measure louzu at the size an office merges.
//!
//! Both are written through the one write path ([`Store::commit`]), so they exercise the
//! same validation, op log and journal a leader's own edits do. Nothing here is random:
//! every choice comes from a small seeded generator, and every date is counted from
//! [`today`], so the demo always has overdue, due-today and upcoming visits.

use jiff::civil::Date;
use serde_json::{Value, json};

use crate::domain::EntityKind as K;
use crate::domain::date::{add_days, format_date, today};
use crate::domain::duty::{self, Month, RoleSet};
use crate::store::{Action, Change, Edit, Store, StoreError};

/// xorshift64*: a few lines, no dependency, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // The state must never be zero; mixing in a constant also spreads small seeds.
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15).max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..hi` (`lo` when the range is empty).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as i64) as usize]
    }
}

/// The records of one change, each new record with its id and `deleted = false` so the
/// store checks its required fields. Records may only refer to records already committed.
struct Batch {
    edits: Vec<Edit>,
    label: String,
}

impl Batch {
    fn new(label: impl Into<String>) -> Batch {
        Batch {
            edits: Vec::new(),
            label: label.into(),
        }
    }

    /// Adds a new record and returns its id. Null, empty text and empty lists are left
    /// unrecorded, as a form leaves a blank field.
    fn add(&mut self, kind: K, fields: Vec<(&str, Value)>) -> String {
        let id = uuid::Uuid::now_v7().to_string();
        self.edits.push(Edit::new(kind, &id, "deleted", false));
        let blank = |v: &Value| match v {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        self.edits.extend(
            fields
                .into_iter()
                .filter(|(_, v)| !blank(v))
                .map(|(f, v)| Edit::new(kind, &id, f, v)),
        );
        id
    }

    fn commit(self, store: &mut Store) -> Result<(), StoreError> {
        if self.edits.is_empty() {
            return Ok(());
        }
        store.commit(Change {
            action: Action::Create,
            edits: self.edits,
            label: self.label,
            undoes: None,
        })?;
        Ok(())
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "夏", "方", "邹",
    "顾", "单", "查", "解", "仇", "区", "盛", "缪", "龚", "钱", "严", "施", "倪", "俞", "邱", "戴",
    "秦", "华", "瞿", "浦",
];
// Given names by generation, as people of each age in Shanghai tend to be named.
const OLD_M: &[&str] = &[
    "建国", "国华", "志明", "德明", "永福", "金根", "根宝", "荣生", "学文", "家栋", "福生", "宝林",
    "伯兴", "正兴", "阿四",
];
const OLD_F: &[&str] = &[
    "秀英", "桂英", "凤英", "玉兰", "美华", "杏娣", "金妹", "彩娣", "月娥", "素珍", "兰芳", "爱珍",
    "小妹", "菊芳", "宝娣",
];
const MID_M: &[&str] = &[
    "建明", "伟", "磊", "志强", "海波", "卫东", "晓东", "俊杰", "国强", "文斌", "振华", "立新",
    "勇", "军", "浩", "一峰",
];
const MID_F: &[&str] = &[
    "丽萍", "静", "文静", "晓燕", "红梅", "丽娟", "慧", "敏", "雪芳", "海燕", "佳", "婷婷", "颖",
    "莉", "春燕",
];
const YOUNG_M: &[&str] = &[
    "子轩", "浩然", "宇航", "梓豪", "一鸣", "俊熙", "思远", "睿", "博文", "子墨", "嘉乐",
];
const YOUNG_F: &[&str] = &[
    "欣怡", "梓涵", "诗涵", "雨桐", "可馨", "一诺", "思彤", "紫萱", "语嫣", "佳怡", "悦",
];
const PHONE_PREFIXES: &[&str] = &[
    "139", "138", "137", "136", "135", "158", "159", "150", "151", "186", "187", "189", "133",
    "180", "177", "199",
];

/// Who lives in a household, which decides its people's ages and its likely tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    AloneElder,
    ElderCouple,
    Couple,
    Family,
    ThreeGen,
    Renters,
    Single,
}

/// A resident before being written.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    gender: &'static str,
    birth_year: i64,
    phone: Option<String>,
}

fn given_name(rng: &mut Rng, gender: &str, birth_year: i64) -> &'static str {
    let male = gender == "男";
    let pool = if birth_year <= 1960 {
        if male { OLD_M } else { OLD_F }
    } else if birth_year <= 1995 {
        if male { MID_M } else { MID_F }
    } else if male {
        YOUNG_M
    } else {
        YOUNG_F
    };
    rng.pick(pool)
}

fn phone(rng: &mut Rng) -> String {
    format!(
        "{}-{:04}-{:04}",
        rng.pick(PHONE_PREFIXES),
        rng.range(0, 10_000),
        rng.range(0, 10_000)
    )
}

/// A person born `age_lo..age_hi` years before `year`; adults may have a phone on record.
fn person(
    rng: &mut Rng,
    surname: &str,
    gender: &'static str,
    year: i64,
    age: (i64, i64),
) -> Person {
    let birth_year = (year - rng.range(age.0, age.1)).max(1900);
    let age = year - birth_year;
    let has_phone = ((18..80).contains(&age) && rng.chance(45)) || (age >= 80 && rng.chance(15));
    Person {
        name: format!("{surname}{}", given_name(rng, gender, birth_year)),
        gender,
        birth_year,
        phone: has_phone.then(|| phone(rng)),
    }
}

fn any_gender(rng: &mut Rng) -> &'static str {
    if rng.chance(50) { "男" } else { "女" }
}

/// The people of one household; `surname` is the family's (the first renter's, for renters).
/// `head` fixes the age of the household's head (the husband, in a couple), so a known person
/// fits in with their family and a household tagged 高龄 is old enough.
fn household_people(
    rng: &mut Rng,
    profile: Profile,
    surname: &str,
    year: i64,
    head: Option<i64>,
) -> Vec<Person> {
    let mut out = Vec::new();
    let other = |rng: &mut Rng| rng.pick(SURNAMES);
    match profile {
        Profile::AloneElder => {
            let g = if rng.chance(70) { "女" } else { "男" };
            let age = head.unwrap_or_else(|| rng.range(76, 94));
            out.push(person(rng, surname, g, year, (age, age + 1)));
        }
        Profile::ElderCouple => {
            let husband = head.unwrap_or_else(|| rng.range(68, 89));
            out.push(person(rng, surname, "男", year, (husband, husband + 1)));
            let (s, wife) = (other(rng), husband - rng.range(0, 6));
            out.push(person(rng, s, "女", year, (wife, wife + 1)));
        }
        Profile::Couple | Profile::Family | Profile::ThreeGen => {
            // Ages hang together: a wife near her husband's age, children born when she
            // was 24–40, the husband's mother 24–34 years older than him.
            let husband = head.unwrap_or_else(|| rng.range(30, 57));
            let wife = husband - rng.range(-2, 6);
            if profile == Profile::ThreeGen {
                let (s, mother) = (other(rng), husband + rng.range(24, 35));
                out.push(person(rng, s, "女", year, (mother, mother + 1)));
            }
            out.push(person(rng, surname, "男", year, (husband, husband + 1)));
            let s = other(rng);
            out.push(person(rng, s, "女", year, (wife, wife + 1)));
            if profile != Profile::Couple {
                let children = if rng.chance(20) { 2 } else { 1 };
                let oldest = (wife - 24).clamp(1, 18);
                let youngest = (wife - 40).clamp(1, oldest);
                for _ in 0..children {
                    let g = any_gender(rng);
                    out.push(person(rng, surname, g, year, (youngest, oldest + 1)));
                }
            }
        }
        Profile::Renters => {
            let n = rng.range(1, 4);
            for i in 0..n {
                let s = if i == 0 { surname } else { other(rng) };
                let g = any_gender(rng);
                out.push(person(rng, s, g, year, (22, 40)));
            }
        }
        Profile::Single => {
            let g = any_gender(rng);
            out.push(person(rng, surname, g, year, (34, 60)));
        }
    }
    out
}

fn resident_fields(building: &str, household: &str, p: &Person) -> Vec<(&'static str, Value)> {
    vec![
        ("building_id", json!(building)),
        ("household_id", json!(household)),
        ("name", json!(p.name)),
        ("gender", json!(p.gender)),
        ("birth_year", json!(p.birth_year)),
        ("phone", json!(p.phone)),
    ]
}

/// `YYYY-MM` of a date: the period duty ticks and attestations are kept by.
fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The last day of the month before `d`'s.
fn end_of_previous_month(d: Date) -> Date {
    add_days(d.first_of_month(), -1)
}

// ---------------------------------------------------------------------------------------
// The demo building

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

use Profile as P;

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
struct Mem {
    name: &'static str,
    gender: &'static str,
    age: i64,
    room: Option<&'static str>,
    category: &'static str,
    home_org: &'static str,
    contact: &'static str,
    report_date: &'static str,
    skills: &'static str,
    show_identity: bool,
    role: &'static str,
    phone: Option<&'static str>,
    duties: &'static [&'static str],
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
const MEMBERS: &[Mem] = &[
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
struct Ids {
    building: String,
    rooms: Vec<(&'static str, String)>,
    members: Vec<String>,
}

impl Ids {
    fn room(&self, room: &str) -> Result<&str, StoreError> {
        self.rooms
            .iter()
            .find(|(r, _)| *r == room)
            .map(|(_, id)| id.as_str())
            .ok_or_else(|| StoreError::NotFound(room.to_string()))
    }

    /// A member by name, from [`MEMBERS`].
    fn member(&self, name: &str) -> Result<&str, StoreError> {
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

fn demo_pairings(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
    let mut b = Batch::new("演示双结对");
    for (member, room, since, note) in [
        ("曾国华", "202", 400, "每周上门一次，帮助办理低保年审"),
        ("查文静", "602", 230, "每周测一次血压，提醒按时服药"),
        (
            "单丽萍",
            "204",
            120,
            "帮助申请康复补贴和助学，联系无障碍改造",
        ),
    ] {
        b.add(
            K::Pairing,
            vec![
                ("building_id", json!(ids.building)),
                ("member_id", json!(ids.member(member)?)),
                ("household_id", json!(ids.room(room)?)),
                ("since", json!(format_date(add_days(t, -since)))),
                ("note", json!(note)),
            ],
        );
    }
    b.commit(store)
}

fn demo_visits(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
    let day = |n: i64| json!(format_date(add_days(t, n)));
    let mut b = Batch::new("演示走访");
    // Completed: (room, days ago, visitors, purpose, situation, handling, follow-up in days).
    type Done<'a> = (
        &'a str,
        i64,
        &'a [&'a str],
        &'a str,
        &'a str,
        &'a str,
        Option<i64>,
    );
    #[rustfmt::skip]
    let done: &[Done] = &[
        ("101", 14, &["查文静", "曾国华"], "独居老人每周探望", "身体尚可，冰箱里食物充足；反映听不到敲门声，建议女儿装门铃", "当场解决", None),
        ("202", 7, &["曾国华"], "结对探望", "低保年审材料已备齐；希望每天有人送午饭", "居委会", Some(7)),
        ("602", 6, &["查文静"], "测血压", "血压 150/90，偏高，已提醒按时服药、少盐", "当场解决", Some(0)),
        ("204", 20, &["单丽萍"], "结对探望", "家长询问残疾儿童康复补贴和助学政策", "支部", Some(14)),
        ("303", 20, &["单丽萍", "黄秀英"], "了解就业情况", "失业半年，想参加再就业培训", "居委会", None),
        ("301", 30, &["陆建明"], "节前慰问", "送慰问品，老两口身体都好", "当场解决", None),
        ("104", 25, &["解晓东"], "租户登记", "登记流动人口信息；提醒电瓶车不得在楼道充电", "当场解决", None),
    ];
    for &(room, ago, visitors, purpose, situation, handling, follow) in done {
        let visitors: Vec<&str> = visitors
            .iter()
            .map(|n| ids.member(n))
            .collect::<Result<_, _>>()?;
        b.add(
            K::Visit,
            vec![
                ("building_id", json!(ids.building)),
                ("household_id", json!(ids.room(room)?)),
                ("due", day(-ago)),
                ("purpose", json!(purpose)),
                ("assigned", json!(visitors)),
                ("status", json!("done")),
                ("done_on", day(-ago)),
                ("visitors", json!(visitors)),
                ("situation", json!(situation)),
                ("handling", json!(handling)),
                ("follow_up", follow.map_or(Value::Null, day)),
            ],
        );
    }
    // Planned: (room, due in days — negative is overdue, assigned, purpose).
    #[rustfmt::skip]
    let planned: &[(&str, i64, &str, &str)] = &[
        ("101", -2, "曾国华", "独居老人每周探望"),
        ("502", -5, "陆建明", "了解老伴护理和取暖需要"),
        ("403", -9, "仇美华", "独居老人每月走访"),
        ("602", 0, "查文静", "测血压"),
        ("103", 0, "陆建明", "纯老家庭例行走访"),
        ("504", 3, "解晓东", "外籍租户居住登记提醒"),
        ("202", 7, "曾国华", "跟进助餐申请"),
        ("204", 14, "单丽萍", "跟进补贴申请"),
        ("303", 21, "黄秀英", "了解培训报名情况"),
    ];
    for &(room, due, member, purpose) in planned {
        b.add(
            K::Visit,
            vec![
                ("building_id", json!(ids.building)),
                ("household_id", json!(ids.room(room)?)),
                ("due", day(due)),
                ("purpose", json!(purpose)),
                ("assigned", json!([ids.member(member)?])),
                ("status", json!("planned")),
            ],
        );
    }
    b.add(
        K::Visit,
        vec![
            ("building_id", json!(ids.building)),
            ("household_id", json!(ids.room("403")?)),
            ("due", day(-16)),
            ("purpose", json!("独居老人每月走访")),
            ("assigned", json!([ids.member("仇美华")?])),
            ("status", json!("missed")),
            ("reason", json!("两次敲门无人，电话得知在女儿家小住")),
        ],
    );
    b.commit(store)
}

fn demo_needs(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
    let day = |n: i64| json!(format_date(add_days(t, n)));
    let mut b = Batch::new("演示民情诉求");
    // (room, category, description, source, owner, status, escalated to, measures,
    //  feedback, raised days ago, closed days ago)
    type Need<'a> = (
        Option<&'a str>,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        i64,
        Option<i64>,
    );
    #[rustfmt::skip]
    let needs: &[Need] = &[
        (None, "设施维修", "三楼楼道灯不亮", "checkin", "陆建明", "fed_back", "物业", "报物业更换灯泡", "已告知三楼住户，灯已修好", 10, Some(8)),
        (Some("502"), "楼道堆物", "502 门口堆放纸板和旧家具", "checkin", "仇美华", "in_hand", "", "已与住户沟通，约定周末一起清理", "", 3, None),
        (Some("202"), "帮困", "孤老申请社区助餐服务", "visit", "曾国华", "escalated", "居委会", "已报居委会老龄干部，等待助餐点排期", "", 7, None),
        (Some("401"), "邻里纠纷", "空调冷凝水滴到楼下 301 阳台", "phone", "黄秀英", "open", "", "", "", 1, None),
        (Some("303"), "政策咨询", "咨询失业登记和再就业培训", "visit", "单丽萍", "resolved", "", "介绍社区就业服务站，陪同办理失业登记", "", 20, Some(15)),
        (None, "治安消防", "一楼门厅有电瓶车飞线充电", "checkin", "解晓东", "open", "", "", "", 0, None),
    ];
    // Every need is raised open, then moved on step by step, one change each, as the
    // leader would have: taken in hand, escalated, resolved, fed back.
    let mut paths = Vec::new();
    for &(room, category, desc, source, owner, status, to, measures, fb, raised, closed) in needs {
        let household = room.map(|r| ids.room(r)).transpose()?;
        let id = b.add(
            K::Need,
            vec![
                ("building_id", json!(ids.building)),
                ("household_id", json!(household)),
                ("category", json!(category)),
                ("description", json!(desc)),
                ("source", json!(source)),
                ("owner", json!(ids.member(owner)?)),
                ("status", json!("open")),
                ("raised_on", day(-raised)),
            ],
        );
        paths.push((id, status, to, measures, fb, closed));
    }
    b.commit(store)?;
    for (id, status, to, measures, fb, closed) in paths {
        if status == "open" {
            continue;
        }
        move_need(
            store,
            &id,
            vec![("status", json!("in_hand")), ("measures", json!(measures))],
        )?;
        if !to.is_empty() {
            move_need(
                store,
                &id,
                vec![("status", json!("escalated")), ("escalated_to", json!(to))],
            )?;
        }
        if matches!(status, "resolved" | "fed_back") {
            move_need(
                store,
                &id,
                vec![
                    ("status", json!("resolved")),
                    ("closed_on", closed.map_or(Value::Null, |c| day(-c))),
                ],
            )?;
        }
        if status == "fed_back" {
            move_need(
                store,
                &id,
                vec![("status", json!("fed_back")), ("feedback", json!(fb))],
            )?;
        }
    }
    Ok(())
}

fn demo_duties(store: &mut Store, ids: &Ids, t: Date, rng: &mut Rng) -> Result<(), StoreError> {
    let set = RoleSet::default_set();
    let mut b = Batch::new("演示六个员分工与打勾");
    let this_month = Month::of(t);
    let mut older = Rng::new(5608);
    for (m, member) in MEMBERS.iter().zip(&ids.members) {
        for &role in m.duties {
            let id = duty::assignment_id(&ids.building, member, role);
            b.edits.extend([
                Edit::new(K::DutyAssignment, &id, "deleted", false),
                Edit::new(K::DutyAssignment, &id, "building_id", ids.building.as_str()),
                Edit::new(K::DutyAssignment, &id, "member_id", member.as_str()),
                Edit::new(K::DutyAssignment, &id, "role", role),
            ]);
            let items = set.role(role).map_or(&[][..], |r| &r.items[..]);
            for item in items {
                // The two months before: nearly everything done, a miss with its reason.
                for back in [2, 1] {
                    let month = this_month.shift(-back);
                    // Two months back draws from its own sequence, so last month's and
                    // this month's ticks stay what the interface tests expect.
                    let r = if back == 2 { &mut older } else { &mut *rng };
                    let missed = (back == 1 && m.name == "解晓东" && item == "劝导飞线充电")
                        || (back == 2 && m.name == "盛志强" && r.chance(50));
                    let on = add_days(month.first_day(), r.range(0, 28));
                    let period = set.period_of(role, month);
                    let key = duty::TickKey {
                        building: &ids.building,
                        member,
                        role,
                        item,
                        period: &period,
                    };
                    let note = match (missed, back) {
                        (true, 1) => "外地探亲半个月",
                        (true, _) => "学校期中考试，下月补上",
                        _ => "",
                    };
                    b.edits
                        .extend(key.edits(!missed, (!missed).then_some(on), note));
                }
                // This month: about half done so far.
                if rng.chance(55) {
                    let on = add_days(this_month.first_day(), rng.range(0, i64::from(t.day())));
                    let period = set.period_of(role, this_month);
                    let key = duty::TickKey {
                        building: &ids.building,
                        member,
                        role,
                        item,
                        period: &period,
                    };
                    b.edits.extend(key.edits(true, Some(on), ""));
                }
            }
        }
    }
    b.commit(store)
}

/// Why last month's 无安全隐患 was not met.
const MISSED_NOTE: &str = "三楼楼道发现飞线充电，已劝导拆除，平安守护员每周复查";

fn demo_attestations(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
    let set = RoleSet::default_set();
    let mut b = Batch::new("演示四个无");
    let last = end_of_previous_month(t);
    let before = end_of_previous_month(last);
    for (month, missed) in [(before, None), (last, Some("无安全隐患"))] {
        for target in &set.targets {
            let met = missed != Some(target.name.as_str());
            let month = month_of(month);
            let id = duty::attestation_id(&ids.building, &month, &target.name);
            let k = K::Attestation;
            b.edits.extend([
                Edit::new(k, &id, "deleted", false),
                Edit::new(k, &id, "building_id", ids.building.as_str()),
                Edit::new(k, &id, "month", month.as_str()),
                Edit::new(k, &id, "target", target.name.as_str()),
                Edit::new(k, &id, "met", met),
            ]);
            if !met {
                b.edits.push(Edit::new(k, &id, "note", MISSED_NOTE));
            }
        }
    }
    b.commit(store)
}

/// A check-in's items: every point of the walk "ok" except the findings given.
fn all_ok(findings: &[(&str, &str)]) -> Value {
    let mut items = serde_json::Map::new();
    for &key in crate::domain::checkin::DEFAULT_ITEMS {
        items.insert(key.into(), json!("ok"));
    }
    for (k, v) in findings {
        items.insert((*k).into(), json!(v));
    }
    Value::Object(items)
}

fn demo_checkins(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
    let mut b = Batch::new("演示巡楼");
    let checks = [
        (
            0,
            all_ok(&[("电瓶车/飞线充电", "problem:一楼门厅电瓶车飞线充电")]),
            "已当场劝导，登记诉求",
        ),
        (
            3,
            all_ok(&[("楼道堆物", "problem:502 门口纸板、旧家具")]),
            "",
        ),
        (6, all_ok(&[]), ""),
        (10, all_ok(&[("照明", "problem:三楼灯坏")]), "已报物业"),
        (13, all_ok(&[]), "楼道新贴了垃圾分类提示"),
        (17, all_ok(&[]), ""),
        (
            24,
            all_ok(&[("消防通道", "problem:车棚前堆放装修垃圾")]),
            "已联系装修户清运",
        ),
        (31, all_ok(&[]), ""),
        (
            38,
            all_ok(&[("安全/陌生人", "problem:有人在楼道发小广告")]),
            "已告知物业门岗",
        ),
        (45, all_ok(&[]), ""),
        (52, all_ok(&[("卫生", "problem:二楼楼梯有积水")]), ""),
    ];
    for (ago, items, note) in checks {
        b.add(
            K::Checkin,
            vec![
                ("building_id", json!(ids.building)),
                ("date", json!(format_date(add_days(t, -ago)))),
                ("items", items),
                ("note", json!(note)),
                ("by_name", json!("曾国华")),
            ],
        );
    }
    b.commit(store)
}

fn demo_activities(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
    let mut b = Batch::new("演示楼组活动");
    // (days ago, place, kind, title, host, absent with reasons, residents, content,
    //  decisions, recorder)
    #[rustfmt::skip]
    type Act<'a> = (i64, &'a str, &'a str, &'a str, &'a str, &'a [(&'a str, &'a str)], i64, &'a str, &'a str, &'a str);
    #[rustfmt::skip]
    let acts: &[Act] = &[
        (40, "新成居民区党员活动室", "学习", "学习党的创新理论·读原文", "曾国华",
         &[("盛志强", "出差"), ("解晓东", "值班")], 0,
         "集中学习，交流体会；介绍本楼组上半年工作", "每月第一个周四晚上集中学习", "单丽萍"),
        (18, "7 号楼各层楼道", "环境整治", "楼道堆物清理日", "仇美华",
         &[("查文静", "医院值班")], 12,
         "清理各层楼道纸箱、旧家具，张贴文明提示", "每月第三个周六为楼道清洁日", "曾国华"),
        (9, "小区议事亭", "议事", "电瓶车充电问题议事会", "曾国华",
         &[("盛志强", "学校开会")], 8,
         "居民反映楼道飞线充电隐患，物业列席说明车棚改造计划",
         "向物业申请在车棚加装充电桩；此前楼道禁止充电，由平安守护员每周巡查", "单丽萍"),
        (3, "7 号楼底楼门厅", "志愿服务", "为老人测血压、理发", "查文静",
         &[("单丽萍", "单位加班"), ("解晓东", "送件")], 15,
         "为 15 位老人测血压，理发 6 人；登记 2 户需要上门服务", "上门服务由帮困服务员排进下月走访", "仇美华"),
    ];
    for &(ago, place, kind, title, host, absent, residents, content, decisions, recorder) in acts {
        let absent_ids: Vec<&str> = absent
            .iter()
            .map(|(n, _)| ids.member(n))
            .collect::<Result<_, _>>()?;
        let present: Vec<&String> = ids
            .members
            .iter()
            .filter(|id| !absent_ids.contains(&id.as_str()))
            .collect();
        let absent_json: Vec<Value> = absent
            .iter()
            .zip(&absent_ids)
            .map(|((_, reason), id)| json!({"member": id, "reason": reason}))
            .collect();
        b.add(
            K::Activity,
            vec![
                ("building_id", json!(ids.building)),
                ("date", json!(format_date(add_days(t, -ago)))),
                ("place", json!(place)),
                ("kind", json!(kind)),
                ("title", json!(title)),
                ("host", json!(host)),
                ("present", json!(present)),
                ("absent", json!(absent_json)),
                ("residents_count", json!(residents)),
                ("content", json!(content)),
                ("decisions", json!(decisions)),
                ("recorder", json!(recorder)),
            ],
        );
    }
    b.commit(store)
}

// ---------------------------------------------------------------------------------------
// A street of buildings, for benchmarks

#[rustfmt::skip]
const ROADS: &[&str] = &[
    "新成路", "塔城路", "清河路", "博乐路", "城中路", "沪宜公路", "叶城路", "温宿路", "迎园路", "金沙路",
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

/// Moves a need on (status and what goes with it) through the same use case as the
/// needs pane, so the demo's needs follow the rules a leader's would.
fn move_need(store: &mut Store, id: &str, fields: Vec<(&str, Value)>) -> Result<(), StoreError> {
    crate::usecase::record::edit(
        store,
        &crate::usecase::Rules::default(),
        today(),
        K::Need,
        id,
        fields
            .into_iter()
            .map(|(f, v)| (f.to_string(), v))
            .collect(),
    )
    .map(|_| ())
}
