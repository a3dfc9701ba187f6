//! The entity registry: every kind of record louzu keeps and the fields it has.
//!
//! Operations in the op log name an entity kind and a field by these names, and the store
//! writes to the table and column named here. Keeping the list in one static place means a
//! field name coming from a file (a sync bundle, a CLI argument) is checked against it before
//! it can ever reach SQL.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// How a field's value is written, read and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text; empty means "not recorded".
    Text,
    /// A room number such as `301` or `1-302` (室号).
    Room,
    /// A calendar date in Asia/Shanghai, stored as `YYYY-MM-DD`.
    Date,
    /// A month such as `2026-11`.
    Month,
    /// A whole number (a year, a count).
    Int,
    /// Yes or no.
    Bool,
    /// A set of tags (标签), stored as a JSON array of strings.
    Tags,
    /// One value from a fixed list.
    Choice(&'static [&'static str]),
    /// A phone number: sensitive, hidden in lists.
    Phone,
    /// The id of another record.
    Ref(EntityKind),
    /// A list of ids of other records, stored as a JSON array.
    RefList(EntityKind),
    /// Structured data stored as JSON (a check-in's items, absences with reasons).
    Json,
}

/// One field of an entity.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Column and op-log name.
    pub name: &'static str,
    pub kind: FieldKind,
    /// A record cannot be saved without it.
    pub required: bool,
    /// Chinese label shown in forms.
    pub zh: &'static str,
    /// English label shown in forms.
    pub en: &'static str,
}

const fn f(
    name: &'static str,
    kind: FieldKind,
    required: bool,
    zh: &'static str,
    en: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required,
        zh,
        en,
    }
}

/// 党员类别 — member categories named by the source, plus members whose affiliation is with
/// the community itself.
pub const MEMBER_CATEGORIES: &[&str] = &[
    "在职党员",
    "离退休党员",
    "流动党员",
    "下岗(失业)党员",
    "社区党员",
];
/// 小组职务 — role in the group.
pub const GROUP_ROLES: &[&str] = &["组长", "副组长", "组员"];
pub const GENDERS: &[&str] = &["男", "女"];
pub const VISIT_STATUSES: &[&str] = &["planned", "done", "missed", "cancelled"];
pub const HANDLING: &[&str] = &["当场解决", "居委会", "物业", "网格", "支部", "其他"];
pub const NEED_CATEGORIES: &[&str] = &[
    "环境卫生",
    "楼道堆物",
    "设施维修",
    "治安消防",
    "邻里纠纷",
    "政策咨询",
    "帮困",
    "其他",
];
pub const NEED_STATUSES: &[&str] = &["open", "in_hand", "escalated", "resolved", "fed_back"];
pub const NEED_SOURCES: &[&str] = &["visit", "checkin", "phone", "chat", "other"];
pub const ACTIVITY_KINDS: &[&str] = &[
    "学习",
    "议事",
    "志愿服务",
    "环境整治",
    "文体节庆",
    "调解",
    "其他",
];

/// Every enumeration word louzu stores, with its Chinese and English label: the `Choice`
/// lists above, the known household tags and the default check-in items. Stored values stay
/// as they are (they are data, and travel in bundles); only what is shown changes with the
/// language. One word has one meaning wherever it appears (其他 is "other" in every list).
/// The words are the ones the TUI's choice fields already show (`tui::labels`).
const WORDS: &[(&str, &str, &str)] = &[
    // 党员类别
    ("在职党员", "在职党员", "in-service member"),
    ("离退休党员", "离退休党员", "retired member"),
    ("流动党员", "流动党员", "floating member"),
    ("下岗(失业)党员", "下岗(失业)党员", "laid-off member"),
    ("社区党员", "社区党员", "community member"),
    // 小组职务
    ("组长", "组长", "group leader"),
    ("副组长", "副组长", "deputy leader"),
    ("组员", "组员", "group member"),
    // 性别
    ("男", "男", "male"),
    ("女", "女", "female"),
    // 走访状态
    ("planned", "计划", "planned"),
    ("done", "已走访", "visited"),
    ("missed", "未访", "missed"),
    ("cancelled", "已取消", "cancelled"),
    // 处理
    ("当场解决", "当场解决", "solved on the spot"),
    ("居委会", "居委会", "residents' committee"),
    ("物业", "物业", "property management"),
    ("网格", "网格", "grid worker"),
    ("支部", "支部", "party branch"),
    ("其他", "其他", "other"),
    // 诉求类别
    ("环境卫生", "环境卫生", "sanitation"),
    ("楼道堆物", "楼道堆物", "stairwell clutter"),
    ("设施维修", "设施维修", "repairs"),
    ("治安消防", "治安消防", "safety and fire"),
    ("邻里纠纷", "邻里纠纷", "neighbour dispute"),
    ("政策咨询", "政策咨询", "policy question"),
    ("帮困", "帮困", "hardship help"),
    // 诉求状态 (the same words as `NeedStatus::label`)
    ("open", "待处理", "open"),
    ("in_hand", "处理中", "in hand"),
    ("escalated", "已转交", "escalated"),
    ("resolved", "已解决", "resolved"),
    ("fed_back", "已反馈", "fed back"),
    // 诉求来源
    ("visit", "走访", "visit"),
    ("checkin", "巡楼", "check-in"),
    ("phone", "电话", "phone"),
    ("chat", "微信群", "group chat"),
    ("other", "其他", "other"),
    // 活动类型
    ("学习", "学习", "study"),
    ("议事", "议事", "deliberation"),
    ("志愿服务", "志愿服务", "volunteering"),
    ("环境整治", "环境整治", "clean-up"),
    ("文体节庆", "文体节庆", "festivities"),
    ("调解", "调解", "mediation"),
    // 住户标签 (tags::KNOWN_TAGS)
    ("独居老人", "独居老人", "elderly, living alone"),
    ("高龄", "高龄", "very old"),
    ("纯老", "纯老", "elderly-only household"),
    ("孤老", "孤老", "elderly without family"),
    ("残疾", "残疾", "disability"),
    ("低保", "低保", "minimum-income support"),
    ("低收入", "低收入", "low income"),
    ("困难", "困难", "in difficulty"),
    ("失业", "失业", "unemployed"),
    ("优抚对象", "优抚对象", "veteran's family"),
    ("租户", "租户", "tenant"),
    ("流动人口", "流动人口", "migrant"),
    ("外籍", "外籍", "foreign national"),
    // 巡楼检查项 (checkin::DEFAULT_ITEMS; 楼道堆物 is above)
    ("消防通道", "消防通道", "fire exits"),
    (
        "电瓶车/飞线充电",
        "电瓶车/飞线充电",
        "e-bike charging / flying leads",
    ),
    ("照明", "照明", "lights"),
    ("卫生", "卫生", "hygiene"),
    ("设施损坏", "设施损坏", "damage"),
    ("安全/陌生人", "安全/陌生人", "safety / strangers"),
];

/// The label of a stored enumeration word (a `Choice` value, a known tag, a default
/// check-in item) in the interface language. A word louzu does not know (a free tag, an
/// item from the user's own checklist) is the user's own and is shown as it is.
pub fn word_label(value: &str, lang: Lang) -> &str {
    match WORDS.iter().find(|(stored, _, _)| *stored == value) {
        Some((_, zh, en)) => lang.pick(zh, en),
        None => value,
    }
}

/// The labels of a `Choice` list's options, joined for a message or a hint.
pub fn options_label(options: &[&str], lang: Lang) -> String {
    options
        .iter()
        .map(|o| word_label(o, lang))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

/// Finds the option a person meant: the stored value itself, its Chinese label or its
/// English label (any case, `_` or space alike), so `in hand`, `处理中` and `in_hand` all
/// choose the same status.
pub fn parse_choice(options: &'static [&'static str], input: &str) -> Option<&'static str> {
    let fold = |s: &str| s.trim().to_lowercase().replace('_', " ");
    let want = fold(input);
    options.iter().copied().find(|o| {
        fold(o) == want
            || fold(word_label(o, Lang::Zh)) == want
            || fold(word_label(o, Lang::En)) == want
    })
}

impl FieldSpec {
    /// The field's label in the interface language.
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

/// The English label of a field known by its Chinese label, for messages that were built
/// with the Chinese one (`DomainError::Required`). Unknown labels come back unchanged.
pub fn field_label_en(zh: &str) -> &str {
    EntityKind::ALL
        .iter()
        .flat_map(|k| k.fields().iter())
        .chain(std::iter::once(&DELETED))
        .find(|f| f.zh == zh)
        .map_or(zh, |f| f.en)
}

use EntityKind as E;
use FieldKind as K;

const BUILDING: &[FieldSpec] = &[
    f("name", K::Text, true, "楼组名称", "Building"),
    f("address", K::Text, false, "地址", "Address"),
    f("neighbourhood", K::Text, false, "居民区", "Neighbourhood"),
    f("compound", K::Text, false, "小区", "Compound"),
];
const HOUSEHOLD: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("room", K::Room, true, "室号", "Room"),
    f("tags", K::Tags, false, "标签", "Tags"),
    f("note", K::Text, false, "备注", "Note"),
];
const RESIDENT: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f(
        "household_id",
        K::Ref(E::Household),
        true,
        "户",
        "Household",
    ),
    f("name", K::Text, true, "姓名", "Name"),
    f("gender", K::Choice(GENDERS), false, "性别", "Gender"),
    f("birth_year", K::Int, false, "出生年份", "Birth year"),
    f("phone", K::Phone, false, "电话", "Phone"),
    f("note", K::Text, false, "备注", "Note"),
];
const MEMBER: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f(
        "household_id",
        K::Ref(E::Household),
        false,
        "住户",
        "Household",
    ),
    f("name", K::Text, true, "姓名", "Name"),
    f(
        "category",
        K::Choice(MEMBER_CATEGORIES),
        true,
        "党员类别",
        "Category",
    ),
    f(
        "home_org",
        K::Text,
        false,
        "组织关系所在单位",
        "Home organisation",
    ),
    f(
        "home_org_contact",
        K::Text,
        false,
        "单位联系人",
        "Home org. contact",
    ),
    f("report_date", K::Date, false, "报到日期", "Reported on"),
    f("skills", K::Text, false, "特长/意愿", "Skills"),
    f("show_identity", K::Bool, false, "亮身份", "Identity shown"),
    f(
        "contact_public",
        K::Bool,
        false,
        "公示联系方式",
        "Contact public",
    ),
    f(
        "group_role",
        K::Choice(GROUP_ROLES),
        false,
        "小组职务",
        "Group role",
    ),
    f("phone", K::Phone, false, "电话", "Phone"),
];
const PAIRING: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("member_id", K::Ref(E::Member), true, "党员", "Member"),
    f(
        "household_id",
        K::Ref(E::Household),
        true,
        "结对户",
        "Household",
    ),
    f("since", K::Date, false, "结对日期", "Since"),
    f("note", K::Text, false, "备注", "Note"),
];
const VISIT: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f(
        "household_id",
        K::Ref(E::Household),
        true,
        "户",
        "Household",
    ),
    f("due", K::Date, true, "计划日期", "Due"),
    f("purpose", K::Text, false, "事由", "Purpose"),
    f(
        "assigned",
        K::RefList(E::Member),
        false,
        "负责党员",
        "Assigned",
    ),
    f("status", K::Choice(VISIT_STATUSES), true, "状态", "Status"),
    f("done_on", K::Date, false, "走访日期", "Visited on"),
    f(
        "visitors",
        K::RefList(E::Member),
        false,
        "走访人",
        "Visitors",
    ),
    f("situation", K::Text, false, "情况", "Situation"),
    f("handling", K::Choice(HANDLING), false, "处理", "Handling"),
    f("follow_up", K::Date, false, "跟进日期", "Follow-up"),
    f("reason", K::Text, false, "未访原因", "Reason"),
];
const NEED: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f(
        "household_id",
        K::Ref(E::Household),
        false,
        "户",
        "Household",
    ),
    f(
        "category",
        K::Choice(NEED_CATEGORIES),
        true,
        "类别",
        "Category",
    ),
    f("description", K::Text, true, "问题", "Description"),
    f("source", K::Choice(NEED_SOURCES), false, "来源", "Source"),
    f("owner", K::Ref(E::Member), false, "负责人", "Owner"),
    f("status", K::Choice(NEED_STATUSES), true, "状态", "Status"),
    f("escalated_to", K::Text, false, "转交", "Escalated to"),
    f("measures", K::Text, false, "处理措施", "Measures"),
    f("feedback", K::Text, false, "反馈结果", "Feedback"),
    f("raised_on", K::Date, true, "受理日期", "Raised on"),
    f("closed_on", K::Date, false, "办结日期", "Closed on"),
];
const DUTY_ASSIGNMENT: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("member_id", K::Ref(E::Member), true, "党员", "Member"),
    f("role", K::Text, true, "六个员", "Duty role"),
];
const DUTY_TICK: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("member_id", K::Ref(E::Member), true, "党员", "Member"),
    f("role", K::Text, true, "六个员", "Duty role"),
    f("item", K::Text, true, "事项", "Item"),
    f("period", K::Text, true, "周期", "Period"),
    f("done", K::Bool, true, "完成", "Done"),
    f("on_date", K::Date, false, "日期", "Date"),
    f("note", K::Text, false, "备注", "Note"),
];
const ATTESTATION: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("month", K::Month, true, "月份", "Month"),
    f("target", K::Text, true, "目标", "Target"),
    f("met", K::Bool, true, "达成", "Met"),
    f("note", K::Text, false, "说明", "Note"),
];
const CHECKIN: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("date", K::Date, true, "日期", "Date"),
    f("items", K::Json, false, "检查项", "Items"),
    f("note", K::Text, false, "备注", "Note"),
    f("by_name", K::Text, false, "巡楼人", "By"),
    f("needs", K::Json, false, "所开诉求", "Needs opened"),
];
const ACTIVITY: &[FieldSpec] = &[
    f("building_id", K::Ref(E::Building), true, "楼组", "Building"),
    f("date", K::Date, true, "日期", "Date"),
    f("place", K::Text, false, "地点", "Place"),
    f("kind", K::Choice(ACTIVITY_KINDS), true, "类型", "Type"),
    f("title", K::Text, true, "主题", "Title"),
    f("host", K::Text, false, "主持人", "Host"),
    f(
        "present",
        K::RefList(E::Member),
        false,
        "出席党员",
        "Present",
    ),
    f("absent", K::Json, false, "缺席(原因)", "Absent (reason)"),
    f(
        "residents_count",
        K::Int,
        false,
        "参与居民数",
        "Residents taking part",
    ),
    f("residents", K::Json, false, "参与居民", "Residents"),
    f("content", K::Text, false, "内容", "Content"),
    f("decisions", K::Text, false, "决定事项", "Decisions"),
    f("recorder", K::Text, false, "记录人", "Recorder"),
];
const SETTING: &[FieldSpec] = &[
    f("key", K::Text, true, "键", "Key"),
    f("value", K::Json, false, "值", "Value"),
];

/// Every kind of record. The string form is the table name and the op log's entity name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// 楼组 — one building / stairwell.
    Building,
    /// 户 — a household, by room.
    Household,
    /// 居民 — a resident of a household.
    Resident,
    /// 党员 — a party member living in the building.
    Member,
    /// 双结对 — a member paired with a household in difficulty.
    Pairing,
    /// 走访 — a planned or completed home visit.
    Visit,
    /// 民情诉求 — a resident's need or complaint.
    Need,
    /// 六个员 — a member taking a duty role.
    DutyAssignment,
    /// A tick on a duty checklist item for a period.
    DutyTick,
    /// 四个无 — a monthly attestation of one target.
    Attestation,
    /// 巡楼 — the daily stairwell check-in.
    Checkin,
    /// 楼组活动 — a group activity with its minutes.
    Activity,
    /// Shared settings (duty roles, targets) that travel to every device.
    Setting,
}

impl EntityKind {
    /// All kinds, in the order a dump lists them.
    pub const ALL: &'static [EntityKind] = &[
        E::Building,
        E::Household,
        E::Resident,
        E::Member,
        E::Pairing,
        E::Visit,
        E::Need,
        E::DutyAssignment,
        E::DutyTick,
        E::Attestation,
        E::Checkin,
        E::Activity,
        E::Setting,
    ];

    /// Table and op-log name.
    pub fn name(self) -> &'static str {
        match self {
            E::Building => "building",
            E::Household => "household",
            E::Resident => "resident",
            E::Member => "member",
            E::Pairing => "pairing",
            E::Visit => "visit",
            E::Need => "need",
            E::DutyAssignment => "duty_assignment",
            E::DutyTick => "duty_tick",
            E::Attestation => "attestation",
            E::Checkin => "checkin",
            E::Activity => "activity",
            E::Setting => "setting",
        }
    }

    /// Parses a name from the op log, a bundle or the command line.
    pub fn parse(s: &str) -> Option<EntityKind> {
        Self::ALL.iter().copied().find(|k| k.name() == s)
    }

    /// The fields a user can set (besides `id` and the `deleted` tombstone).
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            E::Building => BUILDING,
            E::Household => HOUSEHOLD,
            E::Resident => RESIDENT,
            E::Member => MEMBER,
            E::Pairing => PAIRING,
            E::Visit => VISIT,
            E::Need => NEED,
            E::DutyAssignment => DUTY_ASSIGNMENT,
            E::DutyTick => DUTY_TICK,
            E::Attestation => ATTESTATION,
            E::Checkin => CHECKIN,
            E::Activity => ACTIVITY,
            E::Setting => SETTING,
        }
    }

    /// Looks a field up by name; `deleted` is the tombstone every kind has.
    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        if name == DELETED.name {
            return Some(&DELETED);
        }
        self.fields().iter().find(|f| f.name == name)
    }

    /// Chinese name shown in the journal and messages.
    pub fn zh(self) -> &'static str {
        match self {
            E::Building => "楼组",
            E::Household => "住户",
            E::Resident => "居民",
            E::Member => "党员",
            E::Pairing => "结对",
            E::Visit => "走访",
            E::Need => "诉求",
            E::DutyAssignment => "六个员分工",
            E::DutyTick => "六个员打勾",
            E::Attestation => "四个无",
            E::Checkin => "巡楼",
            E::Activity => "活动",
            E::Setting => "设置",
        }
    }

    /// English name shown in the journal and messages.
    pub fn en(self) -> &'static str {
        match self {
            E::Building => "building",
            E::Household => "household",
            E::Resident => "resident",
            E::Member => "member",
            E::Pairing => "pairing",
            E::Visit => "visit",
            E::Need => "need",
            E::DutyAssignment => "duty role",
            E::DutyTick => "duty tick",
            E::Attestation => "attestation",
            E::Checkin => "check-in",
            E::Activity => "activity",
            E::Setting => "setting",
        }
    }

    /// The kind's name in the interface language.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    /// Whether records of this kind belong to a building (and so to that building's sync
    /// scope) rather than to the shared scope.
    pub fn is_scoped(self) -> bool {
        !matches!(self, E::Setting)
    }
}

/// The tombstone every entity carries: deleting sets it, restoring clears it.
pub const DELETED: FieldSpec = f("deleted", K::Bool, false, "已删除", "Deleted");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_fields_are_unique() {
        for &k in EntityKind::ALL {
            assert_eq!(EntityKind::parse(k.name()), Some(k));
            let mut names: Vec<_> = k.fields().iter().map(|f| f.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), k.fields().len(), "{k:?} repeats a field");
            assert!(k.field("deleted").is_some());
            assert!(k.field("id").is_none());
        }
        assert_eq!(EntityKind::parse("users; drop table"), None);
    }

    #[test]
    fn scoped_kinds_carry_their_building() {
        for &k in EntityKind::ALL {
            if k.is_scoped() && k != EntityKind::Building {
                assert_eq!(k.fields()[0].name, "building_id", "{k:?}");
            }
        }
    }

    #[test]
    fn every_enumeration_word_has_both_labels() {
        let lists: &[&[&str]] = &[
            MEMBER_CATEGORIES,
            GROUP_ROLES,
            GENDERS,
            VISIT_STATUSES,
            HANDLING,
            NEED_CATEGORIES,
            NEED_STATUSES,
            NEED_SOURCES,
            ACTIVITY_KINDS,
            crate::domain::tags::KNOWN_TAGS,
            crate::domain::checkin::DEFAULT_ITEMS,
        ];
        for list in lists {
            for w in *list {
                assert!(WORDS.iter().any(|(s, _, _)| s == w), "{w} has no labels");
                let en = word_label(w, Lang::En);
                assert!(!crate::text::has_cjk(en), "{w} → {en}");
                assert!(!word_label(w, Lang::Zh).is_ascii(), "{w}");
            }
        }
        for (stored, zh, en) in WORDS {
            // One stored word, one meaning.
            assert_eq!(
                WORDS.iter().filter(|(s, _, _)| s == stored).count(),
                1,
                "{stored}"
            );
            assert!(!zh.is_empty() && !en.is_empty());
        }
        for s in crate::domain::need::NeedStatus::ALL {
            assert_eq!(word_label(s.name(), Lang::En), s.label(Lang::En));
            assert_eq!(word_label(s.name(), Lang::Zh), s.label(Lang::Zh));
        }
        assert_eq!(word_label("爱养花", Lang::En), "爱养花");
    }

    #[test]
    fn choices_are_found_by_stored_word_or_either_label() {
        assert_eq!(parse_choice(NEED_STATUSES, "in hand"), Some("in_hand"));
        assert_eq!(parse_choice(NEED_STATUSES, "处理中"), Some("in_hand"));
        assert_eq!(parse_choice(NEED_STATUSES, " Fed Back "), Some("fed_back"));
        assert_eq!(
            parse_choice(HANDLING, "Solved on the spot"),
            Some("当场解决")
        );
        assert_eq!(parse_choice(VISIT_STATUSES, "已走访"), Some("done"));
        assert_eq!(parse_choice(HANDLING, "maybe"), None);
        assert_eq!(options_label(GENDERS, Lang::En), "male, female");
        assert_eq!(field_label_en("姓名"), "Name");
        assert_eq!(EntityKind::Need.label(Lang::En), "need");
    }
}
