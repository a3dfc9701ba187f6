//! 活动记录 — the journal of every change, newest first, with charts of activities and
//! visits per week; or the list of 楼组活动. Filter by kind (`t`), dates (`f`), text (`/`);
//! Enter opens an entry's field-level changes, from which a deleted record is restored.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use serde_json::Value;

use super::frame_block;
use crate::domain::date::{days_between, format_date, parse_date_on};
use crate::domain::{EntityKind, FieldKind};
use crate::store::{JournalFilter, LogKind};
use crate::text::{LineInput, cell, column_width, pad_right, truncate};
use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Pane, Tone};
use crate::tui::dialogs::confirm::Confirm;
use crate::tui::dialogs::form::Form;
use crate::tui::dialogs::pane_form;
use crate::tui::dialogs::picker::{Item, PickFor, Picker};
use crate::tui::effect::Effect;
use crate::tui::theme::Role;

/// What the log pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogMode {
    /// Every change, newest first.
    #[default]
    Journal,
    /// The 楼组活动, newest first.
    Activities,
}

/// The log pane's state.
#[derive(Debug, Clone, Default)]
pub struct LogView {
    pub mode: LogMode,
    pub filter: JournalFilter,
    /// The `/` search being typed.
    pub search_input: Option<LineInput>,
    /// The journal entry opened with Enter.
    pub open: Option<String>,
}

/// Rows the cursor moves over.
pub fn row_count(app: &App) -> usize {
    match (app.log.mode, &app.log.open) {
        (_, Some(_)) => 1,
        (LogMode::Activities, None) => app.data.activities.len(),
        (LogMode::Journal, None) => app.data.journal.len(),
    }
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline as text, one cell per week, scaled to the largest week.
pub fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else {
                BARS[((v * 7).div_ceil(max.max(1))).min(7) as usize]
            }
        })
        .collect()
}

/// "11-26 09:30" from the journal's RFC 3339 time.
fn short_time(at: &str) -> String {
    format!(
        "{} {}",
        at.get(5..10).unwrap_or(""),
        at.get(11..16).unwrap_or("")
    )
}

/// A value as a leader reads it: names for member ids, rooms for households.
fn show_value(app: &App, kind: EntityKind, field: &str, v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "—".into();
    };
    let spec = kind.field(field);
    match (spec.map(|s| s.kind), v) {
        (_, Value::Null) => "—".into(),
        (Some(FieldKind::Ref(EntityKind::Member)), Value::String(id)) => {
            app.data.member_name(id).to_string()
        }
        (Some(FieldKind::Ref(EntityKind::Household)), Value::String(id)) => {
            app.data.room_of(id).unwrap_or(id).to_string()
        }
        (Some(FieldKind::RefList(EntityKind::Member)), Value::Array(ids)) => ids
            .iter()
            .filter_map(Value::as_str)
            .map(|id| app.data.member_name(id))
            .collect::<Vec<_>>()
            .join(app.lang.pick("、", ", ")),
        // A stored choice (open, in_hand, 男…) reads as the lists show it.
        (Some(FieldKind::Choice(_)), Value::String(s)) => crate::tui::labels::choice(s, app.lang),
        (_, Value::Bool(b)) => if *b { app.s().yes } else { app.s().no }.to_string(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => crate::domain::value::edit_text(other, app.lang),
    }
}

/// Who made an entry and on which device.
/// Who made a change, on which device: "曾国华·本机"; a peer's device name alone when it
/// already says who ("副组长 单丽萍").
fn who(app: &App, c: &crate::store::ChangeRow) -> String {
    let device = device_label(app, &c.origin);
    if c.author.is_empty() || device.contains(c.author.as_str()) {
        device
    } else {
        format!("{}·{device}", c.author)
    }
}

/// Which device made a change: 本机 for this one (also under an origin it had before a
/// restore), a peer by the name its bundles gave, an id prefix only for an unknown one.
fn device_label(app: &App, origin: &str) -> String {
    let d = &app.data;
    if origin == d.device || d.former_origins.iter().any(|o| o == origin) {
        app.s().d.this_device.to_string()
    } else if let Some(name) = d.peer_names.get(origin) {
        name.clone()
    } else {
        origin.chars().take(8).collect()
    }
}

fn filter_text(app: &App) -> String {
    let s = app.s();
    let f = &app.log.filter;
    let mut parts = Vec::new();
    if let Some(k) = f.kind {
        parts.push(app.lang.pick(k.zh(), k.en()).to_string());
    }
    if f.since.is_some() || f.until.is_some() {
        parts.push(format!(
            "{}–{}",
            f.since.map(format_date).unwrap_or_default(),
            f.until.map(format_date).unwrap_or_default()
        ));
    }
    if !f.text.is_empty() {
        parts.push(format!("/{}", f.text));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("· {} {}", s.d.filter, parts.join(" "))
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let mode = match app.log.mode {
        LogMode::Journal => s.d.journal,
        LogMode::Activities => s.d.activities,
    };
    let block = frame_block(app, Pane::Log, &format!("{mode} {}", filter_text(app)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let chart_h = if inner.height >= 8 { 2 } else { 0 };
    let search_h = u16::from(app.log.search_input.is_some());
    let [chart, search, list] = Layout::vertical([
        Constraint::Length(chart_h),
        Constraint::Length(search_h),
        Constraint::Min(1),
    ])
    .areas(inner);
    if chart_h > 0 {
        let (acts, visits) = &app.data.weekly;
        let label_w = 6;
        let line = |label: &str, v: &[u64]| {
            Line::from(vec![
                Span::styled(pad_right(label, label_w), theme.style(Role::Muted)),
                Span::styled(sparkline(v), theme.style(Role::Accent)),
                Span::styled(
                    format!(" {} · {}", v.iter().sum::<u64>(), s.d.chart_weeks),
                    theme.style(Role::Muted),
                ),
            ])
        };
        frame.render_widget(
            Paragraph::new(vec![
                line(s.d.chart_activities, acts),
                line(s.d.chart_visits, visits),
            ]),
            chart,
        );
    }
    if let Some(input) = &app.log.search_input {
        let (shown, col) = input.visible(w.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/ ", theme.style(Role::Key)),
                Span::styled(shown, theme.style(Role::Input)),
            ])),
            search,
        );
        frame.set_cursor_position((search.x + 2 + col as u16, search.y));
    }
    if app.log.open.is_some() {
        draw_entry(frame, list, app);
        return;
    }
    let selection = if app.focus == Pane::Log {
        theme.style(Role::Selection)
    } else {
        theme.style(Role::Base)
    };
    let items: Vec<ListItem> = match app.log.mode {
        LogMode::Activities => {
            if app.data.activities.is_empty() {
                frame.render_widget(
                    Paragraph::new(s.d.no_activities).style(theme.style(Role::Muted)),
                    list,
                );
                return;
            }
            let kinds: Vec<String> = app
                .data
                .activities
                .iter()
                .map(|a| crate::tui::labels::choice(a.text("kind"), app.lang))
                .collect();
            let kind_w = column_width(kinds.iter().map(String::as_str), 5, 16);
            app.data
                .activities
                .iter()
                .zip(&kinds)
                .map(|(a, kind)| {
                    let present = a.get("present").as_array().map_or(0, Vec::len);
                    let residents = a.get("residents_count").as_i64().unwrap_or(0);
                    let head = format!("{} {}", a.text("date"), cell(kind, kind_w));
                    let gap = s.word_gap;
                    let tail = format!(
                        " {}{gap}{present} {}{gap}{residents}",
                        s.d.present, s.d.residents_n
                    );
                    let title_w =
                        w.saturating_sub(crate::text::width(&head) + crate::text::width(&tail));
                    ListItem::new(Line::from(vec![
                        Span::styled(head, theme.style(Role::Muted)),
                        Span::raw(pad_right(&truncate(a.text("title"), title_w), title_w)),
                        Span::styled(tail, theme.style(Role::Muted)),
                    ]))
                })
                .collect()
        }
        LogMode::Journal => {
            if app.data.journal.is_empty() {
                frame.render_widget(
                    Paragraph::new(s.no_log).style(theme.style(Role::Muted)),
                    list,
                );
                return;
            }
            let who: Vec<String> = app.data.journal.iter().map(|c| who(app, c)).collect();
            let who_w = column_width(who.iter().map(String::as_str), 6, 22);
            app.data
                .journal
                .iter()
                .zip(&who)
                .map(|(c, who)| {
                    let kind = c
                        .entity
                        .map(|k| app.lang.pick(k.zh(), k.en()))
                        .unwrap_or("");
                    let what = format!("{}{}{kind} {}", s.action(&c.action), s.word_gap, c.label);
                    let role = if c.action == "delete" {
                        Role::Warning
                    } else {
                        Role::Base
                    };
                    ListItem::new(Line::from(vec![
                        Span::styled(cell(&short_time(&c.at), 12), theme.style(Role::Muted)),
                        Span::styled(cell(who, who_w), theme.style(Role::Accent)),
                        Span::styled(
                            truncate(&what, w.saturating_sub(12 + who_w)).into_owned(),
                            theme.style(role),
                        ),
                    ]))
                })
                .collect()
        }
    };
    let n = items.len();
    let mut state =
        ListState::default().with_selected(Some(app.log_selected.min(n.saturating_sub(1))));
    frame.render_stateful_widget(
        List::new(items).highlight_style(selection),
        list,
        &mut state,
    );
    super::mark_more(frame, list, n, &state, app);
}

/// The opened entry: when, who, which device, what — then each field old → new.
fn draw_entry(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let Some(e) = &app.data.entry else {
        return;
    };
    let c = &e.change;
    let kind = c
        .entity
        .map(|k| app.lang.pick(k.zh(), k.en()))
        .unwrap_or("");
    let mut lines = vec![
        Line::styled(
            format!(
                "{} · {} · {}",
                c.at.get(..16).unwrap_or(&c.at).replace('T', " "),
                c.author,
                device_label(app, &c.origin)
            ),
            theme.style(Role::Muted),
        ),
        Line::styled(
            format!("{}{}{kind} {}", s.action(&c.action), s.word_gap, c.label),
            theme.style(Role::Header),
        ),
    ];
    let mut shown = 0;
    for fc in &e.changes {
        // A new record's tombstone flag says nothing a leader needs.
        if fc.field == "deleted" && fc.old.is_none() && fc.new == Value::Bool(false) {
            continue;
        }
        if fc.field == "building_id" {
            continue;
        }
        shown += 1;
        let label = fc
            .entity
            .field(&fc.field)
            .map(|f| app.lang.pick(f.zh, f.en))
            .unwrap_or(&fc.field);
        lines.push(Line::from(vec![
            Span::styled(format!("  {label}："), theme.style(Role::Accent)),
            Span::styled(
                show_value(app, fc.entity, &fc.field, fc.old.as_ref()),
                theme.style(Role::Muted),
            ),
            Span::raw(" → "),
            Span::raw(show_value(app, fc.entity, &fc.field, Some(&fc.new))),
        ]));
    }
    if shown == 0 {
        lines.push(Line::styled(s.d.no_changes, theme.style(Role::Muted)));
    }
    if e.deleted_now {
        // The restore keys come from the keymap (R and Ctrl+R by default; r is reports).
        let keys = app.keymap.hint("restore").unwrap_or_default();
        let restore = app.lang.pick("恢复", "restores it");
        lines.push(Line::styled(
            format!("{} · {keys} {restore}", s.d.deleted_now),
            theme.style(Role::Warning),
        ));
    }
    lines.push(Line::styled(
        crate::tui::hints::status_line(app),
        theme.style(Role::Muted),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The activity (kind, id) the cursor or the opened entry is about.
fn selected_activity(app: &App) -> Option<String> {
    if app.log.open.is_some() {
        let e = app.data.entry.as_ref()?;
        return (e.change.entity == Some(EntityKind::Activity)).then(|| e.change.entity_id.clone());
    }
    match app.log.mode {
        LogMode::Activities => app
            .data
            .activities
            .get(app.log_selected)
            .map(|a| a.id.clone()),
        LogMode::Journal => app
            .data
            .journal
            .get(app.log_selected)
            .filter(|c| c.entity == Some(EntityKind::Activity))
            .map(|c| c.entity_id.clone()),
    }
}

/// Keys the pane handles itself while focused (movement is handled by `update`).
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let s = app.s();
    match action {
        Action::Open => match app.log.mode {
            LogMode::Journal if app.log.open.is_none() => {
                if let Some(c) = app.data.journal.get(app.log_selected) {
                    app.log.open = Some(c.id.clone());
                    return vec![Effect::Reload];
                }
            }
            LogMode::Activities => {
                if let Some(id) = selected_activity(app) {
                    return vec![Effect::LoadForEdit {
                        kind: EntityKind::Activity,
                        id,
                    }];
                }
            }
            _ => {}
        },
        Action::Back => {
            if app.log.open.take().is_some() {
                return Vec::new();
            }
            if app.log.filter != JournalFilter::default() {
                app.log.filter = JournalFilter::default();
                app.log_selected = 0;
                return vec![Effect::Reload];
            }
        }
        Action::ToggleView => {
            app.log.mode = match app.log.mode {
                LogMode::Journal => LogMode::Activities,
                LogMode::Activities => LogMode::Journal,
            };
            app.log.open = None;
            app.log_selected = 0;
        }
        Action::Search => {
            let mut input = LineInput::default();
            input.insert_str(&app.log.filter.text);
            app.log.search_input = Some(input);
            app.log.mode = LogMode::Journal;
            app.log.open = None;
        }
        Action::FilterTag => {
            let mut items = vec![Item::new("", s.d.all_kinds, "")];
            items.extend(
                LogKind::ALL
                    .iter()
                    .map(|k| Item::new(k.name(), app.lang.pick(k.zh(), k.en()), k.name())),
            );
            app.modal = Some(Modal::Picker(Picker::new(
                s.d.pick_kind,
                PickFor::LogKind,
                items,
            )));
        }
        Action::FilterDates => {
            let f = &app.log.filter;
            let form = pane_form::dates(
                app.lang,
                &f.since.map(format_date).unwrap_or_default(),
                &f.until.map(format_date).unwrap_or_default(),
            );
            app.modal = Some(Modal::Form(Box::new(form)));
        }
        Action::Add => {
            let Some(b) = app.building.clone() else {
                return Vec::new();
            };
            let presets = vec![
                ("building_id".to_string(), Value::String(b)),
                (
                    "date".to_string(),
                    Value::String(format_date(app.data.today)),
                ),
            ];
            app.modal = Some(Modal::Form(Box::new(Form::create(
                EntityKind::Activity,
                app.lang,
                s,
                presets,
                &app.data,
            ))));
        }
        Action::Edit => match selected_activity(app) {
            Some(id) => {
                return vec![Effect::LoadForEdit {
                    kind: EntityKind::Activity,
                    id,
                }];
            }
            None => app.status = Some((s.d.not_an_activity.to_string(), Tone::Warning)),
        },
        Action::Delete => match selected_activity(app) {
            Some(id) => {
                let title = app
                    .data
                    .activities
                    .iter()
                    .find(|a| a.id == id)
                    .map(|a| a.text("title").to_string())
                    .unwrap_or_default();
                app.modal = Some(Modal::Confirm(Confirm {
                    question: format!(
                        "{} {} {title}{}",
                        s.confirm_delete,
                        crate::tui::strings::strings(app.lang).activity,
                        app.lang.pick("？", "?")
                    ),
                    on_yes: Effect::Delete {
                        kind: EntityKind::Activity,
                        id,
                    },
                }));
            }
            None => app.status = Some((s.d.not_an_activity.to_string(), Tone::Warning)),
        },
        Action::Restore => return restore(app),
        _ => {}
    }
    Vec::new()
}

/// Brings back the record an opened entry (or a selected deletion) is about.
fn restore(app: &mut App) -> Vec<Effect> {
    let s = app.s();
    let target = if app.log.open.is_some() {
        app.data
            .entry
            .as_ref()
            .filter(|e| e.deleted_now)
            .and_then(|e| {
                Some((
                    e.change.entity?,
                    e.change.entity_id.clone(),
                    e.change.label.clone(),
                ))
            })
    } else {
        app.data
            .journal
            .get(app.log_selected)
            .filter(|c| c.action == "delete")
            .and_then(|c| Some((c.entity?, c.entity_id.clone(), c.label.clone())))
    };
    let Some((kind, id, _label)) = target else {
        app.status = Some((s.d.not_deleted.to_string(), Tone::Warning));
        return Vec::new();
    };
    vec![Effect::Restore { kind, id }]
}

/// Keys while the `/` search line has focus: typing filters the journal as it goes.
pub fn update_search(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(input) = app.log.search_input.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Open => app.log.search_input = None,
        Action::Back => {
            app.log.search_input = None;
            app.log.filter.text.clear();
            app.log_selected = 0;
            return vec![Effect::Reload];
        }
        Action::Down | Action::NextField => {
            let n = row_count(app);
            app.log_selected = (app.log_selected + 1).min(n.saturating_sub(1));
        }
        Action::Up | Action::PrevField => app.log_selected = app.log_selected.saturating_sub(1),
        other => {
            let before = input.value.clone();
            match other {
                Action::Type(c) => input.insert_char(c),
                Action::Paste(t) => input.insert_str(&t.replace(['\n', '\r'], " ")),
                Action::Backspace => input.backspace(),
                Action::DeleteForward => input.delete(),
                Action::Left => input.left(),
                Action::Right => input.right(),
                Action::Home => input.home(),
                Action::End => input.end(),
                _ => {}
            }
            if input.value != before {
                app.log.filter.text = input.value.clone();
                app.log_selected = 0;
                return vec![Effect::Reload];
            }
        }
    }
    Vec::new()
}

/// A kind chosen in the filter picker (empty: all kinds).
pub fn picked(app: &mut App, item: Item) -> Vec<Effect> {
    app.log.filter.kind = LogKind::parse(&item.id);
    app.log.mode = LogMode::Journal;
    app.log.open = None;
    app.log_selected = 0;
    vec![Effect::Reload]
}

/// The status after saving an activity: a gentle note when the minutes come more than
/// three days after the activity (practice keeps them on the spot or within 3 days).
pub fn activity_saved_message(app: &App, values: &[(String, Value)]) -> String {
    let s = app.s();
    let late = values
        .iter()
        .find(|(n, _)| n == "date")
        .and_then(|(_, v)| v.as_str())
        .and_then(|d| parse_date_on(d, app.data.today).ok())
        .map(|d| days_between(d, app.data.today))
        .filter(|n| *n > 3);
    match late {
        Some(n) => format!(
            "{} · {}",
            s.saved,
            s.d.late_minutes.replace("{n}", &n.to_string())
        ),
        None => s.saved.to_string(),
    }
}
