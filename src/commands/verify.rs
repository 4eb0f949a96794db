//! `hooktool verify`: reads captured requests, verifies each with the keys given, and prints one
//! line per request (or a JSON document) saying `ok` or exactly why not.

use std::path::Path;
use std::time::Duration;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::cli::VerifyArgs;
use crate::cli::exit::{Outcome, UserError, io_reason, read_file};
use crate::commands::keys;
use crate::domain::duration;
use crate::domain::inputs::{self, Input, InputError, ReceivedRequest};
use crate::domain::verification::{self, Explanation, Failure, Keys, Scheme, Verdict};
use crate::io::terminal::{self, style};

/// One verified request and where it came from.
struct Checked {
    input: String,
    line: Option<usize>,
    verdict: Verdict,
    explanation: Option<Explanation>,
}

/// How one request is checked: the same for every request of a run.
struct Checker {
    keys: Keys,
    scheme: Option<Scheme>,
    now: i64,
    explain: bool,
}

impl Checker {
    fn check(&self, input: &str, request: &ReceivedRequest) -> Checked {
        let (headers, body) = (&request.headers, &request.body);
        Checked {
            input: input.to_string(),
            line: request.line,
            verdict: verification::verify(headers, body, self.scheme, &self.keys, self.now),
            explanation: self
                .explain
                .then(|| verification::explain(headers, body, self.scheme, &self.keys))
                .flatten(),
        }
    }
}

pub fn run(args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let checker = Checker {
        keys: keys(args)?,
        scheme: args.scheme,
        now: args
            .now
            .unwrap_or_else(|| jiff::Timestamp::now().as_second()),
        explain: args.explain,
    };
    let mut checked = Vec::new();
    if !args.headers.is_empty() || args.body.is_some() {
        checked.push(check_flags(args, &checker)?);
    } else if args.inputs.is_empty() {
        checked.extend(check_input(Path::new("-"), &checker)?);
    } else {
        for path in &args.inputs {
            checked.extend(check_input(path, &checker)?);
        }
    }
    if args.json {
        terminal::print_json(&report_json(&checked, args.explain))?;
    } else {
        terminal::write_stdout(report_text(&checked).as_bytes())?;
    }
    let failed = checked.iter().filter(|c| !c.verdict.is_ok()).count();
    summarize(checked.len(), failed);
    Ok(Outcome::from_ok(failed == 0))
}

fn keys(args: &VerifyArgs) -> Result<Keys, UserError> {
    let (secrets, wix_public_key) = keys::read(
        &args.secrets,
        &args.secret_files,
        args.public_key.as_deref(),
    )?;
    Ok(Keys {
        secrets,
        wix_public_key,
        tolerance: tolerance(&args.tolerance)?,
        ..Keys::default()
    })
}

/// `300s`, `5m`, `1250ms`; zero disables the time check.
fn tolerance(text: &str) -> Result<Option<Duration>, UserError> {
    let tolerance = duration::parse(text).map_err(|error| {
        UserError::new(format!("{error}, --tolerance"))
            .hint("write durations like 300s, 5m, 1250ms; 0 disables the time check")
    })?;
    Ok((!tolerance.is_zero()).then_some(tolerance))
}

/// The request given as `--header` flags and a `--body` file.
fn check_flags(args: &VerifyArgs, checker: &Checker) -> Result<Checked, UserError> {
    if !args.inputs.is_empty() {
        return Err(UserError::new(
            "INPUT files and --header/--body are alternatives, INPUT argument",
        )
        .hint("give either files to read, or one request as --header ... --body FILE"));
    }
    let headers = args
        .headers
        .iter()
        .map(|text| inputs::parse_header_flag(text))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| UserError::new(format!("{error}, --header")))?;
    let body_path = args
        .body
        .as_ref()
        .ok_or_else(|| UserError::new("--header needs the request body, --body"))?;
    let request = ReceivedRequest {
        line: None,
        headers,
        body: read_file(body_path, "--body")?,
    };
    Ok(checker.check(&body_path.display().to_string(), &request))
}

/// Reads one input (`-` is stdin) and checks every request in it. The requests are independent,
/// so they are checked in parallel; their order is kept.
fn check_input(path: &Path, checker: &Checker) -> Result<Vec<Checked>, UserError> {
    let (label, bytes) = read_input(path)?;
    let at_input = |error: InputError| UserError::new(format!("{error}, {label}"));
    match inputs::recognise(&bytes).map_err(at_input)? {
        Input::Requests(requests) => Ok(requests
            .par_iter()
            .map(|request| checker.check(&label, request))
            .collect()),
        Input::JsonLines(lines) => lines
            .par_iter()
            .map(|(line, text)| {
                inputs::parse_json_line(*line, text).map(|request| checker.check(&label, &request))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(at_input),
    }
}

fn read_input(path: &Path) -> Result<(String, Vec<u8>), UserError> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(|error| {
            UserError::new(format!("cannot read stdin ({}), INPUT", io_reason(&error)))
        })?;
        return Ok(("stdin".to_string(), bytes));
    }
    let bytes = read_in_parallel(path).map_err(|error| {
        UserError::new(format!(
            "cannot read {} ({}), INPUT argument",
            path.display(),
            io_reason(&error)
        ))
    })?;
    Ok((path.display().to_string(), bytes))
}

/// Reads a file in segments, one positioned read per thread: for a capture of hundreds of
/// megabytes, a single read would be the one sequential step of the run.
#[cfg(unix)]
fn read_in_parallel(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    const SEGMENT: usize = 8 << 20;
    let file = std::fs::File::open(path)?;
    let length = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    if length <= SEGMENT {
        return std::fs::read(path);
    }
    let mut bytes = vec![0u8; length];
    bytes
        .par_chunks_mut(SEGMENT)
        .enumerate()
        .try_for_each(|(index, segment)| file.read_exact_at(segment, (index * SEGMENT) as u64))?;
    Ok(bytes)
}

#[cfg(not(unix))]
fn read_in_parallel(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

fn location(checked: &Checked) -> String {
    match checked.line {
        Some(line) => format!("{}:{line}", checked.input),
        None => checked.input.clone(),
    }
}

fn report_text(checked: &[Checked]) -> String {
    let mut out = String::with_capacity(checked.len() * 48);
    for request in checked {
        let scheme = request.verdict.scheme.map_or("unknown", Scheme::id);
        let line = match &request.verdict.result {
            Ok(()) => format!("{}: {} ({scheme})\n", location(request), style::good("ok")),
            Err(failure) => format!(
                "{}: {} ({scheme}): {failure}\n",
                location(request),
                style::bad("FAIL")
            ),
        };
        out.push_str(&line);
        if let Some(explanation) = &request.explanation {
            out.push_str(&explain_text(explanation));
        }
    }
    out
}

fn explain_text(explanation: &Explanation) -> String {
    let start = String::from_utf8_lossy(&explanation.signed_start);
    let ellipsis = if explanation.signed_start.len() < explanation.signed_length {
        "..."
    } else {
        ""
    };
    let mut out = format!(
        "  signed message: {} bytes: \"{}\"{ellipsis}\n",
        explanation.signed_length,
        start.escape_debug()
    );
    for (index, expected) in explanation.expected.iter().enumerate() {
        out.push_str(&format!(
            "  expected with secret {}: {expected}\n",
            index + 1
        ));
    }
    out
}

fn report_json(checked: &[Checked], explain: bool) -> Value {
    let requests: Vec<Value> = checked
        .iter()
        .map(|request| {
            let failure = request.verdict.result.as_ref().err();
            let mut entry = json!({
                "input": request.input,
                "line": request.line,
                "scheme": request.verdict.scheme.map(Scheme::id),
                "ok": failure.is_none(),
                "reason": failure.map(Failure::code),
                "message": failure.map(Failure::to_string),
            });
            if let Some(Failure::Reserialized { form }) = failure {
                entry["signed_form"] = json!(form.id());
            }
            if explain {
                entry["explain"] = request.explanation.as_ref().map_or(Value::Null, |e| {
                    json!({
                        "signed_start": String::from_utf8_lossy(&e.signed_start),
                        "signed_length": e.signed_length,
                        "expected": e.expected,
                    })
                });
            }
            entry
        })
        .collect();
    let failed = checked.iter().filter(|c| !c.verdict.is_ok()).count();
    json!({
        "requests": requests,
        "total": checked.len(),
        "ok": checked.len() - failed,
        "failed": failed,
    })
}

fn summarize(total: usize, failed: usize) {
    let noun = if total == 1 { "request" } else { "requests" };
    let message = format!("{total} {noun}: {} ok, {failed} failed", total - failed);
    if failed == 0 {
        terminal::note(&message);
    } else {
        terminal::note(&style::caution(&message).to_string());
    }
}
