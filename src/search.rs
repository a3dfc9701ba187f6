//! Pinyin-aware search (拼音检索) over names, rooms and tags.
//!
//! A leader looking for 张三 types `zs`, `zhangsan`, `zhangs` or `张` — often with a Chinese
//! IME still in full-width mode. Each record's text is turned once into a [`SearchKey`]
//! (lowercased text, full pinyin, initials, per-character readings); each keystroke builds a
//! [`Query`]. Matching a query against a key allocates nothing, so filtering a whole street
//! (150,000 residents) stays well inside one frame.
//!
//! Polyphonic characters (多音字: 曾, 单, 解, 长…) match under every reading. Full-pinyin and
//! initials strings are built for every combination of readings while there are at most
//! [`MAX_COMBINATIONS`]; past that only the first reading is spelled out, but the per-syllable
//! matcher still knows all readings.

use pinyin::{Pinyin, ToPinyinMulti};

/// Upper bound on spelled-out reading combinations for one key, so a long text full of
/// 多音字 cannot blow up memory (2 readings × 20 chars would be a million strings).
pub const MAX_COMBINATIONS: usize = 16;

/// Separates the parts of [`SearchKey::haystack`]; queries never contain it, so one
/// substring search over the haystack never matches across parts.
const SEP: char = '\0';

/// One character of the original text, as the syllable matcher sees it.
#[derive(Debug, Clone, Copy)]
struct Unit {
    /// The character itself, normalised (lowercase, half-width).
    ch: char,
    /// Letters a reading of this character can start with (bit 0 = `a`), so the matcher
    /// skips characters that cannot begin a term without looking at their readings.
    first: u32,
    /// Range into [`SearchKey::readings`] of this character's distinct pinyin readings
    /// (empty for anything that is not a Chinese character).
    start: u16,
    len: u16,
}

/// Precomputed search data for one piece of text (a resident's name, a room, a tag list).
///
/// Build it when the record is loaded, not per keystroke: turning characters into pinyin is
/// the expensive part, and doing it once is what makes live filtering cheap.
#[derive(Debug, Clone)]
pub struct SearchKey {
    /// Which characters occur anywhere in the key (see [`char_bit`]); a term with a character
    /// outside this set cannot match, which rejects most keys with one AND.
    mask: u64,
    /// `text \0 pinyin₁ \0 pinyin₂ … \0 initials₁ \0 initials₂ …`, all lowercase, so most
    /// queries are answered by one substring search.
    haystack: Box<str>,
    /// Byte length of the normalised text at the start of `haystack`, for scoring.
    text_len: usize,
    units: Box<[Unit]>,
    readings: Box<[&'static str]>,
}

impl SearchKey {
    /// Precomputes the lowercase text, full pinyin (张三 → `zhangsan`) and initials (`zs`)
    /// for every combination of readings of polyphonic characters (bounded).
    pub fn new(text: &str) -> Self {
        let mut units = Vec::with_capacity(text.chars().count());
        let mut readings: Vec<&'static str> = Vec::with_capacity(units.capacity());
        let mut haystack = String::with_capacity(text.len() * 4);
        let mut mask = 0u64;
        for c in text.chars().filter_map(normalise_char) {
            for ch in lowercase(c) {
                haystack.push(ch);
                mask |= char_bit(ch);
                let start = readings.len();
                let mut first = 0u32;
                // Readings are indexed by u16; a text long enough to exceed that (thousands of
                // characters, never a name) keeps pinyin for its beginning only.
                let room = start + 64 < usize::from(u16::MAX);
                if let Some(multi) = ch.to_pinyin_multi().filter(|_| room) {
                    for p in multi.into_iter().map(Pinyin::plain) {
                        if !readings[start..].contains(&p) {
                            readings.push(p);
                            for letter in p.chars() {
                                mask |= pinyin_bits(letter);
                            }
                            if let Some(letter) = p.chars().next() {
                                first |= letter_bits(letter);
                            }
                        }
                    }
                }
                units.push(Unit {
                    ch,
                    first,
                    start: u16::try_from(start).unwrap_or(0),
                    len: u16::try_from(readings.len() - start).unwrap_or(0),
                });
            }
        }

        let text_len = haystack.len();
        if units.iter().any(|u| u.len > 0) {
            let combos = units
                .iter()
                .try_fold(1usize, |acc, u| {
                    acc.checked_mul(usize::from(u.len.max(1)))
                        .filter(|&n| n <= MAX_COMBINATIONS)
                })
                .unwrap_or(1);
            let mut parts = Parts::default();
            for initials in [false, true] {
                for combo in 0..combos {
                    let spelled = Spelling {
                        units: &units,
                        readings: &readings,
                        combo,
                        combos,
                        initials,
                    };
                    spelled.append_to(&mut haystack, &mut parts);
                }
            }
        }
        Self {
            mask,
            haystack: haystack.into_boxed_str(),
            text_len,
            units: units.into_boxed_slice(),
            readings: readings.into_boxed_slice(),
        }
    }

    /// Whether every term of the query is found in this key (an empty query matches all).
    ///
    /// A term matches if it is a substring of the text, of a full-pinyin spelling, of an
    /// initials spelling, or a run of syllable prefixes (`zhangs`, `zsan`, `张san`).
    pub fn matches(&self, query: &Query) -> bool {
        query.terms.iter().all(|t| self.term_score(t) > 0)
    }

    /// How well the query matches, higher is better; `None` if it does not match.
    ///
    /// Lets a list put 张三 (typed `zs`, initials prefix) above 李张顺 (a later substring):
    /// a match at the start beats one inside, and text beats pinyin beats initials.
    pub fn score(&self, query: &Query) -> Option<u32> {
        let mut total = 0;
        for term in &query.terms {
            match self.term_score(term) {
                0 => return None,
                s => total += s,
            }
        }
        Some(total)
    }

    /// 0 if the term does not match, otherwise a rank (text > pinyin/initials > syllables).
    fn term_score(&self, term: &Term) -> u32 {
        if term.mask & !self.mask != 0 {
            return 0;
        }
        if self.haystack.contains(term.text.as_str()) {
            let text = &self.haystack[..self.text_len];
            if text.starts_with(&term.text) {
                return 100;
            }
            if text.contains(&term.text) {
                return 80;
            }
            let spelled = self.haystack[self.text_len..]
                .split(SEP)
                .any(|part| part.starts_with(&term.text));
            return if spelled { 60 } else { 40 };
        }
        if self.syllables_match(&term.chars) {
            30
        } else {
            0
        }
    }

    /// Whether `term` is a sequence of non-empty prefixes of consecutive characters'
    /// readings (or the characters themselves), starting anywhere in the text.
    fn syllables_match(&self, term: &[char]) -> bool {
        let Some(&first) = term.first() else {
            return true;
        };
        let first_bit = match first {
            'a'..='z' => letter_bits(first),
            _ => 0,
        };
        self.units
            .iter()
            .enumerate()
            .any(|(i, u)| (u.ch == first || u.first & first_bit != 0) && self.match_from(i, term))
    }

    fn unit_readings(&self, u: Unit) -> &[&'static str] {
        let start = usize::from(u.start);
        self.readings
            .get(start..start + usize::from(u.len))
            .unwrap_or_default()
    }

    /// Depth-first search: can `term` be consumed starting at unit `i`?
    ///
    /// Recursion depth is bounded by the term length; each level tries at most a handful of
    /// readings of at most six letters, so user-length terms stay cheap.
    fn match_from(&self, i: usize, term: &[char]) -> bool {
        if term.is_empty() {
            return true;
        }
        let Some(&u) = self.units.get(i) else {
            return false;
        };
        if u.ch == term[0] && self.match_from(i + 1, &term[1..]) {
            return true;
        }
        for reading in self.unit_readings(u) {
            let common = reading
                .chars()
                .zip(term)
                .take_while(|&(r, &q)| same_letter(q, r))
                .count();
            for k in (1..=common).rev() {
                if self.match_from(i + 1, &term[k..]) {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether a typed letter stands for a pinyin letter; `v` and `u` both stand for `ü`, as on
/// Chinese keyboards (绿 → `lv`).
fn same_letter(typed: char, reading: char) -> bool {
    typed == reading || (reading == 'ü' && matches!(typed, 'v' | 'u'))
}

/// Byte ranges of the spelled parts already in a haystack, kept on the stack so that
/// checking for duplicates costs no allocation.
struct Parts {
    ranges: [(usize, usize); 2 * MAX_COMBINATIONS],
    len: usize,
}

impl Default for Parts {
    fn default() -> Self {
        Self {
            ranges: [(0, 0); 2 * MAX_COMBINATIONS],
            len: 0,
        }
    }
}

/// One way of spelling the text: combination number `combo` of the readings, in full or as
/// initials.
struct Spelling<'a> {
    units: &'a [Unit],
    readings: &'a [&'static str],
    combo: usize,
    combos: usize,
    initials: bool,
}

impl Spelling<'_> {
    /// Appends `\0` and this spelling to the haystack, unless an identical part is already
    /// there (解 reads jie, jie, xie; initials of many combinations coincide).
    ///
    /// Non-Chinese letters and digits are kept as they are; spaces and punctuation become a
    /// single space so a term (which never contains a space) cannot match across words.
    fn append_to(&self, haystack: &mut String, parts: &mut Parts) {
        let part_start = haystack.len();
        haystack.push(SEP);
        let mut rest = self.combo;
        for u in self.units {
            if u.len > 0 {
                // Mixed-radix digit of `combo` for this unit; 0 (the first reading) when
                // the combinations were capped.
                let n = usize::from(u.len);
                let pick = if self.combos > 1 { rest % n } else { 0 };
                rest /= n;
                let reading = self.readings[usize::from(u.start) + pick];
                if self.initials {
                    haystack.extend(reading.chars().next().map(ascii_pinyin));
                } else if reading.is_ascii() {
                    haystack.push_str(reading);
                } else {
                    haystack.extend(reading.chars().map(ascii_pinyin));
                }
            } else if u.ch.is_alphanumeric() {
                haystack.push(u.ch);
            } else if !haystack.ends_with(' ') {
                haystack.push(' ');
            }
        }
        let bytes = haystack.as_bytes();
        let new = &bytes[part_start + 1..];
        let duplicate = parts.ranges[..parts.len]
            .iter()
            .any(|&(a, b)| &bytes[a..b] == new);
        if duplicate {
            haystack.truncate(part_start);
        } else if parts.len < parts.ranges.len() {
            parts.ranges[parts.len] = (part_start + 1, haystack.len());
            parts.len += 1;
        }
    }
}

/// Bit for a character in [`SearchKey::mask`]: one per ASCII letter and digit, the rest
/// share 28 hashed bits (a false "maybe" only costs a real search).
fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 1 << (36 + c as u32 % 28),
    }
}

/// Mask bits a pinyin letter can be typed as: `ü` as `v` or `u`.
fn pinyin_bits(letter: char) -> u64 {
    if letter == 'ü' {
        char_bit('u') | char_bit('v')
    } else {
        char_bit(letter)
    }
}

/// Same as [`pinyin_bits`] restricted to the 26 letters, for [`Unit::first`].
fn letter_bits(letter: char) -> u32 {
    u32::try_from(pinyin_bits(letter) & ((1 << 26) - 1)).unwrap_or(0)
}

/// Lowercases a character, skipping the case tables for CJK (which has no case) since
/// names are mostly CJK and this runs for every character of every key.
fn lowercase(c: char) -> impl Iterator<Item = char> {
    let cjk = ('\u{2e80}'..='\u{9fff}').contains(&c);
    let (single, multi) = if cjk {
        (Some(c), None)
    } else if c.is_ascii() {
        (Some(c.to_ascii_lowercase()), None)
    } else {
        (None, Some(c.to_lowercase()))
    };
    single.into_iter().chain(multi.into_iter().flatten())
}

/// Writes `ü` as `v`, the way it is typed.
fn ascii_pinyin(c: char) -> char {
    if c == 'ü' { 'v' } else { c }
}

/// Folds full-width ASCII (ｚｓ, １０１) and the ideographic space to half-width, and drops
/// control characters, so IME full-width input searches like plain ASCII.
fn normalise_char(c: char) -> Option<char> {
    match c {
        '\u{3000}' => Some(' '),
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        c if c.is_control() => None,
        c => Some(c),
    }
}

/// One whitespace-separated part of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    text: String,
    /// The same characters, precomputed so the syllable matcher does not allocate.
    chars: Vec<char>,
    /// Union of [`char_bit`] of the characters, for the one-AND rejection.
    mask: u64,
}

/// What the user typed in the search box, normalised once per keystroke.
///
/// Trimmed, lowercased, full-width folded to half-width; split on spaces into terms that
/// must all match (`zs 302` finds 张三 in room 302).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<Term>,
}

impl Query {
    /// Parses raw search-box input.
    pub fn new(input: &str) -> Self {
        let normalised: String = input
            .chars()
            .filter_map(normalise_char)
            .flat_map(lowercase)
            .collect();
        let terms = normalised
            .split_whitespace()
            .map(|t| Term {
                text: t.to_string(),
                chars: t.chars().collect(),
                mask: t.chars().map(char_bit).fold(0, |a, b| a | b),
            })
            .collect();
        Self { terms }
    }

    /// True when nothing was typed, so callers can show the unfiltered list.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(text: &str, query: &str) -> bool {
        SearchKey::new(text).matches(&Query::new(query))
    }

    #[test]
    fn pinyin_initials_and_text_find_zhang_san() {
        for q in ["zs", "zhangsan", "张", "张三", "zhang", "angsa", "s"] {
            assert!(finds("张三", q), "{q}");
        }
    }

    #[test]
    fn initials_do_not_find_other_people() {
        assert!(!finds("李四", "zs"));
        assert!(!finds("李四", "zhangsan"));
        assert!(!finds("李四", "张"));
    }

    #[test]
    fn syllable_prefixes_match() {
        for q in ["zhangs", "zsan", "zhsa", "张san", "zhangsanf", "sanfeng"] {
            assert!(finds("张三丰", q), "{q}");
        }
        assert!(!finds("张三丰", "zhangf"));
        assert!(!finds("张三丰", "zx"));
    }

    #[test]
    fn room_numbers_and_tags_match_as_text() {
        assert!(finds("301 独居老人", "301"));
        assert!(finds("301 独居老人", "djlr"));
        assert!(finds("301 独居老人", "dujulaoren"));
        assert!(finds("301 独居老人", "老人 301"));
        assert!(!finds("301 独居老人", "302"));
        assert!(!finds("301 独居老人", "301 302"));
    }

    #[test]
    fn full_width_input_is_folded() {
        assert!(finds("张三", "ｚｓ"));
        assert!(finds("张三", "　ＺＳ　"));
        assert!(finds("１０１室", "101"));
        assert!(finds("Room 101", "ＲＯＯＭ　１０１"));
    }

    #[test]
    fn polyphonic_characters_match_any_reading() {
        for q in ["zeng", "ceng", "zg", "cg"] {
            assert!(finds("曾广", q), "{q}");
        }
        for q in ["shan", "dan", "sl"] {
            assert!(finds("单丽", q), "{q}");
        }
        assert!(finds("解放", "xief"));
        assert!(finds("解放", "jf"));
        assert!(finds("女", "nv"));
        assert!(finds("绿园", "lvy"));
    }

    #[test]
    fn too_many_combinations_fall_back_but_syllables_still_match() {
        // 5 polyphonic chars: 3*3*3*2*2 > MAX_COMBINATIONS
        let key = SearchKey::new("单单单曾曾");
        let full_parts = key.haystack.split(SEP).count();
        assert!(full_parts <= 1 + 2 * MAX_COMBINATIONS);
        assert!(key.matches(&Query::new("shanchandanzengceng")));
    }

    #[test]
    fn terms_do_not_match_across_words() {
        assert!(!finds("张 三", "zs"));
        assert!(finds("张 三", "z s"));
    }

    #[test]
    fn empty_query_matches_everything() {
        assert!(Query::new("   ").is_empty());
        assert!(finds("张三", ""));
    }

    #[test]
    fn score_prefers_text_then_prefix() {
        let q = Query::new("zs");
        let zhang = SearchKey::new("张三").score(&q).unwrap_or(0);
        let inner = SearchKey::new("李张顺").score(&q).unwrap_or(0);
        assert!(zhang > inner, "{zhang} vs {inner}");
        assert_eq!(SearchKey::new("李四").score(&q), None);
        let text = SearchKey::new("zs小组").score(&q).unwrap_or(0);
        assert!(text > zhang);
    }
}
