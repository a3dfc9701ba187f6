//! The demo building's history: pairings, visits done and overdue, needs moving through
//! their states, ticks across months, attestations, check-ins and activities, all dated
//! from today so every pane and report has something to show.

use jiff::civil::Date;
use serde_json::{Value, json};

use super::building::{Ids, MEMBERS};
use super::*;
use crate::domain::EntityKind as K;
use crate::domain::date::{add_days, format_date};
use crate::domain::duty::{self, Month, RoleSet};
use crate::store::{Edit, Store, StoreError};

pub(super) fn demo_pairings(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
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

pub(super) fn demo_visits(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
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

pub(super) fn demo_needs(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
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

pub(super) fn demo_duties(
    store: &mut Store,
    ids: &Ids,
    t: Date,
    rng: &mut Rng,
) -> Result<(), StoreError> {
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
pub(super) const MISSED_NOTE: &str = "三楼楼道发现飞线充电，已劝导拆除，平安守护员每周复查";

pub(super) fn demo_attestations(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
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
pub(super) fn all_ok(findings: &[(&str, &str)]) -> Value {
    let mut items = serde_json::Map::new();
    for &key in crate::domain::checkin::DEFAULT_ITEMS {
        items.insert(key.into(), json!("ok"));
    }
    for (k, v) in findings {
        items.insert((*k).into(), json!(v));
    }
    Value::Object(items)
}

pub(super) fn demo_checkins(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
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

pub(super) fn demo_activities(store: &mut Store, ids: &Ids, t: Date) -> Result<(), StoreError> {
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

/// Moves a need on (status and what goes with it) through the same use case as the
/// needs pane, so the demo's needs follow the rules a leader's would.
pub fn move_need(
    store: &mut Store,
    id: &str,
    fields: Vec<(&str, Value)>,
) -> Result<(), StoreError> {
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
