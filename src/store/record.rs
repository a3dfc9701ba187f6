//! Any record read back generically, as field → JSON value: what edit forms, the scripting
//! CLI and the canonical dump need without a struct per kind.

use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Row};
use serde_json::Value;

use super::{Store, StoreError};
use crate::domain::{EntityKind, FieldKind, FieldSpec};

/// One record with every field, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: EntityKind,
    pub id: String,
    pub deleted: bool,
    pub fields: BTreeMap<String, Value>,
}

static NULL: Value = Value::Null;

impl Record {
    /// A field's value, null when not recorded.
    pub fn get(&self, field: &str) -> &Value {
        if field == "deleted" {
            return if self.deleted { &TRUE } else { &FALSE };
        }
        self.fields.get(field).unwrap_or(&NULL)
    }

    /// A text field, empty when not recorded.
    pub fn text(&self, field: &str) -> &str {
        self.get(field).as_str().unwrap_or("")
    }

    /// The short name a person knows the record by (room, name, title).
    pub fn label(&self) -> String {
        self.text(label_field(self.kind)).to_string()
    }
}

static TRUE: Value = Value::Bool(true);
static FALSE: Value = Value::Bool(false);

/// Which field names a record for people.
pub fn label_field(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Household => "room",
        EntityKind::Building | EntityKind::Resident | EntityKind::Member => "name",
        EntityKind::Visit => "due",
        EntityKind::Need => "description",
        EntityKind::DutyAssignment => "role",
        EntityKind::DutyTick => "item",
        EntityKind::Attestation => "target",
        EntityKind::Checkin => "date",
        EntityKind::Activity => "title",
        EntityKind::Setting => "key",
        EntityKind::Pairing => "since",
    }
}

/// Reads a column back into the JSON value its field holds.
pub(crate) fn from_sql(spec: &FieldSpec, v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if spec.kind == FieldKind::Bool => Value::Bool(i != 0),
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            let s = String::from_utf8_lossy(t);
            match spec.kind {
                FieldKind::Tags | FieldKind::RefList(_) | FieldKind::Json => {
                    serde_json::from_str(&s).unwrap_or(Value::String(s.into_owned()))
                }
                _ => Value::String(s.into_owned()),
            }
        }
    }
}

/// `SELECT` list for a kind: id, deleted, then its fields in registry order.
pub(crate) fn columns(kind: EntityKind) -> String {
    let mut cols = vec!["id", "deleted"];
    cols.extend(kind.fields().iter().map(|f| f.name));
    cols.join(", ")
}

/// Builds a record from a row selected with [`columns`].
pub(crate) fn from_row(kind: EntityKind, row: &Row<'_>) -> rusqlite::Result<Record> {
    let mut fields = BTreeMap::new();
    for (i, spec) in kind.fields().iter().enumerate() {
        let v = from_sql(spec, row.get_ref(i + 2)?);
        if !v.is_null() {
            fields.insert(spec.name.to_string(), v);
        }
    }
    Ok(Record {
        kind,
        id: row.get(0)?,
        deleted: row.get::<_, i64>(1)? != 0,
        fields,
    })
}

impl Store {
    /// Reads one record of a known kind, deleted or not.
    pub fn record(&self, kind: EntityKind, id: &str) -> Result<Option<Record>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            columns(kind),
            kind.name()
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| from_row(kind, r))
            .optional()?)
    }

    /// Finds a record by id whatever its kind (the scripting CLI takes bare ids).
    pub fn find_record(&self, id: &str) -> Result<Option<Record>, StoreError> {
        let kind: Option<String> = self
            .conn
            .query_row(
                "SELECT entity FROM ops WHERE entity_id = ?1 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match kind.as_deref().and_then(EntityKind::parse) {
            Some(k) => self.record(k, id),
            None => Ok(None),
        }
    }

    /// Every record of a kind in one building (or all, for `None`), ids in order.
    pub fn records(
        &self,
        kind: EntityKind,
        building: Option<&str>,
        include_deleted: bool,
    ) -> Result<Vec<Record>, StoreError> {
        let mut sql = format!("SELECT {} FROM {}", columns(kind), kind.name());
        let mut conds = Vec::new();
        if building.is_some() {
            conds.push(if kind == EntityKind::Building {
                "id = ?1"
            } else {
                "building_id = ?1"
            });
        }
        if !include_deleted {
            conds.push("deleted = 0");
        }
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        sql.push_str(" ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&str> = building.into_iter().collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| from_row(kind, r))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
