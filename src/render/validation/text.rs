//! Validation results for people: `path:line:col: error: /pointer: message` lines, then the
//! summary.

use super::{kind_label, located_message, severity_word, summary, unexpectedly_valid};
use crate::domain::semantics::Severity;
use crate::domain::validation::{FileReport, Totals};
use crate::render::style::Palette;

/// Every problem as `path:line:col: error: /pointer: message`, then the summary; `color`
/// styles it for a terminal.
pub fn text(reports: &[FileReport], expect_invalid: bool, palette: Palette) -> String {
    let paint = |text: &str, painter: fn(Palette, &str) -> String| painter(palette, text);
    let mut out = String::new();
    for report in reports {
        for problem in &report.problems {
            let word = severity_word(problem.severity);
            let label = format!("{word}{}:", kind_label(problem));
            let label = match problem.severity {
                Severity::Error => paint(&label, Palette::bad),
                Severity::Warning => paint(&label, Palette::caution),
            };
            let place = format!(
                "{}:{}:{}:",
                report.path, problem.position.line, problem.position.column
            );
            out.push_str(&format!(
                "{} {label} {}\n",
                paint(&place, Palette::strong),
                located_message(problem)
            ));
        }
        if expect_invalid && let Some(message) = unexpectedly_valid(report) {
            let place = format!("{}:", report.path);
            out.push_str(&format!(
                "{} {} {message}\n",
                paint(&place, Palette::strong),
                paint("error:", Palette::bad)
            ));
        }
    }
    let totals = Totals::of(reports, expect_invalid);
    let line = summary(totals, expect_invalid);
    let painter = if totals.failed == 0 {
        Palette::good
    } else {
        Palette::bad
    };
    out.push_str(&paint(&line, painter));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::validation::fixtures::reports;

    #[test]
    fn text_lines_name_file_line_column_and_pointer() {
        let text = text(&reports(), false, Palette::PLAIN);
        assert_eq!(
            text,
            "dir/bad, 100%.json:3:14: error: /User/Email: expected a string, found null\n\
             dir/bad, 100%.json:3:14: warning[badge-listed]: /User/Badges: a <b> & \"c\"\nnext\n\
             FAIL: 1 of 2 files invalid (1 error, 1 warning)\n"
        );
    }

    #[test]
    fn expect_invalid_flags_the_valid_file() {
        let text = text(&reports(), true, Palette::PLAIN);
        assert!(
            text.contains("good.json: error: valid, but --expect-invalid"),
            "{text}"
        );
        assert!(
            text.ends_with("FAIL: 1 of 2 files not invalid as expected (1 error, 1 warning)\n")
        );
    }
}
