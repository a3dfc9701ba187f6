//! 楼组名册 — the building header, households floor by floor, the members, and one
//! household opened with its residents, members and pairings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::frame_block;
use crate::domain::group::{GroupSize, check_group_size};
use crate::domain::tags::is_known;
use crate::search::Query;
use crate::text::{cell, column_width, pad_right, truncate, width};
use crate::tui::app::{App, Pane};
use crate::tui::labels::choice;
use crate::tui::theme::Role;

/// One line of the roster list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Floor(u16),
    /// Index into `roster.households`.
    Household(usize),
    MembersHeader,
    /// Index into `roster.members`.
    Member(usize),
}

impl Row {
    /// Whether the cursor can rest on it (headers are skipped).
    pub fn selectable(self) -> bool {
        matches!(self, Row::Household(_) | Row::Member(_))
    }
}

/// The list as filtered by the search and the tag filter, with floor headers.
pub fn rows(app: &App) -> Vec<Row> {
    let Some(r) = app.data.roster.as_ref() else {
        return Vec::new();
    };
    let q = Query::new(&app.roster.query);
    let searching = !app.roster.query.trim().is_empty();
    let mut out = Vec::new();
    let mut floor = None;
    for (i, h) in r.households.iter().enumerate() {
        if let Some(tag) = &app.roster.tag
            && !h.tags.iter().any(|t| t == tag)
        {
            continue;
        }
        if searching
            && !app
                .data
                .household_keys
                .get(i)
                .is_some_and(|k| k.matches(&q))
        {
            continue;
        }
        if floor != Some(h.floor) {
            floor = Some(h.floor);
            out.push(Row::Floor(h.floor));
        }
        out.push(Row::Household(i));
    }
    if app.roster.tag.is_none() {
        let members: Vec<usize> = (0..r.members.len())
            .filter(|&i| !searching || app.data.member_keys.get(i).is_some_and(|k| k.matches(&q)))
            .collect();
        if !members.is_empty() {
            out.push(Row::MembersHeader);
            out.extend(members.into_iter().map(Row::Member));
        }
    }
    out
}

/// The selectable rows only, in order: what the cursor moves over.
pub fn selectable(app: &App) -> Vec<Row> {
    rows(app).into_iter().filter(|r| r.selectable()).collect()
}

/// The row under the cursor.
pub fn selected(app: &App) -> Option<Row> {
    selectable(app).get(app.roster.selected).copied()
}

/// One line inside an opened household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailItem {
    Resident(usize),
    Member(usize),
    Pairing(usize),
}

/// What an opened household lists: its residents, members living there, and pairings.
pub fn detail_items(app: &App, household: &str) -> Vec<DetailItem> {
    let Some(r) = app.data.roster.as_ref() else {
        return Vec::new();
    };
    let mut out: Vec<DetailItem> = r
        .residents
        .iter()
        .enumerate()
        .filter(|(_, x)| x.household_id == household)
        .map(|(i, _)| DetailItem::Resident(i))
        .collect();
    out.extend(
        r.members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.household_id == household)
            .map(|(i, _)| DetailItem::Member(i)),
    );
    out.extend(
        r.pairings
            .iter()
            .enumerate()
            .filter(|(_, p)| p.household_id == household)
            .map(|(i, _)| DetailItem::Pairing(i)),
    );
    out
}

/// Draws the roster pane.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let block = frame_block(app, Pane::Roster, "");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = app.data.roster.as_ref() else {
        frame.render_widget(
            Paragraph::new(s.no_buildings).style(theme.style(Role::Muted)),
            inner,
        );
        return;
    };
    let search_h = u16::from(
        app.roster.search_input.is_some()
            || !app.roster.query.is_empty()
            || app.roster.tag.is_some(),
    );
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(search_h),
    ])
    .areas(inner);
    let w = usize::from(inner.width);

    // Building header: name, address, 居民区, member count with the 3–10 rule.
    let size = check_group_size(r.members.len());
    let size_role = if size.is_ok() {
        Role::Done
    } else {
        Role::Warning
    };
    let b = &r.building;
    let line1 = Line::from(vec![
        Span::styled(
            truncate(b.text("name"), w / 2).into_owned(),
            theme.style(Role::Title),
        ),
        Span::raw("  "),
        Span::styled(size.note(app.lang), theme.style(size_role)),
        Span::styled(
            match size {
                GroupSize::Ok(_) => String::new(),
                _ => " ⚠".to_string(),
            },
            theme.style(Role::Warning),
        ),
    ]);
    let addr = [b.text("neighbourhood"), b.text("address")]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let line2 = Line::styled(
        truncate(
            &format!("{addr}  {} {}", r.households.len(), s.household),
            w,
        )
        .into_owned(),
        theme.style(Role::Muted),
    );
    frame.render_widget(Paragraph::new(vec![line1, line2]), head);

    match &app.roster.open {
        Some(h) => draw_detail(frame, body, app, h),
        None => draw_list(frame, body, app),
    }

    if search_h > 0 {
        let mut spans = Vec::new();
        if let Some(tag) = &app.roster.tag {
            spans.push(Span::styled(
                format!("[{}: {tag}] ", s.tag_filter),
                theme.style(Role::Tag),
            ));
        }
        match &app.roster.search_input {
            Some(input) => {
                let used: usize = spans.iter().map(|sp| width(&sp.content)).sum::<usize>() + 2;
                let (shown, col) = input.visible(w.saturating_sub(used + 1));
                spans.push(Span::styled("/ ", theme.style(Role::Key)));
                spans.push(Span::styled(shown, theme.style(Role::Input)));
                frame.set_cursor_position((foot.x + (used + col) as u16, foot.y));
                if input.value.is_empty() {
                    spans.push(Span::styled(s.search_hint, theme.style(Role::Muted)));
                }
            }
            None if !app.roster.query.is_empty() => {
                let n = selectable(app).len();
                spans.push(Span::styled(
                    format!("/{}  {n} {}", app.roster.query, s.matches),
                    theme.style(Role::Accent),
                ));
            }
            None => {}
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), foot);
    }
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let theme = &app.theme;
    let Some(r) = app.data.roster.as_ref() else {
        return;
    };
    let all = rows(app);
    if r.households.is_empty() && r.members.is_empty() {
        frame.render_widget(
            Paragraph::new(s.no_households).style(theme.style(Role::Muted)),
            area,
        );
        return;
    }
    let w = usize::from(area.width);
    let selected_row = selected(app);
    let mut selected_index = None;
    let items: Vec<ListItem> = all
        .iter()
        .enumerate()
        .map(|(i, row)| {
            if Some(*row) == selected_row {
                selected_index = Some(i);
            }
            match *row {
                Row::Floor(f) => ListItem::new(Line::styled(
                    if f == 0 {
                        "—".to_string()
                    } else {
                        format!("{f}{}", s.floor)
                    },
                    theme.style(Role::Header),
                )),
                Row::Household(i) => household_line(app, i, w),
                Row::MembersHeader => ListItem::new(Line::styled(
                    format!("{} ({})", s.members, r.members.len()),
                    theme.style(Role::Header),
                )),
                Row::Member(i) => member_line(app, i, w),
            }
        })
        .collect();
    let mut state = ListState::default().with_selected(selected_index);
    let total = items.len();
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.style(Role::Selection)),
        area,
        &mut state,
    );
    super::mark_more(frame, area, total, &state, app);
}

fn household_line(app: &App, i: usize, w: usize) -> ListItem<'static> {
    let theme = &app.theme;
    let s = app.s();
    let Some(r) = app.data.roster.as_ref() else {
        return ListItem::new("");
    };
    let h = &r.households[i];
    let residents = r
        .residents
        .iter()
        .filter(|x| x.household_id == h.id)
        .count();
    let has_member = r.members.iter().any(|m| m.household_id == h.id);
    let paired = r.pairings.iter().any(|p| p.household_id == h.id);
    let mut spans = vec![
        Span::raw("  "),
        Span::styled(cell(&h.room, 8), theme.style(Role::Base)),
        Span::styled(
            pad_right(
                &format!("{residents}{}", crate::tui::strings::strings(app.lang).p),
                5,
            ),
            theme.style(Role::Muted),
        ),
        Span::styled(
            pad_right(if has_member { s.member_mark } else { "" }, 3),
            theme.style(Role::Member),
        ),
        Span::styled(
            pad_right(if paired { "∞" } else { "" }, 2),
            theme.style(Role::Accent),
        ),
    ];
    // The next planned visit (↻ month-day), overdue ones in the overdue role.
    let next = app
        .data
        .visit_dates
        .get(&h.id)
        .map(|(_, next)| next.as_str())
        .unwrap_or("");
    let late = !next.is_empty() && next < crate::domain::date::format_date(app.data.today).as_str();
    spans.push(Span::styled(
        pad_right(
            &next.get(5..).map(|d| format!("↻{d}")).unwrap_or_default(),
            7,
        ),
        theme.style(if late { Role::Overdue } else { Role::Muted }),
    ));
    let mut used: usize = spans.iter().map(|sp| width(&sp.content)).sum();
    for t in &h.tags {
        let piece = format!("{t} ");
        if used + width(&piece) > w {
            spans.push(Span::styled("…", theme.style(Role::Muted)));
            break;
        }
        used += width(&piece);
        let role = if is_known(t) { Role::Tag } else { Role::Muted };
        spans.push(Span::styled(piece, theme.style(role)));
    }
    ListItem::new(Line::from(spans))
}

fn member_line(app: &App, i: usize, w: usize) -> ListItem<'static> {
    let theme = &app.theme;
    let s = app.s();
    let Some(r) = app.data.roster.as_ref() else {
        return ListItem::new("");
    };
    let m = &r.members[i];
    let room = app.data.room_of(&m.household_id).unwrap_or("");
    let paired: Vec<&str> = r
        .pairings
        .iter()
        .filter(|p| p.member_id == m.id)
        .filter_map(|p| app.data.room_of(&p.household_id))
        .collect();
    let roles: Vec<&str> = app
        .data
        .assignments
        .iter()
        .filter(|(mid, _)| *mid == m.id)
        .map(|(_, role)| app.duty.set.role_label(role, app.lang))
        .collect();
    // Column widths from every member's cells, so rows line up and never touch.
    let name_w = column_width(r.members.iter().map(|x| x.name.as_str()), 5, 13);
    let room_w = column_width(
        r.members
            .iter()
            .filter_map(|x| app.data.room_of(&x.household_id)),
        4,
        9,
    );
    // Categories as the interface language names them (the English ones are longer).
    let categories: Vec<String> = r
        .members
        .iter()
        .map(|x| choice(&x.category, app.lang))
        .collect();
    let category_w = column_width(categories.iter().map(String::as_str), 5, 24);
    let mut text = format!(
        "{}{}{}",
        cell(&m.name, name_w),
        cell(room, room_w),
        cell(&choice(&m.category, app.lang), category_w)
    );
    if !m.group_role.is_empty() && m.group_role != "组员" {
        text.push_str(&choice(&m.group_role, app.lang));
        text.push(' ');
    }
    text.push_str(&roles.join(" "));
    if !paired.is_empty() {
        text.push_str(&format!(
            "  {}{}",
            s.paired_with,
            paired.join(app.lang.pick("、", ", "))
        ));
    }
    ListItem::new(Line::from(vec![
        Span::styled(format!("  {} ", s.member_mark), theme.style(Role::Member)),
        Span::raw(truncate(&text, w.saturating_sub(5)).into_owned()),
    ]))
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App, household: &str) {
    let s = app.s();
    let theme = &app.theme;
    let Some(r) = app.data.roster.as_ref() else {
        return;
    };
    let Some(h) = r.households.iter().find(|h| h.id == household) else {
        return;
    };
    let w = usize::from(area.width);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} {}  ", s.room_label, h.room),
            theme.style(Role::Title),
        ),
        Span::styled(h.tags.join(" "), theme.style(Role::Tag)),
    ])];
    if !h.note.is_empty() {
        lines.push(Line::styled(
            truncate(&h.note, w).into_owned(),
            theme.style(Role::Muted),
        ));
    }
    if let Some((last, next)) = app.data.visit_dates.get(&h.id) {
        let dash = |d: &str| {
            if d.is_empty() {
                "—".to_string()
            } else {
                d.to_string()
            }
        };
        lines.push(Line::styled(
            format!(
                "{} {} · {} {}",
                s.last_visit,
                dash(last),
                s.next_visit,
                dash(next)
            ),
            theme.style(Role::Muted),
        ));
    }
    let items = detail_items(app, household);
    let here = r.residents.iter().filter(|x| x.household_id == household);
    let name_w = column_width(
        here.clone().map(|x| x.name.as_str()).chain(
            r.members
                .iter()
                .filter(|m| m.household_id == household)
                .map(|m| m.name.as_str()),
        ),
        5,
        13,
    );
    let genders: Vec<String> = here.map(|x| choice(&x.gender, app.lang)).collect();
    let gender_w = column_width(genders.iter().map(String::as_str), 3, 7);
    let mut section = "";
    let mut list_lines: Vec<ListItem> = Vec::new();
    let mut selected_index = None;
    for (n, item) in items.iter().enumerate() {
        let (title, text) = match *item {
            DetailItem::Resident(i) => {
                let x = &r.residents[i];
                let born = x.birth_year.map(|y| format!("{y}")).unwrap_or_default();
                // Phones are personal data: the list shows only that one is recorded.
                let phone = if x.phone.is_empty() { "" } else { "☎" };
                (
                    s.residents,
                    format!(
                        "{}{}{}{phone} {}",
                        cell(&x.name, name_w),
                        cell(&choice(&x.gender, app.lang), gender_w),
                        cell(&born, 6),
                        x.note
                    ),
                )
            }
            DetailItem::Member(i) => {
                let m = &r.members[i];
                (
                    s.members,
                    format!(
                        "{}{} {} {}",
                        cell(&m.name, name_w),
                        choice(&m.category, app.lang),
                        m.home_org,
                        if m.show_identity {
                            crate::tui::strings::strings(app.lang).identity_shown
                        } else {
                            ""
                        }
                    ),
                )
            }
            DetailItem::Pairing(i) => {
                let p = &r.pairings[i];
                (
                    s.pairings,
                    format!("{}  {}", app.data.member_name(&p.member_id), p.since),
                )
            }
        };
        if title != section {
            section = title;
            list_lines.push(ListItem::new(Line::styled(
                title,
                theme.style(Role::Header),
            )));
        }
        if n == app.roster.detail_selected {
            selected_index = Some(list_lines.len());
        }
        list_lines.push(ListItem::new(Line::raw(
            truncate(&format!("  {text}"), w).into_owned(),
        )));
    }
    if items.is_empty() {
        list_lines.push(ListItem::new(Line::styled(
            truncate(&crate::tui::hints::status_line(app), w).into_owned(),
            theme.style(Role::Muted),
        )));
    }
    let head_h = lines.len() as u16;
    let [head, body] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(lines), head);
    let mut state = ListState::default().with_selected(selected_index);
    let total = list_lines.len();
    frame.render_stateful_widget(
        List::new(list_lines).highlight_style(theme.style(Role::Selection)),
        body,
        &mut state,
    );
    super::mark_more(frame, body, total, &state, app);
}
