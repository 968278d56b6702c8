//! The commands that read the catalog and print data rather than check a file: each returns
//! text or JSON for `app` to print, so it can be tested without running the binary.

pub mod init;
pub mod profiles;
