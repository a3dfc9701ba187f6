//! Members typed by name in forms: a list of members (出席党员, 走访人) is typed as names
//! separated by 、 or commas, and an activity's absences as 姓名(原因). The store keeps
//! ids; the leader never sees or types one.

use serde_json::{Value, json};

use crate::domain::{EntityKind, FieldKind, FieldSpec};
use crate::i18n::Lang;
use crate::tui::data::Data;

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The member a typed name means: the exact name, or else the one member whose name the
/// text matches as pinyin initials or full pinyin (zgh, zengguohua).
fn member_id<'a>(data: &'a Data, name: &str) -> Option<&'a str> {
    let members = &data.roster.as_ref()?.members;
    if let Some(m) = members.iter().find(|m| m.name == name || m.id == name) {
        return Some(m.id.as_str());
    }
    let q = crate::search::Query::new(name);
    let mut hits = members
        .iter()
        .zip(&data.member_keys)
        .filter(|(_, k)| k.matches(&q))
        .map(|(m, _)| m.id.as_str());
    match (hits.next(), hits.next()) {
        (Some(id), None) => Some(id),
        _ => None,
    }
}

fn unknown(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("本楼组没有党员「{name}」"),
        Lang::En => format!("no member named \"{name}\" in this building"),
    }
}

/// Whether a field is an activity's absences: `[{"member": id, "reason": …}]`.
fn is_absent(f: &FieldSpec) -> bool {
    f.name == "absent" && f.kind == FieldKind::Json
}

/// Whether a field is a list of resident names kept as JSON.
fn is_residents(f: &FieldSpec) -> bool {
    f.name == "residents" && f.kind == FieldKind::Json
}

/// The text a member-list field is edited as, or `None` for other fields.
pub fn shown(f: &FieldSpec, v: &Value, data: &Data) -> Option<String> {
    if f.kind == FieldKind::Ref(EntityKind::Member) {
        return Some(v.as_str().map_or("", |id| data.member_name(id)).to_string());
    }
    let items = v.as_array();
    if f.kind == FieldKind::RefList(EntityKind::Member) {
        return Some(
            items
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|id| data.member_name(id).to_string())
                .collect::<Vec<_>>()
                .join("、"),
        );
    }
    if is_absent(f) {
        return Some(
            items
                .into_iter()
                .flatten()
                .map(|a| {
                    let name = data.member_name(a["member"].as_str().unwrap_or(""));
                    match a["reason"].as_str().filter(|r| !r.is_empty()) {
                        Some(r) => format!("{name}({r})"),
                        None => name.to_string(),
                    }
                })
                .collect::<Vec<_>>()
                .join("、"),
        );
    }
    if is_residents(f) {
        return Some(
            items
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、"),
        );
    }
    None
}

/// Parses a member-list field typed as names, or `None` for other fields.
pub fn parse(f: &FieldSpec, text: &str, lang: Lang, data: &Data) -> Option<Result<Value, String>> {
    let empty = text.trim().is_empty();
    if f.kind == FieldKind::Ref(EntityKind::Member) {
        if empty {
            return Some(Ok(Value::Null));
        }
        let name = text.trim();
        return Some(
            member_id(data, name)
                .map(|id| json!(id))
                .ok_or_else(|| unknown(name, lang)),
        );
    }
    if f.kind == FieldKind::RefList(EntityKind::Member) {
        if empty {
            return Some(Ok(Value::Null));
        }
        return Some(
            split(text)
                .map(|n| {
                    member_id(data, n)
                        .map(str::to_string)
                        .ok_or_else(|| unknown(n, lang))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::from),
        );
    }
    if is_absent(f) {
        if empty {
            return Some(Ok(Value::Null));
        }
        let parsed: Result<Vec<Value>, String> = split(text)
            .map(|part| {
                let part = part.replace('（', "(").replace('）', ")");
                let (name, reason) = match part.split_once('(') {
                    Some((n, r)) => (
                        n.trim().to_string(),
                        r.trim_end_matches(')').trim().to_string(),
                    ),
                    None => (part.trim().to_string(), String::new()),
                };
                member_id(data, &name)
                    .map(|id| json!({"member": id, "reason": reason}))
                    .ok_or_else(|| unknown(&name, lang))
            })
            .collect();
        return Some(parsed.map(Value::from));
    }
    if is_residents(f) {
        if empty {
            return Some(Ok(Value::Null));
        }
        return Some(Ok(Value::from(
            split(text).map(str::to_string).collect::<Vec<_>>(),
        )));
    }
    None
}
