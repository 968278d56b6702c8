//! The lint rules, one per file. Each reads a parsed script (or a start.bat/stop.bat pair) and
//! its control flow ([`crate::lint::flow`], built once per script) and pushes diagnostics;
//! none stops another, none does I/O, and each costs time in proportion to the scripts'
//! length (or that times the logarithm).

mod disk_failure_exits_zero;
mod duplicate_label;
mod encoding;
mod failover_option;
mod fall_through;
mod hard_coded_credential;
mod line_endings;
mod missing_label;
mod monitor;
mod never_stop;
mod recover_starts_work;
mod stop_order;
mod unknown_value;
mod unquoted_comparison;
mod unstopped;
mod work_before_disk;

use super::Linted;
use crate::catalog::Catalog;

/// The rules that need one file.
pub fn check_file(item: &mut Linted, catalog: &Catalog) {
    encoding::check(item);
    line_endings::check(item);
    missing_label::check(item);
    duplicate_label::check(item);
    fall_through::check(item);
    work_before_disk::check(item);
    disk_failure_exits_zero::check(item);
    recover_starts_work::check(item);
    unquoted_comparison::check(item);
    unknown_value::check(item);
    hard_coded_credential::check(item);
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
