//! 标签 — household tags: a known list (each may carry a visit cadence later) plus free tags.

/// Tags the practice uses; free tags are allowed beside them.
pub const KNOWN_TAGS: &[&str] = &[
    "独居老人",
    "高龄",
    "纯老",
    "孤老",
    "残疾",
    "低保",
    "低收入",
    "困难",
    "失业",
    "优抚对象",
    "租户",
    "流动人口",
    "外籍",
];

/// Tags that mark a household in difficulty, the ones a member can pair with (双结对).
pub const DIFFICULTY_TAGS: &[&str] = &[
    "独居老人",
    "孤老",
    "残疾",
    "低保",
    "低收入",
    "困难",
    "失业",
    "高龄",
    "纯老",
];

/// Splits what a user typed (`独居老人, 高龄、低保`) into distinct, trimmed tags, keeping order.
pub fn parse_tags(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in input.split([',', '，', '、', ';', '；', ' ', '\u{3000}', '/']) {
        let t = t.trim();
        if !t.is_empty() && t.chars().count() <= 12 && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// A tag as the interface language shows it: known tags are translated, free tags are the
/// user's own words and shown as typed.
pub fn label(tag: &str, lang: crate::i18n::Lang) -> &str {
    super::entity::word_label(tag, lang)
}

/// Whether a tag is on the known list (free tags are shown differently).
pub fn is_known(tag: &str) -> bool {
    KNOWN_TAGS.contains(&tag)
}

/// Whether any of these tags marks a household in difficulty.
pub fn in_difficulty(tags: &[String]) -> bool {
    tags.iter().any(|t| DIFFICULTY_TAGS.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_chinese_and_ascii_separators_without_duplicates() {
        assert_eq!(
            parse_tags("独居老人, 高龄、低保，高龄 爱养花"),
            vec!["独居老人", "高龄", "低保", "爱养花"]
        );
        assert!(parse_tags(" ， ").is_empty());
        assert!(is_known("低保") && !is_known("爱养花"));
        assert!(in_difficulty(&["租户".into(), "残疾".into()]));
        assert!(!in_difficulty(&["租户".into()]));
    }
}
