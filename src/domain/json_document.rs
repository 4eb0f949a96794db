//! JSON text read into a `serde_json::Value` equal to what `serde_json::from_str` makes of it,
//! with every object and array of up to [`MOST_WAITING`] members allocated once, at its final
//! size.
//!
//! `serde_json` grows each object's map and each array from empty as members arrive, and an
//! object's map is a hash table that is rebuilt at every growth: a third of the cost of filling
//! it, for documents of a few dozen small objects. Here the members of the object or array being
//! read wait on one shared stack, and move into a container of their number once it is closed;
//! a longer one is filled as serde_json fills it. Syntax errors, their messages and positions,
//! and the depth limit are the parser's own, so they are the same as `from_str`'s.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The document `text` holds, as `serde_json::from_str::<Value>(text)` reads it.
pub fn parse(text: &str) -> serde_json::Result<Value> {
    parse_waiting(text, &mut Waiting::default())
}

fn parse_waiting(text: &str, waiting: &mut Waiting) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Sized(waiting).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// The most members of one object, or elements of one array, that wait to be placed: payloads'
/// are far fewer, and past this a container is filled as it is read. Waiting members are then
/// bounded by this times the parser's depth limit, whatever the document.
const MOST_WAITING: usize = 256;

/// Members read and not yet placed: those of every object and array still open, innermost last.
#[derive(Default)]
struct Waiting {
    members: Vec<(String, Value)>,
    elements: Vec<Value>,
}

/// Reads one value, placing its members through the shared stack.
struct Sized<'a>(&'a mut Waiting);

impl<'de> DeserializeSeed<'de> for Sized<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

// Each scalar becomes the `Value` serde_json's own visitor makes of it.
impl<'de> Visitor<'de> for Sized<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut elements: A) -> Result<Value, A::Error> {
        let waiting = self.0;
        let first = waiting.elements.len();
        while let Some(element) = elements.next_element_seed(Sized(waiting))? {
            waiting.elements.push(element);
            if waiting.elements.len() - first == MOST_WAITING {
                // A long array grows as serde_json grows it, from here on.
                let mut array: Vec<Value> = waiting.elements.drain(first..).collect();
                while let Some(element) = elements.next_element_seed(Sized(waiting))? {
                    array.push(element);
                }
                return Ok(Value::Array(array));
            }
        }
        Ok(Value::Array(waiting.elements.drain(first..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let waiting = self.0;
        let first = waiting.members.len();
        while let Some(name) = members.next_key::<String>()? {
            let value = members.next_value_seed(Sized(waiting))?;
            waiting.members.push((name, value));
            if waiting.members.len() - first == MOST_WAITING {
                // A long object fills its map as serde_json fills it, from here on: sized by
                // the members read, a name repeated a million times would reserve room for a
                // million members.
                let mut object = Map::new();
                for (name, value) in waiting.members.drain(first..) {
                    object.insert(name, value);
                }
                while let Some(name) = members.next_key::<String>()? {
                    let value = members.next_value_seed(Sized(waiting))?;
                    object.insert(name, value);
                }
                return Ok(Value::Object(object));
            }
        }
        let mut object = Map::with_capacity(waiting.members.len() - first);
        // A name given twice keeps its first place and its last value, as in serde_json.
        for (name, value) in waiting.members.drain(first..) {
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_serde_json(text: &str) {
        let ours = parse(text).map_err(|error| error.to_string());
        let theirs = serde_json::from_str::<Value>(text).map_err(|error| error.to_string());
        assert_eq!(ours, theirs, "{text}");
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            // Equal maps may differ in order; the text written shows the order too.
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn documents_read_as_serde_json_reads_them() {
        for text in [
            "{}",
            "[]",
            "null",
            " true ",
            "0",
            "-0",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "1.5e300",
            "1e400",
            "0.1",
            r#""\u00e9\ud83d\ude00\n""#,
            r#"{"a":1,"b":[1,2,{"c":null}],"d":{"e":{"f":[[],{}]}}}"#,
            r#"{"z":1,"a":2,"m":{"y":[true,false],"b":"x"}}"#,
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"a":{"x":1},"a":{"y":2},"b":[{"k":1,"k":2}]}"#,
            r#"[{"a":1},{"b":2},[3,[4,[5]]],"s"]"#,
        ] {
            same_as_serde_json(text);
        }
    }

    #[test]
    fn malformed_documents_fail_as_serde_json_fails() {
        for text in [
            "",
            " ",
            "{",
            "{\"a\":1,}",
            "[1,2,]",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
            "{\"a\":1} x",
            "nul",
            "\"\\x\"",
            "\"unterminated",
            "01",
            "{\"a\":[1,{\"b\":}]}",
        ] {
            same_as_serde_json(text);
        }
    }

    #[test]
    fn long_objects_and_arrays_read_as_serde_json_reads_them() {
        for length in [
            MOST_WAITING - 1,
            MOST_WAITING,
            MOST_WAITING + 1,
            3 * MOST_WAITING,
        ] {
            let distinct: Vec<String> = (0..length)
                .map(|index| format!("\"k{index}\":{index}"))
                .collect();
            same_as_serde_json(&format!("{{{}}}", distinct.join(",")));
            let repeated: Vec<String> = (0..length)
                .map(|index| format!("\"k{}\":{index}", index % 7))
                .collect();
            same_as_serde_json(&format!("{{{}}}", repeated.join(",")));
            let elements: Vec<String> = (0..length)
                .map(|index| format!("[{index},{{\"a\":{index}}}]"))
                .collect();
            same_as_serde_json(&format!("[{}]", elements.join(",")));
            // Cut short inside the long container: the same error at the same place.
            let text = format!("{{{}", distinct.join(","));
            same_as_serde_json(&text);
            same_as_serde_json(&format!("[{},", elements.join(",")));
        }
    }

    #[test]
    fn long_containers_hold_only_a_bounded_number_of_members_waiting() {
        let repeated = format!("{{{}\"a\":0}}", "\"a\":1,".repeat(100_000));
        let long_array = format!("[{}0]", "[1,{\"b\":2}],".repeat(100_000));
        for text in [repeated, long_array] {
            let mut waiting = Waiting::default();
            let value = parse_waiting(&text, &mut waiting).unwrap();
            assert_eq!(value, serde_json::from_str::<Value>(&text).unwrap());
            // Far fewer than the document's 100,000 members ever waited at once.
            assert!(
                waiting.members.capacity() <= 1024,
                "{}",
                waiting.members.capacity()
            );
            assert!(
                waiting.elements.capacity() <= 1024,
                "{}",
                waiting.elements.capacity()
            );
        }
    }

    #[test]
    fn nesting_stops_at_serde_json_s_depth_limit() {
        for depth in [127, 128, 129, 1000] {
            same_as_serde_json(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            same_as_serde_json(&format!(
                "{}1{}",
                "{\"a\":".repeat(depth),
                "}".repeat(depth)
            ));
        }
    }
}
