//! Writing XLSX the office can work with: every sheet opens with a title row (building,
//! report, period) and a line saying the period and the day it was made, then a bold
//! frozen header with a filter (so columns sort); widths fitted to the Chinese text;
//! numbers, percentages and dates as Excel numbers and dates; A4 printing one page wide
//! with the title and header repeated on every page and 第 N 页 / 共 M 页 in the footer.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

use super::ReportError;
use crate::domain::date::parse_date;
use crate::text::width;

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A number with one decimal (综合得分, 户均走访).
    Num(f64),
    /// A share shown as a percentage; `None` is "nothing to count" and shows `—`.
    Ratio(Option<f64>),
    /// A day, `YYYY-MM-DD`, written as an Excel date (text if it does not parse).
    Date(String),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl Cell {
    /// The cell as text (for CSV and HTML).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Date(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x) => format!("{x:.1}"),
            Cell::Ratio(Some(r)) => format!("{:.1}%", r * 100.0),
            Cell::Ratio(None) => "—".into(),
        }
    }

    /// Whether the cell is a figure (right-aligned, never wrapped, in print).
    pub fn is_number(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// How a sheet prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A4 landscape, one page wide, as many pages long as it takes.
    #[default]
    Wide,
    /// A4 portrait, the whole sheet on one page (the 概况).
    OnePage,
}

/// One sheet: a header row and rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub layout: Layout,
}

impl Sheet {
    pub fn new(name: &str, headers: &[&str]) -> Sheet {
        Sheet {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            layout: Layout::Wide,
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
pub fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t == &name) {
        name = format!("{clean}{n}");
        n += 1;
    }
    name
}

/// The title rows every sheet opens with: what it is (building, report, period) and the
/// line under it (统计期间 … · 制表日期 …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub title: String,
    pub subtitle: String,
}

/// Rows above a sheet's header: the title, the subtitle, a blank row.
pub const HEADER_ROW: u32 = 3;

/// Escapes `&` for Excel's header/footer codes.
fn hf(s: &str) -> String {
    s.replace('&', "&&")
}

/// The workbook's bytes.
pub fn workbook(heading: &Heading, author: &str, sheets: &[Sheet]) -> Result<Vec<u8>, ReportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ReportError::Unsupported(format!("XLSX：{e}"));
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(&heading.title)
            .set_author(author),
    );
    let title = Format::new().set_bold().set_font_size(14);
    let sub = Format::new().set_font_color(Color::RGB(0x44_44_44));
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xF2_DC_DB))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let int = Format::new()
        .set_num_format("0")
        .set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_num_format("0.0")
        .set_border(FormatBorder::Thin);
    let pct = Format::new()
        .set_num_format("0.0%")
        .set_border(FormatBorder::Thin);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_border(FormatBorder::Thin);
    let mut taken: Vec<String> = Vec::new();
    for sheet in sheets {
        let name = sheet_name(&sheet.name, &taken);
        taken.push(name.clone());
        let ws = book.add_worksheet();
        ws.set_name(&name).map_err(err)?;
        ws.write_string_with_format(0, 0, &heading.title, &title)
            .map_err(err)?;
        ws.write_string_with_format(1, 0, format!("{} · {}", heading.subtitle, sheet.name), &sub)
            .map_err(err)?;
        let h0 = HEADER_ROW - 1;
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| width(h)).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(h0, c as u16, h, &head)
                .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + HEADER_ROW;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string_with_format(r, col, s, &text),
                    Cell::Int(n) => ws.write_number_with_format(r, col, *n as f64, &int),
                    Cell::Num(x) => ws.write_number_with_format(r, col, *x, &num),
                    Cell::Ratio(Some(x)) => ws.write_number_with_format(r, col, *x, &pct),
                    Cell::Ratio(None) => ws.write_string_with_format(r, col, "—", &text),
                    Cell::Date(s) => match parse_date(s).ok().and_then(|d| {
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .ok()
                    }) {
                        Some(d) => ws.write_datetime_with_format(r, col, d, &date),
                        None => ws.write_string_with_format(r, col, s, &text),
                    },
                }
                .map_err(err)?;
                let w = match cell {
                    Cell::Text(s) => width(s),
                    Cell::Date(_) => 10,
                    other => other.text().len(),
                };
                if c >= widths.len() {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(w);
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w as f64 + 2.0).clamp(6.0, 50.0))
                .map_err(err)?;
        }
        ws.set_freeze_panes(HEADER_ROW, 0).map_err(err)?;
        let last_col = sheet.headers.len().max(1) as u16 - 1;
        if sheet.layout == Layout::Wide {
            ws.autofilter(h0, 0, h0 + sheet.rows.len() as u32, last_col)
                .map_err(err)?;
        }
        ws.set_paper_size(9);
        match sheet.layout {
            Layout::Wide => ws.set_landscape().set_print_fit_to_pages(1, 0),
            Layout::OnePage => ws.set_portrait().set_print_fit_to_pages(1, 1),
        };
        ws.set_print_center_horizontally(true);
        ws.set_repeat_rows(0, h0).map_err(err)?;
        ws.set_header(format!("&L{}&R{}", hf(&heading.title), hf(&sheet.name)));
        ws.set_footer(format!("&L{}&R第 &P 页，共 &N 页", hf(&heading.subtitle)));
    }
    if sheets.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let taken = vec!["张三".to_string()];
        assert_eq!(sheet_name("张三", &taken), "张三2");
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert!(sheet_name(&"长".repeat(40), &[]).chars().count() <= 31);
    }
}
