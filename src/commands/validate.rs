//! `hooktool validate`.

use crate::cli::ValidateArgs;
use crate::error::{Outcome, UserError};

pub fn run(_args: &ValidateArgs) -> anyhow::Result<Outcome> {
    Err(UserError::new("`hooktool validate` is not available in this build").into())
}
