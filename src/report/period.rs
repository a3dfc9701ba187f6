//! 期间 — the month, quarter or year a report covers.

use jiff::ToSpan;
use jiff::civil::Date;

use super::ReportError;
use crate::domain::date::format_date;
use crate::i18n::Lang;

/// A reporting period: whole months, from `start` to `end` inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As the user wrote it in canonical form: `2026-11`, `2026-Q4`, `2026`.
    pub label: String,
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// Parses `2026-11` (also `2026年11月`), `2026-Q4` (also `2026Q4`, `2026年第4季度`) or
    /// `2026` (also `2026年`).
    pub fn parse(input: &str) -> Result<Period, ReportError> {
        let bad = || ReportError::BadPeriod(input.trim().to_string());
        let s: String = input
            .trim()
            .to_uppercase()
            .replace(['年', '第', '季', '度', '月', '/', '.'], "-")
            .replace("--", "-");
        let s = s.trim_matches('-');
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None if s.len() == 6 && s.as_bytes()[4] == b'Q' => (&s[..4], Some(&s[4..])),
            None => (s, None),
        };
        let y: i16 = year.parse().map_err(|_| bad())?;
        if !(1990..=2200).contains(&y) {
            return Err(bad());
        }
        let first = |m: i8| Date::new(y, m, 1).map_err(|_| bad());
        match rest.map(|r| r.trim_matches('-')) {
            None => Ok(Period {
                label: format!("{y}"),
                start: first(1)?,
                end: first(12)?.last_of_month(),
            }),
            Some(r) if r.starts_with('Q') || input.contains('季') => {
                let q: i8 = r.trim_start_matches('Q').parse().map_err(|_| bad())?;
                if !(1..=4).contains(&q) {
                    return Err(bad());
                }
                Ok(Period {
                    label: format!("{y}-Q{q}"),
                    start: first(3 * q - 2)?,
                    end: first(3 * q)?.last_of_month(),
                })
            }
            Some(r) => {
                let m: i8 = r.parse().map_err(|_| bad())?;
                let start = first(m)?;
                Ok(Period {
                    label: format!("{y}-{m:02}"),
                    start,
                    end: start.last_of_month(),
                })
            }
        }
    }

    /// The month containing `d`.
    pub fn month_of(d: Date) -> Period {
        let start = d.first_of_month();
        Period {
            label: start.strftime("%Y-%m").to_string(),
            start,
            end: start.last_of_month(),
        }
    }

    /// First day, `YYYY-MM-DD`, for SQL comparisons on stored dates.
    pub fn from(&self) -> String {
        format_date(self.start)
    }

    /// Last day, `YYYY-MM-DD`.
    pub fn to(&self) -> String {
        format_date(self.end)
    }

    /// The months it covers, `YYYY-MM`: duty periods and attestations are kept per month.
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut d = self.start;
        while d <= self.end {
            out.push(d.strftime("%Y-%m").to_string());
            d = match d.checked_add(1.month()) {
                Ok(n) => n,
                Err(_) => break,
            };
        }
        out
    }

    /// Days in the period.
    pub fn days(&self) -> i64 {
        crate::domain::date::days_between(self.start, self.end) + 1
    }

    /// How people write it in Chinese: `2026年11月`, `2026年第4季度`, `2026年`.
    pub fn zh(&self) -> String {
        let y = self.start.year();
        match self.months().len() {
            1 => format!("{y}年{}月", self.start.month()),
            3 => format!("{y}年第{}季度", (self.start.month() + 2) / 3),
            12 => format!("{y}年"),
            _ => format!("{} 至 {}", self.from(), self.to()),
        }
    }

    /// How people write it in the interface language: `2026年11月` / `November 2026`,
    /// `2026年第4季度` / `Q4 2026`, `2026年` / `2026`.
    pub fn name(&self, lang: Lang) -> String {
        if lang == Lang::Zh {
            return self.zh();
        }
        let y = self.start.year();
        match self.months().len() {
            1 => format!("{} {y}", crate::domain::month_name(self.start.month())),
            3 => format!("Q{} {y}", (self.start.month() + 2) / 3),
            12 => y.to_string(),
            _ => format!("{} to {}", self.from(), self.to()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_quarters_and_years_parse() {
        let m = Period::parse("2026-11").unwrap();
        assert_eq!(
            (m.from(), m.to()),
            ("2026-11-01".into(), "2026-11-30".into())
        );
        assert_eq!(m.zh(), "2026年11月");
        assert_eq!(Period::parse("2026年2月").unwrap().to(), "2026-02-28");
        let q = Period::parse("2026-Q4").unwrap();
        assert_eq!(q.months(), vec!["2026-10", "2026-11", "2026-12"]);
        assert_eq!(q.zh(), "2026年第4季度");
        assert_eq!(q.name(Lang::En), "Q4 2026");
        assert_eq!(m.name(Lang::En), "November 2026");
        assert_eq!(m.name(Lang::Zh), m.zh());
        assert_eq!(Period::parse("2026q1").unwrap().label, "2026-Q1");
        let y = Period::parse("2026").unwrap();
        assert_eq!(y.months().len(), 12);
        assert_eq!(y.days(), 365);
        for bad in ["2026-13", "2026-Q5", "abc", "", "26-11"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
