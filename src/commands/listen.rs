//! `hooktool listen`.

use crate::cli::ListenArgs;
use crate::error::{Outcome, UserError};

pub fn run(_args: &ListenArgs) -> anyhow::Result<Outcome> {
    Err(UserError::new("`hooktool listen` is not available in this build").into())
}
