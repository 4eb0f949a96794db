//! The keys `verify` and `listen` check requests with, read from `--secret` (and
//! `HOOKTOOL_SECRET`), `--secret-file` and `--public-key`.

use std::path::{Path, PathBuf};

use crate::cli::exit::{UserError, read_file};
use crate::domain::secret::Secret;
use crate::domain::signature::wix;

/// HMAC secrets or Beedeez credentials, in the order given, and the Wix public key if any.
pub fn read(
    secrets: &[String],
    secret_files: &[PathBuf],
    public_key: Option<&Path>,
) -> Result<(Vec<Secret>, Option<wix::VerifyingKey>), UserError> {
    let mut read_secrets = Vec::new();
    for value in secrets {
        if value.is_empty() {
            return Err(UserError::new("the secret is empty, --secret"));
        }
        read_secrets.push(Secret::new(value.clone()));
    }
    for path in secret_files {
        read_secrets.push(Secret::from_file(path, "--secret-file")?);
    }
    let public_key = match public_key {
        Some(path) => Some(
            wix::VerifyingKey::from_pem(&read_file(path, "--public-key")?).map_err(|error| {
                UserError::new(format!("{error}, --public-key {}", path.display()))
            })?,
        ),
        None => None,
    };
    Ok((read_secrets, public_key))
}
