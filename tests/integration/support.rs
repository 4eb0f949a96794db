//! What the command modules share: a Cativa-shaped secret, the event names taken from the
//! catalogue, and paths into the repository's fixtures.

use std::path::Path;

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
