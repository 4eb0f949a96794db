//! Reading provider packs from disk: finding pack folders (`--providers`, `HOOKTOOL_PROVIDERS`,
//! `.hooktool/providers/`), reading each one's `provider.toml`, schemas and samples with capped
//! reads, and handing the text to the domain to check.

use std::path::{Path, PathBuf};

use crate::domain::pack::{self, MANIFEST, Origin, Pack, PackError};
use crate::error::io_reason;
use crate::io::files::{CappedError, Limit, read_path_capped};

/// A manifest, a schema or a sample: far above any real one, small enough to refuse a wrong
/// path (`/dev/zero`) at once.
const PACK_FILE_LIMIT: Limit = Limit {
    bytes: 16 << 20,
    flag: None,
};

/// The folder of packs a project keeps beside its code.
pub const PROJECT_FOLDER: &str = ".hooktool/providers";

/// The pack folders under `path`: `path` itself when it holds a `provider.toml`, else each of
/// its subfolders that does, in name order.
pub fn pack_folders(path: &Path) -> Result<Vec<PathBuf>, PackError> {
    let shown = path.display().to_string();
    let unreadable = |problem: String| PackError {
        file: shown.clone(),
        line: None,
        key: None,
        problem,
    };
    if path.join(MANIFEST).is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|error| unreadable(format!("cannot read the folder ({})", io_reason(&error))))?;
    let mut folders = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|error| unreadable(format!("cannot list ({})", io_reason(&error))))?;
        let folder = entry.path();
        if folder.join(MANIFEST).is_file() {
            folders.push(folder);
        }
    }
    folders.sort();
    if folders.is_empty() {
        return Err(unreadable(format!(
            "no {MANIFEST} here or in its subfolders: a pack is a folder holding one"
        )));
    }
    Ok(folders)
}

/// Whether the project folder holds anything that could be a pack.
fn project_holds_a_pack(project: &Path) -> bool {
    project.join(MANIFEST).exists()
        || std::fs::read_dir(project).is_ok_and(|mut entries| {
            entries.any(|entry| entry.is_ok_and(|entry| entry.path().join(MANIFEST).exists()))
        })
}

/// Every pack in `paths`, in order, each path being a pack folder or a folder of packs. The
/// project folder `.hooktool/providers/` is read last when it exists. A folder reached twice
/// (named by the flag and the variable, or also the project folder) is read once.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Pack>, PackError> {
    let project = Path::new(PROJECT_FOLDER);
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut found = Vec::new();
    for path in paths {
        found.extend(pack_folders(path)?);
    }
    // The project folder is read without being asked for: while it holds no pack yet (just
    // created, or emptied) it is no error.
    if project.is_dir() && project_holds_a_pack(project) {
        found.extend(pack_folders(project)?);
    }
    for folder in found {
        if !folders.iter().any(|seen| same_folder(seen, &folder)) {
            folders.push(folder);
        }
    }
    folders.iter().map(|folder| load(folder)).collect()
}

/// Whether two paths name one folder, however each is written (`./a`, `a/`, `/abs/a`).
pub fn same_folder(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Reads and checks the pack in `folder`.
pub fn load(folder: &Path) -> Result<Pack, PackError> {
    let manifest_path = folder.join(MANIFEST);
    let manifest_file = manifest_path.display().to_string();
    let text = read_text(&manifest_path).map_err(|problem| PackError {
        file: manifest_file.clone(),
        line: None,
        key: None,
        problem,
    })?;
    pack::assemble(
        &manifest_file,
        &text,
        Origin::Folder(folder.display().to_string()),
        |relative| read_text(&folder.join(relative)),
    )
}

/// A pack file as UTF-8 text, or why not.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes =
        read_path_capped(path, PACK_FILE_LIMIT.bytes, |_| Ok::<_, ()>(())).map_err(|error| {
            match error {
                CappedError::TooLarge => format!(
                    "larger than {}: not a pack file",
                    crate::io::files::size_text(PACK_FILE_LIMIT.bytes)
                ),
                CappedError::Io(error) => format!("cannot read ({})", io_reason(&error)),
                CappedError::Refused(()) => unreachable!("no check refuses"),
            }
        })?;
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}
