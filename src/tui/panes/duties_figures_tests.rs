//! The figures on screen are the report's: the 六个员 pane's 全组 and 四个无, the header's
//! 逾期 and 未办结诉求, rendered on TestBackend, against the month XLSX read back with
//! calamine.

use calamine::{Data, Reader, open_workbook_auto};

use crate::domain::cadence::Cadences;
use crate::report::{Format, Period, figures, month};
use crate::tui::action::Action;
use crate::tui::app::Pane;
use crate::tui::dispatch;
use crate::tui::test_support::{demo, screen};

/// The two numbers of `d/t` right after `label` on the screen.
fn ratio_after(text: &str, label: &str) -> (i64, i64) {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} not on screen:\n{text}"));
    let rest = &text[at + label.len()..];
    let start = rest.find(|c: char| c.is_ascii_digit()).unwrap();
    let tail = &rest[start..];
    let (d, t) = tail.split_once('/').unwrap();
    let t: String = t.chars().take_while(char::is_ascii_digit).collect();
    (d.parse().unwrap(), t.parse().unwrap())
}

/// The number right after `label`.
fn number_after(text: &str, label: &str) -> i64 {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} not on screen:\n{text}"));
    text[at + label.len()..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn the_screen_and_the_month_xlsx_give_the_same_figures() {
    let (dir, mut s, mut app) = demo();
    dispatch(&mut s, &mut app, Action::Focus(Pane::Duties));
    let text = screen(&app, 160, 50);
    let duty = ratio_after(&text, "全组 ");
    let targets = ratio_after(&text, "% · 四个无 ");
    let overdue = number_after(&text, "逾期");
    let open = number_after(&text, "未办结诉求");

    let cadences = Cadences::default();
    let basis = figures::Basis {
        cadences: &cadences,
        duties: &app.duty.set,
        today: app.data.today,
    };
    let period = Period::month_of(app.data.today);
    let f = figures::compute(&s, app.building.as_deref(), &period, &basis).unwrap();
    let path = dir.path().join("m.xlsx");
    std::fs::write(&path, month::render(&f, Format::Xlsx, "").unwrap()).unwrap();
    let mut book = open_workbook_auto(&path).unwrap();
    let sum = book.worksheet_range("概况").unwrap();
    let row = |label: &str| -> (i64, Option<i64>) {
        let r = sum
            .rows()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no {label} in 概况"));
        let n = |d: &Data| match d {
            Data::Float(x) => Some(*x as i64),
            Data::Int(x) => Some(*x),
            _ => None,
        };
        (n(&r[1]).expect("a number"), n(&r[2]))
    };
    let (d, t) = row("六个员完成（项）");
    assert_eq!((d, t.unwrap()), duty, "六个员 on screen and in the XLSX");
    let (m, due) = row("四个无达成（项）");
    assert_eq!(
        (m, due.unwrap()),
        targets,
        "四个无 on screen and in the XLSX"
    );
    assert_eq!(
        row("逾期未访（截至制表日）").0,
        overdue,
        "逾期 in the header"
    );
    assert_eq!(row("期末未办结诉求").0, open, "未办结诉求 in the header");
    assert!(
        duty.1 > 0 && overdue > 0 && open > 0,
        "the demo has figures to compare"
    );
}
