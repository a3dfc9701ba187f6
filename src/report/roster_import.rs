//! 名册导入 — the office's roster spreadsheet into the building: columns found by their
//! Chinese or English header in any order, every row checked before anything is written,
//! residents matched by room and name so a re-import updates instead of duplicating, and
//! the whole file written in one transaction through the one write path.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::ReportError;
use super::table::{Table, read_table};
use crate::domain::value::{parse_bool, parse_field};
use crate::domain::{EntityKind, FieldSpec};
use crate::progress::{Progress, Stage};
use crate::store::{Action, Change, Edit, Record, Store};

/// A roster column, as the office's sheets and `louzu roster export` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Room,
    Name,
    Gender,
    BirthYear,
    Phone,
    Tags,
    IsMember,
    Category,
    HomeOrg,
    ReportDate,
    /// 备注 — goes to the resident's note (the member's, for a member with no room).
    Note,
}

impl Column {
    /// Every column, in the order export writes them.
    pub const ALL: [Column; 11] = [
        Column::Room,
        Column::Name,
        Column::Gender,
        Column::BirthYear,
        Column::Phone,
        Column::Tags,
        Column::IsMember,
        Column::Category,
        Column::HomeOrg,
        Column::ReportDate,
        Column::Note,
    ];

    /// The header export writes, and the name errors use.
    pub fn zh(self) -> &'static str {
        self.names()[0]
    }

    /// Header spellings accepted, compared after [`normalize_header`].
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Room => &[
                "室号",
                "房号",
                "门牌号",
                "室",
                "户号",
                "room",
                "roomno",
                "flat",
            ],
            Column::Name => &["姓名", "名字", "居民姓名", "name", "fullname"],
            Column::Gender => &["性别", "gender", "sex"],
            Column::BirthYear => &[
                "出生年份",
                "出生年",
                "出生年月",
                "出生日期",
                "birthyear",
                "born",
                "yearofbirth",
            ],
            Column::Phone => &[
                "电话",
                "联系电话",
                "手机",
                "手机号",
                "手机号码",
                "phone",
                "tel",
                "mobile",
                "telephone",
            ],
            Column::Tags => &["标签", "户标签", "类别标签", "tags", "tag"],
            Column::IsMember => &[
                "是否党员",
                "党员",
                "政治面貌",
                "ismember",
                "member",
                "partymember",
            ],
            Column::Category => &["党员类别", "类别", "membercategory", "category"],
            Column::HomeOrg => &[
                "组织关系所在单位",
                "组织关系",
                "所在单位",
                "工作单位",
                "homeorg",
                "homeorganisation",
                "homeorganization",
                "organisation",
                "organization",
            ],
            Column::ReportDate => &[
                "报到日期",
                "报到时间",
                "reportdate",
                "reportedon",
                "reported",
            ],
            Column::Note => &[
                "备注",
                "说明",
                "情况说明",
                "note",
                "notes",
                "remark",
                "remarks",
            ],
        }
    }
}

/// A header cell reduced to what matters: no spaces, marks or notes in brackets, lower case.
pub fn normalize_header(s: &str) -> String {
    let s = s.trim().trim_start_matches('\u{feff}');
    let cut = s
        .find(['(', '（', '['])
        .filter(|&i| i > 0)
        .map_or(s, |i| &s[..i]);
    cut.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '-' | ':' | '：' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each column is in the sheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    /// Index into the table's rows of the header row.
    pub row: usize,
    pub cols: HashMap<Column, usize>,
    /// Header cells louzu does not read (or a second column of one it does), as written:
    /// the preview names them so nothing is dropped silently.
    pub ignored: Vec<String>,
}

/// Finds the header among the first ten rows (a title row above it is common): the first
/// row naming both 室号 and 姓名. Unknown columns are ignored.
pub fn find_header(table: &Table) -> Option<Header> {
    table
        .rows
        .iter()
        .take(10)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let mut cols = HashMap::new();
            let mut ignored = Vec::new();
            for (j, cell) in cells.iter().enumerate() {
                let h = normalize_header(cell);
                if h.is_empty() {
                    continue;
                }
                match Column::ALL.iter().find(|c| c.names().contains(&h.as_str())) {
                    Some(c) if !cols.contains_key(c) => {
                        cols.insert(*c, j);
                    }
                    _ => ignored.push(cell.trim().to_string()),
                }
            }
            (cols.contains_key(&Column::Room) && cols.contains_key(&Column::Name)).then_some(
                Header {
                    row: i,
                    cols,
                    ignored,
                },
            )
        })
}

/// A row that cannot be imported: where and why, as the person fixing the sheet needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Row number as the spreadsheet shows it.
    pub line: usize,
    pub column: &'static str,
    pub value: String,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第 {} 行「{}」", self.line, self.column)?;
        if !self.value.is_empty() {
            write!(f, "「{}」", self.value)?;
        }
        write!(f, "：{}", self.reason)
    }
}

/// One valid row, its values already in stored form.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    line: usize,
    room: String,
    name: String,
    resident: Vec<(&'static str, Value)>,
    tags: Option<Value>,
    member: Option<Vec<(&'static str, Value)>>,
}

/// What importing a row will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowStatus {
    /// A new resident (and maybe a new household and member).
    Add,
    /// A resident already there (same room and name): these columns change.
    Update(Vec<&'static str>),
    /// Already as the file says: nothing to write.
    Unchanged,
}

/// A row of the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub line: usize,
    pub room: String,
    pub name: String,
    pub status: RowStatus,
}

/// The preview of an import, and the changes that carry it out.
#[derive(Debug, Clone)]
pub struct Plan {
    pub rows: Vec<Planned>,
    pub errors: Vec<RowError>,
    pub new_households: usize,
    pub new_members: usize,
    /// Columns of the file that are not imported (see [`Header::ignored`]).
    pub ignored_columns: Vec<String>,
    changes: Vec<Change>,
}

impl Plan {
    /// Rows that would add a resident.
    pub fn adds(&self) -> usize {
        self.count(|s| matches!(s, RowStatus::Add))
    }

    /// Rows that would update a resident already there.
    pub fn updates(&self) -> usize {
        self.count(|s| matches!(s, RowStatus::Update(_)))
    }

    /// Rows already as the file says.
    pub fn unchanged(&self) -> usize {
        self.count(|s| matches!(s, RowStatus::Unchanged))
    }

    fn count(&self, f: impl Fn(&RowStatus) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.status)).count()
    }

    /// Whether importing would write anything.
    pub fn writes_anything(&self) -> bool {
        self.changes.iter().any(|c| !c.edits.is_empty())
    }

    /// A few lines for a person: counts, then every error.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "新增居民 {} 人（新建住户 {} 户），更新 {} 人，无变化 {} 人，新增党员 {} 名，错误 {} 行",
            self.adds(),
            self.new_households,
            self.updates(),
            self.unchanged(),
            self.new_members,
            self.errors.len()
        );
        if !self.ignored_columns.is_empty() {
            s.push_str(&format!(
                "\n  未导入的列：{}（louzu 不认识这些表头；需要时请改成 室号、姓名、备注 等）",
                self.ignored_columns.join("、")
            ));
        }
        for e in &self.errors {
            s.push_str("\n  ");
            s.push_str(&e.to_string());
        }
        s
    }
}

/// Reads a roster file and plans its import into `building`. Nothing is written.
pub fn plan_file(store: &Store, building: &str, path: &Path) -> Result<Plan, ReportError> {
    plan_file_with(store, building, path, &Progress::none())
}

/// [`plan_file`], saying when the file is read and its rows planned.
pub fn plan_file_with(
    store: &Store,
    building: &str,
    path: &Path,
    progress: &Progress,
) -> Result<Plan, ReportError> {
    progress.step(Stage::Reading, 0, 0);
    let table = read_table(path)?;
    let rows = table.rows.len() as u64;
    if progress.cancelled() {
        return Err(ReportError::Cancelled);
    }
    progress.step(Stage::Rows, 0, rows);
    let planned = plan(store, building, &table).ok_or_else(|| ReportError::NoHeader {
        path: path.to_path_buf(),
    })??;
    progress.step(Stage::Rows, rows, rows);
    Ok(planned)
}

/// Plans the import of a table; `None` when it has no recognisable header.
pub fn plan(store: &Store, building: &str, table: &Table) -> Option<Result<Plan, ReportError>> {
    let header = find_header(table)?;
    let (rows, errors) = parse_rows(table, &header);
    Some(build(store, building, rows, errors).map(|mut p| {
        p.ignored_columns = header.ignored.clone();
        p
    }))
}

/// Writes a planned import. With errors, nothing is written unless `skip_bad` (then only
/// the good rows are). Returns the number of changes written (one per room touched).
/// A household the import creates or tags gets its cadence visit planned in its room's
/// change, by the same rule as adding one by hand (`usecase::record`).
pub fn apply(
    store: &mut Store,
    plan: Plan,
    skip_bad: bool,
    rules: &crate::usecase::Rules,
    today: jiff::civil::Date,
) -> Result<usize, ReportError> {
    apply_with(store, &plan, skip_bad, rules, today, &Progress::none())
}

/// [`apply`] on a plan kept from its preview, reporting the rooms prepared; asked to stop
/// before the one commit, it writes nothing.
pub fn apply_with(
    store: &mut Store,
    plan: &Plan,
    skip_bad: bool,
    rules: &crate::usecase::Rules,
    today: jiff::civil::Date,
    progress: &Progress,
) -> Result<usize, ReportError> {
    if !plan.errors.is_empty() && !skip_bad {
        return Err(ReportError::RowsInvalid(plan.errors.len()));
    }
    let mut changes = plan.changes.clone();
    let total = changes.len() as u64;
    for (i, change) in changes.iter_mut().enumerate() {
        if progress.cancelled() {
            return Err(ReportError::Cancelled);
        }
        progress.step(Stage::Rows, i as u64 + 1, total);
        let households: Vec<(String, bool, Value)> = change
            .edits
            .iter()
            .filter(|e| e.entity == EntityKind::Household && e.field == "tags")
            .map(|e| {
                let new = change
                    .edits
                    .iter()
                    .any(|x| x.id == e.id && x.field == "deleted" && x.value == Value::Bool(false));
                (e.id.clone(), new, e.value.clone())
            })
            .collect();
        for (id, new, tags) in households {
            let tags: Vec<String> = tags
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let building = change
                .edits
                .iter()
                .find(|e| e.id == id && e.field == "building_id")
                .and_then(|e| e.value.as_str().map(String::from))
                .or_else(|| {
                    store
                        .record(EntityKind::Household, &id)
                        .ok()
                        .flatten()
                        .map(|h| h.text("building_id").to_string())
                })
                .unwrap_or_default();
            let visit = crate::usecase::record::next_visit(
                store, rules, today, &building, &id, &tags, new,
            )?;
            change.edits.extend(visit);
        }
    }
    if progress.cancelled() {
        return Err(ReportError::Cancelled);
    }
    progress.step(Stage::Writing, 0, 0);
    let written = store.commit_all(changes)?;
    Ok(written.len())
}

fn spec(kind: EntityKind, field: &str) -> &'static FieldSpec {
    kind.field(field).expect("field in the registry")
}

fn parse_rows(table: &Table, header: &Header) -> (Vec<Row>, Vec<RowError>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (line, cells) in table.rows.iter().skip(header.row + 1) {
        let get = |c: Column| {
            header
                .cols
                .get(&c)
                .and_then(|&j| cells.get(j))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        if Column::ALL.iter().all(|&c| get(c).is_empty()) {
            continue;
        }
        let mut errs = Vec::new();
        let mut field = |c: Column, kind: EntityKind, f: &str, text: &str| -> Option<Value> {
            match parse_field(spec(kind, f), text) {
                Ok(v) => Some(v),
                Err(e) => {
                    errs.push(RowError {
                        line: *line,
                        column: c.zh(),
                        value: get(c).to_string(),
                        reason: e.to_string(),
                    });
                    None
                }
            }
        };
        // A member with no household recorded (export writes them with an empty room).
        let member_only = get(Column::Room).is_empty()
            && (member_alias(get(Column::IsMember)) == Some(true)
                || (get(Column::IsMember).is_empty() && !get(Column::Category).is_empty()));
        let room = if member_only {
            Some(Value::from(""))
        } else {
            field(
                Column::Room,
                EntityKind::Household,
                "room",
                get(Column::Room),
            )
        };
        let name = field(
            Column::Name,
            EntityKind::Resident,
            "name",
            get(Column::Name),
        );
        let gender = field(
            Column::Gender,
            EntityKind::Resident,
            "gender",
            gender_alias(get(Column::Gender)),
        );
        let year = field(
            Column::BirthYear,
            EntityKind::Resident,
            "birth_year",
            year_part(get(Column::BirthYear)),
        );
        let phone = field(
            Column::Phone,
            EntityKind::Resident,
            "phone",
            get(Column::Phone),
        );
        let tags = field(
            Column::Tags,
            EntityKind::Household,
            "tags",
            get(Column::Tags),
        );
        let note = field(
            Column::Note,
            EntityKind::Resident,
            "note",
            get(Column::Note),
        );
        let cat_text = category_alias(get(Column::Category));
        let is_member = match get(Column::IsMember) {
            "" => Some(!cat_text.is_empty()),
            s => match member_alias(s) {
                Some(b) => Some(b),
                None => {
                    errs.push(RowError {
                        line: *line,
                        column: Column::IsMember.zh(),
                        value: s.to_string(),
                        reason: "请填 是 或 否".into(),
                    });
                    None
                }
            },
        };
        let member = if is_member == Some(true) {
            let mut field = |c: Column, f: &str, text: &str| -> Option<Value> {
                match parse_field(spec(EntityKind::Member, f), text) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        errs.push(RowError {
                            line: *line,
                            column: c.zh(),
                            value: get(c).to_string(),
                            reason: e.to_string(),
                        });
                        None
                    }
                }
            };
            let category = field(Column::Category, "category", &cat_text);
            let org = field(Column::HomeOrg, "home_org", get(Column::HomeOrg));
            let date = field(Column::ReportDate, "report_date", get(Column::ReportDate));
            Some((category, org, date))
        } else {
            None
        };
        let (Some(room), Some(name)) = (room, name) else {
            errors.append(&mut errs);
            continue;
        };
        let (room, name) = (
            room.as_str().unwrap_or_default().to_string(),
            name.as_str().unwrap_or_default().to_string(),
        );
        if let Some(first) = seen.get(&(room.clone(), name.clone())) {
            errs.push(RowError {
                line: *line,
                column: Column::Name.zh(),
                value: name.clone(),
                reason: format!("与第 {first} 行重复（同一室号、同一姓名）"),
            });
        }
        if !errs.is_empty() {
            errors.append(&mut errs);
            continue;
        }
        seen.insert((room.clone(), name.clone()), *line);
        let keep = |pairs: Vec<(&'static str, Option<Value>)>| {
            pairs
                .into_iter()
                .filter_map(|(f, v)| v.filter(|v| !v.is_null()).map(|v| (f, v)))
                .collect::<Vec<_>>()
        };
        let member = member.map(|(category, org, date)| {
            keep(vec![
                ("category", category),
                ("home_org", org),
                ("report_date", date),
                ("phone", phone.clone()),
                // A member with no room has no resident record to carry the note.
                ("note", if member_only { note.clone() } else { None }),
            ])
        });
        rows.push(Row {
            line: *line,
            resident: keep(vec![
                ("gender", gender),
                ("birth_year", year),
                ("phone", phone),
                ("note", note),
            ]),
            tags: tags.filter(|t| t.as_array().is_some_and(|a| !a.is_empty())),
            member,
            room,
            name,
        });
    }
    (rows, errors)
}

fn gender_alias(s: &str) -> &str {
    match s.to_lowercase().as_str() {
        "m" | "male" | "男性" => "男",
        "f" | "female" | "女性" => "女",
        _ => s,
    }
}

/// `1950`, `1950年`, `1950-03-01` or `1950.3` all give 1950.
fn year_part(s: &str) -> &str {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 4 && s.len() > 4 {
        &s[..4]
    } else {
        s
    }
}

fn member_alias(s: &str) -> Option<bool> {
    match s {
        "党员" | "中共党员" | "中共预备党员" | "预备党员" => Some(true),
        "群众" | "非党员" | "团员" | "共青团员" => Some(false),
        _ => parse_bool(s).ok(),
    }
}

/// Short and English spellings of the member categories.
fn category_alias(s: &str) -> String {
    let t = s.to_lowercase();
    let full = match t.as_str() {
        "在职" | "in-service" | "inservice" | "employed" => "在职党员",
        "退休" | "离退休" | "离休" | "退休党员" | "retired" => "离退休党员",
        "流动" | "floating" | "migrant" => "流动党员",
        "下岗" | "失业" | "下岗党员" | "失业党员" | "laid-off" | "unemployed" => {
            "下岗(失业)党员"
        }
        "社区" | "community" => "社区党员",
        "下岗（失业）党员" => "下岗(失业)党员",
        _ => s,
    };
    full.to_string()
}

/// Matches the rows against the building and turns them into one change per room.
fn build(
    store: &Store,
    building: &str,
    rows: Vec<Row>,
    errors: Vec<RowError>,
) -> Result<Plan, ReportError> {
    let households: HashMap<String, Record> = store
        .records(EntityKind::Household, Some(building), false)?
        .into_iter()
        .map(|r| (r.text("room").to_string(), r))
        .collect();
    let mut residents: HashMap<(String, String), Record> = HashMap::new();
    for r in store.records(EntityKind::Resident, Some(building), false)? {
        residents.insert(
            (
                r.text("household_id").to_string(),
                r.text("name").to_string(),
            ),
            r,
        );
    }
    let mut members: HashMap<(String, String), Record> = HashMap::new();
    for r in store.records(EntityKind::Member, Some(building), false)? {
        members.insert(
            (
                r.text("household_id").to_string(),
                r.text("name").to_string(),
            ),
            r,
        );
    }
    // Rows grouped by room, rooms in the order the file first names them.
    let mut order: Vec<String> = Vec::new();
    let mut by_room: HashMap<String, Vec<Row>> = HashMap::new();
    for row in rows {
        if !by_room.contains_key(&row.room) {
            order.push(row.room.clone());
        }
        by_room.entry(row.room.clone()).or_default().push(row);
    }
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let (mut new_households, mut new_members) = (0, 0);
    let b = Value::from(building);
    for room in order {
        let rows = by_room.remove(&room).unwrap_or_default();
        if room.is_empty() {
            let mut edits = Vec::new();
            for row in rows {
                let status = plan_member_only(&mut edits, &members, &b, &row, &mut new_members);
                planned.push(Planned {
                    line: row.line,
                    room: String::new(),
                    name: row.name,
                    status,
                });
            }
            if !edits.is_empty() {
                changes.push(Change {
                    action: Action::Import,
                    edits,
                    label: "导入名册 党员".into(),
                    undoes: None,
                });
            }
            continue;
        }
        let mut edits = Vec::new();
        let mut file_tags: Vec<Value> = Vec::new();
        for t in rows.iter().filter_map(|r| r.tags.as_ref()) {
            for v in t.as_array().into_iter().flatten() {
                if !file_tags.contains(v) {
                    file_tags.push(v.clone());
                }
            }
        }
        let tags = (!file_tags.is_empty()).then_some(Value::Array(file_tags));
        let hid = match households.get(&room) {
            Some(h) => {
                if let Some(t) = &tags
                    && h.get("tags") != t
                {
                    edits.push(Edit::new(EntityKind::Household, &h.id, "tags", t.clone()));
                }
                h.id.clone()
            }
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                let mut fields = vec![
                    ("building_id", b.clone()),
                    ("room", Value::from(room.as_str())),
                ];
                fields.extend(tags.clone().map(|t| ("tags", t)));
                push_create(&mut edits, EntityKind::Household, &id, fields);
                new_households += 1;
                id
            }
        };
        for row in rows {
            let key = (hid.clone(), row.name.clone());
            let status = match residents.get(&key) {
                Some(r) => {
                    let changed = push_updates(&mut edits, EntityKind::Resident, r, &row.resident);
                    resident_status(changed)
                }
                None => {
                    let id = uuid::Uuid::now_v7().to_string();
                    let mut fields = vec![
                        ("building_id", b.clone()),
                        ("household_id", Value::from(hid.as_str())),
                        ("name", Value::from(row.name.as_str())),
                    ];
                    fields.extend(row.resident.iter().cloned());
                    push_create(&mut edits, EntityKind::Resident, &id, fields);
                    RowStatus::Add
                }
            };
            let mut status = status;
            if let Some(m) = &row.member {
                let existing = members
                    .get(&key)
                    .or_else(|| members.get(&(String::new(), row.name.clone())));
                match existing {
                    Some(rec) => {
                        let mut fields = m.clone();
                        if rec.text("household_id").is_empty() {
                            fields.push(("household_id", Value::from(hid.as_str())));
                        }
                        let changed = push_updates(&mut edits, EntityKind::Member, rec, &fields);
                        if !changed.is_empty() {
                            status = merge(status, changed);
                        }
                    }
                    None => {
                        let id = uuid::Uuid::now_v7().to_string();
                        let mut fields = vec![
                            ("building_id", b.clone()),
                            ("household_id", Value::from(hid.as_str())),
                            ("name", Value::from(row.name.as_str())),
                        ];
                        fields.extend(m.iter().cloned());
                        push_create(&mut edits, EntityKind::Member, &id, fields);
                        new_members += 1;
                        if status == RowStatus::Unchanged {
                            status = RowStatus::Update(vec![Column::IsMember.zh()]);
                        } else {
                            status = merge(status, vec![Column::IsMember.zh()]);
                        }
                    }
                }
            }
            planned.push(Planned {
                line: row.line,
                room: row.room.clone(),
                name: row.name,
                status,
            });
        }
        if !edits.is_empty() {
            changes.push(Change {
                action: Action::Import,
                edits,
                label: format!("导入名册 {room}"),
                undoes: None,
            });
        }
    }
    planned.sort_by_key(|p| p.line);
    Ok(Plan {
        rows: planned,
        errors,
        new_households,
        new_members,
        ignored_columns: Vec::new(),
        changes,
    })
}

/// A member row without a room: updates the member of that name who has no household, or
/// adds one.
fn plan_member_only(
    edits: &mut Vec<Edit>,
    members: &HashMap<(String, String), Record>,
    building: &Value,
    row: &Row,
    new_members: &mut usize,
) -> RowStatus {
    let fields = row.member.clone().unwrap_or_default();
    match members.get(&(String::new(), row.name.clone())) {
        Some(rec) => resident_status(push_updates(edits, EntityKind::Member, rec, &fields)),
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            let mut all = vec![
                ("building_id", building.clone()),
                ("name", Value::from(row.name.as_str())),
            ];
            all.extend(fields);
            push_create(edits, EntityKind::Member, &id, all);
            *new_members += 1;
            RowStatus::Add
        }
    }
}

fn resident_status(changed: Vec<&'static str>) -> RowStatus {
    if changed.is_empty() {
        RowStatus::Unchanged
    } else {
        RowStatus::Update(changed)
    }
}

fn merge(status: RowStatus, more: Vec<&'static str>) -> RowStatus {
    match status {
        RowStatus::Add => RowStatus::Add,
        RowStatus::Unchanged => RowStatus::Update(more),
        RowStatus::Update(mut cols) => {
            for c in more {
                if !cols.contains(&c) {
                    cols.push(c);
                }
            }
            RowStatus::Update(cols)
        }
    }
}

fn push_create(edits: &mut Vec<Edit>, kind: EntityKind, id: &str, fields: Vec<(&str, Value)>) {
    edits.push(Edit::new(kind, id, "deleted", false));
    edits.extend(fields.into_iter().map(|(f, v)| Edit::new(kind, id, f, v)));
}

/// Edits for the fields whose value differs; returns the columns (Chinese names) changed.
/// A blank cell never clears a value: exports with phones left out import back unchanged.
fn push_updates(
    edits: &mut Vec<Edit>,
    kind: EntityKind,
    rec: &Record,
    fields: &[(&'static str, Value)],
) -> Vec<&'static str> {
    let mut changed = Vec::new();
    for (f, v) in fields {
        if rec.get(f) != v {
            edits.push(Edit::new(kind, &rec.id, f, v.clone()));
            changed.push(spec(kind, f).zh);
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_any_order_and_language() {
        assert_eq!(normalize_header(" 室 号 "), "室号");
        assert_eq!(normalize_header("电话（选填）"), "电话");
        assert_eq!(normalize_header("Birth_Year"), "birthyear");
        let t = Table {
            rows: vec![
                (1, vec!["7号楼名册".into()]),
                (
                    2,
                    vec!["备注".into(), "Name".into(), "*室号".into(), "Phone".into()],
                ),
            ],
        };
        let h = find_header(&t).unwrap();
        assert_eq!(h.row, 1);
        assert_eq!(h.cols[&Column::Name], 1);
        assert_eq!(h.cols[&Column::Room], 2);
        assert_eq!(h.cols[&Column::Phone], 3);
        assert!(!h.cols.contains_key(&Column::Tags));
        let none = Table {
            rows: vec![(1, vec!["姓名".into(), "电话".into()])],
        };
        assert!(find_header(&none).is_none());
    }

    #[test]
    fn aliases_read_what_offices_write() {
        assert_eq!(year_part("1950年"), "1950");
        assert_eq!(year_part("1950-03-01"), "1950");
        assert_eq!(year_part("1950"), "1950");
        assert_eq!(gender_alias("F"), "女");
        assert_eq!(category_alias("退休"), "离退休党员");
        assert_eq!(member_alias("中共党员"), Some(true));
        assert_eq!(member_alias("否"), Some(false));
        assert_eq!(member_alias("也许"), None);
    }
}
