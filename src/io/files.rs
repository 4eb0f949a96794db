//! Files the user names on the command line: whole files (bodies, keys), secret files, and the
//! keys `verify` and `listen` check requests with. Each error is one line naming the file and
//! the flag.

use std::path::{Path, PathBuf};

use crate::domain::secret::{Secret, from_file_text};
use crate::domain::signature::wix;
use crate::error::{UserError, io_reason};

/// Reads a file named by `flag`.
pub fn read_file(path: &Path, flag: &str) -> Result<Vec<u8>, UserError> {
    std::fs::read(path).map_err(|error| {
        UserError::new(format!(
            "cannot read {} ({}), {flag}",
            path.display(),
            io_reason(&error)
        ))
    })
}

/// Reads a secret file; one trailing newline (LF or CRLF) is not part of the secret.
pub fn read_secret(path: &Path, flag: &str) -> Result<Secret, UserError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        UserError::new(format!(
            "cannot read secret file {} ({}), {flag}",
            path.display(),
            io_reason(&error)
        ))
    })?;
    from_file_text(&text)
        .ok_or_else(|| UserError::new(format!("secret file {} is empty, {flag}", path.display())))
}

/// Reads an RSA private key (PEM) to sign Wix JWTs with.
pub fn read_signing_key(path: &Path, flag: &str) -> Result<wix::SigningKey, UserError> {
    wix::SigningKey::from_pem(&read_file(path, flag)?).map_err(|error| {
        UserError::new(format!("{error}, {flag} {}", path.display()))
            .hint("expected an RSA private key, e.g. from `openssl genpkey -algorithm RSA`")
    })
}

/// What requests are checked with: HMAC secrets or Beedeez credentials in the order given
/// (flags and `HOOKTOOL_SECRET` first, then files), and the Wix public key if one is named.
pub struct VerifyingKeys {
    pub secrets: Vec<Secret>,
    pub wix_public_key: Option<wix::VerifyingKey>,
}

pub fn read_verifying_keys(
    secrets: &[Secret],
    secret_files: &[PathBuf],
    public_key: Option<&Path>,
) -> Result<VerifyingKeys, UserError> {
    let mut all = secrets.to_vec();
    for path in secret_files {
        all.push(read_secret(path, "--secret-file")?);
    }
    let wix_public_key = match public_key {
        Some(path) => Some(
            wix::VerifyingKey::from_pem(&read_file(path, "--public-key")?).map_err(|error| {
                UserError::new(format!("{error}, --public-key {}", path.display()))
            })?,
        ),
        None => None,
    };
    Ok(VerifyingKeys {
        secrets: all,
        wix_public_key,
    })
}

/// Where `listen` writes its capture records: appended to `out`, or stdout.
pub fn capture_sink(out: Option<&Path>) -> Result<Box<dyn std::io::Write + Send>, UserError> {
    let Some(path) = out else {
        return Ok(Box::new(std::io::stdout()));
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|error| {
            UserError::new(format!(
                "cannot open {} for appending ({}), --out",
                path.display(),
                io_reason(&error)
            ))
        })?;
    Ok(Box::new(file))
}

/// Reads an input named on the command line, `-` being stdin: its label for messages and its
/// bytes.
pub fn read_input(path: &Path) -> Result<(String, Vec<u8>), UserError> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(|error| {
            UserError::new(format!("cannot read stdin ({}), INPUT", io_reason(&error)))
        })?;
        return Ok(("stdin".to_string(), bytes));
    }
    let bytes = read_in_parallel(path).map_err(|error| {
        UserError::new(format!(
            "cannot read {} ({}), INPUT argument",
            path.display(),
            io_reason(&error)
        ))
    })?;
    Ok((path.display().to_string(), bytes))
}

/// Reads a file in segments, one positioned read per thread: for a capture of hundreds of
/// megabytes, a single read would be the one sequential step of the run.
#[cfg(unix)]
fn read_in_parallel(path: &Path) -> std::io::Result<Vec<u8>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    const SEGMENT: usize = 8 << 20;
    let file = std::fs::File::open(path)?;
    let length = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    if length <= SEGMENT {
        return std::fs::read(path);
    }
    let mut bytes = vec![0u8; length];
    bytes
        .par_chunks_mut(SEGMENT)
        .enumerate()
        .try_for_each(|(index, segment)| file.read_exact_at(segment, (index * SEGMENT) as u64))?;
    Ok(bytes)
}

#[cfg(not(unix))]
fn read_in_parallel(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_dropped_from_secret_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        std::fs::write(&path, "whsec_x\r\n").unwrap();
        assert_eq!(
            read_secret(&path, "--secret-file").unwrap().expose(),
            "whsec_x"
        );
        std::fs::write(&path, "\n").unwrap();
        assert!(read_secret(&path, "--secret-file").is_err());
        assert!(read_secret(&dir.path().join("none"), "--secret-file").is_err());
    }
}
