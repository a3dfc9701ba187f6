//! Writing XLSX the office can work with: a bold frozen header with a filter (so columns
//! sort), widths fitted to the Chinese text, numbers and percentages as numbers, A4
//! landscape printing one page wide with the header repeated.

use rust_xlsxwriter::{Color, DocProperties, Format, FormatBorder, Workbook};

use super::ReportError;
use crate::text::width;

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A share shown as a percentage; `None` is "nothing to count" and shows `—`.
    Ratio(Option<f64>),
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
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Ratio(Some(r)) => format!("{:.1}%", r * 100.0),
            Cell::Ratio(None) => "—".into(),
        }
    }
}

/// One sheet: a header row and rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(name: &str, headers: &[&str]) -> Sheet {
        Sheet {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
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

/// The workbook's bytes.
pub fn workbook(title: &str, author: &str, sheets: &[Sheet]) -> Result<Vec<u8>, ReportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ReportError::Unsupported(format!("XLSX：{e}"));
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title(title).set_author(author));
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xF2_DC_DB))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_border(FormatBorder::Thin);
    let int = Format::new()
        .set_num_format("0")
        .set_border(FormatBorder::Thin);
    let pct = Format::new()
        .set_num_format("0.0%")
        .set_border(FormatBorder::Thin);
    let mut taken: Vec<String> = Vec::new();
    for sheet in sheets {
        let name = sheet_name(&sheet.name, &taken);
        taken.push(name.clone());
        let ws = book.add_worksheet();
        ws.set_name(&name).map_err(err)?;
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| width(h)).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head)
                .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string_with_format(r, col, s, &text),
                    Cell::Int(n) => ws.write_number_with_format(r, col, *n as f64, &int),
                    Cell::Ratio(Some(x)) => ws.write_number_with_format(r, col, *x, &pct),
                    Cell::Ratio(None) => ws.write_string_with_format(r, col, "—", &text),
                }
                .map_err(err)?;
                let w = match cell {
                    Cell::Text(s) => width(s),
                    other => other.text().len(),
                };
                if c >= widths.len() {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(w);
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w as f64 + 2.0).clamp(6.0, 60.0))
                .map_err(err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        let last_col = sheet.headers.len().max(1) as u16 - 1;
        ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)
            .map_err(err)?;
        ws.set_paper_size(9)
            .set_landscape()
            .set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(err)?;
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
