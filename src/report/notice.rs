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

/// What the notice prints under the cards: the group's pledge and where residents reach
/// the 居委会.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extras {
    /// 党小组承诺 (config `[notice] pledge`); [`DEFAULT_PLEDGE`] when not set.
    pub pledge: Option<String>,
    /// The building's 居民区 (its 居委会) and address, from the building record.
    pub neighbourhood: String,
    pub address: String,
    /// The 居委会's phone (config `[notice] office_phone`).
    pub office_phone: Option<String>,
}

/// The pledge printed when the group has not written its own.
pub const DEFAULT_PLEDGE: &str = "亮明党员身份，接受群众监督；\n倾听邻里心声，及时反映诉求；\n\
     守护楼组平安，带头文明新风；\n结对帮扶困难，有事先找党员。";

/// The notice page for A4. Every member is on it and the footer is always printed: up to
/// ten members (the group's size by the 3–10 rule) in two columns with the pledge and the
/// 居委会 contact under them; more members in three columns of smaller cards, running on to
/// a second page if they must — never cut off.
pub fn render(
    building_name: &str,
    rows: &[NoticeRow],
    contacts: Contacts,
    extras: &Extras,
) -> String {
    let title = format!("{building_name} 党员公示牌");
    let compact = rows.len() > 10;
    let mut body = format!(
        "<div class=\"board{}\">\n<h1>{}</h1>\n<p class=\"motto\">亮身份 · 做表率 · 有事找党员</p>\n<div class=\"cards\">\n",
        if compact { " compact" } else { "" },
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
        let room = if r.room.trim().is_empty() {
            String::new()
        } else {
            format!("<p>住址：{} 室</p>", esc(r.room.trim()))
        };
        body.push_str(&format!(
            "<div class=\"card\"><p class=\"name\">{} <span>{}</span></p>{room}<p>六个员：{}</p>{}</div>\n",
            esc(&r.name),
            esc(&role),
            esc(if r.roles.is_empty() { "—" } else { &r.roles }),
            contact
        ));
    }
    body.push_str("</div>\n");
    if rows.is_empty() {
        body.push_str("<p>暂无亮身份的党员。</p>\n");
    }
    let pledge = extras
        .pledge
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(DEFAULT_PLEDGE);
    body.push_str("<div class=\"pledge\"><h2>党小组承诺</h2>\n");
    for line in pledge.lines().map(str::trim).filter(|l| !l.is_empty()) {
        body.push_str(&format!("<p>{}</p>\n", esc(line)));
    }
    body.push_str("</div>\n");
    let mut reach = Vec::new();
    if !extras.neighbourhood.trim().is_empty() {
        reach.push(format!("{}居委会", extras.neighbourhood.trim()));
    }
    if let Some(p) = extras
        .office_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        reach.push(format!("电话 {}", p.trim()));
    }
    if !extras.address.trim().is_empty() {
        reach.push(format!("本楼组：{}", extras.address.trim()));
    }
    if !reach.is_empty() {
        body.push_str(&format!(
            "<p class=\"reach\">有事请找楼组党员，或联系 {}</p>\n",
            esc(&reach.join(" · "))
        ));
    }
    body.push_str(&format!(
        "<p class=\"foot\">楼组党小组 · {} 公示</p>\n</div>\n",
        crate::domain::date::format_date(crate::domain::date::today())
    ));
    let css = "body{font-size:12pt}
.board{border:3px solid #b71c1c;padding:8mm;min-height:262mm;display:flex;flex-direction:column;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.board h1{color:#b71c1c;font-size:26pt;margin:0 0 2mm}
.motto{text-align:center;font-size:13pt;margin:0 0 6mm;letter-spacing:2px}
.cards{display:grid;grid-template-columns:1fr 1fr;gap:4mm}
.card{border:1px solid #b71c1c;border-radius:2mm;padding:3mm 4mm;break-inside:avoid}
.card p{margin:0.5mm 0}
.card .name{font-size:16pt;font-weight:bold}
.card .name span{font-size:11pt;color:#b71c1c;margin-left:3mm}
.compact .cards{grid-template-columns:1fr 1fr 1fr;gap:2.5mm}
.compact .card{padding:2mm 3mm;font-size:10pt}
.compact .card .name{font-size:13pt}
.compact .card .name span{font-size:9.5pt}
.pledge{margin:8mm auto 0;padding:4mm 8mm;border-top:2px solid #b71c1c;text-align:center;break-inside:avoid;flex:1}
.pledge h2{border:none;color:#b71c1c;font-size:15pt;margin:0 0 3mm;padding:0}
.pledge p{margin:1mm 0;font-size:13pt;letter-spacing:1px}
.compact .pledge{margin-top:5mm;padding:2mm 8mm}
.compact .pledge p{font-size:11pt;margin:0.5mm 0}
.reach{text-align:center;margin:4mm 0 0;font-size:11pt;break-inside:avoid}
.foot{text-align:right;margin-top:4mm;color:#444;break-before:avoid}";
    html::page(&title, css, &body, "")
}
