//! Finding the files named on the command line: directories walked recursively for their
//! `*.json` files in name order, following symlinks but not round their loops. The one place
//! that talks to the `walkdir` crate.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::io::terminal;

/// A file to read: a path on disk, or stdin.
#[derive(Debug, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// Why the paths given do not name files to read.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("cannot read {}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The walk failed at a step that names no path (checking a symlink for a loop opens the
    /// link and its ancestors): the directory being walked is what can be named.
    #[error("cannot walk {}", directory.display())]
    Unwalkable {
        directory: PathBuf,
        source: std::io::Error,
    },
    #[error("no *.json files under {}", .0.display())]
    NoJsonFiles(PathBuf),
}

/// The files named by `paths`, in order: a file as given (whatever its extension), a
/// directory's `*.json` files recursively in name order, `-` as stdin (once). A directory
/// without JSON files is an error: a CI step validating nothing must not pass.
pub fn gather(paths: &[PathBuf]) -> Result<Vec<Input>, FilesError> {
    let mut inputs = Vec::new();
    let mut stdin_seen = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if !stdin_seen {
                inputs.push(Input::Stdin);
                stdin_seen = true;
            }
            continue;
        }
        let metadata = std::fs::metadata(path).map_err(|source| FilesError::Unreadable {
            path: path.clone(),
            source,
        })?;
        if !metadata.is_dir() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        let before = inputs.len();
        collect_json_files(path, &mut inputs)?;
        if inputs.len() == before {
            return Err(FilesError::NoJsonFiles(path.clone()));
        }
    }
    Ok(inputs)
}

fn collect_json_files(directory: &Path, inputs: &mut Vec<Input>) -> Result<(), FilesError> {
    // Siblings share their parent's path, so comparing whole paths orders them by file name,
    // as `sort_by_file_name` does, without parsing a file name out of each path at every
    // comparison: sorting a directory of thousands of fixtures took as long as reading them.
    let walk = WalkDir::new(directory)
        .follow_links(true)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()));
    let mut schemas = 0;
    for entry in walk {
        let error = match entry {
            Ok(entry) if entry.file_type().is_dir() || !is_json(entry.path()) => continue,
            // A JSON Schema describes payloads; it is not one (`hooktool schema` writes them).
            Ok(entry) if is_schema(entry.path()) => {
                schemas += 1;
                continue;
            }
            Ok(entry) => {
                inputs.push(Input::File(entry.into_path()));
                continue;
            }
            Err(error) => error,
        };
        let Some(path) = error.path().map(Path::to_path_buf) else {
            let source = error
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("cannot walk the directory"));
            return Err(FilesError::Unwalkable {
                directory: directory.to_path_buf(),
                source,
            });
        };
        if let Some(ancestor) = error.loop_ancestor() {
            // A loop is a fact about the tree, not a reason to refuse the files in it.
            terminal::warn(&format!(
                "skipping {}: a symlink loop back to {}",
                path.display(),
                ancestor.display()
            ));
            continue;
        }
        let source = error
            .into_io_error()
            .unwrap_or_else(|| std::io::Error::other("cannot walk the directory"));
        // A dangling link is only a problem where a file would have been read.
        if source.kind() == std::io::ErrorKind::NotFound && !is_json(&path) {
            continue;
        }
        return Err(FilesError::Unreadable { path, source });
    }
    if schemas > 0 {
        let noun = if schemas == 1 { "file" } else { "files" };
        terminal::note(&format!(
            "skipped {schemas} JSON Schema {noun} (*.schema.json) under {}: they describe payloads, they are not payloads",
            directory.display()
        ));
    }
    Ok(())
}

fn is_schema(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().ends_with(".schema.json"))
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
        gather(paths)
            .unwrap()
            .into_iter()
            .map(|input| match input {
                Input::File(path) => path,
                Input::Stdin => PathBuf::from("-"),
            })
            .collect()
    }

    fn touch(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{}").unwrap();
        path
    }

    #[test]
    fn directories_give_their_json_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let b = touch(root, "b.json");
        let a_z = touch(root, "a/z.json");
        let a_m = touch(root, "a/m/x.json");
        touch(root, "a/notes.txt");
        let named = touch(root, "named.txt");
        let stdin = PathBuf::from("-");
        assert_eq!(
            files(&[
                stdin.clone(),
                root.join("a"),
                named.clone(),
                stdin,
                root.into()
            ]),
            [
                PathBuf::from("-"),
                a_m.clone(),
                a_z.clone(),
                named,
                a_m,
                a_z,
                b
            ]
        );
    }

    /// Siblings in file-name order, each directory's files before the next sibling's: `b/` is
    /// walked before `b.json` and `b.d/`, as comparing file names orders them.
    #[test]
    fn a_directory_and_files_named_like_it_keep_file_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let names = [
            "B.json",
            "b/y.json",
            "b.d/z.json",
            "b.json",
            "b0.json",
            "b/x.json",
        ];
        let paths: Vec<PathBuf> = names.iter().map(|name| touch(root, name)).collect();
        let order = [
            "B.json",
            "b/x.json",
            "b/y.json",
            "b.d/z.json",
            "b.json",
            "b0.json",
        ];
        assert_eq!(
            files(&[root.into()]),
            order.map(|name| root.join(name)).to_vec(),
            "{paths:?}"
        );
    }

    #[test]
    fn a_directory_without_json_files_or_a_missing_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "notes.txt");
        assert!(matches!(
            gather(&[dir.path().into()]),
            Err(FilesError::NoJsonFiles(path)) if path == dir.path()
        ));
        let missing = dir.path().join("missing");
        assert!(matches!(
            gather(std::slice::from_ref(&missing)),
            Err(FilesError::Unreadable { path, .. }) if path == missing
        ));
    }

    #[test]
    fn json_schema_files_in_a_directory_are_not_payloads() {
        let dir = tempfile::tempdir().unwrap();
        let payload = touch(dir.path(), "user_created.json");
        touch(dir.path(), "schemas/user_created.schema.json");
        assert_eq!(files(&[dir.path().into()]), [payload]);
        let named = touch(dir.path(), "named.schema.json");
        assert_eq!(files(std::slice::from_ref(&named)), [named]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_and_loops_skipped() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let real = touch(root, "real/one.json");
        symlink("real", root.join("linked")).unwrap();
        symlink("..", root.join("real/up")).unwrap();
        symlink("nowhere", root.join("dangling")).unwrap();
        assert_eq!(files(&[root.into()]), [root.join("linked/one.json"), real]);
        symlink("nowhere.json", root.join("dangling.json")).unwrap();
        assert!(matches!(
            gather(&[root.into()]),
            Err(FilesError::Unreadable { path, .. }) if path == root.join("dangling.json")
        ));
    }
}
