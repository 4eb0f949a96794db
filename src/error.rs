//! Exit codes and the user-facing error type: one line naming what went wrong and where,
//! optionally followed by hints.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_drop_the_os_error_number() {
        let error = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&error), "No such file or directory");
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
