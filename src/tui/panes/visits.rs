//! 待走访 — the leader's daily to-do list: planned visits, overdue first (then today, this
//! week, later), the latest completed ones, and the needs ledger (民情诉求) as a sub-view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use serde_json::json;

use super::frame_block;
use crate::domain::EntityKind;
use crate::domain::date::{days_between, format_date, parse_date_on};
use crate::domain::entity::word_label;
use crate::domain::need::{NeedStatus, age_bucket};
use crate::store::{NeedRow, VisitRow};
use crate::text::{cell, column_width, truncate, width};
use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Pane};
use crate::tui::dialogs::form::Form;
use crate::tui::dialogs::picker::{Item, PickFor, Picker};
use crate::tui::effect::{Effect, Target};
use crate::tui::labels::choice;
use crate::tui::theme::Role;

/// Which part of the list a visit falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Overdue,
    Today,
    ThisWeek,
    Later,
    Done,
}

/// A visit's section on `app.data.today`, and how many days late it is.
pub fn section(app: &App, v: &VisitRow) -> (Section, i64) {
    if v.status != "planned" {
        return (Section::Done, 0);
    }
    let late = parse_date_on(&v.due, app.data.today)
        .map(|d| days_between(d, app.data.today))
        .unwrap_or(0);
    let s = match late {
        1.. => Section::Overdue,
        0 => Section::Today,
        -6..=-1 => Section::ThisWeek,
        _ => Section::Later,
    };
    (s, late)
}

/// Visits shown after the filters, in section order (overdue first).
pub fn visible(app: &App) -> Vec<&VisitRow> {
    let f = &app.visits;
    let mut out: Vec<(Section, &VisitRow)> = app
        .data
        .visits
        .iter()
        .map(|v| (section(app, v).0, v))
        .filter(|(s, _)| !f.overdue_only || *s == Section::Overdue)
        .filter(|(_, v)| f.member.as_ref().is_none_or(|m| v.assigned.contains(m)))
        .filter(|(_, v)| {
            f.tag
                .as_ref()
                .is_none_or(|t| app.data.tags_of(&v.household_id).contains(t))
        })
        .collect();
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|(_, v)| v).collect()
}

/// Open needs grouped by age: under a week, under a month, older.
pub fn needs_by_age(app: &App) -> [usize; 3] {
    let mut buckets = [0; 3];
    for n in &app.data.needs {
        if NeedStatus::parse(&n.status).is_some_and(NeedStatus::is_open) {
            let age = parse_date_on(&n.raised_on, app.data.today)
                .map(|d| days_between(d, app.data.today))
                .unwrap_or(0);
            buckets[age_bucket(age)] += 1;
        }
    }
    buckets
}

fn selected_visit(app: &App) -> Option<&VisitRow> {
    visible(app).get(app.visits.selected).copied()
}

fn selected_need(app: &App) -> Option<&NeedRow> {
    app.data.needs.get(app.visits.selected)
}

/// Number of rows the cursor moves over.
pub fn len(app: &App) -> usize {
    if app.visits.needs {
        app.data.needs.len()
    } else {
        visible(app).len()
    }
}

/// Keys the visits pane handles.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let s = app.s();
    let lang = app.lang;
    let Some(building) = app.building.clone() else {
        return Vec::new();
    };
    match action {
        Action::ToggleNeeds => {
            app.visits.needs = !app.visits.needs;
            app.visits.selected = 0;
        }
        Action::OverdueOnly => {
            app.visits.overdue_only = !app.visits.overdue_only;
            app.visits.selected = 0;
        }
        Action::Back => {
            app.visits = Default::default();
        }
        Action::FilterTag => {
            let mut items = vec![Item::new("", s.all_tags, "")];
            let mut tags: Vec<&String> = app.cadences.0.keys().collect();
            if let Some(r) = &app.data.roster {
                for t in r.households.iter().flat_map(|h| h.tags.iter()) {
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
            }
            items.extend(
                tags.into_iter()
                    .map(|t| Item::new(t, word_label(t, app.lang), "")),
            );
            app.modal = Some(Modal::Picker(Picker::new(
                s.tag_filter,
                PickFor::VisitTag,
                items,
            )));
        }
        Action::AddMember => {
            let mut items = vec![Item::new("", s.all_tags, "")];
            if let Some(r) = &app.data.roster {
                items.extend(
                    r.members
                        .iter()
                        .map(|m| Item::new(&m.id, &m.name, &choice(&m.category, app.lang))),
                );
            }
            app.modal = Some(Modal::Picker(Picker::new(
                s.filter_member,
                PickFor::VisitMember,
                items,
            )));
        }
        Action::Add if !app.visits.needs => {
            let Some(r) = &app.data.roster else {
                return Vec::new();
            };
            let items = r
                .households
                .iter()
                .map(|h| {
                    let names: Vec<&str> = r
                        .residents
                        .iter()
                        .filter(|x| x.household_id == h.id)
                        .map(|x| x.name.as_str())
                        .collect();
                    Item::new(
                        &h.id,
                        &h.room,
                        &format!("{} {}", h.tags.join(" "), names.join(" ")),
                    )
                })
                .collect();
            app.modal = Some(Modal::Picker(Picker::new(
                s.pick_visit_household,
                PickFor::PlanVisit,
                items,
            )));
        }
        Action::Add => {
            let presets = vec![
                ("building_id".into(), json!(building)),
                ("status".into(), json!("open")),
                ("source".into(), json!("phone")),
                ("raised_on".into(), json!(format_date(app.data.today))),
            ];
            app.modal = Some(Modal::Form(Box::new(Form::create(
                EntityKind::Need,
                lang,
                s,
                presets,
                &app.data,
            ))));
        }
        Action::Open | Action::Edit if app.visits.needs => {
            if let Some(n) = selected_need(app) {
                return vec![Effect::LoadForEdit {
                    kind: EntityKind::Need,
                    id: n.id.clone(),
                }];
            }
        }
        Action::Advance if app.visits.needs => {
            if let Some(n) = selected_need(app) {
                let next = NeedStatus::parse(&n.status)
                    .unwrap_or(NeedStatus::Open)
                    .next();
                return vec![Effect::Save {
                    target: Target::Edit(EntityKind::Need, n.id.clone()),
                    values: vec![("status".into(), json!(next.name()))],
                }];
            }
        }
        Action::Open => {
            if let Some(v) = selected_visit(app).filter(|v| v.status == "planned") {
                let form = Form::complete_visit(app, v);
                app.modal = Some(Modal::Form(Box::new(form)));
            }
        }
        Action::Edit => {
            if let Some(v) = selected_visit(app) {
                return vec![Effect::LoadForEdit {
                    kind: EntityKind::Visit,
                    id: v.id.clone(),
                }];
            }
        }
        Action::Delete => {
            let target = if app.visits.needs {
                selected_need(app).map(|n| (EntityKind::Need, n.id.clone(), n.description.clone()))
            } else {
                selected_visit(app).map(|v| {
                    (
                        EntityKind::Visit,
                        v.id.clone(),
                        format!("{} {}", v.room, v.due),
                    )
                })
            };
            if let Some((kind, id, label)) = target {
                app.modal = Some(Modal::Confirm(crate::tui::dialogs::confirm::Confirm {
                    question: format!(
                        "{} {} {}{}",
                        s.confirm_delete,
                        lang.pick(kind.zh(), kind.en()),
                        label,
                        lang.pick("？", "?")
                    ),
                    on_yes: Effect::Delete { kind, id },
                }));
            }
        }
        _ => {}
    }
    Vec::new()
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let title_extra = if app.visits.needs {
        let [a, b, c] = needs_by_age(app);
        format!(
            "· {} {} ({}<7{} {}<30{} {}≥30{})",
            s.needs,
            a + b + c,
            a,
            s.days_overdue,
            b,
            s.days_overdue,
            c,
            s.days_overdue
        )
    } else {
        let mut parts = Vec::new();
        if app.visits.overdue_only {
            parts.push(s.overdue.to_string());
        }
        if let Some(m) = &app.visits.member {
            parts.push(app.data.member_name(m).to_string());
        }
        if let Some(t) = &app.visits.tag {
            parts.push(t.clone());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("[{}]", parts.join(" "))
        }
    };
    let block = frame_block(app, Pane::Visits, &title_extra);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.visits.needs {
        draw_needs(frame, inner, app);
    } else {
        draw_visits(frame, inner, app);
    }
}

fn draw_visits(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let rows = visible(app);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(s.no_visits).style(theme.style(Role::Muted)),
            area,
        );
        return;
    }
    let w = usize::from(area.width);
    // Cells first, so each column is as wide as its widest cell (plus a space).
    let cells: Vec<VisitCells> = rows.iter().map(|v| visit_cells(app, v)).collect();
    let room_w = column_width(cells.iter().map(|c| c.room), 5, 9);
    let when_w = column_width(cells.iter().map(|c| c.when.as_str()), 6, 16);
    let who_w = column_width(cells.iter().map(|c| c.who.as_str()), 4, 13);
    let mut items = Vec::new();
    let mut selected = None;
    let mut last = None;
    for (i, c) in cells.iter().enumerate() {
        if last != Some(c.section) {
            last = Some(c.section);
            let name = match c.section {
                Section::Overdue => s.overdue,
                Section::Today => s.due_today,
                Section::ThisWeek => s.this_week,
                Section::Later => s.later,
                Section::Done => s.recent_done,
            };
            items.push(ListItem::new(Line::styled(
                format!("— {name}"),
                theme.style(Role::Header),
            )));
        }
        if i == app.visits.selected {
            selected = Some(items.len());
        }
        let mut spans = vec![
            Span::styled(cell(c.room, room_w), theme.style(Role::Base)),
            Span::styled(cell(&c.when, when_w), theme.style(c.role)),
            Span::styled(cell(&c.who, who_w), theme.style(Role::Accent)),
        ];
        let used: usize = spans.iter().map(|x| width(&x.content)).sum();
        spans.push(Span::raw(
            truncate(&c.rest, w.saturating_sub(used)).into_owned(),
        ));
        items.push(ListItem::new(Line::from(spans)));
    }
    let mut state = ListState::default().with_selected(selected);
    let total = items.len();
    frame.render_stateful_widget(
        List::new(items).highlight_style(if app.focus == Pane::Visits {
            theme.style(Role::Selection)
        } else {
            theme.style(Role::Base)
        }),
        area,
        &mut state,
    );
    super::mark_more(frame, area, total, &state, app);
}

/// A need's status as the list shows it: 已转交·居委会 names where it went.
fn need_status_text(app: &App, n: &NeedRow) -> String {
    let status = NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Open);
    let label = status.label(app.lang);
    if status == NeedStatus::Escalated && !n.escalated_to.is_empty() {
        format!("{label}·{}", n.escalated_to)
    } else {
        label.to_string()
    }
}

/// One visit row's cells, before the columns are measured.
struct VisitCells<'a> {
    section: Section,
    room: &'a str,
    when: String,
    role: Role,
    who: String,
    rest: String,
}

fn visit_cells<'a>(app: &'a App, v: &'a VisitRow) -> VisitCells<'a> {
    let s = app.s();
    let (section, late) = section(app, v);
    let (when, role) = match (section, v.status.as_str()) {
        (Section::Overdue, _) => (
            format!("{} {late}{}", v.due.get(5..).unwrap_or(""), s.days_overdue),
            Role::Overdue,
        ),
        (Section::Today, _) => (s.due_today.to_string(), Role::Warning),
        (Section::ThisWeek | Section::Later, _) => {
            (v.due.get(5..).unwrap_or(&v.due).to_string(), Role::Base)
        }
        (_, "done") => (
            format!("{} {}", s.done, v.done_on.get(5..).unwrap_or("")),
            Role::Done,
        ),
        (_, "missed") => (s.missed.to_string(), Role::Muted),
        _ => (s.cancelled.to_string(), Role::Muted),
    };
    let who: Vec<&str> = v
        .assigned
        .iter()
        .map(|id| app.data.member_name(id))
        .collect();
    let tags = app.data.tags_of(&v.household_id).join(" ");
    VisitCells {
        section,
        room: &v.room,
        when,
        role,
        who: who.join(app.lang.pick("、", ", ")),
        rest: format!("{} {tags}", v.purpose),
    }
}

fn draw_needs(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    if app.data.needs.is_empty() {
        frame.render_widget(
            Paragraph::new(s.no_needs).style(theme.style(Role::Muted)),
            area,
        );
        return;
    }
    let w = usize::from(area.width);
    let d = &app.data;
    let statuses: Vec<String> = d.needs.iter().map(|n| need_status_text(app, n)).collect();
    let status_w = column_width(statuses.iter().map(String::as_str), 6, 18);
    let room_w = column_width(
        d.needs.iter().filter_map(|n| d.room_of(&n.household_id)),
        4,
        9,
    );
    let categories: Vec<String> = d
        .needs
        .iter()
        .map(|n| choice(&n.category, app.lang))
        .collect();
    let category_w = column_width(categories.iter().map(String::as_str), 5, 20);
    let items: Vec<ListItem> = app
        .data
        .needs
        .iter()
        .zip(&statuses)
        .map(|(n, st)| {
            let status = NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Open);
            let age = parse_date_on(&n.raised_on, app.data.today)
                .map(|d| days_between(d, app.data.today))
                .unwrap_or(0);
            let role = match (status.is_open(), age_bucket(age)) {
                (false, _) => Role::Done,
                (true, 2) => Role::Overdue,
                (true, 1) => Role::Warning,
                _ => Role::Base,
            };
            let room = app.data.room_of(&n.household_id).unwrap_or("");
            let spans = vec![
                Span::styled(
                    cell(&format!("{age}{}", s.days_overdue), 6),
                    theme.style(role),
                ),
                Span::styled(cell(st, status_w), theme.style(role)),
                Span::styled(cell(room, room_w), theme.style(Role::Base)),
                Span::styled(
                    cell(&choice(&n.category, app.lang), category_w),
                    theme.style(Role::Tag),
                ),
            ];
            let used: usize = spans.iter().map(|x| width(&x.content)).sum();
            let mut spans = spans;
            spans.push(Span::raw(
                truncate(&n.description, w.saturating_sub(used)).into_owned(),
            ));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.visits.selected));
    let total = items.len();
    frame.render_stateful_widget(
        List::new(items).highlight_style(if app.focus == Pane::Visits {
            theme.style(Role::Selection)
        } else {
            theme.style(Role::Base)
        }),
        area,
        &mut state,
    );
    super::mark_more(frame, area, total, &state, app);
}
