//! Where things are in a JSON text: the byte offset of the value a JSON pointer names, and the
//! line and column of a byte offset. Pure functions over text that already parsed as JSON, so
//! the scanner can skip values by their delimiters without re-validating them. Also the value a
//! pointer names in a parsed document.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

/// The value `pointer` (RFC 6901) names in `document`, as `Value::pointer` finds it, without
/// copying every token as it does: the payload rules look fields up in every file validated.
pub fn lookup<'a>(document: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(document);
    }
    if !pointer.starts_with('/') {
        return None;
    }
    pointer_tokens(pointer).try_fold(document, |value, token| match value {
        Value::Object(_) => member(value, &token),
        Value::Array(items) => array_index(&token).and_then(|index| items.get(index)),
        _ => None,
    })
}

/// The member `name` of `value` when it is an object, as `Value::get` finds it. A payload's
/// objects are small, and comparing names one by one costs less there than hashing the name
/// (SipHash, for `serde_json`'s ordered maps), which the payload rules did several times a file.
pub fn member<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    /// Beyond this many members the hash lookup is the cheaper one.
    const SCANNED_MEMBERS: usize = 16;
    let members = value.as_object()?;
    if members.len() > SCANNED_MEMBERS {
        return members.get(name);
    }
    members
        .iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// An array index as RFC 6901 writes it: digits, without a sign or a leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// A 1-based line and column; the column counts characters, as editors and CI annotations do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The byte offset where the value named by `pointer` (RFC 6901, `""` for the whole document)
/// starts in `text`, JSON that parsed, or `None` when no such value exists. The first member of
/// a name repeated in an object is the one found. For many pointers into one text, a
/// [`Locator`] finds each container's members once for all of them.
pub fn value_offset(text: &str, pointer: &str) -> Option<usize> {
    Locator::new(text).value_offset(pointer)
}

/// The position of byte `offset` in `text` (clamped to the text's end).
pub fn position_of(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Finds many values' offsets in one JSON text, each object's members and each array's elements
/// found once for all of them: a file with thousands of problems had its text scanned from the
/// start for each, its cost growing with the square of their number.
pub struct Locator<'t> {
    text: &'t str,
    /// By the offset where an object opens: where each member's value starts, by name (the
    /// first member of a name repeated).
    members: HashMap<usize, HashMap<Cow<'t, str>, usize>>,
    /// By the offset where an array opens: where each element starts.
    elements: HashMap<usize, Vec<usize>>,
}

impl<'t> Locator<'t> {
    /// A locator for `text`, which must be JSON that parsed: it is not checked again.
    pub fn new(text: &'t str) -> Self {
        Locator {
            text,
            members: HashMap::new(),
            elements: HashMap::new(),
        }
    }

    /// The byte offset where the value named by `pointer` starts, as [`value_offset`] describes.
    pub fn value_offset(&mut self, pointer: &str) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut at = skip_whitespace(bytes, 0);
        for token in pointer_tokens(pointer) {
            at = match bytes.get(at)? {
                b'{' => *self.members_of(at).get(token.as_ref())?,
                b'[' => *self.elements_of(at).get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        (at < bytes.len()).then_some(at)
    }

    fn members_of(&mut self, open: usize) -> &HashMap<Cow<'t, str>, usize> {
        let text = self.text;
        self.members.entry(open).or_insert_with(|| {
            let bytes = text.as_bytes();
            let mut members = HashMap::new();
            let mut at = skip_whitespace(bytes, open + 1);
            while bytes.get(at) == Some(&b'"') {
                let Some(key_end) = string_end(bytes, at) else {
                    break;
                };
                let raw_key = &text[at + 1..key_end - 1];
                let key = if raw_key.contains('\\') {
                    match serde_json::from_str::<String>(&text[at..key_end]) {
                        Ok(key) => Cow::Owned(key),
                        Err(_) => break,
                    }
                } else {
                    Cow::Borrowed(raw_key)
                };
                at = skip_whitespace(bytes, key_end);
                if bytes.get(at) != Some(&b':') {
                    break;
                }
                at = skip_whitespace(bytes, at + 1);
                members.entry(key).or_insert(at);
                match next_sibling(bytes, at) {
                    Some(next) => at = next,
                    None => break,
                }
            }
            members
        })
    }

    fn elements_of(&mut self, open: usize) -> &Vec<usize> {
        let bytes = self.text.as_bytes();
        self.elements.entry(open).or_insert_with(|| {
            let mut elements = Vec::new();
            let mut at = skip_whitespace(bytes, open + 1);
            while bytes.get(at).is_some_and(|byte| *byte != b']') {
                elements.push(at);
                match next_sibling(bytes, at) {
                    Some(next) => at = next,
                    None => break,
                }
            }
            elements
        })
    }
}

/// The positions of every byte offset in `offsets`, in their order, as [`position_of`] gives
/// each, found in one pass over the text whatever their number.
pub fn positions_of(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&index| offsets[index]);
    let mut positions = vec![Position { line: 1, column: 1 }; offsets.len()];
    // Where the walk stands: a byte offset on a character boundary, and its position.
    let (mut at, mut line, mut column) = (0, 1, 1);
    for index in order {
        let mut offset = offsets[index].min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let between = &text[at..offset];
        match between.rfind('\n') {
            Some(last) => {
                line += between.bytes().filter(|byte| *byte == b'\n').count();
                column = between[last + 1..].chars().count() + 1;
            }
            None => column += between.chars().count(),
        }
        at = offset;
        positions[index] = Position { line, column };
    }
    positions
}

/// Converts serde_json's error position (1-based line, column counted in bytes) into a
/// character column.
pub fn position_from_line_and_byte_column(text: &str, line: usize, byte_column: usize) -> Position {
    let line_start = match line {
        0 | 1 => 0,
        _ => text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(newline, _)| newline + 1),
    };
    // Column 0 means the offending byte was the newline ending the previous line.
    let offset = match byte_column {
        0 => line_start.saturating_sub(1),
        column => line_start + column - 1,
    };
    position_of(text, offset)
}

fn pointer_tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    // Only escaped tokens are copied, and the pointer is searched for escapes once: the payload
    // rules look up a few fields in every file of a run.
    let escaped = pointer.contains('~');
    pointer.split('/').skip(1).map(move |token| {
        if escaped && token.contains('~') {
            Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(token)
        }
    })
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// Skips the value at `at` and its following comma; `None` at the end of the container.
fn next_sibling(bytes: &[u8], at: usize) -> Option<usize> {
    let at = skip_whitespace(bytes, value_end(bytes, at)?);
    (bytes.get(at)? == &b',').then(|| skip_whitespace(bytes, at + 1))
}

fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => container_end(bytes, at),
        _ => {
            let mut end = at;
            while bytes.get(end).is_some_and(|byte| {
                !matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            }) {
                end += 1;
            }
            Some(end)
        }
    }
}

/// The offset just past the closing quote of the string opening at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
}

fn container_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = at;
    loop {
        match bytes.get(at)? {
            b'"' => {
                at = string_end(bytes, at)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// The offset `pointer` names, found by scanning each container on its way from its start
    /// until the member or element is reached: what a [`Locator`] must answer.
    fn scanned_offset(text: &str, pointer: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut at = skip_whitespace(bytes, 0);
        for token in pointer_tokens(pointer) {
            at = match bytes.get(at)? {
                b'{' => member_value(text, at, &token)?,
                b'[' => element(bytes, at, token.parse().ok()?)?,
                _ => return None,
            };
        }
        (at < bytes.len()).then_some(at)
    }

    /// The offset of the value of member `key` in the object opening at `at`.
    fn member_value(text: &str, at: usize, key: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut at = skip_whitespace(bytes, at + 1);
        loop {
            if bytes.get(at)? != &b'"' {
                return None;
            }
            let key_end = string_end(bytes, at)?;
            let raw_key = &text[at..key_end];
            let matches = if raw_key.contains('\\') {
                serde_json::from_str::<String>(raw_key).ok()? == key
            } else {
                &raw_key[1..raw_key.len() - 1] == key
            };
            at = skip_whitespace(bytes, key_end);
            if bytes.get(at)? != &b':' {
                return None;
            }
            at = skip_whitespace(bytes, at + 1);
            if matches {
                return Some(at);
            }
            at = next_sibling(bytes, at)?;
        }
    }

    /// The offset of element `index` in the array opening at `at`.
    fn element(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
        let mut at = skip_whitespace(bytes, at + 1);
        for _ in 0..index {
            if bytes.get(at)? == &b']' {
                return None;
            }
            at = next_sibling(bytes, at)?;
        }
        (bytes.get(at)? != &b']').then_some(at)
    }

    fn value_at(text: &str, pointer: &str) -> Value {
        let offset = value_offset(text, pointer).expect("pointer exists");
        serde_json::Deserializer::from_str(&text[offset..])
            .into_iter::<Value>()
            .next()
            .expect("a value starts there")
            .expect("it parses")
    }

    /// Every pointer into `value`, the document itself included.
    fn pointers(value: &Value, prefix: String, out: &mut Vec<String>) {
        out.push(prefix.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    pointers(child, format!("{prefix}/{token}"), out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    pointers(child, format!("{prefix}/{index}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn finds_nested_members_and_elements() {
        let text = "{\n  \"a\": [1, {\"b\": \"x,]}\"}],\n  \"c\": null\n}";
        assert_eq!(value_at(text, "/a/1/b"), json!("x,]}"));
        assert_eq!(value_at(text, "/c"), Value::Null);
        assert_eq!(
            position_of(text, value_offset(text, "/c").unwrap()),
            Position { line: 3, column: 8 }
        );
    }

    #[test]
    fn missing_members_and_indexes_are_none() {
        let text = r#"{"a": [1, 2], "b": {}}"#;
        assert_eq!(value_offset(text, "/z"), None);
        assert_eq!(value_offset(text, "/a/2"), None);
        assert_eq!(value_offset(text, "/a/x"), None);
        assert_eq!(value_offset(text, "/b/c"), None);
        assert_eq!(value_offset(text, "/a/0/deeper"), None);
    }

    #[test]
    fn escaped_keys_and_pointer_tokens_match() {
        let text = r#"{"a\u0062": 1, "c/d": 2, "e~f": 3}"#;
        assert_eq!(value_at(text, "/ab"), json!(1));
        assert_eq!(value_at(text, "/c~1d"), json!(2));
        assert_eq!(value_at(text, "/e~0f"), json!(3));
    }

    #[test]
    fn a_locator_finds_the_first_of_repeated_names_and_escaped_ones() {
        let text = "{\"a\": 1, \"a\": 2,\n \"b\\u0061\": {\"x\": [1, {\"y\": \"\\n é\"}]},\n\
                    \"c/d\": 3, \"e~f\": [[], [0, 1.5e1]], \"\": {\"\": []}}";
        let pointers = [
            "",
            "/a",
            "/ba",
            "/ba/x",
            "/ba/x/0",
            "/ba/x/1",
            "/ba/x/1/y",
            "/ba/x/2",
            "/c~1d",
            "/e~0f",
            "/e~0f/0",
            "/e~0f/0/0",
            "/e~0f/1/1",
            "/e~0f/1/01",
            "/",
            "//",
            "///0",
            "/b",
        ];
        let mut locator = Locator::new(text);
        for pointer in pointers.iter().chain(pointers.iter()) {
            assert_eq!(
                locator.value_offset(pointer),
                scanned_offset(text, pointer),
                "{pointer}"
            );
        }
        assert_eq!(locator.value_offset("/a"), Some(6));
    }

    #[test]
    fn members_are_found_as_value_get_finds_them() {
        let small = json!({"a": 1, "b": {"c": 2}, "": 3});
        let large: Value = (0..40)
            .map(|index| (format!("k{index}"), json!(index)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        for document in [&small, &large, &json!([1, 2]), &json!("a"), &Value::Null] {
            for name in ["a", "b", "", "k0", "k39", "k40", "missing"] {
                assert_eq!(
                    member(document, name),
                    document.get(name),
                    "{document} {name}"
                );
            }
        }
        assert_eq!(lookup(&small, "/b/c"), small.pointer("/b/c"));
        assert_eq!(lookup(&large, "/k17"), large.pointer("/k17"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"é\": \"ü\", \"x\": 1}";
        let offset = value_offset(text, "/x").unwrap();
        assert_eq!(
            position_of(text, offset),
            Position {
                line: 1,
                column: 17
            }
        );
    }

    #[test]
    fn serde_positions_convert_to_character_columns() {
        let text = "{\n  \"é\": tru\n}";
        let error = serde_json::from_str::<Value>(text).unwrap_err();
        let position = position_from_line_and_byte_column(text, error.line(), error.column());
        assert_eq!(
            position,
            Position {
                line: 2,
                column: 11
            }
        );
        let text = "{\"é\": 1,,}";
        let error = serde_json::from_str::<Value>(text).unwrap_err();
        let position = position_from_line_and_byte_column(text, error.line(), error.column());
        assert_eq!(position, Position { line: 1, column: 9 });
        assert_eq!(
            position_from_line_and_byte_column("", 1, 0),
            Position { line: 1, column: 1 }
        );
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-z\"\\\\/~,:{}\\[\\] é]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(("[a-z/~\" ]{0,4}", inner), 0..5)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn a_locator_finds_what_scanning_finds(document in arbitrary_json()) {
            let mut all = Vec::new();
            pointers(&document, String::new(), &mut all);
            let misses = ["/0", "/01", "/+1", "x", "/a/b", "/~0", "/~1", "/-1", "/99"];
            for text in [
                serde_json::to_string(&document).unwrap(),
                serde_json::to_string_pretty(&document).unwrap(),
            ] {
                let mut locator = Locator::new(&text);
                // Twice each: the second lookup is answered from what the first found.
                for pointer in all.iter().map(String::as_str).chain(misses).chain(misses) {
                    prop_assert_eq!(locator.value_offset(pointer), scanned_offset(&text, pointer));
                }
                for pointer in all.iter().rev() {
                    prop_assert_eq!(locator.value_offset(pointer), scanned_offset(&text, pointer));
                }
                // Every offset, out of order and repeated, and past the end.
                let mut offsets: Vec<usize> = (0..text.len() + 3).rev().collect();
                offsets.extend((0..text.len()).step_by(3));
                let expected: Vec<Position> =
                    offsets.iter().map(|&offset| position_of(&text, offset)).collect();
                prop_assert_eq!(positions_of(&text, &offsets), expected);
            }
        }

        #[test]
        fn every_pointer_locates_its_value(document in arbitrary_json()) {
            let mut all = Vec::new();
            pointers(&document, String::new(), &mut all);
            for text in [
                serde_json::to_string(&document).unwrap(),
                serde_json::to_string_pretty(&document).unwrap(),
            ] {
                for pointer in &all {
                    prop_assert_eq!(&value_at(&text, pointer), document.pointer(pointer).unwrap());
                }
            }
            for pointer in all.iter().map(String::as_str).chain(["/0", "/01", "/+1", "x", "/a/b"]) {
                prop_assert_eq!(lookup(&document, pointer), document.pointer(pointer));
            }
        }
    }
}
