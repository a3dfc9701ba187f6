//! Calendar dates as the leader lives them: Asia/Shanghai, which has kept UTC+8 without
//! daylight saving since 1991, so a fixed offset gives the right day on every laptop without
//! shipping a time-zone database (Windows has none).

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use super::DomainError;

/// The zone every date in louzu is a date in.
pub fn shanghai() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// Today's date in Shanghai. `LOUZU_TODAY` (YYYY-MM-DD) pins it, so tests and demos about
/// "overdue" do not depend on when they run.
pub fn today() -> Date {
    let now = || Timestamp::now().to_zoned(shanghai()).date();
    if let Ok(s) = std::env::var("LOUZU_TODAY")
        && let Ok(d) = parse_with(&s, || now().year())
    {
        return d;
    }
    now()
}

/// Parses the ways people write a date, full-width digits and punctuation included:
/// `2026-12-05`, `2026/12/5`, `2026.12.5`, `20261205`, `2026年12月5日`, and without the
/// year (`12-05`, `12/5`, `12月5日`), which means that day in `today`'s year. A date the
/// calendar does not have says why (2 月没有 30 日); anything else lists the accepted forms.
pub fn parse_date_on(input: &str, today: Date) -> Result<Date, DomainError> {
    parse_with(input, || today.year())
}

/// [`parse_date_on`] with today's date read from the clock, and only when the input has no
/// year: for callers that parse what a person typed without a "today" at hand.
pub fn parse_date(input: &str) -> Result<Date, DomainError> {
    parse_with(input, || today().year())
}

/// The parser behind both: `this_year` is asked only when the input leaves the year out.
fn parse_with(input: &str, this_year: impl FnOnce() -> i16) -> Result<Date, DomainError> {
    let shown = input.trim();
    let bad = || DomainError::BadDate(shown.to_string());
    let s: String = crate::text::halfwidth(shown)
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            '日' | '号' => ' ',
            c => c,
        })
        .collect();
    let s = s.trim().trim_end_matches('-').trim();
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        let p = p.trim();
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, month, day): (i64, &str, &str) =
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            (s[0..4].parse().map_err(|_| bad())?, &s[4..6], &s[6..8])
        } else {
            match s.split('-').collect::<Vec<_>>()[..] {
                [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
                    (y.trim().parse().map_err(|_| bad())?, m, d)
                }
                [m, d] if digits(m, 1..=2) && digits(d, 1..=2) => (i64::from(this_year()), m, d),
                _ => return Err(bad()),
            }
        };
    let month: i64 = month.trim().parse().map_err(|_| bad())?;
    let day: i64 = day.trim().parse().map_err(|_| bad())?;
    check_ymd(shown, year, month, day)
}

/// The date of a year, month and day that are numbers already, or why there is none.
fn check_ymd(input: &str, year: i64, month: i64, day: i64) -> Result<Date, DomainError> {
    if !(1900..=2200).contains(&year) {
        return Err(DomainError::YearOutOfRange {
            input: input.to_string(),
            year,
        });
    }
    if !(1..=12).contains(&month) {
        return Err(DomainError::NoSuchMonth {
            input: input.to_string(),
            month,
        });
    }
    // In range by the checks above, so the conversions cannot fail.
    let (y, m) = (year as i16, month as i8);
    let days = Date::new(y, m, 1).map_or(31, |d| d.days_in_month());
    match i8::try_from(day) {
        Ok(d) if (1..=days).contains(&d) => {
            Date::new(y, m, d).map_err(|_| DomainError::BadDate(input.to_string()))
        }
        _ => Err(DomainError::NoSuchDay {
            input: input.to_string(),
            year: y,
            month: m,
            day: i8::try_from(day).unwrap_or(i8::MAX),
            days,
        }),
    }
}

/// Parses a month: `2026-11`, `2026/11`, `2026.11`, `202611`, `2026年11月`, full-width too.
pub fn parse_month(input: &str) -> Result<(i16, i8), DomainError> {
    let shown = input.trim();
    let bad = || DomainError::BadMonth(shown.to_string());
    let s: String = crate::text::halfwidth(shown)
        .chars()
        .map(|c| match c {
            '年' | '/' | '.' => '-',
            '月' => ' ',
            c => c,
        })
        .collect();
    let s = s.trim();
    let (y, m) = if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        (&s[0..4], &s[4..6])
    } else {
        s.split_once('-').ok_or_else(bad)?
    };
    let (y, m) = (y.trim(), m.trim());
    if y.len() != 4 || !(1..=2).contains(&m.len()) {
        return Err(bad());
    }
    let year: i64 = y.parse().map_err(|_| bad())?;
    let month: i64 = m.parse().map_err(|_| bad())?;
    let d = check_ymd(shown, year, month, 1)?;
    Ok((d.year(), d.month()))
}

/// The canonical stored form of a date.
pub fn format_date(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// Whole days from `from` to `to` (positive when `to` is later).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

/// `d` moved by `n` days, clamped to the calendar's range.
pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use proptest::prelude::*;

    fn day(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn accepts_the_ways_people_write_dates() {
        let want = day(2026, 11, 26);
        for s in [
            "2026-11-26",
            "2026/11/26",
            "2026.11.26",
            "20261126",
            "2026年11月26日",
            "2026年11月26号",
            "２０２６-１１-２６",
            "２０２６－１１－２６",
            "２０２６／１１／２６",
            "２０２６年１１月２６日",
            "２０２６１１２６",
            " 2026-11-26 ",
            "\u{3000}2026 - 11 - 26\u{3000}",
        ] {
            assert_eq!(parse_date(s).unwrap(), want, "{s}");
        }
    }

    #[test]
    fn a_date_without_a_year_is_in_this_year() {
        let t = day(2026, 3, 1);
        for s in [
            "12-05",
            "12/5",
            "12月5日",
            "１２月５日",
            "１２－０５",
            "12.5",
        ] {
            assert_eq!(parse_date_on(s, t).unwrap(), day(2026, 12, 5), "{s}");
        }
        assert_eq!(
            parse_date_on("2/29", day(2028, 1, 1)).unwrap(),
            day(2028, 2, 29)
        );
        let err = parse_date_on("2/29", t).unwrap_err();
        assert!(
            matches!(err, DomainError::NoSuchDay { days: 28, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn impossible_dates_say_why() {
        let t = day(2026, 1, 1);
        let err = parse_date_on("2026-02-30", t).unwrap_err();
        assert!(err.to_string().contains("2 月没有 30 日"), "{err}");
        assert!(err.to_string().contains("2026-02-30"), "{err}");
        assert!(
            err.message(Lang::En).contains("February has no 30th"),
            "{err:?}"
        );
        let err = parse_date_on("4月31日", t).unwrap_err();
        assert!(err.to_string().contains("4 月没有 31 日"), "{err}");
        assert!(err.message(Lang::En).contains("April has no 31st"));
        let err = parse_date_on("2025-13-01", t).unwrap_err();
        assert!(err.to_string().contains("没有 13 月"), "{err}");
        assert!(err.message(Lang::En).contains("no month 13"));
        let err = parse_date_on("1800-01-01", t).unwrap_err();
        assert!(matches!(
            err,
            DomainError::YearOutOfRange { year: 1800, .. }
        ));
        let err = parse_date_on("2026-01-00", t).unwrap_err();
        assert!(err.message(Lang::En).contains("no 0th"), "{err:?}");
    }

    #[test]
    fn a_wrong_format_lists_the_accepted_forms() {
        for s in [
            "昨天",
            "",
            "26-11-2026",
            "2026-11",
            "1205",
            "2026-1-2-3",
            "x-y",
        ] {
            let err = parse_date_on(s, day(2026, 1, 1)).unwrap_err();
            assert!(matches!(err, DomainError::BadDate(_)), "{s}: {err:?}");
            let zh = err.to_string();
            assert!(zh.contains(s.trim()) && zh.contains("12月5日"), "{zh}");
            assert!(err.message(Lang::En).contains("2026/12/5"));
        }
    }

    #[test]
    fn months_and_day_counts() {
        for s in [
            "2026-11",
            "2026/11",
            "2026.11",
            "202611",
            "2026年11月",
            "２０２６－１１",
        ] {
            assert_eq!(parse_month(s).unwrap(), (2026, 11), "{s}");
        }
        assert_eq!(parse_month("2026年3月").unwrap(), (2026, 3));
        let err = parse_month("2026-13").unwrap_err();
        assert!(err.to_string().contains("没有 13 月"), "{err}");
        assert!(matches!(parse_month("11月"), Err(DomainError::BadMonth(_))));
        let a = day(2026, 2, 27);
        assert_eq!(days_between(a, day(2026, 3, 2)), 3);
        assert_eq!(add_days(a, 2), day(2026, 3, 1));
    }

    /// Every way of writing `d` that the parser promises, with and without full-width forms.
    fn forms(d: Date) -> Vec<String> {
        let (y, m, dd) = (d.year(), d.month(), d.day());
        let plain = vec![
            format!("{y:04}-{m:02}-{dd:02}"),
            format!("{y}/{m}/{dd}"),
            format!("{y:04}{m:02}{dd:02}"),
            format!("{y}年{m}月{dd}日"),
            format!("{m:02}-{dd:02}"),
            format!("{m}/{dd}"),
            format!("{m}月{dd}日"),
        ];
        let wide: Vec<String> = plain
            .iter()
            .map(|s| {
                s.chars()
                    .map(|c| match c {
                        '0'..='9' | '-' | '/' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                        c => c,
                    })
                    .collect()
            })
            .collect();
        plain.into_iter().chain(wide).collect()
    }

    proptest! {
        #[test]
        fn any_valid_date_parses_back_from_every_form(
            y in 1900i16..=2200, m in 1i8..=12, d in 1i8..=31, ty in 1900i16..=2200,
        ) {
            prop_assume!(Date::new(y, m, d).is_ok());
            let date = day(y, m, d);
            // Year-less forms take the year of "today"; give them a today in the same year.
            let today = day(y, 1, 1);
            for s in forms(date) {
                prop_assert_eq!(parse_date_on(&s, today).unwrap(), date, "{}", s);
            }
            // A full date never depends on today.
            let other = day(ty, 6, 15);
            prop_assert_eq!(parse_date_on(&format_date(date), other).unwrap(), date);
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,16}") {
            let _ = parse_date_on(&s, day(2026, 1, 1));
            let _ = parse_month(&s);
        }
    }
}
