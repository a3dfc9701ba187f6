//! Lays out the screen: header, the four panes (side by side when wide, tabbed when
//! narrow), the status line, and any dialog on top. Reads `&App` only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};

use super::app::{App, Modal, Pane, Tone};
use super::panes;
use super::theme::Role;
use crate::text::{truncate, width};

/// Smallest screen the layout is drawn in; below it a short message is shown instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    frame.render_widget(Paragraph::new("").style(app.theme.style(Role::Base)), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = truncate(app.s().too_small, usize::from(area.width)).into_owned();
        let y = area.y + area.height / 2;
        frame.render_widget(
            Paragraph::new(msg).style(app.theme.style(Role::Warning)),
            Rect::new(area.x, y, area.width, 1.min(area.height)),
        );
        return;
    }
    let wide = area.width >= 120;
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows(app, area.width)),
    ])
    .areas(area);
    draw_header(frame, header, app);
    if wide {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(body);
        let [v, d, l] = Layout::vertical([
            Constraint::Ratio(1, 3),
            Constraint::Ratio(1, 3),
            Constraint::Ratio(1, 3),
        ])
        .areas(right);
        panes::roster::draw(frame, left, app);
        panes::visits::draw(frame, v, app);
        panes::duties::draw(frame, d, app);
        panes::log::draw(frame, l, app);
    } else {
        let [tabs, pane] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        let titles: Vec<String> = Pane::ALL
            .iter()
            .map(|p| format!("{} {}", p.index() + 1, p.title(app.s())))
            .collect();
        frame.render_widget(
            Tabs::new(titles)
                .select(app.focus.index())
                .style(app.theme.style(Role::Tab))
                .highlight_style(app.theme.style(Role::TabActive)),
            tabs,
        );
        match app.focus {
            Pane::Roster => panes::roster::draw(frame, pane, app),
            Pane::Visits => panes::visits::draw(frame, pane, app),
            Pane::Duties => panes::duties::draw(frame, pane, app),
            Pane::Log => panes::log::draw(frame, pane, app),
        }
    }
    draw_status(frame, status, app);
    if let Some(m) = &app.modal {
        draw_modal(frame, body, app, m);
    }
    if let Some(b) = &app.busy {
        b.draw(frame, body, &app.theme, app.lang);
    }
}

/// Draws a dialog; the discard question sits on top of the dialog it would close.
fn draw_modal(frame: &mut Frame, body: Rect, app: &App, modal: &Modal) {
    match modal {
        Modal::Form(f) => f.draw(frame, body, &app.theme, app.lang, app.s()),
        Modal::Confirm(c) => c.draw(frame, body, &app.theme, &keys_in(app, app.s().confirm_keys)),
        Modal::Picker(p) => p.draw(frame, body, &app.theme),
        Modal::Help { scroll } => super::dialogs::help::draw(frame, body, app, *scroll),
        Modal::Checkin(c) => c.draw(frame, body, app),
        Modal::Sync(d) => d.draw(frame, body, &app.theme, app.lang, &app.keymap),
        Modal::FieldPick(form, picker) => {
            form.draw(frame, body, &app.theme, app.lang, app.s());
            picker.draw(frame, body, &app.theme);
        }
        Modal::Discard(inner) => {
            draw_modal(frame, body, app, inner);
            let (question, keys) = app
                .s()
                .discard_typed
                .split_once('\n')
                .unwrap_or((app.s().discard_typed, ""));
            super::dialogs::confirm::ask(frame, body, &app.theme, question, &keys_in(app, keys));
        }
    }
}

/// The header line, in every layout: building, today's visit counts, date.
fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let name = app
        .data
        .roster
        .as_ref()
        .map(|r| r.building.text("name").to_string())
        .unwrap_or_default();
    let c = app.data.counts;
    let count = |label: &str, n: i64, role: Role| {
        Span::styled(
            format!(" {label} {n} "),
            theme.style(if n > 0 { role } else { Role::Muted }),
        )
    };
    let mut counts = vec![
        count(s.overdue, c.overdue, Role::Overdue),
        count(s.due_today, c.due_today, Role::Warning),
        count(s.open_needs, c.open_needs, Role::Warning),
        if c.checkin_done {
            Span::styled(format!(" ✓{} ", s.checkin_done), theme.style(Role::Done))
        } else {
            Span::styled(format!(" ○{} ", s.checkin_todo), theme.style(Role::Warning))
        },
    ];
    // The date keeps its place at the right; the building's name gives way first (cut
    // with …), then the counts from the right, so nothing is cut mid-figure.
    let date = format!(" {} ", crate::domain::date::format_date(app.data.today));
    let app_name = format!(" {} ", s.app);
    let total = usize::from(area.width);
    let fixed = width(&app_name) + width(&date);
    let mut counts_w: usize = counts.iter().map(|x| width(&x.content)).sum();
    while fixed + counts_w > total && counts.pop().is_some() {
        counts_w = counts.iter().map(|x| width(&x.content)).sum();
    }
    let name_budget = total.saturating_sub(fixed + counts_w + 2);
    let mut spans = vec![Span::styled(app_name, theme.style(Role::TabActive))];
    if name_budget >= 4 && !name.is_empty() {
        spans.push(Span::styled(
            format!(" {} ", truncate(&name, name_budget)),
            theme.style(Role::Title),
        ));
    }
    spans.extend(counts);
    let used: usize = spans.iter().map(|x| width(&x.content)).sum();
    spans.push(Span::raw(
        " ".repeat(total.saturating_sub(used + width(&date))),
    ));
    spans.push(Span::styled(date, theme.style(Role::Muted)));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style(Role::StatusBar)),
        area,
    );
}

/// Rows the status line takes: a message that names a file by its full path may need two
/// or three at 80 columns (cut, it would hide the folder); hints always take one.
fn status_rows(app: &App, cols: u16) -> u16 {
    let Some((msg, _)) = &app.status else {
        return 1;
    };
    let cols = usize::from(cols).max(1);
    width(msg).div_ceil(cols).clamp(1, 3) as u16
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let w = usize::from(area.width);
    let hints;
    let (text, role) = match &app.status {
        Some((msg, Tone::Error)) => (msg.as_str(), Role::Error),
        Some((msg, Tone::Warning)) => (msg.as_str(), Role::Warning),
        Some((msg, Tone::Info)) => (msg.as_str(), Role::Done),
        // A dialog takes the keys and names them on its own frame: the pane's hints
        // would name keys that do something else now.
        None if app.modal.is_some() => ("", Role::StatusBar),
        None => {
            hints = super::hints::status_line(app);
            (hints.as_str(), Role::StatusBar)
        }
    };
    let paragraph = if area.height > 1 {
        Paragraph::new(text.to_string()).wrap(ratatui::widgets::Wrap { trim: false })
    } else {
        Paragraph::new(truncate(text, w).into_owned())
    };
    frame.render_widget(paragraph.style(app.theme.style(role)), area);
}

/// A question's hint line with its keys filled in from the keymap ({yes}, {no}, {undo},
/// {discard}), so a rebinding shows.
fn keys_in(app: &App, template: &str) -> String {
    ["yes", "no", "undo", "discard"]
        .iter()
        .fold(template.to_string(), |t, name| {
            t.replace(&format!("{{{name}}}"), &app.keymap.hint_all(name))
        })
}
