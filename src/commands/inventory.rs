//! `hagen inventory collect [FILE]`: the commands an operator runs on each server to export
//! its services, as `inventory:` reads them (`crate::inventory`), and the lines naming the
//! files in the cluster file.

use std::path::Path;

use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};
use crate::cli::InventoryAction;
use crate::inventory::collect::COMMANDS;

pub fn run(action: &InventoryAction) -> i32 {
    let mut out = Output::new();
    match action {
        InventoryAction::Collect { file } => {
            let servers = match file {
                None => vec!["SERVER".to_string()],
                Some(path) => match servers(path) {
                    Ok(servers) => servers,
                    Err(message) => {
                        out.error_line(&message);
                        return EXIT_FAILURE;
                    }
                },
            };
            out.write(&collect(&servers));
        }
    }
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}

/// The server names of a cluster file, in file order (also when the file has errors).
fn servers(path: &Path) -> Result<Vec<String>, String> {
    let input = crate::input::read(path).map_err(|e| e.to_string())?;
    let (_, names) = crate::pipeline::analyze(input.file(), &crate::catalog::Builtin, |cluster, _| {
        cluster
            .file
            .servers
            .iter()
            .map(|s| s.name.value.clone())
            .collect::<Vec<_>>()
    });
    match names {
        Some(names) if !names.is_empty() => Ok(names),
        _ => Err(format!(
            "{}: no servers to name (fix the file's `servers` first)",
            path.display()
        )),
    }
}

/// The text `collect` prints for these servers.
pub fn collect(servers: &[String]) -> String {
    let mut text = String::from(
        "# Run one of these on each server, as it is installed, and copy the file it writes, unedited,\n\
         # next to the cluster file (hagen reads UTF-8, UTF-16 and CP932 and recognises the format).\n",
    );
    for command in COMMANDS {
        let ext = match command.id {
            "powershell" | "cim" => "json",
            "wmic" => "csv",
            _ => "txt",
        };
        text.push_str(&format!("\n# {} ({}):\n", command.shell, command.when));
        for server in servers {
            text.push_str(&command.line.replace("FILE", &format!("{server}.{ext}")));
            text.push('\n');
        }
    }
    text.push_str("\n# Then name each file in the cluster file, e.g. for the wmic export:\ninventory:\n");
    for server in servers {
        text.push_str(&format!("  {server}: inventory/{server}.csv\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_offered_for_every_server() {
        let text = collect(&["sv1".to_string(), "sv2".to_string()]);
        assert!(text.contains("Get-Service | Select-Object Name,StartType | ConvertTo-Json | Out-File sv1.json\n"));
        assert!(text.contains("wmic service get Name,StartMode /format:csv > sv2.csv\n"));
        assert!(text.contains("do @sc qc \"%b\" 8192) > sv1.txt\n"));
        assert!(text.ends_with("inventory:\n  sv1: inventory/sv1.csv\n  sv2: inventory/sv2.csv\n"));
    }
}
