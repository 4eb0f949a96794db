//! One module per subcommand: parse-level arguments in, an `Outcome` out. Commands stay thin:
//! they read inputs, call the core, and print.

pub mod completions;
pub mod compose;
pub mod demo;
pub mod events;
pub mod generate;
mod keys;
pub mod listen;
pub mod schema;
pub mod send;
pub mod validate;
pub mod verify;

use crate::cli::exit::Outcome;
use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Events(args) => events::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Send(args) => send::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Listen(args) => listen::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Completions(args) => completions::run(&args),
    }
}
