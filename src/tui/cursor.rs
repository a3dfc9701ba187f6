//! Cursors that follow records, not rows. A reload re-sorts lists (a need advanced moves
//! down the needs list, a new household lands on its floor), so each list's cursor is
//! remembered as the id under it and found again afterwards; a record just created is
//! selected.

use super::app::{App, Pane};
use super::panes::log::LogMode;
use super::panes::roster::{self, DetailItem, Row};
use super::panes::visits;

/// The record under each list's cursor before a reload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    roster: Option<String>,
    detail: Option<String>,
    visit: Option<String>,
    log: Option<String>,
}

/// Ids of the roster rows the cursor moves over, in order.
fn roster_ids(app: &App) -> Vec<String> {
    let Some(r) = app.data.roster.as_ref() else {
        return Vec::new();
    };
    roster::selectable(app)
        .into_iter()
        .filter_map(|row| match row {
            Row::Household(i) => r.households.get(i).map(|h| h.id.clone()),
            Row::Member(i) => r.members.get(i).map(|m| m.id.clone()),
            _ => None,
        })
        .collect()
}

/// Ids of the lines inside the opened household.
fn detail_ids(app: &App) -> Vec<String> {
    let (Some(r), Some(h)) = (app.data.roster.as_ref(), app.roster.open.as_ref()) else {
        return Vec::new();
    };
    roster::detail_items(app, h)
        .into_iter()
        .filter_map(|d| match d {
            DetailItem::Resident(i) => r.residents.get(i).map(|x| x.id.clone()),
            DetailItem::Member(i) => r.members.get(i).map(|x| x.id.clone()),
            DetailItem::Pairing(i) => r.pairings.get(i).map(|x| x.id.clone()),
        })
        .collect()
}

/// Ids of the visits pane's rows: needs when the needs list is shown, else visits.
fn visit_ids(app: &App) -> Vec<String> {
    if app.visits.needs {
        app.data.needs.iter().map(|n| n.id.clone()).collect()
    } else {
        visits::visible(app).iter().map(|v| v.id.clone()).collect()
    }
}

/// Ids of the log pane's rows.
fn log_ids(app: &App) -> Vec<String> {
    match (app.log.mode, &app.log.open) {
        (_, Some(_)) => Vec::new(),
        (LogMode::Activities, None) => app.data.activities.iter().map(|a| a.id.clone()).collect(),
        (LogMode::Journal, None) => app.data.journal.iter().map(|c| c.id.clone()).collect(),
    }
}

/// Remembers the record under every cursor.
pub fn remember(app: &App) -> Marks {
    Marks {
        roster: roster_ids(app).get(app.roster.selected).cloned(),
        detail: detail_ids(app).get(app.roster.detail_selected).cloned(),
        visit: visit_ids(app).get(app.visits.selected).cloned(),
        log: log_ids(app).get(app.log_selected).cloned(),
    }
}

/// Puts every cursor back on the record it was on; where that record is gone, the cursor
/// stays at its place, inside the list.
pub fn restore(app: &mut App, marks: &Marks) {
    if let Some(h) = &app.roster.open
        && app.data.room_of(h).is_none()
    {
        app.roster.open = None;
    }
    let find = |ids: Vec<String>, id: &Option<String>, at: usize| -> usize {
        let found = id.as_ref().and_then(|id| ids.iter().position(|x| x == id));
        found.unwrap_or_else(|| at.min(ids.len().saturating_sub(1)))
    };
    app.roster.selected = find(roster_ids(app), &marks.roster, app.roster.selected);
    app.roster.detail_selected = find(detail_ids(app), &marks.detail, app.roster.detail_selected);
    app.visits.selected = find(visit_ids(app), &marks.visit, app.visits.selected);
    app.log_selected = find(log_ids(app), &marks.log, app.log_selected);
    let duty_rows = super::panes::duties::lines(app).len();
    app.duties_selected = app.duties_selected.min(duty_rows.saturating_sub(1));
}

/// Selects a record just written, in whichever list of the focused pane shows it. In the
/// roster a search or tag filter that hides it is cleared, so the leader sees what they
/// added (and Enter then opens that record, not the one that was under the cursor).
pub fn select(app: &mut App, id: &str) {
    match app.focus {
        Pane::Roster => {
            if let Some(i) = detail_ids(app).iter().position(|x| x == id) {
                app.roster.detail_selected = i;
                return;
            }
            if app.roster.open.is_some() {
                return;
            }
            if !roster_ids(app).iter().any(|x| x == id) {
                app.roster.query.clear();
                app.roster.tag = None;
            }
            if let Some(i) = roster_ids(app).iter().position(|x| x == id) {
                app.roster.selected = i;
            }
        }
        Pane::Visits => {
            if let Some(i) = visit_ids(app).iter().position(|x| x == id) {
                app.visits.selected = i;
            }
        }
        Pane::Log => {
            if let Some(i) = log_ids(app).iter().position(|x| x == id) {
                app.log_selected = i;
            }
        }
        Pane::Duties => {}
    }
}
