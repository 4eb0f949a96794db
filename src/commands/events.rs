//! `hooktool events`: the catalogue, for people or as JSON.

use crate::cli::EventsArgs;
use crate::error::Outcome;
use crate::io::terminal;
use crate::render::catalogue;

pub fn run(args: &EventsArgs) -> anyhow::Result<Outcome> {
    if args.json {
        terminal::print_json(&catalogue::json())?;
    } else {
        terminal::write_stdout(catalogue::text(terminal::stdout_palette()).as_bytes())?;
    }
    Ok(Outcome::Success)
}
