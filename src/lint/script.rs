//! A start.bat or stop.bat read into the few statements the lint rules reason about.
//!
//! cmd.exe has no grammar worth the name, and the scripts of the PP guides use a small part of
//! it: `rem` comments, `:LABEL` lines, `IF cond GOTO LABEL`, `GOTO`, `EXIT`, and the cluster's
//! ARMLOAD/ARMKILL/ARMBCAST commands (FACTS.md section 1). Anything else is kept as an
//! [`Kind::Other`] statement: it runs, so it ends nothing and jumps nowhere. Every name keeps
//! its byte span in the decoded text, so each finding points at its token.

use crate::diag::Span;
use crate::source::SourceFile;

/// A word of a line with its place in the file. Double-quoted words keep their quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub span: Span,
}

impl Token {
    /// The text without its double quotes.
    pub fn unquoted(&self) -> &str {
        self.text.trim_matches('"')
    }
}

/// The condition of an `IF`: a variable compared to a value (`IF "%CLP_EVENT%" == "START"`);
/// `None` for other conditions (`IF EXIST`, `IF ERRORLEVEL`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub variable: String,
    pub value: String,
}

/// What one line does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Empty, or a comment (`rem`, `::`), or `@echo off`.
    Nothing,
    /// `:NAME`.
    Label(Token),
    /// `GOTO NAME` (also `GOTO :EOF`, which ends the script).
    Goto(Token),
    /// `EXIT`, with or without `/B` and a code.
    Exit,
    /// `ARMLOAD WATCHID [options] [service]`.
    ArmLoad(ArmLoad),
    /// `ARMKILL WATCHID`.
    ArmKill(Token),
    /// `NET STOP service`.
    NetStop(Token),
    /// Anything else: it runs and goes on with the next line.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmLoad {
    pub watch_id: Token,
    /// Options such as `/S`, `/M`, `/FOV`, as written.
    pub options: Vec<Token>,
    /// The service (with `/S`) or program the line names.
    pub target: Option<Token>,
}

impl ArmLoad {
    pub fn option(&self, name: &str) -> Option<&Token> {
        self.options.iter().find(|o| o.text.eq_ignore_ascii_case(name))
    }
}

/// One line of the script.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's text without its line ending.
    pub span: Span,
    /// The `IF` in front of the command, if any: the command runs only sometimes.
    pub condition: Option<Option<Compare>>,
    pub kind: Kind,
}

impl Line {
    /// Whether running this line never goes on with the next one.
    pub fn ends_flow(&self) -> bool {
        self.condition.is_none() && matches!(self.kind, Kind::Goto(_) | Kind::Exit)
    }
}

/// A parsed script.
#[derive(Debug)]
pub struct Script {
    pub file: SourceFile,
    pub lines: Vec<Line>,
}

impl Script {
    pub fn parse(file: SourceFile) -> Script {
        let mut lines = Vec::new();
        let mut start = 0;
        let text = file.text.as_str();
        while start < text.len() || (start == 0 && text.is_empty()) {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let content_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            lines.push(parse_line(text, start..content_end));
            if end == text.len() {
                break;
            }
            start = end + 1;
        }
        Script { file, lines }
    }

    /// Every label, in file order.
    pub fn labels(&self) -> impl Iterator<Item = (usize, &Token)> {
        self.lines.iter().enumerate().filter_map(|(i, l)| match &l.kind {
            Kind::Label(t) => Some((i, t)),
            _ => None,
        })
    }

    /// Whether a label of this name exists (cmd.exe ignores case).
    pub fn has_label(&self, name: &str) -> bool {
        self.labels().any(|(_, t)| t.text.eq_ignore_ascii_case(name))
    }

    /// The ARMLOAD lines, in file order.
    pub fn arm_loads(&self) -> impl Iterator<Item = &ArmLoad> {
        self.lines.iter().filter_map(|l| match &l.kind {
            Kind::ArmLoad(a) => Some(a),
            _ => None,
        })
    }

    /// The watch ids of the ARMKILL lines, in file order.
    pub fn arm_kills(&self) -> impl Iterator<Item = &Token> {
        self.lines.iter().filter_map(|l| match &l.kind {
            Kind::ArmKill(t) => Some(t),
            _ => None,
        })
    }
}

/// The words of a line: runs of non-blank characters, a double-quoted run counting as one.
fn tokens(text: &str, span: Span) -> Vec<Token> {
    let line = &text[span.clone()];
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let begin = i;
        let mut end = line.len();
        let mut quoted = false;
        while let Some(&(j, c)) = chars.peek() {
            if c == '"' {
                quoted = !quoted;
            } else if c.is_whitespace() && !quoted {
                end = j;
                break;
            }
            chars.next();
        }
        out.push(Token {
            text: line[begin..end].to_string(),
            span: span.start + begin..span.start + end,
        });
    }
    out
}

fn parse_line(text: &str, span: Span) -> Line {
    let words = tokens(text, span.clone());
    let mut line = Line {
        span,
        condition: None,
        kind: Kind::Nothing,
    };
    let Some(first) = words.first() else { return line };
    let head = first.text.trim_start_matches('@');
    if head.eq_ignore_ascii_case("rem") || head.starts_with("::") || head.eq_ignore_ascii_case("echo") {
        return line;
    }
    if let Some(name) = first.text.strip_prefix(':') {
        let name_start = first.span.start + 1;
        line.kind = Kind::Label(Token {
            text: name.to_string(),
            span: name_start..first.span.end,
        });
        return line;
    }
    let mut rest = &words[..];
    if head.eq_ignore_ascii_case("if") {
        let (compare, used) = condition(&words[1..]);
        line.condition = Some(compare);
        rest = &words[(1 + used).min(words.len())..];
    }
    line.kind = command(rest);
    line
}

/// The condition after `IF` and how many words it takes.
fn condition(words: &[Token]) -> (Option<Compare>, usize) {
    let mut used = 0;
    while words
        .get(used)
        .is_some_and(|w| w.text.eq_ignore_ascii_case("/i") || w.text.eq_ignore_ascii_case("not"))
    {
        used += 1;
    }
    let Some(left) = words.get(used) else {
        return (None, used);
    };
    let keyword = ["exist", "errorlevel", "defined"]
        .iter()
        .any(|k| left.text.eq_ignore_ascii_case(k));
    if keyword {
        return (None, used + 2);
    }
    // `"a"=="b"`, `"a" =="b"`, `"a"== "b"` and `"a" == "b"` are all one comparison.
    let mut joined = String::new();
    let mut taken = 0;
    for w in &words[used..] {
        joined.push_str(&w.text);
        taken += 1;
        if let Some(at) = joined.find("==")
            && at > 0
            && joined.len() > at + 2
        {
            break;
        }
    }
    let compare = joined.split_once("==").map(|(l, r)| Compare {
        variable: l.trim_matches('"').trim_matches('%').to_ascii_uppercase(),
        value: r.trim_matches('"').to_string(),
    });
    (compare, used + taken)
}

fn command(words: &[Token]) -> Kind {
    let Some(first) = words.first() else { return Kind::Other };
    let name = first.text.trim_start_matches('@').to_ascii_uppercase();
    match name.as_str() {
        "GOTO" => match words.get(1) {
            Some(target) => {
                let strip = usize::from(target.text.starts_with(':'));
                Kind::Goto(Token {
                    text: target.text[strip..].to_string(),
                    span: target.span.start + strip..target.span.end,
                })
            }
            None => Kind::Other,
        },
        "EXIT" => Kind::Exit,
        "ARMKILL" => words.get(1).map_or(Kind::Other, |w| Kind::ArmKill(w.clone())),
        "ARMLOAD" => match words.get(1) {
            Some(watch_id) => Kind::ArmLoad(arm_load(watch_id, &words[2..])),
            None => Kind::Other,
        },
        "NET" if words.get(1).is_some_and(|w| w.text.eq_ignore_ascii_case("stop")) => {
            words.get(2).map_or(Kind::Other, |w| Kind::NetStop(w.clone()))
        }
        _ => Kind::Other,
    }
}

/// Options that take a value (`/R 9 /H 1`, seed 000 1.5.7's example; `/W`, `/U` as in the
/// ARMLOAD reference of CLUSTERPRO).
const WITH_VALUE: [&str; 4] = ["/R", "/H", "/W", "/U"];

fn arm_load(watch_id: &Token, words: &[Token]) -> ArmLoad {
    let mut options = Vec::new();
    let mut target = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w.text.starts_with('/') {
            options.push(w.clone());
            if WITH_VALUE.iter().any(|o| w.text.eq_ignore_ascii_case(o)) {
                i += 1;
            }
        } else if target.is_none() {
            target = Some(w.clone());
        }
        i += 1;
    }
    ArmLoad {
        watch_id: watch_id.clone(),
        options,
        target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Script {
        Script::parse(SourceFile::new("start.bat", text))
    }

    #[test]
    fn reads_the_statements_of_a_guide_sample() {
        let s = parse(
            "rem x\r\nIF \"%ARMS_EVENT%\" == \"START\" GOTO NORMAL\r\nGOTO no_arm\r\n:NORMAL\r\n\
             ARMLoad EMSMTP /S /M \"ExpressMail Smtp Service\"\r\nARMKILL EMSMTP\r\nexit\r\n",
        );
        assert_eq!(s.lines.len(), 7);
        assert_eq!(s.lines[0].kind, Kind::Nothing);
        let Kind::Goto(t) = &s.lines[1].kind else { panic!() };
        assert_eq!(t.text, "NORMAL");
        assert_eq!(
            s.lines[1].condition,
            Some(Some(Compare {
                variable: "ARMS_EVENT".into(),
                value: "START".into()
            }))
        );
        assert!(s.lines[2].ends_flow() && !s.lines[1].ends_flow());
        assert!(s.has_label("normal"));
        let load = s.arm_loads().next().unwrap();
        assert_eq!(load.watch_id.text, "EMSMTP");
        assert_eq!(load.target.as_ref().unwrap().unquoted(), "ExpressMail Smtp Service");
        assert!(load.option("/m").is_some());
        assert_eq!(s.file.slice(load.watch_id.span.clone()), "EMSMTP");
        assert_eq!(s.arm_kills().next().unwrap().text, "EMSMTP");
        assert!(s.lines[6].ends_flow());
    }

    #[test]
    fn options_with_values_are_not_the_service() {
        let s = parse("ARMLOAD watchid /R 9 /H 1 ARMRSP /A\n");
        let load = s.arm_loads().next().unwrap();
        assert_eq!(load.target.as_ref().unwrap().text, "ARMRSP");
        assert_eq!(load.options.len(), 3);
    }

    #[test]
    fn comparisons_without_spaces_are_read() {
        let s = parse("IF /I \"%CLP_EVENT%\"==\"FAILOVER\" GOTO :FAILOVER\n");
        let Kind::Goto(t) = &s.lines[0].kind else { panic!() };
        assert_eq!(t.text, "FAILOVER");
        assert_eq!(
            s.lines[0].condition.clone().unwrap().unwrap().variable,
            "CLP_EVENT".to_string()
        );
    }
}
