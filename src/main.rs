//! The `louzu` command: parse the command line, run one command, report errors plainly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use louzu::cli::visits;
use louzu::config::{self, Config};
use louzu::i18n::Lang;
use louzu::store::Store;

/// 楼组党小组长的名册、走访、六个员与活动记录 — the building party-group leader's roster,
/// visits, duties and log.
#[derive(Parser)]
#[command(name = "louzu", version)]
struct Cli {
    /// Database file (default: louzu.db in the data folder; env LOUZU_DB)
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Theme: default, light, high-contrast, dangjian-red, or a user theme
    #[arg(long, global = true)]
    theme: Option<String>,
    /// Interface language: zh (default) or en
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the demo building (kept in its own file; your data is never touched)
    Demo {
        /// Write the demo database without opening the TUI
        #[arg(long)]
        no_tui: bool,
    },
    /// Print all data as canonical, sorted JSON (compare replicas with it)
    Dump,
    /// List planned visits (待走访), overdue first
    Visits {
        /// Only visits due today or earlier
        #[arg(long)]
        due: bool,
        /// Only overdue visits
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
        /// Building name or id (default: the current one)
        #[arg(long)]
        building: Option<String>,
    },
    /// List needs (民情诉求)
    Needs {
        /// Only needs not yet resolved
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        building: Option<String>,
    },
    /// Record today's stairwell check-in (巡楼): --item 楼道堆物=problem:三楼纸箱
    Checkin {
        /// ITEM=ok or ITEM=problem[:note]; items not named are recorded ok
        #[arg(long = "item")]
        items: Vec<String>,
        /// Also open a need (诉求) for this problem item
        #[arg(long = "need")]
        needs: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// Date (default today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        building: Option<String>,
    },
    /// Roster import and export (名册导入导出)
    Roster {
        #[command(subcommand)]
        cmd: louzu::cli::roster::RosterCmd,
    },
    /// Reports for the office, work units and the stairwell (月度台账、评比、反馈单、公示牌)
    Report {
        #[command(subcommand)]
        cmd: louzu::cli::report::ReportCmd,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("louzu: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config_dir = config::config_dir();
    let (cfg, warning) = Config::load(config_dir.as_deref());
    if let Some(w) = &warning {
        eprintln!("{}", w.0);
    }
    let lang = match cli.lang.as_deref() {
        Some(s) => Lang::parse(s).with_context(|| format!("--lang {s}: use zh or en"))?,
        None => cfg.lang().unwrap_or_default(),
    };
    let mut warnings: Vec<String> = warning.into_iter().map(|w| w.0).collect();
    let theme = cli
        .theme
        .or(cfg.theme.clone())
        .unwrap_or_else(|| "default".to_string());
    let (cadences, cadence_warning) = cfg.cadences();
    warnings.extend(cadence_warning.map(|w| w.0));
    let checkin_items = cfg.checkin_items();
    let opts = |warnings| louzu::tui::Options {
        lang,
        theme: theme.clone(),
        config_dir: config_dir.clone(),
        warnings,
        cadences: cadences.clone(),
        checkin_items: checkin_items.clone(),
    };
    match cli.command {
        Some(Command::Dump) => {
            let store = open(&config::db_path(cli.db.as_deref()))?;
            println!("{}", serde_json::to_string_pretty(&store.dump()?)?);
            Ok(())
        }
        Some(Command::Visits {
            due,
            overdue,
            json,
            building,
        }) => {
            let store = open(&config::db_path(cli.db.as_deref()))?;
            let b = visits::building(&store, building.as_deref())?;
            visits::visits(&store, &b, due, overdue, json)
        }
        Some(Command::Needs {
            open: only_open,
            json,
            building,
        }) => {
            let store = open(&config::db_path(cli.db.as_deref()))?;
            let b = visits::building(&store, building.as_deref())?;
            visits::needs(&store, &b, only_open, json)
        }
        Some(Command::Checkin {
            items,
            needs,
            note,
            date,
            building,
        }) => {
            let mut store = open(&config::db_path(cli.db.as_deref()))?;
            let b = visits::building(&store, building.as_deref())?;
            visits::checkin(
                &mut store,
                &b,
                &items,
                &note,
                &needs,
                &checkin_items,
                date.as_deref(),
            )
        }
        Some(Command::Roster { cmd }) => {
            let mut store = open(&config::db_path(cli.db.as_deref()))?;
            louzu::cli::roster::run(&mut store, cmd)
        }
        Some(Command::Report { cmd }) => {
            let store = open(&config::db_path(cli.db.as_deref()))?;
            louzu::cli::report::run(&store, cmd, &cadences)
        }
        Some(Command::Demo { no_tui }) => {
            let path = cli.db.unwrap_or_else(config::demo_db_path);
            let store = louzu::cli::demo::write_demo_db(&path)?;
            if no_tui {
                println!("{}", path.display());
                return Ok(());
            }
            louzu::tui::run(store, opts(std::mem::take(&mut warnings)))
        }
        None => {
            let store = open(&config::db_path(cli.db.as_deref()))?;
            louzu::tui::run(store, opts(warnings))
        }
    }
}

fn open(path: &Path) -> anyhow::Result<Store> {
    Store::open(path).map_err(anyhow::Error::from)
}
