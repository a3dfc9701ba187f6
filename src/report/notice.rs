//! 党员公示牌 — the A4 page in the stairwell showing the members who chose to make their
//! identity public (亮身份): name, room, role in the group and 六个员 duties, and a phone
//! only for members who agreed to show it and only when `--with-contacts` is given.

use rusqlite::params;

use super::html::{self, esc};
use super::{Contacts, ReportError};
use crate::store::Store;

/// One member on the notice.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeRow {
    pub name: String,
    pub room: String,
    pub group_role: String,
    pub roles: String,
    /// The phone when the member consented (`contact_public`), else empty.
    pub consented_phone: String,
}

/// The members of `building` who show their identity, leader first, then by room.
pub fn gather(store: &Store, building: &str) -> Result<Vec<NoticeRow>, ReportError> {
    let mut stmt = store.conn().prepare(
        "SELECT coalesce(m.name, ''), coalesce(h.room, ''), coalesce(m.group_role, ''),
                coalesce((SELECT group_concat(role, '、') FROM (
                    SELECT DISTINCT role FROM duty_assignment a
                    WHERE a.member_id = m.id AND a.deleted = 0 ORDER BY role)), ''),
                CASE WHEN coalesce(m.contact_public, 0) = 1 THEN coalesce(m.phone, '') ELSE '' END
         FROM member m LEFT JOIN household h ON h.id = m.household_id AND h.deleted = 0
         WHERE m.deleted = 0 AND m.building_id = ?1 AND coalesce(m.show_identity, 0) = 1
         ORDER BY CASE m.group_role WHEN '组长' THEN 0 WHEN '副组长' THEN 1 ELSE 2 END,
                  h.room, m.name",
    )?;
    let rows = stmt.query_map(params![building], |r| {
        Ok(NoticeRow {
            name: r.get(0)?,
            room: r.get(1)?,
            group_role: r.get(2)?,
            roles: r.get(3)?,
            consented_phone: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The notice page. Sized for one A4 sheet: a large title, one card per member in two
/// columns (up to ten members, a full group, fit comfortably).
pub fn render(building_name: &str, rows: &[NoticeRow], contacts: Contacts) -> String {
    let title = format!("{building_name} 党员公示牌");
    let mut body = format!(
        "<div class=\"board\">\n<h1>{}</h1>\n<p class=\"motto\">亮身份 · 做表率 · 有事找党员</p>\n<div class=\"cards\">\n",
        esc(&title)
    );
    for r in rows {
        let contact = match contacts {
            Contacts::Shown if !r.consented_phone.is_empty() => {
                format!("<p>联系电话：{}</p>", esc(&r.consented_phone))
            }
            _ => String::new(),
        };
        let role = if r.group_role.is_empty() {
            "党员".to_string()
        } else {
            r.group_role.clone()
        };
        body.push_str(&format!(
            "<div class=\"card\"><p class=\"name\">{} <span>{}</span></p><p>住址：{} 室</p><p>六个员：{}</p>{}</div>\n",
            esc(&r.name),
            esc(&role),
            esc(&r.room),
            esc(if r.roles.is_empty() { "—" } else { &r.roles }),
            contact
        ));
    }
    if rows.is_empty() {
        body.push_str("<p>暂无亮身份的党员。</p>\n");
    }
    body.push_str(&format!(
        "</div>\n<p class=\"foot\">楼组党小组 · {} 公示</p>\n</div>\n",
        crate::domain::date::format_date(crate::domain::date::today())
    ));
    let css = "body{font-size:12pt}
.board{border:3px solid #b71c1c;padding:8mm;height:262mm;overflow:hidden}
.board h1{color:#b71c1c;font-size:26pt;margin:0 0 2mm}
.motto{text-align:center;font-size:13pt;margin:0 0 6mm;letter-spacing:2px}
.cards{display:grid;grid-template-columns:1fr 1fr;gap:4mm}
.card{border:1px solid #b71c1c;border-radius:2mm;padding:3mm 4mm;break-inside:avoid}
.card p{margin:0.5mm 0}
.card .name{font-size:16pt;font-weight:bold}
.card .name span{font-size:11pt;color:#b71c1c;margin-left:3mm}
.foot{text-align:right;margin-top:6mm;color:#444}";
    html::page(&title, css, &body, "")
}
