//! The lint rules, one per file. Each reads a parsed script (or a start.bat/stop.bat pair) and
//! pushes diagnostics; none stops another, none does I/O.

mod encoding;
mod failover_option;
mod fall_through;
mod line_endings;
mod missing_label;
mod monitor;
mod never_stop;
mod stop_order;
mod unstopped;

use super::Linted;
use crate::catalog::Catalog;

/// The rules that need one file.
pub fn check_file(item: &mut Linted, catalog: &Catalog) {
    encoding::check(item);
    line_endings::check(item);
    missing_label::check(item);
    fall_through::check(item);
    failover_option::check(item);
    monitor::check(item, catalog);
    never_stop::check(item, None, catalog);
}

/// The rules that compare a start.bat with the stop.bat of its folder.
pub fn check_pair(start: &mut Linted, stop: &mut Linted, catalog: &Catalog) {
    unstopped::check(start, stop);
    stop_order::check(start, stop);
    never_stop::check(stop, Some(&start.script), catalog);
}
