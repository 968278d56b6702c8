//! `hagen explain CODE`: what a diagnostic code means, from `docs/codes/`.

use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};

/// `hagen explain CODE`: the code's document, or a usage error with the nearest code.
pub fn run(code: &str) -> i32 {
    use crate::diag::explain;
    let mut out = Output::new();
    let status = match explain::explain(code) {
        Some(text) => {
            out.write(text);
            EXIT_OK
        }
        None => {
            let hint = match explain::suggest(code) {
                Some(near) => format!("; did you mean `{near}`?"),
                None => "; every code is listed in `hagen check --help`".to_string(),
            };
            out.error_line(&format!("no diagnostic code `{code}`{hint}"));
            EXIT_FAILURE
        }
    };
    if out.finish() { status } else { EXIT_FAILURE }
}
