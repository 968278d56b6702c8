//! The text of a script's bytes, and what the bytes tell about how it was saved.
//!
//! Japanese Windows runs .bat files in code page 932 (FACTS.md section 4), so that is how the
//! bytes are read; a UTF-8 file (the usual result of editing on another system) is read as
//! UTF-8 so that its snippets show what the author wrote. A UTF-8 byte order mark is taken off
//! the text and remembered: cmd.exe would see it as part of the first command.

/// A script's text and the facts about its bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text; U+FFFD stands for bytes that are not CP932.
    pub text: String,
    pub saved: Saved,
}

/// What a script's bytes tell about how it was saved: the facts the encoding and line-ending
/// rules need once the text has gone to the script's [`SourceFile`](crate::source::SourceFile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    /// The file starts with a UTF-8 byte order mark (not part of `text`).
    pub bom: bool,
    /// The bytes hold non-ASCII characters in UTF-8, not CP932.
    pub utf8: bool,
    /// The byte offset in `text` of the first character that is not CP932.
    pub invalid_at: Option<usize>,
}

impl Decoded {
    pub fn from_bytes(bytes: &[u8]) -> Decoded {
        decode(bytes)
    }
}

/// The text of `bytes` and what they tell. See [`decode_owned`].
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_owned(bytes.to_vec())
}

/// The text of `bytes` and what they tell: UTF-8 (ASCII included) is the text as it is,
/// without a copy (a long script is not held twice); anything else is read as CP932.
pub fn decode_owned(mut bytes: Vec<u8>) -> Decoded {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &bytes[3..] } else { &bytes[..] };
    if std::str::from_utf8(body).is_err() {
        let (text, _) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(body);
        let invalid_at = text.find('\u{FFFD}');
        return Decoded {
            text: text.into_owned(),
            saved: Saved {
                bom,
                utf8: false,
                invalid_at,
            },
        };
    }
    let utf8 = !body.is_ascii();
    if bom {
        bytes.drain(..3);
    }
    Decoded {
        text: String::from_utf8(bytes).expect("checked UTF-8 above"),
        saved: Saved {
            bom,
            utf8,
            invalid_at: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_with_and_without_a_byte_order_mark_is_kept_as_it_is() {
        for (bytes, bom) in [(&b"rem ok\r\n"[..], false), (&b"\xEF\xBB\xBFrem ok\r\n"[..], true)] {
            let d = decode_owned(bytes.to_vec());
            assert_eq!(
                (d.text.as_str(), d.saved),
                (
                    "rem ok\r\n",
                    Saved {
                        bom,
                        utf8: false,
                        invalid_at: None
                    }
                )
            );
        }
        let d = decode(b"");
        assert_eq!((d.text.as_str(), d.saved.bom, d.saved.utf8), ("", false, false));
    }

    #[test]
    fn cp932_utf8_bom_and_broken_bytes() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("rem 起動\r\n");
        let d = decode(&sjis);
        assert_eq!(
            (d.text.as_str(), d.saved.bom, d.saved.utf8, d.saved.invalid_at),
            ("rem 起動\r\n", false, false, None)
        );
        let d = decode("\u{FEFF}rem 起動\r\n".as_bytes());
        assert_eq!(
            (d.text.as_str(), d.saved.bom, d.saved.utf8),
            ("rem 起動\r\n", true, true)
        );
        let d = decode(b"rem ok\r\nrem \x81\x20\r\n");
        assert_eq!(d.saved.invalid_at, Some(12));
        assert!(!d.saved.utf8);
    }
}
