//! 党员公示牌 — the A4 page in the stairwell showing the members who chose to make their
//! identity public (亮身份): name, room, role in the group and 六个员 duties, and a phone
//! only for members who agreed to show it and only when `--with-contacts` is given.

use rusqlite::params;

use crate::i18n::Lang;

use super::html::{self, esc};
use super::{Contacts, ReportError, Voice};
use crate::store::Store;

/// One member on the notice.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeRow {
    pub name: String,
    pub room: String,
    /// 组长 / 副组长 / 组员 as stored.
    pub group_role: String,
    /// The 六个员 roles held, by their stored (Chinese) names.
    pub roles: Vec<String>,
    /// The phone when the member consented (`contact_public`), else empty.
    pub consented_phone: String,
}

/// The members of `building` who show their identity, leader first, then by room.
pub fn gather(store: &Store, building: &str) -> Result<Vec<NoticeRow>, ReportError> {
    let mut stmt = store.conn().prepare(
        "SELECT coalesce(m.name, ''), coalesce(h.room, ''), coalesce(m.group_role, ''),
                (SELECT json_group_array(role) FROM (
                    SELECT DISTINCT role FROM duty_assignment a
                    WHERE a.member_id = m.id AND a.deleted = 0 ORDER BY role)),
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
            roles: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
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

/// [`DEFAULT_PLEDGE`] on an English notice. A pledge the group wrote is printed as written.
pub const DEFAULT_PLEDGE_EN: &str = "We serve openly as party members and welcome your oversight;\n\
     We listen to our neighbours and pass on their needs promptly;\n\
     We keep the building safe and set an example of good manners;\n\
     We stand by households in difficulty: come to us first.";

/// The notice page for A4. Every member is on it and the footer is always printed: up to
/// ten members (the group's size by the 3–10 rule) in two columns with the pledge and the
/// 居委会 contact under them; more members in three columns of smaller cards, running on to
/// a second page if they must — never cut off.
pub fn render(
    building_name: &str,
    rows: &[NoticeRow],
    contacts: Contacts,
    extras: &Extras,
    voice: Voice<'_>,
) -> String {
    let v = voice;
    let title = match v.lang {
        Lang::Zh => format!("{building_name} 党员公示牌"),
        Lang::En => format!("Party members of {building_name}"),
    };
    let compact = rows.len() > 10;
    let mut body = format!(
        "<div class=\"board{}{}\">\n<h1>{}</h1>\n<p class=\"motto\">{}</p>\n<div class=\"cards\">\n",
        if compact { " compact" } else { "" },
        v.pick("", " en"),
        esc(&title),
        v.pick(
            "亮身份 · 做表率 · 有事找党员",
            "Show who we are · Set the example · Come to us for help"
        )
    );
    for r in rows {
        let contact = match contacts {
            Contacts::Shown if !r.consented_phone.is_empty() => format!(
                "<p>{}{}</p>",
                v.pick("联系电话：", "Phone: "),
                esc(&r.consented_phone)
            ),
            _ => String::new(),
        };
        let role = if r.group_role.is_empty() {
            v.pick("党员", "Party member")
        } else {
            v.word(&r.group_role)
        };
        let room = match r.room.trim() {
            "" => String::new(),
            room => match v.lang {
                Lang::Zh => format!("<p>住址：{} 室</p>", esc(room)),
                Lang::En => format!("<p>Room {}</p>", esc(room)),
            },
        };
        body.push_str(&format!(
            "<div class=\"card\"><p class=\"name\">{} <span>{}</span></p>{room}<p>{}{}</p>{}</div>\n",
            esc(&r.name),
            esc(role),
            v.pick("六个员：", "Duties: "),
            esc(&v.roles(&r.roles)),
            contact
        ));
    }
    body.push_str("</div>\n");
    if rows.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>\n",
            v.pick(
                "暂无亮身份的党员。",
                "No party member has chosen to be shown here yet."
            )
        ));
    }
    let pledge = extras
        .pledge
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(v.pick(DEFAULT_PLEDGE, DEFAULT_PLEDGE_EN));
    body.push_str(&format!(
        "<div class=\"pledge\"><h2>{}</h2>\n",
        v.pick("党小组承诺", "Our pledge")
    ));
    for line in pledge.lines().map(str::trim).filter(|l| !l.is_empty()) {
        body.push_str(&format!("<p>{}</p>\n", esc(line)));
    }
    body.push_str("</div>\n");
    let mut reach = Vec::new();
    if !extras.neighbourhood.trim().is_empty() {
        let n = extras.neighbourhood.trim();
        reach.push(match v.lang {
            Lang::Zh => format!("{n}居委会"),
            Lang::En => format!("the Residents' Committee of {n}"),
        });
    }
    if let Some(p) = extras
        .office_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        reach.push(format!("{} {}", v.pick("电话", "phone"), p.trim()));
    }
    if !extras.address.trim().is_empty() {
        reach.push(format!(
            "{}{}",
            v.pick("本楼组：", "this building: "),
            extras.address.trim()
        ));
    }
    if !reach.is_empty() {
        body.push_str(&format!(
            "<p class=\"reach\">{}{}</p>\n",
            v.pick(
                "有事请找楼组党员，或联系 ",
                "For help, ask a party member in the building, or contact "
            ),
            esc(&reach.join(" · "))
        ));
    }
    let today = crate::domain::date::format_date(crate::domain::date::today());
    let foot = match v.lang {
        Lang::Zh => format!("楼组党小组 · {today} 公示"),
        Lang::En => format!("Building party group · posted {today}"),
    };
    body.push_str(&format!("<p class=\"foot\">{}</p>\n</div>\n", esc(&foot)));
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
.en .motto,.en .pledge p{letter-spacing:0}
.en .pledge p{font-size:12pt}
.foot{text-align:right;margin-top:4mm;color:#444;break-before:avoid}";
    html::page_in(v.lang, &title, css, &body, "")
}
