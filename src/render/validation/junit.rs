//! Validation results as a JUnit XML report, one test case per file, valid against the JUnit
//! schema that strict consumers (Jenkins' xUnit plugin) check.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{kind_label, located_message, severity_word, unexpectedly_valid};
use crate::domain::semantics::Severity;
use crate::domain::validation::{FileReport, Totals};
use crate::render::xml_text::xml_safe;

/// A JUnit XML report: one test suite, one test case per file (named by its path), a
/// `<failure>` listing the problems of each file that fails, warnings in `<system-out>`, each
/// line starting with the file, line and column. Every text is XML 1.0-safe, whatever a file
/// name or a message holds.
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
    ];
    // The schema allows `skipped` on a suite only, not on `<testsuites>`.
    writer
        .create_element("testsuites")
        .with_attribute(("name", "hooktool validate"))
        .with_attributes(counts)
        .write_inner_content(|writer| {
            writer
                .create_element("testsuite")
                .with_attribute(("name", "hooktool validate"))
                .with_attributes(counts)
                .with_attribute(("skipped", "0"))
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
    // The schema has no `file` on a test case: the name, and each line below, carry the path.
    let case = writer
        .create_element("testcase")
        .with_attribute(("name", xml_safe(&report.path).as_ref()))
        .with_attribute(("classname", xml_safe(classname).as_ref()));
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
                .with_attribute(("message", xml_safe(message).as_ref()))
                .with_attribute(("type", "validation"))
                .write_text_content(BytesText::new(&xml_safe(body)))?;
        }
        if !warnings.is_empty() {
            writer
                .create_element("system-out")
                .write_text_content(BytesText::new(&xml_safe(&warnings.join("\n"))))?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::validation::fixtures::reports;

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
