//! Exit codes and the user-facing error type: one line naming what went wrong and where,
//! optionally followed by hints, the one for a shortage of file descriptors among them. The one
//! place that talks to `libc`.

use std::fmt;

/// How a command ended. Usage and input errors are `Err(UserError)` instead, exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: a negative result (bad signature, invalid file, failed delivery, unmet
    /// expectations). Not an error.
    Negative,
    /// Exit 130: stopped by Ctrl-C after printing a summary.
    Interrupted,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Negative => 1,
            Outcome::Interrupted => 130,
        }
    }

    /// Success when `ok`, else Negative.
    pub fn from_ok(ok: bool) -> Self {
        if ok {
            Outcome::Success
        } else {
            Outcome::Negative
        }
    }
}

/// Exit code for usage and input errors.
pub const USAGE_EXIT_CODE: u8 = 2;

/// A usage or input error (exit 2): `hooktool: error: <what>, <where>` plus `hint:` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    pub message: String,
    pub hints: Vec<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

impl From<crate::domain::catalogue::UnknownEvent> for UserError {
    fn from(unknown: crate::domain::catalogue::UnknownEvent) -> Self {
        let error = UserError::new(format!("{unknown}, EVENT argument"));
        match unknown.suggestion {
            Some(name) => error.hint(format!(
                "did you mean `{name}`? `hooktool events` lists every event"
            )),
            None => error.hint("`hooktool events` lists every event"),
        }
    }
}

/// The reason part of an I/O error, without Rust's "(os error N)" suffix.
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// Whether `error` says the process (or the whole system) is out of file descriptors: too many
/// files and connections open at once.
pub fn out_of_descriptors(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(error.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

/// The error a process out of file descriptors gets, for tests.
#[cfg(all(test, unix))]
pub fn descriptor_shortage() -> std::io::Error {
    std::io::Error::from_raw_os_error(libc::EMFILE)
}

/// The way out of a shortage of file descriptors.
pub const DESCRIPTOR_HINT: &str = "raise the limit of open files, e.g. `ulimit -n 4096`";

/// `error` with [`DESCRIPTOR_HINT`] when `cause` is a shortage of file descriptors.
pub fn with_descriptor_hint(error: UserError, cause: &std::io::Error) -> UserError {
    if out_of_descriptors(cause) {
        error.hint(DESCRIPTOR_HINT)
    } else {
        error
    }
}

/// The error for an async runtime that could not be started: it needs file descriptors of its
/// own (an event queue, a waker) before any file or connection is opened.
pub fn runtime_unavailable(error: std::io::Error) -> UserError {
    with_descriptor_hint(
        UserError::new(format!(
            "cannot start the network event loop ({})",
            io_reason(&error)
        )),
        &error,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_drop_the_os_error_number() {
        let error = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&error), "No such file or directory");
    }

    #[test]
    fn a_shortage_of_descriptors_gets_its_hint() {
        let plain = UserError::new("cannot read a.json (No such file or directory), PATH argument");
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(
            with_descriptor_hint(plain.clone(), &missing)
                .hints
                .is_empty()
        );
        #[cfg(unix)]
        {
            let exhausted = descriptor_shortage();
            assert_eq!(io_reason(&exhausted), "Too many open files");
            assert_eq!(
                with_descriptor_hint(plain, &exhausted).hints,
                [DESCRIPTOR_HINT]
            );
        }
    }

    #[test]
    fn unknown_events_carry_a_suggestion_hint() {
        let error: UserError = crate::domain::catalogue::find("post_creatd")
            .unwrap_err()
            .into();
        assert_eq!(error.message, "unknown event `post_creatd`, EVENT argument");
        assert!(error.hints[0].contains("`post_created`"));
    }
}
