//! Secrets, kept out of debug output and logs from the moment they are read.

use std::fmt;

/// A secret string. `Debug` and `Display` redact it; `expose` is the only way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The secret a secret file holds: its text without one trailing newline (LF or CRLF), which
/// editors add; `None` when nothing is left.
pub fn from_file_text(text: &str) -> Option<Secret> {
    let value = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    (!value.is_empty()).then(|| Secret(value.to_string()))
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_formatting() {
        let secret = Secret::new("whsec_abc");
        assert!(!format!("{secret:?} {secret}").contains("abc"));
        assert_eq!(secret.expose(), "whsec_abc");
    }

    #[test]
    fn one_trailing_newline_is_not_part_of_the_secret() {
        assert_eq!(from_file_text("whsec_x\r\n").unwrap().expose(), "whsec_x");
        assert_eq!(from_file_text("a\n\n").unwrap().expose(), "a\n");
        assert!(from_file_text("\n").is_none());
    }
}
