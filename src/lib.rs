//! hagen: a compiler and validator for CLUSTERPRO cluster descriptions.
//!
//! Data flows one way: [`yaml`] parses a file into a spanned tree, [`model`] decodes it into
//! typed values (collecting every shape error), [`check`] resolves names against the
//! [`catalog`] and runs every rule, and [`render`] prints the diagnostics. Checks never do I/O.

pub mod app;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod graph;
pub mod i18n;
pub mod import;
pub mod input;
pub mod inventory;
pub mod lint;
pub mod model;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
pub mod resolved;
pub mod schema;
pub mod simulate;
pub mod source;
pub mod suggest;
pub mod yaml;
