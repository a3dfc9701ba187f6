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
use crate::domain::date::{add_days, today};
use crate::store::{Action, Change, Edit, Store, StoreError};

mod building;
mod history;
mod street;

pub use building::write_demo;
pub use history::move_need;
pub use street::{write_street, write_street_duties, write_street_visits};

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
