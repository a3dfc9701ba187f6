//! `r` — write a report from the interface: which report, which period, which format,
//! and (asked, never assumed) whether contacts may be printed. `I` in the roster — import
//! a roster spreadsheet, previewed before anything is written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::form::{Field, Form, Purpose};
use crate::domain::{FieldKind, FieldSpec};
use crate::report::request::ReportCmd;
use crate::tui::app::App;

/// The reports, as the dialog offers them.
pub const REPORTS: &[&str] = &[
    "月度工作台账",
    "年度评比",
    "在职党员表现反馈单",
    "党员公示牌",
];
const FORMATS: &[&str] = &["xlsx", "html", "csv"];

static REPORT_FIELDS: [FieldSpec; 6] = [
    FieldSpec {
        name: "report",
        kind: FieldKind::Choice(REPORTS),
        required: true,
        zh: "报表",
        en: "Report",
    },
    FieldSpec {
        name: "period",
        kind: FieldKind::Text,
        required: false,
        zh: "期间",
        en: "Period",
    },
    FieldSpec {
        name: "format",
        kind: FieldKind::Choice(FORMATS),
        required: true,
        zh: "格式",
        en: "Format",
    },
    FieldSpec {
        name: "with_contacts",
        kind: FieldKind::Bool,
        required: true,
        zh: "印出联系方式",
        en: "Print contacts",
    },
    FieldSpec {
        name: "comments",
        kind: FieldKind::Text,
        required: false,
        zh: "评语（姓名=评语；…）",
        en: "Comments (name=text; …)",
    },
    FieldSpec {
        name: "out",
        kind: FieldKind::Text,
        required: false,
        zh: "输出文件",
        en: "Output file",
    },
];

static IMPORT_FIELDS: [FieldSpec; 2] = [
    FieldSpec {
        name: "path",
        kind: FieldKind::Text,
        required: true,
        zh: "名册文件（xlsx/csv）",
        en: "Roster file (xlsx/csv)",
    },
    FieldSpec {
        name: "skip_bad",
        kind: FieldKind::Bool,
        required: true,
        zh: "跳过有错误的行",
        en: "Skip rows with errors",
    },
];

/// The report dialog, with this month, xlsx and contacts left out filled in.
pub fn report_form(app: &App) -> Form {
    let lang = app.lang;
    let month = crate::domain::date::format_date(app.data.today)[..7].to_string();
    let defaults = [
        REPORTS[0].to_string(),
        month,
        FORMATS[0].to_string(),
        crate::tui::strings::strings(lang).dlg_no.to_string(),
        String::new(),
        String::new(),
    ];
    let fields = REPORT_FIELDS
        .iter()
        .zip(defaults.iter())
        .map(|(f, d)| Field::new(f, lang, d))
        .collect();
    Form {
        title: crate::tui::strings::strings(lang)
            .write_a_report
            .to_string(),
        purpose: Purpose::Report,
        fields,
        focus: 0,
        error: None,
        note: Some(format!(
            "{}{}",
            crate::tui::strings::strings(lang).period_2026_11_2026_q4_or_2026_leave,
            crate::config::output::shown(&app.output_dir)
        )),
        presets: Vec::new(),
        pending: false,
        opened: None,
    }
}

/// The roster import dialog.
pub fn import_form(app: &App) -> Form {
    let lang = app.lang;
    let defaults = [
        String::new(),
        crate::tui::strings::strings(lang).dlg_no.to_string(),
    ];
    let fields = IMPORT_FIELDS
        .iter()
        .zip(defaults.iter())
        .map(|(f, d)| Field::new(f, lang, d))
        .collect();
    Form {
        title: crate::tui::strings::strings(lang)
            .import_a_roster
            .to_string(),
        purpose: Purpose::RosterImport,
        fields,
        focus: 0,
        error: None,
        note: Some(
            crate::tui::strings::strings(lang)
                .you_see_a_preview_added_updated_erro
                .to_string(),
        ),
        presets: Vec::new(),
        pending: false,
        opened: None,
    }
}

fn text<'a>(values: &'a [(String, Value)], name: &str) -> &'a str {
    values
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.as_str())
        .unwrap_or("")
        .trim()
}

fn flag(values: &[(String, Value)], name: &str) -> bool {
    values
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.as_bool())
        .unwrap_or(false)
}

/// The report command the dialog's values describe. A file named without its folder goes
/// into the output folder `out_dir`, where an empty name puts it too.
pub fn command(values: &[(String, Value)], building: Option<&str>, out_dir: &Path) -> ReportCmd {
    let period = Some(text(values, "period").to_string()).filter(|p| !p.is_empty());
    let format = text(values, "format").to_string();
    let out = Some(text(values, "out"))
        .filter(|p| !p.is_empty())
        .map(|p| out_dir.join(p));
    let with_contacts = flag(values, "with_contacts");
    let building = building.map(str::to_string);
    match text(values, "report") {
        r if r == REPORTS[1] => ReportCmd::Year {
            // A year report wants a year: the month's year if a month was given.
            year: period.map(|p| p.chars().take(4).collect()),
            format: if format == "csv" {
                "xlsx".into()
            } else {
                format
            },
            rank_by: None,
            out,
            building,
            all: false,
        },
        r if r == REPORTS[2] => ReportCmd::Feedback {
            period,
            format,
            comments: text(values, "comments")
                .split(['；', ';'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            out,
            with_contacts,
            building,
            all: false,
        },
        r if r == REPORTS[3] => ReportCmd::Notice {
            out,
            with_contacts,
            building,
        },
        _ => ReportCmd::Month {
            period,
            format,
            out,
            with_contacts,
            building,
            all: false,
        },
    }
}

/// The file and skip choice of the import dialog.
pub fn import_args(values: &[(String, Value)]) -> (PathBuf, bool) {
    (
        PathBuf::from(text(values, "path")),
        flag(values, "skip_bad"),
    )
}
