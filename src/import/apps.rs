//! The apps of a group: each controlled service recognised as a product's through the
//! catalog (its watch id or its service name), or kept as a `custom` app's, and written with
//! only what differs from the product's defaults.

use super::out::{Out, list, scalar, shown};
use crate::catalog::{Catalog, Product};

/// One app as written: its lines, and what it controls.
pub struct App {
    pub product: String,
    pub name: Option<String>,
    pub services: Vec<(String, String)>,
    pub monitor: Option<bool>,
    pub fov: bool,
}

/// The product whose catalog service has this watch id or name.
pub fn recognise<'c>(catalog: &'c Catalog, watch_id: &str, service: &str) -> Option<(&'c Product, String)> {
    catalog.products.values().find_map(|p| {
        p.services
            .iter()
            .find(|s| s.watch_id.eq_ignore_ascii_case(watch_id) || (!service.is_empty() && s.is_named(service)))
            .map(|s| (p, s.key.clone()))
    })
}

/// Adds a controlled service (`monitor`: whether it is started with `/M`, when known) to the apps: to the last app when it is of the same product,
/// else to a new app.
pub fn add_service(
    apps: &mut Vec<App>,
    catalog: &Catalog,
    watch_id: &str,
    service: &str,
    monitor: Option<bool>,
    fov: bool,
    custom_app: &str,
) {
    let (product, key) = match recognise(catalog, watch_id, service) {
        Some((p, key)) => (p.id.clone(), key),
        None => ("custom".to_string(), service.to_string()),
    };
    let monitor_default = catalog.product(&product).map(|p| p.monitor.default);
    let same = apps
        .last()
        .is_some_and(|a| a.product == product && (product != "custom" || a.name.as_deref() == Some(custom_app)));
    if !same {
        apps.push(App {
            product: product.clone(),
            name: (product == "custom").then(|| custom_app.to_string()),
            services: Vec::new(),
            monitor: None,
            fov: false,
        });
    }
    let app = apps.last_mut().expect("just pushed");
    if !app.services.iter().any(|(k, _)| *k == key) {
        app.services.push((key, watch_id.to_string()));
    }
    // `None`: the scripts do not say (a stop.bat alone), so the product's default stands.
    if let Some(monitor) = monitor
        && (monitor_default.is_some_and(|d| d != monitor) || (product == "custom" && monitor))
    {
        app.monitor = Some(monitor);
    }
    app.fov |= fov;
}

/// Adds a service known only from an ARMKILL line (by its watch id) to the app of its product
/// already in the group, if any: a stop.bat says nothing of the start order, so it need not
/// make an app of its own.
pub fn add_stopped(apps: &mut Vec<App>, catalog: &Catalog, watch_id: &str, custom_app: &str) {
    if let Some((product, key)) = recognise(catalog, watch_id, "")
        && let Some(app) = apps.iter_mut().find(|a| a.product == product.id)
    {
        if !app.services.iter().any(|(k, _)| *k == key) {
            app.services.push((key, watch_id.to_string()));
        }
        return;
    }
    add_service(apps, catalog, watch_id, "", None, false, custom_app);
}

pub fn write_app(app: &App, catalog: &Catalog, out: &mut Out) {
    out.line(6, format!("- product: {}", scalar(&app.product)));
    if let Some(name) = &app.name {
        out.line(8, format!("name: {}", scalar(name)));
    }
    match catalog.product(&app.product) {
        Some(product) => {
            let defaults: Vec<&str> = product
                .services
                .iter()
                .filter(|s| s.default)
                .map(|s| s.key.as_str())
                .collect();
            let keys: Vec<String> = app.services.iter().map(|(k, _)| k.clone()).collect();
            let mut sorted_keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            sorted_keys.sort_unstable();
            let mut sorted_defaults = defaults.clone();
            sorted_defaults.sort_unstable();
            if sorted_keys != sorted_defaults {
                if product.keys.contains_key("services") {
                    out.line(8, format!("services: {}", list(&keys)));
                } else {
                    out.note(
                        8,
                        format!(
                            "the scripts control only {} of {}'s services; hagen controls them all",
                            keys.join(", "),
                            shown(&product.name)
                        ),
                    );
                }
            }
            let mut missing: Vec<&str> = product
                .keys
                .iter()
                .filter(|(_, spec)| spec.required)
                .map(|(k, _)| k.as_str())
                .collect();
            if product.version_required {
                missing.insert(0, "version");
            }
            if !missing.is_empty() {
                out.note(
                    8,
                    format!(
                        "clp.conf and the scripts do not hold {}; add {}",
                        shown(&product.name),
                        missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        None => {
            out.line(8, "services:");
            for (service, watch_id) in &app.services {
                out.line(
                    10,
                    format!("- {{ name: {}, watch_id: {} }}", scalar(service), scalar(watch_id)),
                );
            }
        }
    }
    if let Some(m) = app.monitor {
        out.line(8, format!("monitor: {m}"));
    }
    if app.fov {
        out.line(8, "failover_on_failure: true");
    }
}
