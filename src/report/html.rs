//! Printable HTML: one self-contained file (no external fonts, scripts or images) laid out
//! for A4, with charts drawn as inline SVG so they print crisply from any browser.

use std::fmt::Write;

use super::xlsx::Cell;
use crate::i18n::Lang;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Styles shared by every page: A4 with 15 mm margins, CJK fonts the office's machines
/// have, tables that wrap instead of running off the page, rows never split.
const CSS: &str = "@page{size:A4;margin:15mm}
*{box-sizing:border-box}
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',SimSun,sans-serif;font-size:10.5pt;color:#111;margin:0;line-height:1.45}
h1{font-size:17pt;text-align:center;margin:0 0 4mm}
h2{font-size:12.5pt;border-left:4px solid #b71c1c;padding-left:6px;margin:6mm 0 2mm;break-after:avoid}
p.meta{text-align:center;color:#444;margin:0 0 4mm}
table{width:100%;border-collapse:collapse;table-layout:auto;margin:0 0 3mm}
th,td{border:1px solid #666;padding:2px 4px;overflow-wrap:anywhere;vertical-align:top}
th{background:#f2dcdb;font-weight:bold}
thead{display:table-header-group}
tr{break-inside:avoid}
td.n{text-align:right;white-space:nowrap}
section.block{break-inside:auto}
section.block h2{break-after:avoid;page-break-after:avoid}
section.block table tr:first-child{break-before:avoid}
p.empty{margin:3mm 0}
p.empty b{border-left:4px solid #b71c1c;padding-left:6px;margin-right:4mm}
.head{text-align:center;margin:0 0 4mm}
.head p{margin:0;color:#333}
table.kv td:first-child{width:40%;background:#faf3f3}
.chart{break-inside:avoid;margin:2mm 0 4mm}
.page{break-after:page}
.page:last-child{break-after:auto}
.sign{margin-top:10mm;display:flex;justify-content:space-between}
.small{font-size:9pt;color:#444}
@media screen{body{max-width:180mm;margin:10mm auto}}
@media print{.screen{display:none}}";

/// The opening of every printed page: the title, then who, which period and the date it
/// was made (`lines`, one paragraph each), so a filed sheet says what it is.
pub fn heading(title: &str, lines: &[String]) -> String {
    let mut s = format!("<div class=\"head\">\n<h1>{}</h1>\n", esc(title));
    for l in lines {
        let _ = writeln!(s, "<p class=\"meta\">{}</p>", esc(l));
    }
    s.push_str("</div>\n");
    s
}

/// A titled section that keeps its heading with what follows; with nothing to show, one
/// line: the title and `none` (本期无…).
pub fn section(title: &str, none: &str, content: Option<String>) -> String {
    match content {
        Some(c) => format!(
            "<section class=\"block\">\n<h2>{}</h2>\n{c}</section>\n",
            esc(title)
        ),
        None => format!(
            "<p class=\"empty\"><b>{}</b>{}</p>\n",
            esc(title),
            esc(none)
        ),
    }
}

/// A table in a section, or `None` (for [`section`]'s 本期无… line) when it has no rows.
pub fn table_or_none(class: &str, headers: &[String], rows: &[Vec<Cell>]) -> Option<String> {
    (!rows.is_empty()).then(|| table(class, headers, rows))
}

/// A whole Chinese page: `extra_css` adds to the shared styles, `script` (optional) is
/// inlined.
pub fn page(title: &str, extra_css: &str, body: &str, script: &str) -> String {
    page_in(Lang::Zh, title, extra_css, body, script)
}

/// A whole page in `lang`: the browser hyphenates, wraps and picks fonts by the page's
/// language, so an English notice says it is English (names in it still show in CJK fonts).
pub fn page_in(lang: Lang, title: &str, extra_css: &str, body: &str, script: &str) -> String {
    let mut s = String::with_capacity(body.len() + 4096);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width\">\n<title>{}</title>\n\
         <style>\n{CSS}\n{extra_css}\n</style>\n</head>\n<body>\n{body}\n",
        lang.pick("zh-CN", "en"),
        esc(title)
    );
    if !script.is_empty() {
        let _ = write!(s, "<script>\n{script}\n</script>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

/// A table with a header row; numbers right-aligned. `class` is added to the table.
pub fn table(class: &str, headers: &[String], rows: &[Vec<Cell>]) -> String {
    let mut s = String::new();
    let _ = write!(s, "<table class=\"{}\">\n<thead><tr>", esc(class));
    for h in headers {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        s.push_str("<tr>");
        for c in row {
            if c.is_number() {
                let _ = write!(s, "<td class=\"n\">{}</td>", esc(&c.text()));
            } else {
                let _ = write!(s, "<td>{}</td>", esc(&c.text()));
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A two-column table of figure names and values.
pub fn key_values(pairs: &[(&str, String)]) -> String {
    let mut s = String::from("<table class=\"kv\">\n<tbody>\n");
    for (k, v) in pairs {
        let _ = writeln!(s, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(v));
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A vertical bar chart as inline SVG: one bar per label with its value written on top.
pub fn column_chart(title: &str, bars: &[(String, f64)], unit: &str) -> String {
    let (w, h, left, bottom, top) = (640.0, 170.0, 40.0, 34.0, 26.0);
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let n = bars.len().max(1) as f64;
    let slot = (w - left - 10.0) / n;
    let plot = h - bottom - top;
    let mut s = format!(
        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" \
         width=\"100%\" role=\"img\" aria-label=\"{t}\">\n<title>{t}</title>\n\
         <text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-size=\"14\">{t}</text>\n\
         <line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n",
        w / 2.0,
        h - bottom,
        w - 10.0,
        h - bottom,
        t = esc(title)
    );
    for (i, (label, v)) in bars.iter().enumerate() {
        let bh = plot * v / max;
        let x = left + slot * i as f64 + slot * 0.2;
        let y = h - bottom - bh;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#b71c1c\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}{}</text>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n",
            slot * 0.6,
            x + slot * 0.3,
            y - 4.0,
            trim_num(*v),
            esc(unit),
            x + slot * 0.3,
            h - bottom + 18.0,
            esc(label)
        );
    }
    s.push_str("</svg></div>\n");
    s
}

/// A horizontal bar chart of shares (0..1) as inline SVG, one row per label.
pub fn share_chart(title: &str, bars: &[(String, Option<f64>)]) -> String {
    let row = 22.0;
    let (w, left, top) = (640.0, 150.0, 26.0);
    let h = top + row * bars.len().max(1) as f64 + 8.0;
    let span = w - left - 70.0;
    let mut s = format!(
        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" \
         width=\"100%\" role=\"img\" aria-label=\"{t}\">\n<title>{t}</title>\n\
         <text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-size=\"14\">{t}</text>\n",
        w / 2.0,
        t = esc(title)
    );
    for (i, (label, share)) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let len = span * share.unwrap_or(0.0).clamp(0.0, 1.0);
        let shown = share.map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>\n\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{span:.1}\" height=\"14\" fill=\"#eee\"/>\n\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"14\" fill=\"#b71c1c\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>\n",
            left - 6.0,
            y + 12.0,
            esc(label),
            y + 1.0,
            y + 1.0,
            left + span + 6.0,
            y + 12.0,
            shown
        );
    }
    s.push_str("</svg></div>\n");
    s
}

fn trim_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Click a header to sort the table by that column (numbers as numbers); printing is
/// unaffected. A few lines inlined, no external script.
pub const SORT_SCRIPT: &str = "document.querySelectorAll('table.sortable th').forEach(function(th,i){th.style.cursor='pointer';th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];var rows=Array.prototype.slice.call(tb.rows);var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;var nx=parseFloat(x),ny=parseFloat(y);var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y,'zh'):nx-ny;return asc?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_charts_are_svg() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let c = column_chart(
            "每周走访",
            &[("1–7日".into(), 3.0), ("8–14日".into(), 0.0)],
            "",
        );
        assert!(c.contains("<svg") && c.contains("1–7日") && c.contains(">3<"));
        let s = share_chart(
            "完成率",
            &[("张三".into(), Some(0.5)), ("李四".into(), None)],
        );
        assert!(s.contains("50%") && s.contains("—"));
    }
}
