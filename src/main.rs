//! The `hooktool` binary: parse, resolve settings, run, and map the outcome to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use hooktool::cli::settings::Settings;
use hooktool::cli::{Cli, usage};

#[global_allocator]
static ALLOCATOR: hooktool::Allocator = hooktool::Allocator;

fn main() -> ExitCode {
    match parse() {
        Ok(cli) => hooktool::run(Settings::resolve(cli)),
        Err(error) => usage::report(&error),
    }
}

/// The command line, parsed as `Cli::try_parse` parses it. The tree of every subcommand's
/// arguments is kept until the process ends: freeing it piece by piece cost a short run such as
/// `events` 7 % of its instructions, for memory the end of the process frees at once.
fn parse() -> Result<Cli, clap::Error> {
    let command = Box::leak(Box::new(Cli::command()));
    let mut matches = command.try_get_matches_from_mut(std::env::args_os())?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|error| error.format(command))
}
