//! The text of an export's bytes, in whichever encoding the server wrote it.
//!
//! What the accepted commands write on a Japanese Windows server, and how each is told apart:
//! - cmd.exe's redirection (`sc ... > file`) writes the console's OEM code page, CP932 on
//!   Japanese Windows (FACTS.md section 4: Japanese Windows runs in code page 932);
//! - Windows PowerShell 5.1's `>` and `Out-File` write UTF-16 LE with a byte order mark
//!   (Microsoft, "about_Character_Encoding": the default of Out-File and the redirection
//!   operators in Windows PowerShell is `Unicode`, UTF-16 little-endian);
//! - PowerShell 7 writes UTF-8 without a byte order mark (same document: `utf8NoBOM` is the
//!   default of every cmdlet in PowerShell 7).
//!
//! A byte order mark decides; without one, NUL bytes mean UTF-16 LE (text in any of the
//! single- or multi-byte code pages never holds a NUL), valid UTF-8 is UTF-8, and anything
//! else is read as CP932.

/// The encoding an export was read in, named in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Cp932,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Cp932 => "CP932",
        }
    }
}

/// The text of an export, byte order mark removed; the error says why it cannot be text.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(encoding_rs::UTF_16LE, body, Encoding::Utf16Le);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(encoding_rs::UTF_16BE, body, Encoding::Utf16Be);
    }
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(body)
            .map(|t| (t.to_string(), Encoding::Utf8))
            .map_err(|e| {
                format!(
                    "it starts with a UTF-8 byte order mark but is not UTF-8 at byte offset {}",
                    e.valid_up_to() + 3
                )
            });
    }
    if bytes.contains(&0) {
        return utf16(encoding_rs::UTF_16LE, bytes, Encoding::Utf16Le);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        let at = text
            .find('\u{FFFD}')
            .map(|i| text[..i].matches('\n').count() + 1)
            .unwrap_or(1);
        return Err(format!(
            "it is neither UTF-8, UTF-16 nor CP932 (line {at} holds bytes none of them can read)"
        ));
    }
    Ok((text.into_owned(), Encoding::Cp932))
}

fn utf16(encoding: &'static encoding_rs::Encoding, body: &[u8], which: Encoding) -> Result<(String, Encoding), String> {
    if !body.len().is_multiple_of(2) {
        return Err(format!(
            "it is {} with an odd number of bytes: the file is cut short",
            which.name()
        ));
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(format!("it is {} but holds a broken character", which.name()));
    }
    Ok((text.into_owned(), which))
}

/// The lines of a text with their 1-based numbers, each without its line ending. WMIC ends
/// its lines with CR CR LF when redirected, so every trailing CR is taken off.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn every_encoding_the_commands_write_is_read() {
        assert_eq!(decode(b"a,b\r\n").unwrap(), ("a,b\r\n".to_string(), Encoding::Utf8));
        assert_eq!(decode(b"\xEF\xBB\xBFa").unwrap(), ("a".to_string(), Encoding::Utf8));
        assert_eq!(
            decode(&utf16le("名前,x", true)).unwrap(),
            ("名前,x".to_string(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode(&utf16le("Name", false)).unwrap(),
            ("Name".to_string(), Encoding::Utf16Le)
        );
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("DISPLAY_NAME: 印刷スプーラー");
        assert_eq!(
            decode(&sjis).unwrap(),
            ("DISPLAY_NAME: 印刷スプーラー".to_string(), Encoding::Cp932)
        );
    }

    #[test]
    fn broken_bytes_are_named() {
        assert!(decode(b"\xFF\xFEa").unwrap_err().contains("odd number"));
        assert!(decode(b"ok\n\x81\x20").unwrap_err().contains("line 2"));
    }

    #[test]
    fn wmic_line_endings_are_taken_off() {
        let got: Vec<_> = lines("\r\r\nNode,Name\r\r\nA,B").collect();
        assert_eq!(got, [(1, ""), (2, "Node,Name"), (3, "A,B")]);
    }
}
