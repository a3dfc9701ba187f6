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
    if let Ok(s) = std::env::var("LOUZU_TODAY")
        && let Ok(d) = parse_date(&s)
    {
        return d;
    }
    Timestamp::now().to_zoned(shanghai()).date()
}

/// Parses the ways people write a date: `2026-11-26`, `2026/11/26`, `2026.11.26`,
/// `20261126`, `2026年11月26日`, with full-width digits too.
pub fn parse_date(input: &str) -> Result<Date, DomainError> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '年' | '月' | '/' | '.' | '－' => '-',
            '日' | '号' => ' ',
            c => c,
        })
        .collect();
    let s = s.trim().trim_end_matches('-');
    let bad = || DomainError::BadDate(input.trim().to_string());
    let parts: Vec<&str> = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[0..4], &s[4..6], &s[6..8]]
    } else {
        s.split('-').collect()
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let y: i16 = parts[0].trim().parse().map_err(|_| bad())?;
    let m: i8 = parts[1].trim().parse().map_err(|_| bad())?;
    let d: i8 = parts[2].trim().parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&y) {
        return Err(bad());
    }
    Date::new(y, m, d).map_err(|_| bad())
}

/// Parses a month such as `2026-11` or `2026年11月`.
pub fn parse_month(input: &str) -> Result<(i16, i8), DomainError> {
    let bad = || DomainError::BadMonth(input.trim().to_string());
    let d =
        parse_date(&format!("{}-01", input.trim().trim_end_matches('月'))).map_err(|_| bad())?;
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

    #[test]
    fn accepts_the_ways_people_write_dates() {
        let want = Date::new(2026, 11, 26).unwrap();
        for s in [
            "2026-11-26",
            "2026/11/26",
            "2026.11.26",
            "20261126",
            "2026年11月26日",
            "２０２６-１１-２６",
            " 2026-11-26 ",
        ] {
            assert_eq!(parse_date(s).unwrap(), want, "{s}");
        }
    }

    #[test]
    fn rejects_impossible_dates_with_the_input_in_the_message() {
        for s in [
            "2026-02-30",
            "2025-13-01",
            "昨天",
            "",
            "26-11-2026",
            "1800-01-01",
        ] {
            let err = parse_date(s).unwrap_err();
            assert!(err.to_string().contains(s.trim()), "{err}");
        }
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2026-02-29").is_err());
    }

    #[test]
    fn months_and_day_counts() {
        assert_eq!(parse_month("2026-11").unwrap(), (2026, 11));
        assert_eq!(parse_month("2026年3月").unwrap(), (2026, 3));
        assert!(parse_month("2026-13").is_err());
        let a = Date::new(2026, 2, 27).unwrap();
        assert_eq!(days_between(a, Date::new(2026, 3, 2).unwrap()), 3);
        assert_eq!(add_days(a, 2), Date::new(2026, 3, 1).unwrap());
    }
}
