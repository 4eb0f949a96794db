//! `hooktool validate`: gathers the files (directories recursively, `-` for stdin), validates
//! them in parallel against the schemas compiled once, and prints the report.

use std::path::Path;

use rayon::prelude::*;

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::domain::catalogue::{self, Event};
use crate::domain::validation::{self, FileReport, Totals};
use crate::error::{Outcome, UserError, io_reason, with_descriptor_hint};
use crate::io::files::{self, CappedError, Limit};
use crate::io::walk::{self, FilesError, Input};
use crate::io::{allocator, terminal};
use crate::render::validation as report;

pub fn run(args: &ValidateArgs) -> anyhow::Result<Outcome> {
    let event = args
        .event
        .as_deref()
        .map(|name| catalogue::find(name).map_err(|unknown| with_flag(unknown.into())))
        .transpose()?;
    let inputs = walk::gather(&args.paths).map_err(|error| match error {
        FilesError::Unreadable { path, source } => unreadable(&path, &source),
        FilesError::Unwalkable { ref source, .. } => with_descriptor_hint(
            UserError::new(format!("{error} ({}), PATH argument", io_reason(source))),
            source,
        ),
        FilesError::NoJsonFiles(_) => UserError::new(format!("{error}, PATH argument"))
            .hint("name the files themselves to validate other extensions"),
    })?;
    let limit = Limit {
        bytes: args.max_input,
        flag: Some("--max-input"),
    };
    let stdin = inputs
        .iter()
        .any(|input| matches!(input, Input::Stdin))
        .then(|| read_stdin(limit))
        .transpose()?;
    let check = |input: &Input| match input {
        Input::Stdin => Ok(validation::validate_file(
            "-",
            None,
            stdin.as_deref().unwrap_or_default(),
            event,
            args.strict,
        )),
        Input::File(path) => validate_path(path, limit, event, args.strict),
    };
    // One file is checked on this thread: starting the pool's threads would cost more.
    let reports = if inputs.len() == 1 {
        inputs
            .iter()
            .map(check)
            .collect::<Result<Vec<FileReport>, UserError>>()?
    } else {
        allocator::begin_long_run();
        inputs
            .par_iter()
            .map(check)
            .collect::<Result<Vec<FileReport>, UserError>>()?
    };

    let totals = Totals::of(&reports, args.expect_invalid);
    match args.format {
        ValidateFormat::Text => terminal::write_stdout(
            report::text(&reports, args.expect_invalid, terminal::stdout_palette()).as_bytes(),
        )?,
        ValidateFormat::Json => {
            terminal::print_json(&report::json(&reports, args.expect_invalid, args.strict))?
        }
        ValidateFormat::Junit => {
            terminal::write_stdout(report::junit(&reports, args.expect_invalid).as_bytes())?
        }
        ValidateFormat::Github => {
            terminal::write_stdout(report::github(&reports, args.expect_invalid).as_bytes())?
        }
    }
    if args.format != ValidateFormat::Text {
        terminal::note(&report::summary(totals, args.expect_invalid));
    }
    Ok(Outcome::from_ok(totals.failed == 0))
}

fn with_flag(error: UserError) -> UserError {
    UserError {
        message: error.message.replace("EVENT argument", "--event"),
        hints: error.hints,
    }
}

fn validate_path(
    path: &Path,
    limit: Limit,
    event: Option<&'static Event>,
    strict: bool,
) -> Result<FileReport, UserError> {
    // What `path.display()` shows, without the formatting machinery it costs every file.
    let label = path.to_string_lossy().into_owned();
    let bytes = files::read_path_capped(path, limit.bytes, not_binary).map_err(|error| {
        refused(error, &label, limit, "PATH argument", |error| {
            unreadable(path, &error)
        })
    })?;
    Ok(validation::validate_file(
        &label,
        Some(path),
        &bytes,
        event,
        strict,
    ))
}

fn read_stdin(limit: Limit) -> Result<Vec<u8>, UserError> {
    files::read_stdin_capped(limit.bytes, not_binary).map_err(|error| {
        refused(error, "stdin", limit, "PATH `-`", |error| {
            UserError::new(format!(
                "cannot read stdin ({}), PATH `-`",
                io_reason(&error)
            ))
        })
    })
}

/// JSON text never holds a NUL byte: one among the first bytes means binary data (a device such
/// as `/dev/zero`, an image, an archive, UTF-16 text), refused before the rest is read. Where the
/// NUL byte is.
fn not_binary(first: &[u8]) -> Result<(), usize> {
    crate::domain::inputs::first_nul(first).map_or(Ok(()), Err)
}

/// The input error for a file that could not be read whole: binary, too large, or unreadable.
fn refused(
    error: CappedError<usize>,
    label: &str,
    limit: Limit,
    place: &str,
    unreadable: impl FnOnce(std::io::Error) -> UserError,
) -> UserError {
    match error {
        CappedError::Refused(offset) => UserError::new(format!(
            "{label} is binary data, not JSON text (a NUL byte at offset {offset}), {place}"
        ))
        .hint("validate reads JSON documents as UTF-8 text"),
        CappedError::TooLarge => files::too_large(label, limit, place),
        CappedError::Io(error) => unreadable(error),
    }
}

fn unreadable(path: &Path, error: &std::io::Error) -> UserError {
    with_descriptor_hint(
        UserError::new(format!(
            "cannot read {} ({}), PATH argument",
            path.display(),
            io_reason(error)
        )),
        error,
    )
}
