//! What clap's parse errors become: help and version as clap prints them, and every usage error
//! as hooktool's one line naming the flag, with hints. Built from the error's kind and context,
//! never from clap's rendered text.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::cli::settings::{ColorChoice, wants_color};
use crate::cli::values::{ValueError, echo};
use crate::error::{USAGE_EXIT_CODE, UserError};
use crate::io::terminal::{self, StreamColors};

/// Prints what a failed parse means and returns its exit code: help and version as clap renders
/// them (exit 0; a bare `hooktool` shows help with exit 2), anything else as a usage error.
pub fn report(error: &clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitCode::from(USAGE_EXIT_CODE)
        }
        _ => {
            let stderr = wants_color(
                ColorChoice::Auto,
                terminal::stderr_is_terminal(),
                terminal::no_color_requested(),
            );
            terminal::init(StreamColors {
                stdout: false,
                stderr,
            });
            let usage = usage_error(error);
            terminal::error(&usage.message, &usage.hints);
            ExitCode::from(USAGE_EXIT_CODE)
        }
    }
}

fn text(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::Strings(texts) => Some(texts.join(", ")),
        ContextValue::StyledStr(text) => Some(text.to_string()),
        ContextValue::StyledStrs(texts) => Some(
            texts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// `--timeout <DURATION>` is named `--timeout`; a positional `<EVENT>` is the EVENT argument.
fn flag_name(arg: &str) -> String {
    let name = arg.split([' ', '=']).next().unwrap_or(arg);
    if name.starts_with('-') {
        name.to_string()
    } else {
        format!("{} argument", name.trim_matches(['<', '>', '.']))
    }
}

fn usage_error(error: &clap::Error) -> UserError {
    let arg = text(error, ContextKind::InvalidArg).unwrap_or_default();
    let flag = flag_name(&arg);
    let value = text(error, ContextKind::InvalidValue).unwrap_or_default();
    let mut hints = Vec::new();
    let message = match error.kind() {
        ErrorKind::ValueValidation => {
            match std::error::Error::source(error)
                .and_then(|source| source.downcast_ref::<ValueError>())
            {
                Some(refused) => {
                    hints.extend(refused.hints.iter().cloned());
                    format!("{}, {flag}", refused.message)
                }
                None => format!("{} is not a valid value, {flag}", echo(&value)),
            }
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("a value is required, {flag}"),
        ErrorKind::InvalidValue => {
            if let Some(valid) = text(error, ContextKind::ValidValue) {
                hints.push(format!("possible values: {valid}"));
            }
            format!("{} is not one of the accepted values, {flag}", echo(&value))
        }
        ErrorKind::UnknownArgument => format!("unknown flag {}", echo(&arg)),
        ErrorKind::InvalidSubcommand => {
            let command = text(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("unknown command {}", echo(&command))
        }
        ErrorKind::MissingRequiredArgument => format!("missing {arg}"),
        ErrorKind::MissingSubcommand => "a command is required".to_string(),
        ErrorKind::ArgumentConflict => {
            let other = text(error, ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} cannot be used with {other}")
        }
        ErrorKind::TooManyValues => format!("unexpected value {}, {flag}", echo(&value)),
        ErrorKind::NoEquals => format!("write {flag}=VALUE"),
        ErrorKind::InvalidUtf8 => format!("the value is not UTF-8, {flag}"),
        kind => match arg.is_empty() {
            true => kind.as_str().unwrap_or("invalid arguments").to_string(),
            false => format!("{}, {flag}", kind.as_str().unwrap_or("invalid value")),
        },
    };
    for (kind, what) in [
        (ContextKind::SuggestedArg, "flag"),
        (ContextKind::SuggestedSubcommand, "command"),
        (ContextKind::SuggestedValue, "value"),
    ] {
        if let Some(suggested) = text(error, kind) {
            hints.push(format!("did you mean the {what} `{suggested}`?"));
        }
    }
    hints.push("see `hooktool --help`, or `hooktool <command> --help`".to_string());
    let mut usage = UserError::new(message);
    usage.hints = hints;
    usage
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    use crate::cli::Cli;

    fn usage(args: &[&str]) -> UserError {
        let error = Cli::try_parse_from(std::iter::once("hooktool").chain(args.iter().copied()))
            .expect_err("a usage error");
        usage_error(&error)
    }

    #[test]
    fn refused_values_name_the_flag_and_keep_their_hints() {
        let error = usage(&["send", "user_created", "--to", "3000", "--time-scale", "-1"]);
        assert_eq!(error.message, "`-1` is not a time scale, --time-scale");
        assert!(error.hints[0].contains("0.001"));
        let error = usage(&["verify", "--now", "-5"]);
        assert_eq!(error.message, "`-5` is not a time, --now");
        let error = usage(&["send", "user_created", "--to", "3000", "--timeout", "-5s"]);
        assert_eq!(error.message, "`-5s` is negative, --timeout");
    }

    #[test]
    fn unknown_flags_commands_and_values_are_named_with_suggestions() {
        let error = usage(&["frobnicate"]);
        assert_eq!(error.message, "unknown command `frobnicate`");
        let error = usage(&["events", "--jsn"]);
        assert_eq!(error.message, "unknown flag `--jsn`");
        assert!(error.hints.iter().any(|hint| hint.contains("`--json`")));
        let error = usage(&["generate", "user_created", "--format", "xml"]);
        assert_eq!(
            error.message,
            "`xml` is not one of the accepted values, --format"
        );
        assert!(error.hints[0].starts_with("possible values: json, http"));
        let error = usage(&["send", "user_created"]);
        assert_eq!(error.message, "missing --to <TARGET>");
    }
}
