//! 报表与导入 — what goes to the office, the members' work units and the stairwell: roster
//! import and export, the monthly report (月度工作台账), the yearly comparison for 先进楼组党小组,
//! 在职党员表现反馈单 and the 党员公示牌. Reads are plain SQL on the store's connection;
//! the only writes (an import) go through [`crate::store::Store::commit_all`].

pub mod feedback;
pub mod figures;
pub mod html;
pub mod month;
pub mod notice;
pub mod period;
pub mod request;
pub mod roster_export;
pub mod roster_import;
pub mod table;
pub mod xlsx;
pub mod year;

pub use period::Period;

use std::path::PathBuf;

use crate::domain::duty::RoleSet;
use crate::i18n::Lang;
use crate::store::StoreError;

/// The language a printed document speaks and the 六个员 set that names its roles. The
/// document's own words (headings, labels, footer) follow `lang`; the user's data (names,
/// rooms, notes, a pledge or a role the leader named without an English name) stays as
/// written.
#[derive(Debug, Clone, Copy)]
pub struct Voice<'a> {
    pub lang: Lang,
    pub duties: &'a RoleSet,
}

impl Voice<'_> {
    /// Picks the document's word in its language.
    pub fn pick<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }

    /// Duty role names as this language lists them; `—` when there are none.
    pub fn roles(&self, names: &[String]) -> String {
        if names.is_empty() {
            "—".to_string()
        } else {
            self.duties.roles_label(names, self.lang)
        }
    }

    /// A stored enumeration word (组长, 在职党员…) in this language.
    pub fn word<'w>(&self, value: &'w str) -> &'w str {
        crate::domain::entity::word_label(value, self.lang)
    }
}

/// Everything that can go wrong reading a spreadsheet or writing a report, said so a
/// leader can act on it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("无法读取「{path}」：{detail}")]
    Read { path: PathBuf, detail: String },
    #[error("无法写入「{path}」：{detail}。请检查文件夹是否存在、文件是否正被 Excel/WPS 打开。")]
    Write { path: PathBuf, detail: String },
    #[error("「{path}」不是支持的表格：请用 .xlsx 或 .csv（UTF-8 或 GBK 编码）")]
    UnsupportedFile { path: PathBuf },
    #[error("「{path}」找不到表头：需要至少有「室号」和「姓名」两列（也可写 room、name）")]
    NoHeader { path: PathBuf },
    #[error("期间「{0}」无效：请写成 2026-11（月）、2026-Q4（季度）或 2026（年）")]
    BadPeriod(String),
    #[error(
        "名册有 {0} 行错误，未导入任何数据。请改正后重新导入，或加 --skip-bad 只导入正确的行。"
    )]
    RowsInvalid(usize),
    #[error("{0}")]
    Unsupported(String),
    #[error("已取消，没有写入任何数据 / cancelled: nothing was written")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ReportError {
    fn from(e: rusqlite::Error) -> ReportError {
        ReportError::Store(StoreError::Sql(e))
    }
}

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For the office's spreadsheets (Excel, WPS, LibreOffice).
    Xlsx,
    /// For printing on A4.
    Html,
    /// For other programs; UTF-8 with a BOM so Excel shows the Chinese right.
    Csv,
}

impl Format {
    /// Parses `xlsx`, `html` or `csv`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_lowercase().as_str() {
            "xlsx" | "excel" => Some(Format::Xlsx),
            "html" | "htm" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// File extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Csv => "csv",
        }
    }
}

/// What a report may show of people's contacts. Redacted is the default everywhere: a
/// report is printed, mailed and left on desks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Contacts {
    #[default]
    Redacted,
    /// Asked for with `--with-contacts`.
    Shown,
}

/// Shown in place of a phone or contact that is redacted.
pub const REDACTED: &str = "（已隐去）";

/// [`REDACTED`] in an English document.
pub const REDACTED_EN: &str = "(withheld)";

impl Contacts {
    /// The contact as the report may print it: itself, the redaction mark (in the
    /// document's language), or empty when there is nothing to hide.
    pub fn show(self, contact: &str, lang: Lang) -> String {
        match self {
            _ if contact.trim().is_empty() => String::new(),
            Contacts::Shown => contact.to_string(),
            Contacts::Redacted => lang.pick(REDACTED, REDACTED_EN).to_string(),
        }
    }
}

/// UTF-8 byte order mark: Excel on Windows reads a CSV as GBK without it.
pub const BOM: &str = "\u{feff}";

/// A CSV file body from rows, quoted where needed, with a BOM for Excel.
pub fn csv_text(rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A percentage for people, `87.5%`, or `—` when there was nothing to count.
pub fn pct(done: i64, of: i64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.1}%", done as f64 * 100.0 / of as f64)
    }
}

/// A ratio 0..1 for spreadsheets (shown with a percent format), `None` when undefined.
pub fn ratio(done: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| done as f64 / of as f64)
}
