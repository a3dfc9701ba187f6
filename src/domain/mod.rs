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
    #[error("日期「{0}」无效：请写成 2026-11-26 这样的年-月-日")]
    BadDate(String),
    #[error("月份「{0}」无效：请写成 2026-11")]
    BadMonth(String),
    #[error("室号「{0}」无效：请写成 301 或 1-302（单元-室号）")]
    BadRoom(String),
    #[error("「{0}」必须填写")]
    Required(String),
    #[error("「{0}」不是整数")]
    BadNumber(String),
    #[error("出生年份「{0}」不在 1900 到今年之间")]
    BadYear(String),
    #[error("「{value}」不是可选项，可选：{options}")]
    BadChoice { value: String, options: String },
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
            DomainError::BadDate(s) => format!("\"{s}\" is not a date: write it as 2026-11-26"),
            DomainError::BadMonth(s) => format!("\"{s}\" is not a month: write it as 2026-11"),
            DomainError::BadRoom(s) => {
                format!("\"{s}\" is not a room number: write 301, or 1-302 for unit 1")
            }
            DomainError::Required(s) => format!("{s} is required"),
            DomainError::BadNumber(s) => format!("\"{s}\" is not a whole number"),
            DomainError::BadYear(s) => format!("birth year \"{s}\" is not between 1900 and now"),
            DomainError::BadChoice { value, options } => {
                format!("\"{value}\" is not one of: {options}")
            }
            DomainError::BadPhone(s) => {
                format!("\"{s}\" is not a phone number (7–20 digits, spaces, - or +)")
            }
            DomainError::BadBool(s) => format!("\"{s}\": answer yes or no"),
            DomainError::TooLong(s, n) => format!("\"{s}\" is too long (at most {n} characters)"),
            DomainError::BadRef(s) => format!("the record \"{s}\" does not exist"),
            DomainError::BadJson(s) => format!("\"{s}\" is not valid JSON"),
        }
    }
}
