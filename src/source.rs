//! A cluster file held in memory, and the mapping from byte offsets to the 1-based line and
//! column a person sees in an editor.
//!
//! Every diagnostic carries byte offsets into the file it talks about; lines and columns are
//! computed only when a diagnostic is rendered, so checks never need to know about them.

use std::ops::Range;

/// One input file: the name it is reported under and its text (UTF-8, BOM removed).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
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
        }
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position { line: line + 1, column }
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
}
