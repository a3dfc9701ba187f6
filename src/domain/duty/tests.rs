use super::*;

fn d(s: &str) -> Date {
    crate::domain::date::parse_date(s).unwrap()
}

#[test]
fn the_default_set_has_six_roles_and_four_targets() {
    let set = RoleSet::default_set();
    let names: Vec<&str> = set.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "政策宣传员",
            "民情信息员",
            "矛盾调解员",
            "文明倡导员",
            "帮困服务员",
            "平安守护员"
        ]
    );
    assert!(
        set.roles
            .iter()
            .all(|r| r.period == PeriodKind::Month && r.items.len() >= 2)
    );
    let targets: Vec<&str> = set.targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        targets,
        ["无治安刑事案件", "无矛盾激化", "无安全隐患", "无违章搭建"]
    );
    let hazards = &set.targets[2];
    assert!(hazards.needs.contains(&"治安消防".to_string()));
    assert!(hazards.needs.contains(&"楼道堆物".to_string()));
    assert_eq!(
        set.role_label("民情信息员", Lang::En),
        "Residents' needs & information"
    );
    assert_eq!(
        set.target_label("无违章搭建", Lang::En),
        "No illegal structures"
    );
    assert_eq!(
        set.item_label("平安守护员", "检查消防通道与楼道堆物", Lang::En),
        "Check fire exits and stairwell clutter"
    );
    assert_eq!(
        set.item_label("平安守护员", "已不在清单的事项", Lang::En),
        "已不在清单的事项",
        "an item the set no longer has is shown as it was ticked"
    );
    assert!(
        set.roles.iter().all(|r| r.items_en.len() == r.items.len()),
        "every default item has its English"
    );
    assert_eq!(set.target_label("无违章搭建", Lang::Zh), "无违章搭建");
    let held = ["政策宣传员".to_string(), "自定员".to_string()];
    assert_eq!(
        set.roles_label(&held, Lang::En),
        "Policy explainer, 自定员",
        "a role the set does not know keeps the name the leader gave it"
    );
    assert_eq!(set.roles_label(&held, Lang::Zh), "政策宣传员、自定员");
}

#[test]
fn a_broken_set_says_which_line_and_why() {
    let err = RoleSet::parse("[[roles]]\nname = \"宣传员\"\nitems = \"not a list\"\n").unwrap_err();
    assert_eq!(err.line, 3, "{err:?}");
    let err = RoleSet::parse("[[roles]]\nname = \"宣传员\"\nitems = []\n").unwrap_err();
    assert!(err.zh.contains("没有清单事项"), "{err:?}");
    let err = RoleSet::parse(
        "[[roles]]\nname = \"甲\"\nitems = [\"a\"]\n[[roles]]\nname = \"甲\"\nitems = [\"b\"]\n",
    )
    .unwrap_err();
    assert!(
        err.zh.contains("重复") && err.en.contains("twice"),
        "{err:?}"
    );
    let err = RoleSet::parse(
        "[[roles]]\nname = \"甲\"\nitems = [\"a\"]\n\n[[auto]]\nevent = \"visit_done\"\nrole = \"甲\"\nitem = \"b\"\n",
    )
    .unwrap_err();
    assert_eq!(err.line, 8, "{err:?}");
    assert!(RoleSet::parse("roles = []").is_err());
    // Fewer (or more) roles than six is fine: the set is the office's to decide.
    let two = RoleSet::parse(
        "[[roles]]\nname = \"甲\"\nitems = [\"a\"]\nperiod = \"quarter\"\n[[roles]]\nname = \"乙\"\nitems = [\"b\"]\n",
    )
    .unwrap();
    assert_eq!(two.roles.len(), 2);
    assert!(two.targets.is_empty());
    let err =
        RoleSet::parse("[[roles]]\nname = \"甲\"\nitems = [\"a\", \"b\"]\nitems_en = [\"A\"]\n")
            .unwrap_err();
    assert_eq!(err.line, 4, "{err:?}");
    assert!(err.en.contains("2 items but items_en has 1"), "{err:?}");
}

#[test]
fn months_shift_across_years_and_periods_contain_them() {
    let nov = Month::parse("2026-11").unwrap();
    assert_eq!(nov.shift(2).to_string(), "2027-01");
    assert_eq!(nov.shift(-11).to_string(), "2025-12");
    assert_eq!(nov.shift(-23).to_string(), "2024-12");
    assert_eq!(
        Month::parse("2026-01").unwrap().shift(-1).to_string(),
        "2025-12"
    );
    assert_eq!(PeriodKind::Month.of(nov), "2026-11");
    assert_eq!(PeriodKind::Quarter.of(nov), "2026-Q4");
    assert_eq!(PeriodKind::Quarter.of(Month::new(2026, 3)), "2026-Q1");
    assert_eq!(PeriodKind::Year.of(nov), "2026");
    let (a, b) = PeriodKind::Quarter.bounds(Month::new(2026, 5));
    assert_eq!(
        (a.to_string(), b.to_string()),
        ("2026-04".into(), "2026-06".into())
    );
    assert_eq!(Month::new(2024, 2).last_day(), d("2024-02-29"));
    let el = PeriodKind::Month.elapsed(nov, d("2026-11-15"));
    assert!((el - 0.5).abs() < 1e-9, "{el}");
    assert_eq!(PeriodKind::Month.elapsed(nov, d("2026-12-01")), 1.0);
    assert_eq!(PeriodKind::Month.elapsed(nov, d("2026-10-31")), 0.0);
}

#[test]
fn behind_means_fewer_done_than_the_month_gone() {
    let nov = Month::new(2026, 11);
    assert!(!behind(0, 4, nov, d("2026-11-05")), "early in the month");
    assert!(behind(1, 4, nov, d("2026-11-20")), "2 expected by the 20th");
    assert!(!behind(2, 4, nov, d("2026-11-20")));
    assert!(
        behind(3, 4, nov, d("2026-12-02")),
        "a past month must be complete"
    );
    assert!(
        !behind(0, 4, Month::new(2026, 12), d("2026-11-20")),
        "planning ahead"
    );
    assert!(!behind(0, 0, nov, d("2026-12-02")));
}

#[test]
fn tick_ids_are_stable_and_distinct() {
    let a = tick_id("b", "m", "民情信息员", "走访联系户并记录诉求", "2026-11");
    assert_eq!(
        a,
        tick_id("b", "m", "民情信息员", "走访联系户并记录诉求", "2026-11")
    );
    assert_ne!(
        a,
        tick_id("b", "m", "民情信息员", "走访联系户并记录诉求", "2026-12")
    );
    assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
    let u = uuid::Uuid::parse_str(&a).unwrap();
    assert_eq!(u.get_version_num(), 8);
    // Pinned: changing the hash would split every synced tick in two.
    assert_eq!(stable_id(&["louzu"]), stable_id(&["louzu"]));
    assert_eq!(stable_id(&[]).len(), 36);
}

#[test]
fn checklists_keep_ticks_of_items_the_set_dropped() {
    let set = RoleSet::default_set();
    let nov = Month::new(2026, 11);
    let tick = |item: &str, done| Tick {
        role: "民情信息员".into(),
        item: item.into(),
        period: "2026-11".into(),
        done,
        on_date: "2026-11-03".into(),
        note: String::new(),
    };
    let ticks = vec![tick("走访联系户并记录诉求", true), tick("旧事项", true)];
    let lines = checklist(&set, nov, &["民情信息员", "平安守护员"], &ticks);
    assert_eq!(lines.len(), 5);
    assert!(lines[0].done && !lines[1].done);
    assert_eq!(lines[2].role, "平安守护员");
    assert!(lines[4].retired && lines[4].item == "旧事项");
    assert_eq!(progress(&lines), (2, 5));
}

#[test]
fn auto_ticks_go_to_members_holding_the_role() {
    let set = RoleSet::default_set();
    let event = DutyEvent {
        kind: EventKind::VisitDone,
        building: "b".into(),
        members: vec!["m1".into(), "m2".into()],
        date: d("2026-11-20"),
        paired: vec!["m2".into()],
    };
    let assignments = vec![
        ("m1".to_string(), "民情信息员".to_string()),
        ("m1".to_string(), "帮困服务员".to_string()),
        ("m2".to_string(), "帮困服务员".to_string()),
    ];
    let edits = auto_ticks(&set, &event, &assignments, &BTreeSet::new());
    let ticked: BTreeSet<(&str, &str)> = edits
        .iter()
        .filter(|e| e.field == "item")
        .map(|e| {
            let m = edits
                .iter()
                .find(|x| x.id == e.id && x.field == "member_id")
                .unwrap();
            (m.value.as_str().unwrap(), e.value.as_str().unwrap())
        })
        .collect();
    assert_eq!(
        ticked,
        BTreeSet::from([("m1", "走访联系户并记录诉求"), ("m2", "探望结对困难户")]),
        "m1 is not paired, so 帮困服务员 is not ticked for m1"
    );
    let done = BTreeSet::from([tick_id(
        "b",
        "m1",
        "民情信息员",
        "走访联系户并记录诉求",
        "2026-11",
    )]);
    let again = auto_ticks(&set, &event, &assignments, &done);
    assert!(
        again
            .iter()
            .all(|e| e.field != "member_id" || e.value == "m2")
    );
    let checkin = DutyEvent {
        kind: EventKind::CheckinDone,
        ..event
    };
    assert!(auto_ticks(&set, &checkin, &assignments, &BTreeSet::new()).is_empty());
}

mod figures {
    use super::*;
    use proptest::prelude::*;

    /// A quarterly role in the set, so periods other than the month are exercised.
    fn set() -> RoleSet {
        let mut s = RoleSet::default_set();
        s.roles[1].period = PeriodKind::Quarter;
        s
    }

    fn arb_ticks() -> impl Strategy<Value = Vec<(usize, usize, usize, bool)>> {
        // (role, item — one past the end is a retired item, month offset, done)
        prop::collection::vec((0..6usize, 0..3usize, 0..3usize, any::<bool>()), 0..30)
    }

    proptest! {
        /// For one month, the report's period arithmetic gives the pane's numbers; over a
        /// quarter, a quarterly item counts once, and done never exceeds due.
        #[test]
        fn period_progress_is_the_panes_progress(
            roles in prop::collection::vec(0..6usize, 0..4),
            raw in arb_ticks(),
        ) {
            let set = set();
            let first = Month::new(2026, 10);
            let months = [first, first.shift(1), first.shift(2)];
            let held: Vec<&str> = roles.iter().map(|r| set.roles[*r].name.as_str()).collect();
            let ticks: Vec<Tick> = raw
                .iter()
                .map(|(r, i, m, done)| {
                    let role = &set.roles[*r];
                    let item = role.items.get(*i).cloned().unwrap_or_else(|| "旧事项".into());
                    Tick {
                        role: role.name.clone(),
                        item,
                        period: role.period.of(months[*m]),
                        done: *done,
                        on_date: String::new(),
                        note: String::new(),
                    }
                })
                .collect();
            for m in months {
                let periods = set.periods(m);
                let mine: Vec<Tick> =
                    ticks.iter().filter(|t| periods.contains(&t.period)).cloned().collect();
                let pane = progress(&checklist(&set, m, &held, &mine));
                prop_assert_eq!(period_progress(&set, &[m], &held, &ticks), pane);
                let board = board(
                    &set,
                    m,
                    m.last_day(),
                    &[("m".into(), "甲".into())],
                    &held.iter().map(|r| ("m".to_string(), r.to_string())).collect::<Vec<_>>(),
                    &mine.iter().map(|t| ("m".to_string(), t.clone())).collect::<Vec<_>>(),
                );
                prop_assert_eq!(board_totals(&board), pane);
            }
            let (done, due) = period_progress(&set, &months, &held, &ticks);
            prop_assert!(done <= due);
            let listed: usize = set
                .roles
                .iter()
                .filter(|r| held.contains(&r.name.as_str()))
                .map(|r| r.items.len() * if r.period == PeriodKind::Quarter { 1 } else { 3 })
                .sum();
            prop_assert!(due >= listed);
        }
    }
}
