//! Which building an action or report works on, when the leader does not say.

use crate::i18n::said;

use crate::store::Store;

/// The building a command works on: `--building` (name or id), else the current one, else
/// the only one.
pub fn building(store: &Store, wanted: Option<&str>) -> anyhow::Result<String> {
    let all = store.building_names()?;
    if let Some(w) = wanted {
        return all
            .iter()
            .find(|(id, name)| id == w || name == w)
            .map(|(id, _)| id.clone())
            .ok_or_else(|| {
                let names = all.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>();
                said(
                    format!("没有名为「{w}」的楼组；可用的楼组：{}", names.join("、")),
                    format!(
                        "no building named \"{w}\"; the buildings are: {}",
                        names.join(", ")
                    ),
                )
            });
    }
    if let Some(cur) = store.local_setting("building")?
        && all.iter().any(|(id, _)| *id == cur)
    {
        return Ok(cur);
    }
    match all.as_slice() {
        [(one, _)] => Ok(one.clone()),
        [] => Err(said(
            "这个数据库还没有楼组：先运行 `louzu` 建一个",
            "this database has no building yet: run `louzu` to set one up",
        )),
        many => Err(said(
            format!(
                "这个数据库有 {} 个楼组，请用 --building 名称 选一个（例如 --building {}）",
                many.len(),
                many[0].1
            ),
            format!(
                "this database holds {} buildings; choose one with --building NAME (e.g. --building {})",
                many.len(),
                many[0].1
            ),
        )),
    }
}
