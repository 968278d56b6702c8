//! A cluster file held in memory, and the mapping from byte offsets to the 1-based line and
//! column a person sees in an editor.
//!
//! Every diagnostic carries byte offsets into the file it talks about; lines and columns are
//! computed only when a diagnostic is rendered, so checks never need to know about them.

use std::ops::Range;
use std::sync::OnceLock;

/// One input file: the name it is reported under and its text (UTF-8, BOM removed).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// The text as a terminal may show it, made once (see [`SourceFile::shown`]); `None` when
    /// it is the text itself.
    shown: OnceLock<Option<String>>,
    /// How many characters precede each [`BLOCK`] of the text, made the first time a column
    /// is asked for on a long line (see [`SourceFile::position`]).
    char_blocks: OnceLock<Vec<usize>>,
}

/// The stride of [`SourceFile`]'s character index: a column on a line longer than this costs
/// at most one block of counting instead of the whole line up to it, so that many diagnostics
/// on one long line (a flow mapping of thousands of entries) stay linear.
const BLOCK: usize = 4096;

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: &u8) -> bool {
    (*b as i8) >= -0x40
}

/// Characters that act on a terminal instead of being shown: control characters (escape
/// sequences, line breaks) and the Unicode bidirectional controls, which reorder what is
/// drawn around them.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A 1-based position as an editor shows it: columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            shown: OnceLock::new(),
            char_blocks: OnceLock::new(),
        }
    }

    /// The text with every [`is_unprintable`] character other than tab and line breaks
    /// replaced by a visible one of the same length in bytes (`?` for one byte, `¿` for two,
    /// `\u{fffd}` for three), so byte offsets, lines and columns stay those of the file. Made
    /// once per file, however many diagnostics show it.
    pub fn shown(&self) -> &str {
        let hidden = |c: char| !matches!(c, '\t' | '\n' | '\r') && is_unprintable(c);
        let shown = self.shown.get_or_init(|| {
            if !self.text.chars().any(hidden) {
                return None;
            }
            let out: String = self
                .text
                .chars()
                .map(|c| match c {
                    c if !hidden(c) => c,
                    c if c.len_utf8() == 1 => '?',
                    c if c.len_utf8() == 2 => '\u{bf}',
                    _ => '\u{fffd}',
                })
                .collect();
            debug_assert_eq!(out.len(), self.text.len());
            Some(out)
        });
        shown.as_deref().unwrap_or(&self.text)
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.chars_between(start, offset) + 1;
        Position { line: line + 1, column }
    }

    /// The number of characters between two character boundaries.
    fn chars_between(&self, start: usize, end: usize) -> usize {
        if end - start <= 2 * BLOCK {
            return self.text[start..end].chars().count();
        }
        self.chars_before(end) - self.chars_before(start)
    }

    /// The number of characters before a byte offset: the index's count at the start of the
    /// offset's block, plus the characters that start in that block before it.
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let blocks = self.char_blocks.get_or_init(|| {
            let mut out = Vec::with_capacity(bytes.len() / BLOCK + 2);
            let mut count = 0;
            out.push(0);
            for chunk in bytes.chunks(BLOCK) {
                count += chunk.iter().filter(|b| starts_char(b)).count();
                out.push(count);
            }
            out
        });
        let block = offset / BLOCK;
        blocks[block] + bytes[block * BLOCK..offset].iter().filter(|b| starts_char(b)).count()
    }

    /// The byte range of a 1-based line, without its line break (empty past the last line).
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.line_starts.get(i)) else {
            return self.text.len()..self.text.len();
        };
        let end = self.line_starts.get(line).map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The text a span covers, clamped to the file.
    pub fn slice(&self, span: Range<usize>) -> &str {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        self.text.get(start..end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let f = SourceFile::new("f.yaml", "a: 1\nname: \"サーバ\"\r\nx: y\n");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(5), Position { line: 2, column: 1 });
        // after the three-byte characters: column counts characters
        let x = f.text.find('x').unwrap();
        assert_eq!(f.position(x), Position { line: 3, column: 1 });
        let quote = f.text.rfind('"').unwrap();
        assert_eq!(f.position(quote), Position { line: 2, column: 11 });
        assert_eq!(f.position(10_000), f.position(f.text.len()));
    }

    #[test]
    fn columns_on_long_lines_count_characters_as_short_lines_do() {
        // Lines longer than the index's blocks, with multi-byte characters across block edges.
        let mut text = String::from("short: 1\n");
        for k in 0..3 * BLOCK {
            text.push(['サ', 'é', 'a', 'a', 'a'][k % 5]);
        }
        text.push_str("\nb: 2\n");
        text.push_str(&"x".repeat(5 * BLOCK + 3));
        let f = SourceFile::new("long.yaml", text.clone());
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for &offset in boundaries.iter().step_by(97).chain([text.len()].iter()) {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let column = text[start..offset].chars().count() + 1;
            assert_eq!(f.position(offset), Position { line, column }, "at byte {offset}");
        }
    }

    #[test]
    fn the_shown_text_keeps_offsets_and_hides_what_acts_on_a_terminal() {
        let f = SourceFile::new("f.yaml", "a: \u{1b}[2Jx\u{202e}y\u{85}z\u{7f}\tw\r\n");
        assert_eq!(f.shown(), "a: ?[2Jx\u{fffd}y\u{bf}z?\tw\r\n");
        assert_eq!(f.shown().len(), f.text.len());
        let plain = SourceFile::new("p.yaml", "サーバ: 1\n");
        assert!(
            std::ptr::eq(plain.shown(), plain.text.as_str()),
            "no copy when nothing is hidden"
        );
    }

    #[test]
    fn line_ranges_leave_out_line_breaks() {
        let f = SourceFile::new("f.yaml", "a: 1\r\nbb: 2\nc");
        assert_eq!(f.slice(f.line_range(1)), "a: 1");
        assert_eq!(f.slice(f.line_range(2)), "bb: 2");
        assert_eq!(f.slice(f.line_range(3)), "c");
        assert_eq!(f.line_range(0), f.text.len()..f.text.len());
        assert_eq!(f.line_range(9), f.text.len()..f.text.len());
        let g = SourceFile::new("g.yaml", "a\n");
        assert_eq!(g.slice(g.line_range(2)), "");
    }
}
