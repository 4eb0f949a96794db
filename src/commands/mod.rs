//! One thin file per subcommand: typed flags in, the domain and io called, rendered text out,
//! and an `Outcome`. This module runs the chosen one and turns its end into an exit code.

pub mod completions;
pub mod demo;
pub mod events;
pub mod generate;
pub mod listen;
pub mod probe;
pub mod providers;
pub mod schema;
pub mod send;
pub mod validate;
pub mod verify;

use std::process::ExitCode;

use crate::cli::Command;
use crate::cli::settings::Settings;
use crate::error::{Outcome, USAGE_EXIT_CODE, UserError};
use crate::io::terminal;

/// Runs the command the settings hold: exit 0, 1 or 130 by its outcome, 2 on a usage or input
/// error (printed as one line with hints), 0 when stdout was closed by its reader.
pub fn run(settings: Settings) -> ExitCode {
    terminal::init(settings.colors);
    let catalogue = match providers::load(&settings.providers) {
        Ok(packs) => crate::domain::catalogue::install(packs),
        Err(error) => {
            terminal::error(&error.message, &error.hints);
            return ExitCode::from(USAGE_EXIT_CODE);
        }
    };
    let result: anyhow::Result<Outcome> = match settings.command {
        Command::Events(args) => events::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Send(args) => send::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Listen(args) => listen::run(&args),
        Command::Probe(args) => probe::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Providers(args) => providers::run(&args, &catalogue.packs),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            match error.downcast_ref::<UserError>() {
                Some(user) => terminal::error(&user.message, &user.hints),
                None => terminal::error(&format!("{error:#}"), &[]),
            }
            ExitCode::from(USAGE_EXIT_CODE)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
