//! clp.conf read into a small element tree.
//!
//! clp.conf is XML in the charset its `<all><charset>` names, `SJIS` or `ASCII` (NEC's files in
//! `../shared/reference/clpconf-samples/`; EUC-JP on Linux), and the XML declaration normally
//! says the same. The declaration is what an XML reader goes by, so the bytes are decoded with
//! encoding_rs by it when there is one (Shift_JIS for `SJIS`, UTF-8 otherwise, of which ASCII
//! is part), else by `<all><charset>` (found in the raw bytes: `<` is never the second byte of
//! a Shift_JIS character), else as ASCII. When the two disagree the file has been edited by
//! hand or by another tool, and CLUSTERPRO reads it by its charset: the caller notes it. The
//! text is then read with quick-xml's `Reader` into elements with their attributes, children
//! and text: the importer asks paths of it (`server/device/info`).

use super::out::{escaped, shown};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// An element: name, attributes in order, child elements, and its own text (trimmed).
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The children with this name, in file order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first element at this `/`-separated path below this one.
    pub fn get(&self, path: &str) -> Option<&Element> {
        path.split('/')
            .try_fold(self, |e, part| e.children.iter().find(|c| c.name == part))
    }

    /// The text of the element at `path`, when it has some.
    pub fn text_at(&self, path: &str) -> Option<&str> {
        self.get(path).map(|e| e.text.as_str()).filter(|t| !t.is_empty())
    }
}

/// The encodings clp.conf is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Sjis,
    Ascii,
    EucJp,
}

impl Charset {
    /// The charset a declaration or `<charset>` names, by any of its usual spellings.
    fn named(name: &str) -> Option<Charset> {
        Some(match name.to_ascii_uppercase().as_str() {
            "SJIS" | "SHIFT_JIS" | "SHIFT-JIS" | "CP932" | "WINDOWS-31J" => Charset::Sjis,
            "ASCII" | "US-ASCII" | "UTF-8" | "UTF8" => Charset::Ascii,
            "EUC-JP" | "EUCJP" => Charset::EucJp,
            _ => return None,
        })
    }
}

/// clp.conf read: its root element, the charset `<all><charset>` names (when it names one
/// hagen knows), and a sentence when the XML declaration says otherwise.
#[derive(Debug)]
pub struct Document {
    pub root: Element,
    /// What the bytes were decoded as.
    pub encoding: Charset,
    pub charset: Option<Charset>,
    pub disagreement: Option<String>,
}

/// The encoding named by the XML declaration, if the file has one that names it.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    head.trim_start_matches('\u{feff}')
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
        .and_then(|decl| decl.split("encoding=").nth(1))
        .and_then(|v| v.trim_start().split(['"', '\'']).nth(1))
        .map(str::to_string)
}

/// The text of the first `<charset>` element, read from the raw bytes (its value is ASCII).
fn raw_charset(bytes: &[u8]) -> Option<String> {
    let start = bytes.windows(9).position(|w| w == b"<charset>")? + 9;
    let len = bytes[start..].iter().position(|b| *b == b'<')?;
    let value = std::str::from_utf8(&bytes[start..start + len]).ok()?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// How deep elements may nest. NEC's files nest five levels (`root/group/resource/parameters/
/// list`); a deeper file is not a clp.conf, and the element tree (its drop, and every walk the
/// importer makes of it) must not recurse as deep as the input says.
pub const MAX_DEPTH: usize = 64;

/// How many elements a file may hold: a clp.conf holds 50 to 90 per group (NEC's files and
/// hagen's), so a million is over 10,000 groups, beyond any cluster; the budget bounds the
/// tree's memory (about 150 bytes an element) whatever the 16 MiB the reader allows holds.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// The root element of clp.conf, or why the bytes are not one.
/// A Windows clp.conf: parsed, refused when it is a Linux configuration (hagen describes
/// Windows clusters only) or has no `<cluster>` element. What `import` and `diff` both read.
pub fn parse_clpconf(bytes: &[u8]) -> Result<Document, String> {
    let document = parse(bytes)?;
    if document
        .root
        .text_at("all/serveros")
        .is_some_and(|os| os.eq_ignore_ascii_case("linux"))
    {
        return Err(
            "a CLUSTERPRO for Linux configuration (<serveros>linux</serveros>); hagen describes Windows clusters only"
                .into(),
        );
    }
    if document.root.get("cluster").is_none() {
        return Err("not a clp.conf: there is no <cluster> element".into());
    }
    Ok(document)
}

pub fn parse(bytes: &[u8]) -> Result<Document, String> {
    let declared = declared_encoding(bytes);
    let charset_name = raw_charset(bytes);
    let charset = charset_name.as_deref().and_then(Charset::named);
    let declared = declared.map(|d| shown(&d));
    let charset_name = charset_name.map(|c| shown(&c));
    let (name, by) = match (&declared, &charset_name) {
        (Some(d), _) => (d.clone(), "declares"),
        (None, Some(c)) => (c.clone(), "names in <all><charset>"),
        (None, None) => ("ASCII".to_string(), "declares"),
    };
    let encoding = Charset::named(&name)
        .ok_or_else(|| format!("the file {by} the encoding {name}, which clp.conf does not use"))?;
    let disagreement = match (&declared, &charset_name) {
        (Some(d), Some(c)) if charset != Some(encoding) => Some(format!(
            "the XML declaration says encoding=\"{d}\" but <all><charset> says {c}: read as {d}, \
             as an XML reader does; CLUSTERPRO goes by the charset"
        )),
        _ => None,
    };
    let text = match encoding {
        Charset::Sjis => encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes).0.into_owned(),
        // CLUSTERPRO for Linux writes EUC-JP; it is read so that it can be recognised.
        Charset::EucJp => encoding_rs::EUC_JP.decode_without_bom_handling(bytes).0.into_owned(),
        Charset::Ascii => String::from_utf8(bytes.to_vec()).map_err(|_| match &charset_name {
            Some(c) if charset != Some(Charset::Ascii) => {
                format!("the file {by} {name} but holds other bytes (<all><charset> says {c})")
            }
            _ => format!("the file {by} {name} but holds other bytes"),
        })?,
    };
    let mut reader = Reader::from_str(&text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut elements = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not XML: {} (at byte {})",
                escaped(&e.to_string()),
                reader.buffer_position()
            )
        })?;
        if matches!(event, Event::Empty(_) | Event::Start(_)) {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Err(format!(
                    "not a clp.conf: more than {MAX_ELEMENTS} elements (at byte {}); a cluster of 10,000 groups has fewer",
                    reader.buffer_position()
                ));
            }
        }
        match event {
            Event::Empty(start) => {
                let element = open(&start)?;
                stack.last_mut().expect("a parent").children.push(element);
            }
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!(
                        "not a clp.conf: elements nest deeper than {MAX_DEPTH} levels (at byte {}); NEC's files nest 5",
                        reader.buffer_position()
                    ));
                }
                stack.push(open(&start)?)
            }
            Event::End(_) => {
                let mut done = stack.pop().expect("balanced by quick-xml");
                // Trimmed as a whole: `A &amp; B` keeps the spaces around its reference.
                done.text = done.text.trim().to_string();
                let Some(parent) = stack.last_mut() else {
                    return Err("not XML: an end tag without a start".into());
                };
                parent.children.push(done);
            }
            Event::Text(t) => {
                stack.last_mut().expect("a parent").text.push_str(&t);
            }
            Event::GeneralRef(r) => {
                let name = r.to_string();
                let c = match name.as_str() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => char_reference(other)
                        .ok_or_else(|| format!("not XML: the unknown entity &{};", shown(other)))?,
                };
                stack.last_mut().expect("a parent").text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("not XML: the file ends inside an element".into());
    }
    let mut top = stack.pop().expect("the document");
    match top.children.len() {
        1 if top.children[0].name == "root" => Ok(Document {
            root: top.children.remove(0),
            encoding,
            charset,
            disagreement,
        }),
        _ => Err("not a clp.conf: the document element is not `<root>`".into()),
    }
}

/// The character of a character reference's name (`#10`, `#x0A`).
fn char_reference(name: &str) -> Option<char> {
    let number = name.strip_prefix('#')?;
    let code = match number.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    char::from_u32(code)
}

fn open(start: &quick_xml::events::BytesStart) -> Result<Element, String> {
    let name = start.name().as_ref().to_string();
    let mut attributes = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| format!("not XML: {}", escaped(&e.to_string())))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
            .map_err(|e| format!("not XML: {}", escaped(&e.to_string())))?;
        attributes.push((a.key.as_ref().to_string(), value.into_owned()));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_and_sjis_text() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<?xml version=\"1.0\" encoding=\"SJIS\"?>\n<root><cluster><name>c</name><comment>運用</comment></cluster><server name=\"a\"/></root>");
        let root = parse(&bytes).unwrap().root;
        assert_eq!(root.text_at("cluster/name"), Some("c"));
        assert_eq!(root.text_at("cluster/comment"), Some("運用"));
        assert_eq!(root.all("server").next().unwrap().attribute("name"), Some("a"));
    }

    #[test]
    fn reads_character_references() {
        let root = parse(b"<root><a>x&#10;y&#x41;&amp;</a><b n=\"p&#10;q\"/></root>")
            .unwrap()
            .root;
        assert_eq!(root.text_at("a"), Some("x\nyA&"));
        assert_eq!(root.get("b").unwrap().attribute("n"), Some("p\nq"));
        let root = parse(b"<root><c>\n  A &amp; B\n</c></root>").unwrap().root;
        assert_eq!(root.text_at("c"), Some("A & B"));
        assert!(parse(b"<root>&nbsp;</root>").unwrap_err().contains("&nbsp;"));
    }

    #[test]
    fn the_declaration_is_read_after_a_byte_order_mark() {
        let conf =
            b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ASCII\"?><root><all><charset>SJIS</charset></all></root>";
        let document = parse(conf).unwrap();
        assert_eq!(document.encoding, Charset::Ascii);
        assert!(document.disagreement.is_some_and(|d| d.contains("says SJIS")));
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let n = 200_000;
        let text = format!("<root>{}{}</root>", "<a>".repeat(n), "</a>".repeat(n));
        let error = parse(text.as_bytes()).unwrap_err();
        assert!(error.contains("deeper than 64 levels"), "{error}");
        let ok = format!(
            "<root>{}{}</root>",
            "<a>".repeat(MAX_DEPTH - 1),
            "</a>".repeat(MAX_DEPTH - 1)
        );
        assert!(parse(ok.as_bytes()).is_ok());
        let wide = format!("<root>{}</root>", "<a/>".repeat(MAX_ELEMENTS));
        let error = parse(wide.as_bytes()).unwrap_err();
        assert!(error.contains("more than 1000000 elements"), "{error}");
    }

    #[test]
    fn refuses_what_is_not_clp_conf() {
        assert!(parse(b"hello").unwrap_err().contains("<root>"));
        assert!(parse(b"<root><a></root>").unwrap_err().starts_with("not XML"));
        assert!(parse(b"<other/>").unwrap_err().contains("<root>"));
    }
}
