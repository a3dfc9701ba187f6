//! Printing the HTML reports as a leader does: headless Chromium to PDF, pdftotext back to
//! text. Shared by the report tests; where Chromium is missing the print checks are skipped
//! with a message (`.ci/run` installs it with CJK fonts, so page counts are true).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser that prints the reports, or `None` (with a message saying the print checks
/// were skipped) where it is not installed.
pub fn chromium() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/chromium");
    if p.exists() {
        Some(p)
    } else {
        println!(
            "SKIPPED: /usr/bin/chromium is not installed, so the reports were not printed to PDF \
             (apt-get install chromium fonts-noto-cjk)"
        );
        None
    }
}

/// A headless Chromium with its own profile, no network and no page header or footer.
pub fn chromium_args(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// Prints `html` to a PDF beside it, as the leader's browser would, and returns it.
pub fn print_pdf(browser: &Path, dir: &Path, html: &Path) -> Vec<u8> {
    let pdf = html.with_extension("pdf");
    let out = Command::new(browser)
        .args(chromium_args(&dir.join("profile")))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(
        pdf.exists(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(pdf).unwrap()
}

/// `/Type /Page` objects (not `/Pages`): the page count.
pub fn pages(pdf: &[u8]) -> usize {
    let needle = b"/Type";
    let mut n = 0;
    for i in 0..pdf.len().saturating_sub(12) {
        if pdf[i..].starts_with(needle) {
            let rest: Vec<u8> = pdf[i + 5..]
                .iter()
                .copied()
                .skip_while(|b| b.is_ascii_whitespace())
                .take(6)
                .collect();
            if rest.starts_with(b"/Page") && rest.get(5) != Some(&b's') {
                n += 1;
            }
        }
    }
    n
}

/// The text of a printed PDF without spaces and line breaks (table cells may wrap).
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed to read the printed reports");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    // Table cells may wrap; compare without spaces and line breaks.
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
