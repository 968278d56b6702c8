//! The unified diff of two scripts (similar's Myers diff, linear in space), three lines of
//! context, as `git diff` prints it.

use similar::TextDiff;

/// The unified diff from `old` to `new` (texts with `\n` line ends), headed by their names.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .missing_newline_hint(false)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_one_hunk_with_its_context() {
        let diff = unified("a\nb\nc\n", "a\nB\nc\n", "a/x", "b/x");
        assert_eq!(diff, "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    }
}
