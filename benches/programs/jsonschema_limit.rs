//! The jsonschema library's own speed on `validate`'s benchmark corpus: each event's schema
//! compiled once (draft 2020-12, formats asserted, as hooktool compiles them), then every file
//! read, parsed and validated on all cores, its errors listed when it has any. What hooktool
//! adds beyond this (locating each error, payload rules, the report) is its overhead.
//!
//! Usage: `jsonschema_limit CORPUS SCHEMAS`, where `CORPUS/<event>/*.json` are the documents and
//! `SCHEMAS/<event>.json` their schemas. Prints how many files were valid and invalid.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (corpus, schemas) = match (args.next(), args.next()) {
        (Some(corpus), Some(schemas)) => (corpus, schemas),
        _ => {
            eprintln!("usage: jsonschema_limit CORPUS SCHEMAS");
            std::process::exit(2);
        }
    };
    let mut work: Vec<(PathBuf, usize)> = Vec::new();
    let mut validators = Vec::new();
    for entry in sorted_entries(&corpus) {
        let event = entry.file_name().expect("an entry has a name");
        let schema_path = schemas.join(format!("{}.json", event.to_string_lossy()));
        let schema: serde_json::Value = serde_json::from_slice(
            &std::fs::read(&schema_path).unwrap_or_else(|e| panic!("{schema_path:?}: {e}")),
        )
        .expect("a schema is JSON");
        validators.push(
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&schema)
                .expect("the schema compiles"),
        );
        let index = validators.len() - 1;
        work.extend(sorted_entries(&entry).into_iter().map(|file| (file, index)));
    }
    let invalid = work
        .par_iter()
        .filter(|(file, index)| {
            let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
            let document: serde_json::Value = match serde_json::from_slice(&bytes) {
                Ok(document) => document,
                Err(_) => return true,
            };
            let validator = &validators[*index];
            !validator.is_valid(&document) && validator.iter_errors(&document).count() > 0
        })
        .count();
    println!("{} valid, {invalid} invalid", work.len() - invalid);
}

fn sorted_entries(folder: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{folder:?}: {e}"))
        .map(|entry| entry.expect("a readable folder").path())
        .collect();
    entries.sort();
    entries
}
