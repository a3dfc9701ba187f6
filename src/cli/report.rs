//! `louzu report …`: the typed request lives in `report::request`, shared with the
//! interface's report dialog; this prints what it wrote.

use crate::domain::cadence::Cadences;
use crate::i18n::Lang;
pub use crate::report::request::{ReportCmd, Written, default_out, execute, write_out};
use crate::store::Store;

/// `louzu report …`: writes the report (without `--out`, into the output folder), prints
/// its path on stdout (alone, for scripts) and the notes on stderr.
pub fn run(
    store: &Store,
    cmd: ReportCmd,
    cadences: &Cadences,
    lang: Lang,
    out_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let w = execute(store, cmd, cadences, lang, out_dir)?;
    crate::out!("{}", w.path.display());
    for n in &w.notes {
        eprintln!("{n}");
    }
    Ok(())
}
