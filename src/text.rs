//! Display-width helpers for Chinese text.
//!
//! A terminal cell is not a byte and not a `char`: 张 takes two columns, `a` one, and an
//! emoji family several code points but two columns. Every truncation, padding and cursor
//! position in louzu goes through this module so that names like "张三丰" never get cut in
//! half or push a table column out of line. Widths are measured per grapheme cluster with
//! `unicode-width`, the same rule ratatui uses when it draws, so what we compute is what the
//! terminal shows.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The mark appended when text is cut, so a reader knows there is more.
///
/// `…` is one column in ratatui's (non-CJK) width table, which is the table the screen
/// buffer uses; using the same table keeps our arithmetic and the drawn buffer in step.
const ELLIPSIS: &str = "…";

/// 1-based line number of a byte offset in a file's text, for messages that point at the
/// line a config or theme file went wrong on. Counts bytes, so an offset inside a Chinese
/// character can never panic.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Full-width ASCII forms (`１２`, `－`, `：`, `／`, `，`) and the ideographic space turned
/// into their plain forms, so what a Chinese IME types in full-width mode counts the same
/// as plain digits and punctuation. Text without such characters is borrowed unchanged.
pub fn halfwidth(s: &str) -> Cow<'_, str> {
    fn plain(c: char) -> Option<char> {
        match c {
            '\u{3000}' => Some(' '),
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            _ => None,
        }
    }
    if !s.chars().any(|c| plain(c).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| plain(c).unwrap_or(c)).collect())
}

/// Whether text holds Chinese (or other CJK) characters or CJK punctuation: what an
/// English screen or message must not show outside the user's own data.
pub fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3000..=0x303F // CJK punctuation: 、。「」
            | 0x3040..=0x30FF // kana
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFFEF // full-width forms: ，：（）
            | 0x20000..=0x2FFFF)
    })
}

/// Columns a string occupies on screen, so layouts can be computed in cells, not bytes.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Columns one grapheme cluster occupies.
///
/// Control characters and zero-width clusters have no visible cell; we count them as 0 so
/// a stray `\u{200b}` cannot shift a column.
fn grapheme_width(g: &str) -> usize {
    if g.chars().all(char::is_control) {
        0
    } else {
        g.width()
    }
}

/// Shortens text to at most `max_cols` columns, ending in `…` when anything was cut.
///
/// Tables of names and addresses must stay aligned whatever the data; this never splits a
/// wide character (a half 张 would corrupt the row), so the result can be one column narrower
/// than `max_cols`. Text that already fits is borrowed unchanged.
pub fn truncate(s: &str, max_cols: usize) -> Cow<'_, str> {
    if width(s) <= max_cols {
        return Cow::Borrowed(s);
    }
    if max_cols == 0 {
        return Cow::Borrowed("");
    }
    let budget = max_cols - width(ELLIPSIS);
    let mut used = 0;
    let mut end = 0;
    for (idx, g) in s.grapheme_indices(true) {
        let w = grapheme_width(g);
        if used + w > budget {
            break;
        }
        used += w;
        end = idx + g.len();
    }
    let mut out = String::with_capacity(end + ELLIPSIS.len());
    out.push_str(&s[..end]);
    out.push_str(ELLIPSIS);
    Cow::Owned(out)
}

/// Splits text into lines of at most `cols` columns, for a message that must be read
/// whole (a warning over a form). English breaks at the last space that fits; Chinese,
/// which has none, between any two characters.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > cols {
            // Carry the word being cut to the next line when the line has a space.
            let carry = match line.rfind(' ') {
                Some(at) if at > 0 => line.split_off(at + 1),
                _ => String::new(),
            };
            lines.push(line.trim_end().to_string());
            used = width(&carry);
            line = carry;
        }
        line.push_str(g);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Truncates, then pads with spaces to exactly `cols` columns.
///
/// Fixed-width cells (table columns, status-bar slots) need text of an exact width; padding
/// by `chars().count()` would misalign every row that contains Chinese.
pub fn pad_right(s: &str, cols: usize) -> String {
    let cut = truncate(s, cols);
    let w = width(&cut);
    let mut out = String::with_capacity(cut.len() + cols.saturating_sub(w));
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// A table cell: the text cut (with `…`) so that at least one space is left, padded to
/// exactly `cols` columns. Columns of names fill their width exactly (欧阳秀兰 is 8 wide):
/// without the space a row reads 欧阳秀兰女 1945.
pub fn cell(s: &str, cols: usize) -> String {
    pad_right(&truncate(s, cols.saturating_sub(1)), cols)
}

/// How wide a table column should be: its widest cell plus the space between columns,
/// kept within `min..=max` so one long name cannot push the rest off the screen.
pub fn column_width<'a>(cells: impl IntoIterator<Item = &'a str>, min: usize, max: usize) -> usize {
    let widest = cells.into_iter().map(width).max().unwrap_or(0);
    (widest + 1).clamp(min, max.max(min))
}

/// Screen column of a cursor placed after the first `char_idx` characters.
///
/// Terminal cursors are positioned in columns; an edit buffer counts characters. An index
/// past the end gives the width of the whole string.
pub fn cursor_col(s: &str, char_idx: usize) -> usize {
    width(&s[..byte_of(s, char_idx)])
}

/// Byte offset of the `char_idx`-th character, clamped to the end of the string.
fn byte_of(s: &str, char_idx: usize) -> usize {
    s.char_indices()
        .nth(char_idx)
        .map_or(s.len(), |(byte, _)| byte)
}

/// A single-line edit buffer for form fields (姓名, 房号, 备注…).
///
/// Forms need more than `String::push`: a cursor that moves over 张 as one step, pasted or
/// IME-committed phrases inserted at once, and a horizontally scrolled view when the text is
/// wider than the box. The cursor is a character index so callers can store and compare it
/// cheaply; every movement steps over whole grapheme clusters so it never lands inside one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    /// The text being edited; always a single line (inserted line breaks become spaces).
    pub value: String,
    /// Cursor position as a number of characters before it (0 = start of line).
    pub cursor: usize,
}

impl LineInput {
    /// Starts editing existing text with the cursor at the end, as a form opened for
    /// editing expects.
    pub fn new(value: impl Into<String>) -> Self {
        let value = sanitize(&value.into()).into_owned();
        let cursor = value.chars().count();
        Self { value, cursor }
    }

    /// Byte offset of the cursor, clamped so a cursor set out of range cannot panic.
    fn cursor_byte(&self) -> usize {
        byte_of(&self.value, self.cursor)
    }

    /// Types one character at the cursor.
    pub fn insert_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.insert_str(c.encode_utf8(&mut buf));
    }

    /// Inserts several characters at once, as a paste or an IME commit (输入法上屏) delivers
    /// them; line breaks and other control characters become spaces so the field stays one
    /// line.
    pub fn insert_str(&mut self, s: &str) {
        let clean = sanitize(s);
        let at = self.cursor_byte();
        self.cursor = self.value[..at].chars().count() + clean.chars().count();
        self.value.insert_str(at, &clean);
    }

    /// Deletes the grapheme before the cursor (Backspace).
    pub fn backspace(&mut self) {
        let at = self.cursor_byte();
        if let Some(g) = self.value[..at].graphemes(true).next_back() {
            let start = at - g.len();
            self.value.replace_range(start..at, "");
            self.cursor = self.value[..start].chars().count();
        }
    }

    /// Deletes the grapheme under the cursor (Delete).
    pub fn delete(&mut self) {
        let at = self.cursor_byte();
        if let Some(g) = self.value[at..].graphemes(true).next() {
            let end = at + g.len();
            self.value.replace_range(at..end, "");
            self.cursor = self.value[..at].chars().count();
        }
    }

    /// Moves the cursor one grapheme left.
    pub fn left(&mut self) {
        let at = self.cursor_byte();
        if let Some(g) = self.value[..at].graphemes(true).next_back() {
            self.cursor = self.value[..at - g.len()].chars().count();
        }
    }

    /// Moves the cursor one grapheme right.
    pub fn right(&mut self) {
        let at = self.cursor_byte();
        if let Some(g) = self.value[at..].graphemes(true).next() {
            self.cursor = self.value[..at + g.len()].chars().count();
        }
    }

    /// Moves the cursor to the start of the line.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves the cursor to the end of the line.
    pub fn end(&mut self) {
        self.cursor = self.value.chars().count();
    }

    /// The part of the text to draw in a box `cols` columns wide, and the cursor's column
    /// inside it.
    ///
    /// Long addresses or notes do not fit a form field; the view scrolls horizontally just
    /// enough to keep the cursor and the grapheme under it visible, showing as much text
    /// before the cursor as fits. It is computed from the buffer alone (no stored scroll
    /// offset), so drawing needs only `&self`.
    pub fn visible(&self, cols: usize) -> (String, usize) {
        if cols == 0 {
            return (String::new(), 0);
        }
        let at = self.cursor_byte();
        let (before, after) = self.value.split_at(at);
        // The cursor needs its own cell even at the end of the line.
        let under = after
            .graphemes(true)
            .next()
            .map_or(1, grapheme_width)
            .max(1);
        if under > cols {
            return (String::new(), 0);
        }
        // Walk left from the cursor taking as much of the text before it as fits.
        let mut start = at;
        let mut col = 0;
        for g in before.graphemes(true).rev() {
            let w = grapheme_width(g);
            if col + w + under > cols {
                break;
            }
            col += w;
            start -= g.len();
        }
        // Then fill the rest of the box with the text after the cursor.
        let mut end = at;
        let mut used = col;
        for g in after.graphemes(true) {
            let w = grapheme_width(g);
            if used + w > cols {
                break;
            }
            used += w;
            end += g.len();
        }
        (self.value[start..end].to_string(), col)
    }
}

/// Replaces line breaks, tabs and other control characters with a space so a pasted block
/// stays a single visible line.
fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_control) {
        Cow::Owned(
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn wrap_keeps_every_character_within_the_width() {
        let zh = wrap("注意：以下诉求还没有办结，确认达成前请先核实", 10);
        assert!(zh.iter().all(|l| width(l) <= 10), "{zh:?}");
        assert_eq!(zh.concat(), "注意：以下诉求还没有办结，确认达成前请先核实");
        let en = wrap("these needs are still open; check", 12);
        assert_eq!(en, ["these needs", "are still", "open; check"]);
    }

    use super::*;

    const ADDR: &str = "张三丰住在1-302室";

    #[test]
    fn halfwidth_turns_full_width_forms_plain() {
        assert_eq!(halfwidth("１２"), "12");
        assert_eq!(halfwidth("２０２６－１２／５：，！"), "2026-12/5:,!");
        assert_eq!(halfwidth("张\u{3000}三"), "张 三");
        assert!(matches!(halfwidth("张三 12"), Cow::Borrowed(_)));
        // Chinese punctuation that is not a full-width ASCII form stays as typed.
        assert_eq!(halfwidth("、。"), "、。");
        assert!(has_cjk("a、b") && has_cjk("（") && has_cjk("张") && has_cjk("ｘ"));
        assert!(!has_cjk("café … — ✓ ⚠ ∞ ↻"));
    }

    #[test]
    fn width_counts_cjk_as_two_columns() {
        assert_eq!(width(""), 0);
        assert_eq!(width("abc"), 3);
        assert_eq!(width("张三丰"), 6);
        // 张三丰住在 = 10, "1-302" = 5, 室 = 2
        assert_eq!(width(ADDR), 17);
        // full-width digits are wide too
        assert_eq!(width("１０１"), 6);
    }

    #[test]
    fn width_treats_emoji_cluster_as_one_grapheme() {
        // family emoji: several code points, one grapheme, two columns
        assert_eq!(width("👨\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(width("a\u{200b}b"), 2);
    }

    #[test]
    fn truncate_keeps_text_that_fits() {
        assert!(matches!(truncate(ADDR, 17), Cow::Borrowed(_)));
        assert_eq!(truncate(ADDR, 40), ADDR);
    }

    #[test]
    fn truncate_never_splits_a_wide_char() {
        // 4 columns: one char (2) + … (1) = 3; 三 would need 2 more
        assert_eq!(truncate(ADDR, 4), "张…");
        assert_eq!(truncate(ADDR, 5), "张三…");
        assert_eq!(truncate(ADDR, 12), "张三丰住在1…");
        assert_eq!(truncate(ADDR, 1), "…");
        assert_eq!(truncate(ADDR, 0), "");
        for cols in 0..20 {
            assert!(width(&truncate(ADDR, cols)) <= cols, "cols {cols}");
        }
    }

    #[test]
    fn truncate_keeps_emoji_cluster_whole() {
        let s = "👨\u{200d}👩\u{200d}👧王家";
        assert_eq!(truncate(s, 4), "👨\u{200d}👩\u{200d}👧…");
        assert_eq!(truncate(s, 2), "…");
    }

    #[test]
    fn a_cell_always_leaves_a_space_and_a_column_fits_its_widest_cell() {
        assert_eq!(cell("欧阳秀兰", 8), "欧阳秀… ");
        assert_eq!(cell("欧阳秀兰", 9), "欧阳秀兰 ");
        assert_eq!(cell("", 3), "   ");
        for cols in 0..20 {
            let c = cell(ADDR, cols);
            assert_eq!(width(&c), cols, "cols {cols}");
            assert!(cols == 0 || c.ends_with(' '), "cols {cols}: {c}");
        }
        assert_eq!(column_width(["张三", "欧阳秀兰"], 4, 12), 9);
        assert_eq!(column_width(["新成路56弄7号楼的一个很长的名字"], 4, 12), 12);
        assert_eq!(column_width([], 4, 12), 4);
    }

    #[test]
    fn pad_right_gives_exact_width() {
        assert_eq!(pad_right("张三", 6), "张三  ");
        assert_eq!(pad_right("张三丰", 5), "张三…");
        // 张… is 3 wide, one space fills the fourth column
        assert_eq!(pad_right("张三丰", 4), "张… ");
        for cols in 0..20 {
            assert_eq!(width(&pad_right(ADDR, cols)), cols, "cols {cols}");
        }
    }

    #[test]
    fn cursor_col_counts_columns_before_cursor() {
        assert_eq!(cursor_col(ADDR, 0), 0);
        assert_eq!(cursor_col(ADDR, 1), 2);
        assert_eq!(cursor_col(ADDR, 5), 10);
        assert_eq!(cursor_col(ADDR, 6), 11);
        assert_eq!(cursor_col(ADDR, 11), 17);
        assert_eq!(cursor_col(ADDR, 99), 17);
    }

    #[test]
    fn line_input_edits_chinese_text() {
        let mut input = LineInput::default();
        input.insert_str("张丰");
        input.left();
        input.insert_char('三');
        assert_eq!(input.value, "张三丰");
        assert_eq!(input.cursor, 2);
        input.end();
        input.insert_str("住在1-302室");
        assert_eq!(input.value, ADDR);
        assert_eq!(input.cursor, 11);
        input.backspace();
        assert_eq!(input.value, "张三丰住在1-302");
        input.home();
        input.delete();
        assert_eq!(input.value, "三丰住在1-302");
        assert_eq!(input.cursor, 0);
        input.backspace();
        input.left();
        assert_eq!(input.cursor, 0);
        input.end();
        input.right();
        input.delete();
        assert_eq!(input.cursor, 9);
    }

    #[test]
    fn line_input_paste_becomes_one_line() {
        let mut input = LineInput::new("备注");
        input.insert_str("第一行\n第二行\t完");
        assert_eq!(input.value, "备注第一行 第二行 完");
        assert_eq!(input.cursor, 11);
    }

    #[test]
    fn line_input_moves_over_whole_grapheme() {
        let mut input = LineInput::new("e\u{301}x");
        assert_eq!(input.cursor, 3);
        input.left();
        assert_eq!(input.cursor, 2);
        input.left();
        assert_eq!(input.cursor, 0);
        input.right();
        assert_eq!(input.cursor, 2);
        input.backspace();
        assert_eq!(input.value, "x");
    }

    #[test]
    fn line_input_survives_out_of_range_cursor() {
        let mut input = LineInput {
            value: "张三".into(),
            cursor: 42,
        };
        input.insert_char('丰');
        assert_eq!(input.value, "张三丰");
        assert_eq!(input.cursor, 3);
        input.cursor = 42;
        input.backspace();
        assert_eq!(input.value, "张三");
    }

    #[test]
    fn visible_shows_everything_when_it_fits() {
        let input = LineInput::new("张三");
        assert_eq!(input.visible(10), ("张三".to_string(), 4));
        // the cursor at the end needs one more column
        assert_eq!(input.visible(5), ("张三".to_string(), 4));
    }

    #[test]
    fn visible_scrolls_to_keep_cursor_in_view() {
        let mut input = LineInput::new(ADDR);
        // cursor at end: last 9 columns of text + cursor cell
        let (shown, col) = input.visible(10);
        assert_eq!(shown, "在1-302室");
        assert_eq!(col, 10 - 1);
        // wide chars never split: 8 columns can hold "1-302室" (7) + cursor
        let (shown, col) = input.visible(8);
        assert_eq!(shown, "1-302室");
        assert_eq!(col, 7);
        input.home();
        let (shown, col) = input.visible(7);
        assert_eq!(shown, "张三丰");
        assert_eq!(col, 0);
        for cols in 1..20 {
            for cursor in 0..=11 {
                input.cursor = cursor;
                let (shown, col) = input.visible(cols);
                assert!(width(&shown) <= cols, "cols {cols} cursor {cursor}");
                assert!(col < cols, "cols {cols} cursor {cursor}");
            }
        }
    }

    #[test]
    fn visible_cursor_on_wide_char_keeps_it_whole() {
        let mut input = LineInput::new(ADDR);
        input.cursor = 2; // on 丰
        let (shown, col) = input.visible(4);
        assert_eq!(shown, "三丰");
        assert_eq!(col, 2);
        assert_eq!(input.visible(1), (String::new(), 0));
        assert_eq!(input.visible(0), (String::new(), 0));
    }
}
