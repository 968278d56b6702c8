//! Standard output for every command: buffered, quiet when the reader goes away, one line
//! per failure on standard error.

use std::io::{self, BufWriter, Stdout, Write};

/// Standard output, buffered; a reader that went away (broken pipe) ends output quietly, any
/// other write error is reported once.
pub(crate) struct Output {
    inner: BufWriter<Stdout>,
    error: Option<io::Error>,
}

impl Output {
    pub(crate) fn new() -> Self {
        Output {
            inner: BufWriter::new(io::stdout()),
            error: None,
        }
    }

    pub(crate) fn write(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(err) = self.inner.write_all(text.as_bytes())
        {
            self.error = Some(err);
        }
    }

    /// `value` as indented JSON and a newline, written as it is serialized.
    pub(crate) fn write_json(&mut self, value: &impl serde::Serialize) {
        if self.error.is_none()
            && let Err(err) = serde_json::to_writer_pretty(&mut self.inner, value)
        {
            self.error = Some(err.into());
        }
        self.write("\n");
    }

    pub(crate) fn error_line(&mut self, line: &str) {
        if self.error.is_none()
            && let Err(err) = self.inner.flush()
        {
            self.error = Some(err);
        }
        let _ = writeln!(io::stderr(), "hagen: {line}");
    }

    /// Flushes; false when output could not be written for a reason other than a closed pipe.
    pub(crate) fn finish(mut self) -> bool {
        if self.error.is_none()
            && let Err(err) = self.inner.flush()
        {
            self.error = Some(err);
        }
        match self.error {
            None => true,
            Some(err) if err.kind() == io::ErrorKind::BrokenPipe => true,
            Some(err) => {
                let _ = writeln!(io::stderr(), "hagen: cannot write to standard output: {err}");
                false
            }
        }
    }
}
