//! `hooktool demo`: the README's first command, on built-in defaults.

use assert_cmd::cargo::cargo_bin_cmd;

#[test]
fn demo_runs_the_whole_loop_green_on_loopback() {
    let output = cargo_bin_cmd!("hooktool")
        .args(["demo", "--color", "never"])
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .unwrap();
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
    // The workspace held secrets: without --keep it is gone when the demo ends.
    let capture = stdout
        .split_whitespace()
        .find(|word| word.ends_with("capture.jsonl"))
        .expect("the demo names its capture file");
    let workspace = std::path::Path::new(capture).parent().unwrap();
    assert!(
        !workspace.exists(),
        "{} was left behind",
        workspace.display()
    );
    assert!(stdout.contains("hooktool demo --keep"), "{stdout}");
}

#[test]
fn a_kept_capture_verifies_with_the_commands_the_demo_suggests() {
    let output = cargo_bin_cmd!("hooktool")
        .args(["demo", "--keep", "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let verify = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("hooktool verify "))
        .expect("the demo suggests a verify command");
    let args: Vec<&str> = verify.split_whitespace().collect();
    let workspace = std::path::Path::new(args[0])
        .parent()
        .unwrap()
        .to_path_buf();
    assert!(workspace.is_dir(), "--keep keeps {}", workspace.display());
    let check = cargo_bin_cmd!("hooktool")
        .arg("verify")
        .args(&args)
        .output()
        .unwrap();
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
    std::fs::remove_dir_all(&workspace).unwrap();
}
