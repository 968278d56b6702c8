//! The resources of a group as clp.conf lists them (`<group><resource name="fip@fip1"/>`),
//! joined to their definitions under `<resource>`.

use std::collections::HashMap;

use super::xml::Element;

/// A resource of a group: its type and name (`fip@fip1`), and its element.
pub struct Resource<'a> {
    pub kind: String,
    pub name: String,
    pub element: Option<&'a Element>,
}

/// The resource definitions under `<resource>`, by type and name (the first of each).
///
/// Found once per file: joining each group's resources to their definitions is then a lookup
/// per resource, where a search would scan the file's groups for `<resource>` and then every
/// definition of the type, for every resource of every group (quadratic in the groups).
pub struct Definitions<'a> {
    by_name: HashMap<(&'a str, &'a str), &'a Element>,
}

impl<'a> Definitions<'a> {
    pub fn new(root: &'a Element) -> Definitions<'a> {
        let mut by_name = HashMap::new();
        for definition in root.get("resource").into_iter().flat_map(|all| &all.children) {
            if let Some(name) = definition.attribute("name") {
                by_name.entry((definition.name.as_str(), name)).or_insert(definition);
            }
        }
        Definitions { by_name }
    }

    /// The resources of a group, in its order, with their elements under `<resource>`.
    pub fn resources_of(&self, group: &Element) -> Vec<Resource<'a>> {
        group
            .all("resource")
            .filter_map(|r| r.attribute("name"))
            .map(|full| {
                let (kind, name) = full.split_once('@').unwrap_or(("", full));
                Resource {
                    kind: kind.to_string(),
                    name: name.to_string(),
                    element: self.by_name.get(&(kind, name)).copied(),
                }
            })
            .collect()
    }
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
