//! `hooktool send`.

use crate::cli::SendArgs;
use crate::error::{Outcome, UserError};

pub fn run(_args: &SendArgs) -> anyhow::Result<Outcome> {
    Err(UserError::new("`hooktool send` is not available in this build").into())
}
