//! Validation results as GitHub Actions workflow commands (annotations).

use super::{located_message, severity_word, unexpectedly_valid};
use crate::domain::semantics::Severity;
use crate::domain::validation::{FileReport, ProblemKind};

/// GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=...::message`
/// for each problem of a failing file, `::warning` for warnings. Files that pass under
/// `--expect-invalid` are not annotated: their errors are the point.
pub fn github(reports: &[FileReport], expect_invalid: bool) -> String {
    let mut out = String::new();
    for report in reports {
        if report.passes(expect_invalid) && expect_invalid {
            continue;
        }
        let failing = !report.passes(expect_invalid);
        for problem in &report.problems {
            if problem.severity == Severity::Error && !failing {
                continue;
            }
            let title = match problem.kind {
                ProblemKind::Rule(id) if problem.assumed => {
                    format!("hooktool validate: {id} (assumed)")
                }
                ProblemKind::Rule(id) => format!("hooktool validate: {id}"),
                kind => format!("hooktool validate: {}", kind.id()),
            };
            out.push_str(&format!(
                "::{} file={},line={},col={},title={}::{}\n",
                severity_word(problem.severity),
                escape_property(&report.path),
                problem.position.line,
                problem.position.column,
                escape_property(&title),
                escape_data(&located_message(problem))
            ));
        }
        if expect_invalid && let Some(message) = unexpectedly_valid(report) {
            out.push_str(&format!(
                "::error file={},line=1,col=1,title=hooktool validate::{}\n",
                escape_property(&report.path),
                escape_data(message)
            ));
        }
    }
    out
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::validation::fixtures::reports;

    #[test]
    fn github_annotations_escape_properties_and_data() {
        let out = github(&reports(), false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=dir/bad%2C 100%25.json,line=3,col=14,title=hooktool validate%3A schema::/User/Email: expected a string, found null",
                "::warning file=dir/bad%2C 100%25.json,line=3,col=14,title=hooktool validate%3A badge-listed (assumed)::/User/Badges: a <b> & \"c\"%0Anext",
            ]
        );
        let expected = github(&reports(), true);
        assert_eq!(
            expected,
            "::error file=good.json,line=1,col=1,title=hooktool validate::valid, but --expect-invalid expects this file to fail\n"
        );
    }
}
