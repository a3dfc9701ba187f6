//! Shell conventions: tab completion scripts and the man page, both generated from the one
//! clap definition of the command line so they never disagree with `--help`.

use std::io::Write;

use crate::i18n::Lang;
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

/// When louzu.exe was started by a double-click, Windows gave it a console window of its
/// own that closes the moment louzu exits, so an error message would flash by unread.
/// Then (only then: never in a terminal or a script) wait for Enter before exiting.
#[cfg(windows)]
pub fn hold_own_console(lang: Lang) {
    let mut list = [0u32; 2];
    // SAFETY: the buffer holds `list.len()` u32s, as the count passed says; the call only
    // writes process ids into it and returns how many processes share the console.
    let n =
        unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(list.as_mut_ptr(), 2) };
    if n == 1 {
        eprintln!(
            "{}",
            lang.pick(
                "按回车键关闭这个窗口。",
                "Press Enter to close this window."
            )
        );
        let _ = std::io::stdin().read_line(&mut String::new());
    }
}

/// Elsewhere a terminal outlives louzu: nothing to hold.
#[cfg(not(windows))]
pub fn hold_own_console(_lang: Lang) {}
