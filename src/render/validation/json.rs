//! Validation results as one JSON document.

use serde_json::json;

use super::severity_word;
use crate::domain::validation::{FileReport, Totals};

/// One JSON document: totals, then each file with its event and problems; `strict` says whether
/// broken assumptions were counted as errors.
pub fn json(reports: &[FileReport], expect_invalid: bool, strict: bool) -> serde_json::Value {
    let totals = Totals::of(reports, expect_invalid);
    let files: Vec<_> = reports
        .iter()
        .map(|report| {
            json!({
                "path": report.path,
                "event": report.event.map(|(event, _)| event.name),
                "event_from": report.event.map(|(_, source)| source.id()),
                "valid": report.errors() == 0,
                "passed": report.passes(expect_invalid),
                "problems": report.problems.iter().map(|problem| json!({
                    "severity": severity_word(problem.severity),
                    "assumed": problem.assumed,
                    "kind": problem.kind.id(),
                    "line": problem.position.line,
                    "column": problem.position.column,
                    "pointer": problem.pointer,
                    "message": problem.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "ok": totals.failed == 0,
        "expect_invalid": expect_invalid,
        "strict": strict,
        "summary": {
            "files": totals.files,
            "passed": totals.files - totals.failed,
            "failed": totals.failed,
            "errors": totals.errors,
            "warnings": totals.warnings,
        },
        "files": files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::validation::fixtures::reports;

    #[test]
    fn json_is_one_document_with_totals() {
        let document = json(&reports(), false, false);
        assert_eq!(document["ok"], false);
        assert_eq!(document["summary"]["failed"], 1);
        assert_eq!(
            document["files"][1]["problems"][0]["pointer"],
            "/User/Email"
        );
        assert_eq!(document["files"][1]["problems"][1]["kind"], "badge-listed");
        assert_eq!(document["files"][1]["problems"][0]["assumed"], false);
        assert_eq!(document["files"][1]["problems"][1]["assumed"], true);
        assert_eq!(document["strict"], false);
        assert_eq!(document["files"][0]["event_from"], "path");
    }
}
