//! 首次使用 — the first run: the leader's building and name.

use serde_json::Value;

use super::{Done, Rules};
use crate::domain::EntityKind;
use crate::store::{Store, StoreError};

/// Creates the building, remembers the owner's name and makes the building current.
pub fn first_run(
    store: &mut Store,
    building: Vec<(String, Value)>,
    owner: &str,
    today: jiff::civil::Date,
) -> Result<Done, StoreError> {
    let done = super::record::create(
        store,
        &Rules::default(),
        today,
        EntityKind::Building,
        building,
    )?;
    store.set_owner_name(owner.trim())?;
    if let Some(id) = &done.record {
        store.set_local_setting("building", id)?;
    }
    Ok(done)
}
