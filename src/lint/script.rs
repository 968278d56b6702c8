//! A start.bat or stop.bat read into the few statements the lint rules reason about.
//!
//! cmd.exe has no grammar worth the name, and the scripts of the PP guides use a small part of
//! it: `rem` comments, `:LABEL` lines, `IF cond GOTO LABEL`, `GOTO`, `EXIT`, and the cluster's
//! ARMLOAD/ARMKILL/ARMBCAST commands (seed 000, the script samples of 1.1.5 and 1.5.7; seed
//! 002, スクリプトサンプル). Scripts edited by hand add `CALL :sub`, `EXIT /B`, and
//! parenthesised `IF (...) ELSE (...)` and `FOR ... DO (...)` blocks, which are read too.
//! Anything else is kept as an [`Kind::Other`] statement with its words: it runs, so it ends
//! nothing and jumps nowhere. Every name keeps its byte span in the decoded text, so each
//! finding points at its token.
//!
//! Reading is one pass over the text with constant work per character, so a script of any
//! length costs time in proportion to its length.

use compact_str::CompactString;

use crate::diag::Span;
use crate::source::SourceFile;

/// A word of a line with its place in the file. Double-quoted words keep their quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: CompactString,
    pub span: Span,
}

impl Token {
    /// The text without its double quotes.
    pub fn unquoted(&self) -> &str {
        self.text.trim_matches('"')
    }
}

/// The condition of an `IF`: two operands compared (`IF "%CLP_EVENT%" == "START"`, `IF %X%
/// EQU 1`); `None` for other conditions (`IF EXIST`, `IF ERRORLEVEL`, `IF DEFINED`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    /// The variable compared, upper-cased, without `%` and quotes (`CLP_EVENT`); when neither
    /// operand is one `%NAME%` reference, the left operand so stripped.
    pub variable: CompactString,
    /// The other operand, without its quotes.
    pub value: CompactString,
    /// `IF NOT`.
    pub negated: bool,
    /// `IF /I`: the comparison ignores case.
    pub ignore_case: bool,
    /// The operands as written, quotes and all.
    pub left: Token,
    pub right: Token,
}

impl Compare {
    /// Whether the comparison holds for `actual` as the variable's value (before `NOT`).
    pub fn equals(&self, actual: &str) -> bool {
        if self.ignore_case {
            self.value.eq_ignore_ascii_case(actual)
        } else {
            self.value == actual
        }
    }
}

/// `EXIT`, with or without `/B` and a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    /// `/B`: ends the batch file (or the `CALL`ed subroutine), not cmd.exe.
    pub batch: bool,
    /// The exit code as written (`1`, `%ERRORLEVEL%`), if any.
    pub code: Option<Token>,
}

impl Exit {
    /// Whether the script ends with exit code 0 here: no code or a literal zero. `None` when
    /// the code is not a literal (`%ERRORLEVEL%`).
    pub fn is_zero(&self) -> Option<bool> {
        let Some(code) = &self.code else { return Some(true) };
        code.unquoted().parse::<i64>().ok().map(|n| n == 0)
    }
}

/// What one line does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Empty, or a comment (`rem`, `::`), or `@echo off`, or only a block's parenthesis.
    Nothing,
    /// `:NAME`.
    Label(Token),
    /// `GOTO NAME` (also `GOTO :EOF`, which ends the script).
    Goto(Token),
    /// `EXIT`, with or without `/B` and a code.
    Exit(Exit),
    /// `CALL :NAME`: runs the lines from the label up to `GOTO :EOF` or `EXIT /B`, then goes
    /// on with the next line. (`CALL other.bat` is [`Kind::Other`].)
    Call(Token),
    /// `ARMLOAD WATCHID [options] [service]`.
    ArmLoad(Box<ArmLoad>),
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

/// The parenthesised block a line opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// `IF cond (`: the block runs when the condition holds (the line's `condition`).
    If,
    /// `) ELSE (`: the block runs when the `IF` block's condition does not hold.
    Else,
    /// `FOR ... DO (`: the block runs any number of times, perhaps none.
    Loop,
    /// `(` alone: the block runs once.
    Plain,
}

/// One line of the script.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's text without its line ending.
    pub span: Span,
    /// The `IF` in front of the command, if any: the command runs only sometimes.
    /// (Boxed, as are the rare large kinds: a line of a 200,000-line script is small.)
    pub condition: Option<Option<Box<Compare>>>,
    pub kind: Kind,
    /// The command's words (after the `IF` condition and a block's parenthesis); empty for
    /// comments, labels and empty lines. (A boxed slice: no spare room, in a script of
    /// 200,000 lines.)
    pub words: Box<[Token]>,
    /// The line begins by closing a block (`)` or `) ELSE (`).
    pub closes_first: bool,
    /// The block the line opens, if any.
    pub opens: Option<Open>,
    /// The line's command ends with the `)` that closes its block (`net start x)`).
    pub closes_last: bool,
}

impl Line {
    fn new(span: Span) -> Line {
        Line {
            span,
            condition: None,
            kind: Kind::Nothing,
            words: Box::default(),
            closes_first: false,
            opens: None,
            closes_last: false,
        }
    }

    /// Whether running this line never goes on with the next one.
    pub fn ends_flow(&self) -> bool {
        self.condition.is_none() && matches!(self.kind, Kind::Goto(_) | Kind::Exit(_))
    }

    /// The command's name, upper-cased and without `@` (`ARMLOAD`, `NET`, `SQLCMD`).
    pub fn command(&self) -> Option<String> {
        self.words
            .first()
            .map(|w| w.text.trim_start_matches('@').to_ascii_uppercase())
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
        // Sized once: a long script's lines would otherwise be copied at every doubling.
        let mut lines = Vec::with_capacity(file.text.bytes().filter(|&b| b == b'\n').count() + 1);
        let mut start = 0;
        let mut depth = 0usize;
        let text = file.text.as_str();
        while start < text.len() || (start == 0 && text.is_empty()) {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let content_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            lines.push(parse_line(text, start..content_end, &mut depth));
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
            Kind::ArmLoad(a) => Some(&**a),
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

/// The words of `span`: runs of non-blank characters, a double-quoted run counting as one.
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
            text: line[begin..end].into(),
            span: span.start + begin..span.start + end,
        });
    }
    out
}

/// The first position at or after `at` that is not blank. cmd.exe's delimiters are ASCII,
/// and ASCII bytes never occur inside another character in UTF-8, so byte offsets are safe.
fn skip_blanks(line: &str, mut at: usize) -> usize {
    let bytes = line.as_bytes();
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b',' | b';' | b'=') {
        at += 1;
    }
    at
}

/// Whether `line[at..]` starts with the word `word` (any case), followed by a blank, `(` or
/// the end.
fn starts_with_word(line: &str, at: usize, word: &str) -> bool {
    let rest = &line.as_bytes()[at..];
    rest.len() >= word.len()
        && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes())
        && rest
            .get(word.len())
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'(' | b'"'))
}

/// The end of the operand starting at `at`: a quoted run may hold blanks; an operand ends at a
/// blank or at `==`.
fn operand_end(line: &str, at: usize) -> usize {
    let bytes = line.as_bytes();
    let mut i = at;
    let mut quoted = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b' ' | b'\t' if !quoted => break,
            b'=' if !quoted && bytes.get(i + 1) == Some(&b'=') => break,
            _ => {}
        }
        i += 1;
    }
    i
}

/// The first unquoted, unescaped `)` at or after `at`.
fn closing_paren(line: &str, at: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quoted = false;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'^' if !quoted => i += 1,
            b')' if !quoted => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn parse_line(text: &str, span: Span, depth: &mut usize) -> Line {
    let base = span.start;
    let line_text = &text[span.clone()];
    let mut line = Line::new(span.clone());
    let mut at = skip_blanks(line_text, 0);
    if *depth > 0 && line_text[at..].starts_with(')') {
        line.closes_first = true;
        *depth -= 1;
        at = skip_blanks(line_text, at + 1);
        if !starts_with_word(line_text, at, "else") {
            // What follows a closing `)` on its line is not run.
            return line;
        }
        at = skip_blanks(line_text, at + 4);
        if line_text[at..].starts_with('(') {
            at += 1;
            if closing_paren(line_text, at).is_none() {
                line.opens = Some(Open::Else);
                *depth += 1;
            }
        }
        // An `ELSE command` on the closing line runs only sometimes.
        line.condition = Some(None);
    }
    let head_words = tokens(text, base + at..span.end);
    let Some(first) = head_words.first() else { return line };
    let head = first.text.trim_start_matches('@');
    if head.eq_ignore_ascii_case("rem") || head.starts_with("::") {
        return line;
    }
    if head.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("echo"))
        && !head[4..].starts_with(|c: char| c.is_alphanumeric())
    {
        // `echo x)` inside a block closes it: the `)` is not printed.
        if *depth > 0 && closing_paren(line_text, at).is_some() {
            line.closes_last = true;
            *depth -= 1;
        }
        return line;
    }
    if let Some(name) = first.text.strip_prefix(':') {
        let name_start = first.span.start + 1;
        let end = name.find(['+', '=', ';', ',']).unwrap_or(name.len());
        line.kind = Kind::Label(Token {
            text: name[..end].into(),
            span: name_start..name_start + end,
        });
        return line;
    }
    if at < line_text.len() && line_text.as_bytes()[at] == b'@' {
        at += 1;
    }
    if starts_with_word(line_text, at, "if") {
        let (compare, after) = condition(text, base, skip_blanks(line_text, at + 2), span.end);
        line.condition = Some(compare.map(Box::new));
        at = skip_blanks(line_text, after - base);
    }
    let mut end = line_text.len();
    let is_for = starts_with_word(line_text, at, "for");
    if is_for {
        // `FOR ... DO (`: the block is the loop's body.
        let upper = line_text.to_ascii_uppercase();
        if let Some(d) = upper[at..].find(" DO ").or_else(|| upper[at..].find(" DO(")) {
            let after = skip_blanks(line_text, at + d + 3);
            if line_text[after..].starts_with('(') && closing_paren(line_text, after + 1).is_none() {
                line.opens = Some(Open::Loop);
                *depth += 1;
                end = after;
            }
        }
    } else if line_text[at..].starts_with('(') {
        at += 1;
        match closing_paren(line_text, at) {
            // `IF cond (cmd) ELSE (cmd)` on one line: the first command, run only sometimes.
            Some(close) => {
                end = close;
                if line.condition.is_none() {
                    line.condition = Some(None);
                }
            }
            None => {
                line.opens = Some(if line.condition.is_some() && !line.closes_first {
                    Open::If
                } else {
                    Open::Plain
                });
                *depth += 1;
            }
        }
    } else if *depth > 0
        && line.opens.is_none()
        && let Some(close) = closing_paren(line_text, at)
    {
        line.closes_last = true;
        *depth -= 1;
        end = close;
    }
    line.words = tokens(text, base + at..base + end.max(at)).into_boxed_slice();
    line.kind = command(&line.words);
    if is_for {
        line.kind = Kind::Other;
    }
    line
}

/// The condition after `IF` (from `at`, a byte offset in the line starting at `base`) and the
/// offset in `text` where the command after it starts.
fn condition(text: &str, base: usize, mut at: usize, end: usize) -> (Option<Compare>, usize) {
    let line = &text[base..end];
    let mut negated = false;
    let mut ignore_case = false;
    loop {
        if line.get(at..at + 2).is_some_and(|w| w.eq_ignore_ascii_case("/i")) {
            ignore_case = true;
            at = skip_blanks(line, at + 2);
        } else if starts_with_word(line, at, "not") {
            negated = true;
            at = skip_blanks(line, at + 3);
        } else {
            break;
        }
    }
    for keyword in ["exist", "errorlevel", "defined", "cmdextversion"] {
        if starts_with_word(line, at, keyword) {
            let value = skip_blanks(line, at + keyword.len());
            let after = operand_end(line, value);
            return (None, base + after);
        }
    }
    let left_end = operand_end(line, at);
    let left = Token {
        text: line[at..left_end].into(),
        span: base + at..base + left_end,
    };
    let mut i = left_end;
    while i < line.len() && matches!(line.as_bytes()[i], b' ' | b'\t') {
        i += 1;
    }
    let rest = &line[i..];
    let op_len = if rest.starts_with("==") {
        2
    } else if ["EQU", "NEQ", "LSS", "LEQ", "GTR", "GEQ"]
        .iter()
        .any(|op| starts_with_word(line, i, op))
    {
        3
    } else {
        return (None, base + left_end);
    };
    let equality = op_len == 2 || rest[..3].eq_ignore_ascii_case("EQU") || rest[..3].eq_ignore_ascii_case("NEQ");
    negated ^= op_len == 3 && rest[..3].eq_ignore_ascii_case("NEQ");
    let mut j = i + op_len;
    while j < line.len() && matches!(line.as_bytes()[j], b' ' | b'\t' | b'=') {
        j += 1;
    }
    let right_end = operand_end(line, j);
    let right = Token {
        text: line[j..right_end].into(),
        span: base + j..base + right_end,
    };
    if !equality {
        return (None, base + right_end);
    }
    let reference = |t: &Token| {
        let inner = t.unquoted();
        (inner.len() > 2 && inner.starts_with('%') && inner.ends_with('%') && !inner[1..inner.len() - 1].contains('%'))
            .then(|| upper(&inner[1..inner.len() - 1]))
    };
    let (variable, value) = match (reference(&left), reference(&right)) {
        (None, Some(name)) => (name, left.unquoted().into()),
        (Some(name), _) => (name, right.unquoted().into()),
        (None, None) => (upper(left.unquoted().trim_matches('%')), right.unquoted().into()),
    };
    let compare = Compare {
        variable,
        value,
        negated,
        ignore_case,
        left,
        right,
    };
    (Some(compare), base + right_end)
}

/// `text` upper-cased, kept inline when short.
fn upper(text: &str) -> CompactString {
    let mut out = CompactString::from(text);
    out.make_ascii_uppercase();
    out
}

fn command(words: &[Token]) -> Kind {
    let Some(first) = words.first() else {
        return Kind::Nothing;
    };
    let name = first.text.trim_start_matches('@').to_ascii_uppercase();
    let target = |w: &Token| {
        let strip = usize::from(w.text.starts_with(':'));
        Token {
            text: w.text[strip..].into(),
            span: w.span.start + strip..w.span.end,
        }
    };
    match name.as_str() {
        "GOTO" => words.get(1).map_or(Kind::Other, |w| Kind::Goto(target(w))),
        "EXIT" => {
            let batch = words.get(1).is_some_and(|w| w.text.eq_ignore_ascii_case("/b"));
            Kind::Exit(Exit {
                batch,
                code: words.get(1 + usize::from(batch)).cloned(),
            })
        }
        "CALL" => match words.get(1) {
            Some(w) if w.text.starts_with(':') && w.text.len() > 1 => Kind::Call(target(w)),
            _ => Kind::Other,
        },
        "ARMKILL" => words.get(1).map_or(Kind::Other, |w| Kind::ArmKill(w.clone())),
        "ARMLOAD" => match words.get(1) {
            Some(watch_id) => Kind::ArmLoad(Box::new(arm_load(watch_id, &words[2..]))),
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
        let c = s.lines[1].condition.clone().unwrap().unwrap();
        assert_eq!((c.variable.as_str(), c.value.as_str()), ("ARMS_EVENT", "START"));
        assert_eq!((c.negated, c.ignore_case), (false, false));
        assert_eq!(s.file.slice(c.left.span.clone()), "\"%ARMS_EVENT%\"");
        assert_eq!(s.file.slice(c.right.span.clone()), "\"START\"");
        assert!(s.lines[2].ends_flow() && !s.lines[1].ends_flow());
        assert!(s.has_label("normal"));
        let load = s.arm_loads().next().unwrap();
        assert_eq!(load.watch_id.text, "EMSMTP");
        assert_eq!(load.target.as_ref().unwrap().unquoted(), "ExpressMail Smtp Service");
        assert!(load.option("/m").is_some());
        assert_eq!(s.file.slice(load.watch_id.span.clone()), "EMSMTP");
        assert_eq!(s.arm_kills().next().unwrap().text, "EMSMTP");
        assert!(s.lines[6].ends_flow());
        assert_eq!(s.lines[4].command().as_deref(), Some("ARMLOAD"));
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
        let s = parse("IF /I \"%CLP_EVENT%\"==\"FAILOVER\" GOTO :FAILOVER\nif not %CLP_DISK% neq SUCCESS exit /b 1\n");
        let Kind::Goto(t) = &s.lines[0].kind else { panic!() };
        assert_eq!(t.text, "FAILOVER");
        let c = s.lines[0].condition.clone().unwrap().unwrap();
        assert_eq!(
            (c.variable.as_str(), c.value.as_str(), c.ignore_case),
            ("CLP_EVENT", "FAILOVER", true)
        );
        let c = s.lines[1].condition.clone().unwrap().unwrap();
        assert_eq!(
            (c.variable.as_str(), c.value.as_str(), c.negated),
            ("CLP_DISK", "SUCCESS", false)
        );
        assert_eq!(c.left.text, "%CLP_DISK%");
        let Kind::Exit(e) = &s.lines[1].kind else { panic!() };
        assert!(e.batch && e.is_zero() == Some(false));
    }

    /// Found by the fuzz target: a character of more than one byte where `/I` or `echo` might
    /// stand.
    #[test]
    fn non_ascii_text_where_a_keyword_might_stand() {
        let s = parse(
            "IF \"\u{8d77}\u{52d5}%\" == \"X\" GOTO A\r\nIF \u{8d77} == x GOTO A\r\n\u{8d77}\u{52d5}\r\nech\u{8d77}\r\n",
        );
        assert_eq!(s.lines.len(), 4);
    }

    #[test]
    fn blocks_calls_and_exits() {
        let s = parse(
            "IF %CLP_FACTOR% == \"GROUPFAILOVER\" (\r\n  sqlcmd -Q x\r\n) ELSE (\r\n  net start a)\r\n\
             CALL :SUB\r\nFOR %%i IN (a b) DO (\r\necho ^(x^)\r\n)\r\nexit /b\r\n",
        );
        assert_eq!(s.lines[0].opens, Some(Open::If));
        assert!(s.lines[0].condition.clone().unwrap().is_some());
        assert_eq!(s.lines[1].command().as_deref(), Some("SQLCMD"));
        assert!(s.lines[2].closes_first && s.lines[2].opens == Some(Open::Else));
        assert!(s.lines[3].closes_last);
        assert_eq!(s.lines[3].words.last().unwrap().text, "a");
        let Kind::Call(sub) = &s.lines[4].kind else { panic!() };
        assert_eq!((sub.text.as_str(), s.file.slice(sub.span.clone())), ("SUB", "SUB"));
        assert_eq!(s.lines[5].opens, Some(Open::Loop));
        assert!(!s.lines[6].closes_last && s.lines[7].closes_first);
        let Kind::Exit(e) = &s.lines[8].kind else { panic!() };
        assert_eq!(e.is_zero(), Some(true));
    }
}
