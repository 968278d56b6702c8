//! The stable diagnostic codes of SPEC section 4.
//!
//! Codes are public: CI configurations, SARIF consumers and `hagen explain` key on them, so a
//! code is never renamed or reused. A snapshot test guards the list.

use std::fmt;

use super::Severity;

macro_rules! codes {
    ($($variant:ident => $name:literal, $severity:ident, $description:literal;)*) => {
        /// A diagnostic code, written in kebab-case.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of SPEC section 4.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case name users see and configure.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The severity a diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// One line: when the code is raised.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }
        }
    };
}

codes! {
    YamlSyntax => "yaml-syntax", Error, "not YAML; duplicate key; alias budget or depth exceeded; file too large";
    UnknownField => "unknown-field", Error, "a key the schema does not have";
    MissingField => "missing-field", Error, "a required key is absent";
    InvalidValue => "invalid-value", Error, "wrong type, format, range or enum value; a character that could inject into a script or path";
    InvalidName => "invalid-name", Error, "a name outside the naming rules";
    DuplicateName => "duplicate-name", Error, "two servers, groups, apps or watch ids share a name";
    UnknownReference => "unknown-reference", Error, "a name that refers to nothing: server, group, app, product, platform";
    DependencyCycle => "dependency-cycle", Error, "start order has a cycle (apps in a group, or groups)";
    OrderConflict => "order-conflict", Error, "an explicit `after` contradicts a product's built-in order";
    MissingDependency => "missing-dependency", Error, "a product requires another in the same group";
    PortNotAllowed => "port-not-allowed", Error, "a port the platform, a feature or an app needs is missing from the allowlist";
    PortConflict => "port-conflict", Error, "two apps in one group need the same port on the same address";
    PortUnused => "port-unused", Warning, "the allowlist opens a cluster port range of another platform generation";
    ServiceNotManual => "service-not-manual", Error, "the inventory shows a cluster-controlled service not set to manual";
    ServiceMustNotStop => "service-must-not-stop", Error, "a service the catalog says must never be stopped is controlled";
    MonitorNotAllowed => "monitor-not-allowed", Error, "the monitor option is asked for where the product forbids it";
    FailoverOptionDiscouraged => "failover-option-discouraged", Warning, "/FOV asked for";
    ServiceUnsupported => "service-unsupported", Error, "a service the product does not support in a cluster";
    StandbyUnsupported => "standby-unsupported", Error, "the detected standby type is not supported by a product";
    ServerCount => "server-count", Error, "a failover policy has fewer or more servers than the product supports";
    VersionUnsupported => "version-unsupported", Error, "product version, OS and platform do not form a supported combination";
    CombinationUnverified => "combination-unverified", Warning, "no source covers this product version, OS and platform: confirm it with the vendor";
    PlacementUnsupported => "placement-unsupported", Error, "SURFNAVI in a DMZ, or an edition that cannot be clustered";
    SiteBindingRequired => "site-binding-required", Error, "IIS two-way standby without an explicit site binding";
    DomainAccountRequired => "domain-account-required", Error, "a service account is not DOMAIN\\user";
    InstallLocation => "install-location", Error, "program or data on the wrong disk for the product";
    VolumeGuidMissing => "volume-guid-missing", Error, "building for CLUSTERPRO X without a disk's volume GUID for a server";
    ScriptFallThrough => "script-fall-through", Error, "a start.bat/stop.bat branch runs on into the next without GOTO or EXIT";
    ScriptMissingLabel => "script-missing-label", Error, "a script jumps to a label it does not define";
    ScriptUnstoppedService => "script-unstopped-service", Error, "start.bat starts a watch id that stop.bat of the same folder never stops";
    ScriptStopOrder => "script-stop-order", Warning, "stop.bat stops services in an order other than the exact reverse of start.bat";
    ScriptLineEndings => "script-line-endings", Error, "a script has a UTF-8 byte order mark, LF-only or mixed line endings";
    ScriptEncoding => "script-encoding", Error, "a script holds bytes that are not CP932, or is saved as UTF-8";
    ScriptDuplicateLabel => "script-duplicate-label", Error, "a script defines a label twice (a GOTO reaches one of them by where it stands)";
    ScriptWorkBeforeDiskCheck => "script-work-before-disk-check", Error, "start.bat runs a command on START or FAILOVER before comparing the disk variable";
    ScriptDiskFailureExitsZero => "script-disk-failure-exits-zero", Error, "start.bat's path for a failed disk ends the script with exit code 0";
    ScriptRecoverStartsWork => "script-recover-starts-work", Error, "start.bat runs a command (ARMLOAD, a program) for the RECOVER event";
    ScriptUnquotedComparison => "script-unquoted-comparison", Error, "an IF compares a variable without quotes, or a quoted operand with an unquoted one";
    ScriptHardCodedCredential => "script-hard-coded-credential", Warning, "a password is written in a script, on a command line or in SET";
    ScriptUnknownValue => "script-unknown-value", Error, "an IF compares the event, disk or server variable with a value the cluster never sets";
}

impl Code {
    /// The code with this kebab-case name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether only `hagen lint-scripts` raises the code (its fixture is a script pair, its
    /// examples are batch files).
    pub fn script_only(self) -> bool {
        self.name().starts_with("script-")
    }

    /// The codes `hagen lint-scripts` raises: its own `script-*` codes and the check codes
    /// whose meaning a script line can have too.
    pub fn in_scripts(self) -> bool {
        self.script_only()
            || matches!(
                self,
                Code::ServiceMustNotStop | Code::MonitorNotAllowed | Code::FailoverOptionDiscouraged
            )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case_and_round_trip() {
        for &code in Code::ALL {
            let name = code.name();
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{name}");
            assert_eq!(Code::from_name(name), Some(code));
        }
    }

    #[test]
    fn the_list_of_codes_is_stable() {
        let list: String = Code::ALL
            .iter()
            .map(|c| format!("{:<28} {:<8} {}\n", c.name(), c.severity().name(), c.description()))
            .collect();
        insta::assert_snapshot!(list);
    }
}
