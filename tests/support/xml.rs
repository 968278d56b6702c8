//! A strict XML reader for tests: quick-xml's events folded into a tree of elements, with
//! entity and character references resolved. Anything that is not well-formed XML 1.0 (an
//! unbalanced or misnamed end tag, an HTML-only entity such as `&nbsp;`, a bad attribute) is
//! an error.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub children: Vec<Element>,
    /// The element's own text (not its children's), references resolved.
    pub text: String,
    /// The content in document order: text, and children by their index in `children`.
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Child(usize),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// Whether the `class` attribute holds this class.
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
    }

    /// This element and every element below it, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.descendants());
        }
        out
    }

    pub fn find_all(&self, name: &str) -> Vec<&Element> {
        self.descendants().into_iter().filter(|e| e.name == name).collect()
    }

    /// The text of this element and of every element below it, in document order.
    pub fn all_text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Child(i) => out.push_str(&self.children[*i].all_text()),
            }
        }
        out
    }

    fn push_child(&mut self, child: Element) {
        self.parts.push(Part::Child(self.children.len()));
        self.children.push(child);
    }

    fn push_text(&mut self, text: &str) {
        self.text.push_str(text);
        match self.parts.last_mut() {
            Some(Part::Text(t)) => t.push_str(text),
            _ => self.parts.push(Part::Text(text.to_string())),
        }
    }

    /// The element with this `id`.
    pub fn by_id(&self, id: &str) -> Option<&Element> {
        self.descendants().into_iter().find(|e| e.attr("id") == Some(id))
    }
}

fn element(e: &BytesStart) -> Result<Element, String> {
    let mut attrs = BTreeMap::new();
    for a in e.attributes() {
        let a = a.map_err(|e| format!("attribute: {e}"))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
            .map_err(|e| format!("attribute value: {e}"))?
            .into_owned();
        let key = a.key.as_ref().to_string();
        if attrs.insert(key.clone(), value).is_some() {
            return Err(format!("attribute {key} twice"));
        }
    }
    Ok(Element {
        name: e.name().as_ref().to_string(),
        attrs,
        ..Element::default()
    })
}

/// Parses a document (an optional DOCTYPE, one root element) into its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![Element::default()];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) => stack.push(element(&e)?),
            Event::Empty(e) => {
                let node = element(&e)?;
                stack.last_mut().expect("the document").push_child(node);
            }
            Event::End(_) => {
                let node = stack.pop().expect("an open element");
                stack.last_mut().ok_or("an end tag without a start")?.push_child(node);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                stack.last_mut().expect("the document").push_text(&text);
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                stack.last_mut().expect("the document").push_text(&text);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| format!("reference: {e}"))? {
                    Some(c) => c.to_string(),
                    None => match r.xml10_content().as_ref() {
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "amp" => "&".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        other => return Err(format!("an entity XML does not define: &{other};")),
                    },
                };
                stack.last_mut().expect("the document").push_text(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(format!("{} elements left open", stack.len() - 1));
    }
    let mut top = stack.pop().expect("the document");
    if top.children.len() != 1 {
        return Err(format!("{} root elements", top.children.len()));
    }
    if !top.text.trim().is_empty() {
        return Err(format!("text outside the root element: {:?}", top.text.trim()));
    }
    Ok(top.children.pop().expect("one root"))
}
