//! The 公示牌 and the 表现反馈单 written with `--lang en`, read as an English reader would:
//! every word of the document's own in English, Chinese only in the user's data (names,
//! rooms, the building, its 居委会 and address, work units, activity titles). The notice is
//! also printed to PDF where Chromium is installed and read back as text.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Reader, open_workbook_auto};
use louzu::domain::{EntityKind, FieldKind};
use louzu::text::has_cjk;
use serde_json::Value;

mod print;
use print::{chromium, pages, pdf_text, print_pdf};

fn louzu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(args)
        .current_dir(dir)
        .env("LOUZU_CONFIG_DIR", dir.join("config"))
        .env("LOUZU_DB", dir.join("demo.db"))
        .env("LOUZU_TODAY", "2026-11-26")
        .output()
        .expect("run louzu")
}

fn ok(o: &Output) -> String {
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{out}\n{err}");
    format!("{out}{err}")
}

/// The texts the leader typed that a notice or a form may print: every text and room of
/// the buildings, households, members and activities, also without spaces (the PDF's text
/// is compared without them). Longest first, so 曾国华 goes before 曾.
fn user_data(dir: &Path) -> Vec<String> {
    let dump: Value = serde_json::from_str(&ok(&louzu(dir, &["dump"]))).unwrap();
    let mut data = Vec::new();
    for kind in [
        EntityKind::Building,
        EntityKind::Household,
        EntityKind::Member,
        EntityKind::Activity,
    ] {
        for record in dump[kind.name()].as_array().into_iter().flatten() {
            for (name, value) in record.as_object().into_iter().flatten() {
                let text = kind
                    .field(name)
                    .filter(|f| matches!(f.kind, FieldKind::Text | FieldKind::Room));
                if let (Some(_), Some(s)) = (text, value.as_str()) {
                    data.push(s.to_string());
                    data.push(s.split_whitespace().collect());
                }
            }
        }
    }
    data.retain(|s| has_cjk(s));
    data.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    data.dedup();
    data
}

/// The lines of `text` still holding Chinese once the user's data is taken out (each
/// piece of data shown as `·`).
fn chinese_outside(text: &str, data: &[String]) -> Vec<String> {
    text.lines()
        .map(|line| {
            let mut rest = line.to_string();
            for d in data {
                rest = rest.replace(d.as_str(), "·");
            }
            rest
        })
        .filter(|rest| has_cjk(rest))
        .collect()
}

/// The words of an HTML page as a browser shows them: tags dropped, one line per element.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

#[test]
fn english_notice_and_feedback_show_chinese_only_in_the_users_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&louzu(d, &["demo", "--db", "demo.db", "--no-tui"]));
    let data = user_data(d);
    assert!(data.iter().any(|s| s == "曾国华"), "names are data");
    let en = |args: &[&str]| {
        let mut full = vec!["--lang", "en"];
        full.extend_from_slice(args);
        ok(&louzu(d, &full))
    };

    let said = en(&["report", "notice", "--with-contacts", "--out", "n.html"]);
    assert!(!has_cjk(&said), "{said}");
    let html = std::fs::read_to_string(d.join("n.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    let text = html_text(&html);
    for words in [
        "Party members of",
        "Our pledge",
        "Duties: ",
        "Phone: ",
        "the Residents' Committee of",
        "posted 2026-11-26",
    ] {
        assert!(text.contains(words), "the notice lacks {words:?}");
    }
    let left = chinese_outside(&text, &data);
    assert!(left.is_empty(), "Chinese on the English notice: {left:?}");

    en(&[
        "report", "feedback", "--period", "2026-Q4", "--out", "f.html",
    ]);
    let html = std::fs::read_to_string(d.join("f.html")).unwrap();
    let text = html_text(&html);
    for words in [
        "In-service party member: community feedback (Q4 2026)",
        "(withheld)",
        "Duty roles",
        "Community party organisation (seal)",
    ] {
        assert!(text.contains(words), "the form lacks {words:?}");
    }
    let left = chinese_outside(&text, &data);
    assert!(left.is_empty(), "Chinese on the English form: {left:?}");

    en(&["report", "feedback", "--format", "xlsx", "--out", "f.xlsx"]);
    let mut book = open_workbook_auto(d.join("f.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[0], "Index");
    let mut cells = String::new();
    for name in book.sheet_names() {
        for c in book.worksheet_range(&name).unwrap().cells() {
            cells.push_str(&c.2.to_string());
            cells.push('\n');
        }
    }
    let left = chinese_outside(&cells, &data);
    assert!(left.is_empty(), "Chinese in the English workbook: {left:?}");

    // Printed, the English notice still fits its one A4 page and says nothing in Chinese
    // but the names, rooms and the building.
    let Some(browser) = chromium() else { return };
    let pdf = print_pdf(&browser, d, &d.join("n.html"));
    assert_eq!(pages(&pdf), 1, "the English notice must fit one A4 page");
    let printed = pdf_text(&d.join("n.pdf"));
    assert!(printed.contains("Partymembersof"), "{printed}");
    assert!(
        printed.contains("posted2026-11-26"),
        "footer cut off: {printed}"
    );
    let left = chinese_outside(&printed, &data);
    assert!(left.is_empty(), "Chinese on the printed notice: {left:?}");
}
