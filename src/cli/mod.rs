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
    e.chain()
        .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(pipe_closed))
}

/// Windows' `ERROR_PIPE_NOT_CONNECTED`: what writing to a pipe whose reader has gone can
/// also return there (`louzu log | more` quit early); std does not map it to `BrokenPipe`.
const WINDOWS_PIPE_NOT_CONNECTED: i32 = 233;

/// A write failed because the reader went away, on any platform.
fn pipe_closed(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::BrokenPipe
        || (cfg!(windows) && io.raw_os_error() == Some(WINDOWS_PIPE_NOT_CONNECTED))
}

pub mod demo;
pub mod duties;
pub mod log;
pub mod report;
pub mod roster;
pub mod script;
pub mod shell;
pub mod sync;
pub mod visits;

use anyhow::{Context, bail};

use crate::store::Store;

/// The building a command works on: `--building` (name or id), else the current one, else
/// the only one.
pub fn building(store: &Store, wanted: Option<&str>) -> anyhow::Result<String> {
    let all = store.building_names()?;
    if let Some(w) = wanted {
        return all
            .iter()
            .find(|(id, name)| id == w || name == w)
            .map(|(id, _)| id.clone())
            .with_context(|| {
                format!("no building named \"{w}\" (没有这个楼组); see the TUI picker (b)")
            });
    }
    if let Some(cur) = store.local_setting("building")?
        && all.iter().any(|(id, _)| *id == cur)
    {
        return Ok(cur);
    }
    match all.as_slice() {
        [(one, _)] => Ok(one.clone()),
        [] => bail!("this database has no building yet (还没有楼组): run `louzu` to set one up"),
        many => bail!(
            "this database holds {} buildings; choose one with --building NAME (例如 {})",
            many.len(),
            many[0].1
        ),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_quiet_and_other_errors_are_not() {
        let broken = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the log");
        assert!(is_broken_pipe(&broken));
        let full = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(!is_broken_pipe(&full));
        // 233 is Windows' "pipe not connected"; elsewhere the number means something else.
        let e233 = anyhow::Error::new(std::io::Error::from_raw_os_error(233));
        assert_eq!(is_broken_pipe(&e233), cfg!(windows));
    }
}
