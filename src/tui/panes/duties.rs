//! 六个员 — each member's duty roles and this period's ticks (read-only here).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::frame_block;
use crate::text::{pad_right, truncate};
use crate::tui::action::Action;
use crate::tui::app::{App, Pane, Tone};
use crate::tui::effect::Effect;
use crate::tui::theme::Role;

/// One member's line: name, roles, ticks done and recorded this period.
pub struct DutyLine<'a> {
    pub name: &'a str,
    pub roles: Vec<&'a str>,
    pub done: usize,
    pub total: usize,
}

/// Members with roles or ticks, in roster order.
pub fn lines(app: &App) -> Vec<DutyLine<'_>> {
    let Some(r) = app.data.roster.as_ref() else {
        return Vec::new();
    };
    r.members
        .iter()
        .map(|m| {
            let roles = app
                .data
                .assignments
                .iter()
                .filter(|(id, _)| *id == m.id)
                .map(|(_, role)| role.as_str())
                .collect();
            let ticks = app.data.ticks.iter().filter(|t| t.member_id == m.id);
            let (done, total) = ticks.fold((0, 0), |(d, t), x| (d + usize::from(x.done), t + 1));
            DutyLine {
                name: &m.name,
                roles,
                done,
                total,
            }
        })
        .filter(|l| !l.roles.is_empty() || l.total > 0)
        .collect()
}

/// A text gauge: `■■■□□ 3/5`.
fn gauge(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    format!(
        "{}{} {done}/{total}",
        "■".repeat(filled),
        "□".repeat(cells.saturating_sub(filled))
    )
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let all = lines(app);
    let (done, total) = all
        .iter()
        .fold((0, 0), |(d, t), l| (d + l.done, t + l.total));
    let extra = format!(
        "{} {} · {} {}",
        s.period,
        app.data.period,
        s.group_total,
        gauge(done, total, 0).trim()
    );
    let block = frame_block(app, Pane::Duties, &extra);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if all.is_empty() {
        frame.render_widget(
            Paragraph::new(s.no_duties).style(theme.style(Role::Muted)),
            inner,
        );
        return;
    }
    let w = usize::from(inner.width);
    let items: Vec<ListItem> = all
        .iter()
        .map(|l| {
            let behind = l.total > 0 && l.done * 2 < l.total;
            let g = gauge(l.done, l.total, 5);
            let roles = l.roles.join(" ");
            ListItem::new(Line::from(vec![
                Span::styled(
                    pad_right(l.name, 8),
                    theme.style(if behind { Role::Warning } else { Role::Base }),
                ),
                Span::styled(
                    pad_right(&g, 11),
                    theme.style(if behind { Role::Warning } else { Role::Done }),
                ),
                Span::styled(
                    truncate(&roles, w.saturating_sub(20)).into_owned(),
                    theme.style(Role::Muted),
                ),
            ]))
        })
        .collect();
    let mut state = ListState::default()
        .with_selected(Some(app.duties_selected.min(all.len().saturating_sub(1))));
    frame.render_stateful_widget(
        List::new(items).highlight_style(if app.focus == Pane::Duties {
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
