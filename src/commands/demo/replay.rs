//! The demo's second half: every capture read back from the capture file as `verify` reads it,
//! verified and printed as `verify` prints it, and each delivered payload validated as
//! `validate` would.

use serde_json::Value;

use super::{INDENT, SCENARIOS, print};
use crate::domain::capture::{self, CaptureRecord};
use crate::domain::catalogue;
use crate::domain::inputs::{self, Input};
use crate::domain::semantics::Severity;
use crate::domain::validation;
use crate::domain::verification::{Checked, Checker};
use crate::error::UserError;
use crate::io::{files, terminal};
use crate::render::demo as narrate;
use crate::render::verification;

/// One capture read back from the capture file: its record, its verdict, its event document.
pub struct Replayed {
    pub record: CaptureRecord,
    checked: Checked,
    document: Option<Value>,
}

/// Reads every record of the capture file and checks it with `checker`.
pub fn read(path: &std::path::Path, checker: &Checker) -> anyhow::Result<Vec<Replayed>> {
    let (label, bytes) = files::read_input(path)?;
    let Input::JsonLines(lines) =
        inputs::recognise(&bytes).map_err(|error| UserError::new(format!("{error}, {label}")))?
    else {
        return Err(UserError::new(format!("{label} is not a capture file")).into());
    };
    let input = label.as_str().into();
    let mut replayed = Vec::new();
    for (line, text) in lines {
        let request = inputs::parse_json_line(line, text)
            .map_err(|error| UserError::new(format!("{error}, {label}")))?;
        replayed.push(Replayed {
            record: serde_json::from_slice(text)?,
            checked: checker.check_received(&input, &request),
            document: capture::event_document(&request.body),
        });
    }
    Ok(replayed)
}

/// Prints every capture's verdict as `verify` prints it, each with the status it was answered
/// and whether it was a retry. Whether all verified.
pub fn print_verification(replayed: &[Replayed]) -> bool {
    let palette = terminal::stdout_palette();
    let mut out = narrate::verify_heading(replayed.len(), palette);
    for capture in replayed {
        out.push_str(INDENT);
        out.push_str(&verification::line(&capture.checked, palette));
        out.push_str(&narrate::capture_note(&capture.record, palette));
        out.push('\n');
    }
    out.push('\n');
    print(&out);
    replayed
        .iter()
        .all(|capture| capture.checked.verdict.is_ok())
}

/// Validates the last capture of each event (the delivered one) as `validate` would: against
/// its schema and the provider's rules.
pub fn validate_payloads(replayed: &[Replayed]) -> anyhow::Result<bool> {
    let palette = terminal::stdout_palette();
    let mut out = narrate::validate_heading(palette);
    let mut all_valid = true;
    for scenario in &SCENARIOS {
        let event = catalogue::find(scenario.event).expect("demo events are in the catalogue");
        let document = replayed
            .iter()
            .rev()
            .find(|capture| capture.record.path == scenario.path)
            .and_then(|capture| capture.document.as_ref());
        let (errors, warnings): (Vec<String>, Vec<String>) = match document {
            None => (vec!["no JSON payload captured".to_string()], Vec::new()),
            Some(document) => {
                let bytes = serde_json::to_vec(document)?;
                let report =
                    validation::validate_file(event.name, None, &bytes, Some(event), false);
                let described = |severity: Severity| -> Vec<String> {
                    report
                        .problems
                        .iter()
                        .filter(|problem| problem.severity == severity)
                        .map(|problem| {
                            format!(
                                "{}: {}",
                                problem.pointer.as_deref().unwrap_or("/"),
                                problem.message
                            )
                        })
                        .collect()
                };
                (described(Severity::Error), described(Severity::Warning))
            }
        };
        all_valid &= errors.is_empty();
        out.push_str(&narrate::validation_line(
            event.name, &errors, &warnings, palette,
        ));
    }
    out.push('\n');
    print(&out);
    Ok(all_valid)
}
