//! `hooktool verify`.

use crate::cli::VerifyArgs;
use crate::error::{Outcome, UserError};

pub fn run(_args: &VerifyArgs) -> anyhow::Result<Outcome> {
    Err(UserError::new("`hooktool verify` is not available in this build").into())
}
