//! A keyboard form for adding or editing a record. Fields come from the entity registry,
//! so every kind gets the same behaviour: Chinese typed through an IME, inline validation,
//! and nothing typed is ever lost when a field is wrong.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use serde_json::Value;

use crate::domain::value::{edit_text, parse_field};
use crate::domain::{EntityKind, FieldKind, FieldSpec};
use crate::i18n::Lang;
use crate::store::Record;
use crate::text::{LineInput, pad_right, width};
use crate::tui::data::Data;
use crate::tui::effect::Target;
use crate::tui::strings::Strings;
use crate::tui::theme::{Role, Theme};

/// What the form is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Save(Target),
    /// First run: building fields plus the owner's name.
    Setup,
    /// Record how a planned visit went.
    CompleteVisit(String),
    /// A pane's own form (a tick with its date, an attestation, a date range): the pane
    /// turns the values into effects.
    Pane(super::pane_form::PaneForm),
    /// Write a report (`r`).
    Report,
    /// Preview a roster spreadsheet import (`I` in the roster).
    RosterImport,
}

/// 结果 — how a visit ended, as the completion form offers it.
pub const OUTCOMES: &[&str] = &["已走访", "未遇/未访", "取消"];

/// The completion form's fields: under 30 seconds by keyboard, defaults filled in.
static COMPLETE: [FieldSpec; 8] = [
    FieldSpec {
        name: "outcome",
        kind: FieldKind::Choice(OUTCOMES),
        required: true,
        zh: "结果",
        en: "Outcome",
    },
    FieldSpec {
        name: "done_on",
        kind: FieldKind::Date,
        required: true,
        zh: "走访日期",
        en: "Date",
    },
    FieldSpec {
        name: "visitors",
        kind: FieldKind::RefList(EntityKind::Member),
        required: false,
        zh: "走访人",
        en: "Who went",
    },
    FieldSpec {
        name: "situation",
        kind: FieldKind::Text,
        required: false,
        zh: "情况",
        en: "Situation",
    },
    FieldSpec {
        name: "needs",
        kind: FieldKind::Text,
        required: false,
        zh: "诉求",
        en: "Needs raised",
    },
    FieldSpec {
        name: "handling",
        kind: FieldKind::Choice(crate::domain::entity::HANDLING),
        required: false,
        zh: "处理",
        en: "Handled / escalated",
    },
    FieldSpec {
        name: "follow_up",
        kind: FieldKind::Date,
        required: false,
        zh: "下次走访",
        en: "Next visit",
    },
    FieldSpec {
        name: "reason",
        kind: FieldKind::Text,
        required: false,
        zh: "未访原因",
        en: "Reason (if not visited)",
    },
];

/// One line of the form.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub spec: FieldSpec,
    pub input: LineInput,
    /// For choice and yes/no fields: the chosen option (0 = not set when optional).
    pub choice: usize,
    pub error: Option<String>,
}

impl Field {
    /// A field for a spec, starting with `text`.
    pub fn new(spec: &FieldSpec, lang: Lang, text: &str) -> Field {
        let mut input = LineInput::default();
        input.insert_str(text);
        let options = options(spec, lang);
        let choice = options.iter().position(|o| o == text).unwrap_or(0);
        let label = if spec.kind == FieldKind::Ref(EntityKind::Household) {
            crate::tui::strings::strings(lang)
                .household_room
                .to_string()
        } else {
            lang.pick(spec.zh, spec.en).to_string()
        };
        Field {
            name: spec.name,
            label,
            spec: *spec,
            input,
            choice,
            error: None,
        }
    }

    /// Whether ←/→ pick among options instead of moving a text cursor.
    pub fn is_choice(&self) -> bool {
        matches!(self.spec.kind, FieldKind::Choice(_) | FieldKind::Bool)
    }

    /// The text this field holds now.
    pub fn text(&self, lang: Lang) -> String {
        if self.is_choice() {
            options(&self.spec, lang)
                .get(self.choice)
                .cloned()
                .unwrap_or_default()
        } else {
            self.input.value.clone()
        }
    }
}

/// Options of a choice field, an empty first option when the field is optional.
fn options(spec: &FieldSpec, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !spec.required {
        out.push(String::new());
    }
    match spec.kind {
        FieldKind::Choice(list) => out.extend(list.iter().map(|s| s.to_string())),
        FieldKind::Bool => {
            out.push(crate::tui::strings::strings(lang).dlg_no.to_string());
            out.push(crate::tui::strings::strings(lang).dlg_yes.to_string());
        }
        _ => {}
    }
    out
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message for the whole form (the store refused, or fields need fixing).
    pub error: Option<String>,
    /// A gentle note that does not block saving.
    pub note: Option<String>,
    /// Values set by context, not typed (the building, the household).
    pub presets: Vec<(String, Value)>,
    /// Saving was asked for and the driver has not answered yet.
    pub pending: bool,
    /// Each field's text as the form opened (taken before the first key), to tell
    /// whether Esc would throw typed text away.
    pub opened: Option<Vec<String>>,
}

/// Fields a form never shows: they are set from where the form was opened.
fn hidden(kind: EntityKind, name: &str) -> bool {
    name == "building_id"
        || (kind == EntityKind::Resident && name == "household_id")
        || (kind == EntityKind::Visit
            && matches!(
                name,
                "household_id"
                    | "status"
                    | "done_on"
                    | "visitors"
                    | "situation"
                    | "handling"
                    | "follow_up"
                    | "reason"
            ))
        || (kind == EntityKind::Need && matches!(name, "household_id" | "source" | "closed_on"))
        || (kind == EntityKind::Pairing && matches!(name, "member_id" | "household_id"))
}

impl Form {
    /// A form to add a record of `kind`, with context values preset.
    pub fn create(
        kind: EntityKind,
        lang: Lang,
        s: &Strings,
        presets: Vec<(String, Value)>,
        data: &Data,
    ) -> Form {
        let fields = kind
            .fields()
            .iter()
            .filter(|f| !hidden(kind, f.name))
            .map(|f| {
                let preset = presets
                    .iter()
                    .find(|(n, _)| n == f.name)
                    .map(|(_, v)| shown_text(f, v, lang, data))
                    .unwrap_or_default();
                Field::new(f, lang, &preset)
            })
            .collect();
        Form {
            title: format!("{} {}", s.form_add, lang.pick(kind.zh(), kind.en())),
            purpose: Purpose::Save(Target::Create(kind)),
            fields,
            focus: 0,
            error: None,
            note: None,
            presets,
            pending: false,
            opened: None,
        }
    }

    /// A form to edit `record`, starting from what is stored. A household reference is
    /// shown as its room so the leader types rooms, never ids.
    pub fn edit(record: &Record, lang: Lang, s: &Strings, data: &Data) -> Form {
        let kind = record.kind;
        let fields = kind
            .fields()
            .iter()
            .filter(|f| !hidden(kind, f.name))
            .map(|f| Field::new(f, lang, &shown_text(f, record.get(f.name), lang, data)))
            .collect();
        Form {
            title: format!(
                "{} {} {}",
                s.form_edit,
                lang.pick(kind.zh(), kind.en()),
                record.label()
            ),
            purpose: Purpose::Save(Target::Edit(kind, record.id.clone())),
            fields,
            focus: 0,
            error: None,
            note: None,
            presets: Vec::new(),
            pending: false,
            opened: None,
        }
    }

    /// The first-run form: the building and the owner's name.
    pub fn setup(lang: Lang, s: &Strings) -> Form {
        let mut fields: Vec<Field> = EntityKind::Building
            .fields()
            .iter()
            .filter(|f| f.name != "compound")
            .map(|f| Field::new(f, lang, ""))
            .collect();
        let owner = FieldSpec {
            name: "owner",
            kind: FieldKind::Text,
            required: true,
            zh: "您的姓名",
            en: "Your name",
        };
        let mut owner_field = Field::new(&owner, lang, "");
        owner_field.label = s.owner_name.to_string();
        fields.push(owner_field);
        Form {
            title: s.setup_title.to_string(),
            purpose: Purpose::Setup,
            fields,
            focus: 0,
            error: None,
            note: Some(s.setup_intro.to_string()),
            presets: Vec::new(),
            pending: false,
            opened: None,
        }
    }

    /// The form that completes a planned visit: today, the assigned members, and the
    /// next visit a cadence after today are filled in, so Enter through it is enough.
    pub fn complete_visit(app: &crate::tui::app::App, v: &crate::store::VisitRow) -> Form {
        let lang = app.lang;
        let s = app.s();
        let today = app.data.today;
        let next = app
            .cadences
            .for_tags(app.data.tags_of(&v.household_id))
            .map(|c| crate::domain::date::format_date(c.next(today)))
            .unwrap_or_default();
        let names: Vec<&str> = v
            .assigned
            .iter()
            .map(|id| app.data.member_name(id))
            .collect();
        let defaults = [
            OUTCOMES[0].to_string(),
            crate::domain::date::format_date(today),
            names.join("、"),
            String::new(),
            String::new(),
            String::new(),
            next,
            String::new(),
        ];
        let fields = COMPLETE
            .iter()
            .zip(defaults.iter())
            .map(|(f, d)| Field::new(f, lang, d))
            .collect();
        Form {
            title: format!("{} {} {}", s.complete_visit, v.room, v.purpose),
            purpose: Purpose::CompleteVisit(v.id.clone()),
            fields,
            focus: 0,
            error: None,
            note: Some(s.needs_hint.to_string()),
            presets: Vec::new(),
            pending: false,
            opened: None,
        }
    }

    /// Every field's text now.
    pub fn texts(&self, lang: Lang) -> Vec<String> {
        self.fields.iter().map(|f| f.text(lang)).collect()
    }

    /// Whether the leader has changed anything since the form opened.
    pub fn changed(&self, lang: Lang) -> bool {
        self.opened.as_ref().is_some_and(|o| *o != self.texts(lang))
    }

    /// Marks a field as wrong from a rule checked outside the field itself.
    pub fn reject(&mut self, name: &str, message: String) {
        if let Some(i) = self.fields.iter().position(|f| f.name == name) {
            self.fields[i].error = Some(message);
            self.focus = i;
        }
    }

    /// The focused field.
    pub fn current(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// Moves focus to the next field, checking the one being left (inline validation).
    pub fn next(&mut self, lang: Lang, data: &Data) {
        self.check_field(self.focus, lang, data);
        if self.focus + 1 < self.fields.len() {
            self.focus += 1;
        }
    }

    /// Moves focus to the previous field.
    pub fn prev(&mut self, lang: Lang, data: &Data) {
        self.check_field(self.focus, lang, data);
        self.focus = self.focus.saturating_sub(1);
    }

    /// Cycles a choice field's option.
    pub fn cycle(&mut self, forward: bool, lang: Lang) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            let n = options(&f.spec, lang).len().max(1);
            f.choice = if forward {
                (f.choice + 1) % n
            } else {
                (f.choice + n - 1) % n
            };
            f.error = None;
        }
    }

    /// Parses one field, marking it with the error if it is wrong.
    fn check_field(&mut self, i: usize, lang: Lang, data: &Data) -> Option<Value> {
        let field = self.fields.get(i)?;
        let result = parse_one(field, lang, data);
        let f = self.fields.get_mut(i)?;
        match result {
            Ok(v) => {
                f.error = None;
                Some(v)
            }
            Err(e) => {
                f.error = Some(e);
                None
            }
        }
    }

    /// Parses every field. On any error each wrong field is marked, focus goes to the
    /// first, and every typed character stays where it was.
    pub fn collect(
        &mut self,
        lang: Lang,
        data: &Data,
        s: &Strings,
    ) -> Option<Vec<(String, Value)>> {
        // Presets of visible fields only seeded the text; the typed value is what counts.
        let mut values: Vec<(String, Value)> = self
            .presets
            .iter()
            .filter(|(n, _)| !self.fields.iter().any(|f| f.name == n))
            .cloned()
            .collect();
        let mut first_bad = None;
        for i in 0..self.fields.len() {
            match self.check_field(i, lang, data) {
                Some(v) => values.push((self.fields[i].name.to_string(), v)),
                None => {
                    first_bad.get_or_insert(i);
                }
            }
        }
        if let Some(i) = first_bad {
            self.focus = i;
            self.error = Some(s.form_fix.to_string());
            return None;
        }
        self.error = None;
        Some(values)
    }

    /// The keys named under the form: Esc only where the form can be left, ←→ only where
    /// a field has options to switch.
    fn keys(&self, s: &Strings) -> String {
        let mut keys = s.form_keys.to_string();
        if self.purpose != Purpose::Setup {
            keys.push_str(s.form_keys_cancel);
        }
        if self.fields.iter().any(Field::is_choice) {
            keys.push_str(s.form_keys_choose);
        }
        keys
    }

    /// Draws the form centred over `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang, s: &Strings) {
        let keys = self.keys(s);
        let label_w = self
            .fields
            .iter()
            .map(|f| width(&f.label))
            .max()
            .unwrap_or(4)
            + 2;
        let wanted = (label_w + 44)
            .max(width(&self.title) + 6)
            .max(width(&keys) + 2);
        let w = (wanted as u16).min(area.width.saturating_sub(2)).max(20);
        // The note is read whole (the 四个无 warning says which needs are open): wrapped.
        let note = self
            .note
            .as_deref()
            .map(|n| crate::text::wrap(n, usize::from(w.saturating_sub(2))))
            .unwrap_or_default();
        let extra = u16::from(self.error.is_some()) + note.len() as u16;
        let errors = self.fields.iter().filter(|f| f.error.is_some()).count() as u16;
        // One line a field (two with its error): taller forms scroll to the focused field.
        let h = (self.fields.len() as u16 + errors + 2 + extra).min(area.height);
        let rect = super::centered(area, w, h);
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::FocusBorder))
            .title(Span::styled(
                format!(" {} ", self.title),
                theme.style(Role::Title),
            ))
            .title_bottom(Span::styled(
                crate::text::truncate(&keys, usize::from(w.saturating_sub(2))).into_owned(),
                theme.style(Role::Muted),
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let value_w = (inner.width as usize).saturating_sub(label_w + 1).max(1);
        let mut lines: Vec<Line> = Vec::new();
        for n in note {
            lines.push(Line::styled(n, theme.style(Role::Muted)));
        }
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.style(Role::Error)));
        }
        let mut cursor = None;
        let mut focus_line = 0;
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let mark = if f.spec.required { "*" } else { " " };
            let label = pad_right(&format!("{mark}{}", f.label), label_w);
            let label_style = if focused {
                theme.style(Role::Accent)
            } else {
                theme.style(Role::Base)
            };
            let input_style = if f.error.is_some() {
                theme.style(Role::InputError)
            } else {
                theme.style(Role::Input)
            };
            let shown = if f.is_choice() {
                let t = crate::tui::labels::choice(&f.text(lang), lang);
                let t = if t.is_empty() { "—".to_string() } else { t };
                if focused { format!("◀ {t} ▶") } else { t }
            } else {
                let (visible, col) = f.input.visible(value_w);
                if focused {
                    cursor = Some((label_w + col, lines.len()));
                }
                visible
            };
            lines.push(Line::from(vec![
                Span::styled(label, label_style),
                Span::styled(pad_right(&shown, value_w), input_style),
            ]));
            if let Some(under) = &f.error {
                lines.push(Line::styled(
                    crate::text::truncate(
                        &format!("{}{under}", " ".repeat(label_w)),
                        inner.width.into(),
                    )
                    .into_owned(),
                    theme.style(Role::Error),
                ));
            }
        }
        // Scroll so the focused field (and its error line) is on screen.
        let rows = usize::from(inner.height).max(1);
        let offset = (focus_line + 2)
            .saturating_sub(rows)
            .min(lines.len().saturating_sub(rows));
        let more_below = lines.len() > offset + rows;
        frame.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), inner);
        if offset > 0 {
            frame.render_widget(
                Span::styled("▲", theme.style(Role::Muted)),
                Rect::new(inner.right().saturating_sub(1), inner.y, 1, 1),
            );
        }
        if more_below {
            frame.render_widget(
                Span::styled("▼", theme.style(Role::Muted)),
                Rect::new(
                    inner.right().saturating_sub(1),
                    inner.bottom().saturating_sub(1),
                    1,
                    1,
                ),
            );
        }
        if let Some((x, y)) = cursor {
            let x = inner.x + (x as u16).min(inner.width.saturating_sub(1));
            let y = (y as u16).saturating_sub(offset as u16);
            let y = inner.y + y.min(inner.height.saturating_sub(1));
            frame.set_cursor_position((x, y));
        }
    }
}

/// The text a stored value is edited as: a household reference shows as its room.
fn shown_text(f: &FieldSpec, v: &Value, lang: Lang, data: &Data) -> String {
    if let Some(text) = super::member_refs::shown(f, v, data) {
        return text;
    }
    match (f.kind, v.as_str()) {
        (FieldKind::Ref(EntityKind::Household), Some(id)) => {
            data.room_of(id).unwrap_or("").to_string()
        }
        _ => edit_text(v, lang),
    }
}

/// Parses a field's text: household references are typed as a room of this building.
fn parse_one(field: &Field, lang: Lang, data: &Data) -> Result<Value, String> {
    let text = field.text(lang);
    if let Some(parsed) = super::member_refs::parse(&field.spec, &text, lang, data) {
        return parsed;
    }
    if field.spec.kind == FieldKind::Bool {
        return Ok(match text.as_str() {
            "" => Value::Null,
            t => Value::Bool(t == crate::tui::strings::strings(lang).dlg_yes),
        });
    }
    if field.spec.kind == FieldKind::Ref(EntityKind::Household) {
        let room = text.trim();
        if room.is_empty() {
            return Ok(Value::Null);
        }
        let canonical = crate::domain::room::Room::parse(room)
            .map(|r| r.text)
            .map_err(|e| e.message(lang))?;
        return data
            .roster
            .as_ref()
            .and_then(|r| r.households.iter().find(|h| h.room == canonical))
            .map(|h| Value::String(h.id.clone()))
            .ok_or_else(|| {
                crate::tui::strings::strings(lang)
                    .no_such_room_in_this_building
                    .to_string()
            });
    }
    parse_field(&field.spec, &text).map_err(|e| e.message(lang))
}
