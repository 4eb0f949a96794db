//! `hooktool demo`: the README's first command, on built-in defaults.

use std::path::Path;
use std::process::Output;

use super::support::{hooktool, lines_in_background, wait_for_line, wait_or_kill};

/// `hooktool demo` with `extra` flags, its temporary directory inside `scratch` rather than the
/// system's, so that whatever it leaves goes when the test ends.
fn demo(scratch: &tempfile::TempDir, extra: &[&str]) -> Output {
    hooktool()
        .args(["demo", "--color", "never"])
        .args(extra)
        .env("TMPDIR", scratch.path())
        .output()
        .unwrap()
}

#[test]
fn demo_runs_the_whole_loop_green_on_loopback() {
    let scratch = tempfile::tempdir().unwrap();
    let output = demo(&scratch, &[]);
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
    let wix_first = stdout
        .lines()
        .find(|line| line.contains("attempt 1/13"))
        .expect("the Wix event's first attempt is narrated");
    assert!(
        wix_first.contains("201 Created") && wix_first.ends_with("→ retry in 1m, scaled to 60ms"),
        "{stdout}"
    );
    assert_eq!(stdout.matches(": valid").count(), 3, "{stdout}");
    assert_eq!(
        stdout.matches("a retry: event id seen before").count(),
        3,
        "{stdout}"
    );
    // Beedeez sends no event id: its retry is told by the document's _id and updatedAt.
    assert_eq!(
        stdout
            .matches("a retry: _id and updatedAt seen before, assumed key")
            .count(),
        1,
        "{stdout}"
    );
    // The workspace held secrets: without --keep it is gone when the demo ends.
    let capture = stdout
        .split_whitespace()
        .find(|word| word.ends_with("capture.jsonl"))
        .expect("the demo names its capture file");
    let workspace = Path::new(capture).parent().unwrap();
    assert!(workspace.starts_with(scratch.path()), "{stdout}");
    assert!(
        !workspace.exists(),
        "{} was left behind",
        workspace.display()
    );
    assert!(stdout.contains("hooktool demo --keep"), "{stdout}");
}

#[test]
fn a_kept_capture_verifies_with_the_commands_the_demo_suggests() {
    let scratch = tempfile::tempdir().unwrap();
    let output = demo(&scratch, &["--keep"]);
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
    assert!(
        Path::new(args[0]).parent().unwrap().is_dir(),
        "--keep keeps {}",
        args[0]
    );
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

#[test]
fn ctrl_c_stops_the_demo_with_a_summary_and_exit_130() {
    let scratch = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("hooktool"))
        .args(["demo", "--color", "never"])
        .env("TMPDIR", scratch.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (lines, reader) = lines_in_background(child.stdout.take().unwrap());
    // The Cativa event's second attempt is followed by a 300 ms wait: a safe moment to interrupt.
    wait_for_line(&lines, |line| line.contains("attempt 2/7")).expect("the demo got under way");
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = wait_or_kill(&mut child, "the interrupted demo");
    let stdout = reader.join().unwrap();
    assert_eq!(status.code(), Some(130), "{stdout}");
    assert!(stdout.contains("interrupted after"), "{stdout}");
    assert!(
        std::fs::read_dir(scratch.path()).unwrap().next().is_none(),
        "the workspace was left behind"
    );
}
