//! Turning what a person typed into a field's stored value, and back into text to show.
//!
//! Values travel in the op log as JSON, so a field's value is a `serde_json::Value`: text
//! and dates as strings, numbers and yes/no as numbers and booleans, tags and id lists as
//! arrays. Empty input means "not recorded" (null).

use serde_json::Value;

use jiff::civil::Date;

use super::date::{format_date, parse_date_on, parse_month, today};
use super::room::Room;
use super::tags::parse_tags;
use super::{DomainError, FieldKind, FieldSpec};
use crate::i18n::Lang;

/// Longest free text accepted in one field (a visit's situation is the long case).
pub const MAX_TEXT: usize = 2000;

/// Parses one field from text, checking it is well-formed. References are checked for
/// shape only; whether the record exists is the store's business.
///
/// Full-width digits and punctuation (`１２`, `１－３０２`, `１３８　０００`) count as plain
/// ones in every kind but free text, which is kept exactly as typed.
pub fn parse_field(spec: &FieldSpec, input: &str) -> Result<Value, DomainError> {
    parse_field_with(spec, input, &today)
}

/// [`parse_field`] with "today" given (a date without a year is in today's year; a birth
/// year cannot be later than today's), for callers that hold the day they work in, such as
/// the TUI's `Data::today`.
pub fn parse_field_on(spec: &FieldSpec, input: &str, today: Date) -> Result<Value, DomainError> {
    parse_field_with(spec, input, &|| today)
}

/// The parser behind both: `today` is asked only by the kinds that need it.
fn parse_field_with(
    spec: &FieldSpec,
    input: &str,
    today: &dyn Fn() -> Date,
) -> Result<Value, DomainError> {
    let typed = input.trim();
    let plain = crate::text::halfwidth(typed);
    let s = if spec.kind == FieldKind::Text {
        typed
    } else {
        plain.trim()
    };
    let label = spec.zh.to_string();
    if s.is_empty() {
        return if spec.required {
            Err(DomainError::Required(label))
        } else {
            Ok(Value::Null)
        };
    }
    match spec.kind {
        FieldKind::Text => {
            if s.chars().count() > MAX_TEXT {
                return Err(DomainError::TooLong(label, MAX_TEXT));
            }
            Ok(Value::String(s.to_string()))
        }
        FieldKind::Room => Ok(Value::String(Room::parse(s)?.text)),
        FieldKind::Date => Ok(Value::String(format_date(parse_date_on(s, today())?))),
        FieldKind::Month => {
            let (y, m) = parse_month(s)?;
            Ok(Value::String(format!("{y:04}-{m:02}")))
        }
        FieldKind::Int => {
            let n: i64 = s
                .parse()
                .map_err(|_| DomainError::BadNumber(s.to_string()))?;
            if spec.name == "birth_year" && !(1900..=i64::from(today().year())).contains(&n) {
                return Err(DomainError::BadYear(s.to_string()));
            }
            Ok(Value::from(n))
        }
        FieldKind::Bool => parse_bool(s).map(Value::Bool),
        FieldKind::Tags => Ok(Value::from(parse_tags(s))),
        FieldKind::Choice(options) => super::entity::parse_choice(options, s)
            .map(|o| Value::String(o.to_string()))
            .ok_or_else(|| DomainError::BadChoice {
                value: s.to_string(),
                options,
            }),
        FieldKind::Phone => {
            let digits = s.chars().filter(char::is_ascii_digit).count();
            let ok_chars = s
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+'));
            if ok_chars && (7..=20).contains(&digits) {
                Ok(Value::String(s.to_string()))
            } else {
                Err(DomainError::BadPhone(s.to_string()))
            }
        }
        FieldKind::Ref(_) => Ok(Value::String(s.to_string())),
        FieldKind::RefList(_) => Ok(Value::from(
            s.split([',', '，', '、', ' '])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )),
        FieldKind::Json => serde_json::from_str(s).map_err(|_| DomainError::BadJson(s.to_string())),
    }
}

/// Checks a value that arrived already typed (from a bundle, the store, or a caller that
/// built JSON itself) the same way typed input is checked.
pub fn check_value(spec: &FieldSpec, value: &Value) -> Result<(), DomainError> {
    match value {
        Value::Null if spec.required => Err(DomainError::Required(spec.zh.to_string())),
        Value::Null => Ok(()),
        // Enumerations and dates are stored in one form only (`in_hand`, `2026-12-05`):
        // what people may type (`in hand`, `12/5`) is turned into it by `parse_field`
        // first, so a stored value in any other form is a bug or a foreign bundle.
        Value::String(s) => match (parse_field(spec, s)?, spec.kind) {
            (Value::String(v), FieldKind::Choice(options)) if v != *s => {
                Err(DomainError::BadChoice {
                    value: s.clone(),
                    options,
                })
            }
            (Value::String(v), FieldKind::Date) if v != *s => Err(DomainError::BadDate(s.clone())),
            (Value::String(v), FieldKind::Month) if v != *s => {
                Err(DomainError::BadMonth(s.clone()))
            }
            _ => Ok(()),
        },
        Value::Bool(_) if spec.kind == FieldKind::Bool => Ok(()),
        Value::Number(_) if spec.kind == FieldKind::Int => Ok(()),
        Value::Array(_)
            if matches!(
                spec.kind,
                FieldKind::Tags | FieldKind::RefList(_) | FieldKind::Json
            ) =>
        {
            Ok(())
        }
        _ if spec.kind == FieldKind::Json => Ok(()),
        other => Err(DomainError::BadJson(other.to_string())),
    }
}

/// Yes/no as people type it, in Chinese or English.
pub fn parse_bool(s: &str) -> Result<bool, DomainError> {
    match s.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "对" | "有" => Ok(true),
        "否" | "n" | "no" | "false" | "0" | "不" | "无" => Ok(false),
        _ => Err(DomainError::BadBool(s.to_string())),
    }
}

/// The text a form shows for a stored value, so editing starts from what is there.
pub fn edit_text(value: &Value, lang: Lang) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => lang
            .pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" })
            .to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "、" } else { ", " }),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EntityKind;

    fn spec(kind: EntityKind, name: &str) -> &'static FieldSpec {
        kind.field(name).unwrap()
    }

    #[test]
    fn typed_text_becomes_values() {
        let room = spec(EntityKind::Household, "room");
        assert_eq!(parse_field(room, " 1－302 ").unwrap(), Value::from("1-302"));
        let tags = spec(EntityKind::Household, "tags");
        assert_eq!(
            parse_field(tags, "独居老人、高龄").unwrap(),
            serde_json::json!(["独居老人", "高龄"])
        );
        let shown = spec(EntityKind::Member, "show_identity");
        assert_eq!(parse_field(shown, "是").unwrap(), Value::Bool(true));
        let cat = spec(EntityKind::Member, "category");
        assert_eq!(
            parse_field(cat, "在职党员").unwrap(),
            Value::from("在职党员")
        );
        let note = spec(EntityKind::Household, "note");
        assert_eq!(parse_field(note, "   ").unwrap(), Value::Null);
    }

    #[test]
    fn bad_input_is_explained() {
        let name = spec(EntityKind::Resident, "name");
        assert_eq!(
            parse_field(name, "").unwrap_err(),
            DomainError::Required("姓名".into())
        );
        let cat = spec(EntityKind::Member, "category");
        let err = parse_field(cat, "党员").unwrap_err();
        assert!(err.to_string().contains("在职党员"), "{err}");
        assert!(err.message(Lang::En).contains("not one of"));
        let phone = spec(EntityKind::Resident, "phone");
        assert!(parse_field(phone, "138-0000-1234").is_ok());
        assert!(parse_field(phone, "call me").is_err());
        let year = spec(EntityKind::Resident, "birth_year");
        assert!(parse_field(year, "1950").is_ok());
        assert!(parse_field(year, "1850").is_err());
        assert!(parse_field(year, "一九五零").is_err());
        let then = Date::new(1990, 6, 1).unwrap();
        assert!(
            parse_field_on(year, "1995", then).is_err(),
            "not born yet in 1990"
        );
        let due = spec(EntityKind::Visit, "due");
        assert_eq!(
            parse_field_on(due, "12月5日", then).unwrap(),
            Value::from("1990-12-05")
        );
    }

    #[test]
    fn full_width_input_counts_as_plain() {
        let year = spec(EntityKind::Resident, "birth_year");
        assert_eq!(parse_field(year, "１９５０").unwrap(), Value::from(1950));
        let count = spec(EntityKind::Activity, "residents_count");
        assert_eq!(parse_field(count, "１２").unwrap(), Value::from(12));
        assert_eq!(parse_field(count, "－３").unwrap(), Value::from(-3));
        let room = spec(EntityKind::Household, "room");
        assert_eq!(
            parse_field(room, "１－３０２").unwrap(),
            Value::from("1-302")
        );
        let phone = spec(EntityKind::Resident, "phone");
        assert_eq!(
            parse_field(phone, "１３８　０００－１２３４").unwrap(),
            Value::from("138 000-1234")
        );
        let due = spec(EntityKind::Visit, "due");
        assert_eq!(
            parse_field(due, "２０２６年１２月５日").unwrap(),
            Value::from("2026-12-05")
        );
        let month = spec(EntityKind::Attestation, "month");
        assert_eq!(
            parse_field(month, "２０２６／１１").unwrap(),
            Value::from("2026-11")
        );
        let b = spec(EntityKind::Member, "show_identity");
        assert_eq!(parse_field(b, "ｙｅｓ").unwrap(), Value::Bool(true));
        let present = spec(EntityKind::Activity, "present");
        assert_eq!(
            parse_field(present, "a，b、c d").unwrap(),
            serde_json::json!(["a", "b", "c", "d"])
        );
        // Free text is the user's own: kept as typed, full-width and all.
        let note = spec(EntityKind::Household, "note");
        assert_eq!(
            parse_field(note, "３楼：灯坏").unwrap(),
            Value::from("３楼：灯坏")
        );
    }

    #[test]
    fn choices_take_either_language_and_store_one_word() {
        let status = spec(EntityKind::Need, "status");
        assert_eq!(
            parse_field(status, "in hand").unwrap(),
            Value::from("in_hand")
        );
        assert_eq!(
            parse_field(status, "已反馈").unwrap(),
            Value::from("fed_back")
        );
        let handling = spec(EntityKind::Visit, "handling");
        assert_eq!(
            parse_field(handling, "solved on the spot").unwrap(),
            Value::from("当场解决")
        );
        let err = parse_field(handling, "later").unwrap_err();
        assert!(err.to_string().contains("当场解决、居委会"), "{err}");
        assert!(
            err.message(Lang::En)
                .contains("solved on the spot, residents'")
        );
        let required = spec(EntityKind::Resident, "name");
        assert_eq!(
            parse_field(required, "").unwrap_err().message(Lang::En),
            "Name is required"
        );
    }

    #[test]
    fn edit_text_round_trips() {
        let tags = spec(EntityKind::Household, "tags");
        let v = parse_field(tags, "低保 残疾").unwrap();
        assert_eq!(parse_field(tags, &edit_text(&v, Lang::Zh)).unwrap(), v);
        let b = spec(EntityKind::Member, "show_identity");
        let v = Value::Bool(false);
        assert_eq!(parse_field(b, &edit_text(&v, Lang::En)).unwrap(), v);
        assert!(check_value(spec(EntityKind::Household, "room"), &Value::from("abc")).is_err());
        let status = spec(EntityKind::Need, "status");
        assert!(check_value(status, &Value::from("in_hand")).is_ok());
        assert!(check_value(status, &Value::from("in hand")).is_err());
        let due = spec(EntityKind::Visit, "due");
        assert!(check_value(due, &Value::from("2026-12-05")).is_ok());
        assert!(check_value(due, &Value::from("12/5")).is_err());
    }
}
