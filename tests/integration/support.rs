//! What the command modules share: a Cativa-shaped secret, the event names taken from the
//! catalogue, and paths into the repository's fixtures.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

use hooktool::domain::catalogue::EVENTS;

/// A well-formed Cativa secret (`whsec_` and 64 hex characters).
pub const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Every event's full name, in catalogue order.
pub fn event_names() -> Vec<&'static str> {
    EVENTS.iter().map(|event| event.name).collect()
}

/// The path of a file under `fixtures/`, as a string argument.
pub fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
        .display()
        .to_string()
}

/// The time the fixed requests below are signed for.
pub const NOW: &str = "1700000000";

/// Writes into `dir` a raw HTTP `user_created` request signed with [`SECRET`] at [`NOW`], as
/// `generate --format http` prints it; returns its path.
pub fn signed_request_file(dir: &Path) -> PathBuf {
    let output = cargo_bin_cmd!("hooktool")
        .args(["generate", "user_created", "--secret", SECRET, "--now", NOW])
        .args(["--format", "http"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let path = dir.join("request.http");
    std::fs::write(&path, output.stdout).unwrap();
    path
}
