//! The words a choice field shows: stored values stay as they are (they are data, and
//! sync carries them), the interface shows them in its language — 待处理 / "open" for the
//! stored `open`, "solved on the spot" for 当场解决.

use crate::domain::need::NeedStatus;
use crate::i18n::Lang;

/// English for the Chinese words the built-in choice lists store.
const EN: &[(&str, &str)] = &[
    ("已走访", "visited"),
    ("未遇/未访", "not met"),
    ("取消", "cancelled"),
    ("当场解决", "solved on the spot"),
    ("居委会", "residents' committee"),
    ("物业", "property management"),
    ("网格", "grid worker"),
    ("支部", "party branch"),
    ("其他", "other"),
    ("环境卫生", "sanitation"),
    ("楼道堆物", "stairwell clutter"),
    ("设施维修", "repairs"),
    ("治安消防", "safety and fire"),
    ("邻里纠纷", "neighbour dispute"),
    ("政策咨询", "policy question"),
    ("帮困", "hardship help"),
    ("学习", "study"),
    ("议事", "deliberation"),
    ("志愿服务", "volunteering"),
    ("环境整治", "clean-up"),
    ("文体节庆", "festivities"),
    ("调解", "mediation"),
];

/// Chinese and English for stored English words (need sources).
const CODES: &[(&str, &str, &str)] = &[
    ("visit", "走访", "visit"),
    ("checkin", "巡楼", "check-in"),
    ("phone", "电话", "phone"),
    ("chat", "微信群", "group chat"),
    ("other", "其他", "other"),
];

/// How a stored choice value reads in `lang`.
pub fn choice(value: &str, lang: Lang) -> String {
    if let Some(st) = crate::domain::need::NeedStatus::ALL
        .into_iter()
        .find(|s| s.name() == value)
    {
        return NeedStatus::label(st, lang).to_string();
    }
    if let Some((_, zh, en)) = CODES.iter().find(|(code, _, _)| *code == value) {
        return lang.pick(zh, en).to_string();
    }
    match lang {
        Lang::Zh => value.to_string(),
        Lang::En => EN
            .iter()
            .find(|(zh, _)| *zh == value)
            .map_or_else(|| value.to_string(), |(_, en)| en.to_string()),
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
        // A value from the leader's own config stays as written.
        assert_eq!(choice("自定义", Lang::En), "自定义");
    }
}
