//! Secrets from a flag, the environment or a file, kept out of debug output and logs.

use std::fmt;
use std::path::Path;

use crate::cli::exit::UserError;

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

    /// Reads a secret file; one trailing newline (LF or CRLF) is not part of the secret.
    pub fn from_file(path: &Path, flag: &str) -> Result<Self, UserError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            UserError::new(format!(
                "cannot read secret file {} ({}), {flag}",
                path.display(),
                crate::cli::exit::io_reason(&error)
            ))
        })?;
        let value = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(&text);
        if value.is_empty() {
            return Err(UserError::new(format!(
                "secret file {} is empty, {flag}",
                path.display()
            )));
        }
        Ok(Secret(value.to_string()))
    }
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
    fn one_trailing_newline_is_dropped_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        std::fs::write(&path, "whsec_x\r\n").unwrap();
        assert_eq!(
            Secret::from_file(&path, "--secret-file").unwrap().expose(),
            "whsec_x"
        );
        std::fs::write(&path, "\n").unwrap();
        assert!(Secret::from_file(&path, "--secret-file").is_err());
        assert!(Secret::from_file(&dir.path().join("none"), "--secret-file").is_err());
    }
}
