//! The words a choice field shows: stored values stay as they are (they are data, and
//! sync carries them), the interface shows them in its language — 待处理 / "open" for the
//! stored `open`, "solved on the spot" for 当场解决. The table is the domain's
//! ([`crate::domain::entity::word_label`]), shared with the CLI.

use crate::i18n::Lang;

/// How a stored choice value reads in `lang`. The completion form's outcomes (已走访,
/// 未遇/未访, 取消) and the report dialog's reports are the dialogs' own Chinese words, not
/// stored values, so they are named here.
pub fn choice(value: &str, lang: Lang) -> String {
    let outcome = match value {
        "已走访" => Some("visited"),
        "未遇/未访" => Some("not met"),
        "取消" => Some("cancelled"),
        "月度工作台账" => Some("monthly ledger"),
        "年度评比" => Some("yearly comparison"),
        "在职党员表现反馈单" => Some("in-service members' feedback"),
        "党员公示牌" => Some("members' notice board"),
        _ => None,
    };
    match (outcome, lang) {
        (Some(en), Lang::En) => en.to_string(),
        _ => crate::domain::entity::word_label(value, lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_in_the_interface_language() {
        assert_eq!(choice("in_hand", Lang::Zh), "处理中");
        assert_eq!(choice("in_hand", Lang::En), "in hand");
        assert_eq!(choice("当场解决", Lang::En), "solved on the spot");
        assert_eq!(choice("当场解决", Lang::Zh), "当场解决");
        assert_eq!(choice("checkin", Lang::Zh), "巡楼");
        assert_eq!(choice("已走访", Lang::En), "visited");
        assert_eq!(choice("月度工作台账", Lang::En), "monthly ledger");
        // A value from the leader's own config stays as written.
        assert_eq!(choice("自定义", Lang::En), "自定义");
    }
}
