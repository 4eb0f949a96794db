//! Probe results as people and CI read them: the list of cases, a table (case, what was sent,
//! expected, got, verdict, why), one JSON document, a JUnit report with one test case per case,
//! and GitHub annotations.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde_json::{Value, json};

use crate::domain::probe::{Answer, Case, Grade, Outcome, Report};
use crate::render::style::Palette;
use crate::render::xml_text::xml_safe;

/// `--list`: every case with what it sends, what is expected, and why it matters.
pub fn list(cases: &[&Case], palette: Palette) -> String {
    let width = cases.iter().map(|case| case.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for case in cases {
        out.push_str(&format!(
            "{}  expects {:<10}  {}\n{:width$}  {}\n",
            palette.strong(&format!("{:<width$}", case.name)),
            case.expect.label(),
            case.sent,
            "",
            palette.dim(&format!("if not: {}", case.risk)),
        ));
    }
    out
}

fn got(outcome: &Outcome) -> String {
    match &outcome.answer {
        Answer::Status(status) => format!("{status} in {:.0} ms", outcome.latency_ms),
        Answer::None(error) => error.clone(),
    }
}

/// The table (case, what was sent, expected, got, verdict, why), then the closing count.
pub fn text(report: &Report, palette: Palette) -> String {
    let rows: Vec<[String; 4]> = report
        .outcomes
        .iter()
        .map(|outcome| {
            [
                outcome.case.name.to_string(),
                outcome.case.sent.to_string(),
                outcome.case.expect.label().to_string(),
                got(outcome),
            ]
        })
        .collect();
    let headings = ["case", "sent", "expected", "got"];
    let widths: Vec<usize> = (0..4)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([headings[column].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let cells = |cells: [&str; 4]| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}  "))
            .collect()
    };
    let mut out = palette.strong(&format!("{}verdict  why", cells(headings)));
    out.push('\n');
    for (row, outcome) in rows.iter().zip(&report.outcomes) {
        let verdict = match outcome.graded.grade {
            Grade::Pass => palette.good("pass"),
            Grade::Warn => palette.caution("warn"),
            Grade::Fail => palette.bad("fail"),
        };
        let row = cells([&row[0], &row[1], &row[2], &row[3]]);
        out.push_str(&format!("{row}{verdict}     {}\n", outcome.graded.why));
    }
    out.push_str(&format!("\n{}\n", summary(report, palette)));
    out
}

/// `14 cases: 12 pass, 1 warn, 1 fail`.
pub fn summary(report: &Report, palette: Palette) -> String {
    let text = format!(
        "{} cases against {}: {} pass, {} warn, {} fail{}",
        report.outcomes.len(),
        report.target,
        report.count(Grade::Pass),
        report.count(Grade::Warn),
        report.count(Grade::Fail),
        if report.strict {
            " (--strict: warnings fail)"
        } else {
            ""
        }
    );
    if report.passed() {
        palette.good(&text)
    } else {
        palette.bad(&text)
    }
}

pub fn json(report: &Report) -> Value {
    json!({
        "event": report.event,
        "provider": report.provider,
        "scheme": report.scheme.id(),
        "target": report.target,
        "strict": report.strict,
        "ok": report.passed(),
        "summary": {
            "cases": report.outcomes.len(),
            "pass": report.count(Grade::Pass),
            "warn": report.count(Grade::Warn),
            "fail": report.count(Grade::Fail),
        },
        "cases": report.outcomes.iter().map(|outcome| {
            let (status, error) = match &outcome.answer {
                Answer::Status(status) => (Some(*status), None),
                Answer::None(error) => (None, Some(error.as_str())),
            };
            json!({
                "name": outcome.case.name,
                "sent": outcome.case.sent,
                "expected": outcome.case.expect.label(),
                "status": status,
                "error": error,
                "latency_ms": outcome.latency_ms,
                "verdict": outcome.graded.grade.id(),
                "why": outcome.graded.why,
            })
        }).collect::<Vec<_>>(),
    })
}

/// A JUnit report: one test suite, one test case per probe case; a failing case (a warning
/// under `--strict`) carries a `<failure>`, a warning otherwise its line in `<system-out>`.
pub fn junit(report: &Report) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_junit(&mut writer, report).expect("writing to memory");
    let mut xml = String::from_utf8(writer.into_inner()).expect("quick-xml writes UTF-8");
    xml.push('\n');
    xml
}

fn write_junit(writer: &mut Writer<Vec<u8>>, report: &Report) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests = report.outcomes.len().to_string();
    let failures = report
        .outcomes
        .iter()
        .filter(|outcome| report.fails(outcome))
        .count()
        .to_string();
    let name = format!("hooktool probe {}", report.event);
    let name = xml_safe(&name);
    let counts = [
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", "0"),
    ];
    writer
        .create_element("testsuites")
        .with_attribute(("name", name.as_ref()))
        .with_attributes(counts)
        .write_inner_content(|writer| {
            writer
                .create_element("testsuite")
                .with_attribute(("name", name.as_ref()))
                .with_attributes(counts)
                .write_inner_content(|writer| {
                    for outcome in &report.outcomes {
                        write_case(writer, report, outcome)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn write_case(writer: &mut Writer<Vec<u8>>, report: &Report, outcome: &Outcome) -> io::Result<()> {
    let case = writer
        .create_element("testcase")
        .with_attribute(("name", outcome.case.name))
        .with_attribute((
            "classname",
            format!("probe.{}", report.scheme.id()).as_str(),
        ));
    // What was received (an error text from the connection, a status line) is not ours to
    // trust: it may hold characters XML 1.0 forbids.
    let detail = format!(
        "sent: {}\nexpected: {}\ngot: {}\n{}",
        outcome.case.sent,
        outcome.case.expect.label(),
        got(outcome),
        outcome.graded.why
    );
    if report.fails(outcome) {
        case.write_inner_content(|writer| {
            writer
                .create_element("failure")
                .with_attribute(("message", xml_safe(&outcome.graded.why).as_ref()))
                .with_attribute(("type", outcome.graded.grade.id()))
                .write_text_content(BytesText::new(&xml_safe(&detail)))?;
            Ok(())
        })?;
    } else if outcome.graded.grade == Grade::Warn {
        case.write_inner_content(|writer| {
            writer
                .create_element("system-out")
                .write_text_content(BytesText::new(&xml_safe(&format!("warning: {detail}"))))?;
            Ok(())
        })?;
    } else {
        case.write_empty()?;
    }
    Ok(())
}

/// `::error title=hooktool probe: unsigned::...` for each failing case, `::warning` for
/// warnings.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for outcome in &report.outcomes {
        let level = match outcome.graded.grade {
            Grade::Pass => continue,
            _ if report.fails(outcome) => "error",
            _ => "warning",
        };
        out.push_str(&format!(
            "::{level} title=hooktool probe%3A {}::{}: got {}: {}\n",
            outcome.case.name,
            outcome.case.sent,
            escape(&got(outcome)),
            escape(&outcome.graded.why)
        ));
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
