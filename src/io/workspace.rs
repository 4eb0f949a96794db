//! The demo's workspace: a temporary directory holding the capture file, the Cativa secret and
//! the Beedeez token the demo makes. Removed when the demo ends unless the user keeps it, so
//! that runs do not pile secrets up in the temp dir.

use std::path::PathBuf;

use rand::RngExt;

use crate::domain::secret::Secret;
use crate::error::{UserError, io_reason, with_descriptor_hint};
use crate::render::demo::WorkspacePaths;

pub struct Workspace {
    /// The directory, removed when dropped; `None` once it is kept.
    dir: Option<tempfile::TempDir>,
    root: PathBuf,
    pub capture_file: PathBuf,
    pub secret_file: PathBuf,
    pub token_file: PathBuf,
    pub cativa_secret: Secret,
    pub beedeez_token: Secret,
}

impl Workspace {
    /// Makes the directory and writes a fresh secret and token into it.
    pub fn create(keep: bool) -> Result<Workspace, UserError> {
        let failed = |error: std::io::Error| {
            with_descriptor_hint(
                UserError::new(format!(
                    "cannot create the demo's workspace in {} ({})",
                    std::env::temp_dir().display(),
                    io_reason(&error)
                )),
                &error,
            )
        };
        let dir = tempfile::Builder::new()
            .prefix("hooktool-demo-")
            .tempdir()
            .map_err(failed)?;
        let path = dir.path().to_path_buf();
        // A kept workspace is let go of at once, so that no early return removes it.
        let dir = if keep {
            let _ = dir.keep();
            None
        } else {
            Some(dir)
        };
        let cativa_secret = Secret::new(format!(
            "whsec_{}",
            hex::encode(rand::rng().random::<[u8; 32]>())
        ));
        let beedeez_token = Secret::new(hex::encode(rand::rng().random::<[u8; 16]>()));
        let workspace = Workspace {
            capture_file: path.join("capture.jsonl"),
            secret_file: path.join("cativa-secret.txt"),
            token_file: path.join("beedeez-token.txt"),
            root: path.clone(),
            dir,
            cativa_secret,
            beedeez_token,
        };
        std::fs::write(
            &workspace.secret_file,
            format!("{}\n", workspace.cativa_secret.expose()),
        )
        .map_err(failed)?;
        std::fs::write(
            &workspace.token_file,
            format!("{}\n", workspace.beedeez_token.expose()),
        )
        .map_err(failed)?;
        Ok(workspace)
    }

    pub fn paths(&self) -> WorkspacePaths<'_> {
        WorkspacePaths {
            dir: &self.root,
            capture_file: &self.capture_file,
            secret_file: &self.secret_file,
            token_file: &self.token_file,
            kept: self.dir.is_none(),
        }
    }

    /// Removes the directory, unless it is kept.
    pub fn finish(mut self) -> Result<(), UserError> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let path = dir.path().display().to_string();
        dir.close().map_err(|error| {
            UserError::new(format!(
                "cannot remove the demo's workspace {path} ({})",
                io_reason(&error)
            ))
        })
    }
}
