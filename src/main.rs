//! The `hooktool` binary: parse, resolve settings, run, and map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

use hooktool::cli::settings::Settings;
use hooktool::cli::{Cli, usage};

// `send` allocates per request on several runtime threads; glibc's malloc spends a large share
// of that time on arena locks and consolidation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(cli) => hooktool::run(Settings::resolve(cli)),
        Err(error) => usage::report(&error),
    }
}
