//! 活动记录 — the journal of every change, newest first (read-only here).

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

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let block = frame_block(app, Pane::Log, s.readonly_pane);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.data.journal.is_empty() {
        frame.render_widget(
            Paragraph::new(s.no_log).style(theme.style(Role::Muted)),
            inner,
        );
        return;
    }
    let w = usize::from(inner.width);
    let items: Vec<ListItem> = app
        .data
        .journal
        .iter()
        .map(|c| {
            // "2026-11-26T09:30:00+08:00" → "11-26 09:30"
            let when = format!(
                "{} {}",
                c.at.get(5..10).unwrap_or(""),
                c.at.get(11..16).unwrap_or("")
            );
            let kind = c
                .entity
                .map(|k| app.lang.pick(k.zh(), k.en()))
                .unwrap_or("");
            let what = format!("{}{} {}", s.action(&c.action), kind, c.label);
            let role = if c.action == "delete" {
                Role::Warning
            } else {
                Role::Base
            };
            ListItem::new(Line::from(vec![
                Span::styled(pad_right(&when, 12), theme.style(Role::Muted)),
                Span::styled(pad_right(&c.author, 8), theme.style(Role::Accent)),
                Span::styled(
                    truncate(&what, w.saturating_sub(20)).into_owned(),
                    theme.style(role),
                ),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(
        app.log_selected
            .min(app.data.journal.len().saturating_sub(1)),
    ));
    frame.render_stateful_widget(
        List::new(items).highlight_style(if app.focus == Pane::Log {
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
