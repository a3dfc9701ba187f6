//! 月度工作台账 — the monthly report to the office: one building, or every building of an
//! office database as rows. The same sections become XLSX sheets, CSV, or A4 HTML with
//! charts. (Any period of whole months works; the yearly comparison reuses the figures.)

use std::collections::BTreeMap;

use super::figures::{BuildingFigures, Figures};
use super::html::{self, esc};
use super::xlsx::{Cell, Sheet, workbook};
use super::{Format, ReportError, pct, ratio};
use crate::domain::entity::ACTIVITY_KINDS;

fn title(f: &Figures) -> String {
    match f.buildings.as_slice() {
        [one] => format!("{} {} 楼组党小组工作台账", one.name, f.period.zh()),
        many => format!(
            "{} 楼组党小组工作台账（{} 个楼组）",
            f.period.zh(),
            many.len()
        ),
    }
}

/// The sections, one sheet each, every building a row.
pub fn sheets(f: &Figures) -> Vec<Sheet> {
    let name_of = |id: &str| f.building(id).map(|b| b.name.clone()).unwrap_or_default();
    let mut summary = Sheet::new(
        "概况",
        &[
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
            "诉求受理",
            "诉求办结",
            "已反馈",
            "结对户",
            "结对户走访",
            "六个员完成率",
            "四个无达成",
            "巡楼天数",
        ],
    );
    for b in &f.buildings {
        summary.rows.push(vec![
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
            b.needs_received.into(),
            b.needs_resolved.into(),
            b.needs_fed_back.into(),
            b.paired_households.into(),
            b.paired_visited.into(),
            Cell::Ratio(ratio(b.duty_done, b.duty_recorded)),
            format!("{}/{}", b.attest_met, b.attest_total).into(),
            b.checkin_days.into(),
        ]);
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
            a.date.as_str().into(),
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
        &["楼组", "党员", "六个员分工", "已完成", "记录事项", "完成率"],
    );
    for b in &f.buildings {
        for d in f.duties.iter().filter(|d| d.building_id == b.id) {
            duty.rows.push(vec![
                b.name.as_str().into(),
                d.name.as_str().into(),
                d.roles.as_str().into(),
                d.done.into(),
                d.recorded.into(),
                Cell::Ratio(ratio(d.done, d.recorded)),
            ]);
        }
        duty.rows.push(vec![
            b.name.as_str().into(),
            "（全组合计）".into(),
            "".into(),
            b.duty_done.into(),
            b.duty_recorded.into(),
            Cell::Ratio(ratio(b.duty_done, b.duty_recorded)),
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
        summary, acts, list, visits, needs, pairs, duty, attest, checks,
    ]
}

/// The report in `format`, as bytes to write.
pub fn render(f: &Figures, format: Format, author: &str) -> Result<Vec<u8>, ReportError> {
    let sheets = sheets(f);
    Ok(match format {
        Format::Xlsx => workbook(&title(f), author, &sheets)?,
        Format::Csv => {
            let s = &sheets[0];
            let mut rows = vec![s.headers.clone()];
            rows.extend(s.rows.iter().map(|r| r.iter().map(Cell::text).collect()));
            super::csv_text(&rows).into_bytes()
        }
        Format::Html => html_report(f, &sheets).into_bytes(),
    })
}

fn html_report(f: &Figures, sheets: &[Sheet]) -> String {
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">统计期间：{} 至 {}</p>\n",
        esc(&title(f)),
        f.period.from(),
        f.period.to()
    );
    let labels = f.bucket_labels();
    if let [b] = f.buildings.as_slice() {
        body.push_str(&single(f, b, &labels));
    } else {
        let mut per_bucket = vec![0.0; labels.len()];
        for b in &f.buildings {
            for (i, n) in b.visits_by_bucket.iter().enumerate() {
                per_bucket[i] += *n as f64;
            }
        }
        let unit = if f.period.months().len() == 1 {
            "每周"
        } else {
            "每月"
        };
        body.push_str(&html::column_chart(
            &format!("走访户次（{unit}，全部楼组）"),
            &labels.iter().cloned().zip(per_bucket).collect::<Vec<_>>(),
            "",
        ));
        let mut by_hood: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for b in &f.buildings {
            let e = by_hood.entry(b.neighbourhood.as_str()).or_default();
            e.0 += b.duty_done;
            e.1 += b.duty_recorded;
        }
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
        for s in sheets.iter().filter(|s| s.name != "活动明细") {
            body.push_str(&format!("<h2>{}</h2>\n", esc(&s.name)));
            body.push_str(&html::table("sortable", &s.headers, &s.rows));
        }
    }
    html::page(
        &title(f),
        "body{font-size:9.5pt} table.sortable th,table.sortable td{font-size:8pt}",
        &body,
        if f.buildings.len() > 1 {
            html::SORT_SCRIPT
        } else {
            ""
        },
    )
}

fn single(f: &Figures, b: &BuildingFigures, labels: &[String]) -> String {
    let mut s = String::new();
    s.push_str("<h2>概况</h2>\n");
    s.push_str(&html::key_values(&[
        ("楼组", b.name.clone()),
        ("居民区", b.neighbourhood.clone()),
        (
            "户数 / 党员数",
            format!("{} 户 / {} 名", b.households, b.members),
        ),
        (
            "楼组活动",
            format!(
                "{} 次（党员出席 {} 人次，居民参与 {} 人次）",
                b.activities, b.member_attendance, b.residents_taking_part
            ),
        ),
        (
            "走访",
            format!("{} 户次，{} 户", b.visits_done, b.households_visited),
        ),
        (
            "计划走访完成",
            format!(
                "{} / {}（{}），未访 {}",
                b.planned_done,
                b.visits_planned,
                pct(b.planned_done, b.visits_planned),
                b.visits_missed
            ),
        ),
        (
            "需定期走访户",
            format!(
                "{} 户，已走访 {} 户，按周期应访约 {} 户次",
                b.cadence_households, b.cadence_visited, b.cadence_expected
            ),
        ),
        (
            "民情诉求",
            format!(
                "受理 {}，办结 {}，已反馈 {}，转交 {}，期末未办结 {}",
                b.needs_received,
                b.needs_resolved,
                b.needs_fed_back,
                b.needs_escalated,
                b.needs_open
            ),
        ),
        (
            "双结对帮困",
            format!(
                "结对困难户 {} 户，本期走访 {} 户",
                b.paired_households, b.paired_visited
            ),
        ),
        (
            "六个员完成",
            format!(
                "{} / {}（{}）",
                b.duty_done,
                b.duty_recorded,
                pct(b.duty_done, b.duty_recorded)
            ),
        ),
        (
            "四个无",
            format!("达成 {} / {} 项", b.attest_met, b.attest_total),
        ),
        (
            "巡楼",
            format!(
                "{} 天（共 {} 天），发现问题 {} 项次",
                b.checkin_days,
                f.period.days(),
                b.checkin_problems
            ),
        ),
    ]));
    let unit = if f.period.months().len() == 1 {
        "每周"
    } else {
        "每月"
    };
    s.push_str(&html::column_chart(
        &format!("走访户次（{unit}）"),
        &labels
            .iter()
            .cloned()
            .zip(b.visits_by_bucket.iter().map(|n| *n as f64))
            .collect::<Vec<_>>(),
        "",
    ));
    let duties: Vec<_> = f.duties.iter().filter(|d| d.building_id == b.id).collect();
    let mut bars: Vec<(String, Option<f64>)> = duties
        .iter()
        .map(|d| (d.name.clone(), ratio(d.done, d.recorded)))
        .collect();
    bars.push(("全组".into(), ratio(b.duty_done, b.duty_recorded)));
    s.push_str(&html::share_chart("六个员完成率", &bars));
    s.push_str("<h2>楼组活动</h2>\n");
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
    s.push_str(&html::table(
        "",
        &["日期", "类型", "主题", "党员出席", "参与居民"].map(String::from),
        &acts,
    ));
    s.push_str("<h2>六个员</h2>\n");
    let rows: Vec<Vec<Cell>> = duties
        .iter()
        .map(|d| {
            vec![
                d.name.as_str().into(),
                d.roles.as_str().into(),
                d.done.into(),
                d.recorded.into(),
                Cell::Ratio(ratio(d.done, d.recorded)),
            ]
        })
        .collect();
    s.push_str(&html::table(
        "",
        &["党员", "分工", "已完成", "记录事项", "完成率"].map(String::from),
        &rows,
    ));
    s.push_str("<h2>四个无</h2>\n");
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
    if rows.is_empty() {
        s.push_str("<p>本期未填报四个无。</p>\n");
    } else {
        s.push_str(&html::table(
            "",
            &["月份", "目标", "情况", "说明"].map(String::from),
            &rows,
        ));
    }
    s.push_str(
        "<div class=\"sign\"><span>楼组党小组长（签字）：__________</span>\
         <span>日期：__________</span></div>\n",
    );
    s
}
