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

use crate::store::{BuildingRow, Store};

/// The building a command works on: the one named (`--building`, name or id), else the
/// current one of the interface, else the only/first one.
pub fn current_building(store: &Store, named: Option<&str>) -> anyhow::Result<BuildingRow> {
    let all = store.buildings()?;
    if let Some(n) = named {
        return all
            .into_iter()
            .find(|b| b.id == n || b.name == n)
            .ok_or_else(|| anyhow::anyhow!("没有楼组「{n}」 / no building named \"{n}\""));
    }
    let saved = store.local_setting("building")?;
    let pick = saved
        .and_then(|s| all.iter().position(|b| b.id == s))
        .unwrap_or(0);
    all.into_iter().nth(pick).ok_or_else(|| {
        anyhow::anyhow!("还没有楼组：先运行 louzu 设置 / no building yet: run louzu first")
    })
}
