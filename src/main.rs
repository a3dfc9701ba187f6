//! The `louzu` command: parse the command line, run one command, report errors plainly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use louzu::cli::visits;
use louzu::cli::{script, sync};
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
        /// Instead of the demo building, a street of N generated buildings (an office's size)
        #[arg(long, value_name = "N")]
        street: Option<usize>,
        /// Start the demo over (otherwise what you did in it is kept)
        #[arg(long)]
        reset: bool,
    },
    /// Print all data as canonical, sorted JSON (compare replicas with it)
    Dump,
    /// Show this device's name, fingerprint and key (give the key to devices that trust it)
    Device {
        /// Rename this device (the name others see in its bundles)
        #[arg(long)]
        name: Option<String>,
        /// Also write the key to a device-card file for `louzu trust FILE`
        #[arg(long)]
        card: Option<PathBuf>,
    },
    /// Trust a device: from a bundle or card FILE it made, or its key text
    Trust {
        /// A bundle file, a device-card file, or the key printed by `louzu device`
        source: String,
        /// The name you know it by (居委会, 副组长…)
        #[arg(long)]
        name: String,
        /// Buildings (name or id) bundles for it may carry; default: all
        #[arg(long, num_args = 1..)]
        buildings: Vec<String>,
        /// Replace the key of a device already trusted under this name
        #[arg(long)]
        replace: bool,
    },
    /// Write a bundle of changes for trusted devices (or a passphrase)
    Export {
        /// The bundle file or folder to write it in (e.g. a USB stick; default: the output
        /// folder, `output_dir` in config.toml)
        #[arg(long)]
        to: Option<PathBuf>,
        /// Trusted devices it is for (encrypted to them; only what they lack)
        #[arg(long = "for", num_args = 1..)]
        for_names: Vec<String>,
        /// Also (or instead) encrypt with the passphrase in this file
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
        /// Carry everything, not only what the recipients are missing
        #[arg(long)]
        full: bool,
    },
    /// Import bundles (any order); shows what they bring first
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Only show what would change
        #[arg(long)]
        dry_run: bool,
        /// Apply without asking
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
    },
    /// List concurrent edits kept for review
    Conflicts {
        #[arg(long)]
        json: bool,
        /// Include resolved ones
        #[arg(long)]
        all: bool,
    },
    /// Settle a conflict: keep A, keep B, or a new value (syncs like any edit)
    Resolve {
        id: String,
        #[arg(long, conflicts_with = "value")]
        keep: Option<String>,
        #[arg(long)]
        value: Option<String>,
    },
    /// Add a record: `louzu add household building_id=… room=301`
    Add { kind: String, fields: Vec<String> },
    /// Change fields of a record: `louzu edit ID note=…`
    Edit {
        id: String,
        #[arg(required = true)]
        fields: Vec<String>,
    },
    /// Delete a record (restorable)
    Delete { id: String },
    /// Restore a deleted record
    Restore { id: String },
    /// Find records by text, pinyin or id prefix
    Find {
        text: String,
        #[arg(long)]
        json: bool,
    },
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
    /// 六个员 checklists and 四个无 of a month (default: this month)
    Duties {
        /// Month, e.g. 2026-11
        #[arg(long)]
        period: Option<String>,
        /// Building name or id (default: the current building)
        #[arg(long)]
        building: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// The activity log (活动记录), newest first
    Log {
        /// First day, e.g. 2026-11-01
        #[arg(long)]
        since: Option<String>,
        /// activity, visit, checkin, duty, need, roster, delete or import
        #[arg(long)]
        kind: Option<String>,
        /// Building name or id (default: the current building)
        #[arg(long)]
        building: Option<String>,
        /// At most this many entries
        #[arg(long, default_value_t = 200)]
        limit: i64,
        /// Print JSON
        #[arg(long)]
        json: bool,
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
    /// Print tab completion for a shell: bash, zsh, fish, powershell or elvish
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff; `louzu man > louzu.1`)
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err((e, _)) if louzu::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err((e, lang)) => {
            eprintln!("louzu: {}", louzu::cli::error_message(&e, lang));
            louzu::cli::shell::hold_own_console(lang);
            ExitCode::FAILURE
        }
    }
}

/// Runs the command; an error comes back with the language to say it in.
fn run(cli: Cli) -> Result<(), (anyhow::Error, Lang)> {
    let generated = match cli.command {
        Some(Command::Completions { shell }) => {
            Some(louzu::cli::shell::completions(Cli::command(), shell))
        }
        Some(Command::Man) => Some(louzu::cli::shell::man(Cli::command())),
        _ => None,
    };
    if let Some(done) = generated {
        return done.map_err(|e| (e, Lang::default()));
    }
    let config_dir = config::config_dir();
    let (cfg, config_warnings) = Config::load(config_dir.as_deref());
    let lang = match cli.lang.as_deref() {
        Some(s) => match Lang::parse(s) {
            Some(l) => l,
            None => {
                let lang = cfg.lang().unwrap_or_default();
                let e = louzu::cli::said(
                    format!("--lang {s}：只能是 zh（中文）或 en（英文）"),
                    format!("--lang {s}: use zh (Chinese) or en (English)"),
                );
                return Err((e, lang));
            }
        },
        None => cfg.lang().unwrap_or_default(),
    };
    // One line per problem, in the interface language.
    let warnings: Vec<String> = config_warnings.iter().map(|w| w.message(lang)).collect();
    for w in &warnings {
        eprintln!("{w}");
    }
    run_command(cli, cfg, config_dir, lang, warnings).map_err(|e| (e, lang))
}

fn run_command(
    cli: Cli,
    cfg: Config,
    config_dir: Option<PathBuf>,
    lang: Lang,
    mut warnings: Vec<String>,
) -> anyhow::Result<()> {
    let theme = cli
        .theme
        .or(cfg.theme.clone())
        .unwrap_or_else(|| "default".to_string());
    let cadences = cfg.cadences();
    let checkin_items = cfg.checkin_items();
    let out_dir = config::output::dir(&cfg);
    let opts = |warnings| louzu::tui::Options {
        output_dir: out_dir.clone(),
        lang,
        theme: theme.clone(),
        config_dir: config_dir.clone(),
        warnings,
        cadences: cadences.clone(),
        checkin_items: checkin_items.clone(),
    };
    let db = config::db_path(cli.db.as_deref());
    // Reading and reporting commands refuse a database that is not there (a mistyped
    // --db must not leave an empty one behind); setup, demo and making a device create it.
    let open = |path: &Path| open_existing(path, lang);
    match cli.command {
        Some(Command::Dump) => {
            let store = open(&db)?;
            louzu::out!("{}", serde_json::to_string_pretty(&store.dump()?)?);
            Ok(())
        }
        Some(Command::Device { name, card }) => {
            let store = create(&db)?;
            sync::device(&store, name.as_deref(), card.as_deref(), lang)
        }
        Some(Command::Trust {
            source,
            name,
            buildings,
            replace,
        }) => {
            let store = create(&db)?;
            sync::trust_cmd(&store, &source, &name, &buildings, replace, lang)
        }
        Some(Command::Export {
            to,
            for_names,
            passphrase_file,
            full,
        }) => {
            let store = open(&db)?;
            sync::export_cmd(
                &store,
                to.as_deref(),
                &out_dir,
                for_names,
                passphrase_file.as_deref(),
                full,
                lang,
            )
        }
        Some(Command::Import {
            files,
            dry_run,
            yes,
            passphrase_file,
        }) => {
            let mut store = create(&db)?;
            sync::import_cmd(
                &mut store,
                &files,
                dry_run,
                yes,
                passphrase_file.as_deref(),
                lang,
            )
        }
        Some(Command::Conflicts { json, all }) => {
            let store = open(&db)?;
            sync::conflicts_cmd(&store, json, all, lang)
        }
        Some(Command::Resolve { id, keep, value }) => {
            let mut store = open(&db)?;
            sync::resolve_cmd(&mut store, &id, keep.as_deref(), value.as_deref(), lang)
        }
        Some(Command::Add { kind, fields }) => {
            // `louzu add building …` is scripted setup: it may make the database.
            let setup = script::parse_kind(&kind).ok() == Some(louzu::domain::EntityKind::Building);
            let mut store = if setup { create(&db)? } else { open(&db)? };
            let rules = louzu::cli::rules(&store, &cadences, config_dir.as_deref(), lang);
            script::add(&mut store, &kind, &fields, &rules).map(drop)
        }
        Some(Command::Edit { id, fields }) => {
            let mut store = open(&db)?;
            let rules = louzu::cli::rules(&store, &cadences, config_dir.as_deref(), lang);
            script::edit(&mut store, &id, &fields, &rules, lang)
        }
        Some(Command::Delete { id }) => {
            let mut store = open(&db)?;
            script::set_deleted(&mut store, &id, true, lang)
        }
        Some(Command::Restore { id }) => {
            let mut store = open(&db)?;
            script::set_deleted(&mut store, &id, false, lang)
        }
        Some(Command::Find { text, json }) => {
            let store = open(&db)?;
            script::find(&store, &text, json, lang)
        }
        Some(Command::Visits {
            due,
            overdue,
            json,
            building,
        }) => {
            let store = open(&db)?;
            let b = louzu::cli::building(&store, building.as_deref())?;
            visits::visits(&store, &b, due, overdue, json, lang)
        }
        Some(Command::Needs {
            open: only_open,
            json,
            building,
        }) => {
            let store = open(&db)?;
            let b = louzu::cli::building(&store, building.as_deref())?;
            visits::needs(&store, &b, only_open, json, lang)
        }
        Some(Command::Checkin {
            items,
            needs,
            note,
            date,
            building,
        }) => {
            let mut store = open(&db)?;
            let b = louzu::cli::building(&store, building.as_deref())?;
            let rules = louzu::cli::rules(&store, &cadences, config_dir.as_deref(), lang);
            visits::checkin(
                &mut store,
                &b,
                visits::CheckinArgs {
                    items: &items,
                    note: &note,
                    needs: &needs,
                    known: &checkin_items,
                    date: date.as_deref(),
                    rules: &rules,
                    lang,
                },
            )
        }
        Some(Command::Duties {
            period,
            building,
            json,
        }) => {
            let store = open(&db)?;
            louzu::cli::duties::run(
                &store,
                config_dir.as_deref(),
                building.as_deref(),
                period.as_deref(),
                json,
                lang,
            )
        }
        Some(Command::Log {
            since,
            kind,
            building,
            limit,
            json,
        }) => {
            let store = open(&db)?;
            louzu::cli::log::run(
                &store,
                lang,
                building.as_deref(),
                since.as_deref(),
                kind.as_deref(),
                limit,
                json,
            )
        }
        Some(Command::Roster { cmd }) => {
            let mut store = open(&db)?;
            let rules = louzu::cli::rules(&store, &cadences, config_dir.as_deref(), lang);
            louzu::cli::roster::run(&mut store, cmd, lang, &rules, &out_dir)
        }
        Some(Command::Report { cmd }) => {
            let store = open(&db)?;
            louzu::cli::report::run(&store, cmd, &cadences, lang, &out_dir)
        }
        Some(Command::Completions { .. } | Command::Man) => Ok(()),
        Some(Command::Demo {
            no_tui,
            street,
            reset,
        }) => {
            let path = cli.db.unwrap_or_else(config::demo_db_path);
            let (store, opened) = match street {
                Some(n) => (
                    louzu::cli::demo::write_street_db(&path, n)?,
                    louzu::cli::demo::Opened::Street(n),
                ),
                None => louzu::cli::demo::open_demo(&path, reset)?,
            };
            if no_tui {
                eprintln!("{}", opened.message(&path, lang));
                louzu::out!("{}", path.display());
                return Ok(());
            }
            if matches!(
                opened,
                louzu::cli::demo::Opened::Reset | louzu::cli::demo::Opened::Kept
            ) {
                warnings.push(opened.message(&path, lang));
            }
            louzu::tui::run(store, opts(std::mem::take(&mut warnings)))
        }
        None => {
            let store = create(&db)?;
            louzu::tui::run(store, opts(warnings))
        }
    }
}

/// Opens the database, creating it (and its folder) when new.
fn create(path: &Path) -> anyhow::Result<Store> {
    Store::open(path).map_err(anyhow::Error::from)
}

/// Opens a database that must already exist.
fn open_existing(path: &Path, lang: Lang) -> anyhow::Result<Store> {
    if !path.exists() {
        anyhow::bail!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "没有找到数据库 {}：请检查 --db 或 LOUZU_DB 的路径（第一次使用请直接运行 louzu 完成设置，或 louzu demo 试用）",
                    path.display()
                ),
                Lang::En => format!(
                    "no database at {}: check the --db or LOUZU_DB path (on first use run louzu to set up, or louzu demo to try it)",
                    path.display()
                ),
            }
        );
    }
    Store::open(path).map_err(anyhow::Error::from)
}
