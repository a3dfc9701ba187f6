//! 六个员 and 四个无 as data: the duty roles with their checklist items and periods, the
//! building's monthly targets with the need categories that threaten them, and the rules
//! that tick an item by themselves. The default set is embedded (`duties.toml`); an office
//! or leader replaces it with their own file. No I/O here: reading the file is
//! [`crate::duty_config`]'s job.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use super::EntityKind;
use super::date::{format_date, parse_month};
use super::edit::Edit;
use crate::i18n::Lang;

/// The embedded default set.
pub const DEFAULT_DUTIES: &str = include_str!("duties.toml");

/// How often a role's checklist starts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    #[default]
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    /// The period of this kind that contains `month`: `2026-11`, `2026-Q4` or `2026`.
    /// These strings are what ticks store, so they must never change form.
    pub fn of(self, month: Month) -> String {
        match self {
            PeriodKind::Month => month.to_string(),
            PeriodKind::Quarter => format!("{:04}-Q{}", month.year, (month.month - 1) / 3 + 1),
            PeriodKind::Year => format!("{:04}", month.year),
        }
    }

    /// The months of the period containing `month`: (first, last).
    pub fn bounds(self, month: Month) -> (Month, Month) {
        match self {
            PeriodKind::Month => (month, month),
            PeriodKind::Quarter => {
                let first = Month::new(month.year, (month.month - 1) / 3 * 3 + 1);
                (first, first.shift(2))
            }
            PeriodKind::Year => (Month::new(month.year, 1), Month::new(month.year, 12)),
        }
    }

    /// How much of the period containing `month` has gone by on `today`, 0.0 to 1.0: a
    /// past period is over (1.0), a future one has not started (0.0).
    pub fn elapsed(self, month: Month, today: Date) -> f64 {
        let (first, last) = self.bounds(month);
        let start = first.first_day();
        let end = last.last_day();
        if today < start {
            return 0.0;
        }
        if today > end {
            return 1.0;
        }
        let total = super::date::days_between(start, end) + 1;
        let gone = super::date::days_between(start, today) + 1;
        gone as f64 / total as f64
    }
}

/// A calendar month, the step the 六个员 pane moves by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    /// 1–12.
    pub month: i8,
}

impl Month {
    /// A month; `month` is clamped into 1–12.
    pub fn new(year: i16, month: i8) -> Month {
        Month {
            year,
            month: month.clamp(1, 12),
        }
    }

    /// The month a date falls in.
    pub fn of(d: Date) -> Month {
        Month::new(d.year(), d.month())
    }

    /// Parses `2026-11` (or `2026年11月`).
    pub fn parse(s: &str) -> Result<Month, super::DomainError> {
        parse_month(s).map(|(y, m)| Month::new(y, m))
    }

    /// `n` months later (earlier when negative), across year ends.
    pub fn shift(self, n: i32) -> Month {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 + n;
        Month::new(
            index.div_euclid(12).clamp(1900, 2200) as i16,
            (index.rem_euclid(12) + 1) as i8,
        )
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// 六个员之一 — one duty role and its checklist.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyRole {
    pub name: String,
    /// English name for the English interface; the Chinese name is the stored key.
    #[serde(default)]
    pub en: String,
    pub items: Vec<String>,
    /// The items in English, in the same order, for the English interface; the Chinese
    /// item is the stored key. Empty: the items are shown as written.
    #[serde(default)]
    pub items_en: Vec<String>,
    #[serde(default)]
    pub period: PeriodKind,
}

/// 四个无之一 — a monthly target and the need categories whose open needs put it at risk.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub name: String,
    #[serde(default)]
    pub en: String,
    /// Need categories (民情诉求类别) linked to the target.
    #[serde(default)]
    pub needs: Vec<String>,
}

/// What happened that may tick an item by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A member completed a home visit (走访).
    VisitDone,
    /// A member recorded the daily stairwell check-in (巡楼).
    CheckinDone,
}

/// Ticks `role`'s `item` for the member who caused an `event`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoRule {
    pub event: EventKind,
    pub role: String,
    pub item: String,
    /// Only when the visited household is paired (双结对) with the member.
    #[serde(default)]
    pub only_paired: bool,
}

/// The whole set: roles, targets and auto-tick rules.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSet {
    pub roles: Vec<DutyRole>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub auto: Vec<AutoRule>,
}

/// Why a role-set file cannot be used: the line and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSetError {
    pub line: usize,
    pub zh: String,
    pub en: String,
}

impl RoleSet {
    /// The embedded default.
    pub fn default_set() -> RoleSet {
        RoleSet::parse(DEFAULT_DUTIES).expect("the embedded duties.toml is valid")
    }

    /// Parses and checks a set: at least one role, every role with items, names unique,
    /// auto rules pointing at items that exist.
    pub fn parse(text: &str) -> Result<RoleSet, RoleSetError> {
        let set: RoleSet = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::text::line_of(text, s.start))
                .unwrap_or(1);
            let reason = e.message().trim().to_string();
            RoleSetError {
                line,
                zh: reason.clone(),
                en: reason,
            }
        })?;
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1)
        };
        let bad = |needle: &str, zh: String, en: String| RoleSetError {
            line: line_of(needle),
            zh,
            en,
        };
        if set.roles.is_empty() {
            return Err(bad(
                "roles",
                "没有定义任何职责（[[roles]]）".into(),
                "no roles defined ([[roles]])".into(),
            ));
        }
        let mut names = BTreeSet::new();
        for r in &set.roles {
            if r.name.trim().is_empty() {
                return Err(bad(
                    "name",
                    "职责名称不能为空".into(),
                    "a role has an empty name".into(),
                ));
            }
            if !names.insert(r.name.as_str()) {
                return Err(bad(
                    &r.name,
                    format!("职责「{}」重复", r.name),
                    format!("role \"{}\" is defined twice", r.name),
                ));
            }
            if r.items.iter().all(|i| i.trim().is_empty()) {
                return Err(bad(
                    &r.name,
                    format!("职责「{}」没有清单事项", r.name),
                    format!("role \"{}\" has no checklist items", r.name),
                ));
            }
            if !r.items_en.is_empty() && r.items_en.len() != r.items.len() {
                return Err(bad(
                    "items_en",
                    format!(
                        "职责「{}」有 {} 个清单事项，items_en 却有 {} 个：英文应与事项一一对应",
                        r.name,
                        r.items.len(),
                        r.items_en.len()
                    ),
                    format!(
                        "role \"{}\" has {} items but items_en has {}: give one English item for each",
                        r.name,
                        r.items.len(),
                        r.items_en.len()
                    ),
                ));
            }
        }
        for a in &set.auto {
            if set.item(&a.role, &a.item).is_none() {
                return Err(bad(
                    &a.item,
                    format!("自动打勾规则指向不存在的事项「{} · {}」", a.role, a.item),
                    format!(
                        "an auto-tick rule names an item that is not in the set: {} · {}",
                        a.role, a.item
                    ),
                ));
            }
        }
        Ok(set)
    }

    /// A role by its (Chinese) name.
    pub fn role(&self, name: &str) -> Option<&DutyRole> {
        self.roles.iter().find(|r| r.name == name)
    }

    fn item(&self, role: &str, item: &str) -> Option<&String> {
        self.role(role)?.items.iter().find(|i| *i == item)
    }

    /// The period a role's ticks for `month` are kept under; month for unknown roles.
    pub fn period_of(&self, role: &str, month: Month) -> String {
        self.role(role)
            .map_or(PeriodKind::Month, |r| r.period)
            .of(month)
    }

    /// Every distinct period string the set's roles use for `month` (what to load).
    pub fn periods(&self, month: Month) -> Vec<String> {
        let mut out: Vec<String> = vec![month.to_string()];
        for r in &self.roles {
            let p = r.period.of(month);
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The name of a role in the interface language.
    pub fn role_label<'a>(&'a self, name: &'a str, lang: Lang) -> &'a str {
        match (lang, self.role(name)) {
            (Lang::En, Some(r)) if !r.en.is_empty() => &r.en,
            _ => name,
        }
    }

    /// The name of a 四个无 target in the interface language (its Chinese name when the set
    /// gives no English one).
    pub fn target_label<'a>(&'a self, name: &'a str, lang: Lang) -> &'a str {
        match (lang, self.targets.iter().find(|t| t.name == name)) {
            (Lang::En, Some(t)) if !t.en.is_empty() => &t.en,
            _ => name,
        }
    }

    /// A checklist item in the interface language: its English text when the set gives one,
    /// else as written (an item retired from the set, or one without `items_en`).
    pub fn item_label<'a>(&'a self, role: &str, item: &'a str, lang: Lang) -> &'a str {
        if lang == Lang::Zh {
            return item;
        }
        self.role(role)
            .and_then(|r| {
                let i = r.items.iter().position(|x| x == item)?;
                r.items_en.get(i).filter(|en| !en.trim().is_empty())
            })
            .map_or(item, String::as_str)
    }

    /// Role names in the interface language, joined as that language lists them.
    pub fn roles_label(&self, names: &[String], lang: Lang) -> String {
        names
            .iter()
            .map(|n| self.role_label(n, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    }
}

/// A tick as stored, whatever the set says now.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub role: String,
    pub item: String,
    pub period: String,
    pub done: bool,
    pub on_date: String,
    pub note: String,
}

/// One line of a member's checklist for a month.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistLine {
    pub role: String,
    pub item: String,
    pub period: String,
    pub done: bool,
    pub on_date: String,
    pub note: String,
    /// Ticked in this period but no longer in the set (history is kept).
    pub retired: bool,
}

/// A member's checklist for `month`: every item of the roles they hold (in the set's
/// order) with its tick, then done ticks (of the month's periods, as loaded) for items the
/// set no longer has.
pub fn checklist(
    set: &RoleSet,
    month: Month,
    roles: &[&str],
    ticks: &[Tick],
) -> Vec<ChecklistLine> {
    let mut out = Vec::new();
    for role in set
        .roles
        .iter()
        .filter(|r| roles.contains(&r.name.as_str()))
    {
        let period = role.period.of(month);
        for item in &role.items {
            let t = ticks
                .iter()
                .find(|t| t.role == role.name && &t.item == item && t.period == period);
            out.push(ChecklistLine {
                role: role.name.clone(),
                item: item.clone(),
                period: period.clone(),
                done: t.is_some_and(|t| t.done),
                on_date: t.map(|t| t.on_date.clone()).unwrap_or_default(),
                note: t.map(|t| t.note.clone()).unwrap_or_default(),
                retired: false,
            });
        }
    }
    for t in ticks {
        let listed = out
            .iter()
            .any(|l| l.role == t.role && l.item == t.item && l.period == t.period);
        if !listed && t.done {
            out.push(ChecklistLine {
                role: t.role.clone(),
                item: t.item.clone(),
                period: t.period.clone(),
                done: true,
                on_date: t.on_date.clone(),
                note: t.note.clone(),
                retired: true,
            });
        }
    }
    out
}

/// Done and total of a checklist.
pub fn progress(lines: &[ChecklistLine]) -> (usize, usize) {
    (lines.iter().filter(|l| l.done).count(), lines.len())
}

/// Whether a member has fallen behind: fewer items done than the share of the period
/// already gone (rounded down) — all of them once the month is over, none before it starts.
pub fn behind(done: usize, total: usize, month: Month, today: Date) -> bool {
    let expected = (total as f64 * PeriodKind::Month.elapsed(month, today)).floor() as usize;
    total > 0 && done < expected
}

/// A stable id from parts, so that two devices making "the same" record (ticking one item
/// for one member in one period, attesting one target for one month, giving a member a
/// role) make it under the same id. Field-level last-writer-wins then merges their edits
/// into one record instead of leaving two ticks for one item after a sync. The hash is
/// FNV-1a 128, written out here so it can never change with a Rust or crate upgrade, and
/// the id is a UUID of the custom version 8, so it never collides with the random v7 ids.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            // A separator that cannot occur in text, so ("ab","c") ≠ ("a","bc").
            h ^= 0x1f;
            h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
        for b in p.as_bytes() {
            h ^= u128::from(*b);
            h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
    }
    uuid::Builder::from_custom_bytes(h.to_be_bytes())
        .into_uuid()
        .to_string()
}

/// The id of the tick of `item` of `role` for `member` in `period`.
pub fn tick_id(building: &str, member: &str, role: &str, item: &str, period: &str) -> String {
    stable_id(&["duty_tick", building, member, role, item, period])
}

/// The id of a member's taking of `role`: giving it back after removing it restores it.
pub fn assignment_id(building: &str, member: &str, role: &str) -> String {
    stable_id(&["duty_assignment", building, member, role])
}

/// The id of the attestation of `target` for `month`.
pub fn attestation_id(building: &str, month: &str, target: &str) -> String {
    stable_id(&["attestation", building, month, target])
}

/// What identifies a tick: one item of one role, for one member, in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TickKey<'a> {
    pub building: &'a str,
    pub member: &'a str,
    pub role: &'a str,
    pub item: &'a str,
    pub period: &'a str,
}

impl TickKey<'_> {
    /// The tick's stable id (see [`stable_id`]).
    pub fn id(&self) -> String {
        tick_id(
            self.building,
            self.member,
            self.role,
            self.item,
            self.period,
        )
    }

    /// Every field of the tick, as edits creating or overwriting it: ticking, unticking
    /// and re-ticking all write the same record.
    pub fn edits(&self, done: bool, on_date: Option<Date>, note: &str) -> Vec<Edit> {
        let id = self.id();
        let k = EntityKind::DutyTick;
        vec![
            Edit::new(k, &id, "deleted", false),
            Edit::new(k, &id, "building_id", self.building),
            Edit::new(k, &id, "member_id", self.member),
            Edit::new(k, &id, "role", self.role),
            Edit::new(k, &id, "item", self.item),
            Edit::new(k, &id, "period", self.period),
            Edit::new(k, &id, "done", done),
            Edit::new(
                k,
                &id,
                "on_date",
                on_date.map_or(Value::Null, |d| json!(format_date(d))),
            ),
            Edit::new(
                k,
                &id,
                "note",
                if note.trim().is_empty() {
                    Value::Null
                } else {
                    json!(note.trim())
                },
            ),
        ]
    }
}

/// Something a member did that the set may tick an item for.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyEvent {
    pub kind: EventKind,
    pub building: String,
    /// Who did it (a visit's visitors, the check-in's member).
    pub members: Vec<String>,
    pub date: Date,
    /// Members paired (双结对) with the visited household, for `only_paired` rules.
    pub paired: Vec<String>,
}

/// The ticks an event earns, as edits for one `Action::Create` change (a tick may not
/// exist yet). Only members holding the rule's role get them; items already done in
/// `done` (ids of done ticks) are left as they are so the first date stays.
pub fn auto_ticks(
    set: &RoleSet,
    event: &DutyEvent,
    assignments: &[(String, String)],
    done: &BTreeSet<String>,
) -> Vec<Edit> {
    let month = Month::of(event.date);
    let mut out = Vec::new();
    for rule in set.auto.iter().filter(|r| r.event == event.kind) {
        let period = set.period_of(&rule.role, month);
        for m in &event.members {
            let holds = assignments.iter().any(|(id, r)| id == m && *r == rule.role);
            if !holds || (rule.only_paired && !event.paired.contains(m)) {
                continue;
            }
            let id = tick_id(&event.building, m, &rule.role, &rule.item, &period);
            if done.contains(&id) || out.iter().any(|e: &Edit| e.id == id) {
                continue;
            }
            let key = TickKey {
                building: &event.building,
                member: m,
                role: &rule.role,
                item: &rule.item,
                period: &period,
            };
            out.extend(key.edits(true, Some(event.date), ""));
        }
    }
    out
}

#[cfg(test)]
mod tests;

/// The open needs that put each target at risk: (target, [(category, open count)]) for
/// targets with any. Shown before "met" is attested — a leader attesting 无安全隐患 with
/// an open 治安消防 need should see it first.
pub fn target_risks<'a>(
    set: &'a RoleSet,
    open: &[(String, i64)],
) -> Vec<(&'a str, Vec<(String, i64)>)> {
    set.targets
        .iter()
        .filter_map(|t| {
            let hits: Vec<(String, i64)> = open
                .iter()
                .filter(|(c, n)| *n > 0 && t.needs.contains(c))
                .cloned()
                .collect();
            (!hits.is_empty()).then_some((t.name.as_str(), hits))
        })
        .collect()
}

/// One member's row on the 六个员 board.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberProgress {
    pub member_id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub lines: Vec<ChecklistLine>,
    pub done: usize,
    pub total: usize,
    pub behind: bool,
}

/// The board for a month: every member (in the order given) with their roles, checklist,
/// progress and whether they have fallen behind. `assignments` are (member, role);
/// `ticks` are (member, tick) for the month's periods.
pub fn board(
    set: &RoleSet,
    month: Month,
    today: Date,
    members: &[(String, String)],
    assignments: &[(String, String)],
    ticks: &[(String, Tick)],
) -> Vec<MemberProgress> {
    members
        .iter()
        .map(|(id, name)| {
            let roles: Vec<&str> = assignments
                .iter()
                .filter(|(m, _)| m == id)
                .map(|(_, r)| r.as_str())
                .collect();
            let mine: Vec<Tick> = ticks
                .iter()
                .filter(|(m, _)| m == id)
                .map(|(_, t)| t.clone())
                .collect();
            let lines = checklist(set, month, &roles, &mine);
            let (done, total) = progress(&lines);
            MemberProgress {
                member_id: id.clone(),
                name: name.clone(),
                roles: roles.iter().map(|r| r.to_string()).collect(),
                behind: behind(done, total, month, today),
                lines,
                done,
                total,
            }
        })
        .collect()
}

/// Done and due of a whole board: the group's figure (全组 done/due) the pane's title,
/// `louzu duties` and every report print.
pub fn board_totals(board: &[MemberProgress]) -> (usize, usize) {
    board
        .iter()
        .fold((0, 0), |(d, t), m| (d + m.done, t + m.total))
}

/// Done and due of a member's checklists over several months (a report's period): the
/// checklist of every month, each item counted once per its own period (a quarterly item
/// is due once in a quarter, not three times). For one month this is exactly
/// [`progress`] of [`checklist`], the pane's figure.
pub fn period_progress(
    set: &RoleSet,
    months: &[Month],
    roles: &[&str],
    ticks: &[Tick],
) -> (usize, usize) {
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let (mut done, mut due) = (0, 0);
    for &m in months {
        let periods = set.periods(m);
        let mine: Vec<Tick> = ticks
            .iter()
            .filter(|t| periods.contains(&t.period))
            .cloned()
            .collect();
        for l in checklist(set, m, roles, &mine) {
            if seen.insert((l.role, l.item, l.period)) {
                due += 1;
                done += usize::from(l.done);
            }
        }
    }
    (done, due)
}

/// 四个无 over months: (met, due) where every target of the set is due once a month and
/// met when attested met for that month. `attested` holds (month `YYYY-MM`, target, met).
pub fn targets_met(
    set: &RoleSet,
    months: &[Month],
    attested: &[(String, String, bool)],
) -> (usize, usize) {
    let mut met = 0;
    for m in months {
        let key = m.to_string();
        met += set
            .targets
            .iter()
            .filter(|t| {
                attested
                    .iter()
                    .any(|(am, at, ok)| *am == key && *at == t.name && *ok)
            })
            .count();
    }
    (met, set.targets.len() * months.len())
}

/// Months in which every target of the set was attested met (the yearly ranking's figure).
pub fn full_months(set: &RoleSet, months: &[Month], attested: &[(String, String, bool)]) -> usize {
    if set.targets.is_empty() {
        return 0;
    }
    months
        .iter()
        .filter(|m| targets_met(set, &[**m], attested).0 == set.targets.len())
        .count()
}
