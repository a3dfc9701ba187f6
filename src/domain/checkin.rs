//! 巡楼 — the daily stairwell check-in: each item ok or a problem with a note. Items are
//! stored as a JSON object `{"照明": "ok", "楼道堆物": "problem:三楼纸箱"}`.

use serde_json::{Map, Value};

/// The default checklist; the config file's `checkin_items` replaces it.
pub const DEFAULT_ITEMS: &[&str] = &[
    "楼道堆物",
    "消防通道",
    "电瓶车/飞线充电",
    "照明",
    "卫生",
    "设施损坏",
    "安全/陌生人",
];

/// A checklist item in the interface language: the default items are translated, items
/// from the user's own `checkin_items` are shown as written.
pub fn item_label(item: &str, lang: crate::i18n::Lang) -> &str {
    super::entity::word_label(item, lang)
}

/// Which need category a problem on an item opens by default.
pub fn need_category(item: &str) -> &'static str {
    match item {
        "楼道堆物" => "楼道堆物",
        "消防通道" | "电瓶车/飞线充电" | "安全/陌生人" => "治安消防",
        "照明" | "设施损坏" => "设施维修",
        "卫生" => "环境卫生",
        _ => "其他",
    }
}

/// One item's finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    Ok,
    Problem(String),
}

impl Finding {
    /// Reads `ok`, `problem`, `problem:note`, and the Chinese 正常/问题.
    pub fn parse(s: &str) -> Result<Finding, String> {
        let t = s.trim();
        let (head, note) = match t.split_once([':', '：']) {
            Some((h, n)) => (h.trim(), n.trim()),
            None => (t, ""),
        };
        match head.to_lowercase().as_str() {
            "ok" | "正常" | "好" | "无" => Ok(Finding::Ok),
            "problem" | "问题" | "有问题" => Ok(Finding::Problem(note.to_string())),
            _ => Err(format!(
                "「{s}」不是检查结果：请写 ok 或 problem:说明（正常 / 问题:说明）"
            )),
        }
    }

    /// The finding in the interface language: 正常 / 问题：… or ok / problem: ….
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        let problem = lang.pick("问题", "problem");
        match self {
            Finding::Ok => lang.pick("正常", "ok").to_string(),
            Finding::Problem(n) if n.is_empty() => problem.to_string(),
            Finding::Problem(n) => format!("{problem}{}{n}", lang.pick("：", ": ")),
        }
    }

    /// The stored text.
    pub fn to_text(&self) -> String {
        match self {
            Finding::Ok => "ok".into(),
            Finding::Problem(n) if n.is_empty() => "problem".into(),
            Finding::Problem(n) => format!("problem:{n}"),
        }
    }
}

/// The stored JSON for a set of findings, in item order.
pub fn to_json(findings: &[(String, Finding)]) -> Value {
    let mut m = Map::new();
    for (item, f) in findings {
        m.insert(item.clone(), Value::String(f.to_text()));
    }
    Value::Object(m)
}

/// Reads stored findings back; unknown shapes count as not checked.
pub fn from_json(v: &Value) -> Vec<(String, Finding)> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), Finding::parse(v.as_str()?).ok()?)))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_parse_and_round_trip() {
        assert_eq!(Finding::parse("ok").unwrap(), Finding::Ok);
        assert_eq!(
            Finding::parse("problem:三楼纸箱").unwrap(),
            Finding::Problem("三楼纸箱".into())
        );
        assert_eq!(
            Finding::parse("问题：灯坏").unwrap(),
            Finding::Problem("灯坏".into())
        );
        assert!(Finding::parse("maybe").unwrap_err().contains("maybe"));
        let f = vec![
            ("照明".to_string(), Finding::Problem("三楼灯坏".into())),
            ("卫生".to_string(), Finding::Ok),
        ];
        let mut back = from_json(&to_json(&f));
        back.sort();
        let mut want = f.clone();
        want.sort();
        assert_eq!(back, want);
        assert_eq!(need_category("照明"), "设施维修");
    }
}
