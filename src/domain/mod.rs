//! Plain types and rules of 楼组党建, with messages a leader understands. No I/O here.

pub mod cadence;
pub mod checkin;
pub mod date;
pub mod duty;
pub mod edit;
pub mod entity;
pub mod group;
pub mod need;
pub mod room;
pub mod tags;
pub mod value;
pub mod visit;

pub use entity::{EntityKind, FieldKind, FieldSpec};

use crate::i18n::Lang;

/// A value a person typed that louzu cannot accept. Display is Chinese; `message(Lang::En)`
/// gives the English text. Each says what was wrong and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(
        "日期「{0}」看不懂：可写 2026-12-05、2026/12/5、20261205、2026年12月5日，今年的日期可不写年份：12-05、12/5、12月5日"
    )]
    BadDate(String),
    /// A date in an accepted form that the calendar does not have (2026-02-30).
    #[error("日期「{input}」不存在：{month} 月没有 {day} 日（{year} 年 {month} 月只有 {days} 天）")]
    NoSuchDay {
        input: String,
        year: i16,
        month: i8,
        day: i8,
        days: i8,
    },
    /// A month number outside 1–12 (2026-13-01).
    #[error("日期「{input}」不存在：没有 {month} 月，月份是 1 到 12")]
    NoSuchMonth { input: String, month: i64 },
    /// A year louzu does not keep records for (1800-01-01).
    #[error("日期「{input}」的年份 {year} 不在 1900 到 2200 之间")]
    YearOutOfRange { input: String, year: i64 },
    #[error("月份「{0}」看不懂：请写成 2026-11、2026/11 或 2026年11月")]
    BadMonth(String),
    #[error("室号「{0}」无效：请写成 301 或 1-302（单元-室号）")]
    BadRoom(String),
    #[error("「{0}」必须填写")]
    Required(String),
    #[error("「{0}」不是整数")]
    BadNumber(String),
    #[error("出生年份「{0}」不在 1900 到今年之间")]
    BadYear(String),
    #[error(
        "「{value}」不是可选项，可选：{}",
        entity::options_label(options, Lang::Zh)
    )]
    BadChoice {
        value: String,
        options: &'static [&'static str],
    },
    #[error("电话「{0}」无效：只能有数字、空格和 - +，7 到 20 位")]
    BadPhone(String),
    #[error("「{0}」请填 是 或 否")]
    BadBool(String),
    #[error("「{0}」太长（最多 {1} 字）")]
    TooLong(String, usize),
    #[error("引用的记录「{0}」不存在")]
    BadRef(String),
    #[error("「{0}」不是有效的 JSON")]
    BadJson(String),
}

impl DomainError {
    /// The message in the interface language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::Zh {
            return self.to_string();
        }
        match self {
            DomainError::BadDate(s) => format!(
                "\"{s}\" is not a date louzu can read: write 2026-12-05, 2026/12/5 or 20261205, or 12-05 or 12/5 for this year"
            ),
            DomainError::NoSuchDay {
                input,
                year,
                month,
                day,
                days,
            } => format!(
                "\"{input}\" does not exist: {} has no {} ({} {year} has {days} days)",
                month_name(*month),
                ordinal(*day),
                month_name(*month)
            ),
            DomainError::NoSuchMonth { input, month } => {
                format!(
                    "\"{input}\" does not exist: there is no month {month} (months are 1 to 12)"
                )
            }
            DomainError::YearOutOfRange { input, year } => {
                format!("\"{input}\": the year {year} is not between 1900 and 2200")
            }
            DomainError::BadMonth(s) => {
                format!("\"{s}\" is not a month louzu can read: write 2026-11 or 2026/11")
            }
            DomainError::BadRoom(s) => {
                format!("\"{s}\" is not a room number: write 301, or 1-302 for unit 1")
            }
            DomainError::Required(s) => format!("{} is required", entity::field_label_en(s)),
            DomainError::BadNumber(s) => format!("\"{s}\" is not a whole number"),
            DomainError::BadYear(s) => format!("birth year \"{s}\" is not between 1900 and now"),
            DomainError::BadChoice { value, options } => format!(
                "\"{value}\" is not one of: {}",
                entity::options_label(options, Lang::En)
            ),
            DomainError::BadPhone(s) => {
                format!("\"{s}\" is not a phone number (7–20 digits, spaces, - or +)")
            }
            DomainError::BadBool(s) => format!("\"{s}\": answer yes or no"),
            DomainError::TooLong(s, n) => format!(
                "{} is too long (at most {n} characters)",
                entity::field_label_en(s)
            ),
            DomainError::BadRef(s) => format!("the record \"{s}\" does not exist"),
            DomainError::BadJson(s) => format!("\"{s}\" is not valid JSON"),
        }
    }
}

/// The English name of a month (1 = January), for date messages and English report titles.
pub fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    usize::try_from(m - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("that month")
}

/// 1st, 2nd, 3rd, 4th… 11th, 12th, 13th, 21st…
fn ordinal(n: i8) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
