//! `--set PATH=VALUE` and `--unset PATH` on a JSON document: dotted paths, where a numeric
//! segment indexes an array (`User.Badges.0`).

use serde_json::Value;

use crate::domain::schema::value_in_words;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("`{0}` is not PATH=VALUE")]
    NoEquals(String),
    #[error("the path is empty")]
    Empty,
    #[error("`{path}` has an empty segment")]
    EmptySegment { path: String },
    #[error("`{at}` does not exist")]
    Missing { at: String },
    #[error("`{at}` is {kind}, which has no field `{segment}`")]
    NotAContainer {
        at: String,
        kind: &'static str,
        segment: String,
    },
    #[error("`{at}` has {len} items, so index {index} is out of range")]
    OutOfRange {
        at: String,
        len: usize,
        index: usize,
    },
}

/// Reads `--set` text: `PATH=VALUE`, the value parsed as JSON when it is JSON, else a string.
pub fn parse_assignment(text: &str) -> Result<(String, Value), PathError> {
    let (path, raw) = text
        .split_once('=')
        .ok_or_else(|| PathError::NoEquals(text.to_string()))?;
    let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
    Ok((path.to_string(), value))
}

/// Sets the value at `path`. The parent must exist; the last segment may add a new field, or
/// append to an array when it equals the array's length.
pub fn set(document: &mut Value, path: &str, value: Value) -> Result<(), PathError> {
    let (parent_path, last) = split_last(path)?;
    let parent = walk(document, &parent_path)?;
    let at = display(&parent_path);
    match parent {
        Value::Object(map) => {
            map.insert(last.to_string(), value);
            Ok(())
        }
        Value::Array(items) => {
            let index = parse_index(last, &at, items)?;
            if index == items.len() {
                items.push(value);
            } else {
                items[index] = value;
            }
            Ok(())
        }
        other => Err(PathError::NotAContainer {
            at,
            kind: value_in_words(other),
            segment: last.to_string(),
        }),
    }
}

/// Removes the value at `path`, which must exist.
pub fn unset(document: &mut Value, path: &str) -> Result<(), PathError> {
    let (parent_path, last) = split_last(path)?;
    let parent = walk(document, &parent_path)?;
    let at = display(&parent_path);
    let missing = || PathError::Missing {
        at: path.to_string(),
    };
    match parent {
        Value::Object(map) => map.shift_remove(last).map(|_| ()).ok_or_else(missing),
        Value::Array(items) => {
            let index = parse_index(last, &at, items)?;
            if index == items.len() {
                return Err(missing());
            }
            items.remove(index);
            Ok(())
        }
        other => Err(PathError::NotAContainer {
            at,
            kind: value_in_words(other),
            segment: last.to_string(),
        }),
    }
}

fn split_last(path: &str) -> Result<(Vec<&str>, &str), PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    let mut segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|segment| segment.is_empty()) {
        return Err(PathError::EmptySegment {
            path: path.to_string(),
        });
    }
    let last = segments.pop().expect("split yields at least one segment");
    Ok((segments, last))
}

fn walk<'a>(document: &'a mut Value, segments: &[&str]) -> Result<&'a mut Value, PathError> {
    let mut current = document;
    for (depth, segment) in segments.iter().enumerate() {
        let at = display(&segments[..depth]);
        current = match current {
            Value::Object(map) => map.get_mut(*segment).ok_or_else(|| PathError::Missing {
                at: display(&segments[..=depth]),
            })?,
            Value::Array(items) => {
                let index = parse_index(segment, &at, items)?;
                let len = items.len();
                items
                    .get_mut(index)
                    .ok_or(PathError::OutOfRange { at, len, index })?
            }
            other => {
                return Err(PathError::NotAContainer {
                    at,
                    kind: value_in_words(other),
                    segment: segment.to_string(),
                });
            }
        };
    }
    Ok(current)
}

/// An array index, which may be one past the end (to append).
fn parse_index(segment: &str, at: &str, items: &[Value]) -> Result<usize, PathError> {
    let index: usize = segment.parse().map_err(|_| PathError::NotAContainer {
        at: at.to_string(),
        kind: "an array",
        segment: segment.to_string(),
    })?;
    if index > items.len() {
        return Err(PathError::OutOfRange {
            at: at.to_string(),
            len: items.len(),
            index,
        });
    }
    Ok(index)
}

fn display(segments: &[&str]) -> String {
    if segments.is_empty() {
        "the document".to_string()
    } else {
        segments.join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"User": {"Email": "a@b.c", "Badges": ["x", "y"]}})
    }

    #[test]
    fn values_parse_as_json_else_string() {
        assert_eq!(parse_assignment("A=null").unwrap().1, Value::Null);
        assert_eq!(parse_assignment("A=12").unwrap().1, json!(12));
        assert_eq!(
            parse_assignment("A=a=b").unwrap(),
            ("A".into(), json!("a=b"))
        );
        assert_eq!(parse_assignment("A=").unwrap().1, json!(""));
        assert!(parse_assignment("A").is_err());
    }

    #[test]
    fn set_replaces_adds_and_indexes() {
        let mut document = doc();
        set(&mut document, "User.Email", json!("z@z.z")).unwrap();
        set(&mut document, "User.Badges.1", json!("w")).unwrap();
        set(&mut document, "User.Badges.2", json!("v")).unwrap();
        set(&mut document, "Extra", json!(true)).unwrap();
        assert_eq!(
            document,
            json!({"User": {"Email": "z@z.z", "Badges": ["x", "w", "v"]}, "Extra": true})
        );
    }

    #[test]
    fn unset_removes_fields_and_items() {
        let mut document = doc();
        unset(&mut document, "User.Badges.0").unwrap();
        unset(&mut document, "User.Email").unwrap();
        assert_eq!(document, json!({"User": {"Badges": ["y"]}}));
        assert!(unset(&mut document, "User.Email").is_err());
    }

    #[test]
    fn bad_paths_say_where_they_fail() {
        let mut document = doc();
        assert_eq!(
            set(&mut document, "User.Email.Local", json!(1))
                .unwrap_err()
                .to_string(),
            "`User.Email` is a string, which has no field `Local`"
        );
        assert_eq!(
            set(&mut document, "Nope.X", json!(1))
                .unwrap_err()
                .to_string(),
            "`Nope` does not exist"
        );
        assert_eq!(
            set(&mut document, "User.Badges.9", json!(1))
                .unwrap_err()
                .to_string(),
            "`User.Badges` has 2 items, so index 9 is out of range"
        );
        assert!(matches!(
            set(&mut document, "User..Email", json!(1)),
            Err(PathError::EmptySegment { .. })
        ));
    }
}
