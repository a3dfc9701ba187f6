//! Shell conventions: tab completion scripts and the man page, both generated from the one
//! clap definition of the command line so they never disagree with `--help`.

use std::io::Write;

use clap_complete::Shell;

/// Prints the completion script for `shell` to standard output
/// (`louzu completions bash > /etc/bash_completion.d/louzu`).
pub fn completions(mut cmd: clap::Command, shell: Shell) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "louzu", &mut buf);
    write_stdout(&buf)
}

/// Prints the man page (roff) to standard output (`louzu man > louzu.1`).
pub fn man(cmd: clap::Command) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    write_stdout(&buf)
}

/// Writes it all at once, so a closed pipe is one error `main` can treat as quiet.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}
