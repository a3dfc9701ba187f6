//! Shared by the interface tests: the demo building in a temp database, the screen as
//! text (wide characters counted once), and typing a string as an IME would commit it.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::action::Action;
use super::app::App;
use super::{Options, dispatch, draw, start};
use crate::i18n::Lang;
use crate::store::Store;
use crate::text::width;

/// The demo building, opened as the leader 曾国华 would.
pub fn demo() -> (tempfile::TempDir, Store, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("demo.db")).unwrap();
    s.set_owner_name("曾国华").unwrap();
    let b = crate::demo::write_demo(&mut s).unwrap();
    s.set_local_setting("building", &b).unwrap();
    let app = start(&s, Options::defaults(Lang::Zh)).unwrap();
    (dir, s, app)
}

/// The screen at `w`×`h` as rows of text.
pub fn rows(app: &App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += width(sym).max(1) as u16;
            }
            line
        })
        .collect()
}

/// The screen as one string, rows ending in newlines.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut out = rows(app, w, h).join("\n");
    out.push('\n');
    out
}

/// Types `text` character by character.
pub fn typed(s: &mut Store, app: &mut App, text: &str) {
    for c in text.chars() {
        dispatch(s, app, Action::Type(c));
    }
}
