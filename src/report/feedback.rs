//! 在职党员表现反馈单 — the community tells an in-service member's work-unit party
//! organisation how the member served where they live (自转/公转). One page (HTML) or one
//! sheet (XLSX) per 在职党员, grouped by home organisation.

use std::collections::HashMap;

use rusqlite::params;

use super::html::{self, esc};
use super::xlsx::{Cell, Heading, Sheet, workbook};
use super::{Contacts, Format, Period, ReportError, Voice, pct};
use crate::domain::date::{format_date, today};
use crate::i18n::Lang;
use crate::store::Store;

/// The category the feedback form is for.
pub const IN_SERVICE: &str = "在职党员";

/// What one member did in the period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberRecord {
    pub id: String,
    pub name: String,
    pub building: String,
    pub room: String,
    pub home_org: String,
    pub home_org_contact: String,
    pub report_date: String,
    /// The 六个员 roles held, by their stored (Chinese) names.
    pub roles: Vec<String>,
    /// (date, title) of activities attended.
    pub activities: Vec<(String, String)>,
    pub visits: i64,
    /// 六个员 items done, of those due for the member's roles in the period.
    pub duty_done: i64,
    pub duty_due: i64,
    pub needs_handled: i64,
    pub needs_resolved: i64,
    pub comment: String,
}

/// Gathers every in-service member of `building` (or all buildings) with their records,
/// sorted by home organisation then name. `comments` maps a member's name (or id) to the
/// leader's comment.
pub fn gather(
    store: &Store,
    building: Option<&str>,
    period: &Period,
    comments: &HashMap<String, String>,
    basis: &super::figures::Basis<'_>,
) -> Result<Vec<MemberRecord>, ReportError> {
    let conn = store.conn();
    let (from, to) = (period.from(), period.to());
    let mut members: Vec<MemberRecord> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT m.id, coalesce(m.name, ''), coalesce(b.name, ''), coalesce(h.room, ''),
                    coalesce(m.home_org, ''), coalesce(m.home_org_contact, ''),
                    coalesce(m.report_date, ''),
                    (SELECT json_group_array(role) FROM (
                        SELECT DISTINCT role FROM duty_assignment a
                        WHERE a.member_id = m.id AND a.deleted = 0 ORDER BY role))
             FROM member m
             JOIN building b ON b.id = m.building_id AND b.deleted = 0
             LEFT JOIN household h ON h.id = m.household_id AND h.deleted = 0
             WHERE m.deleted = 0 AND m.category = ?2 AND (?1 IS NULL OR m.building_id = ?1)
             ORDER BY m.home_org, m.name, m.id",
        )?;
        let mut q = stmt.query(params![building, IN_SERVICE])?;
        while let Some(r) = q.next()? {
            members.push(MemberRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                building: r.get(2)?,
                room: r.get(3)?,
                home_org: r.get(4)?,
                home_org_contact: r.get(5)?,
                report_date: r.get(6)?,
                roles: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                ..Default::default()
            });
        }
    }
    let index: HashMap<String, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    let mut stmt = conn.prepare(
        "SELECT j.value, coalesce(a.date, ''), coalesce(a.title, '')
         FROM activity a, json_each(CASE WHEN json_valid(a.present) THEN a.present ELSE '[]' END) j
         WHERE a.deleted = 0 AND a.date BETWEEN ?2 AND ?3 AND (?1 IS NULL OR a.building_id = ?1)
         ORDER BY a.date",
    )?;
    let mut q = stmt.query(params![building, from, to])?;
    while let Some(r) = q.next()? {
        if let Some(&i) = index.get(&r.get::<_, String>(0)?) {
            members[i].activities.push((r.get(1)?, r.get(2)?));
        }
    }
    let mut stmt = conn.prepare(
        "SELECT j.value, count(*)
         FROM visit v, json_each(CASE WHEN json_valid(v.visitors) THEN v.visitors ELSE '[]' END) j
         WHERE v.deleted = 0 AND v.status = 'done' AND v.done_on BETWEEN ?2 AND ?3
           AND (?1 IS NULL OR v.building_id = ?1)
         GROUP BY j.value",
    )?;
    let mut q = stmt.query(params![building, from, to])?;
    while let Some(r) = q.next()? {
        if let Some(&i) = index.get(&r.get::<_, String>(0)?) {
            members[i].visits = r.get(1)?;
        }
    }
    // 六个员: the member's line of the 月度台账's figures (items due, not ticks recorded).
    let figures = super::figures::compute(store, building, period, basis)?;
    for d in &figures.duties {
        if let Some(&i) = index.get(&d.member_id) {
            members[i].duty_done = d.done;
            members[i].duty_due = d.due;
        }
    }
    let mut stmt = conn.prepare(
        "SELECT owner, count(*),
                sum(status IN ('resolved', 'fed_back') AND closed_on BETWEEN ?2 AND ?3)
         FROM need
         WHERE deleted = 0 AND owner IS NOT NULL AND (?1 IS NULL OR building_id = ?1)
           AND (raised_on BETWEEN ?2 AND ?3 OR closed_on BETWEEN ?2 AND ?3)
         GROUP BY owner",
    )?;
    let mut q = stmt.query(params![building, from, to])?;
    while let Some(r) = q.next()? {
        if let Some(&i) = index.get(&r.get::<_, String>(0)?) {
            members[i].needs_handled = r.get(1)?;
            members[i].needs_resolved = r.get::<_, Option<i64>>(2)?.unwrap_or(0);
        }
    }
    for m in &mut members {
        if let Some(c) = comments.get(&m.name).or_else(|| comments.get(&m.id)) {
            m.comment = c.clone();
        }
    }
    Ok(members)
}

/// The heading over the leader's comment, on the page and in the workbook.
fn comment_label(v: Voice<'_>) -> &'static str {
    v.pick("楼组党小组评语", "Comments of the building's party group")
}

/// `1 time`, `3 times`: a count with its English noun.
fn times(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn facts(
    m: &MemberRecord,
    period: &Period,
    contacts: Contacts,
    v: Voice<'_>,
) -> Vec<(&'static str, String)> {
    let (from, to) = (period.from(), period.to());
    let activities = m.activities.len() as i64;
    let duty = pct(m.duty_done, m.duty_due);
    match v.lang {
        Lang::Zh => vec![
            ("党员姓名", m.name.clone()),
            ("组织关系所在单位", m.home_org.clone()),
            ("单位联系人", contacts.show(&m.home_org_contact, v.lang)),
            ("居住楼组", format!("{} {}", m.building, m.room)),
            ("报到日期", m.report_date.clone()),
            ("六个员分工", m.roles.join("、")),
            ("反馈期间", format!("{}（{from} 至 {to}）", period.zh())),
            ("参加楼组活动", format!("{activities} 次")),
            ("走访居民", format!("{} 户次", m.visits)),
            (
                "六个员职责完成",
                format!("{} / {} 项（{duty}）", m.duty_done, m.duty_due),
            ),
            (
                "经手民情诉求",
                format!("{} 件，其中办结 {} 件", m.needs_handled, m.needs_resolved),
            ),
        ],
        Lang::En => vec![
            ("Member", m.name.clone()),
            ("Work unit (party organisation)", m.home_org.clone()),
            (
                "Work-unit contact",
                contacts.show(&m.home_org_contact, v.lang),
            ),
            ("Lives in", format!("{} {}", m.building, m.room)),
            ("Reported to the community on", m.report_date.clone()),
            ("Duty roles", v.roles(&m.roles)),
            (
                "Period",
                format!("{} ({from} to {to})", period.name(v.lang)),
            ),
            (
                "Group activities attended",
                times(activities, "time", "times"),
            ),
            ("Home visits", times(m.visits, "visit", "visits")),
            (
                "Duty items done",
                format!("{} of {} ({duty})", m.duty_done, m.duty_due),
            ),
            (
                "Residents' needs handled",
                match m.needs_handled {
                    0 => "none".to_string(),
                    n => format!("{n} ({} resolved)", m.needs_resolved),
                },
            ),
        ],
    }
}

/// The forms as XLSX (an index sheet, then one sheet per member) or HTML (one A4 page per
/// member, grouped by home organisation).
pub fn render(
    members: &[MemberRecord],
    period: &Period,
    format: Format,
    contacts: Contacts,
    author: &str,
    voice: Voice<'_>,
) -> Result<Vec<u8>, ReportError> {
    let v = voice;
    let title = match v.lang {
        Lang::Zh => format!("在职党员社区表现反馈单（{}）", period.zh()),
        Lang::En => format!(
            "In-service party member: community feedback ({})",
            period.name(v.lang)
        ),
    };
    let comment = comment_label(v);
    match format {
        Format::Html => Ok(html_forms(members, period, contacts, &title, v).into_bytes()),
        Format::Xlsx | Format::Csv => {
            let headers: &[&str] = match v.lang {
                Lang::Zh => &[
                    "组织关系所在单位",
                    "党员姓名",
                    "居住楼组",
                    "参加活动",
                    "走访户次",
                    "六个员完成",
                    "六个员应完成",
                    "经手诉求",
                ],
                Lang::En => &[
                    "Work unit",
                    "Member",
                    "Lives in",
                    "Activities",
                    "Home visits",
                    "Duty items done",
                    "Duty items due",
                    "Needs handled",
                ],
            };
            let mut index = Sheet::new(v.pick("目录", "Index"), headers);
            let mut sheets = Vec::new();
            for m in members {
                index.rows.push(vec![
                    m.home_org.as_str().into(),
                    m.name.as_str().into(),
                    format!("{} {}", m.building, m.room).into(),
                    (m.activities.len() as i64).into(),
                    m.visits.into(),
                    m.duty_done.into(),
                    m.duty_due.into(),
                    m.needs_handled.into(),
                ]);
                let mut s =
                    Sheet::new(&m.name, &[v.pick("项目", "Item"), v.pick("内容", "Detail")]);
                for (k, text) in facts(m, period, contacts, v) {
                    s.rows.push(vec![k.into(), text.into()]);
                }
                for (d, t) in &m.activities {
                    s.rows.push(vec![
                        v.pick("活动", "Activity").into(),
                        format!("{d} {t}").into(),
                    ]);
                }
                s.rows.push(vec![comment.into(), m.comment.as_str().into()]);
                sheets.push(s);
            }
            if format == Format::Csv {
                let mut head = vec![v.pick("期间", "Period").to_string()];
                head.extend(index.headers.iter().cloned());
                let mut rows = vec![head];
                rows.extend(index.rows.iter().map(|r| {
                    std::iter::once(period.label.clone())
                        .chain(r.iter().map(Cell::text))
                        .collect()
                }));
                return Ok(super::csv_text(&rows).into_bytes());
            }
            sheets.insert(0, index);
            let (from, to, made) = (period.from(), period.to(), format_date(today()));
            let heading = Heading {
                title: title.clone(),
                subtitle: match v.lang {
                    Lang::Zh => format!("反馈期间 {from} 至 {to} · 制表日期 {made}"),
                    Lang::En => format!("Period {from} to {to} · made {made}"),
                },
            };
            workbook(&heading, author, &sheets)
        }
    }
}

fn html_forms(
    members: &[MemberRecord],
    period: &Period,
    contacts: Contacts,
    title: &str,
    v: Voice<'_>,
) -> String {
    let mut body = String::new();
    if members.is_empty() {
        body.push_str(&format!(
            "<h1>{}</h1>\n<p>{}</p>\n",
            esc(title),
            v.pick(
                "本期没有在职党员。",
                "No in-service party members in this period."
            )
        ));
    }
    let (from, to, made) = (period.from(), period.to(), format_date(today()));
    let mut last_org: Option<&str> = None;
    for m in members {
        body.push_str("<section class=\"page\">\n");
        if last_org != Some(m.home_org.as_str()) {
            body.push_str(&format!(
                "<p class=\"small\">{}{}</p>\n",
                v.pick("组织关系所在单位：", "Work unit (party organisation): "),
                esc(&m.home_org)
            ));
            last_org = Some(m.home_org.as_str());
        }
        let meta = match v.lang {
            Lang::Zh => format!(
                "{} {} · 反馈期间 {from} 至 {to} · 制表日期 {made}",
                m.building, m.name
            ),
            Lang::En => format!(
                "{} {} · period {from} to {to} · made {made}",
                m.building, m.name
            ),
        };
        body.push_str(&html::heading(title, &[meta]));
        let f = facts(m, period, contacts, v);
        let pairs: Vec<(&str, String)> = f.iter().map(|(k, text)| (*k, text.clone())).collect();
        body.push_str(&html::key_values(&pairs));
        let rows: Vec<Vec<Cell>> = m
            .activities
            .iter()
            .map(|(d, t)| vec![d.as_str().into(), t.as_str().into()])
            .collect();
        body.push_str(&html::section(
            v.pick("参加的楼组活动", "Group activities attended"),
            v.pick("本期未参加楼组活动。", "None in this period."),
            html::table_or_none(
                "",
                &[
                    v.pick("日期", "Date").into(),
                    v.pick("活动", "Activity").into(),
                ],
                &rows,
            ),
        ));
        body.push_str(&format!("<h2>{}</h2>\n", esc(comment_label(v))));
        let comment = if m.comment.is_empty() {
            "<br><br><br>".to_string()
        } else {
            esc(&m.comment)
        };
        body.push_str(&format!(
            "<p style=\"border:1px solid #666;padding:3mm;min-height:25mm\">{comment}</p>\n"
        ));
        let (leader, seal, date) = match v.lang {
            Lang::Zh => ("楼组党小组长（签字）：", "社区党组织（盖章）", "日期："),
            Lang::En => (
                "Group leader (signature): ",
                "Community party organisation (seal)",
                "Date: ",
            ),
        };
        body.push_str(&format!(
            "<div class=\"sign\"><span>{leader}__________</span>\
             <span>{seal}</span><span>{date}__________</span></div>\n</section>\n",
        ));
    }
    html::page_in(v.lang, title, "", &body, "")
}
