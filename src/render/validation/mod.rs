//! How validation results are written: `text` for people (compiler-style `file:line:col:`
//! lines and a summary), `json` (one document), `junit` (one test case per file, for CI test
//! reports) and `github` (workflow-command annotations), one file each. Reports in, text out.

mod github;
mod json;
mod junit;
mod text;

pub use github::github;
pub use json::json;
pub use junit::junit;
pub use text::text;

use crate::domain::semantics::Severity;
use crate::domain::validation::{FileReport, Problem, ProblemKind, Totals};

/// One line such as `FAIL: 2 of 12 files invalid (3 errors, 1 warning)`.
pub fn summary(totals: Totals, expect_invalid: bool) -> String {
    let files = plural(totals.files, "file");
    let (verdict, detail) = match (totals.failed, expect_invalid) {
        (0, false) => ("ok", format!("{files} valid")),
        (0, true) => ("ok", format!("{files} invalid, as expected")),
        (failed, false) => ("FAIL", format!("{failed} of {files} invalid")),
        (failed, true) => (
            "FAIL",
            format!("{failed} of {files} not invalid as expected"),
        ),
    };
    format!(
        "{verdict}: {detail} ({}, {})",
        plural(totals.errors, "error"),
        plural(totals.warnings, "warning")
    )
}

pub(super) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// What a file that fails only by being valid is told.
pub(super) fn unexpectedly_valid(report: &FileReport) -> Option<&'static str> {
    (report.errors() == 0).then_some("valid, but --expect-invalid expects this file to fail")
}

pub(super) fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `/User/Email: expected a string, found null`; syntax problems have no pointer.
pub(super) fn located_message(problem: &Problem) -> String {
    match problem.pointer.as_deref() {
        Some("") => format!("/: {}", problem.message),
        Some(pointer) => format!("{pointer}: {}", problem.message),
        None => problem.message.clone(),
    }
}

pub(super) fn kind_label(problem: &Problem) -> String {
    match problem.kind {
        ProblemKind::Rule(id) => format!("[{id}]"),
        _ => String::new(),
    }
}

#[cfg(test)]
pub(super) mod fixtures {
    use crate::domain::catalogue;
    use crate::domain::json_position::Position;
    use crate::domain::semantics::Severity;
    use crate::domain::validation::{EventSource, FileReport, Problem, ProblemKind};

    fn problem(severity: Severity, kind: ProblemKind, pointer: &str, message: &str) -> Problem {
        Problem {
            severity,
            assumed: severity == Severity::Warning,
            kind,
            position: Position {
                line: 3,
                column: 14,
            },
            pointer: Some(pointer.to_string()),
            message: message.to_string(),
        }
    }

    pub fn reports() -> Vec<FileReport> {
        let event = catalogue::find("user_created").unwrap();
        vec![
            FileReport {
                path: "good.json".to_string(),
                event: Some((event, EventSource::Path)),
                problems: vec![],
            },
            FileReport {
                path: "dir/bad, 100%.json".to_string(),
                event: Some((event, EventSource::Flag)),
                problems: vec![
                    problem(
                        Severity::Error,
                        ProblemKind::Schema,
                        "/User/Email",
                        "expected a string, found null",
                    ),
                    problem(
                        Severity::Warning,
                        ProblemKind::Rule("badge-listed"),
                        "/User/Badges",
                        "a <b> & \"c\"\nnext",
                    ),
                ],
            },
        ]
    }
}
