//! Diagnostics as GitHub Actions workflow commands: one `::error file=…,line=…::message` line
//! per diagnostic, which the runner turns into an annotation on the pull request's diff.
//!
//! Workflow commands are parsed by the runner from plain output, so property values and
//! messages are escaped as the runner expects (`%`, CR and LF always; `:` and `,` in
//! properties), or a value could end the command early or forge another one.

use super::json::JsonDiagnostic;

pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command line (with its line break).
pub fn annotation(d: &JsonDiagnostic) -> String {
    let command = match d.severity {
        "error" => "error",
        "warning" => "warning",
        _ => "notice",
    };
    let mut message = format!("{} [{}]", d.message, d.code);
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(&d.file),
        d.line,
        d.column,
        d.end_line,
        d.end_column,
        escape_property(&format!("hagen {}", d.code)),
        escape_data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_break_out_of_the_command() {
        let d = JsonDiagnostic {
            code: "invalid-value",
            severity: "error",
            message: "bad\n::error::forged 100%".to_string(),
            file: "a,b:c.yaml".to_string(),
            line: 3,
            column: 5,
            end_line: 3,
            end_column: 9,
            snippet: String::new(),
            help: Some("fix it".to_string()),
            related: Vec::new(),
        };
        assert_eq!(
            annotation(&d),
            "::error file=a%2Cb%3Ac.yaml,line=3,col=5,endLine=3,endColumn=9,title=hagen invalid-value::bad%0A::error::forged 100%25 [invalid-value]%0Ahelp: fix it\n"
        );
    }
}
