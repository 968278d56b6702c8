//! `hagen schema [cluster|profile]`: the JSON Schemas, for editors.

use std::path::Path;

use super::reporter::profiles_of;
use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};
use crate::cli::SchemaKind;

/// `hagen schema [cluster|profile]`: the JSON Schema on standard output.
pub fn run(kind: SchemaKind, profiles: Option<&Path>) -> i32 {
    let mut out = Output::new();
    let text = match kind {
        SchemaKind::Profile => crate::schema::profile_schema(),
        SchemaKind::Cluster => match profiles_of(profiles) {
            Ok(None) => crate::schema::cluster_schema(),
            Ok(Some(catalog)) => crate::schema::cluster_schema_for(&catalog),
            Err(message) => {
                out.error_line(&message);
                return EXIT_FAILURE;
            }
        },
    };
    out.write(&text);
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}
