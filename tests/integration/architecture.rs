//! The layers stay apart: the pure domain and the renderers never reach for the network, files,
//! the terminal, the clock, threads or the command line. Checked on the source itself, so a
//! forbidden `use` fails here the moment it is written.

use std::path::{Path, PathBuf};

/// What no file under `src/domain/` may name: I/O crates, the clock, printing, and the layers
/// above it.
const FORBIDDEN_IN_DOMAIN: &[&str] = &[
    "tokio",
    "hyper",
    "hyper_util",
    "axum",
    "reqwest",
    "clap",
    "colored",
    "indicatif",
    "rayon",
    "std::fs",
    "std::net",
    "std::thread",
    "std::io::stdout",
    "std::io::stderr",
    "std::io::stdin",
    "std::env",
    "Timestamp::now",
    "SystemTime::now",
    "Instant::now",
    "rand::rng",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "crate::io",
    "crate::cli",
    "crate::commands",
    "crate::render",
];

/// What a renderer may name although the domain may not: colour (in `render/style.rs` only),
/// and the other renderers.
const ALLOWED_IN_RENDER: &[&str] = &["colored", "crate::render"];

fn source_files(folder: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(folder),
    ];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty(), "no sources under src/{folder}");
    files
}

/// Whether `word` stands in `code` as a whole path or name, not inside a longer identifier.
fn names(code: &str, word: &str) -> bool {
    let is_identifier = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(start, _)| {
        let before = code[..start].chars().next_back();
        let after = code[start + word.len()..].chars().next();
        let glued_before = before.is_some_and(is_identifier);
        let glued_after = word.ends_with(is_identifier) && after.is_some_and(is_identifier);
        !glued_before && !glued_after
    })
}

/// Every `file:line: name` where a forbidden name appears outside comments.
fn violations(folder: &str, forbidden: &[&str], allowed: &[(&str, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for path in source_files(folder) {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in forbidden {
                if names(code, word) && !allowed.contains(&(file.as_str(), *word)) {
                    found.push(format!("{}:{}: {word}", path.display(), number + 1));
                }
            }
        }
    }
    found
}

#[test]
fn the_domain_touches_no_io_clock_terminal_or_command_line() {
    let found = violations("domain", FORBIDDEN_IN_DOMAIN, &[]);
    assert!(
        found.is_empty(),
        "forbidden in src/domain:\n{}",
        found.join("\n")
    );
}

#[test]
fn renderers_only_format_text() {
    let forbidden: Vec<&str> = FORBIDDEN_IN_DOMAIN
        .iter()
        .copied()
        .filter(|word| !ALLOWED_IN_RENDER.contains(word))
        .collect();
    let found = violations("render", &forbidden, &[]);
    assert!(
        found.is_empty(),
        "forbidden in src/render:\n{}",
        found.join("\n")
    );
    let colored: Vec<String> = violations("render", &["colored"], &[("style.rs", "colored")]);
    assert!(
        colored.is_empty(),
        "colour belongs to render/style.rs:\n{}",
        colored.join("\n")
    );
}

#[test]
fn the_check_sees_a_forbidden_use() {
    assert!(names("use tokio::sync::Notify;", "tokio"));
    assert!(names("let x = std::fs::read(p);", "std::fs"));
    assert!(names("eprintln!(\"x\")", "eprintln!"));
    assert!(!names("use crate::domain::tokio_like;", "tokio"));
    assert!(!names("fn print_report()", "print!"));
}
