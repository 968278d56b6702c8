//! The long explanation of every diagnostic code, as `hagen explain CODE` prints it.
//!
//! Each code has one Markdown document in `docs/codes/<code>.md`, in four sections: what raises
//! it (as the checks really do), why (the PP guide's reason with its section, or the SPEC or
//! FACTS.md rule when no guide gives one), an example that raises it and the fix. The documents
//! are plain files so that they read well on their own and are reviewed as text; they are
//! embedded with `include_str!` so that the binary needs nothing beside it at run time.
//!
//! [`document`] matches on [`Code`] without a wildcard, so a new code without a document does
//! not compile. The tests below keep the documents honest: title and sections, severity, and
//! an example that holds what the code's fixture in `tests/fixtures/codes/` points at, so that
//! the documents and the fixtures do not drift apart.

use super::Code;

/// The Markdown document of a code.
pub fn document(code: Code) -> &'static str {
    match code {
        Code::YamlSyntax => include_str!("../../docs/codes/yaml-syntax.md"),
        Code::UnknownField => include_str!("../../docs/codes/unknown-field.md"),
        Code::MissingField => include_str!("../../docs/codes/missing-field.md"),
        Code::InvalidValue => include_str!("../../docs/codes/invalid-value.md"),
        Code::InvalidName => include_str!("../../docs/codes/invalid-name.md"),
        Code::DuplicateName => include_str!("../../docs/codes/duplicate-name.md"),
        Code::UnknownReference => include_str!("../../docs/codes/unknown-reference.md"),
        Code::DependencyCycle => include_str!("../../docs/codes/dependency-cycle.md"),
        Code::OrderConflict => include_str!("../../docs/codes/order-conflict.md"),
        Code::MissingDependency => include_str!("../../docs/codes/missing-dependency.md"),
        Code::PortNotAllowed => include_str!("../../docs/codes/port-not-allowed.md"),
        Code::PortConflict => include_str!("../../docs/codes/port-conflict.md"),
        Code::PortUnused => include_str!("../../docs/codes/port-unused.md"),
        Code::ServiceNotManual => include_str!("../../docs/codes/service-not-manual.md"),
        Code::ServiceMustNotStop => include_str!("../../docs/codes/service-must-not-stop.md"),
        Code::MonitorNotAllowed => include_str!("../../docs/codes/monitor-not-allowed.md"),
        Code::FailoverOptionDiscouraged => include_str!("../../docs/codes/failover-option-discouraged.md"),
        Code::ServiceUnsupported => include_str!("../../docs/codes/service-unsupported.md"),
        Code::StandbyUnsupported => include_str!("../../docs/codes/standby-unsupported.md"),
        Code::ServerCount => include_str!("../../docs/codes/server-count.md"),
        Code::VersionUnsupported => include_str!("../../docs/codes/version-unsupported.md"),
        Code::CombinationUnverified => include_str!("../../docs/codes/combination-unverified.md"),
        Code::PlacementUnsupported => include_str!("../../docs/codes/placement-unsupported.md"),
        Code::SiteBindingRequired => include_str!("../../docs/codes/site-binding-required.md"),
        Code::DomainAccountRequired => include_str!("../../docs/codes/domain-account-required.md"),
        Code::InstallLocation => include_str!("../../docs/codes/install-location.md"),
        Code::VolumeGuidMissing => include_str!("../../docs/codes/volume-guid-missing.md"),
        Code::ScriptFallThrough => include_str!("../../docs/codes/script-fall-through.md"),
        Code::ScriptMissingLabel => include_str!("../../docs/codes/script-missing-label.md"),
        Code::ScriptUnstoppedService => include_str!("../../docs/codes/script-unstopped-service.md"),
        Code::ScriptStopOrder => include_str!("../../docs/codes/script-stop-order.md"),
        Code::ScriptLineEndings => include_str!("../../docs/codes/script-line-endings.md"),
        Code::ScriptEncoding => include_str!("../../docs/codes/script-encoding.md"),
        Code::ScriptDuplicateLabel => include_str!("../../docs/codes/script-duplicate-label.md"),
        Code::ScriptWorkBeforeDiskCheck => include_str!("../../docs/codes/script-work-before-disk-check.md"),
        Code::ScriptDiskFailureExitsZero => include_str!("../../docs/codes/script-disk-failure-exits-zero.md"),
        Code::ScriptRecoverStartsWork => include_str!("../../docs/codes/script-recover-starts-work.md"),
        Code::ScriptUnquotedComparison => include_str!("../../docs/codes/script-unquoted-comparison.md"),
        Code::ScriptHardCodedCredential => include_str!("../../docs/codes/script-hard-coded-credential.md"),
        Code::ScriptUnknownValue => include_str!("../../docs/codes/script-unknown-value.md"),
    }
}

/// The code a user typed: its kebab-case name, in any case (`PORT-UNUSED` too).
pub fn lookup(name: &str) -> Option<Code> {
    Code::from_name(name).or_else(|| Code::ALL.iter().copied().find(|c| c.name().eq_ignore_ascii_case(name)))
}

/// The long explanation of the code named `name`, or `None` for an unknown name.
pub fn explain(name: &str) -> Option<&'static str> {
    lookup(name).map(document)
}

/// For an unknown name: the code it most likely meant, for "did you mean".
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::suggest::did_you_mean(name, Code::ALL.iter().map(|c| c.name()))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const SECTIONS: [&str; 4] = ["## What it does", "## Why", "## Example", "## Fix"];

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// The text of a level-2 section, up to the next one.
    fn section<'d>(doc: &'d str, heading: &str) -> &'d str {
        let start = doc
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("no `{heading}`"))
            + heading.len()
            + 2;
        let rest = &doc[start..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    }

    /// The first fenced YAML block of a section.
    fn yaml_block(text: &str) -> &str {
        fenced(text, "yaml")
    }

    /// The first fenced block of a section in this language.
    fn fenced<'t>(text: &'t str, language: &str) -> &'t str {
        let fence = format!("```{language}\n");
        let start = text.find(&fence).unwrap_or_else(|| panic!("a {fence} block")) + fence.len();
        let rest = &text[start..];
        &rest[..rest.find("```").expect("a closed block")]
    }

    /// The language of a code's examples: batch files for the script-only codes.
    fn example_block(code: Code, text: &str) -> &str {
        fenced(text, if code.script_only() { "bat" } else { "yaml" })
    }

    /// The line a script fixture's `expect` file points at, trimmed.
    fn pointed_script_line(code: Code) -> String {
        let dir = root().join("tests/fixtures/codes/scripts").join(code.name());
        let expect = std::fs::read_to_string(dir.join("expect")).unwrap();
        let at = expect
            .trim()
            .strip_prefix(&format!("{} at ", code.name()))
            .expect("CODE at FILE:LINE:COLUMN");
        let mut parts = at.split(':');
        let (file, line) = (parts.next().unwrap(), parts.next().unwrap().parse::<usize>().unwrap());
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let text = crate::lint::Decoded::from_bytes(&bytes).text;
        text.lines().nth(line - 1).unwrap().trim().to_string()
    }

    /// What the fixture's `# expect: CODE at LINE:COLUMN` points at: the key of the entry at
    /// that place (the last `key:` that starts at or before the column on that line, if any)
    /// and the text at the column itself (a quoted scalar, or up to `,`, `]`, `}` or `: `).
    fn pointed(code: Code) -> (Option<String>, String) {
        let path = root().join(format!("tests/fixtures/codes/{}.yaml", code.name()));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let first = text.lines().next().unwrap_or_default();
        let at = first
            .strip_prefix(&format!("# expect: {} at ", code.name()))
            .unwrap_or_else(|| panic!("{}: first line is `{first}`", path.display()));
        let (line, column) = at.trim().split_once(':').expect("LINE:COLUMN");
        let (line, column): (usize, usize) = (line.parse().unwrap(), column.parse().unwrap());
        let line = text.lines().nth(line - 1).expect("the line the fixture names");
        let offset = line.char_indices().nth(column - 1).map_or(line.len(), |(i, _)| i);

        let keys = keys(line);
        let key = keys
            .iter()
            .rev()
            .find(|(start, _)| *start <= offset)
            .map(|(_, k)| k.clone());

        let here = &line[offset..];
        let value = match here.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let end = here[1..].find(q).map_or(here.len(), |i| i + 2);
                &here[..end]
            }
            _ => {
                let mut end = here.find([',', ']', '}']).unwrap_or(here.len());
                if let Some(colon) = here.find(": ").or_else(|| here.strip_suffix(':').map(str::len)) {
                    end = end.min(colon);
                }
                here[..end].trim()
            }
        };
        (key, value.to_string())
    }

    /// The keys of one YAML line with their byte offsets: plain words or quoted strings
    /// followed by `:` and a space or the end of the line.
    fn keys(line: &str) -> Vec<(usize, String)> {
        let bytes = line.as_bytes();
        let mut out = Vec::new();
        for (colon, _) in line.match_indices(':') {
            if !(colon + 1 == bytes.len() || bytes[colon + 1] == b' ') {
                continue;
            }
            let head = &line[..colon];
            let start = match head.chars().next_back() {
                Some(q @ ('\'' | '"')) => match head[..head.len() - 1].rfind(q) {
                    Some(s) => s,
                    None => continue,
                },
                _ => head
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .map_or(0, |i| i + 1),
            };
            if start < colon {
                out.push((start, head[start..].to_string()));
            }
        }
        out
    }

    #[test]
    fn every_code_has_a_document_with_its_title_severity_and_four_sections() {
        for &code in Code::ALL {
            let doc = document(code);
            let name = code.name();
            assert!(doc.starts_with(&format!("# {name}\n")), "{name}: title");
            assert!(
                doc.contains(&format!("\n**Severity:** {}\n", code.severity().name())),
                "{name}: severity must be {}",
                code.severity().name()
            );
            let headings: Vec<&str> = doc.lines().filter(|l| l.starts_with("## ")).collect();
            assert_eq!(headings, SECTIONS, "{name}: sections");
            for heading in SECTIONS {
                assert!(!section(doc, heading).trim().is_empty(), "{name}: `{heading}` is empty");
            }
            assert!(
                !example_block(code, section(doc, "## Example")).trim().is_empty(),
                "{name}"
            );
            assert!(!example_block(code, section(doc, "## Fix")).trim().is_empty(), "{name}");
            assert!(doc.ends_with('\n') && !doc.contains('\r'), "{name}: line endings");
        }
    }

    #[test]
    fn no_document_is_left_without_a_code() {
        let dir = root().join("docs/codes");
        let mut found = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let stem = name
                .strip_suffix(".md")
                .unwrap_or_else(|| panic!("docs/codes/{name} is not a .md file"));
            let code = Code::from_name(stem).unwrap_or_else(|| panic!("docs/codes/{name} names no code"));
            let on_disk = std::fs::read_to_string(dir.join(&name)).unwrap();
            assert_eq!(on_disk, document(code), "{name} is not the document of `{code}`");
            found += 1;
        }
        assert_eq!(found, Code::ALL.len());
    }

    #[test]
    fn every_example_holds_what_its_fixture_points_at() {
        for &code in Code::ALL {
            if code.script_only() {
                let example = example_block(code, section(document(code), "## Example"));
                let line = pointed_script_line(code);
                assert!(
                    example.lines().any(|l| l.trim() == line) || line.is_empty(),
                    "{code}: the example lacks `{line}`, where the fixture raises it:\n{example}"
                );
                continue;
            }
            let example = yaml_block(section(document(code), "## Example"));
            let (key, value) = pointed(code);
            if let Some(key) = &key {
                assert!(
                    example.contains(&format!("{key}:")),
                    "{code}: the example lacks `{key}:`, where the fixture raises it:\n{example}"
                );
            }
            assert!(
                example.contains(&value),
                "{code}: the example lacks `{value}`, where the fixture raises it:\n{example}"
            );
            assert!(
                key.is_some() || !value.is_empty(),
                "{code}: the fixture points at nothing"
            );
        }
    }

    #[test]
    fn the_fixture_place_is_read_as_key_and_value() {
        assert_eq!(pointed(Code::OrderConflict), (Some("after".into()), "dbmail".into()));
        assert_eq!(pointed(Code::UnknownField), (Some("contrl".into()), "contrl".into()));
        assert_eq!(
            pointed(Code::InvalidValue),
            (Some("name".into()), "'AppSvc\" & calc'".into())
        );
        assert_eq!(pointed(Code::PortUnused), (None, "tcp/in 20003".into()));
        assert_eq!(pointed(Code::YamlSyntax), (Some("ip".into()), String::new()));
        assert_eq!(
            pointed(Code::ServiceNotManual),
            (Some("\"World Wide Web Publishing Service\"".into()), "auto".into())
        );
    }

    #[test]
    fn names_are_looked_up_exactly_or_in_any_case() {
        assert_eq!(explain("port-unused"), Some(document(Code::PortUnused)));
        assert_eq!(explain("PORT-Unused"), Some(document(Code::PortUnused)));
        assert_eq!(explain("port_unused"), None);
        assert_eq!(explain(""), None);
        assert_eq!(lookup("YAML-SYNTAX"), Some(Code::YamlSyntax));
    }

    #[test]
    fn unknown_names_get_the_closest_code() {
        assert_eq!(suggest("port-unsed"), Some("port-unused"));
        assert_eq!(suggest("dependancy-cycle"), Some("dependency-cycle"));
        assert_eq!(suggest("Monitor-Not-Alowed"), Some("monitor-not-allowed"));
        assert_eq!(suggest("xyzzy"), None);
    }

    #[test]
    fn every_page_cites_documents_a_reader_can_open() {
        for code in Code::ALL {
            let page = document(*code);
            for internal in ["seed 0", "FACTS.md", "SPEC section"] {
                assert!(!page.contains(internal), "{}: cites `{internal}`", code.name());
            }
        }
    }
}
