//! Which building an action or report works on, when the leader does not say.

use anyhow::{Context, bail};

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
            .with_context(|| {
                format!("no building named \"{w}\" (没有这个楼组); see the TUI picker (b)")
            });
    }
    if let Some(cur) = store.local_setting("building")?
        && all.iter().any(|(id, _)| *id == cur)
    {
        return Ok(cur);
    }
    match all.as_slice() {
        [(one, _)] => Ok(one.clone()),
        [] => bail!("this database has no building yet (还没有楼组): run `louzu` to set one up"),
        many => bail!(
            "this database holds {} buildings; choose one with --building NAME (例如 {})",
            many.len(),
            many[0].1
        ),
    }
}
