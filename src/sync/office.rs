//! Office mode (居委会): per building, the last bundle received and the figures the
//! building picker shows — overdue visits, open needs, this month's duty completion — so
//! the office sees at a glance which 楼组 have not reported.

use std::collections::HashMap;

use serde::Serialize;

use super::SyncError;
use crate::domain::date::{format_date, today};
use crate::store::Store;

/// One building's line in the office's picker.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BuildingStats {
    pub id: String,
    pub name: String,
    /// When the last bundle carrying this building arrived, and from which device.
    pub last_bundle: Option<(String, String)>,
    /// Planned visits whose due date has passed.
    pub overdue_visits: i64,
    /// Needs not yet resolved or fed back.
    pub open_needs: i64,
    /// Duty ticks done and recorded for the current month.
    pub duties_done: i64,
    pub duties_total: i64,
}

/// Every (not deleted) building with its figures, by name.
pub fn building_stats(store: &Store) -> Result<Vec<BuildingStats>, SyncError> {
    let conn = store.conn();
    let today = format_date(today());
    let month = &today[..7];
    // One pass over the buildings; each figure is a seek into its table's
    // (building_id, …) index that visits only the rows counted, rather than a GROUP BY
    // over every visit, need and tick of the street.
    let mut out: Vec<BuildingStats> = conn
        .prepare_cached(
            "SELECT b.id, coalesce(b.name, ''),
                (SELECT count(*) FROM visit v WHERE v.building_id = b.id
                    AND v.status = 'planned' AND v.due < ?1 AND v.deleted = 0),
                (SELECT count(*) FROM need n WHERE n.building_id = b.id
                    AND n.status NOT IN ('resolved', 'fed_back') AND n.deleted = 0),
                (SELECT coalesce(sum(t.done), 0) FROM duty_tick t WHERE t.building_id = b.id
                    AND t.period = ?2 AND t.deleted = 0),
                (SELECT count(*) FROM duty_tick t WHERE t.building_id = b.id
                    AND t.period = ?2 AND t.deleted = 0)
             FROM building b WHERE b.deleted = 0 ORDER BY b.name, b.id",
        )?
        .query_map(rusqlite::params![today, month], |r| {
            Ok(BuildingStats {
                id: r.get(0)?,
                name: r.get(1)?,
                overdue_visits: r.get(2)?,
                open_needs: r.get(3)?,
                duties_done: r.get(4)?,
                duties_total: r.get(5)?,
                last_bundle: None,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut last: HashMap<String, (String, String)> = HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT at, sender, scopes FROM bundle_received ORDER BY at")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (at, sender, scopes) = row?;
        let scopes: Vec<String> = serde_json::from_str(&scopes).unwrap_or_default();
        for s in scopes {
            last.insert(s, (at.get(..10).unwrap_or(&at).to_string(), sender.clone()));
        }
    }
    for b in &mut out {
        b.last_bundle = last.get(&b.id).cloned();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::domain::EntityKind as K;
    use crate::sync::export::{ExportOptions, build};
    use crate::sync::import::{ImportOptions, import_bytes};
    use crate::sync::{Identity, trust};

    #[test]
    fn the_office_sees_which_building_reported_and_what_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let mut leader = Store::open(&dir.path().join("l.db")).unwrap();
        let mut office = Store::open(&dir.path().join("o.db")).unwrap();
        Identity::rename(&leader, "12号楼组长").unwrap();
        let kl = Identity::load_or_create(&leader).unwrap().key();
        let ko = Identity::load_or_create(&office).unwrap().key();
        trust::trust(&leader, ko, "居委会", None, false).unwrap();
        trust::trust(&office, kl, "12号楼组长", None, false).unwrap();
        let b = leader
            .create(K::Building, vec![("name", json!("12号楼"))])
            .unwrap();
        leader
            .create(
                K::Need,
                vec![
                    ("building_id", json!(b)),
                    ("category", json!("楼道堆物")),
                    ("description", json!("三楼楼道堆放纸箱")),
                    ("status", json!("open")),
                    ("raised_on", json!("2026-01-05")),
                ],
            )
            .unwrap();
        office
            .create(K::Building, vec![("name", json!("13号楼"))])
            .unwrap();
        let opts = ExportOptions {
            for_names: vec!["居委会".into()],
            ..Default::default()
        };
        let bytes = build(&leader, &opts).unwrap().0;
        import_bytes(
            &mut office,
            Path::new("x"),
            &bytes,
            &ImportOptions::default(),
        )
        .unwrap();
        let stats = building_stats(&office).unwrap();
        assert_eq!(stats.len(), 2);
        let s12 = stats.iter().find(|s| s.name == "12号楼").unwrap();
        assert_eq!(s12.open_needs, 1);
        assert_eq!(s12.last_bundle.as_ref().unwrap().1, "12号楼组长");
        let s13 = stats.iter().find(|s| s.name == "13号楼").unwrap();
        assert_eq!(s13.last_bundle, None);
    }
}
