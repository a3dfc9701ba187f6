//! Command implementations behind `louzu`'s subcommands; `main.rs` only parses and picks.

/// Prints a line to standard output, returning the error instead of panicking, so
/// `louzu log | head` ends quietly when `head` closes the pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))?
    };
}

/// Writes one line to standard output (see [`out!`]).
pub fn write_line(args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_fmt(args)?;
    stdout.write_all(b"\n")
}

/// Whether an error is only the reader closing the pipe (not worth a message).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub mod demo;
pub mod duties;
pub mod log;
pub mod report;
pub mod roster;
pub mod script;
pub mod sync;
pub mod visits;

pub use crate::usecase::scope::building;

/// The rules every writing command applies, as the interface does: visit cadences from
/// config.toml and the 六个员 role set (its problems printed, the built-in set kept).
pub fn rules(
    store: &crate::store::Store,
    cadences: &crate::domain::cadence::Cadences,
    config_dir: Option<&std::path::Path>,
) -> crate::usecase::Rules {
    let duties = crate::duty_config::load_for(store, config_dir);
    if let Some(w) = duties.warning {
        eprintln!("{w}");
    }
    crate::usecase::Rules {
        cadences: cadences.clone(),
        duties: duties.set,
    }
}
