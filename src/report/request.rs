//! A report request — month, year, feedback or notice — and writing it: the one way both
//! `louzu report …` and the interface's report dialog make documents for the office, the
//! members' work units and the stairwell. Each writes one file and says where.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::domain::cadence::Cadences;
use crate::domain::date::{format_date, today};
use crate::i18n::{Lang, Said, said};
use crate::progress::{Progress, Stage};
use crate::report::year::Measure;
use crate::report::{Contacts, Format, Period, Voice, feedback, figures, month, notice, year};
use crate::store::Store;

/// 报表 — reports.
#[derive(Subcommand, Debug, Clone)]
pub enum ReportCmd {
    /// 月度工作台账: the monthly report (default: this month)
    Month {
        /// Month, e.g. 2026-11 (also a quarter 2026-Q4 or a year 2026)
        period: Option<String>,
        /// xlsx, html or csv
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// File to write (default: a dated name in the output folder, `output_dir`)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print contacts (reports leave them out by default)
        #[arg(long)]
        with_contacts: bool,
        /// Building name or id (default: the current one)
        #[arg(long)]
        building: Option<String>,
        /// Every building in the database as rows (the office's view)
        #[arg(long, conflicts_with = "building")]
        all: bool,
    },
    /// 先进楼组党小组评比: every building's year side by side, ranked
    Year {
        /// Year, e.g. 2026 (default: this year)
        year: Option<String>,
        /// xlsx or html
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Figures to rank by: activities,visits,needs,duty,attest,checkins,pairs (default all)
        #[arg(long)]
        rank_by: Option<String>,
        /// File to write (default: a dated name in the output folder, `output_dir`)
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        building: Option<String>,
        #[arg(long, conflicts_with = "building")]
        all: bool,
    },
    /// 在职党员表现反馈单: one page per in-service member for their work unit
    Feedback {
        /// Period, e.g. 2026-Q4, 2026-11 or 2026 (default: this quarter)
        #[arg(long)]
        period: Option<String>,
        /// html or xlsx
        #[arg(long, default_value = "html")]
        format: String,
        /// The leader's comment for a member: NAME=TEXT (repeatable)
        #[arg(long = "comment")]
        comments: Vec<String>,
        /// File to write (default: a dated name in the output folder, `output_dir`)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the work-unit contact (left out by default)
        #[arg(long)]
        with_contacts: bool,
        #[arg(long)]
        building: Option<String>,
        #[arg(long, conflicts_with = "building")]
        all: bool,
    },
    /// 党员公示牌: the A4 page for the stairwell
    Notice {
        /// File to write (default: a dated name in the output folder, `output_dir`)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print phones of members who agreed to show them (left out by default)
        #[arg(long)]
        with_contacts: bool,
        #[arg(long)]
        building: Option<String>,
    },
}

/// A default output file in the output folder `dir`: what, for whom, when, dated today.
pub fn default_out(
    dir: &Path,
    kind: &str,
    whom: &str,
    period: Option<&str>,
    format: Format,
) -> PathBuf {
    let mut name = format!("{kind}-{whom}");
    if let Some(p) = period {
        name.push('-');
        name.push_str(p);
    }
    name.push('-');
    name.push_str(&format_date(today()));
    let clean: String = name
        .chars()
        .map(|c| if "/\\:*?\"<>| ".contains(c) { '_' } else { c })
        .collect();
    dir.join(format!("{clean}.{}", format.ext()))
}

/// Writes a report file readable by its owner only: reports hold residents' personal data.
/// A file going into the output folder makes that folder first (its first write).
pub fn write_out(path: &Path, bytes: &[u8], out_dir: &Path) -> anyhow::Result<()> {
    if path.parent() == Some(out_dir) {
        crate::config::output::prepare(out_dir).map_err(|e| {
            said(
                format!("无法建立输出文件夹「{}」（{e}）", out_dir.display()),
                format!("cannot make the output folder {} ({e})", out_dir.display()),
            )
        })?;
    }
    write_private(path, bytes).map_err(|e| {
        said(
            format!(
                "无法写入「{}」：请检查文件夹是否存在、文件是否正被 Excel/WPS 打开（{e}）",
                path.display()
            ),
            format!(
                "cannot write {}: check that the folder exists and that the file is not open in Excel or WPS ({e})",
                path.display()
            ),
        )
    })
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

/// On Windows a new file takes the folder's ACL (the user's own folders are private).
#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// A report written: its path, and notes for the person (how many members, what was left
/// out for privacy).
pub struct Written {
    pub path: PathBuf,
    pub notes: Vec<String>,
}

/// The buildings a report covers: `--all`, `--building`, else the current one. When no
/// building can be chosen, the message also offers `--all`.
fn scope(store: &Store, building: Option<&str>, all: bool) -> anyhow::Result<Option<String>> {
    if all {
        return Ok(None);
    }
    crate::usecase::scope::building(store, building)
        .map(Some)
        .map_err(|e| match e.downcast::<Said>() {
            Ok(s) => said(
                format!("{}；或用 --all 输出全部楼组", s.zh),
                format!("{}; or --all for every building", s.en),
            ),
            Err(e) => e,
        })
}

/// Who a report is for, in its default file name: the building, or every building.
fn scope_name(store: &Store, scope: Option<&str>, lang: Lang) -> anyhow::Result<String> {
    Ok(match scope {
        None => lang.pick("全部楼组", "all-buildings").into(),
        Some(id) => store
            .buildings()?
            .into_iter()
            .find(|b| b.id == id)
            .map(|b| b.name)
            .unwrap_or_default(),
    })
}

fn format_of(s: &str, allowed: &[Format]) -> anyhow::Result<Format> {
    Format::parse(s)
        .filter(|f| allowed.contains(f))
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|f| f.ext()).collect();
            let (last, rest) = names.split_last().map_or(("", &[][..]), |(l, r)| (*l, r));
            let list = |sep: &str, or: &str| match rest {
                [] => last.to_string(),
                _ => format!("{}{or}{last}", rest.join(sep)),
            };
            said(
                format!("--format {s}：请用 {}", list("、", " 或 ")),
                format!("--format {s}: use {}", list(", ", " or ")),
            )
        })
}

/// `--period`/a year argument: the period, or what to write instead, in both languages.
fn period_arg(p: &str) -> anyhow::Result<Period> {
    Period::parse(p).map_err(|e| {
        said(
            e.to_string(),
            format!(
                "period \"{p}\" is not valid: write 2026-11 (a month), 2026-Q4 (a quarter) or 2026 (a year)"
            ),
        )
    })
}

/// The last moment to stop: after it the file is written.
fn ready_to_write(progress: &Progress) -> anyhow::Result<()> {
    if progress.cancelled() {
        return Err(crate::report::ReportError::Cancelled.into());
    }
    progress.step(Stage::Writing, 0, 0);
    Ok(())
}

fn contacts(with: bool) -> Contacts {
    if with {
        Contacts::Shown
    } else {
        Contacts::Redacted
    }
}

/// Writes one report; the interface's report dialog calls this too. `lang` is the language
/// of the notes, the default file name and the documents written in both languages (the
/// 公示牌 and the 反馈单); the office's month and year reports stay Chinese.
pub fn execute(
    store: &Store,
    cmd: ReportCmd,
    cadences: &Cadences,
    lang: Lang,
    out_dir: &Path,
) -> anyhow::Result<Written> {
    execute_with(store, cmd, cadences, lang, out_dir, &Progress::none())
}

/// [`execute`], saying when the figures are worked out and how many rows or pages are
/// laid out; asked to stop before the file is written, it writes nothing.
pub fn execute_with(
    store: &Store,
    cmd: ReportCmd,
    cadences: &Cadences,
    lang: Lang,
    out_dir: &Path,
    progress: &Progress,
) -> anyhow::Result<Written> {
    let author = store.owner_name().to_string();
    // The 六个员 set from the config folder, as the pane and `louzu duties` read it.
    let duties = crate::duty_config::load_for(store, crate::config::config_dir().as_deref());
    let mut warnings: Vec<String> = duties.warning.iter().map(|w| w.message(lang)).collect();
    let basis = figures::Basis {
        cadences,
        duties: &duties.set,
        today: today(),
    };
    let voice = Voice {
        lang,
        duties: &duties.set,
    };
    let mut w = report(store, cmd, &basis, &author, voice, (out_dir, progress))?;
    warnings.append(&mut w.notes);
    w.notes = warnings;
    Ok(w)
}

fn report(
    store: &Store,
    cmd: ReportCmd,
    basis: &figures::Basis<'_>,
    author: &str,
    voice: Voice<'_>,
    (dir, progress): (&Path, &Progress),
) -> anyhow::Result<Written> {
    let author = author.to_string();
    let lang = voice.lang;
    match cmd {
        ReportCmd::Month {
            period,
            format,
            out,
            with_contacts: _,
            building,
            all,
        } => {
            let format = format_of(&format, &[Format::Xlsx, Format::Html, Format::Csv])?;
            let period = match period {
                Some(p) => period_arg(&p)?,
                None => Period::month_of(today()),
            };
            let scope = scope(store, building.as_deref(), all)?;
            progress.step(Stage::Figures, 0, 0);
            let f = figures::compute(store, scope.as_deref(), &period, basis)?;
            progress.step(Stage::Rendering, 0, f.buildings.len() as u64);
            let bytes = month::render(&f, format, &author)?;
            let whom = scope_name(store, scope.as_deref(), lang)?;
            let kind = lang.pick("月度台账", "month");
            let path =
                out.unwrap_or_else(|| default_out(dir, kind, &whom, Some(&period.label), format));
            ready_to_write(progress)?;
            write_out(&path, &bytes, dir)?;
            Ok(Written {
                path,
                notes: Vec::new(),
            })
        }
        ReportCmd::Year {
            year: y,
            format,
            rank_by,
            out,
            building,
            all,
        } => {
            let format = format_of(&format, &[Format::Xlsx, Format::Html, Format::Csv])?;
            let period = match y {
                Some(p) => period_arg(&p)?,
                None => period_arg(&today().year().to_string())?,
            };
            let by = match rank_by {
                Some(s) => Measure::parse_list(&s).map_err(|e| {
                    let names: Vec<&str> = Measure::ALL.iter().map(|m| m.name()).collect();
                    said(
                        e.to_string(),
                        format!("--rank-by {s}: use {}", names.join(", ")),
                    )
                })?,
                None => Measure::ALL.to_vec(),
            };
            if by.is_empty() {
                return Err(said(
                    "--rank-by：请至少写一项指标",
                    "--rank-by: name at least one figure",
                ));
            }
            let scope = scope(store, building.as_deref(), all)?;
            progress.step(Stage::Figures, 0, 0);
            let f = figures::compute(store, scope.as_deref(), &period, basis)?;
            progress.step(Stage::Rendering, 0, f.buildings.len() as u64);
            let bytes = year::render(&f, &by, format, &author)?;
            let whom = scope_name(store, scope.as_deref(), lang)?;
            let kind = lang.pick("年度评比", "year");
            let path =
                out.unwrap_or_else(|| default_out(dir, kind, &whom, Some(&period.label), format));
            ready_to_write(progress)?;
            write_out(&path, &bytes, dir)?;
            Ok(Written {
                path,
                notes: Vec::new(),
            })
        }
        ReportCmd::Feedback {
            period,
            format,
            comments,
            out,
            with_contacts,
            building,
            all,
        } => {
            let format = format_of(&format, &[Format::Html, Format::Xlsx, Format::Csv])?;
            let period = match period {
                Some(p) => period_arg(&p)?,
                None => {
                    let t = today();
                    period_arg(&format!("{}-Q{}", t.year(), (t.month() + 2) / 3))?
                }
            };
            let mut map = HashMap::new();
            for c in &comments {
                let (k, v) = c.split_once('=').ok_or_else(|| {
                    said(
                        format!("--comment {c}：请写成 姓名=评语"),
                        format!("--comment {c}: write NAME=COMMENT"),
                    )
                })?;
                map.insert(k.trim().to_string(), v.trim().to_string());
            }
            let scope = scope(store, building.as_deref(), all)?;
            progress.step(Stage::Figures, 0, 0);
            let members = feedback::gather(store, scope.as_deref(), &period, &map, basis)?;
            progress.step(Stage::Rendering, 0, members.len() as u64);
            let bytes = feedback::render(
                &members,
                &period,
                format,
                contacts(with_contacts),
                &author,
                voice,
            )?;
            let whom = scope_name(store, scope.as_deref(), lang)?;
            let kind = lang.pick("表现反馈单", "feedback");
            let path =
                out.unwrap_or_else(|| default_out(dir, kind, &whom, Some(&period.label), format));
            ready_to_write(progress)?;
            write_out(&path, &bytes, dir)?;
            let n = members.len();
            let note = match lang {
                Lang::Zh => format!("在职党员 {n} 名"),
                Lang::En if n == 1 => "1 in-service member".to_string(),
                Lang::En => format!("{n} in-service members"),
            };
            Ok(Written {
                path,
                notes: vec![note],
            })
        }
        ReportCmd::Notice {
            out,
            with_contacts,
            building,
        } => {
            let b = crate::usecase::scope::building(store, building.as_deref())?;
            let name = scope_name(store, Some(&b), lang)?;
            progress.step(Stage::Figures, 0, 0);
            let rows = notice::gather(store, &b)?;
            progress.step(Stage::Rendering, 0, rows.len() as u64);
            let record = store.record(crate::domain::EntityKind::Building, &b)?;
            let (cfg, _) = crate::config::Config::load(crate::config::config_dir().as_deref());
            let extras = notice::Extras {
                pledge: cfg.notice.pledge.clone(),
                neighbourhood: record
                    .as_ref()
                    .map(|r| r.text("neighbourhood").to_string())
                    .unwrap_or_default(),
                address: record
                    .as_ref()
                    .map(|r| r.text("address").to_string())
                    .unwrap_or_default(),
                office_phone: cfg.notice.office_phone.clone(),
            };
            let html = notice::render(&name, &rows, contacts(with_contacts), &extras, voice);
            let kind = lang.pick("公示牌", "notice");
            let path = out.unwrap_or_else(|| default_out(dir, kind, &name, None, Format::Html));
            ready_to_write(progress)?;
            write_out(&path, html.as_bytes(), dir)?;
            let consented = rows
                .iter()
                .filter(|r| !r.consented_phone.is_empty())
                .count();
            let shown = rows.len();
            let mut notes = vec![match lang {
                Lang::Zh => format!("亮身份党员 {shown} 名"),
                Lang::En if shown == 1 => "1 member on the notice".to_string(),
                Lang::En => format!("{shown} members on the notice"),
            }];
            if !with_contacts && consented > 0 {
                notes.push(match lang {
                    Lang::Zh => {
                        format!("{consented} 名党员同意公示电话；加 --with-contacts 才会印出")
                    }
                    Lang::En => format!(
                        "{consented} of them agreed to show their phone; add --with-contacts to print it"
                    ),
                });
            }
            Ok(Written { path, notes })
        }
    }
}
