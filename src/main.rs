//! The `hooktool` binary: parse, resolve settings, run, and map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

use hooktool::cli::settings::Settings;
use hooktool::cli::{Cli, usage};

#[global_allocator]
static ALLOCATOR: hooktool::Allocator = hooktool::Allocator;

fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(cli) => hooktool::run(Settings::resolve(cli)),
        Err(error) => usage::report(&error),
    }
}
