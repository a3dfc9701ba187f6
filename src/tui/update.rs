//! `update` — the one place the interface's state changes. It returns effects for the
//! driver instead of touching the store, so every flow here is testable as plain data.

use super::dialogs::sync::{Reply as SyncReply, Request as SyncRequest, SyncDialog};

use super::action::Action;
use super::app::{App, Modal, Pane, Tone};
use super::dialogs::confirm::Confirm;
use super::dialogs::form::Form;
use super::dialogs::picker::{Item, PickFor, Picker};
use super::effect::Effect;

/// Applies one action to the state; returns what the driver must do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Loaded(data) => {
            // Cursors follow their records through the reload, not their row numbers.
            let same_building = app.building == data.building;
            let marks = super::cursor::remember(app);
            app.building = data.building.clone();
            app.data = *data;
            if same_building {
                super::cursor::restore(app, &marks);
            }
            clamp(app);
            return Vec::new();
        }
        Action::Done(msg) => {
            let pending = match &app.modal {
                Some(Modal::Form(f)) => f.pending,
                Some(Modal::Checkin(c)) => c.pending,
                _ => false,
            };
            if pending {
                app.modal = None;
            }
            app.status = Some((msg, Tone::Info));
            return Vec::new();
        }
        Action::Failed(msg) => {
            match &mut app.modal {
                Some(Modal::Form(f)) if f.pending => {
                    f.pending = false;
                    f.error = Some(msg);
                }
                Some(Modal::Checkin(c)) if c.pending => {
                    c.pending = false;
                    c.error = Some(msg);
                }
                _ => app.status = Some((msg, Tone::Error)),
            }
            return Vec::new();
        }
        Action::RosterPlanned {
            summary,
            errors,
            writes,
            plan,
            skip_bad,
        } => {
            // Errors block the import unless the leader chose to skip those rows.
            let msg = if errors > 0 && !skip_bad {
                Some(format!(
                    "{summary} — {}",
                    crate::tui::strings::strings(app.lang).errors_nothing_written_fix_the_file
                ))
            } else if !writes {
                Some(format!(
                    "{summary} — {}",
                    crate::tui::strings::strings(app.lang).nothing_to_write
                ))
            } else {
                None
            };
            match msg {
                Some(m) => app.status = Some((m, Tone::Warning)),
                None => {
                    app.modal = Some(Modal::Confirm(Confirm {
                        question: format!(
                            "{summary}\n{}",
                            crate::tui::strings::strings(app.lang).import_it
                        ),
                        on_yes: Effect::RosterApply { plan, skip_bad },
                    }));
                }
            }
            return Vec::new();
        }
        Action::ViewLoaded(part) => {
            let marks = super::cursor::remember(app);
            app.data.apply_view(*part);
            super::cursor::restore(app, &marks);
            clamp(app);
            return Vec::new();
        }
        Action::BuildingsLoaded(buildings) => {
            let items = buildings
                .iter()
                .map(|b| {
                    let detail = format!(
                        "{} {} · {}{} · {}{}",
                        b.neighbourhood,
                        b.address,
                        b.households,
                        crate::tui::strings::strings(app.lang).households,
                        b.members,
                        crate::tui::strings::strings(app.lang).dlg_members,
                    );
                    Item::new(&b.id, &b.name, &detail)
                })
                .collect();
            app.modal = Some(Modal::Picker(Picker::new(
                app.s().pick_building,
                PickFor::Building,
                items,
            )));
            return Vec::new();
        }
        Action::EditRecord(record) => {
            app.modal = Some(Modal::Form(Box::new(Form::edit(
                &record,
                app.lang,
                app.s(),
                &app.data,
            ))));
            return Vec::new();
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            return Vec::new();
        }
        Action::OfficeStats(stats) => {
            if let Some(Modal::Picker(p)) = app.modal.as_mut()
                && p.purpose == PickFor::Building
            {
                for item in &mut p.items {
                    if let Some(st) = stats.iter().find(|s| s.id == item.id) {
                        item.detail = office_detail(&item.detail, st, app.lang);
                    }
                }
            }
            return Vec::new();
        }
        Action::SyncReply(reply) => {
            sync_reply(app, *reply);
            return Vec::new();
        }
        Action::Progress(step) => {
            if let Some(b) = app.busy.as_mut() {
                b.step = Some(step);
            }
            return Vec::new();
        }
        _ => {}
    }
    // Long work on the worker: its gauge takes the keys (Esc cancels).
    if let Some(b) = app.busy.as_mut() {
        return b.update(action);
    }
    if app.modal.is_some() {
        return super::modal::update(app, action);
    }
    if app.roster.search_input.is_some() {
        super::panes::roster_update::update_search(app, action);
        return Vec::new();
    }
    if app.log.search_input.is_some() {
        return super::panes::log::update_search(app, action);
    }
    update_list(app, action)
}

/// A building's picker line in office mode: its own detail, then when it last reported and
/// what is open there.
fn office_detail(
    detail: &str,
    st: &crate::sync::office::BuildingStats,
    lang: crate::i18n::Lang,
) -> String {
    let last = match &st.last_bundle {
        Some((date, device)) => format!(
            "{} {date} {device}",
            crate::tui::strings::strings(lang).bundle
        ),
        None => crate::tui::strings::strings(lang).no_bundle_yet.to_string(),
    };
    format!(
        "{detail} · {last} · {} {} · {} {} · {} {}/{}",
        crate::tui::strings::strings(lang).dlg_overdue,
        st.overdue_visits,
        crate::tui::strings::strings(lang).dlg_open_needs,
        st.open_needs,
        crate::tui::strings::strings(lang).dlg_duties,
        st.duties_done,
        st.duties_total
    )
}

/// The driver's answer to a sync request: open the dialog it prepared, or show it there.
fn sync_reply(app: &mut App, reply: SyncReply) {
    match reply {
        SyncReply::Open(dialog) => app.modal = Some(Modal::Sync(dialog)),
        SyncReply::Finished(msg) => {
            app.modal = None;
            app.status = Some((msg, Tone::Info));
        }
        SyncReply::Conflicts(rows) if !matches!(app.modal, Some(Modal::Sync(_))) => {
            if rows.is_empty() {
                let msg = crate::tui::strings::strings(app.lang).no_open_conflicts;
                app.status = Some((msg.to_string(), Tone::Info));
            } else {
                app.modal = Some(Modal::Sync(Box::new(SyncDialog::Conflicts {
                    rows,
                    selected: 0,
                })));
            }
        }
        other => match app.modal.as_mut() {
            Some(Modal::Sync(d)) => {
                if !d.reply(other) {
                    app.modal = None;
                }
            }
            _ => {
                if let SyncReply::Failed(msg) = other {
                    app.status = Some((msg, Tone::Error));
                }
            }
        },
    }
}

fn update_list(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => app.quit = true,
        Action::Help => app.modal = Some(Modal::Help { scroll: 0 }),
        Action::NextPane => app.focus = Pane::ALL[(app.focus.index() + 1) % 4],
        Action::PrevPane => app.focus = Pane::ALL[(app.focus.index() + 3) % 4],
        Action::Focus(p) => app.focus = p,
        Action::Up => move_focused(app, -1),
        Action::Down => move_focused(app, 1),
        Action::PageUp => move_focused(app, -(app.page() as isize)),
        Action::PageDown => move_focused(app, app.page() as isize),
        Action::Top => move_focused(app, isize::MIN / 2),
        Action::Bottom => move_focused(app, isize::MAX / 2),
        Action::Undo => return vec![Effect::Undo],
        Action::Report if app.building.is_some() => {
            let form = super::dialogs::report::report_form(app);
            app.modal = Some(Modal::Form(Box::new(form)));
        }
        Action::Checkin if app.building.is_some() => {
            let c = super::dialogs::checkin::Checkin::new(app);
            app.modal = Some(Modal::Checkin(Box::new(c)));
        }
        Action::Export => return vec![Effect::Sync(SyncRequest::OpenExport)],
        Action::Import => return vec![Effect::Sync(SyncRequest::OpenImport)],
        Action::Conflicts => return vec![Effect::Sync(SyncRequest::OpenConflicts)],
        // The list with its counts is read when asked for, not on every reload.
        Action::BuildingPicker => return vec![Effect::LoadBuildings],
        other if app.focus == Pane::Roster => {
            return super::panes::roster_update::update(app, other);
        }
        other if app.focus == Pane::Visits => return super::panes::visits::update(app, other),
        other if app.focus == Pane::Duties => return super::panes::duties::update(app, other),
        other => return super::panes::log::update(app, other),
    }
    Vec::new()
}

fn move_focused(app: &mut App, delta: isize) {
    match app.focus {
        Pane::Roster => super::panes::roster_update::move_cursor(app, delta),
        Pane::Visits => {
            let n = super::panes::visits::len(app);
            app.visits.selected = step(app.visits.selected, delta, n);
        }
        Pane::Duties => {
            let n = super::panes::duties::lines(app).len();
            app.duties_selected = step(app.duties_selected, delta, n);
        }
        Pane::Log => {
            let n = super::panes::log::row_count(app);
            app.log_selected = step(app.log_selected, delta, n);
        }
    }
}

/// A cursor moved by `delta` within a list of `len` rows.
pub(crate) fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    current.saturating_add_signed(delta).min(len - 1)
}

/// Keeps every cursor inside its list after a reload (a record may have gone).
fn clamp(app: &mut App) {
    if let Some(h) = &app.roster.open
        && app.data.room_of(h).is_none()
    {
        app.roster.open = None;
    }
    super::panes::roster_update::move_cursor(app, 0);
    move_focused(app, 0);
    let focus = app.focus;
    for p in [Pane::Visits, Pane::Duties, Pane::Log] {
        app.focus = p;
        move_focused(app, 0);
    }
    app.focus = focus;
}
