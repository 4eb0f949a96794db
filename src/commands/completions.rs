//! `hooktool completions SHELL`: the completion script, generated from the command definitions.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Outcome;
use crate::io::terminal;

/// The completion script for `shell`; `completions/` holds exactly these bytes.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "hooktool", &mut script);
    script
}

pub fn run(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    terminal::write_stdout(&script(args.shell))?;
    Ok(Outcome::Success)
}
