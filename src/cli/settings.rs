//! Settings resolved once from the parsed command line, before any command runs: the colour of
//! each output stream, decided from that stream's own terminal test, `--color` and `NO_COLOR`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::ValueEnum;

use crate::cli::{Cli, Command};
use crate::io::terminal::{self, StreamColors};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The variable naming more pack folders, separated by `:`.
pub const PROVIDERS_VARIABLE: &str = "HOOKTOOL_PROVIDERS";

/// What a run needs beyond its command's own flags.
#[derive(Debug)]
pub struct Settings {
    pub colors: StreamColors,
    /// Pack folders to load, in order: `--providers`, then `HOOKTOOL_PROVIDERS`.
    pub providers: Vec<PathBuf>,
    pub command: Command,
}

impl Settings {
    pub fn resolve(cli: Cli) -> Settings {
        let no_color = terminal::no_color_requested();
        Settings {
            colors: StreamColors {
                stdout: wants_color(cli.color, terminal::stdout_is_terminal(), no_color),
                stderr: wants_color(cli.color, terminal::stderr_is_terminal(), no_color),
            },
            providers: provider_folders(cli.providers, std::env::var_os(PROVIDERS_VARIABLE)),
            command: cli.command,
        }
    }
}

/// The flag's folders, then the variable's (empty entries skipped, as in `PATH`).
fn provider_folders(flags: Vec<PathBuf>, variable: Option<OsString>) -> Vec<PathBuf> {
    let from_variable = variable
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    flags
        .into_iter()
        .chain(
            from_variable
                .into_iter()
                .filter(|path| !path.as_os_str().is_empty()),
        )
        .collect()
}

/// `always` and `never` decide alone; `auto` paints a terminal unless `NO_COLOR` is set.
pub fn wants_color(choice: ColorChoice, is_terminal: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && !no_color,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stream_is_decided_by_its_own_terminal_test() {
        // stderr on a terminal, stdout redirected to a file: only stderr is painted.
        let stdout = wants_color(ColorChoice::Auto, false, false);
        let stderr = wants_color(ColorChoice::Auto, true, false);
        assert_eq!((stdout, stderr), (false, true));
        assert!(!wants_color(ColorChoice::Auto, true, true));
        assert!(wants_color(ColorChoice::Always, false, true));
        assert!(!wants_color(ColorChoice::Never, true, false));
    }

    #[test]
    fn pack_folders_come_from_the_flag_then_the_variable() {
        let folders = provider_folders(vec![PathBuf::from("a")], Some(OsString::from("b::c")));
        assert_eq!(
            folders,
            [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c")]
        );
        assert!(provider_folders(vec![], None).is_empty());
    }
}
