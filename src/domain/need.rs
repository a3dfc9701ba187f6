//! 民情诉求 — a resident's need and its path: open → in hand / escalated → resolved → fed
//! back. The practice records 问题 → 处理措施 → 反馈结果: a need is not closed until the
//! resident has been told the outcome, so "fed back" needs a note of what they were told.

use super::DomainError;
use crate::i18n::Lang;

/// Where a need stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NeedStatus {
    Open,
    InHand,
    Escalated,
    Resolved,
    FedBack,
}

impl NeedStatus {
    pub const ALL: [NeedStatus; 5] = [
        NeedStatus::Open,
        NeedStatus::InHand,
        NeedStatus::Escalated,
        NeedStatus::Resolved,
        NeedStatus::FedBack,
    ];

    /// The stored name (see `entity::NEED_STATUSES`).
    pub fn name(self) -> &'static str {
        match self {
            NeedStatus::Open => "open",
            NeedStatus::InHand => "in_hand",
            NeedStatus::Escalated => "escalated",
            NeedStatus::Resolved => "resolved",
            NeedStatus::FedBack => "fed_back",
        }
    }

    /// Reads a status as stored (`in_hand`) or as either language shows it (处理中,
    /// `in hand`, any case).
    pub fn parse(s: &str) -> Option<NeedStatus> {
        let want = s.trim().to_lowercase();
        Self::ALL.into_iter().find(|x| {
            x.name() == want || x.zh() == want || x.label(Lang::En) == want.replace('_', " ")
        })
    }

    pub fn zh(self) -> &'static str {
        match self {
            NeedStatus::Open => "待处理",
            NeedStatus::InHand => "处理中",
            NeedStatus::Escalated => "已转交",
            NeedStatus::Resolved => "已解决",
            NeedStatus::FedBack => "已反馈",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => match self {
                NeedStatus::Open => "open",
                NeedStatus::InHand => "in hand",
                NeedStatus::Escalated => "escalated",
                NeedStatus::Resolved => "resolved",
                NeedStatus::FedBack => "fed back",
            },
        }
    }

    /// Still waiting on someone: counts as open in the header and the office's figures.
    pub fn is_open(self) -> bool {
        !matches!(self, NeedStatus::Resolved | NeedStatus::FedBack)
    }

    /// The open statuses as an SQL list (`'open', 'in_hand', 'escalated'`), so the header's
    /// 未办结诉求, the needs list and every report count open needs by [`Self::is_open`].
    pub fn open_sql() -> String {
        NeedStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| format!("'{}'", s.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The usual next step, for the one-key "advance" in the needs list.
    pub fn next(self) -> NeedStatus {
        match self {
            NeedStatus::Open => NeedStatus::InHand,
            NeedStatus::InHand | NeedStatus::Escalated => NeedStatus::Resolved,
            NeedStatus::Resolved | NeedStatus::FedBack => NeedStatus::FedBack,
        }
    }
}

/// Why a need's status cannot be set as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NeedError {
    #[error("标为「已反馈」前请写下告诉居民的结果（反馈结果）")]
    FeedbackMissing,
    #[error("「已转交」需要写明转交给谁（居委会、物业、网格、支部…）")]
    EscalatedToWhom,
    #[error("已反馈的诉求不能退回到「{}」；如有新情况请新建一条诉求", .0.zh())]
    Backwards(NeedStatus),
    #[error("{0}")]
    Field(DomainError),
}

impl NeedError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Zh) => self.to_string(),
            (NeedError::FeedbackMissing, Lang::En) => {
                "write what the resident was told (feedback) before marking it fed back".into()
            }
            (NeedError::EscalatedToWhom, Lang::En) => {
                "say whom it was escalated to (residents' committee, property management, grid worker, party branch…)".into()
            }
            (NeedError::Backwards(s), Lang::En) => format!(
                "a need already fed back cannot go back to \"{}\"; open a new one",
                s.label(Lang::En)
            ),
            (NeedError::Field(e), Lang::En) => e.message(Lang::En),
        }
    }
}

/// Checks a status change: `from` the stored status (None for a new need) to `to`, with
/// the escalation target and feedback as they will be after the change.
pub fn check_transition(
    from: Option<NeedStatus>,
    to: NeedStatus,
    escalated_to: &str,
    feedback: &str,
) -> Result<(), NeedError> {
    if from == Some(NeedStatus::FedBack) && to != NeedStatus::FedBack {
        return Err(NeedError::Backwards(to));
    }
    if to == NeedStatus::FedBack && feedback.trim().is_empty() {
        return Err(NeedError::FeedbackMissing);
    }
    if to == NeedStatus::Escalated && escalated_to.trim().is_empty() {
        return Err(NeedError::EscalatedToWhom);
    }
    Ok(())
}

/// Age buckets for "open needs counted by age": under a week, under a month, older.
pub fn age_bucket(days: i64) -> usize {
    match days {
        ..=6 => 0,
        7..=29 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NeedStatus::*;

    #[test]
    fn fed_back_needs_what_the_resident_was_told() {
        assert_eq!(
            check_transition(Some(Resolved), FedBack, "", "  "),
            Err(NeedError::FeedbackMissing)
        );
        assert!(
            check_transition(Some(Resolved), FedBack, "", "已告知王阿姨：物业下周换灯").is_ok()
        );
        assert!(check_transition(None, FedBack, "", "").is_err());
    }

    #[test]
    fn escalation_names_whom_and_fed_back_is_final() {
        assert_eq!(
            check_transition(Some(Open), Escalated, "", ""),
            Err(NeedError::EscalatedToWhom)
        );
        assert!(check_transition(Some(Open), Escalated, "物业", "").is_ok());
        assert!(matches!(
            check_transition(Some(FedBack), Open, "", "x"),
            Err(NeedError::Backwards(_))
        ));
        assert!(
            NeedError::FeedbackMissing
                .message(Lang::En)
                .contains("fed back")
        );
    }

    #[test]
    fn statuses_round_trip_and_advance() {
        for s in NeedStatus::ALL {
            assert_eq!(NeedStatus::parse(s.name()), Some(s));
            assert!(crate::domain::entity::NEED_STATUSES.contains(&s.name()));
        }
        assert_eq!(NeedStatus::parse("in hand"), Some(InHand));
        assert_eq!(NeedStatus::parse(" Fed Back"), Some(FedBack));
        assert_eq!(NeedStatus::parse("已转交"), Some(Escalated));
        assert_eq!(NeedStatus::parse("later"), None);
        let back = NeedError::Backwards(Open);
        assert!(back.to_string().contains("待处理"));
        assert!(back.message(Lang::En).contains("\"open\""));
        assert!(!crate::text::has_cjk(
            &NeedError::EscalatedToWhom.message(Lang::En)
        ));
        assert_eq!(Open.next(), InHand);
        assert_eq!(Escalated.next(), Resolved);
        assert_eq!(Resolved.next(), FedBack);
        assert!(Escalated.is_open() && !Resolved.is_open());
        assert_eq!((age_bucket(0), age_bucket(7), age_bucket(45)), (0, 1, 2));
    }
}
