//! The `hooktool` binary: parse, decide colour, run, and map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use hooktool::cli::Cli;
use hooktool::cli::exit::{USAGE_EXIT_CODE, UserError};
use hooktool::commands;
use hooktool::io::terminal;

// `send` allocates per request on several runtime threads; glibc's malloc spends a large share
// of that time on arena locks and consolidation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return report_clap_error(&error),
    };
    terminal::init_color(cli.color);
    match commands::run(cli) {
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

/// Help and version go to stdout with exit 0; usage errors become one `hooktool: error:` line
/// with clap's tips as hints, exit 2.
fn report_clap_error(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(USAGE_EXIT_CODE)
        } else {
            ExitCode::SUCCESS
        };
    }
    // clap's text: `error: <what>` (possibly ending in `:` with the details on indented lines),
    // then `[possible values: ...]`, `tip: ...` and usage lines.
    let text = error.to_string();
    let mut message = String::new();
    let mut hints = Vec::new();
    let mut details = true;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("error: ") {
            message = rest.trim_end_matches(':').to_string();
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            hints.push(tip.to_string());
        } else if line.starts_with("[possible values") {
            hints.push(line.trim_matches(['[', ']']).to_string());
        } else if line.is_empty() || line.starts_with("Usage:") || line.starts_with("For more") {
            details = line.is_empty() && message.is_empty();
        } else if details && !message.is_empty() {
            message.push_str(if message.ends_with(':') { " " } else { ", " });
            message.push_str(line);
        }
    }
    if message.is_empty() {
        message = text
            .lines()
            .next()
            .unwrap_or("invalid arguments")
            .to_string();
    }
    hints.push("see `hooktool --help`, or `hooktool <command> --help`".to_string());
    terminal::error(&message, &hints);
    ExitCode::from(USAGE_EXIT_CODE)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
