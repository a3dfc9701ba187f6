//! One key as written in a keymap file and as received from the terminal.
//!
//! Both sides are brought to the same normal form so comparing is `==`: `G` and
//! shift+`g` are the same key, `BackTab` with or without SHIFT is `backtab`, and full-width
//! characters typed through a Chinese IME (`？`, `１`, `ｑ`) are their ASCII keys.

use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, normalised so a binding and a terminal event compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    /// The key; characters are case-significant (`G` is shift+g).
    pub code: KeyCode,
    /// Only CONTROL and ALT (and SHIFT for non-character keys such as shift-up).
    pub modifiers: KeyModifiers,
}

/// Why a key string from a keymap file could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// `""` or only modifiers (`"ctrl-"`).
    Empty,
    /// A multi-character name that is not a known key (`"pgupp"`, `"f13"`).
    UnknownName(String),
    /// `shift-` before a character that is not a letter: which character shift gives
    /// depends on the keyboard layout, so write the character itself (`"?"`).
    ShiftWithSymbol(char),
}

impl KeyError {
    /// The reason in Chinese, for the warning shown to the user.
    pub fn reason_zh(&self) -> String {
        match self {
            KeyError::Empty => "按键为空".to_string(),
            KeyError::UnknownName(name) => format!("不认识的按键名 \"{name}\""),
            KeyError::ShiftWithSymbol(c) => {
                format!("shift 只能配字母或功能键；请直接写出字符，不要写 shift-{c}")
            }
        }
    }

    /// The reason in English.
    pub fn reason_en(&self) -> String {
        match self {
            KeyError::Empty => "empty key".to_string(),
            KeyError::UnknownName(name) => format!("unknown key name \"{name}\""),
            KeyError::ShiftWithSymbol(c) => {
                format!(
                    "shift only goes with letters and named keys; write the character instead of shift-{c}"
                )
            }
        }
    }
}

/// Named keys as written in keymap files: (name, code). The first name of a code is the
/// one written back by `Display`.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("backspace", KeyCode::Backspace),
    ("space", KeyCode::Char(' ')),
];

/// Modifier prefixes accepted in key strings, with `-` or `+` after them.
const PREFIXES: &[(&str, KeyModifiers)] = &[
    ("ctrl", KeyModifiers::CONTROL),
    ("control", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
];

/// Maps what a Chinese IME in Chinese mode sends for a key to the ASCII character on that
/// key, so `？` opens help and `１` focuses the roster without switching the IME.
pub fn fold_ime_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        '。' => '.',
        '【' => '[',
        '】' => ']',
        '《' => '<',
        '》' => '>',
        '·' => '`',
        '￥' => '$',
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        _ => c,
    }
}

impl KeyBinding {
    /// Normalises a terminal key event so it can be compared with bindings.
    ///
    /// Folds IME full-width characters, treats shift+letter as the uppercase letter, drops
    /// the SHIFT that terminals attach to `?`, `G` or BackTab, and ignores modifiers louzu
    /// never binds (super, hyper, meta).
    pub fn from_event(event: &KeyEvent) -> Self {
        Self::normalise(event.code, event.modifiers)
    }

    fn normalise(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                let c = fold_ime_char(c);
                let c = if modifiers.contains(KeyModifiers::SHIFT) {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, modifiers }
    }

    /// Whether this key types text (a character without Ctrl/Alt), so a form or search box
    /// can give it to the text field before looking at global bindings.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// How the key is shown in the help overlay and status bar (`Ctrl-S`, `PgUp`, `↑`).
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::Insert => out.push_str("Ins"),
            KeyCode::Delete => out.push_str("Del"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

impl FromStr for KeyBinding {
    type Err = KeyError;

    /// Parses keymap-file syntax: `q`, `G`, `?`, `ctrl-c`, `alt-x`, `shift-tab`, `f5`,
    /// `pageup`, `space`. Prefixes and names are case-insensitive; a single character is
    /// taken as written.
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let mut rest = s.trim();
        let mut modifiers = KeyModifiers::NONE;
        'prefixes: loop {
            for (prefix, modifier) in PREFIXES {
                let Some(head) = rest.get(..prefix.len()) else {
                    continue;
                };
                let after = &rest[prefix.len()..];
                let mut tail = after.chars();
                if head.eq_ignore_ascii_case(prefix)
                    && matches!(tail.next(), Some('-' | '+'))
                    && !tail.as_str().is_empty()
                {
                    modifiers |= *modifier;
                    rest = tail.as_str();
                    continue 'prefixes;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(KeyError::Empty),
            (Some(c), None) => {
                let c = fold_ime_char(c);
                if modifiers.contains(KeyModifiers::SHIFT) && !c.is_ascii_alphabetic() {
                    return Err(KeyError::ShiftWithSymbol(c));
                }
                KeyCode::Char(c)
            }
            _ => named(rest).ok_or_else(|| KeyError::UnknownName(rest.to_string()))?,
        };
        Ok(Self::normalise(code, modifiers))
    }
}

/// Looks up a multi-character key name (`enter`, `f12`).
fn named(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if let Some(&(_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
        return Some(code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for KeyBinding {
    /// Writes the key back in keymap-file syntax, so parsing it again gives the same key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{code:?}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn key(s: &str) -> KeyBinding {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyBinding {
        let mut e = KeyEvent::new(code, modifiers);
        e.kind = KeyEventKind::Press;
        KeyBinding::from_event(&e)
    }

    #[test]
    fn parses_characters_modifiers_and_names() {
        assert_eq!(key("q").code, KeyCode::Char('q'));
        assert_eq!(key("G").code, KeyCode::Char('G'));
        assert_eq!(key("shift-g"), key("G"));
        assert_eq!(key("ctrl-c").modifiers, KeyModifiers::CONTROL);
        assert_eq!(key("Ctrl+C"), key("ctrl-C"));
        assert_eq!(key("ctrl--").code, KeyCode::Char('-'));
        assert_eq!(key("-").code, KeyCode::Char('-'));
        assert_eq!(key("alt-enter").modifiers, KeyModifiers::ALT);
        assert_eq!(key("shift-tab"), key("backtab"));
        assert_eq!(key("PageUp").code, KeyCode::PageUp);
        assert_eq!(key("f12").code, KeyCode::F(12));
        assert_eq!(key("space").code, KeyCode::Char(' '));
        assert_eq!(key("shift-up").modifiers, KeyModifiers::SHIFT);
        assert_eq!(key("？"), key("?"));
    }

    #[test]
    fn rejects_bad_keys() {
        assert_eq!("".parse::<KeyBinding>(), Err(KeyError::Empty));
        assert_eq!(
            "ctrl-".parse::<KeyBinding>(),
            Err(KeyError::UnknownName("ctrl-".into()))
        );
        assert_eq!(
            "f13".parse::<KeyBinding>(),
            Err(KeyError::UnknownName("f13".into()))
        );
        assert_eq!(
            "pgupp".parse::<KeyBinding>(),
            Err(KeyError::UnknownName("pgupp".into()))
        );
        assert_eq!(
            "shift-1".parse::<KeyBinding>(),
            Err(KeyError::ShiftWithSymbol('1'))
        );
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "q", "G", "?", "ctrl-c", "alt-x", "backtab", "pageup", "f5", "space", "shift-up",
        ] {
            assert_eq!(key(s).to_string(), s);
            assert_eq!(key(&key(s).to_string()), key(s));
        }
    }

    #[test]
    fn events_normalise_like_bindings() {
        assert_eq!(event(KeyCode::Char('G'), KeyModifiers::SHIFT), key("G"));
        assert_eq!(event(KeyCode::Char('g'), KeyModifiers::SHIFT), key("G"));
        assert_eq!(event(KeyCode::Char('G'), KeyModifiers::NONE), key("G"));
        assert_eq!(event(KeyCode::Char('?'), KeyModifiers::SHIFT), key("?"));
        assert_eq!(event(KeyCode::BackTab, KeyModifiers::SHIFT), key("backtab"));
        assert_eq!(event(KeyCode::Tab, KeyModifiers::SHIFT), key("backtab"));
        assert_eq!(
            event(KeyCode::Char('c'), KeyModifiers::CONTROL),
            key("ctrl-c")
        );
        assert_eq!(event(KeyCode::Char('？'), KeyModifiers::NONE), key("?"));
        assert_eq!(event(KeyCode::Char('１'), KeyModifiers::NONE), key("1"));
        assert_eq!(event(KeyCode::Char('ｑ'), KeyModifiers::NONE), key("q"));
        assert_eq!(event(KeyCode::Char('／'), KeyModifiers::NONE), key("/"));
        assert_eq!(event(KeyCode::Char('：'), KeyModifiers::NONE), key(":"));
        assert_eq!(event(KeyCode::Char('Ｇ'), KeyModifiers::SHIFT), key("G"));
        assert_ne!(event(KeyCode::Char('g'), KeyModifiers::NONE), key("G"));
        assert_eq!(event(KeyCode::Up, KeyModifiers::SUPER), key("up"));
    }

    #[test]
    fn labels_are_readable() {
        assert_eq!(key("ctrl-s").label(), "Ctrl-s");
        assert_eq!(key("backtab").label(), "Shift-Tab");
        assert_eq!(key("up").label(), "↑");
        assert_eq!(key("pagedown").label(), "PgDn");
        assert_eq!(key("f1").label(), "F1");
    }

    #[test]
    fn text_keys_are_recognised() {
        assert!(key("q").is_text());
        assert!(key("G").is_text());
        assert!(!key("ctrl-q").is_text());
        assert!(!key("f1").is_text());
    }
}
