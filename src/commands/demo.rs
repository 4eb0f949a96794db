//! `hooktool demo`.

use crate::cli::DemoArgs;
use crate::error::{Outcome, UserError};

pub fn run(_args: &DemoArgs) -> anyhow::Result<Outcome> {
    Err(UserError::new("`hooktool demo` is not available in this build").into())
}
