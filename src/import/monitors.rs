//! The monitors: hagen writes its own from the cluster file, so the importer only says which
//! ones it does not describe and that their settings are not kept.

use super::out::{Out, shown};
use super::xml::Element;

/// The monitors hagen writes itself from the cluster file (README, "What clp.conf holds").
const OWN_MONITORS: [&str; 7] = ["userw", "fipw", "sdw", "regsyncw", "servicew", "mdw", "mdnw"];

/// A note for the monitors hagen does not write (they are not imported), and for the
/// settings of those it does (polling, recovery: hagen leaves them to the product's defaults).
pub fn monitors(root: &Element, out: &mut Out) {
    let Some(monitor) = root.get("monitor") else { return };
    let others: Vec<String> = monitor
        .children
        .iter()
        .filter(|m| m.name != "types" && !OWN_MONITORS.contains(&m.name.as_str()))
        .map(|m| {
            format!(
                "{} ({})",
                shown(m.attribute("name").unwrap_or_default()),
                shown(&m.name)
            )
        })
        .collect();
    if !others.is_empty() {
        out.note(0, format!("monitors not described by hagen: {}", others.join(", ")));
    }
    let tuned = monitor
        .children
        .iter()
        .filter(|m| OWN_MONITORS.contains(&m.name.as_str()))
        .any(|m| {
            m.children
                .iter()
                .any(|c| matches!(c.name.as_str(), "polling" | "emergency"))
        });
    if tuned {
        out.note(
            0,
            "monitor polling and recovery settings are left to the defaults by hagen",
        );
    }
}
