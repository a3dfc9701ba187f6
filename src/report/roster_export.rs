//! 名册导出 — the building's roster in the columns import reads, so the office's sheet and
//! louzu can go back and forth. Phones are left out (the 电话 column is omitted) unless
//! contacts are asked for; importing such a file leaves phones as they are.

use std::collections::HashMap;

use super::roster_import::Column;
use super::xlsx::{Cell, Sheet, workbook};
use super::{Contacts, Format, ReportError};
use crate::store::Store;

/// The roster as one sheet: a row per resident in stair order, then members who are not
/// also listed as residents.
pub fn sheet(store: &Store, building: &str, contacts: Contacts) -> Result<Sheet, ReportError> {
    let roster = store.roster(building)?;
    let columns: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| *c != Column::Phone || contacts == Contacts::Shown)
        .collect();
    let heads: Vec<&str> = columns.iter().map(|c| c.zh()).collect();
    let mut s = Sheet::new("名册", &heads);
    let room_of: HashMap<&str, (&str, String)> = roster
        .households
        .iter()
        .map(|h| (h.id.as_str(), (h.room.as_str(), h.tags.join("、"))))
        .collect();
    let mut listed = vec![false; roster.members.len()];
    let mut push = |room: &str,
                    tags: &str,
                    name: &str,
                    gender: &str,
                    year: Option<i64>,
                    phone: &str,
                    note: &str,
                    member: Option<&crate::store::Member>| {
        let row = columns
            .iter()
            .map(|c| match c {
                Column::Room => Cell::from(room),
                Column::Name => name.into(),
                Column::Gender => gender.into(),
                Column::BirthYear => year.map_or(Cell::from(""), Cell::Int),
                Column::Phone => phone.into(),
                Column::Tags => tags.into(),
                Column::IsMember => if member.is_some() { "是" } else { "否" }.into(),
                Column::Category => member.map_or("", |m| m.category.as_str()).into(),
                Column::HomeOrg => member.map_or("", |m| m.home_org.as_str()).into(),
                Column::ReportDate => member.map_or("", |m| m.report_date.as_str()).into(),
                Column::Note => note.into(),
            })
            .collect();
        s.rows.push(row);
    };
    for h in &roster.households {
        let tags = h.tags.join("、");
        for r in roster.residents.iter().filter(|r| r.household_id == h.id) {
            let m = roster
                .members
                .iter()
                .position(|m| m.household_id == h.id && m.name == r.name);
            if let Some(i) = m {
                listed[i] = true;
            }
            push(
                &h.room,
                &tags,
                &r.name,
                &r.gender,
                r.birth_year,
                &r.phone,
                &r.note,
                m.map(|i| &roster.members[i]),
            );
        }
    }
    for (m, _) in roster.members.iter().zip(&listed).filter(|(_, l)| !**l) {
        let (room, tags) = room_of
            .get(m.household_id.as_str())
            .map(|(r, t)| (*r, t.as_str()))
            .unwrap_or(("", ""));
        push(room, tags, &m.name, "", None, &m.phone, "", Some(m));
    }
    Ok(s)
}

/// The roster as XLSX or CSV bytes.
pub fn render(
    store: &Store,
    building: &str,
    format: Format,
    contacts: Contacts,
) -> Result<Vec<u8>, ReportError> {
    let s = sheet(store, building, contacts)?;
    match format {
        Format::Xlsx => {
            let name = store
                .buildings()?
                .into_iter()
                .find(|b| b.id == building)
                .map(|b| b.name)
                .unwrap_or_default();
            let heading = super::xlsx::Heading {
                title: format!("{name} 楼组名册"),
                subtitle: format!(
                    "导出日期 {}",
                    crate::domain::date::format_date(crate::domain::date::today())
                ),
            };
            workbook(&heading, store.owner_name(), &[s])
        }
        Format::Csv => {
            let mut rows = vec![s.headers.clone()];
            rows.extend(s.rows.iter().map(|r| r.iter().map(Cell::text).collect()));
            Ok(super::csv_text(&rows).into_bytes())
        }
        Format::Html => Err(ReportError::Unsupported(
            "名册导出只支持 --format xlsx 或 csv".into(),
        )),
    }
}
