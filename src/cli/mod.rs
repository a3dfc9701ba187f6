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

use crate::i18n::Lang;

pub use crate::i18n::{Said, said};

/// An error as the interface language says it: each cause in the chain that knows both
/// languages (the commands' own, the domain's) gives its text in `lang`; the others give
/// their own text. Causes are joined with ": " as `{:#}` does.
pub fn error_message(e: &anyhow::Error, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = if let Some(s) = cause.downcast_ref::<Said>() {
            lang.pick(&s.zh, &s.en).to_string()
        } else if let Some(d) = cause.downcast_ref::<crate::domain::DomainError>() {
            d.message(lang)
        } else if let Some(n) = cause.downcast_ref::<crate::domain::need::NeedError>() {
            n.message(lang)
        } else if let Some(s) = cause.downcast_ref::<crate::store::StoreError>() {
            s.message(lang)
        } else {
            cause.to_string()
        };
        // thiserror messages often repeat their source; say each thing once.
        if !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

pub use crate::usecase::scope::building;

/// The rules every writing command applies, as the interface does: visit cadences from
/// config.toml and the 六个员 role set (its problems printed, the built-in set kept).
pub fn rules(
    store: &crate::store::Store,
    cadences: &crate::domain::cadence::Cadences,
    config_dir: Option<&std::path::Path>,
    lang: Lang,
) -> crate::usecase::Rules {
    let duties = crate::duty_config::load_for(store, config_dir);
    if let Some(w) = duties.warning {
        eprintln!("{}", w.message(lang));
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
    fn errors_are_said_in_the_interface_language() {
        let e = said("没有这个楼组", "no such building");
        assert_eq!(error_message(&e, Lang::Zh), "没有这个楼组");
        assert_eq!(error_message(&e, Lang::En), "no such building");
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        let e = building(&store, None).unwrap_err();
        assert!(error_message(&e, Lang::En).contains("no building yet"));
        assert!(error_message(&e, Lang::Zh).contains("还没有楼组"));
        let d = anyhow::Error::new(crate::domain::DomainError::BadDate("x".into()));
        assert!(!crate::text::has_cjk(&error_message(&d, Lang::En)));
        let plain = anyhow::anyhow!("disk on fire");
        assert_eq!(error_message(&plain, Lang::En), "disk on fire");
    }

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
