//! `hooktool verify`: reads captured requests, verifies each with the keys given, and prints one
//! line per request (or a JSON document) saying `ok` or exactly why not.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cli::values::{self, SchemeName};
use crate::cli::{JudgeArgs, VerifyArgs};
use crate::domain::catalogue;
use crate::domain::inputs::{self, Input, InputError};
use crate::domain::verification::{Checked, Checker, Keys, Scheme};
use crate::error::{Outcome, UserError};
use crate::io::files::{self, Handled, Limit};
use crate::io::{allocator, terminal};
use crate::render::verification as render;

pub fn run(args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let checker = Checker {
        keys: judging_keys(&args.judge)?,
        scheme: judging_scheme(&args.judge)?,
        now: args
            .now
            .unwrap_or_else(|| jiff::Timestamp::now().as_second()),
        explain: args.explain,
    };
    let mut checked = Vec::new();
    if !args.headers.is_empty() || args.body.is_some() {
        checked.push(check_flags(args, &checker)?);
    } else if args.inputs.is_empty() {
        check_input(Path::new("-"), limit(args), &checker, &mut checked)?;
    } else {
        for path in &args.inputs {
            check_input(path, limit(args), &checker, &mut checked)?;
        }
    }
    if args.json {
        terminal::print_json(&render::json(&checked, args.explain))?;
    } else {
        // A capture holds hundreds of thousands of requests: their lines are written on every
        // core, a chunk each, and joined in order.
        let palette = terminal::stdout_palette();
        let chunks: Vec<String> = checked
            .par_chunks(4096)
            .map(|chunk| render::lines(chunk, palette))
            .collect();
        for chunk in chunks {
            terminal::write_stdout(chunk.as_bytes())?;
        }
    }
    let failed = checked.iter().filter(|c| !c.verdict.is_ok()).count();
    let warnings = checked.iter().map(|c| c.verdict.warnings.len()).sum();
    let summary = render::summary(checked.len(), failed, warnings);
    terminal::note(&match failed {
        0 => summary,
        _ => terminal::stderr_palette().caution(&summary),
    });
    Ok(Outcome::from_ok(failed == 0))
}

/// The scheme `--scheme` names, a loaded pack's resolved now that the catalogue is installed;
/// `None` to detect each request's.
pub(crate) fn judging_scheme(args: &JudgeArgs) -> Result<Option<Scheme>, UserError> {
    match &args.scheme {
        None => Ok(None),
        Some(SchemeName::BuiltIn(scheme)) => Ok(Some(*scheme)),
        Some(SchemeName::Pack(id)) => catalogue::provider(id)
            .filter(|provider| provider.built_in.is_none() && provider.hmac().is_some())
            .map(|provider| Some(Scheme::Pack(provider)))
            .ok_or_else(|| {
                let mut known: Vec<&str> = Scheme::ALL.into_iter().map(Scheme::id).collect();
                known.extend(catalogue::known_hmac_pack_ids());
                UserError::new(format!(
                    "{} is not a scheme (expected {}), --scheme",
                    values::echo(id),
                    known.join(", ")
                ))
                .hint("a pack's id names its scheme once the pack is loaded with --providers")
            }),
    }
}

/// The keys and tolerance requests are judged with; `listen` judges with the same.
pub(crate) fn judging_keys(args: &JudgeArgs) -> Result<Keys, UserError> {
    let keys = files::read_verifying_keys(
        &args.secrets,
        &args.secret_files,
        args.public_key.as_deref(),
    )?;
    Ok(Keys {
        secrets: keys.secrets,
        wix_public_key: keys.wix_public_key,
        tolerance: match args.tolerance {
            Some(tolerance) if tolerance.is_zero() => None,
            Some(tolerance) => Some(tolerance),
            None => Keys::default().tolerance,
        },
        tolerance_given: args.tolerance.is_some(),
        strict: args.strict,
        ..Keys::default()
    })
}

/// The request given as `--header` flags and a `--body` file.
fn check_flags(args: &VerifyArgs, checker: &Checker) -> Result<Checked, UserError> {
    if !args.inputs.is_empty() {
        return Err(UserError::new(
            "INPUT files and --header/--body are alternatives, INPUT argument",
        )
        .hint("give either files to read, or one request as --header ... --body FILE"));
    }
    let body_path = args
        .body
        .as_ref()
        .ok_or_else(|| UserError::new("--header needs the request body, --body"))?;
    let body = files::read_file_within(body_path, "--body", limit(args))?;
    let label = body_path.display().to_string().into();
    Ok(checker.check(&label, None, &args.headers, &body))
}

/// The most bytes read from one input or `--body` file.
fn limit(args: &VerifyArgs) -> Limit {
    Limit {
        bytes: args.max_input,
        flag: Some("--max-input"),
    }
}

/// Reads one input (`-` is stdin) a block at a time and checks every request in it. The
/// requests are independent, so each block's are checked in parallel; their order is kept. An
/// input whose first bytes cannot start a request is refused before the rest is read, and an
/// input that turns out unreadable is refused whole, whatever its earlier blocks held. The
/// results are appended to `checked`, where the run keeps them: a capture's hundreds of
/// thousands are not copied again from a vector of their own.
fn check_input(
    path: &Path,
    limit: Limit,
    checker: &Checker,
    checked: &mut Vec<Checked>,
) -> Result<(), UserError> {
    let mut reader = inputs::BlockReader::default();
    let first = checked.len();
    let mut label_shared: Option<Arc<str>> = None;
    files::read_input_in_blocks(
        path,
        limit,
        |label, first| {
            inputs::check_start(first).map_err(|error| UserError::new(format!("{error}, {label}")))
        },
        |label, bytes, at_end| {
            let at_input = |error: InputError| UserError::new(format!("{error}, {label}"));
            let block = reader.read(bytes, at_end).map_err(at_input)?;
            let label = label_shared.get_or_insert_with(|| label.into());
            check_requests(label, block.requests, checker, checked).map_err(at_input)?;
            Ok(if reader.needs_whole_input() {
                Handled::NeedsAll
            } else {
                Handled::Used(block.used)
            })
        },
    )?;
    if reader.held_one_http_request() {
        checked[first].line = None;
    }
    Ok(())
}

/// Checks `requests` in parallel and appends their results, in order, to `checked`.
fn check_requests(
    label: &Arc<str>,
    requests: Input,
    checker: &Checker,
    checked: &mut Vec<Checked>,
) -> Result<(), InputError> {
    if requests.count() > 1 {
        allocator::begin_long_run();
    }
    match requests {
        Input::Requests(requests) => checked.par_extend(
            requests
                .par_iter()
                .map(|request| checker.check_received(label, request)),
        ),
        Input::HttpRequests(requests) => checked.par_extend(
            requests
                .par_iter()
                .map(|request| checker.check_received(label, &request.to_received())),
        ),
        Input::JsonLines(lines) => {
            let results: Vec<Result<Checked, InputError>> = lines
                .par_iter()
                .map(|(line, text)| {
                    inputs::parse_json_line(*line, text)
                        .map(|request| checker.check_received(label, &request))
                })
                .collect();
            checked.reserve(results.len());
            for result in results {
                checked.push(result?);
            }
        }
    }
    Ok(())
}
