//! Reading the office's spreadsheets into rows of text: the first sheet of an XLSX (also
//! XLS/ODS), or a CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or
//! GBK (what Chinese Excel and WPS save by default).

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::ReportError;

/// A sheet as text: each row with the spreadsheet's own row number (1-based, as Excel shows
/// it), so errors can point at the row a person sees.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a spreadsheet by its extension.
pub fn read_table(path: &Path) -> Result<Table, ReportError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path),
        "csv" | "txt" | "tsv" => {
            let bytes = std::fs::read(path).map_err(|e| ReportError::Read {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
            Ok(parse_csv(&decode_text(&bytes)))
        }
        _ => Err(ReportError::UnsupportedFile {
            path: path.to_path_buf(),
        }),
    }
}

fn read_workbook(path: &Path) -> Result<Table, ReportError> {
    let bad = |detail: String| ReportError::Read {
        path: path.to_path_buf(),
        detail,
    };
    let mut book = open_workbook_auto(path).map_err(|e| bad(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad("文件里没有工作表".into()))?
        .map_err(|e| bad(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row = vec![String::new(); first_col];
            row.extend(cells.iter().map(cell_text));
            (first_row + i + 1, row)
        })
        .collect();
    Ok(Table { rows })
}

/// A cell as a person would read it: whole numbers without `.0` (phones and years are
/// often stored as numbers), dates as `YYYY-MM-DD`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let base = jiff::civil::date(1899, 12, 30);
    base.checked_add(jiff::Span::new().days(serial.floor() as i64))
        .map(crate::domain::date::format_date)
        .unwrap_or_else(|_| serial.to_string())
}

/// Decodes a text file whatever Chinese Office saved it as: a BOM decides; else valid
/// UTF-8 is UTF-8; else GBK (read with GB18030, its superset).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Parses CSV text, guessing the delimiter (comma, tab or semicolon; comma on a tie).
pub fn parse_csv(text: &str) -> Table {
    // From the first lines, not only the first: a title row above the header has none.
    let head: String = text.lines().take(10).collect();
    let delim = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| head.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line numbers from byte offsets: exact even with quoted line breaks and blank lines.
    let (mut at, mut line) = (0usize, 1usize);
    for rec in reader.records() {
        let Ok(rec) = rec else { continue };
        let mut start = rec.position().map_or(at, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.as_bytes()[at.min(start)..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        at = at.max(start);
        rows.push((line, rec.iter().map(|c| c.trim().to_string()).collect()));
    }
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_gbk_and_utf16_all_decode() {
        let text = "室号,姓名\n301,张三\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&bom), text);
        assert_eq!(decode_text(text.as_bytes()), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(decode_text(&gbk), text);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "室号\t姓名".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16), "室号\t姓名");
    }

    #[test]
    fn csv_rows_keep_line_numbers_and_quotes() {
        let t = parse_csv("室号,姓名,备注\n301,张三,\"说,明\"\n\n302,李四\n");
        assert_eq!(t.rows[0].1, vec!["室号", "姓名", "备注"]);
        assert_eq!(
            t.rows[1],
            (2, vec!["301".into(), "张三".into(), "说,明".into()])
        );
        assert_eq!(t.rows.last().unwrap().0, 4);
        let tabs = parse_csv("室号\t姓名\n301\t张三\n");
        assert_eq!(tabs.rows[1].1, vec!["301", "张三"]);
    }

    #[test]
    fn numbers_and_dates_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(13800001234.0)), "13800001234");
        assert_eq!(cell_text(&Data::Float(1950.0)), "1950");
        assert_eq!(excel_date(46000.0), "2025-12-09");
    }
}
