//! End-to-end tests of `hooktool validate` on the built binary: generated payloads, broken
//! copies of them, malformed JSON, every output format, and the exit codes.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use super::junit_schema;
use super::support::{self, assert_transcript, event_names, hooktool, transcript};

/// The event document `hooktool generate` makes, pretty-printed so positions span lines.
fn payload(event: &str, seed: u64) -> String {
    let output = hooktool()
        .args(["generate", event, "--seed", &seed.to_string()])
        .args(["--now", "1700000000", "--format", "payload"])
        .output()
        .unwrap();
    assert!(output.status.success(), "generate {event}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    serde_json::to_string_pretty(&document).unwrap()
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// 1-based line and column of the `nth` occurrence of `needle` in `text`.
fn line_column(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let offset = text.match_indices(needle).nth(nth).unwrap().0;
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn validate(args: &[&str]) -> assert_cmd::assert::Assert {
    hooktool().arg("validate").args(args).assert()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn every_generated_event_is_valid_and_found_by_its_path() {
    let dir = tempfile::tempdir().unwrap();
    for event in event_names() {
        write(
            dir.path(),
            &format!("nested/{event}/sample.json"),
            payload(event, 1),
        );
    }
    write(dir.path(), "nested/notes.txt", "not JSON, not validated");
    validate(&[arg(dir.path()), "--format", "json"])
        .code(0)
        .stdout(contains("\"passed\": 11"))
        .stdout(contains("\"event_from\": \"path\""));
}

#[test]
fn errors_name_line_column_pointer_and_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let text = payload("user_received_badge", 2);
    let email = text.match_indices("\"Email\": \"").next().unwrap().0;
    let end = email + text[email + 10..].find('"').unwrap() + 11;
    let broken = format!("{}\"Email\": null{}", &text[..email], &text[end..]);
    let broken = broken.replacen("\"BadgeName\": \"", "\"BadgeName\": 12, \"X\": \"", 1);
    let path = write(dir.path(), "user_received_badge/broken.json", &broken);
    let (line, column) = line_column(&broken, "null", 0);
    let (name_line, name_column) = line_column(&broken, "12, \"X\"", 0);
    let (x_line, x_key_column) = line_column(&broken, "\"X\": ", 0);
    let x_column = x_key_column + "\"X\": ".len();
    let file = arg(&path);
    validate(&[file])
        .code(1)
        .stdout(contains(format!(
            "{file}:{line}:{column}: error: /User/Email: expected a string, found null"
        )))
        .stdout(contains(format!(
            "{file}:{name_line}:{name_column}: error: /BadgeName: expected a string, found a number"
        )))
        .stdout(contains(format!(
            "{file}:{x_line}:{x_column}: warning[unknown-field]: /X: unknown field `X` (assumed: "
        )))
        .stdout(contains("FAIL: 1 of 1 file invalid (2 errors, 1 warning)"));
    validate(&[file, "--expect-invalid"]).code(0);
}

#[test]
fn provider_rules_are_reported_with_their_positions() {
    let dir = tempfile::tempdir().unwrap();
    let text = payload("user_created", 3);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let user_name = document["Username"].as_str().unwrap();
    let broken = text.replacen(&format!("\"{user_name}\""), "\"someone-else\"", 1);
    let path = write(dir.path(), "user_created.json", &broken);
    let (line, column) = line_column(&broken, "\"someone-else\"", 0);
    validate(&[arg(&path)]).code(1).stdout(contains(format!(
        ":{line}:{column}: error[user-mirror]: /Username: expected \"{user_name}\", the value of `/User/Username`"
    )));

    let text = payload("user_received_badge", 3);
    let badges = text.find("\"Badges\": [").unwrap();
    let end = badges + text[badges..].find(']').unwrap() + 1;
    let unlisted = format!("{}\"Badges\": []{}", &text[..badges], &text[end..]);
    let path = write(dir.path(), "user_received_badge.json", &unlisted);
    let (line, column) = line_column(&unlisted, "[]", 0);
    validate(&[arg(&path)])
        .code(0)
        .stdout(contains(format!(
            ":{line}:{column}: warning[badge-listed]: /User/Badges"
        )))
        .stdout(contains("ok: 1 file valid (0 errors, 1 warning)"));
}

#[test]
fn malformed_json_exits_1_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 7] = [
        (
            "truncated.json",
            b"{\n  \"a\": [1,",
            "2:10: error: malformed JSON: EOF",
        ),
        (
            "comma.json",
            b"{\"a\": 1,\n}",
            "1:8: error: malformed JSON: trailing comma",
        ),
        (
            "comment.json",
            b"{ /* hi */ }",
            "1:3: error: malformed JSON: key must be a string (JSON has no comments)",
        ),
        (
            "utf8.json",
            b"{\"a\":\n \"\xc3\x28\"}",
            "2:3: error: invalid UTF-8 (byte 0xc3)",
        ),
        ("empty.json", b"", "1:1: error: the file is empty"),
        (
            "array.json",
            b"[{}]",
            "1:1: error: expected a JSON object at the top level, found an array",
        ),
        (
            "scalar.json",
            b"  \"text\"",
            "1:3: error: expected a JSON object at the top level, found a string",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, bytes);
        validate(&[arg(&path), "--event", "post_created"])
            .code(1)
            .stdout(contains(format!("{}:{expected}", arg(&path))));
    }
    validate(&[
        arg(dir.path()),
        "--event",
        "post_created",
        "--expect-invalid",
    ])
    .code(0)
    .stdout(contains("ok: 7 files invalid, as expected"));
}

#[test]
fn unreadable_paths_and_unknown_events_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    validate(&[arg(&missing)])
        .code(2)
        .stdout("")
        .stderr(contains("hooktool: error: cannot read"))
        .stderr(contains("missing.json"));
    validate(&[arg(dir.path())])
        .code(2)
        .stderr(contains("no *.json files under"));
    let path = write(dir.path(), "a.json", "{}");
    validate(&[arg(&path), "--event", "user_creatd"])
        .code(2)
        .stderr(contains("unknown event `user_creatd`, --event"))
        .stderr(contains("did you mean `user_created`?"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_skipped_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post_created.json", payload("post_created", 3));
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/up")).unwrap();
    let output = validate(&[arg(dir.path()), "--format", "json"])
        .code(0)
        .get_output()
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    let stderr = String::from_utf8(output.stderr).unwrap();
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].contains(arg(&dir.path().join("a").join("up"))),
        "{stderr}"
    );
}

#[test]
fn stdin_is_read_with_dash_and_the_shape_decides_the_event() {
    hooktool()
        .args(["validate", "-", "--format", "json"])
        .write_stdin(payload("post_created", 4))
        .assert()
        .code(0)
        .stdout(contains("\"event\": \"post_created\""))
        .stdout(contains("\"event_from\": \"shape\""));
}

#[test]
fn an_ambiguous_file_fails_even_when_invalid_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "cert.json", payload("certificate_completed", 5));
    for extra in [None, Some("--expect-invalid")] {
        validate(&[&[arg(&path)][..], extra.as_slice()].concat())
            .code(1)
            .stdout(contains(
                "matches certificate_completed, certificate_expired",
            ))
            .stdout(contains("pass --event EVENT"));
    }
    validate(&[arg(&path), "--event", "certificate_completed"]).code(0);
}

#[test]
fn expect_invalid_fails_on_a_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "post_created.json", payload("post_created", 6));
    validate(&[arg(&path), "--expect-invalid"])
        .code(1)
        .stdout(contains(
            "valid, but --expect-invalid expects this file to fail",
        ));
}

fn broken_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "post_created/ok.json",
        payload("post_created", 7),
    );
    let broken = payload("wix.badges.v4.badge_created", 7).replacen(
        "\"slug\": \"created\"",
        "\"slug\": 1",
        1,
    );
    write(dir.path(), "badge_created/bad, odd%name.json", broken);
    dir
}

#[test]
fn junit_output_is_well_formed_with_one_case_per_file() {
    let dir = broken_tree();
    let output = validate(&[arg(dir.path()), "--format", "junit"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let xml = String::from_utf8(output).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures) = (0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(tag) | quick_xml::events::Event::Empty(tag) => {
                match tag.name().as_ref() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!((cases, failures), (2, 1), "{xml}");
    junit_schema::assert_valid_junit(&xml);
}

#[test]
fn github_lines_follow_the_annotation_syntax() {
    let dir = broken_tree();
    let assert = validate(&[arg(dir.path()), "--format", "github"]).code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let line = lines[0];
    assert!(line.starts_with("::error file="), "{line}");
    let (properties, message) = line["::error ".len()..].split_once("::").unwrap();
    let keys: Vec<&str> = properties
        .split(',')
        .map(|p| p.split_once('=').unwrap().0)
        .collect();
    assert_eq!(keys, ["file", "line", "col", "title"]);
    assert!(
        properties.contains("bad%2C odd%25name.json"),
        "{properties}"
    );
    assert_eq!(message, "/slug: expected \"created\", found 1");
    assert!(
        String::from_utf8_lossy(&assert.get_output().stderr).contains("FAIL: 1 of 2 files invalid")
    );
}

#[test]
fn json_output_is_one_document() {
    let dir = broken_tree();
    let output = validate(&[arg(dir.path()), "--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let document: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(document["summary"]["files"], 2);
    assert_eq!(document["summary"]["failed"], 1);
    let problems = document["files"][0]["problems"].as_array().unwrap();
    assert_eq!(problems[0]["pointer"], "/slug");
    assert!(problems[0]["line"].as_u64().unwrap() > 1);
}

/// A Cativa payload with a field Cativa does not document, and a Wix assignment event naming
/// another entity: valid, with a warning that names the field and says "assumed", in every
/// format; with --strict, invalid.
#[test]
fn a_broken_assumption_warns_and_fails_only_under_strict() {
    let dir = tempfile::tempdir().unwrap();
    let cativa = payload("user_created", 4).replacen('{', "{\n  \"Locale\": \"pt-BR\",", 1);
    let cativa = write(dir.path(), "user_created/drift.json", &cativa);
    let wix = payload("badge_assignment_created", 4).replacen(
        "\"entityFqdn\": \"wix.badges.v4.badge_assignment\"",
        "\"entityFqdn\": \"wix.members.v1.badge_assignment\"",
        1,
    );
    let wix = write(dir.path(), "badge_assignment_created/other.json", &wix);
    let cases = [
        (
            arg(&cativa),
            "/Locale: unknown field `Locale` (assumed: Cativa sends no fields beyond those it documents)",
        ),
        (
            arg(&wix),
            "/entityFqdn: expected \"wix.badges.v4.badge_assignment\" for \
             wix.badges.v4.badge_assignment_created, found \"wix.members.v1.badge_assignment\" \
             (assumed: badge-assignment events carry entityFqdn wix.badges.v4.badge_assignment)",
        ),
    ];
    for (file, message) in cases {
        let (line, column) = line_column(
            &std::fs::read_to_string(file).unwrap(),
            if file.ends_with("drift.json") {
                "\"pt-BR\""
            } else {
                "\"wix.members"
            },
            0,
        );
        let rule = if file.ends_with("drift.json") {
            "unknown-field"
        } else {
            "wix-assignment-fqdn"
        };
        validate(&[file, "--color", "never"])
            .code(0)
            .stdout(contains(format!(
                "{file}:{line}:{column}: warning[{rule}]: {message}"
            )))
            .stdout(contains("ok: 1 file valid (0 errors, 1 warning)"));
        validate(&[file, "--strict", "--color", "never"])
            .code(1)
            .stdout(contains(format!(
                "{file}:{line}:{column}: error[{rule}]: {message}"
            )))
            .stdout(contains("FAIL: 1 of 1 file invalid (1 error, 0 warnings)"));
        validate(&[file, "--strict", "--expect-invalid"]).code(0);
        validate(&[file, "--expect-invalid"]).code(1);

        let json = |strict: &[&str]| -> serde_json::Value {
            let output = hooktool()
                .args(["validate", file, "--format", "json"])
                .args(strict)
                .output()
                .unwrap();
            serde_json::from_slice(&output.stdout).unwrap()
        };
        let lenient = json(&[]);
        let problem = &lenient["files"][0]["problems"][0];
        assert_eq!(
            (&problem["severity"], &problem["assumed"], &problem["kind"]),
            (&"warning".into(), &true.into(), &rule.into())
        );
        assert_eq!(
            (&lenient["ok"], &lenient["strict"]),
            (&true.into(), &false.into())
        );
        let strict = json(&["--strict"]);
        let problem = &strict["files"][0]["problems"][0];
        assert_eq!(
            (&problem["severity"], &problem["assumed"]),
            (&"error".into(), &true.into())
        );
        assert_eq!(
            (&strict["ok"], &strict["strict"]),
            (&false.into(), &true.into())
        );

        let github = validate(&[file, "--format", "github"]).code(0);
        let stdout = String::from_utf8_lossy(&github.get_output().stdout).to_string();
        assert!(
            stdout.starts_with("::warning file=") && stdout.contains("(assumed: "),
            "{stdout}"
        );
        let github = validate(&[file, "--format", "github", "--strict"]).code(1);
        let stdout = String::from_utf8_lossy(&github.get_output().stdout).to_string();
        assert!(stdout.starts_with("::error file="), "{stdout}");

        // JUnit: the warning is the case's output, not a failure; under --strict it fails.
        let junit = validate(&[file, "--format", "junit"]).code(0);
        let xml = String::from_utf8_lossy(&junit.get_output().stdout).to_string();
        assert!(!xml.contains("<failure"), "{xml}");
        assert!(
            xml.contains("<system-out>") && xml.contains("(assumed: "),
            "{xml}"
        );
        let junit = validate(&[file, "--format", "junit", "--strict"]).code(1);
        let xml = String::from_utf8_lossy(&junit.get_output().stdout).to_string();
        assert!(
            xml.contains("<failure") && xml.contains("(assumed: "),
            "{xml}"
        );
    }
}

/// `fixtures/assumed/`: documents that meet every documented fact and break one assumption,
/// the one their name says.
#[test]
fn assumed_fixtures_break_only_the_assumption_their_name_says() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/assumed");
    let output = hooktool()
        .args(["validate", arg(&fixtures), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    for file in files {
        let path = file["path"].as_str().unwrap();
        let expected = match Path::new(path).file_stem().unwrap().to_str().unwrap() {
            "unknown-field" => "unknown-field",
            "badge-listed-twice" => "unique-badges",
            "other-entity-fqdn" => "wix-assignment-fqdn",
            "expires-null" => "expired-has-expiry",
            other => panic!("unexpected fixture {other}"),
        };
        let problems = file["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{path}: {problems:?}");
        assert_eq!(problems[0]["kind"], expected, "{path}");
        assert_eq!(problems[0]["assumed"], true, "{path}");
        assert_eq!(problems[0]["severity"], "warning", "{path}");
    }
}

/// --strict changes nothing where no assumption is broken.
#[test]
fn strict_leaves_documented_results_alone() {
    let dir = tempfile::tempdir().unwrap();
    let valid = write(
        dir.path(),
        "post_created/ok.json",
        payload("post_created", 5),
    );
    for flags in [&[][..], &["--strict"][..]] {
        validate(&[&[arg(&valid)][..], flags].concat())
            .code(0)
            .stdout(contains("ok: 1 file valid (0 errors, 0 warnings)"));
    }
    let dir = broken_tree();
    let lenient = validate(&[arg(dir.path())])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let strict = validate(&[arg(dir.path()), "--strict"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(lenient, strict);
}

/// The repository's own fixtures: the valid tree passes, the invalid tree fails file by file,
/// the assumed tree passes with a warning per file and fails under --strict.
#[test]
fn the_repository_fixtures_validate_as_their_directories_say() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    validate(&[arg(&fixtures.join("assumed")), "--strict"])
        .code(1)
        .stdout(contains(
            "FAIL: 4 of 4 files invalid (4 errors, 0 warnings)",
        ));
    validate(&[arg(&fixtures.join("assumed"))])
        .code(0)
        .stdout(contains("ok: 4 files valid (0 errors, 4 warnings)"));
    for (tree, flags) in [
        ("valid", &[][..]),
        ("valid", &["--strict"][..]),
        ("invalid", &["--expect-invalid"][..]),
        ("assumed", &["--strict", "--expect-invalid"][..]),
    ] {
        let path = fixtures.join(tree);
        assert!(path.is_dir(), "{} is missing", path.display());
        validate(&[&[arg(&path)][..], flags].concat())
            .code(0)
            .stdout(contains("ok: "));
    }
}

/// What users and CI scripts read from `validate` of the repository's fixtures, in every format.
#[test]
fn validate_reports_of_the_fixtures_are_as_accepted() {
    for format in ["text", "json", "junit", "github"] {
        for (name, tree, flags, code) in [
            ("valid", "valid", &[][..], 0),
            ("invalid", "invalid", &["--expect-invalid"][..], 0),
            ("assumed", "assumed", &[][..], 0),
            ("assumed_strict", "assumed", &["--strict"][..], 1),
        ] {
            let path = format!("fixtures/{tree}");
            let args = [
                &["validate", &path][..],
                flags,
                &["--format", format, "--color", "never"],
            ]
            .concat();
            assert_transcript!(
                format!("validate_{name}_{format}"),
                transcript(code, &args, None)
            );
        }
    }
}

#[test]
fn endless_binary_stdin_is_an_input_error_found_at_its_first_bytes() {
    for chunk in [vec![0u8; 64 * 1024], support::noise(64 * 1024)] {
        let run = support::with_endless_stdin(
            &[
                "validate",
                "-",
                "--event",
                "user_created",
                "--expect-invalid",
            ],
            chunk,
        );
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(
            run.stderr
                .starts_with("hooktool: error: stdin is binary data, not JSON text (a NUL byte"),
            "{}",
            run.stderr
        );
        assert!(run.written < 8 << 20, "{} bytes written", run.written);
    }
}

#[test]
fn inputs_past_max_input_are_refused_naming_the_flag() {
    let run =
        support::with_endless_stdin(&["validate", "-", "--max-input", "64KiB"], vec![b' '; 4096]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hooktool: error: stdin is larger than the 64 KiB input limit, PATH `-`"),
        "{}",
        run.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let mut document = payload("user_created", 1).into_bytes();
    document.resize(2048, b' ');
    let path = write(dir.path(), "user_created.json", &document);
    validate(&[arg(&path), "--max-input", "1KiB"])
        .code(2)
        .stdout("")
        .stderr(contains(
            "user_created.json is larger than the 1 KiB input limit, PATH argument",
        ))
        .stderr(contains("hint: raise the limit with --max-input"));
    validate(&[arg(&path), "--max-input", "2KiB"]).code(0);
}

#[test]
fn a_file_with_nul_bytes_is_binary_not_malformed_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "user_created.json", b"{\"id\": \"\x00\"}");
    validate(&[arg(&path), "--expect-invalid"])
        .code(2)
        .stderr(contains(
            "user_created.json is binary data, not JSON text (a NUL byte at offset 8), PATH argument",
        ));
}
