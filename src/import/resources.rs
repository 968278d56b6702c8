//! The resources of a group as clp.conf lists them (`<group><resource name="fip@fip1"/>`),
//! joined to their definitions under `<resource>`.

use super::xml::Element;

/// A resource of a group: its type and name (`fip@fip1`), and its element.
pub struct Resource<'a> {
    pub kind: String,
    pub name: String,
    pub element: Option<&'a Element>,
}

/// The resources of a group, in its order, with their elements under `<resource>`.
pub fn resources_of<'a>(root: &'a Element, group: &'a Element) -> Vec<Resource<'a>> {
    group
        .all("resource")
        .filter_map(|r| r.attribute("name"))
        .map(|full| {
            let (kind, name) = full.split_once('@').unwrap_or(("", full));
            let element = root
                .get("resource")
                .and_then(|all| all.all(kind).find(|e| e.attribute("name") == Some(name)));
            Resource {
                kind: kind.to_string(),
                name: name.to_string(),
                element,
            }
        })
        .collect()
}

/// Resource settings hagen does not write: waits, retries, timeouts, recovery actions.
pub fn tuned(resource: &Element) -> bool {
    let extra_parameters = resource.get("parameters").is_some_and(|p| {
        p.children.iter().any(|c| {
            !matches!(
                c.name.as_str(),
                "ip" | "vcomname" | "target" | "volumemountpoint" | "list" | "name" | "netdev" | "cpvolumemountpoint"
            )
        })
    });
    extra_parameters
        || resource
            .children
            .iter()
            .any(|c| matches!(c.name.as_str(), "act" | "deact" | "timeout" | "emergency"))
}

/// Every `key` element below `e`, in file order.
pub fn collect_keys(e: &Element, keys: &mut Vec<String>) {
    for c in &e.children {
        if c.name == "key" && !c.text.is_empty() {
            keys.push(c.text.clone());
        }
        collect_keys(c, keys);
    }
}
