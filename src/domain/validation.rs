//! Validation of one JSON file as an event document: which event it is (flag, path, or shape),
//! malformed JSON, schema violations and provider rules, each placed at a line and column; a
//! broken assumption is a warning, or under `--strict` an error. Pure: bytes and a path in, a
//! `FileReport` out. The one place that talks to `aho-corasick`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind, PatternID};

use serde_json::Value;

use crate::domain::catalogue::{self, Event};
use crate::domain::json_document;
use crate::domain::json_position::{self, Position};
use crate::domain::schema;
use crate::domain::semantics::{self, Finding, Severity};

/// How the event of a file was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    Flag,
    Path,
    Shape,
}

impl EventSource {
    pub fn id(self) -> &'static str {
        match self {
            EventSource::Flag => "flag",
            EventSource::Path => "path",
            EventSource::Shape => "shape",
        }
    }
}

/// What kind of check a problem comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not a JSON object: unreadable text, malformed JSON, or another top-level value.
    Syntax,
    /// The event could not be told; the file fails whatever `--expect-invalid` says.
    UnknownEvent,
    Schema,
    /// A provider rule, by id.
    Rule(&'static str),
}

impl ProblemKind {
    pub fn id(self) -> &'static str {
        match self {
            ProblemKind::Syntax => "syntax",
            ProblemKind::UnknownEvent => "event",
            ProblemKind::Schema => "schema",
            ProblemKind::Rule(id) => id,
        }
    }
}

/// One thing wrong with a file, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Whether the problem breaks an assumption rather than a documented fact: a warning, or an
    /// error under `--strict`.
    pub assumed: bool,
    pub kind: ProblemKind,
    pub position: Position,
    /// JSON pointer of the offending value, when the document parsed.
    pub pointer: Option<String>,
    pub message: String,
}

/// Everything found in one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user named it, or `-` for stdin.
    pub path: String,
    pub event: Option<(&'static Event, EventSource)>,
    pub problems: Vec<Problem>,
}

impl FileReport {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|problem| problem.severity == severity)
            .count()
    }

    /// Whether the file meets what is asked of it: valid, or with `expect_invalid` invalid. A
    /// file whose event cannot be told meets neither: it tests nothing.
    pub fn passes(&self, expect_invalid: bool) -> bool {
        let event_unknown = self
            .problems
            .iter()
            .any(|problem| problem.kind == ProblemKind::UnknownEvent);
        !event_unknown && (self.errors() > 0) == expect_invalid
    }
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport], expect_invalid: bool) -> Self {
        Totals {
            files: reports.len(),
            failed: reports
                .iter()
                .filter(|report| !report.passes(expect_invalid))
                .count(),
            errors: reports.iter().map(FileReport::errors).sum(),
            warnings: reports.iter().map(FileReport::warnings).sum(),
        }
    }
}

/// Validates `bytes`, read from `path` (`None` for stdin), as `event` when given, else as the
/// event named in the path, else as the one event whose schema the document matches. With
/// `strict`, broken assumptions are errors instead of warnings.
pub fn validate_file(
    label: &str,
    path: Option<&Path>,
    bytes: &[u8],
    event: Option<&'static Event>,
    strict: bool,
) -> FileReport {
    let mut report = FileReport {
        path: label.to_string(),
        event: event
            .map(|event| (event, EventSource::Flag))
            .or_else(|| Some((event_in_path(path?)?, EventSource::Path))),
        problems: Vec::new(),
    };
    let (text, document) = match parse_object(bytes) {
        Ok(parsed) => parsed,
        Err(problem) => {
            report.problems.push(problem);
            return report;
        }
    };
    let mut locator = json_position::Locator::new(text);
    if report.event.is_none() {
        match event_by_shape(&document) {
            Ok(event) => report.event = Some((event, EventSource::Shape)),
            Err(message) => {
                report.problems.push(Problem {
                    severity: Severity::Error,
                    assumed: false,
                    kind: ProblemKind::UnknownEvent,
                    position: json_position::position_of(
                        text,
                        locator.value_offset("").unwrap_or(0),
                    ),
                    pointer: Some(String::new()),
                    message,
                });
                return report;
            }
        }
    }
    let (event, _) = report.event.expect("decided above");
    let (violations, findings) = judge(event, &document);
    // Every problem's place at once, so that thousands of them cost one pass over the text.
    let offsets: Vec<usize> = violations
        .iter()
        .map(|violation| &violation.pointer)
        .chain(findings.iter().map(|finding| &finding.pointer))
        .map(|pointer| locator.value_offset(pointer).unwrap_or(0))
        .collect();
    let mut positions = json_position::positions_of(text, &offsets).into_iter();
    let mut position = || positions.next().expect("one position per problem");
    report
        .problems
        .extend(violations.into_iter().map(|violation| Problem {
            severity: Severity::Error,
            assumed: false,
            kind: ProblemKind::Schema,
            position: position(),
            pointer: Some(violation.pointer),
            message: violation.message,
        }));
    report
        .problems
        .extend(findings.into_iter().map(|finding| Problem {
            severity: Severity::of(finding.rule.basis, strict),
            assumed: finding.rule.is_assumed(),
            kind: ProblemKind::Rule(finding.rule.id),
            position: position(),
            pointer: Some(finding.pointer),
            message: finding.message,
        }));
    report.problems.sort_by_key(|problem| {
        (
            problem.position.line,
            problem.position.column,
            problem.severity == Severity::Warning,
        )
    });
    report
}

/// The violations of `event`'s schema in `document` and the findings of its payload rules. A
/// value the schema already rejects is reported once, by the schema.
pub fn judge(event: &'static Event, document: &Value) -> (Vec<schema::Violation>, Vec<Finding>) {
    let verdict = schema::verdict(event, document, semantics::looks_for_unknown_fields(event));
    let findings = if verdict.only_listed_fields {
        semantics::check_listed(event, document)
    } else {
        semantics::check(event, document)
    };
    let violations = verdict.violations;
    let reported: HashSet<&str> = violations.iter().map(|v| v.pointer.as_str()).collect();
    let findings = findings
        .into_iter()
        .filter(|finding| !reported.contains(finding.pointer.as_str()))
        .collect();
    (violations, findings)
}

/// The event whose full or short name appears in the path, file name first, then the
/// directories from the innermost out. Within one component the longest name wins, so
/// `badge_assignment_created.json` is never taken for `badge_created`.
pub fn event_in_path(path: &Path) -> Option<&'static Event> {
    // Split at the separators rather than by `Path::components`, which parses each component
    // again from the back: a cost every file of a run paid. The pieces it would not yield
    // (empty, `.`) name no event.
    let separator = |byte: &u8| byte.is_ascii() && std::path::is_separator(char::from(*byte));
    let mut components = path.as_os_str().as_encoded_bytes().rsplit(separator);
    let names = event_names();
    components.find_map(|component| {
        let component = String::from_utf8_lossy(component);
        // Copied only to be lowered: most paths are lowercase ASCII already.
        let component = if component
            .bytes()
            .any(|byte| byte.is_ascii_uppercase() || !byte.is_ascii())
        {
            Cow::Owned(component.to_lowercase())
        } else {
            component
        };
        names.longest_in(&component).map(|name| names.events[name])
    })
}

/// The index of the longest name `automaton` holds that appears in `text` as a whole word; of
/// names as long, the one listed last. Each name's occurrences are taken left to right without
/// overlapping one another, as a search for that name alone finds them: in `aping.ping.ping`,
/// `ping.ping` occurs once, not as a whole word, so only `ping` is named.
fn longest_whole_name(automaton: &AhoCorasick, text: &str) -> Option<usize> {
    // Where each name's last occurrence ended; overlapping occurrences arrive in the order
    // they end, so a name's next one counts only if it starts there or later.
    let mut ends: Vec<(PatternID, usize)> = Vec::new();
    automaton
        .find_overlapping_iter(text)
        .filter(|found| {
            match ends.iter_mut().find(|(name, _)| *name == found.pattern()) {
                Some((_, end)) if found.start() < *end => return false,
                Some((_, end)) => *end = found.end(),
                None => ends.push((found.pattern(), found.end())),
            }
            is_whole_word(text, found.start(), found.end())
        })
        .max_by_key(|found| (found.len(), found.pattern()))
        .map(|found| found.pattern().as_usize())
}

/// Every event's full and short names, with the event of each. A run over thousands of files
/// looks for every name in every path, and there one pass of an automaton over a file name
/// finds them all, where a search per name cost more than reading and parsing the file. Building
/// the automaton costs as much as searching a few dozen paths name by name, a twentieth of a
/// one-file run: the first paths are searched name by name, and the automaton is built for the
/// rest.
struct EventNames {
    names: Vec<&'static str>,
    /// By name: the event it belongs to.
    events: Vec<&'static Event>,
    automaton: OnceLock<AhoCorasick>,
    /// Paths' components searched so far, up to [`SEARCHES_BEFORE_AUTOMATON`].
    searches: AtomicUsize,
}

/// How many components are searched name by name before the names are built into an automaton.
const SEARCHES_BEFORE_AUTOMATON: usize = 32;

impl EventNames {
    /// The index of the longest name in `component` as a whole word (see [`longest_whole_name`]).
    fn longest_in(&self, component: &str) -> Option<usize> {
        if self.searches.load(Ordering::Relaxed) < SEARCHES_BEFORE_AUTOMATON {
            self.searches.fetch_add(1, Ordering::Relaxed);
            return longest_whole_name_searching_each(&self.names, component);
        }
        let automaton = self.automaton.get_or_init(|| {
            // A DFA or a contiguous NFA searches a file name hardly faster, and building them
            // costs a quarter and a twentieth more. Building fails only past billions of
            // states, far beyond any catalogue's names.
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(&self.names)
                .expect("event names fit an automaton")
        });
        longest_whole_name(automaton, component)
    }
}

/// What [`longest_whole_name`] finds, by one search per name: the same answer, cheaper when
/// there are few texts to search.
fn longest_whole_name_searching_each(names: &[&str], text: &str) -> Option<usize> {
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            text.match_indices(**name)
                .any(|(start, _)| is_whole_word(text, start, start + name.len()))
        })
        .max_by_key(|(index, name)| (name.len(), *index))
        .map(|(index, _)| index)
}

fn event_names() -> &'static EventNames {
    static NAMES: OnceLock<EventNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let (names, events) = catalogue::events()
            .iter()
            .copied()
            .flat_map(|event| {
                std::iter::once(event.name)
                    .chain(event.short_name)
                    .map(move |name| (name, event))
            })
            .unzip();
        EventNames {
            names,
            events,
            automaton: OnceLock::new(),
            searches: AtomicUsize::new(0),
        }
    })
}

/// Whether `component[start..end]` is a whole word: `user_created_bad.json` names
/// `user_created`, `reuser_created.json` does not.
fn is_whole_word(component: &str, start: usize, end: usize) -> bool {
    // A UTF-8 name found in UTF-8 text starts and ends on character boundaries.
    let before = component[..start].chars().next_back();
    let after = component[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn event_by_shape(document: &Value) -> Result<&'static Event, String> {
    let matching: Vec<&'static Event> = catalogue::events()
        .iter()
        .copied()
        .filter(|event| schema::is_valid(event, document))
        .collect();
    match matching.as_slice() {
        [event] => Ok(event),
        [] => Err(
            "cannot tell which event this is: the path names none and the document \
                   matches no event's schema; pass --event EVENT or put the event name in the \
                   file name"
                .to_string(),
        ),
        several => Err(format!(
            "cannot tell which event this is: the document matches {}; pass --event EVENT or \
             put the event name in the file name",
            several
                .iter()
                .map(|event| event.name)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// What is wrong with a JSON file that starts with a byte order mark, which editors on Windows
/// save and serde_json would only report as a value missing at its first character.
pub const BYTE_ORDER_MARK: &str = "the file starts with a UTF-8 byte order mark (BOM), which JSON does not allow: save it without one";

/// The text and the top-level object of `bytes`, or the problem that stops it being one.
fn parse_object(bytes: &[u8]) -> Result<(&str, Value), Problem> {
    let syntax = |position, message: String| Problem {
        severity: Severity::Error,
        assumed: false,
        kind: ProblemKind::Syntax,
        position,
        pointer: None,
        message,
    };
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return Err(syntax(
            Position { line: 1, column: 1 },
            BYTE_ORDER_MARK.to_string(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).expect("checked prefix");
        syntax(
            json_position::position_of(valid, valid.len()),
            format!(
                "invalid UTF-8 (byte 0x{:02x}): JSON text must be UTF-8",
                bytes[error.valid_up_to()]
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(syntax(
            json_position::position_of(text, text.len()),
            "the file is empty: expected a JSON object".to_string(),
        ));
    }
    let document = json_document::parse(text).map_err(|error| {
        let mut position =
            json_position::position_from_line_and_byte_column(text, error.line(), error.column());
        let message = malformed_message(&error, text, position);
        // serde_json stops at the bracket after a trailing comma; the mistake is the comma.
        if error.to_string().starts_with("trailing comma")
            && let Some(comma) = comma_before(text, position)
        {
            position = comma;
        }
        syntax(position, message)
    })?;
    if !document.is_object() {
        let start = json_position::value_offset(text, "").unwrap_or(0);
        return Err(syntax(
            json_position::position_of(text, start),
            format!(
                "expected a JSON object at the top level, found {}",
                schema::value_in_words(&document)
            ),
        ));
    }
    Ok((text, document))
}

/// The position of the last comma before `position`, across whitespace only.
fn comma_before(text: &str, position: Position) -> Option<Position> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(position.line - 1)
        .map(str::len)
        .sum();
    let line = text[line_start..].lines().next().unwrap_or_default();
    let column_offset: usize = line
        .chars()
        .take(position.column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let before = text[..line_start + column_offset].trim_end();
    before
        .ends_with(',')
        .then(|| json_position::position_of(text, before.len() - 1))
}

/// serde_json's reason without its position suffix, with the likely cause where the reason
/// alone would puzzle (a comment reads as "expected value").
fn malformed_message(error: &serde_json::Error, text: &str, position: Position) -> String {
    let reason = error.to_string();
    let reason = reason
        .rfind(" at line ")
        .map_or(reason.as_str(), |index| &reason[..index]);
    let line = text.lines().nth(position.line - 1).unwrap_or_default();
    let rest: String = line.chars().skip(position.column - 1).collect();
    let cause = if rest.starts_with("//") || rest.starts_with("/*") {
        " (JSON has no comments)"
    } else if reason.starts_with("trailing comma") {
        " (JSON allows no comma before `}` or `]`)"
    } else {
        ""
    };
    format!("malformed JSON: {reason}{cause}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;
    use crate::domain::sample_data::SampleRng;

    fn sample_text(name: &str) -> String {
        let event = catalogue::find(name).unwrap();
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        serde_json::to_string_pretty(&event.sample(&mut SampleRng::new(3, now)).unwrap()).unwrap()
    }

    fn only_problem(report: &FileReport) -> &Problem {
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        &report.problems[0]
    }

    #[test]
    fn the_longest_event_name_in_the_path_wins() {
        let named = |path: &str| event_in_path(Path::new(path)).map(|event| event.name);
        assert_eq!(
            named("wix/badge_assignment_created.json"),
            Some("wix.badges.v4.badge_assignment_created")
        );
        assert_eq!(
            named("fixtures/wix.badges.v4.badge_created/a.json"),
            Some("wix.badges.v4.badge_created")
        );
        assert_eq!(
            named("post_created/user_created_bad.json"),
            Some("user_created")
        );
        assert_eq!(named("post_created/example.json"), Some("post_created"));
        assert_eq!(named("repost_created.json"), None);
        assert_eq!(named("cativa/example.json"), None);
        // Names are found whatever their case, also beside characters outside ASCII.
        assert_eq!(named("Fixtures/USER_Created.json"), Some("user_created"));
        assert_eq!(named("é/Post_Created-é.json"), Some("post_created"));
        assert_eq!(named("ÉVÉNEMENTS/user_created.json"), Some("user_created"));
    }

    #[test]
    fn each_name_is_found_as_a_search_for_it_alone_finds_it() {
        // Both ways of searching, which must agree.
        fn longest(names: &[&'static str], text: &str) -> Option<&'static str> {
            let found = longest_whole_name(&AhoCorasick::new(names).unwrap(), text);
            assert_eq!(
                found,
                longest_whole_name_searching_each(names, text),
                "{text}"
            );
            found.map(|index| names[index])
        }
        // `ping.ping` starts inside the first `ping.ping`, which is not a whole word.
        assert_eq!(
            longest(&["ping", "ping.ping"], "aping.ping.ping"),
            Some("ping")
        );
        assert_eq!(longest(&["ping.ping"], "aping.ping.ping"), None);
        assert_eq!(
            longest(&["ping", "ping.ping"], "ping.ping.ping"),
            Some("ping.ping")
        );
        assert_eq!(
            longest(&["a_b", "b_c"], "a_b_c"),
            Some("b_c"),
            "`_` parts words"
        );
        assert_eq!(
            longest(&["ab", "cd"], "ab-cd"),
            Some("cd"),
            "the last of names as long"
        );
        assert_eq!(longest(&["ab", "ab"], "x-ab"), Some("ab"));
        assert_eq!(longest(&["ab"], "abab-ab"), Some("ab"));
        assert_eq!(longest(&["aa"], "aaa"), None);
        assert_eq!(longest(&["aa"], "aaa-aa"), Some("aa"));
    }

    #[test]
    fn the_first_paths_and_the_rest_find_the_same_events() {
        let names = event_names();
        let mut components: Vec<String> = Vec::new();
        for (index, name) in names.names.iter().enumerate() {
            let other = names.names[(index + 1) % names.names.len()];
            for shape in [
                "{n}.json",
                "x{n}.json",
                "{n}x.json",
                "{n}_{o}.json",
                "{o}-{n}.json",
                "{n}{n}.json",
                "{n}.{n}",
                "bad_{n}_2.json",
            ] {
                components.push(shape.replace("{n}", name).replace("{o}", other));
            }
        }
        components.push("nothing.json".to_string());
        let automaton = AhoCorasick::new(&names.names).unwrap();
        for component in &components {
            assert_eq!(
                longest_whole_name(&automaton, component),
                longest_whole_name_searching_each(&names.names, component),
                "{component}"
            );
        }
    }

    /// `generate` and `send` rely on this to leave unedited samples unchecked.
    #[test]
    fn built_in_samples_pass_their_schema_and_rules_for_many_seeds() {
        for &event in catalogue::events() {
            assert!(event.samples_pass_by_construction(), "{}", event.name);
            for seed in 0..100 {
                let now = jiff::Timestamp::from_second(1_700_000_000 + seed as i64 * 7919).unwrap();
                let document = event.sample(&mut SampleRng::new(seed, now)).unwrap();
                let (violations, findings) = judge(event, &document);
                assert!(
                    violations.is_empty() && findings.is_empty(),
                    "{} seed {seed}: {violations:?} {findings:?}",
                    event.name
                );
            }
        }
    }

    #[test]
    fn valid_samples_have_no_problems_and_their_event_comes_from_the_path() {
        for event in catalogue::events() {
            let text = sample_text(event.name);
            let path = format!("fixtures/{}.json", event.name);
            let report = validate_file(&path, Some(Path::new(&path)), text.as_bytes(), None, false);
            assert_eq!(report.problems, [], "{}", event.name);
            assert_eq!(report.event.unwrap().1, EventSource::Path);
            assert!(report.passes(false) && !report.passes(true));
        }
    }

    #[test]
    fn the_shape_decides_when_only_one_event_matches() {
        let report = validate_file(
            "-",
            None,
            sample_text("user_joined_group").as_bytes(),
            None,
            false,
        );
        let (event, source) = report.event.unwrap();
        assert_eq!(
            (event.name, source),
            ("user_joined_group", EventSource::Shape)
        );
    }

    #[test]
    fn an_ambiguous_shape_fails_even_when_invalid_is_expected() {
        let report = validate_file(
            "-",
            None,
            sample_text("certificate_expired").as_bytes(),
            None,
            false,
        );
        let problem = only_problem(&report);
        assert_eq!(problem.kind, ProblemKind::UnknownEvent);
        assert!(
            problem
                .message
                .contains("certificate_completed, certificate_expired")
        );
        assert!(problem.message.contains("--event"));
        assert!(!report.passes(false) && !report.passes(true));
        let report = validate_file("-", None, b"{\"a\": 1}", None, false);
        assert!(only_problem(&report).message.contains("matches no event"));
    }

    #[test]
    fn violations_carry_line_column_and_pointer() {
        let text = sample_text("user_created").replacen(
            "\"Email\": \"",
            "\"Email\": null, \"Ignored\": \"",
            2,
        );
        let event = catalogue::find("user_created").unwrap();
        let report = validate_file("a.json", None, text.as_bytes(), Some(event), false);
        let email = report
            .problems
            .iter()
            .find(|p| p.pointer.as_deref() == Some("/User/Email"))
            .unwrap();
        assert_eq!(email.message, "expected a string, found null");
        let line = text
            .lines()
            .position(|l| l.contains("\"Email\": null"))
            .unwrap();
        let second = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains("\"Email\": null"))
            .nth(1)
            .unwrap();
        assert_eq!(email.position.line, second.0 + 1);
        assert_eq!(email.position.column, second.1.find("null").unwrap() + 1);
        assert!(line < second.0);
        assert!(report.passes(true));
    }

    #[test]
    fn malformed_inputs_are_syntax_errors_with_positions() {
        let cases: [(&[u8], usize, usize, &str); 9] = [
            (b"{\"a\": 1", 1, 7, "EOF while parsing an object"),
            (b"{\"a\": 1,\n}", 1, 8, "trailing comma"),
            (b"[\n  1,\n  2,\n]", 3, 4, "trailing comma"),
            (b"{\n  // note\n  \"a\": 1}", 2, 3, "JSON has no comments"),
            (b"{\"a\": \"\xff\"}", 1, 8, "invalid UTF-8"),
            (b"  \n", 2, 1, "empty"),
            (b"\n [1, 2]", 2, 2, "found an array"),
            (b"42", 1, 1, "found a number"),
            (b"\xef\xbb\xbf{\"a\": 1}", 1, 1, "byte order mark (BOM)"),
        ];
        for (bytes, line, column, words) in cases {
            let report = validate_file("-", None, bytes, None, false);
            let problem = only_problem(&report);
            assert_eq!(problem.kind, ProblemKind::Syntax, "{bytes:?}");
            assert_eq!(
                (problem.position.line, problem.position.column),
                (line, column),
                "{bytes:?}: {}",
                problem.message
            );
            assert!(
                problem.message.contains(words),
                "{bytes:?}: {}",
                problem.message
            );
            assert!(report.passes(true));
        }
    }

    #[test]
    fn a_broken_assumption_is_a_warning_that_fails_only_under_strict() {
        let text = sample_text("user_created").replacen('{', "{\n  \"Locale\": \"pt-BR\",", 1);
        let event = catalogue::find("user_created").ok();
        let report = validate_file("a.json", None, text.as_bytes(), event, false);
        let problem = only_problem(&report);
        assert_eq!(
            (problem.severity, problem.assumed, problem.kind),
            (Severity::Warning, true, ProblemKind::Rule("unknown-field"))
        );
        assert_eq!(problem.pointer.as_deref(), Some("/Locale"));
        // At the field's value, on the field's own line.
        assert_eq!((problem.position.line, problem.position.column), (2, 13));
        assert!(report.passes(false) && !report.passes(true));
        let strict = validate_file("a.json", None, text.as_bytes(), event, true);
        let problem = only_problem(&strict);
        assert_eq!((problem.severity, problem.assumed), (Severity::Error, true));
        assert!(!strict.passes(false) && strict.passes(true));
    }

    #[test]
    fn a_rule_is_not_repeated_where_the_schema_already_failed() {
        let text =
            sample_text("badge_created").replace("\"slug\": \"created\"", "\"slug\": \"updated\"");
        let report = validate_file(
            "-",
            None,
            text.as_bytes(),
            catalogue::find("badge_created").ok(),
            false,
        );
        let at_slug: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.pointer.as_deref() == Some("/slug"))
            .collect();
        assert_eq!(at_slug.len(), 1, "{:?}", report.problems);
        assert_eq!(at_slug[0].kind, ProblemKind::Schema);
    }
}
