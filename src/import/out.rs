//! The cluster file as the importer writes it: lines at their indentation, `# note:` comments
//! counted, and scalars quoted only where YAML could read them as something else.

use std::fmt::Write as _;

/// The cluster file being written: lines, and the notes among them.
#[derive(Default)]
pub struct Out {
    pub text: String,
    pub notes: usize,
}

impl Out {
    pub fn line(&mut self, indent: usize, text: impl AsRef<str>) {
        let _ = writeln!(self.text, "{:indent$}{}", "", text.as_ref());
    }

    pub fn note(&mut self, indent: usize, text: impl AsRef<str>) {
        self.notes += 1;
        self.line(indent, format!("# note: {}", text.as_ref()));
    }
}

/// A YAML scalar for a value that passed its allowlist: plain when it cannot be misread,
/// single-quoted otherwise.
pub fn scalar(value: &str) -> String {
    let plain = value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && value.parse::<f64>().is_err()
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

pub fn list(values: &[String]) -> String {
    format!("[{}]", values.iter().map(|v| scalar(v)).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_yaml_could_misread_them() {
        assert_eq!(scalar("web-cluster"), "web-cluster");
        assert_eq!(scalar("10.0.0.1"), "10.0.0.1");
        assert_eq!(scalar("6.0"), "'6.0'");
        assert_eq!(scalar("no"), "'no'");
        assert_eq!(scalar("S:"), "'S:'");
        assert_eq!(scalar("it's"), "'it''s'");
        assert_eq!(scalar("Order Mailer"), "'Order Mailer'");
    }
}
