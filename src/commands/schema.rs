//! `hooktool schema EVENT`: the event's JSON Schema, exactly as kept in its provider pack.

use crate::cli::SchemaArgs;
use crate::domain::catalogue;
use crate::error::{Outcome, UserError};
use crate::io::terminal;

pub fn run(args: &SchemaArgs) -> anyhow::Result<Outcome> {
    let event = catalogue::find(&args.event).map_err(UserError::from)?;
    terminal::write_stdout(event.schema.as_bytes())?;
    Ok(Outcome::Success)
}
