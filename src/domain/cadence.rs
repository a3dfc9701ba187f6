//! 走访周期 — how often a household is visited, from its tags, and the date the next visit
//! falls on. Month arithmetic clamps to the month's end, as a person expects: a monthly
//! visit planned on 31 January falls on the last day of February.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;

/// How often a tag asks for a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cadence {
    Days(u16),
    Months(u8),
}

impl Cadence {
    /// Parses the config file's spelling: `weekly`, `biweekly`, `monthly`, `quarterly`,
    /// `14d`, `2w`, `1m`, `每周`, `每两周`, `每月`, or `none` (→ `None`).
    pub fn parse(s: &str) -> Result<Option<Cadence>, String> {
        let t = s.trim().to_lowercase();
        let c = match t.as_str() {
            "none" | "" | "无" | "不定期" => return Ok(None),
            "weekly" | "每周" => Cadence::Days(7),
            "biweekly" | "fortnightly" | "每两周" => Cadence::Days(14),
            "monthly" | "每月" => Cadence::Months(1),
            "quarterly" | "每季度" => Cadence::Months(3),
            _ => {
                let (num, unit) =
                    t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
                let n: u16 = num.parse().map_err(|_| bad(s))?;
                if n == 0 {
                    return Err(bad(s));
                }
                match unit {
                    "d" | "天" => Cadence::Days(n),
                    "w" | "周" => Cadence::Days(n.saturating_mul(7)),
                    "m" | "月" | "个月" => Cadence::Months(u8::try_from(n).map_err(|_| bad(s))?),
                    _ => return Err(bad(s)),
                }
            }
        };
        Ok(Some(c))
    }

    /// Approximate length in days, to pick the most frequent of several cadences.
    pub fn approx_days(self) -> u32 {
        match self {
            Cadence::Days(n) => u32::from(n),
            Cadence::Months(n) => u32::from(n) * 30,
        }
    }

    /// The date one cadence after `from`.
    pub fn next(self, from: Date) -> Date {
        match self {
            Cadence::Days(n) => from.checked_add(i64::from(n).days()).unwrap_or(from),
            // jiff clamps day-of-month to the target month's last day.
            Cadence::Months(n) => from.checked_add(i64::from(n).months()).unwrap_or(from),
        }
    }

    /// Chinese description for lists and help.
    pub fn describe(self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (Cadence::Days(7), Lang::Zh) => "每周".into(),
            (Cadence::Days(14), Lang::Zh) => "每两周".into(),
            (Cadence::Days(n), Lang::Zh) => format!("每{n}天"),
            (Cadence::Months(1), Lang::Zh) => "每月".into(),
            (Cadence::Months(n), Lang::Zh) => format!("每{n}个月"),
            (Cadence::Days(7), Lang::En) => "weekly".into(),
            (Cadence::Days(n), Lang::En) => format!("every {n} days"),
            (Cadence::Months(1), Lang::En) => "monthly".into(),
            (Cadence::Months(n), Lang::En) => format!("every {n} months"),
        }
    }
}

fn bad(s: &str) -> String {
    format!("走访周期「{s}」无法识别：可写 weekly、biweekly、monthly、14d、2w、1m 或 none")
}

/// Visit cadence per household tag, from the config file over these defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Cadences(pub BTreeMap<String, Cadence>);

impl Default for Cadences {
    /// 独居老人 weekly; 高龄/纯老 every two weeks; 低保/低收入/困难/残疾 monthly; others none.
    fn default() -> Self {
        let mut m = BTreeMap::new();
        m.insert("独居老人".to_string(), Cadence::Days(7));
        for t in ["高龄", "纯老"] {
            m.insert(t.to_string(), Cadence::Days(14));
        }
        for t in ["低保", "低收入", "困难", "残疾"] {
            m.insert(t.to_string(), Cadence::Months(1));
        }
        Cadences(m)
    }
}

impl Cadences {
    /// Applies the config file's `[cadence]` table over the defaults; `none` removes one.
    pub fn with_overrides(mut self, table: &BTreeMap<String, String>) -> Result<Cadences, String> {
        for (tag, spec) in table {
            match Cadence::parse(spec)? {
                Some(c) => {
                    self.0.insert(tag.clone(), c);
                }
                None => {
                    self.0.remove(tag);
                }
            }
        }
        Ok(self)
    }

    /// The most frequent cadence among a household's tags, if any tag has one.
    pub fn for_tags(&self, tags: &[String]) -> Option<Cadence> {
        tags.iter()
            .filter_map(|t| self.0.get(t).copied())
            .min_by_key(|c| c.approx_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn month_ends_and_leap_years_behave_as_people_expect() {
        let monthly = Cadence::Months(1);
        assert_eq!(monthly.next(d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(monthly.next(d(2028, 1, 31)), d(2028, 2, 29));
        assert_eq!(monthly.next(d(2026, 3, 31)), d(2026, 4, 30));
        assert_eq!(monthly.next(d(2026, 12, 15)), d(2027, 1, 15));
        assert_eq!(Cadence::Days(7).next(d(2026, 12, 29)), d(2027, 1, 5));
        assert_eq!(Cadence::Days(14).next(d(2028, 2, 20)), d(2028, 3, 5));
    }

    #[test]
    fn the_most_frequent_tag_wins_and_untagged_households_have_none() {
        let c = Cadences::default();
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            c.for_tags(&tags(&["低保", "独居老人"])),
            Some(Cadence::Days(7))
        );
        assert_eq!(c.for_tags(&tags(&["高龄"])), Some(Cadence::Days(14)));
        assert_eq!(c.for_tags(&tags(&["残疾"])), Some(Cadence::Months(1)));
        assert_eq!(c.for_tags(&tags(&["租户", "爱养花"])), None);
    }

    #[test]
    fn config_spellings_and_overrides() {
        assert_eq!(Cadence::parse("2w").unwrap(), Some(Cadence::Days(14)));
        assert_eq!(Cadence::parse("每月").unwrap(), Some(Cadence::Months(1)));
        assert_eq!(Cadence::parse("none").unwrap(), None);
        assert!(
            Cadence::parse("sometimes")
                .unwrap_err()
                .contains("sometimes")
        );
        assert!(Cadence::parse("0d").is_err());
        let mut t = BTreeMap::new();
        t.insert("租户".to_string(), "quarterly".to_string());
        t.insert("独居老人".to_string(), "none".to_string());
        let c = Cadences::default().with_overrides(&t).unwrap();
        assert_eq!(c.0.get("租户"), Some(&Cadence::Months(3)));
        assert!(!c.0.contains_key("独居老人"));
    }

    proptest! {
        /// A next visit is always later, by at most the cadence, and a monthly visit stays
        /// on the same day of the month unless that month is shorter.
        #[test]
        fn next_visit_is_later_and_keeps_the_day(y in 2000i16..2100, m in 1i8..=12, day in 1i8..=31, n in 1u8..=12, days in 1u16..=120) {
            let Ok(from) = Date::new(y, m, day) else { return Ok(()) };
            let next = Cadence::Months(n).next(from);
            prop_assert!(next > from);
            let expect_day = day.min(next.days_in_month());
            prop_assert_eq!(next.day(), expect_day);
            let months = (i32::from(next.year()) * 12 + i32::from(next.month())) - (i32::from(y) * 12 + i32::from(m));
            prop_assert_eq!(months, i32::from(n));
            let dn = Cadence::Days(days).next(from);
            prop_assert_eq!(crate::domain::date::days_between(from, dn), i64::from(days));
        }
    }
}
