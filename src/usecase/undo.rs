//! 撤销 — taking back this device's last action, whole: the record and everything its
//! rules added in the same change.

use crate::domain::EntityKind;
use crate::i18n::Lang;
use crate::store::{Action, Store, StoreError, Undone};

/// Undoes the last action; `None` when there is nothing to undo.
pub fn undo(store: &mut Store) -> Result<Option<Undone>, StoreError> {
    store.undo()
}

/// `已撤销：新增住户 605（及其走访计划）` — what an undo took back, in the interface language.
pub fn describe(u: &Undone, lang: Lang) -> String {
    let verb = match (u.action, lang) {
        (Action::Create, Lang::Zh) => "新增",
        (Action::Edit, Lang::Zh) => "修改",
        (Action::Delete, Lang::Zh) => "删除",
        (Action::Restore, Lang::Zh) => "恢复",
        (Action::Resolve, Lang::Zh) => "处理冲突",
        (Action::Create, Lang::En) => "added",
        (Action::Edit, Lang::En) => "edited",
        (Action::Delete, Lang::En) => "deleted",
        (Action::Restore, Lang::En) => "restored",
        (Action::Resolve, Lang::En) => "resolved conflict",
        (_, Lang::Zh) => "更改",
        (_, Lang::En) => "changed",
    };
    let kind = u
        .entity
        .map(|k| match (k, lang) {
            (EntityKind::Household, Lang::Zh) => "住户",
            (k, Lang::Zh) => k.zh(),
            (k, Lang::En) => k.en(),
        })
        .unwrap_or_default()
        .to_string();
    let mut what = [verb.to_string(), kind, u.label.clone()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>();
    if lang == Lang::Zh && what.len() > 1 {
        // 新增住户 605: verb and kind run together in Chinese.
        let head = format!("{}{}", what[0], what[1]);
        what.splice(0..2, [head]);
    }
    let also: Vec<&str> = u.also.iter().map(|k| kind_word(*k, lang)).collect();
    let tail = match (also.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("（及其{}）", also.join("、")),
        (false, Lang::En) => format!(" (and its {})", also.join(", ")),
    };
    match lang {
        Lang::Zh => format!("已撤销：{}{tail}", what.join(" ")),
        Lang::En => format!("Undone: {}{tail}", what.join(" ")),
    }
}

/// A record kind as the undo message names what a change created alongside its record.
fn kind_word(k: EntityKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (EntityKind::Visit, Lang::Zh) => "走访计划",
        (EntityKind::Need, Lang::Zh) => "诉求",
        (EntityKind::DutyTick, Lang::Zh) => "六个员打勾",
        (EntityKind::Visit, Lang::En) => "planned visit",
        (EntityKind::DutyTick, Lang::En) => "duty tick",
        (k, Lang::Zh) => k.zh(),
        (k, Lang::En) => k.en(),
    }
}
