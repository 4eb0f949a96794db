//! How validation results are written: `text` for people (compiler-style `file:line:col:`
//! lines and a summary), `json` (one document), `junit` (one test case per file, for CI test
//! reports) and `github` (workflow-command annotations). Pure: reports in, text out.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde_json::json;

use crate::domain::semantics::Severity;
use crate::domain::validation::{FileReport, Problem, ProblemKind, Totals};
use crate::render::style::Palette;

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

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// What a file that fails only by being valid is told.
fn unexpectedly_valid(report: &FileReport) -> Option<&'static str> {
    (report.errors() == 0).then_some("valid, but --expect-invalid expects this file to fail")
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `/User/Email: expected a string, found null`; syntax problems have no pointer.
fn located_message(problem: &Problem) -> String {
    match problem.pointer.as_deref() {
        Some("") => format!("/: {}", problem.message),
        Some(pointer) => format!("{pointer}: {}", problem.message),
        None => problem.message.clone(),
    }
}

fn kind_label(problem: &Problem) -> String {
    match problem.kind {
        ProblemKind::Rule(id) => format!("[{id}]"),
        _ => String::new(),
    }
}

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

/// One JSON document: totals, then each file with its event and problems.
pub fn json(reports: &[FileReport], expect_invalid: bool) -> serde_json::Value {
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

/// A JUnit XML report: one test suite, one test case per file (named by its path), a
/// `<failure>` listing the problems of each file that fails, warnings in `<system-out>`.
pub fn junit(reports: &[FileReport], expect_invalid: bool) -> String {
    let totals = Totals::of(reports, expect_invalid);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_junit(&mut writer, reports, expect_invalid, totals).expect("writing to memory");
    let mut xml = String::from_utf8(writer.into_inner()).expect("quick-xml writes UTF-8");
    xml.push('\n');
    xml
}

fn write_junit(
    writer: &mut Writer<Vec<u8>>,
    reports: &[FileReport],
    expect_invalid: bool,
    totals: Totals,
) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests = totals.files.to_string();
    let failures = totals.failed.to_string();
    let counts = [
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", "0"),
        ("skipped", "0"),
    ];
    writer
        .create_element("testsuites")
        .with_attribute(("name", "hooktool validate"))
        .with_attributes(counts)
        .write_inner_content(|writer| {
            writer
                .create_element("testsuite")
                .with_attribute(("name", "hooktool validate"))
                .with_attributes(counts)
                .write_inner_content(|writer| {
                    for report in reports {
                        write_test_case(writer, report, expect_invalid)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn write_test_case(
    writer: &mut Writer<Vec<u8>>,
    report: &FileReport,
    expect_invalid: bool,
) -> io::Result<()> {
    let classname = report
        .event
        .map_or("hooktool.validate", |(event, _)| event.name);
    let case = writer
        .create_element("testcase")
        .with_attribute(("name", report.path.as_str()))
        .with_attribute(("classname", classname))
        .with_attribute(("file", report.path.as_str()));
    let lines = |severity: Severity| -> Vec<String> {
        report
            .problems
            .iter()
            .filter(|problem| problem.severity == severity)
            .map(|problem| {
                format!(
                    "{}:{}:{}: {}{}: {}",
                    report.path,
                    problem.position.line,
                    problem.position.column,
                    severity_word(problem.severity),
                    kind_label(problem),
                    located_message(problem)
                )
            })
            .collect()
    };
    let failure = (!report.passes(expect_invalid)).then(|| {
        let errors = lines(Severity::Error);
        let message = match (unexpectedly_valid(report), errors.first()) {
            (Some(valid), _) if expect_invalid => valid.to_string(),
            (_, Some(first)) => first.clone(),
            _ => "invalid".to_string(),
        };
        (message, errors.join("\n"))
    });
    let warnings = lines(Severity::Warning);
    if failure.is_none() && warnings.is_empty() {
        case.write_empty()?;
        return Ok(());
    }
    case.write_inner_content(|writer| {
        if let Some((message, body)) = &failure {
            writer
                .create_element("failure")
                .with_attribute(("message", message.as_str()))
                .with_attribute(("type", "validation"))
                .write_text_content(BytesText::new(body))?;
        }
        if !warnings.is_empty() {
            writer
                .create_element("system-out")
                .write_text_content(BytesText::new(&warnings.join("\n")))?;
        }
        Ok(())
    })?;
    Ok(())
}

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
    use crate::domain::catalogue;
    use crate::domain::json_position::Position;
    use crate::domain::validation::EventSource;

    fn problem(severity: Severity, kind: ProblemKind, pointer: &str, message: &str) -> Problem {
        Problem {
            severity,
            kind,
            position: Position {
                line: 3,
                column: 14,
            },
            pointer: Some(pointer.to_string()),
            message: message.to_string(),
        }
    }

    fn reports() -> Vec<FileReport> {
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

    #[test]
    fn github_annotations_escape_properties_and_data() {
        let out = github(&reports(), false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=dir/bad%2C 100%25.json,line=3,col=14,title=hooktool validate%3A schema::/User/Email: expected a string, found null",
                "::warning file=dir/bad%2C 100%25.json,line=3,col=14,title=hooktool validate%3A badge-listed::/User/Badges: a <b> & \"c\"%0Anext",
            ]
        );
        let expected = github(&reports(), true);
        assert_eq!(
            expected,
            "::error file=good.json,line=1,col=1,title=hooktool validate::valid, but --expect-invalid expects this file to fail\n"
        );
    }

    #[test]
    fn json_is_one_document_with_totals() {
        let document = json(&reports(), false);
        assert_eq!(document["ok"], false);
        assert_eq!(document["summary"]["failed"], 1);
        assert_eq!(
            document["files"][1]["problems"][0]["pointer"],
            "/User/Email"
        );
        assert_eq!(document["files"][1]["problems"][1]["kind"], "badge-listed");
        assert_eq!(document["files"][0]["event_from"], "path");
    }

    #[test]
    fn junit_is_well_formed_with_one_case_per_file() {
        let xml = junit(&reports(), false);
        let mut reader = quick_xml::Reader::from_str(&xml);
        let (mut cases, mut failures, mut texts) = (0, 0, String::new());
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(tag) | Event::Empty(tag) => match tag.name().as_ref() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    _ => {}
                },
                Event::Text(text) => texts.push_str(&text),
                _ => {}
            }
        }
        assert_eq!((cases, failures), (2, 1));
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert!(texts.contains("/User/Email: expected a string"), "{texts}");
    }
}
