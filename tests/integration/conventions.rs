//! Conventions every command keeps: colour only on the stream that is a terminal, writes to a
//! closed stderr that never panic, usage errors that come alone, and numbers read as the user
//! typed them, negative ones included.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::support::{SECRET, hooktool, signed_request_file};

fn hooktool_path() -> String {
    assert_cmd::cargo::cargo_bin!("hooktool")
        .display()
        .to_string()
}

/// Runs `shell` under `script`, which gives it a pseudo-terminal for stdin, stdout and stderr;
/// what the terminal showed comes back as stdout.
fn on_a_terminal(shell: &str) -> Output {
    Command::new("script")
        .args(["-qec", shell, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("HOOKTOOL_SECRET")
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs")
}

#[test]
fn a_redirected_stdout_gets_no_colour_while_stderr_on_a_terminal_does() {
    let dir = tempfile::tempdir().unwrap();
    let request = signed_request_file(dir.path());
    let hooktool = hooktool_path();
    for (name, command) in [
        ("events", format!("{hooktool} events")),
        (
            "verify",
            format!(
                "{hooktool} verify {} --secret {SECRET} --now 1700000000",
                request.display()
            ),
        ),
    ] {
        let out = dir.path().join(format!("{name}.out"));
        let terminal = on_a_terminal(&format!("{command} > {}", out.display()));
        let file = std::fs::read(&out).unwrap();
        assert!(!file.is_empty(), "{name} wrote nothing to its file");
        assert!(
            !file.contains(&0x1b),
            "{name} wrote escape codes into a file"
        );
        if name == "verify" {
            // Its closing count goes to stderr, which is the terminal: painted there.
            assert!(
                terminal.stdout.contains(&0x1b),
                "{name}: stderr was not painted"
            );
        }
    }
    let painted = on_a_terminal(&format!("{hooktool} events --color never"));
    assert!(!painted.stdout.contains(&0x1b), "--color never painted");
    let forced = dir.path().join("forced.out");
    on_a_terminal(&format!(
        "{hooktool} events --color always > {}",
        forced.display()
    ));
    assert!(
        std::fs::read(&forced).unwrap().contains(&0x1b),
        "--color always did not paint"
    );
}

/// A stderr whose reader is gone: every write to it fails with a broken pipe.
fn closed_stderr() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn a_closed_stderr_never_panics() {
    // A generated secret is announced on stderr.
    let generated = Command::new(hooktool_path())
        .args(["generate", "user_created"])
        .stderr(closed_stderr())
        .output()
        .unwrap();
    assert_eq!(generated.status.code(), Some(0));
    assert!(generated.stdout.starts_with(b"{"));
    let usage = Command::new(hooktool_path())
        .args(["generate", "nope"])
        .stderr(closed_stderr())
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let refused = Command::new(hooktool_path())
        .args([
            "send",
            "user_created",
            "--to",
            "127.0.0.1:9",
            "--retry",
            "none",
        ])
        .args(["--secret", SECRET])
        .stderr(closed_stderr())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let parse = Command::new(hooktool_path())
        .args(["events", "--jsn"])
        .stderr(closed_stderr())
        .output()
        .unwrap();
    assert_eq!(parse.status.code(), Some(2));
}

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let output = hooktool()
        .args(args)
        .env_remove("HOOKTOOL_SECRET")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_usage_error_is_not_preceded_by_warnings_about_the_secret() {
    let (code, stderr) = stderr_of(&["generate", "user_created", "--secret", "short"]);
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("does not look like a Cativa secret"),
        "{stderr}"
    );
    let (code, stderr) = stderr_of(&[
        "generate",
        "user_created",
        "--secret",
        "short",
        "--set",
        "User.Nope.X=1",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr
            .lines()
            .next()
            .map(|line| line.starts_with("hooktool: error: ")),
        Some(true),
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn negative_and_out_of_range_numbers_get_hooktools_own_messages() {
    for (args, message) in [
        (
            &["send", "user_created", "--to", "3000", "--time-scale", "-1"][..],
            "hooktool: error: `-1` is not a time scale, --time-scale",
        ),
        (
            &["send", "user_created", "--to", "3000", "--timeout", "-5s"],
            "hooktool: error: `-5s` is negative, --timeout",
        ),
        (
            &["send", "user_created", "--to", "3000", "--count", "-2"],
            "hooktool: error: `-2` is not a count, --count",
        ),
        (
            &["verify", "--now", "-5"],
            "hooktool: error: `-5` is not a time, --now",
        ),
        (
            &["generate", "user_created", "--now", "-5"],
            "hooktool: error: `-5` is not a time, --now",
        ),
        (
            &["verify", "--tolerance", "-1s"],
            "hooktool: error: `-1s` is negative, --tolerance",
        ),
        (
            &[
                "send",
                "user_created",
                "--to",
                "3000",
                "--retry",
                "5000000000000h",
            ],
            "hooktool: error: `5000000000000h` is longer than a year",
        ),
        (
            &[
                "send",
                "user_created",
                "--to",
                "3000",
                "--time-scale",
                "1e15",
            ],
            "hooktool: error: `1e15` is not a time scale, --time-scale",
        ),
        (
            &[
                "send",
                "user_created",
                "--to",
                "3000",
                "--time-scale",
                "1e309",
            ],
            "hooktool: error: `1e309` is not a time scale, --time-scale",
        ),
        (
            &["verify", "--now", "-9223372036854775808"],
            "hooktool: error: `-9223372036854775808` is not a time, --now",
        ),
    ] {
        let (code, stderr) = stderr_of(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("-- -"),
            "clap's `-- -1` tip is wrong here: {stderr}"
        );
    }
}

/// A stdout that cannot take the results (a full disk) is an error naming stdout, exit 2, for
/// every command that writes results; the broken pipe of a reader that stopped is not.
#[test]
fn a_full_stdout_is_an_error_naming_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let request = signed_request_file(dir.path());
    let request = request.to_str().unwrap();
    let valid = super::support::fixture("valid");
    for args in [
        &["events"][..],
        &["schema", "user_created"],
        &["generate", "user_created", "--secret", SECRET],
        &["verify", request, "--secret", SECRET, "--now", "1700000000"],
        &["validate", &valid],
        &["completions", "bash"],
        &["probe", "user_created", "--list"],
        &["demo"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(hooktool_path())
            .args(args)
            .env("TMPDIR", dir.path())
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("hooktool: error: cannot write to stdout (No space left on device)"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_stdout_closed_by_the_shell_is_an_error_naming_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let request = signed_request_file(dir.path());
    let request = request.to_str().unwrap();
    let valid = super::support::fixture("valid");
    for args in [
        &["events"][..],
        &["schema", "user_created"],
        &["generate", "user_created", "--secret", SECRET],
        &["verify", request, "--secret", SECRET, "--now", "1700000000"],
        &["validate", &valid],
        &["completions", "bash"],
        &["probe", "user_created", "--list"],
        &["providers"],
        &["listen", "--port", "0"],
        &["demo"],
    ] {
        // `>&-` closes fd 1 before hooktool starts, as a shell does.
        let output = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" >&-"#)
            .arg(hooktool_path())
            .args(args)
            .env("TMPDIR", dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("stdout is closed") || stderr.contains("it is closed (`>&-`)"),
            "{args:?}: {stderr}"
        );
    }
}

/// A header hooktool would have to send is checked before anything is printed or sent: a bad
/// API-key header name or a credential with a line break is a usage error, exit 2.
#[test]
fn invalid_headers_are_usage_errors_before_anything_is_sent() {
    for command in [
        &["generate", "certificate_completed"][..],
        &["send", "certificate_completed", "--to", "127.0.0.1:9"],
    ] {
        for (extra, message) in [
            (
                &[
                    "--auth",
                    "api-key",
                    "--api-key-header",
                    "X Key",
                    "--secret",
                    "k",
                ][..],
                "`X Key` is not a header name, --api-key-header",
            ),
            (
                &[
                    "--auth",
                    "api-key",
                    "--api-key-header",
                    "X:Key",
                    "--secret",
                    "k",
                ],
                "`X:Key` is not a header name, --api-key-header",
            ),
            (
                &["--auth", "api-key", "--api-key-header", "", "--secret", "k"],
                "`` is not a header name, --api-key-header",
            ),
            (
                &["--auth", "bearer", "--secret", "a\r\nInjected: 1"],
                "the credential holds a line break or control character",
            ),
        ] {
            let output = hooktool().args(command).args(extra).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command:?} {extra:?}: {stderr}"
            );
            assert!(output.stdout.is_empty(), "{command:?} {extra:?}");
            assert!(stderr.starts_with("hooktool: error: "), "{stderr}");
            assert!(stderr.contains(message), "{command:?} {extra:?}: {stderr}");
        }
    }
}

/// `hooktool validate fixtures/` from a fresh clone: the JSON Schemas under it are not
/// payloads, so they are skipped (and said to be), never reported as invalid events.
#[test]
fn json_schema_files_in_a_directory_are_skipped_not_validated() {
    // A fixtures folder that keeps the schemas beside the payloads, as many projects do.
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schemas = root.join("providers/cativa/events");
    for name in ["user_created", "post_created"] {
        let file = format!("{name}.schema.json");
        std::fs::copy(schemas.join(&file), dir.path().join(&file)).unwrap();
    }
    std::fs::create_dir(dir.path().join("user_created")).unwrap();
    let valid = root.join("fixtures/valid/cativa/user_created");
    let example = std::fs::read_dir(&valid)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(&example, dir.path().join("user_created/example.json")).unwrap();
    let output = hooktool()
        .current_dir(dir.path())
        .args(["validate", ".", "--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("skipped 2 JSON Schema files (*.schema.json) under ."),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert!(
        files
            .iter()
            .all(|file| !file["path"].as_str().unwrap().ends_with(".schema.json"))
    );
    // Named on its own, a schema file is validated as asked.
    let named = hooktool()
        .current_dir(dir.path())
        .args(["validate", "user_created.schema.json"])
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(1));
}

#[test]
fn smaller_things_a_new_user_meets() {
    // An event name in capitals gets the lower-case one suggested.
    let (code, stderr) = stderr_of(&["generate", "USER_CREATED"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean `user_created`?"), "{stderr}");
    // A payload uses no secret, so none is announced as made for it.
    let (code, stderr) = stderr_of(&["generate", "user_created", "--format", "payload"]);
    assert_eq!(code, Some(0));
    assert!(!stderr.contains("secret"), "{stderr}");
    let (_, stderr) = stderr_of(&["generate", "user_created", "--format", "json"]);
    assert!(stderr.contains("signing with a new one"), "{stderr}");
    // Only verify can be told the scheme, so only its failure line suggests --scheme.
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, "{}").unwrap();
    let output = hooktool()
        .args([
            "verify",
            "--header",
            "X-Other: 1",
            "--body",
            body.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("no known signature header (name it with --scheme)"),
        "{stdout}"
    );
}

#[test]
fn messages_echo_at_most_a_readable_piece_of_what_was_typed() {
    let long = "x".repeat(100_000);
    for args in [
        vec!["generate", long.as_str()],
        vec!["verify", "--now", long.as_str()],
        vec![
            "send",
            "user_created",
            "--to",
            "3000",
            "--timeout",
            long.as_str(),
        ],
    ] {
        let (code, stderr) = stderr_of(&args);
        assert_eq!(code, Some(2));
        assert!(stderr.len() < 1_000, "{} bytes of stderr", stderr.len());
        assert!(stderr.contains('…'), "{stderr}");
    }
}
