//! 走访 — what the leader records when a home visit ends, and the needs it raised.

use jiff::civil::Date;

use super::entity::{NEED_CATEGORIES, parse_choice};

/// A need raised while completing a visit or from a check-in finding.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNeed {
    pub category: String,
    pub description: String,
}

/// How a visit ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// 未访 — nobody home, refused…; the reason is kept.
    Missed(String),
    Cancelled(String),
}

/// What the leader records when a visit is completed.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub outcome: Outcome,
    pub date: Date,
    pub visitors: Vec<String>,
    pub situation: String,
    /// 当场解决 or where it was escalated (居委会 / 物业 / 网格 / 支部 / 其他).
    pub handling: Option<String>,
    pub needs: Vec<NewNeed>,
    /// The next visit's date; `None` leaves it to the cadence rule.
    pub follow_up: Option<Date>,
}

/// Handling that closes a need on the spot.
pub const SOLVED_ON_THE_SPOT: &str = "当场解决";

/// Reads the needs typed while completing a visit: `类别:内容；类别:内容`, one per part
/// (；, ; or a new line). The category may be written as stored or by its English name
/// (`repairs:lamp broken`, as the English form's hint says). A part without a known
/// category is filed under 其他 whole, so nothing typed is dropped.
pub fn parse_needs(text: &str) -> Vec<NewNeed> {
    text.split([';', '；', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let filed = t.split_once([':', '：']).and_then(|(cat, d)| {
                let category = parse_choice(NEED_CATEGORIES, cat)?;
                (!d.trim().is_empty()).then(|| NewNeed {
                    category: category.to_string(),
                    description: d.trim().to_string(),
                })
            });
            filed.unwrap_or_else(|| NewNeed {
                category: "其他".to_string(),
                description: t.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_are_split_and_filed_by_category() {
        let n = parse_needs("设施维修：楼道灯坏；想了解高龄补贴\n帮困:");
        assert_eq!(n.len(), 3);
        assert_eq!(n[0].category, "设施维修");
        assert_eq!(n[0].description, "楼道灯坏");
        assert_eq!(n[1].category, "其他");
        assert_eq!(n[1].description, "想了解高龄补贴");
        // A category with nothing after it keeps the text rather than an empty need.
        assert_eq!(n[2].category, "其他");
        assert_eq!(n[2].description, "帮困:");
        assert!(parse_needs(" ；；\n").is_empty());
        // The English interface's example files under the stored category.
        let n = parse_needs("repairs: lamp broken");
        assert_eq!(
            (n[0].category.as_str(), n[0].description.as_str()),
            ("设施维修", "lamp broken")
        );
    }
}
