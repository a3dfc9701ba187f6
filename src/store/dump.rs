//! `louzu dump`: a canonical JSON of all user data, identical for identical data whatever
//! the device or the order writes arrived in — what tests and sync checks compare.

use serde_json::{Map, Value};

use super::{Store, StoreError};
use crate::domain::EntityKind;

impl Store {
    /// Every record of every kind, kinds and ids sorted, keys sorted, deleted ones
    /// included (a tombstone is data too). Device-local state (ids, clocks) is left out.
    pub fn dump(&self) -> Result<Value, StoreError> {
        let mut out = Map::new();
        for &kind in EntityKind::ALL {
            let rows: Vec<Value> = self
                .records(kind, None, true)?
                .into_iter()
                .map(|r| {
                    let mut m: Map<String, Value> = r.fields.into_iter().collect();
                    m.insert("id".into(), Value::String(r.id));
                    m.insert("deleted".into(), Value::Bool(r.deleted));
                    Value::Object(m)
                })
                .collect();
            out.insert(kind.name().to_string(), Value::Array(rows));
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
impl Store {
    /// What a person sees: the dump with deleted (and undone-created) records left out.
    /// Undo hides what it takes back, so tests compare this, not the raw dump.
    pub(crate) fn live_dump(&self) -> Value {
        let mut dump = self.dump().expect("dump");
        if let Some(tables) = dump.as_object_mut() {
            for rows in tables.values_mut() {
                if let Some(list) = rows.as_array_mut() {
                    list.retain(|r| r["deleted"] == Value::Bool(false));
                }
            }
        }
        dump
    }
}
