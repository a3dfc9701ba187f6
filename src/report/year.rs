//! 年度评比 — every building's figures for a year side by side, ranked by the figures the
//! office chooses, to pick the year's 先进楼组党小组.

use super::figures::{BuildingFigures, Figures};
use super::html;
use super::xlsx::{Cell, Heading, Sheet, workbook};
use super::{Format, ReportError, ratio};
use crate::domain::date::format_date;

/// A figure the office can rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// 活动次数
    Activities,
    /// 走访户次 per household
    Visits,
    /// 诉求办结率
    Needs,
    /// 六个员完成率
    Duty,
    /// 四个无全部达成的月数
    Attest,
    /// 巡楼天数
    Checkins,
    /// 结对困难户走访覆盖率
    Pairs,
}

impl Measure {
    pub const ALL: [Measure; 7] = [
        Measure::Activities,
        Measure::Visits,
        Measure::Needs,
        Measure::Duty,
        Measure::Attest,
        Measure::Checkins,
        Measure::Pairs,
    ];

    /// Name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Activities => "activities",
            Measure::Visits => "visits",
            Measure::Needs => "needs",
            Measure::Duty => "duty",
            Measure::Attest => "attest",
            Measure::Checkins => "checkins",
            Measure::Pairs => "pairs",
        }
    }

    /// Column header.
    pub fn zh(self) -> &'static str {
        match self {
            Measure::Activities => "活动次数",
            Measure::Visits => "户均走访",
            Measure::Needs => "诉求办结率",
            Measure::Duty => "六个员完成率",
            Measure::Attest => "四个无全达成月数",
            Measure::Checkins => "巡楼天数",
            Measure::Pairs => "结对户走访覆盖率",
        }
    }

    /// Parses `activities,visits,…` (English names or the Chinese headers).
    pub fn parse_list(s: &str) -> Result<Vec<Measure>, ReportError> {
        s.split([',', '，', '、'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                Measure::ALL
                    .into_iter()
                    .find(|m| m.name() == t || m.zh() == t)
                    .ok_or_else(|| {
                        ReportError::Unsupported(format!(
                            "--rank-by {t}：可选 {}",
                            Measure::ALL.map(Measure::name).join(", ")
                        ))
                    })
            })
            .collect()
    }

    fn value(self, b: &BuildingFigures) -> f64 {
        let r = |d, o| ratio(d, o).unwrap_or(0.0);
        match self {
            Measure::Activities => b.activities as f64,
            Measure::Visits => {
                if b.households == 0 {
                    0.0
                } else {
                    b.visits_done as f64 / b.households as f64
                }
            }
            Measure::Needs => r(b.needs_resolved, b.needs_received),
            Measure::Duty => r(b.duty_done, b.duty_due),
            Measure::Attest => b.attest_full_months as f64,
            Measure::Checkins => b.checkin_days as f64,
            Measure::Pairs => r(b.paired_visited, b.paired_households),
        }
    }

    fn cell(self, b: &BuildingFigures) -> Cell {
        match self {
            Measure::Needs => Cell::Ratio(ratio(b.needs_resolved, b.needs_received)),
            Measure::Duty => Cell::Ratio(ratio(b.duty_done, b.duty_due)),
            Measure::Pairs => Cell::Ratio(ratio(b.paired_visited, b.paired_households)),
            Measure::Visits => Cell::Num(self.value(b)),
            other => Cell::Int(other.value(b) as i64),
        }
    }
}

/// Buildings with their score (0–100: the mean over the chosen measures of each value as a
/// share of the best building's), best first; ties keep name order.
pub fn rank<'a>(f: &'a Figures, by: &[Measure]) -> Vec<(f64, &'a BuildingFigures)> {
    let best: Vec<f64> = by
        .iter()
        .map(|m| f.buildings.iter().map(|b| m.value(b)).fold(0.0, f64::max))
        .collect();
    let mut out: Vec<(f64, &BuildingFigures)> = f
        .buildings
        .iter()
        .map(|b| {
            let sum: f64 = by
                .iter()
                .zip(&best)
                .map(|(m, &top)| if top > 0.0 { m.value(b) / top } else { 0.0 })
                .sum();
            (100.0 * sum / by.len().max(1) as f64, b)
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    out
}

/// The ranking as one sheet.
pub fn sheet(f: &Figures, by: &[Measure]) -> Sheet {
    let mut heads = vec!["排名", "楼组", "居民区", "综合得分", "户数", "党员数"];
    heads.extend(Measure::ALL.map(Measure::zh));
    heads.extend(["走访户次", "诉求受理", "六个员完成", "六个员应完成"]);
    let mut s = Sheet::new(&format!("{}评比", f.period.label), &heads);
    for (i, (score, b)) in rank(f, by).into_iter().enumerate() {
        let mut row: Vec<Cell> = vec![
            (i as i64 + 1).into(),
            b.name.as_str().into(),
            b.neighbourhood.as_str().into(),
            Cell::Num((score * 10.0).round() / 10.0),
            b.households.into(),
            b.members.into(),
        ];
        row.extend(Measure::ALL.map(|m| m.cell(b)));
        row.extend([
            b.visits_done.into(),
            b.needs_received.into(),
            b.duty_done.into(),
            b.duty_due.into(),
        ]);
        s.rows.push(row);
    }
    s
}

/// The yearly comparison as XLSX or HTML.
pub fn render(
    f: &Figures,
    by: &[Measure],
    format: Format,
    author: &str,
) -> Result<Vec<u8>, ReportError> {
    let title = format!("{} 先进楼组党小组评比参考", f.period.zh());
    let heading = Heading {
        title: title.clone(),
        subtitle: format!(
            "共 {} 个楼组 · 统计期间 {} 至 {} · 制表日期 {}",
            f.buildings.len(),
            f.period.from(),
            f.period.to(),
            format_date(f.today)
        ),
    };
    let s = sheet(f, by);
    let basis = format!(
        "排名依据：{}（各项以最好楼组为 100 折算后取平均）",
        by.iter().map(|m| m.zh()).collect::<Vec<_>>().join("、")
    );
    Ok(match format {
        Format::Xlsx => workbook(&heading, author, &[s])?,
        Format::Csv => {
            let mut head = vec!["期间".to_string()];
            head.extend(s.headers.iter().cloned());
            let mut rows = vec![head];
            rows.extend(s.rows.iter().map(|r| {
                std::iter::once(f.period.label.clone())
                    .chain(r.iter().map(Cell::text))
                    .collect()
            }));
            super::csv_text(&rows).into_bytes()
        }
        Format::Html => {
            let body = format!(
                "{}{}<p class=\"screen small\">点击表头可排序。</p>\n",
                html::heading(&title, &[heading.subtitle.clone(), basis]),
                html::section(
                    "评比",
                    "本期无楼组。",
                    html::table_or_none("sortable", &s.headers, &s.rows)
                ),
            );
            html::page(
                &title,
                "@page{size:A4 landscape;margin:12mm} body{max-width:none} th,td{font-size:8pt} th{word-break:keep-all} td:nth-child(2){white-space:nowrap}",
                &body,
                html::SORT_SCRIPT,
            )
            .into_bytes()
        }
    })
}
