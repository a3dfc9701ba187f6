//! One field of one record set to a value: the unit every change is made of. A plain
//! value here so domain rules (auto-ticks, imports) can describe changes without the store.

use serde_json::Value;

use super::EntityKind;

/// Set one field of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub entity: EntityKind,
    pub id: String,
    pub field: String,
    pub value: Value,
}

impl Edit {
    pub fn new(entity: EntityKind, id: &str, field: &str, value: impl Into<Value>) -> Edit {
        Edit {
            entity,
            id: id.to_string(),
            field: field.to_string(),
            value: value.into(),
        }
    }
}
