//! 六个员 — the month's 四个无 targets, then each member's duty progress; Enter opens a
//! member's checklist to tick items. Everything comes from the role set (data) and the
//! snapshot; ticks are commits through the one write path.

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::frame_block;
use crate::domain::duty::{self, MemberProgress, Month, RoleSet};
use crate::text::{cell, column_width, pad_right, truncate, width};
use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Pane};
use crate::tui::dialogs::pane_form::{self, PaneForm};
use crate::tui::dialogs::picker::{Item, PickFor, Picker};
use crate::tui::effect::Effect;
use crate::tui::theme::Role;

/// What the pane is looking at.
#[derive(Debug, Clone)]
pub struct DutyView {
    pub month: Month,
    /// The member whose checklist is open.
    pub open: Option<String>,
    /// The board row to go back to when the checklist closes.
    pub board_selected: usize,
    /// The roles, items and targets in force (from `duties.toml`).
    pub set: RoleSet,
}

impl DutyView {
    /// This month, the default set (the driver puts the configured set in).
    pub fn new(today: Date) -> DutyView {
        DutyView {
            month: Month::of(today),
            open: None,
            board_selected: 0,
            set: RoleSet::default_set(),
        }
    }
}

/// A selectable row of the pane.
#[derive(Debug, Clone, PartialEq)]
pub enum DutyRow {
    /// A 四个无 target (index in the set).
    Target(usize),
    /// A member on the board (index in [`board`]).
    Member(usize),
    /// An item of the open checklist (index in its lines).
    Item(usize),
}

/// Every member's progress for the viewed month, in roster order.
pub fn board(app: &App) -> Vec<MemberProgress> {
    let Some(r) = app.data.roster.as_ref() else {
        return Vec::new();
    };
    let members: Vec<(String, String)> = r
        .members
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    let ticks: Vec<(String, duty::Tick)> = app
        .data
        .duty_ticks
        .iter()
        .map(|t| (t.member_id.clone(), t.tick.clone()))
        .collect();
    duty::board(
        &app.duty.set,
        app.duty.month,
        app.data.today,
        &members,
        &app.data.assignments,
        &ticks,
    )
}

/// The selectable rows: targets then members, or the open member's items.
pub fn lines(app: &App) -> Vec<DutyRow> {
    let b = board(app);
    if let Some(open) = &app.duty.open {
        return b
            .iter()
            .find(|m| &m.member_id == open)
            .map(|m| (0..m.lines.len()).map(DutyRow::Item).collect())
            .unwrap_or_default();
    }
    (0..app.duty.set.targets.len())
        .map(DutyRow::Target)
        .chain((0..b.len()).map(DutyRow::Member))
        .collect()
}

/// A text gauge: `■■■□□`.
fn gauge(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    format!(
        "{}{}",
        "■".repeat(filled),
        "□".repeat(cells.saturating_sub(filled))
    )
}

/// Open needs threatening a target: "治安消防 1 条未办结".
fn risk_text(app: &App, target: usize) -> Option<String> {
    let t = app.duty.set.targets.get(target)?;
    let parts: Vec<String> = app
        .data
        .open_needs
        .iter()
        .filter(|(c, n)| *n > 0 && t.needs.contains(c))
        .map(|(c, n)| {
            let c = crate::tui::labels::choice(c, app.lang);
            format!("{c} {n} {}", app.s().d.open_need)
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(app.lang.pick("，", ", ")))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let b = board(app);
    let (done, total) = duty::board_totals(&b);
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    let attested: Vec<(String, String, bool)> = app
        .data
        .attestations
        .iter()
        .map(|a| (app.duty.month.to_string(), a.target.clone(), a.met))
        .collect();
    let (met, due) = duty::targets_met(&app.duty.set, &[app.duty.month], &attested);
    let extra = format!(
        "{} · {} {} {done}/{total} {pct}% · {} {met}/{due}",
        app.duty.month,
        s.group_total,
        gauge(done, total, 10),
        s.d.targets
    );
    let block = frame_block(app, Pane::Duties, &extra);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let rows = lines(app);
    let mut items: Vec<ListItem> = Vec::new();
    let mut selectable_at: Vec<usize> = Vec::new();
    if let Some(open) = &app.duty.open {
        let Some(m) = b.iter().find(|m| &m.member_id == open) else {
            return;
        };
        let roles: Vec<&str> = m
            .roles
            .iter()
            .map(|r| app.duty.set.role_label(r, app.lang))
            .collect();
        let head = format!(
            "{} · {} · {}/{}",
            m.name,
            roles.join(app.lang.pick("、", ", ")),
            m.done,
            m.total
        );
        items.push(ListItem::new(Line::styled(
            truncate(&head, w).into_owned(),
            theme.style(if m.behind {
                Role::Warning
            } else {
                Role::Header
            }),
        )));
        for l in &m.lines {
            selectable_at.push(items.len());
            let mark = if l.done { "[x]" } else { "[ ]" };
            let role = app.duty.set.role_label(&l.role, app.lang);
            let retired = if l.retired { s.d.retired } else { "" };
            let when = l.on_date.get(5..).unwrap_or("");
            let item = app.duty.set.item_label(&l.role, &l.item, app.lang);
            let text = format!("{mark} {role} · {item}{retired}");
            let tail = format!(" {when} {}", l.note);
            let text_w = w.saturating_sub(width(&tail).min(w / 2));
            items.push(ListItem::new(Line::from(vec![
                Span::styled(
                    pad_right(&truncate(&text, text_w), text_w),
                    theme.style(if l.done { Role::Done } else { Role::Base }),
                ),
                Span::styled(
                    truncate(&tail, w.saturating_sub(text_w)).into_owned(),
                    theme.style(Role::Muted),
                ),
            ])));
        }
    } else {
        let set = &app.duty.set;
        if !set.targets.is_empty() {
            items.push(ListItem::new(Line::styled(
                format!("{} {}", s.d.targets, app.duty.month),
                theme.style(Role::Header),
            )));
        }
        let name_w = set
            .targets
            .iter()
            .map(|t| {
                width(
                    app.lang
                        .pick(&t.name, if t.en.is_empty() { &t.name } else { &t.en }),
                )
            })
            .max()
            .unwrap_or(8)
            + 1;
        for (i, t) in set.targets.iter().enumerate() {
            selectable_at.push(items.len());
            let a = app.data.attestations.iter().find(|a| a.target == t.name);
            let (mark, role) = match a {
                Some(a) if a.met => (s.d.met, Role::Done),
                Some(_) => (s.d.not_met, Role::Overdue),
                None => (s.d.not_attested, Role::Muted),
            };
            let label = app
                .lang
                .pick(&t.name, if t.en.is_empty() { &t.name } else { &t.en });
            let mut spans = vec![
                Span::raw(cell(&format!(" {label}"), name_w + 1)),
                Span::styled(cell(mark, 10), theme.style(role)),
            ];
            let used = name_w + 11;
            if let Some(risk) = risk_text(app, i) {
                spans.push(Span::styled(
                    truncate(&format!("⚠ {risk}"), w.saturating_sub(used)).into_owned(),
                    theme.style(Role::Warning),
                ));
            } else if let Some(a) = a.filter(|a| !a.note.is_empty()) {
                spans.push(Span::styled(
                    truncate(&a.note, w.saturating_sub(used)).into_owned(),
                    theme.style(Role::Muted),
                ));
            }
            items.push(ListItem::new(Line::from(spans)));
        }
        items.push(ListItem::new(Line::styled(
            s.d.members_title,
            theme.style(Role::Header),
        )));
        if b.is_empty() {
            items.push(ListItem::new(Line::styled(
                s.no_duties,
                theme.style(Role::Muted),
            )));
        }
        let cells = if w >= 60 { 10 } else { 5 };
        // One space of margin, then the widest name and a space (复姓 names are 4 wide).
        let member_w = 1 + column_width(b.iter().map(|m| m.name.as_str()), 7, 13);
        for m in &b {
            selectable_at.push(items.len());
            let role_style = theme.style(if m.behind { Role::Warning } else { Role::Base });
            let roles: Vec<&str> = m
                .roles
                .iter()
                .map(|r| app.duty.set.role_label(r, app.lang))
                .collect();
            let roles = if roles.is_empty() {
                s.d.no_roles.to_string()
            } else {
                roles.join(" ")
            };
            let behind = if m.behind {
                format!(" {}", s.d.behind)
            } else {
                String::new()
            };
            let fig = format!(
                "{} {}/{}{behind}",
                gauge(m.done, m.total, cells),
                m.done,
                m.total
            );
            let fig_w = cells + 12;
            items.push(ListItem::new(Line::from(vec![
                Span::styled(cell(&format!(" {}", m.name), member_w), role_style),
                Span::styled(
                    cell(&fig, fig_w),
                    theme.style(if m.behind {
                        Role::Warning
                    } else if m.total > 0 && m.done == m.total {
                        Role::Done
                    } else {
                        Role::Accent
                    }),
                ),
                Span::styled(
                    truncate(&roles, w.saturating_sub(member_w + fig_w)).into_owned(),
                    theme.style(Role::Muted),
                ),
            ])));
        }
    }
    let selected = app.duties_selected.min(rows.len().saturating_sub(1));
    let mut state = ListState::default().with_selected(selectable_at.get(selected).copied());
    let total = items.len();
    frame.render_stateful_widget(
        List::new(items).highlight_style(if app.focus == Pane::Duties {
            theme.style(Role::Selection)
        } else {
            theme.style(Role::Base)
        }),
        inner,
        &mut state,
    );
    super::mark_more(frame, inner, total, &state, app);
}

/// Keys the pane handles itself while focused (movement is handled by `update`).
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let rows = lines(app);
    let row = rows.get(app.duties_selected).cloned();
    match action {
        Action::PrevPeriod | Action::NextPeriod => {
            let step = if matches!(action, Action::PrevPeriod) {
                -1
            } else {
                1
            };
            app.duty.month = app.duty.month.shift(step);
            return vec![Effect::Reload];
        }
        Action::Back if app.duty.open.is_some() => {
            app.duty.open = None;
            app.duties_selected = app.duty.board_selected;
        }
        Action::Open => match row {
            Some(DutyRow::Member(i)) => {
                if let Some(m) = board(app).get(i) {
                    app.duty.open = Some(m.member_id.clone());
                    app.duty.board_selected = app.duties_selected;
                    app.duties_selected = 0;
                }
            }
            Some(DutyRow::Target(i)) => attest(app, i),
            Some(DutyRow::Item(i)) => return toggle(app, i),
            None => {}
        },
        Action::Edit => match row {
            Some(DutyRow::Item(i)) => tick_form(app, i),
            Some(DutyRow::Target(i)) => attest(app, i),
            _ => {}
        },
        Action::Add | Action::AddMember => {
            let member = match row {
                Some(DutyRow::Member(i)) => board(app).get(i).map(|m| m.member_id.clone()),
                Some(DutyRow::Item(_)) => app.duty.open.clone(),
                _ => None,
            };
            if let Some(m) = member {
                roles_picker(app, m);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The open member and one line of their checklist.
fn open_line(app: &App, i: usize) -> Option<(MemberProgress, duty::ChecklistLine)> {
    let open = app.duty.open.as_ref()?;
    let m = board(app).into_iter().find(|m| &m.member_id == open)?;
    let l = m.lines.get(i)?.clone();
    Some((m, l))
}

/// Enter on an item: tick it today (or on the period's last day, for a past month), or
/// untick it. Either way one commit through the write path, on the tick's stable id.
fn toggle(app: &mut App, i: usize) -> Vec<Effect> {
    let Some((m, l)) = open_line(app, i) else {
        return Vec::new();
    };
    let _s = app.s();
    let building = app.building.clone().unwrap_or_default();
    let day = app.data.today.min(app.duty.month.last_day());
    vec![Effect::Tick {
        item: crate::usecase::duty::Item {
            building,
            member: m.member_id.clone(),
            role: l.role.clone(),
            item: l.item.clone(),
            period: l.period.clone(),
        },
        on: (!l.done).then_some(day),
        note: l.note.clone(),
    }]
}

fn tick_form(app: &mut App, i: usize) {
    let Some((m, l)) = open_line(app, i) else {
        return;
    };
    let shown = app
        .duty
        .set
        .item_label(&l.role, &l.item, app.lang)
        .to_string();
    let form = pane_form::tick(
        app.lang,
        &shown,
        PaneForm::Tick {
            member: m.member_id.clone(),
            member_name: m.name.clone(),
            role: l.role.clone(),
            item: l.item.clone(),
            period: l.period.clone(),
        },
        &l.on_date,
        &l.note,
        app.data.today,
    );
    app.modal = Some(Modal::Form(Box::new(form)));
}

fn attest(app: &mut App, i: usize) {
    let Some(t) = app.duty.set.targets.get(i).cloned() else {
        return;
    };
    let month = app.duty.month.to_string();
    let a = app.data.attestations.iter().find(|a| a.target == t.name);
    let warning = risk_text(app, i).map(|r| format!("{} {r}", app.s().d.attest_warning));
    let shown = app.duty.set.target_label(&t.name, app.lang).to_string();
    let form = pane_form::attest(
        app.lang,
        &shown,
        PaneForm::Attest {
            target: t.name.clone(),
            month,
        },
        a.map(|a| a.met),
        a.map_or("", |a| a.note.as_str()),
        warning,
    );
    app.modal = Some(Modal::Form(Box::new(form)));
}

fn roles_picker(app: &mut App, member: String) {
    let s = app.s();
    let items = app
        .duty
        .set
        .roles
        .iter()
        .map(|r| {
            let held = app
                .data
                .assignments
                .iter()
                .any(|(m, role)| *m == member && *role == r.name);
            let detail = if held {
                s.d.role_held.to_string()
            } else {
                let names: Vec<&str> = r
                    .items
                    .iter()
                    .map(|i| app.duty.set.item_label(&r.name, i, app.lang))
                    .collect();
                names.join(app.lang.pick("；", "; "))
            };
            Item::new(&r.name, app.duty.set.role_label(&r.name, app.lang), &detail)
        })
        .collect();
    app.modal = Some(Modal::Picker(Picker::new(
        s.d.assign_roles,
        PickFor::DutyRole { member },
        items,
    )));
}

/// A role chosen in the picker: take it, or give it back if held. The assignment's id is
/// stable per member and role, so giving a role back and taking it again revives the
/// same record (and two devices assigning it converge).
pub fn picked(app: &mut App, purpose: PickFor, item: Item) -> Vec<Effect> {
    let PickFor::DutyRole { member } = purpose else {
        return Vec::new();
    };
    if app.building.is_none() {
        return Vec::new();
    }
    let role = item.id;
    let held = app
        .data
        .assignments
        .iter()
        .any(|(m, r)| *m == member && *r == role);
    vec![Effect::ToggleRole { member, role, held }]
}

#[cfg(test)]
#[path = "duties_figures_tests.rs"]
mod figures_tests;
