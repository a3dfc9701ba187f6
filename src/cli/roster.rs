//! `louzu roster import|export`: the office's roster spreadsheet in and out.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use super::report::{default_out, write_out};
use crate::report::roster_import::{self, RowStatus};
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
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include phone numbers (left out by default)
        #[arg(long)]
        with_contacts: bool,
        #[arg(long)]
        building: Option<String>,
    },
}

/// Runs a roster command.
pub fn run(store: &mut Store, cmd: RosterCmd, rules: &crate::usecase::Rules) -> anyhow::Result<()> {
    match cmd {
        RosterCmd::Import {
            file,
            dry_run,
            skip_bad,
            building,
        } => {
            let b = crate::cli::building(store, building.as_deref())?;
            let plan = roster_import::plan_file(store, &b, &file)?;
            crate::out!("{}", plan.summary());
            for r in &plan.rows {
                if let RowStatus::Update(cols) = &r.status {
                    crate::out!(
                        "  第 {} 行 {} {}：更新 {}",
                        r.line,
                        r.room,
                        r.name,
                        cols.join("、")
                    );
                }
            }
            if dry_run {
                crate::out!("（试运行：未写入任何数据）");
                if !plan.errors.is_empty() && !skip_bad {
                    anyhow::bail!("名册有 {} 行错误", plan.errors.len());
                }
                return Ok(());
            }
            let any = plan.writes_anything();
            let today = crate::domain::date::today();
            let n = roster_import::apply(store, plan, skip_bad, rules, today)?;
            if any {
                crate::out!("已导入：写入 {n} 个住户的变更（活动记录里每户一条，可撤销）");
            } else {
                crate::out!("名册与数据库一致，没有需要写入的变更");
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
                .with_context(|| format!("--format {format}: use xlsx or csv"))?;
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
            let path = out.unwrap_or_else(|| default_out("名册", &name, None, format));
            write_out(&path, &bytes)?;
            crate::out!("{}", path.display());
            if !with_contacts {
                eprintln!("电话未导出（加 --with-contacts 导出）");
            }
            Ok(())
        }
    }
}
