//! 月度工作台账 — the monthly report to the office: one building, or every building of an
//! office database as rows. The same sections become XLSX sheets, CSV, or A4 HTML with
//! charts. (Any period of whole months works; the yearly comparison reuses the figures.)
//! Every number comes from [`Figures`]; nothing here counts.

use std::collections::BTreeMap;

use super::figures::{BuildingFigures, Figures};
use super::html::{self, esc};
use super::xlsx::{Cell, Heading, Layout, Sheet, workbook};
use super::{Format, ReportError, pct, ratio};
use crate::domain::date::format_date;
use crate::domain::entity::ACTIVITY_KINDS;

/// Whom the report is for: the building's name, or how many buildings.
fn whom(f: &Figures) -> String {
    match f.buildings.as_slice() {
        [one] => one.name.clone(),
        many => format!("全部 {} 个楼组", many.len()),
    }
}

fn title(f: &Figures) -> String {
    format!("{} {} 楼组党小组工作台账", whom(f), f.period.zh())
}

/// The title and the line under it, on every sheet and at the top of the page.
pub fn heading(f: &Figures) -> Heading {
    Heading {
        title: title(f),
        subtitle: format!(
            "统计期间 {} 至 {} · 制表日期 {}",
            f.period.from(),
            f.period.to(),
            format_date(f.today)
        ),
    }
}

/// One line of the 概况: what, the figure, what it is out of (if anything), the share.
pub struct SummaryLine {
    pub label: &'static str,
    pub value: i64,
    pub of: Option<i64>,
}

/// The 概况 of one building (or the total): every figure of the report, labelled. The
/// labels are what the XLSX 概况 sheet and the HTML show.
pub fn summary(b: &BuildingFigures, days: i64) -> Vec<SummaryLine> {
    let l = |label, value| SummaryLine {
        label,
        value,
        of: None,
    };
    let of = |label, value, of| SummaryLine {
        label,
        value,
        of: Some(of),
    };
    vec![
        l("户数", b.households),
        l("党员数", b.members),
        l("楼组活动（次）", b.activities),
        l("党员出席（人次）", b.member_attendance),
        l("居民参与（人次）", b.residents_taking_part),
        l("走访（户次）", b.visits_done),
        l("走访（户）", b.households_visited),
        of("计划走访完成", b.planned_done, b.visits_planned),
        l("未访", b.visits_missed),
        l("逾期未访（截至制表日）", b.visits_overdue),
        l("需定期走访户", b.cadence_households),
        l("其中已走访", b.cadence_visited),
        l("按周期应访（户次）", b.cadence_expected),
        l("诉求受理", b.needs_received),
        of("诉求办结", b.needs_resolved, b.needs_received),
        of("诉求已反馈", b.needs_fed_back, b.needs_resolved),
        l("诉求转交", b.needs_escalated),
        l("期末未办结诉求", b.needs_open),
        of("结对困难户走访", b.paired_visited, b.paired_households),
        of("六个员完成（项）", b.duty_done, b.duty_due),
        of("四个无达成（项）", b.attest_met, b.attest_due),
        of("巡楼（天）", b.checkin_days, days),
        l("巡楼发现问题（项次）", b.checkin_problems),
    ]
}

fn summary_sheet(f: &Figures) -> Sheet {
    let mut s = Sheet::new("概况", &["项目", "数值", "应完成/共计", "完成率"]);
    s.layout = Layout::OnePage;
    for line in summary(&f.total(), f.period.days()) {
        s.rows.push(vec![
            line.label.into(),
            line.value.into(),
            line.of.map_or(Cell::Text(String::new()), Cell::Int),
            line.of.map_or(Cell::Text(String::new()), |o| {
                Cell::Ratio(ratio(line.value, o))
            }),
        ]);
    }
    s
}

/// Headers of the one-row-per-building sheet (and of the CSV, after 期间).
const BUILDING_HEADS: [&str; 20] = [
    "楼组",
    "居民区",
    "户数",
    "党员数",
    "活动次数",
    "走访户次",
    "走访户数",
    "计划走访",
    "按计划完成",
    "计划完成率",
    "逾期未访",
    "诉求受理",
    "诉求办结",
    "已反馈",
    "结对户",
    "结对户走访",
    "六个员完成",
    "六个员应完成",
    "四个无达成",
    "巡楼天数",
];

fn building_row(b: &BuildingFigures) -> Vec<Cell> {
    vec![
        b.name.as_str().into(),
        b.neighbourhood.as_str().into(),
        b.households.into(),
        b.members.into(),
        b.activities.into(),
        b.visits_done.into(),
        b.households_visited.into(),
        b.visits_planned.into(),
        b.planned_done.into(),
        Cell::Ratio(ratio(b.planned_done, b.visits_planned)),
        b.visits_overdue.into(),
        b.needs_received.into(),
        b.needs_resolved.into(),
        b.needs_fed_back.into(),
        b.paired_households.into(),
        b.paired_visited.into(),
        b.duty_done.into(),
        b.duty_due.into(),
        b.attest_met.into(),
        b.checkin_days.into(),
    ]
}

/// The sections, one sheet each, every building a row.
pub fn sheets(f: &Figures) -> Vec<Sheet> {
    let name_of = |id: &str| f.building(id).map(|b| b.name.clone()).unwrap_or_default();
    let mut per_building = Sheet::new("各楼组", &BUILDING_HEADS);
    for b in &f.buildings {
        per_building.rows.push(building_row(b));
    }
    let mut heads: Vec<&str> = vec!["楼组"];
    heads.extend(ACTIVITY_KINDS);
    heads.extend(["合计", "党员出席人次", "参与居民人次"]);
    let mut acts = Sheet::new("活动", &heads);
    for b in &f.buildings {
        let mut row: Vec<Cell> = vec![b.name.as_str().into()];
        row.extend(b.activities_by_kind.iter().map(|n| Cell::Int(*n)));
        row.extend([
            b.activities.into(),
            b.member_attendance.into(),
            b.residents_taking_part.into(),
        ]);
        acts.rows.push(row);
    }
    let mut list = Sheet::new(
        "活动明细",
        &["楼组", "日期", "类型", "主题", "党员出席", "参与居民"],
    );
    for a in &f.activities {
        list.rows.push(vec![
            name_of(&a.building_id).into(),
            Cell::Date(a.date.clone()),
            a.kind.as_str().into(),
            a.title.as_str().into(),
            a.present.into(),
            a.residents.into(),
        ]);
    }
    let labels = f.bucket_labels();
    let mut heads: Vec<&str> = vec![
        "楼组",
        "计划走访",
        "按计划完成",
        "未访",
        "逾期未访",
        "计划完成率",
        "走访户次",
        "走访户数",
        "需定期走访户",
        "其中已走访",
        "按周期应访户次",
    ];
    heads.extend(labels.iter().map(String::as_str));
    let mut visits = Sheet::new("走访", &heads);
    for b in &f.buildings {
        let mut row: Vec<Cell> = vec![
            b.name.as_str().into(),
            b.visits_planned.into(),
            b.planned_done.into(),
            b.visits_missed.into(),
            b.visits_overdue.into(),
            Cell::Ratio(ratio(b.planned_done, b.visits_planned)),
            b.visits_done.into(),
            b.households_visited.into(),
            b.cadence_households.into(),
            b.cadence_visited.into(),
            b.cadence_expected.into(),
        ];
        row.extend(b.visits_by_bucket.iter().map(|n| Cell::Int(*n)));
        visits.rows.push(row);
    }
    let mut needs = Sheet::new(
        "诉求",
        &[
            "楼组",
            "受理",
            "办结",
            "已反馈",
            "转交",
            "期末未办结",
            "办结率",
            "反馈率",
        ],
    );
    for b in &f.buildings {
        needs.rows.push(vec![
            b.name.as_str().into(),
            b.needs_received.into(),
            b.needs_resolved.into(),
            b.needs_fed_back.into(),
            b.needs_escalated.into(),
            b.needs_open.into(),
            Cell::Ratio(ratio(b.needs_resolved, b.needs_received)),
            Cell::Ratio(ratio(b.needs_fed_back, b.needs_resolved)),
        ]);
    }
    let mut pairs = Sheet::new("结对帮困", &["楼组", "结对困难户", "本期走访", "覆盖率"]);
    for b in &f.buildings {
        pairs.rows.push(vec![
            b.name.as_str().into(),
            b.paired_households.into(),
            b.paired_visited.into(),
            Cell::Ratio(ratio(b.paired_visited, b.paired_households)),
        ]);
    }
    let mut duty = Sheet::new(
        "六个员",
        &["楼组", "党员", "六个员分工", "已完成", "应完成", "完成率"],
    );
    for b in &f.buildings {
        for d in f.duties.iter().filter(|d| d.building_id == b.id) {
            duty.rows.push(vec![
                b.name.as_str().into(),
                d.name.as_str().into(),
                d.roles.as_str().into(),
                d.done.into(),
                d.due.into(),
                Cell::Ratio(ratio(d.done, d.due)),
            ]);
        }
        duty.rows.push(vec![
            b.name.as_str().into(),
            "（全组合计）".into(),
            "".into(),
            b.duty_done.into(),
            b.duty_due.into(),
            Cell::Ratio(ratio(b.duty_done, b.duty_due)),
        ]);
    }
    let mut attest = Sheet::new("四个无", &["楼组", "月份", "目标", "达成", "说明"]);
    for b in &f.buildings {
        let mine: Vec<_> = f
            .attestations
            .iter()
            .filter(|a| a.building_id == b.id)
            .collect();
        if mine.is_empty() {
            attest.rows.push(vec![
                b.name.as_str().into(),
                f.period.label.as_str().into(),
                "".into(),
                "未填报".into(),
                "".into(),
            ]);
        }
        for a in mine {
            attest.rows.push(vec![
                b.name.as_str().into(),
                a.month.as_str().into(),
                a.target.as_str().into(),
                if a.met { "是" } else { "否" }.into(),
                a.note.as_str().into(),
            ]);
        }
    }
    let mut checks = Sheet::new("巡楼", &["楼组", "巡楼天数", "本期天数", "发现问题项次"]);
    for b in &f.buildings {
        checks.rows.push(vec![
            b.name.as_str().into(),
            b.checkin_days.into(),
            f.period.days().into(),
            b.checkin_problems.into(),
        ]);
    }
    vec![
        summary_sheet(f),
        per_building,
        acts,
        list,
        visits,
        needs,
        pairs,
        duty,
        attest,
        checks,
    ]
}

/// The CSV: one row per building, each carrying the period it is for.
fn csv(f: &Figures) -> Vec<u8> {
    let mut head = vec!["期间".to_string()];
    head.extend(BUILDING_HEADS.iter().map(|h| h.to_string()));
    let mut rows = vec![head];
    for b in &f.buildings {
        let mut row = vec![f.period.label.clone()];
        row.extend(building_row(b).iter().map(Cell::text));
        rows.push(row);
    }
    super::csv_text(&rows).into_bytes()
}

/// The report in `format`, as bytes to write.
pub fn render(f: &Figures, format: Format, author: &str) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Xlsx => workbook(&heading(f), author, &sheets(f))?,
        Format::Csv => csv(f),
        Format::Html => html_report(f).into_bytes(),
    })
}

fn unit(f: &Figures) -> &'static str {
    if f.period.months().len() == 1 {
        "每周"
    } else {
        "每月"
    }
}

/// The visits chart, or `None` when no visit was done (no chart of zero bars).
fn visits_chart(f: &Figures, per_bucket: &[i64], suffix: &str) -> Option<String> {
    per_bucket.iter().any(|n| *n > 0).then(|| {
        html::column_chart(
            &format!("走访户次（{}{suffix}）", unit(f)),
            &f.bucket_labels()
                .into_iter()
                .zip(per_bucket.iter().map(|n| *n as f64))
                .collect::<Vec<_>>(),
            "",
        )
    })
}

fn html_report(f: &Figures) -> String {
    let h = heading(f);
    let mut lines = vec![];
    if let [b] = f.buildings.as_slice() {
        let hood = if b.neighbourhood.is_empty() {
            String::new()
        } else {
            format!("{} · ", b.neighbourhood)
        };
        lines.push(format!("{hood}楼组：{}", b.name));
    }
    lines.push(h.subtitle.clone());
    let mut body = html::heading(&h.title, &lines);
    if let [b] = f.buildings.as_slice() {
        body.push_str(&single(f, b));
    } else {
        let total = f.total();
        body.push_str(&html::section("概况", "", Some(summary_html(f, &total))));
        body.push_str(
            &visits_chart(f, &total.visits_by_bucket, "，全部楼组")
                .unwrap_or_else(|| html::section("走访", "本期无完成的走访。", None)),
        );
        let mut by_hood: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for b in &f.buildings {
            let e = by_hood.entry(b.neighbourhood.as_str()).or_default();
            e.0 += b.duty_done;
            e.1 += b.duty_due;
        }
        if by_hood.values().any(|(done, _)| *done > 0) {
            let bars: Vec<_> = by_hood
                .into_iter()
                .map(|(h, (d, r))| {
                    (
                        if h.is_empty() {
                            "（未填居民区）"
                        } else {
                            h
                        }
                        .to_string(),
                        ratio(d, r),
                    )
                })
                .collect();
            body.push_str(&html::share_chart("六个员完成率（按居民区）", &bars));
        }
        for s in sheets(f)
            .iter()
            .filter(|s| s.name != "活动明细" && s.name != "概况")
        {
            body.push_str(&html::section(
                &s.name,
                "本期无记录。",
                html::table_or_none("sortable", &s.headers, &s.rows),
            ));
        }
        body.push_str("<p class=\"screen small\">点击表头可排序。</p>\n");
    }
    html::page(
        &h.title,
        "body{font-size:9.5pt} table.sortable th,table.sortable td{font-size:8pt}",
        &body,
        if f.buildings.len() > 1 {
            html::SORT_SCRIPT
        } else {
            ""
        },
    )
}

/// The 概况 as a printed table: 项目 | 数值 (with “of” and share where there is one).
fn summary_html(f: &Figures, b: &BuildingFigures) -> String {
    let rows: Vec<Vec<Cell>> = summary(b, f.period.days())
        .into_iter()
        .map(|l| {
            let v = match l.of {
                Some(o) => format!("{} / {}（{}）", l.value, o, pct(l.value, o)),
                None => l.value.to_string(),
            };
            vec![l.label.into(), Cell::Text(v)]
        })
        .collect();
    let mut s = String::from("<table class=\"kv\">\n<tbody>\n");
    for r in rows {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            esc(&r[0].text()),
            esc(&r[1].text())
        ));
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

fn single(f: &Figures, b: &BuildingFigures) -> String {
    let mut s = html::section("概况", "", Some(summary_html(f, b)));
    s.push_str(
        &visits_chart(f, &b.visits_by_bucket, "")
            .unwrap_or_else(|| html::section("走访", "本期无完成的走访。", None)),
    );
    let duties: Vec<_> = f.duties.iter().filter(|d| d.building_id == b.id).collect();
    if b.duty_done > 0 {
        let mut bars: Vec<(String, Option<f64>)> = duties
            .iter()
            .filter(|d| d.due > 0)
            .map(|d| (d.name.clone(), ratio(d.done, d.due)))
            .collect();
        bars.push(("全组".into(), ratio(b.duty_done, b.duty_due)));
        s.push_str(&html::share_chart("六个员完成率", &bars));
    }
    let acts: Vec<Vec<Cell>> = f
        .activities
        .iter()
        .filter(|a| a.building_id == b.id)
        .map(|a| {
            vec![
                a.date.as_str().into(),
                a.kind.as_str().into(),
                a.title.as_str().into(),
                a.present.into(),
                a.residents.into(),
            ]
        })
        .collect();
    s.push_str(&html::section(
        "楼组活动",
        "本期无楼组活动。",
        html::table_or_none(
            "",
            &["日期", "类型", "主题", "党员出席", "参与居民"].map(String::from),
            &acts,
        ),
    ));
    let mut rows: Vec<Vec<Cell>> = duties
        .iter()
        .map(|d| {
            vec![
                d.name.as_str().into(),
                (if d.roles.is_empty() { "—" } else { &d.roles }).into(),
                d.done.into(),
                d.due.into(),
                Cell::Ratio(ratio(d.done, d.due)),
            ]
        })
        .collect();
    if !rows.is_empty() {
        rows.push(vec![
            "全组合计".into(),
            "".into(),
            b.duty_done.into(),
            b.duty_due.into(),
            Cell::Ratio(ratio(b.duty_done, b.duty_due)),
        ]);
    }
    s.push_str(&html::section(
        "六个员",
        "本期无党员。",
        html::table_or_none(
            "",
            &["党员", "分工", "已完成", "应完成", "完成率"].map(String::from),
            &rows,
        ),
    ));
    let rows: Vec<Vec<Cell>> = f
        .attestations
        .iter()
        .filter(|a| a.building_id == b.id)
        .map(|a| {
            vec![
                a.month.as_str().into(),
                a.target.as_str().into(),
                if a.met { "达成" } else { "未达成" }.into(),
                a.note.as_str().into(),
            ]
        })
        .collect();
    s.push_str(&html::section(
        "四个无",
        "本期未填报四个无。",
        html::table_or_none(
            "",
            &["月份", "目标", "情况", "说明"].map(String::from),
            &rows,
        ),
    ));
    s.push_str(
        "<div class=\"sign\"><span>楼组党小组长（签字）：__________</span>\
         <span>日期：__________</span></div>\n",
    );
    s
}
