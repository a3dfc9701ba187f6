//! A leader's day on the demo building, through the real binary in an 80×24 terminal:
//! the morning check-in, a visit completed with a need, a visit planned for a member found
//! by pinyin initials, a new household and its resident, a 六个员 tick, a need carried
//! through to 已反馈, and the day's work exported to a folder and imported on a second
//! computer. After each step the screen is read for what it said, and `louzu dump` for
//! what was stored — they must agree.

mod common;

use common::{Place, Session, Tmux, skip_without_tmux};
use serde_json::Value;

const TODAY: &str = "2026-11-26";

/// The records of one kind in a dump.
fn table<'a>(dump: &'a Value, kind: &str) -> &'a [Value] {
    dump[kind].as_array().map_or(&[][..], Vec::as_slice)
}

/// The one record of `kind` whose `field` is `value`.
fn by<'a>(dump: &'a Value, kind: &str, field: &str, value: &str) -> &'a Value {
    let found: Vec<&Value> = table(dump, kind)
        .iter()
        .filter(|r| r[field] == value)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} with {field}={value}: {found:?}");
    found[0]
}

fn id(record: &Value) -> &str {
    record["id"].as_str().unwrap()
}

/// The number after `label` in the header line.
fn header_count(screen: &str, label: &str) -> i64 {
    let line = screen.lines().next().unwrap_or("");
    let at = line
        .find(label)
        .unwrap_or_else(|| panic!("{label} not in {line}"));
    line[at + label.len()..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label} in {line}"))
}

/// The screen line holding `text`.
fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} not on the screen:\n{screen}"))
}

/// Moves the cursor of a list whose rows start on screen line `first` to the row holding
/// `text`, with Down from the top.
fn select_row(t: &Session, first: usize, text: &str) {
    let s = t.screen();
    let row = s
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} not listed:\n{s}"));
    t.repeat("Down", row - first);
}

#[test]
fn a_leaders_day_from_check_in_to_a_bundle_imported_on_a_second_computer() {
    if skip_without_tmux() {
        return;
    }
    let place = Place::new(TODAY);
    let tmux = Tmux::new();
    let demo = place.path("demo.db");
    let t = tmux.start(
        "leader",
        place.dir.path(),
        &place.tui(&format!("demo --db '{}'", demo.display())),
        80,
        24,
    );
    let s = t.wait("the demo building", |s| {
        s.contains("▶ 1 楼组名册") && s.contains("未办结诉求")
    });
    let open_needs = header_count(&s, "未办结诉求");
    let overdue = header_count(&s, "逾期");
    let before = place.dump("demo.db");
    let building = id(&table(&before, "building")[0]).to_string();
    let member = |dump: &Value, name: &str| id(by(dump, "member", "name", name)).to_string();

    // 今日巡楼: 消防通道 is a problem, with what was seen; a line added to the note.
    t.keys(&["c"]);
    t.wait_for("今日巡楼");
    t.keys(&["Down", "Right"]);
    t.text("消防通道堆了纸箱");
    t.wait("the problem noted", |s| {
        line_with(s, "消防通道").contains("[问题] 消防通道堆了纸箱")
    });
    t.repeat("Down", 6);
    t.keys(&["End"]);
    t.text("；下午再看一次");
    t.wait_for("；下午再看一次");
    t.keys(&["Enter"]);
    let s = t.wait_for("巡楼已记录");
    assert!(s.contains("✓今日已巡楼"), "{s}");
    let dump = place.dump("demo.db");
    let checkin = by(&dump, "checkin", "date", TODAY);
    assert_eq!(checkin["items"]["消防通道"], "problem:消防通道堆了纸箱");
    assert!(
        checkin["note"]
            .as_str()
            .unwrap()
            .ends_with("；下午再看一次"),
        "{checkin}"
    );
    assert_eq!(
        checkin["items"]["电瓶车/飞线充电"], "problem:一楼门厅电瓶车飞线充电",
        "the morning's other problem is kept"
    );

    // 待走访: the most overdue visit (403) completed, a need raised in the same form.
    t.keys(&["2"]);
    let s = t.wait_for("▶ 2 待走访");
    assert!(line_with(&s, "403").contains("9天"), "403 is overdue:\n{s}");
    t.keys(&["Enter"]);
    t.wait_for("完成走访 403");
    t.keys(&["Enter", "Enter", "Enter"]);
    t.text("老人反映五楼楼道灯坏了");
    t.keys(&["Enter"]);
    t.text("设施维修:五楼楼道灯坏");
    let s = t.wait_for("设施维修:五楼楼道灯坏");
    let next = line_with(&s, "下次走访")
        .split_whitespace()
        .find(|w| w.starts_with("20"))
        .expect("the next visit's date is preset")
        .to_string();
    t.keys(&["C-s"]);
    let s = t.wait_for("走访已记录（及走访计划、1条诉求）");
    assert_eq!(header_count(&s, "逾期"), overdue - 1, "{s}");
    assert_eq!(header_count(&s, "未办结诉求"), open_needs + 1, "{s}");
    assert!(line_with(&s, "已完成 11-26").contains("403"), "{s}");
    let dump = place.dump("demo.db");
    let h403 = id(by(&dump, "household", "room", "403")).to_string();
    let visits: Vec<&Value> = table(&dump, "visit")
        .iter()
        .filter(|v| v["household_id"] == h403.as_str())
        .collect();
    let done = visits
        .iter()
        .find(|v| v["done_on"] == TODAY)
        .expect("the visit done today");
    assert_eq!(done["status"], "done");
    assert_eq!(done["situation"], "老人反映五楼楼道灯坏了");
    assert!(
        visits
            .iter()
            .any(|v| v["status"] == "planned" && v["due"] == next.as_str()),
        "the next visit planned for {next}: {visits:?}"
    );
    let need = by(&dump, "need", "description", "五楼楼道灯坏");
    assert_eq!(need["category"], "设施维修");
    assert_eq!(need["status"], "open");
    let need_id = id(need).to_string();

    // A visit planned for 302, its member chosen by the initials hxy (黄秀英).
    t.keys(&["a"]);
    t.wait_for("选择走访的住户");
    t.text("302");
    t.wait("302 alone", |s| {
        s.contains("302   郑海波") && !s.contains("301   曾国华")
    });
    t.keys(&["Enter"]);
    t.wait_for("新增 走访 302");
    t.keys(&["Enter"]);
    t.text("了解家中老人近况");
    t.keys(&["Enter"]);
    t.text("hxy");
    let s = t.wait("the member list narrowed by initials", |s| {
        s.contains("/ hxy") && s.contains("黄秀英")
    });
    assert!(
        !s.contains("曾国华  离退休党员"),
        "only 黄秀英 matches:\n{s}"
    );
    t.keys(&["Enter"]);
    t.wait_for("负责党员 黄秀英");
    t.keys(&["C-s"]);
    let s = t.wait_for("已保存");
    let row = line_with(&s, "了解家中老人近况");
    assert!(
        row.contains("302") && row.contains("今天到期") && row.contains("黄秀英"),
        "{row}"
    );
    let dump = place.dump("demo.db");
    let planned = by(&dump, "visit", "purpose", "了解家中老人近况");
    assert_eq!(
        planned["household_id"],
        id(by(&dump, "household", "room", "302"))
    );
    assert_eq!(planned["due"], TODAY);
    assert_eq!(planned["status"], "planned");
    assert_eq!(
        planned["assigned"],
        serde_json::json!([member(&dump, "黄秀英")])
    );

    // 楼组名册: a new household 605, then its resident.
    t.keys(&["1"]);
    let s = t.wait_for("▶ 1 楼组名册");
    assert!(s.contains("24 住户"), "{s}");
    t.keys(&["a"]);
    t.wait_for("新增 住户");
    t.text("605");
    t.keys(&["Tab"]);
    t.text("独居老人");
    t.keys(&["C-s"]);
    let s = t.wait_for("已保存（及走访计划）");
    assert!(s.contains("25 住户"), "{s}");
    t.keys(&["Enter"]);
    t.wait_for("室号 605  独居老人");
    t.keys(&["a"]);
    t.wait_for("新增 居民");
    t.text("欧阳秀兰");
    t.keys(&["Tab", "Right", "Right"]);
    t.wait("女 chosen", |s| line_with(s, "性别").contains("女"));
    t.keys(&["Tab"]);
    t.text("1945");
    t.keys(&["C-s"]);
    let s = t.wait("the resident listed", |s| {
        s.contains("已保存") && !s.contains("新增 居民")
    });
    let row = line_with(&s, "欧阳秀兰");
    assert!(row.contains("女") && row.contains("1945"), "{row}");
    let dump = place.dump("demo.db");
    let h605 = by(&dump, "household", "room", "605");
    assert_eq!(h605["tags"], serde_json::json!(["独居老人"]));
    let resident = by(&dump, "resident", "name", "欧阳秀兰");
    assert_eq!(resident["household_id"], h605["id"]);
    assert_eq!(resident["gender"], "女");
    assert_eq!(resident["birth_year"], 1945);
    assert!(
        table(&dump, "visit")
            .iter()
            .any(|v| v["household_id"] == h605["id"] && v["status"] == "planned"),
        "a 独居老人 household gets its visit planned"
    );
    t.esc("back to the list", |s| !s.contains("室号 605"));

    // 六个员: 曾国华's first item ticked.
    t.keys(&["3"]);
    t.wait_for("▶ 3 六个员");
    t.keys(&["Down", "Down", "Down", "Down", "Enter"]);
    t.wait_for("曾国华 · 政策宣传员");
    t.keys(&["Enter"]);
    let s = t.wait_for("已打勾");
    let row = line_with(&s, "张贴宣传材料");
    assert!(
        row.contains("[x]") && row.contains("11-26"),
        "ticked today: {row}"
    );
    let dump = place.dump("demo.db");
    let leader = member(&dump, "曾国华");
    let tick = table(&dump, "duty_tick")
        .iter()
        .find(|k| {
            k["member_id"] == leader.as_str()
                && k["item"] == "张贴宣传材料、更新楼组公示栏"
                && k["period"] == "2026-11"
        })
        .expect("the tick is stored");
    assert_eq!(tick["done"], true);
    assert_eq!(tick["on_date"], TODAY);
    t.esc("back to the board", |s| !s.contains("曾国华 · 政策宣传员"));

    // 民情诉求: the lamp need raised this morning, moved on to 已反馈.
    t.keys(&["2", "n"]);
    t.wait_for("民情诉求");
    select_row(&t, 3, "五楼楼道灯坏");
    t.keys(&["s"]);
    t.wait("in hand", |s| {
        line_with(s, "五楼楼道灯坏").contains("处理中")
    });
    t.keys(&["s"]);
    t.wait("resolved", |s| {
        line_with(s, "五楼楼道灯坏").contains("已解决")
    });
    t.keys(&["s"]);
    // 已反馈 needs what the resident was told: the leader is asked for it.
    t.wait_for("标为「已反馈」前请写下告诉居民的结果");
    t.keys(&["e"]);
    t.wait_for("修改 诉求 五楼楼道灯坏");
    t.repeat("Down", 6);
    t.text("物业已换灯泡，已告诉老人");
    t.wait("the feedback typed", |s| {
        line_with(s, "反馈结果").contains("物业已换灯泡")
    });
    t.keys(&["C-s"]);
    t.wait("saved", |s| {
        s.contains("已保存") && !s.contains("修改 诉求")
    });
    t.keys(&["s"]);
    let s = t.wait("fed back", |s| {
        line_with(s, "五楼楼道灯坏").contains("已反馈")
    });
    assert_eq!(header_count(&s, "未办结诉求"), open_needs, "{s}");
    let dump = place.dump("demo.db");
    let need = by(&dump, "need", "id", &need_id);
    assert_eq!(need["status"], "fed_back");
    assert_eq!(need["feedback"], "物业已换灯泡，已告诉老人");

    // 楼组活动, typed halfway: Esc asks before throwing it away, and a bigger window
    // keeps the field being typed in on the screen.
    t.keys(&["4", "a"]);
    t.wait_for("新增 活动");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("楼道消防演练");
    t.wait_for("楼道消防演练");
    let s = t.esc("the question", |s| s.contains("放弃已输入的内容？"));
    assert!(
        s.contains("新增 活动"),
        "the form stays behind the question:\n{s}"
    );
    t.keys(&["Enter"]);
    let s = t.wait("back in the form", |s| !s.contains("放弃已输入的内容"));
    assert!(line_with(&s, "主题").contains("楼道消防演练"), "{s}");
    t.resize(160, 45);
    t.wait("the four panes side by side", |s| {
        s.lines().count() >= 45 && s.contains("┌ 2 待走访") && s.contains("新增 活动")
    });
    let (_, y, shown) = t.cursor();
    let line = t.cursor_line();
    assert!(
        shown && y < 45 && line.contains("主题") && line.contains("楼道消防演练"),
        "the cursor stays in the field being typed (row {y}): {line}"
    );
    t.text("（第一次）");
    t.keys(&["C-s"]);
    t.wait("saved", |s| {
        s.contains("已保存") && !s.contains("新增 活动")
    });
    let dump = place.dump("demo.db");
    let activity = by(&dump, "activity", "title", "楼道消防演练（第一次）");
    assert_eq!(activity["date"], TODAY);
    t.resize(80, 24);
    t.wait("one pane again", |s| {
        s.contains("▶ 4 活动记录") && s.lines().count() <= 24
    });

    // 导出: the day's work to a folder, for a second computer this one trusts.
    place.louzu(
        "second.db",
        &["device", "--name", "新电脑", "--card", "second.card"],
    );
    place.louzu("demo.db", &["device", "--card", "demo.card"]);
    place.louzu("demo.db", &["trust", "second.card", "--name", "新电脑"]);
    place.louzu("second.db", &["trust", "demo.card", "--name", "组长"]);
    let out = place.path("U盘");
    std::fs::create_dir(&out).unwrap();
    t.keys(&["x"]);
    let s = t.wait("the export dialog", |s| {
        s.contains("导出数据包") && s.contains("新电脑")
    });
    assert!(
        line_with(&s, "保存到：").contains("输出"),
        "the output folder is offered:\n{s}"
    );
    let devices: Vec<&str> = s.lines().filter(|l| l.contains("→ ")).collect();
    let to = devices.iter().position(|l| l.contains("新电脑")).unwrap();
    t.repeat("Down", to);
    // Tab to the folder; up one from the output folder, into U盘 by its name, save there.
    t.keys(&["Tab"]);
    t.wait_for("就保存在这个文件夹");
    t.keys(&["BSpace"]);
    t.text("U盘");
    t.wait_for("▸ U盘/");
    t.keys(&["Enter"]);
    t.wait("in U盘", |s| line_with(s, "保存到：").contains("U盘/"));
    t.keys(&["Enter"]);
    let s = t.wait_for("给「新电脑」");
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one bundle in the folder: {files:?}");
    let bundle = &files[0];
    assert!(
        bundle.to_str().unwrap().ends_with(".louzu") && s.contains("U盘"),
        "{s}"
    );
    t.quit();
    let leader_dump = place.dump("demo.db");

    // The second computer: first run, then the bundle imported after its preview.
    let t2 = tmux.start(
        "deputy",
        place.dir.path(),
        &place.tui("--db second.db"),
        80,
        24,
    );
    t2.wait_for("第一次使用");
    t2.text("新成路 56 弄 8 号楼");
    t2.keys(&["Tab", "Tab", "Tab"]);
    t2.text("单丽萍");
    t2.keys(&["C-s"]);
    t2.wait("the deputy's building", |s| {
        s.contains("新成路 56 弄 8 号楼") && !s.contains("第一次使用")
    });
    // The bundle is picked in the chooser: into U盘 by its name, then the one bundle there.
    t2.keys(&["i"]);
    t2.wait_for("导入数据包");
    t2.text("U盘");
    t2.wait_for("▸ U盘/");
    t2.keys(&["Enter"]);
    let name = bundle.file_name().unwrap().to_string_lossy().into_owned();
    t2.wait_for(&name);
    t2.keys(&["Enter"]);
    let s = t2.wait_for("Enter 确认导入");
    assert!(
        s.contains("来自「组长」") && s.contains("冲突 0"),
        "the preview says who sent it and what it brings:\n{s}"
    );
    assert!(
        table(&place.dump("second.db"), "household").is_empty(),
        "the preview writes nothing"
    );
    t2.keys(&["Enter"]);
    t2.wait_for("已从「组长」导入");
    t2.keys(&["b"]);
    t2.wait_for("新成路 56 弄 7 号楼");
    t2.text("7");
    t2.keys(&["Enter"]);
    t2.wait("the leader's building", |s| {
        s.contains("新成路 56 弄 7 号楼  党员 8 名") && s.contains("25 住户")
    });
    t2.quit();

    // Every record of the leader's building arrived as the leader's computer holds it.
    let deputy_dump = place.dump("second.db");
    let of_building = |dump: &Value, kind: &str| -> Vec<Value> {
        table(dump, kind)
            .iter()
            .filter(|r| r["building_id"] == building.as_str() || r["id"] == building.as_str())
            .cloned()
            .collect()
    };
    for kind in leader_dump.as_object().unwrap().keys() {
        if kind == "setting" {
            continue;
        }
        assert_eq!(
            of_building(&deputy_dump, kind),
            of_building(&leader_dump, kind),
            "{kind} differs after the import"
        );
    }
    assert_eq!(
        by(&deputy_dump, "need", "id", &need_id)["status"],
        "fed_back"
    );
}
