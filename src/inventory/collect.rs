//! The commands that export a server's services, as `hagen inventory collect` prints them.
//!
//! Each runs on the server as it is installed, and writes what [`super::parse`] reads:
//! - PowerShell: `Get-Service` objects are `ServiceController`s, whose `StartType` is a
//!   `ServiceStartMode` (Microsoft, ".NET API reference: ServiceController.StartType
//!   Property"); where an older PowerShell's objects lack it, the `StartMode` of the
//!   Win32_Service class serves (Microsoft, "Win32_Service class"), through `Get-CimInstance`
//!   (Microsoft, "Get-CimInstance", Windows PowerShell reference);
//! - WMIC: `wmic service get Name,StartMode /format:csv` (Microsoft, "WMIC": deprecated, and
//!   not installed by default on the newest Windows versions);
//! - sc.exe: `sc query state= all` lists every service (Microsoft, "Sc query": `state= all`,
//!   with the space after the equals sign), and `sc qc NAME BufferSize` gives each one's start
//!   type (Microsoft, "Sc qc": BufferSize in bytes, 1,024 by default, too small for a service
//!   with many dependencies).

/// One way to export, with when to use it.
pub struct Command {
    pub id: &'static str,
    pub shell: &'static str,
    pub when: &'static str,
    /// The command line, with `FILE` standing for the output file's name.
    pub line: &'static str,
}

pub const COMMANDS: &[Command] = &[
    Command {
        id: "powershell",
        shell: "PowerShell",
        when: "where `Get-Service | Get-Member StartType` lists the StartType property",
        line: "Get-Service | Select-Object Name,StartType | ConvertTo-Json | Out-File FILE",
    },
    Command {
        id: "cim",
        shell: "PowerShell",
        when: "where Get-Service has no StartType property and Get-CimInstance exists",
        line: "Get-CimInstance Win32_Service | Select-Object Name,StartMode | ConvertTo-Json | Out-File FILE",
    },
    Command {
        id: "wmic",
        shell: "cmd.exe",
        when: "where wmic.exe is installed; it is deprecated on the newest Windows versions",
        line: "wmic service get Name,StartMode /format:csv > FILE",
    },
    Command {
        id: "sc",
        shell: "cmd.exe",
        when: "any server with sc.exe, at the command prompt; in a .bat file write %%a and %%b",
        line: "(sc query state= all & for /f \"tokens=1,* delims=: \" %a in ('sc query state^= all ^| findstr /b SERVICE_NAME') do @sc qc \"%b\" 8192) > FILE",
    },
];
