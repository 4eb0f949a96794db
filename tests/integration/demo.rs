//! `hooktool demo`: the README's first command, on built-in defaults.

use std::process::Output;

use super::support::hooktool;

/// `hooktool demo`, leaving its files in `scratch` (its temporary directory) rather than in the
/// system's, so that they go when the test ends.
fn demo(scratch: &tempfile::TempDir) -> Output {
    hooktool()
        .args(["demo", "--color", "never"])
        .env("TMPDIR", scratch.path())
        .output()
        .unwrap()
}

#[test]
fn demo_runs_the_whole_loop_green_on_loopback() {
    let scratch = tempfile::tempdir().unwrap();
    let output = demo(&scratch);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("all delivered, verified and valid"),
        "{stdout}"
    );
    // 503 503 200 for Cativa, 201 200 for Wix, 500 200 for Beedeez.
    assert_eq!(stdout.matches(": ok (").count(), 7, "{stdout}");
    assert_eq!(stdout.matches("→ delivered").count(), 3, "{stdout}");
    assert!(
        stdout.contains("attempt 1  201  → retry in 1m (scaled to 60ms)"),
        "{stdout}"
    );
    assert_eq!(stdout.matches(": valid").count(), 3, "{stdout}");
    assert_eq!(
        stdout.matches("a retry: event id seen before").count(),
        3,
        "{stdout}"
    );
}

#[test]
fn the_capture_the_demo_leaves_verifies_with_the_commands_it_suggests() {
    let scratch = tempfile::tempdir().unwrap();
    let output = demo(&scratch);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let verify = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("hooktool verify "))
        .expect("the demo suggests a verify command");
    assert!(
        verify.contains(scratch.path().to_str().unwrap()),
        "the capture is in the demo's temporary directory: {verify}"
    );
    let args: Vec<&str> = verify.split_whitespace().collect();
    let check = hooktool().arg("verify").args(&args).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert_eq!(
        String::from_utf8(check.stdout)
            .unwrap()
            .matches(": ok (")
            .count(),
        7
    );
}
