//! start.bat and stop.bat of each group, from the handlebars templates in `templates/`.
//!
//! The templates fix the shape the guides' samples have, made safe: every event branch ends
//! in a jump, every GOTO target exists, each service is started once (in start order) and
//! stopped once (in the exact reverse), RECOVER and a disk failure start nothing, and a
//! failed disk or a run outside the cluster exits non-zero. The registry renders in strict
//! mode with a batch escaper; values have passed their allowlists long before, so escaping
//! is a second line of defence. Output has CRLF line endings, in CP932 for `ja` and ASCII
//! for `en`.

use std::collections::BTreeMap;

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason};
use serde::Serialize;

use crate::model::Language;
use crate::model::values::SCRIPT_METACHARACTERS;
use crate::plan::{Plan, PlanGroup, ServiceAction};

const START: &str = include_str!("../../templates/start.bat.hbs");
const STOP: &str = include_str!("../../templates/stop.bat.hbs");
const MESSAGES_EN: &str = include_str!("../../templates/messages/en.yaml");
const MESSAGES_JA: &str = include_str!("../../templates/messages/ja.yaml");

#[derive(Serialize)]
struct ScriptContext<'a> {
    group: &'a str,
    platform: &'a str,
    source: &'a str,
    /// The script variables' prefix: ARMS or CLP.
    v: &'a str,
    pre_start: Vec<PreStartLine<'a>>,
    kill_before_load: bool,
    /// The disk-failure path moves the group on from a server other than the highest-priority
    /// one (`START ARMFOVER`), as the group's product's sample does.
    disk_failover: bool,
    service_resources: bool,
    start: Vec<ServiceLine<'a>>,
    stop: Vec<ServiceLine<'a>>,
    /// What a disk failure says (`CLP_DISK`/`ARMS_DISK` = FAILURE): the comment and the
    /// broadcast, naming the group's mirror disk when it has one.
    disk: DiskText<'a>,
}

#[derive(Serialize)]
struct DiskText<'a> {
    comment: std::borrow::Cow<'a, str>,
    message: std::borrow::Cow<'a, str>,
}

impl<'a> DiskText<'a> {
    /// The language's disk messages: `c_disk` and `disk`, or for a mirror disk `c_disk_mirror`
    /// and `disk_mirror` with its data partition's drive letter for `DRIVE:`.
    fn of(group: &PlanGroup, language: Language) -> DiskText<'static> {
        let messages = messages_cached(language);
        let text = |key: &str| -> &'static str {
            messages
                .get(key)
                .unwrap_or_else(|| panic!("templates/messages has no message `{key}`"))
        };
        match &group.mirror {
            Some(mirror) => {
                let drive = format!("{}:", mirror.value.drive);
                DiskText {
                    comment: text("c_disk_mirror").replace("DRIVE:", &drive).into(),
                    message: text("disk_mirror").replace("DRIVE:", &drive).into(),
                }
            }
            None => DiskText {
                comment: text("c_disk").into(),
                message: text("disk").into(),
            },
        }
    }
}

#[derive(Serialize)]
struct PreStartLine<'a> {
    app: &'a str,
    source: &'a str,
    command: &'a str,
}

#[derive(Serialize)]
struct ServiceLine<'a> {
    watch_id: &'a str,
    /// The service name as the batch line writes it ([`service_argument`]), written as it is.
    service: String,
    monitor: bool,
    failover: bool,
}

impl<'a> ServiceLine<'a> {
    fn new(action: &'a ServiceAction) -> Self {
        ServiceLine {
            watch_id: &action.watch_id,
            service: service_argument(&action.service),
            monitor: action.monitor,
            failover: action.failover,
        }
    }
}

/// A service name as ARMLOAD's argument in a batch file. A name of letters, digits, `_`, `-`
/// and `.` is written bare. Any other is written in double quotes, as the guides quote names
/// with spaces (`ARMLOAD DBMSVC /S "dbmail Service"`): inside quotes cmd.exe reads `^ & | < > (
/// )`, spaces and `$` as text; `%` is doubled, because a batch file expands `%` even inside
/// quotes; `!` is text as long as delayed expansion is off, which it is by default and which
/// hagen's scripts never turn on. A double quote or a control character cannot be written
/// intact and never gets here (`model::values::service_name_problem` refuses them).
fn service_argument(name: &str) -> String {
    assert!(
        !name.chars().any(|c| c == '"' || c.is_control()),
        "service name `{}` passed validation with a quote or a control character",
        name.escape_debug()
    );
    if crate::model::values::service_name_is_bare(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('%', "%%"))
    }
}

/// The batch escaper: `%` doubled, the other metacharacters of cmd.exe caret-escaped, line
/// breaks and control characters dropped. Quotes in values are dropped: the templates place
/// every quote themselves.
fn escape_batch(text: &str) -> String {
    // Nearly every value (names, ids, messages) needs no escaping: copied as it is.
    let plain = |c: char| !matches!(c, '%' | '^' | '&' | '|' | '<' | '>' | '!' | '"') && !c.is_control();
    if text.chars().all(plain) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%%"),
            '^' | '&' | '|' | '<' | '>' | '!' => {
                out.push('^');
                out.push(c);
            }
            '"' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The script registry of one language: the batch escaper, and start.bat and stop.bat with
/// that language's messages written in (see [`with_messages`]). Each language's registry is
/// made the first time it is used, so a build parses only the templates it renders.
fn registry(language: Language) -> &'static Handlebars<'static> {
    static CELLS: crate::emit::PerLanguage<Handlebars<'static>> = crate::emit::PerLanguage::new();
    CELLS.get(language, || {
        let mut hb = crate::emit::strict_registry();
        hb.register_escape_fn(escape_batch);
        // Pre-start commands come from the catalog with a validated path inserted; the quotes
        // they hold are theirs, so they bypass the escaper (after the assertion in `scripts`).
        hb.register_helper("raw_command", Box::new(raw_command));
        for (name, template) in [("start.bat", START), ("stop.bat", STOP)] {
            hb.register_template_string(name, with_messages(template, language))
                .unwrap_or_else(|e| panic!("templates/{name}.hbs parses: {e}"));
        }
        hb
    })
}

/// The template with every `{{msg.KEY}}` replaced by that message of `language`, escaped as
/// any value is. The messages are the same for every group, so they are written in once here
/// rather than looked up for every script; a key the messages lack fails here, as strict mode
/// would at render time.
fn with_messages(template: &str, language: Language) -> String {
    let messages = messages(language);
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let close = open + rest[open..].find("}}").expect("every `{{` of a template is closed") + 2;
        let expression = &rest[open..close];
        match expression[2..expression.len() - 2]
            .trim_start_matches("../")
            .strip_prefix("msg.")
        {
            Some(key) => {
                let text = messages
                    .get(key)
                    .unwrap_or_else(|| panic!("templates/messages has no message `{key}`"));
                // A brace would be read as template syntax.
                assert!(!text.contains(['{', '}']), "message `{key}` holds a brace");
                out.push_str(&rest[..open]);
                out.push_str(&escape_batch(text));
            }
            None => out.push_str(&rest[..close]),
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The messages of one language, read once.
fn messages_cached(language: Language) -> &'static BTreeMap<String, String> {
    static CELLS: crate::emit::PerLanguage<BTreeMap<String, String>> = crate::emit::PerLanguage::new();
    CELLS.get(language, || messages(language))
}

/// The messages of one language, from `templates/messages/`.
fn messages(language: Language) -> BTreeMap<String, String> {
    let text = match language {
        Language::En => MESSAGES_EN,
        Language::Ja => MESSAGES_JA,
    };
    serde_saphyr::from_str(text).expect("templates/messages parse")
}

/// start.bat and stop.bat of one group, as the bytes to write.
pub fn scripts(plan: &Plan, group: &PlanGroup) -> [(String, Vec<u8>); 2] {
    let scripted = group.service_resources.is_empty();
    let start: Vec<&ServiceAction> = if scripted {
        group.start.iter().collect()
    } else {
        Vec::new()
    };
    let stop: Vec<&ServiceAction> = if scripted { group.stop().collect() } else { Vec::new() };
    let context = ScriptContext {
        group: &group.name,
        platform: &plan.platform.name,
        source: &plan.source_name,
        v: plan.platform.variable_prefix(),
        pre_start: group
            .pre_start
            .iter()
            .map(|p| {
                assert!(
                    !p.command
                        .chars()
                        .any(|c| SCRIPT_METACHARACTERS.contains(&c) && c != '"'),
                    "pre-start command `{}` passed validation with a metacharacter",
                    p.command
                );
                PreStartLine {
                    app: &p.app,
                    source: &p.source,
                    command: &p.command,
                }
            })
            .collect(),
        kill_before_load: group.kill_before_load && scripted,
        disk_failover: group.disk_failover.is_some() && scripted,
        service_resources: !scripted,
        start: start.into_iter().map(ServiceLine::new).collect(),
        stop: stop.into_iter().map(ServiceLine::new).collect(),
        disk: DiskText::of(group, plan.language),
    };
    // Turned into the template engine's data once, for both scripts.
    let context = Context::wraps(&context).expect("a script context serializes");
    let dir = group
        .script_dir(&plan.platform)
        .expect("only a group with a script resource has scripts");
    ["start.bat", "stop.bat"].map(|name| {
        let text = render(plan.language, name, &context);
        (format!("{dir}/{name}"), encode(&crlf(&text), plan.language))
    })
}

fn render(language: Language, name: &str, context: &Context) -> String {
    registry(language)
        .render_with_context(name, context)
        .unwrap_or_else(|e| panic!("template {name}: {e}"))
}

fn raw_command(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let text = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("raw_command", 0))?;
    out.write(text)?;
    Ok(())
}

/// Every line break as CRLF (a template's own CRLF stays one), in one pass.
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(body) => {
                out.push_str(body.strip_suffix('\r').unwrap_or(body));
                out.push_str("\r\n");
            }
            None => out.push_str(line),
        }
    }
    out
}

/// CP932 for Japanese (what cmd.exe reads on Japanese Windows), ASCII for English.
pub fn encode(text: &str, language: Language) -> Vec<u8> {
    match language {
        Language::Ja => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
            assert!(!unmappable, "a generated script holds a character CP932 cannot encode");
            bytes.into_owned()
        }
        Language::En => {
            assert!(text.is_ascii(), "an English script holds a non-ASCII character");
            text.as_bytes().to_vec()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_escaper_neutralises_every_metacharacter() {
        assert_eq!(escape_batch("a%PATH%b"), "a%%PATH%%b");
        assert_eq!(
            escape_batch("x & calc | y > z < w ^ !v!"),
            "x ^& calc ^| y ^> z ^< w ^^ ^!v^!"
        );
        assert_eq!(escape_batch("a\"b\r\nc"), "abc");
    }

    #[test]
    fn plain_values_pass_unchanged() {
        assert_eq!(escape_batch("SvcG00001A WG00001A"), "SvcG00001A WG00001A");
        assert_eq!(escape_batch("切替パーティション"), "切替パーティション");
    }

    #[test]
    fn the_messages_are_written_into_the_templates() {
        for language in [Language::En, Language::Ja] {
            let start = with_messages(START, language);
            let stop = with_messages(STOP, language);
            assert!(!start.contains("msg.") && !stop.contains("msg."));
            let messages = messages(language);
            assert!(start.contains(&format!("ARMBCAST /MSG \"{}\" /A", messages["no_arm"])));
            assert!(stop.contains(&format!("rem {}\n", messages["c_stop_services"])));
            // the group's own values are still the registry's to fill in and escape
            assert!(start.contains("{{group}}") && stop.contains("ARMKILL {{watch_id}}"));
        }
    }

    #[test]
    fn every_line_ends_in_crlf_once() {
        assert_eq!(crlf("a\nb\r\nc\n"), "a\r\nb\r\nc\r\n");
        assert_eq!(crlf("x\r\n\n\ny"), "x\r\n\r\n\r\ny");
        assert_eq!(crlf("no break"), "no break");
        assert_eq!(crlf(""), "");
    }

    #[test]
    fn japanese_is_written_in_cp932() {
        let bytes = encode("切替パーティション", Language::Ja);
        assert_eq!(&bytes[..2], &[0x90, 0xd8]); // 切 in Shift_JIS
    }
}
