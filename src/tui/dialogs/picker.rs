//! A searchable list to pick one thing from: a building, a member or household to pair,
//! a tag to filter by. Typing narrows the list (pinyin initials too).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::Outcome;
use crate::search::{Query, SearchKey};
use crate::text::{LineInput, pad_right, truncate, width};
use crate::tui::action::Action;
use crate::tui::theme::{Role, Theme};

/// What picking an item does.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    Building,
    /// Pair the chosen member with this household.
    PairMember {
        household: String,
    },
    /// Pair this member with the chosen household.
    PairHousehold {
        member: String,
    },
    /// Filter the roster by the chosen tag (empty id clears).
    Tag,
    /// Filter visits by tag / by assigned member (empty id clears).
    VisitTag,
    VisitMember,
    /// Plan a visit to the chosen household.
    PlanVisit,
    /// Give or take back the chosen 六个员 role of this member.
    DutyRole {
        member: String,
    },
    /// Filter the log by the chosen kind (empty id clears).
    LogKind,
    /// Fill the form's field `field` with the chosen member's name (added to the list
    /// when `multi`).
    FormField {
        field: usize,
        multi: bool,
    },
}

/// One choice.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub label: String,
    pub detail: String,
    pub key: SearchKey,
}

impl Item {
    pub fn new(id: &str, label: &str, detail: &str) -> Item {
        Item {
            id: id.to_string(),
            label: label.to_string(),
            detail: detail.to_string(),
            key: SearchKey::new(&format!("{label} {detail}")),
        }
    }
}

/// An open picker.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub purpose: PickFor,
    pub items: Vec<Item>,
    pub input: LineInput,
    pub selected: usize,
}

impl Picker {
    /// One key: move, filter by what is typed (pinyin initials too), or choose.
    pub fn update(&mut self, action: Action) -> Outcome {
        match action {
            Action::Back => return Outcome::Close(Vec::new()),
            Action::Up | Action::PrevField => self.step(-1),
            Action::Down | Action::NextField => self.step(1),
            Action::PageUp => self.step(-10),
            Action::PageDown => self.step(10),
            // Home/End move the list, not the filter's cursor: the filter is a word or two,
            // the list can be a street's buildings.
            Action::Top | Action::Home => self.step(isize::MIN / 2),
            Action::Bottom | Action::End => self.step(isize::MAX / 2),
            Action::Open | Action::Save => {
                return match self.chosen().cloned() {
                    Some(item) => Outcome::Picked(self.purpose.clone(), item),
                    None => Outcome::stay(),
                };
            }
            other => {
                if super::edit_input(&mut self.input, other) {
                    self.refilter();
                }
            }
        }
        Outcome::stay()
    }

    pub fn new(title: &str, purpose: PickFor, items: Vec<Item>) -> Picker {
        Picker {
            title: title.to_string(),
            purpose,
            items,
            input: LineInput::default(),
            selected: 0,
        }
    }

    /// Indices of the items matching what is typed.
    pub fn visible(&self) -> Vec<usize> {
        let q = Query::new(&self.input.value);
        (0..self.items.len())
            .filter(|&i| self.items[i].key.matches(&q))
            .collect()
    }

    /// The item under the cursor.
    pub fn chosen(&self) -> Option<&Item> {
        self.visible()
            .get(self.selected)
            .and_then(|&i| self.items.get(i))
    }

    /// Moves the cursor, staying inside the visible list.
    pub fn step(&mut self, delta: isize) {
        let n = self.visible().len();
        if n == 0 {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(n - 1);
    }

    /// Keeps the cursor valid after the query changed.
    pub fn refilter(&mut self) {
        self.selected = 0;
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let rect = super::centered(area, 64, 20);
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::FocusBorder))
            .title(Span::styled(
                format!(" {} ", self.title),
                theme.style(Role::Title),
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [input_area, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        let (shown, col) = self
            .input
            .visible(usize::from(inner.width.saturating_sub(3)));
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/ ", theme.style(Role::Key)),
                Span::styled(shown, theme.style(Role::Input)),
            ])),
            input_area,
        );
        frame.set_cursor_position((input_area.x + 2 + col as u16, input_area.y));
        let w = usize::from(list_area.width);
        let items: Vec<ListItem> = self
            .visible()
            .into_iter()
            .map(|i| {
                let it = &self.items[i];
                let label = truncate(&it.label, w / 2).into_owned();
                let lw = width(&label) + 2;
                ListItem::new(Line::from(vec![
                    Span::raw(pad_right(&label, lw)),
                    Span::styled(
                        truncate(&it.detail, w.saturating_sub(lw)).into_owned(),
                        theme.style(Role::Muted),
                    ),
                ]))
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme.style(Role::Selection)),
            list_area,
            &mut state,
        );
    }
}
