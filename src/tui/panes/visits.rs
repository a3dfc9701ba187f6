//! 待走访 — planned visits, overdue first, then the latest completed ones (read-only here).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::frame_block;
use crate::domain::date::{days_between, parse_date};
use crate::text::{pad_right, truncate};
use crate::tui::action::Action;
use crate::tui::app::{App, Pane, Tone};
use crate::tui::effect::Effect;
use crate::tui::theme::Role;

/// Overdue and due-today counts for the header line.
pub fn counts(app: &App) -> (usize, usize) {
    let mut overdue = 0;
    let mut today = 0;
    for v in app.data.visits.iter().filter(|v| v.status == "planned") {
        match parse_date(&v.due).map(|d| days_between(d, app.data.today)) {
            Ok(n) if n > 0 => overdue += 1,
            Ok(0) => today += 1,
            _ => {}
        }
    }
    (overdue, today)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let block = frame_block(app, Pane::Visits, s.readonly_pane);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.data.visits.is_empty() {
        frame.render_widget(
            Paragraph::new(s.no_visits).style(theme.style(Role::Muted)),
            inner,
        );
        return;
    }
    let w = usize::from(inner.width);
    let items: Vec<ListItem> = app
        .data
        .visits
        .iter()
        .map(|v| {
            let late = parse_date(&v.due)
                .map(|d| days_between(d, app.data.today))
                .unwrap_or(0);
            let (when, role) = match v.status.as_str() {
                "planned" if late > 0 => (
                    format!("{} {late}{}", s.overdue, s.days_overdue),
                    Role::Overdue,
                ),
                "planned" if late == 0 => (s.due_today.to_string(), Role::Warning),
                "planned" => (v.due.get(5..).unwrap_or(&v.due).to_string(), Role::Base),
                "done" => (
                    format!("{} {}", s.done, v.done_on.get(5..).unwrap_or("")),
                    Role::Done,
                ),
                "missed" => (s.missed.to_string(), Role::Muted),
                _ => (s.cancelled.to_string(), Role::Muted),
            };
            let who: Vec<&str> = v
                .assigned
                .iter()
                .map(|id| app.data.member_name(id))
                .collect();
            let rest = format!("{} {}", v.purpose, who.join("、"));
            ListItem::new(Line::from(vec![
                Span::styled(pad_right(&v.room, 7), theme.style(Role::Base)),
                Span::styled(pad_right(&when, 12), theme.style(role)),
                Span::raw(truncate(&rest, w.saturating_sub(19)).into_owned()),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(
        app.visits_selected
            .min(app.data.visits.len().saturating_sub(1)),
    ));
    frame.render_stateful_widget(
        List::new(items).highlight_style(if app.focus == Pane::Visits {
            theme.style(Role::Selection)
        } else {
            theme.style(Role::Base)
        }),
        inner,
        &mut state,
    );
}

/// Keys the pane handles itself while focused (movement is handled by `update`).
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if matches!(
        action,
        Action::Add | Action::Edit | Action::Delete | Action::Pair | Action::AddMember
    ) {
        app.status = Some((app.s().readonly_pane.to_string(), Tone::Warning));
    }
    Vec::new()
}
