//! `louzu roster import|export`: the office's roster spreadsheet in and out.

use std::path::PathBuf;

use clap::Subcommand;

use super::report::{default_out, write_out};
use crate::cli::said;
use crate::i18n::Lang;
use crate::report::roster_import::{self, Plan, RowStatus};
use crate::report::{Contacts, Format, roster_export};
use crate::store::Store;

/// 名册 — roster import and export.
#[derive(Subcommand, Debug)]
pub enum RosterCmd {
    /// Import residents and members from an XLSX or CSV (UTF-8 or GBK) roster
    Import {
        file: PathBuf,
        /// Show what would change; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows even when some rows have errors
        #[arg(long)]
        skip_bad: bool,
        /// Building name or id (default: the current one)
        #[arg(long)]
        building: Option<String>,
    },
    /// Export the roster in the columns import reads
    Export {
        /// xlsx or csv
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// File to write (default: a dated name in the output folder, `output_dir`)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include phone numbers (left out by default)
        #[arg(long)]
        with_contacts: bool,
        #[arg(long)]
        building: Option<String>,
    },
}

/// What an import will do, in the interface language, one line per row error.
fn summary(plan: &Plan, lang: Lang) -> String {
    let mut s = match lang {
        Lang::Zh => plan
            .summary()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        Lang::En => format!(
            "{} new residents ({} new households), {} updated, {} unchanged, {} new members, {} rows with errors",
            plan.adds(),
            plan.new_households,
            plan.updates(),
            plan.unchanged(),
            plan.new_members,
            plan.errors.len()
        ),
    };
    for e in &plan.errors {
        s.push_str("\n  ");
        match lang {
            Lang::Zh => s.push_str(&e.to_string()),
            Lang::En => {
                s.push_str(&format!("row {}, column {}", e.line, e.column));
                if !e.value.is_empty() {
                    s.push_str(&format!(" \"{}\"", e.value));
                }
                s.push_str(&format!(": {}", e.reason));
            }
        }
    }
    s
}

/// Runs a roster command.
pub fn run(
    store: &mut Store,
    cmd: RosterCmd,
    lang: Lang,
    rules: &crate::usecase::Rules,
    out_dir: &std::path::Path,
) -> anyhow::Result<()> {
    match cmd {
        RosterCmd::Import {
            file,
            dry_run,
            skip_bad,
            building,
        } => {
            let b = crate::cli::building(store, building.as_deref())?;
            let plan = roster_import::plan_file(store, &b, &file)?;
            crate::out!("{}", summary(&plan, lang));
            for r in &plan.rows {
                if let RowStatus::Update(cols) = &r.status {
                    match lang {
                        Lang::Zh => crate::out!(
                            "  第 {} 行 {} {}：更新 {}",
                            r.line,
                            r.room,
                            r.name,
                            cols.join("、")
                        ),
                        Lang::En => crate::out!(
                            "  row {} {} {}: updates {}",
                            r.line,
                            r.room,
                            r.name,
                            cols.join(", ")
                        ),
                    }
                }
            }
            if dry_run {
                crate::out!(
                    "{}",
                    lang.pick(
                        "（试运行：未写入任何数据）",
                        "(dry run: nothing was written)"
                    )
                );
                if !plan.errors.is_empty() && !skip_bad {
                    let n = plan.errors.len();
                    return Err(said(
                        format!(
                            "名册有 {n} 行错误：改好表格再导入，或加 --skip-bad 只导入正确的行"
                        ),
                        format!(
                            "the roster has {n} rows with errors: fix the sheet, or add --skip-bad to import only the good rows"
                        ),
                    ));
                }
                return Ok(());
            }
            let any = plan.writes_anything();
            let today = crate::domain::date::today();
            let n = roster_import::apply(store, plan, skip_bad, rules, today)?;
            match (any, lang) {
                (true, Lang::Zh) => {
                    crate::out!("已导入：写入 {n} 个住户的变更（活动记录里每户一条，可撤销）")
                }
                (true, Lang::En) => crate::out!(
                    "imported: changes to {n} households written (one log entry each, undoable)"
                ),
                (false, _) => crate::out!(
                    "{}",
                    lang.pick(
                        "名册与数据库一致，没有需要写入的变更",
                        "the roster matches the database: nothing to write"
                    )
                ),
            }
            Ok(())
        }
        RosterCmd::Export {
            format,
            out,
            with_contacts,
            building,
        } => {
            let format = Format::parse(&format)
                .filter(|f| *f != Format::Html)
                .ok_or_else(|| {
                    said(
                        format!("--format {format}：请用 xlsx 或 csv"),
                        format!("--format {format}: use xlsx or csv"),
                    )
                })?;
            let b = crate::cli::building(store, building.as_deref())?;
            let contacts = if with_contacts {
                Contacts::Shown
            } else {
                Contacts::Redacted
            };
            let bytes = roster_export::render(store, &b, format, contacts)?;
            let name = store
                .buildings()?
                .into_iter()
                .find(|x| x.id == b)
                .map(|x| x.name)
                .unwrap_or_default();
            let kind = lang.pick("名册", "roster");
            let path = out.unwrap_or_else(|| default_out(out_dir, kind, &name, None, format));
            write_out(&path, &bytes, out_dir)?;
            crate::out!("{}", path.display());
            if !with_contacts {
                eprintln!(
                    "{}",
                    lang.pick(
                        "电话未导出（加 --with-contacts 导出）",
                        "phone numbers left out (add --with-contacts to include them)"
                    )
                );
            }
            Ok(())
        }
    }
}
