//! Verification results as `verify` (and the demo) print them: one line per request, `ok` or
//! `FAIL` with the reason, its broken assumptions as warnings, what `--explain` shows, the
//! closing count, and the `--json` document.

use serde_json::{Value, json};

use crate::domain::verification::{Checked, Explanation, Failure, Scheme};
use crate::render::style::Palette;

/// `capture.jsonl:3: FAIL (cativa): signature mismatch`, one line per request, each followed by
/// its explanation when there is one.
pub fn lines(checked: &[Checked], palette: Palette) -> String {
    // Each line is written in place: a capture's hundreds of thousands of lines would otherwise
    // each cost a few strings of their own.
    let (ok, fail) = (palette.good("ok"), palette.bad("FAIL"));
    let mut out = String::with_capacity(checked.len() * 48);
    for request in checked {
        write_line(&mut out, request, &ok, &fail);
        out.push('\n');
        for warning in &request.verdict.warnings {
            out.push_str(&format!("  {} {warning}\n", palette.caution("warning:")));
        }
        if let Some(explanation) = &request.explanation {
            out.push_str(&explain_text(explanation));
        }
    }
    out
}

/// One request's line, without a newline.
pub fn line(request: &Checked, palette: Palette) -> String {
    let mut out = String::new();
    write_line(&mut out, request, &palette.good("ok"), &palette.bad("FAIL"));
    out
}

/// Appends `request`'s line to `out`, with `ok` and `fail` as the palette paints them.
fn write_line(out: &mut String, request: &Checked, ok: &str, fail: &str) {
    use std::fmt::Write;
    let scheme = request.verdict.scheme.map_or("unknown", Scheme::id);
    let location = request.location();
    let _ = match &request.verdict.result {
        Ok(()) => write!(out, "{location}: {ok} ({scheme})"),
        Err(failure) => write!(
            out,
            "{location}: {fail} ({scheme}): {failure}{}",
            // Only `verify` can be told the scheme; `listen` detects it from each request.
            if *failure == Failure::UnknownScheme {
                " (name it with --scheme)"
            } else {
                ""
            }
        ),
    };
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

/// `3 requests: 2 ok, 1 failed`, and `, 1 warning (assumed)` when there are warnings.
pub fn summary(total: usize, failed: usize, warnings: usize) -> String {
    let noun = if total == 1 { "request" } else { "requests" };
    let warnings = match warnings {
        0 => String::new(),
        1 => ", 1 warning (assumed)".to_string(),
        n => format!(", {n} warnings (assumed)"),
    };
    format!(
        "{total} {noun}: {} ok, {failed} failed{warnings}",
        total - failed
    )
}

/// The `--json` document: every request with its verdict, then the counts.
pub fn json(checked: &[Checked], explain: bool) -> Value {
    let requests: Vec<Value> = checked
        .iter()
        .map(|request| {
            let failure = request.verdict.result.as_ref().err();
            let mut entry = json!({
                "input": &*request.input,
                "line": request.line,
                "scheme": request.verdict.scheme.map(Scheme::id),
                "ok": failure.is_none(),
                "reason": failure.map(Failure::code),
                "message": failure.map(Failure::to_string),
                "warnings": request.verdict.warnings.iter().map(|warning| json!({
                    "reason": warning.code(),
                    "message": warning.to_string(),
                })).collect::<Vec<_>>(),
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
        "warnings": checked.iter().map(|c| c.verdict.warnings.len()).sum::<usize>(),
    })
}
