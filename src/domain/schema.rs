//! JSON Schema validation of event documents against the catalogue's embedded schemas, each
//! compiled once per process, and the fields a document carries beyond those its schema lists.
//! The one place that talks to the `jsonschema` crate.

use std::sync::OnceLock;

use jsonschema::JsonType;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::domain::catalogue::{self, Event};

/// One way a document breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the offending value (`/User/Email`; empty for the document itself).
    pub pointer: String,
    /// What was expected, in words.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// One value per catalogue event (a validator, a parsed schema), made on first use.
type PerEvent<T> = Box<[OnceLock<T>]>;

static VALIDATORS: OnceLock<PerEvent<jsonschema::Validator>> = OnceLock::new();

/// The same schemas closed: no object may hold a field its schema does not list. `None` for a
/// schema that no longer compiles once closed.
static CLOSED_VALIDATORS: OnceLock<PerEvent<Option<jsonschema::Validator>>> = OnceLock::new();

/// Each schema's text parsed, shared by the compiles above.
static PARSED: OnceLock<PerEvent<Value>> = OnceLock::new();

/// Whether closing each schema only narrows what it accepts (see [`closing_narrows`]).
static CLOSING_NARROWS: OnceLock<PerEvent<bool>> = OnceLock::new();

fn slot<T>(cache: &'static OnceLock<PerEvent<T>>, event: &'static Event) -> &'static OnceLock<T> {
    let slots = cache.get_or_init(|| {
        (0..catalogue::events().len())
            .map(|_| OnceLock::new())
            .collect()
    });
    &slots[event.index]
}

/// Why `schema` is not a JSON Schema (draft 2020-12) that compiles, if it is not.
pub fn compile_problem(schema: &Value) -> Option<String> {
    jsonschema::draft202012::new(schema)
        .err()
        .map(|invalid| invalid.to_string())
}

/// The first way `document` breaks `schema`, as `<message> at <pointer>`; `Err` when the
/// schema does not compile. For documents checked once, such as a pack's sample files.
pub fn first_violation(schema: &Value, document: &Value) -> Result<Option<String>, String> {
    let validator = jsonschema::draft202012::new(schema).map_err(|invalid| invalid.to_string())?;
    Ok(validator
        .iter_errors(document)
        .next()
        .map(|violation| format!("{violation} at `{}`", violation.instance_path())))
}

fn compile(schema: &Value) -> jsonschema::Validator {
    try_compile(schema).expect(
        "schemas compile: checked when a pack is loaded, by the tests for the built-in ones",
    )
}

/// Compiles a schema already known to be valid draft 2020-12: the built-in ones by the tests,
/// a pack's by [`compile_problem`] when the pack is loaded.
///
/// The schema is reached through a draft-4 `$ref` rather than compiled as the root because the
/// library checks every root against its draft's meta-schema, building that meta-schema's own
/// validator first: for draft 2020-12 (vocabularies, dynamic references) that build is most of
/// a one-file `validate`'s run, and draft 4's is a quarter of it. The referenced resource keeps
/// its draft 2020-12 meaning, and a violation's instance path is the same either way.
fn try_compile(schema: &Value) -> Option<jsonschema::Validator> {
    const URI: &str = "urn:hooktool:schema";
    let registry = jsonschema::Registry::new()
        .draft(jsonschema::Draft::Draft202012)
        .retrieve_known_draft_meta_schemas(false)
        .add(
            URI,
            jsonschema::Draft::Draft202012.create_resource_ref(schema),
        )
        .ok()?
        .prepare()
        .ok()?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&serde_json::json!({ "$ref": URI }))
        .ok()
}

fn embedded(event: &'static Event) -> &'static Value {
    slot(&PARSED, event).get_or_init(|| {
        serde_json::from_str(event.schema).expect("embedded schemas are JSON (tested)")
    })
}

/// The compiled validator of `event`'s schema; `format` keywords (`date-time`, `email`, `uri`)
/// are asserted, not only annotated.
fn validator(event: &'static Event) -> &'static jsonschema::Validator {
    slot(&VALIDATORS, event).get_or_init(|| compile(embedded(event)))
}

fn closed_validator(event: &'static Event) -> Option<&'static jsonschema::Validator> {
    slot(&CLOSED_VALIDATORS, event)
        .get_or_init(|| {
            let mut schema = embedded(event).clone();
            close(&mut schema);
            try_compile(&schema)
        })
        .as_ref()
}

/// Whether `document` passes `event`'s closed schema where closing can only narrow what the
/// schema accepts: then the open schema accepts it too, and is not compiled for it.
fn passes_closed(event: &'static Event, document: &Value) -> bool {
    *slot(&CLOSING_NARROWS, event).get_or_init(|| closing_narrows(embedded(event)))
        && closed_validator(event).is_some_and(|closed| closed.is_valid(document))
}

/// Whether closing `schema` can only narrow what it accepts. Closing makes subschemas stricter,
/// which narrows the whole unless a keyword turns a subschema's strictness around: `not`, `if`
/// (a stricter condition picks the other branch), `oneOf` (fewer matching branches can make
/// exactly one), `maxContains`, the `unevaluated*` keywords and dynamic references.
fn closing_narrows(schema: &Value) -> bool {
    const TURNING: [&str; 8] = [
        "not",
        "if",
        "oneOf",
        "maxContains",
        "unevaluatedProperties",
        "unevaluatedItems",
        "$dynamicRef",
        "$recursiveRef",
    ];
    let Value::Object(object) = schema else {
        return true;
    };
    object.iter().all(|(keyword, value)| {
        !TURNING.contains(&keyword.as_str())
            && subschemas(keyword, value).into_iter().all(closing_narrows)
    })
}

/// Adds `additionalProperties: false` to `schema` and to every subschema within it that lists
/// its `properties` and says nothing of others.
fn close(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    if object.contains_key("properties")
        && !object.contains_key("additionalProperties")
        && !object.contains_key("unevaluatedProperties")
    {
        object.insert("additionalProperties".to_string(), Value::Bool(false));
    }
    for (keyword, value) in object.iter_mut() {
        subschemas_mut(keyword, value).into_iter().for_each(close);
    }
}

/// What the value of a keyword holds, as far as schemas go.
enum Holds {
    /// One schema (`not`, `additionalProperties`).
    Schema,
    /// An array of schemas (`allOf`, `prefixItems`).
    Schemas,
    /// An object whose values are schemas (`properties`, `$defs`).
    SchemaMap,
    /// Data (`const`, `enum`, `default`, `examples`, `dependentRequired`) or no schema at all.
    Nothing,
}

fn holds(keyword: &str, value: &Value) -> Holds {
    match (keyword, value) {
        ("additionalProperties" | "additionalItems" | "contains" | "propertyNames" | "not"
        | "if" | "then" | "else" | "unevaluatedProperties" | "unevaluatedItems"
        | "contentSchema", _) => Holds::Schema,
        // `items` is one schema, or (before draft 2020-12) an array of them.
        ("items", Value::Array(_)) => Holds::Schemas,
        ("items", _) => Holds::Schema,
        ("allOf" | "anyOf" | "oneOf" | "prefixItems", _) => Holds::Schemas,
        ("properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
        // Draft 7's `dependencies` mixes schemas and arrays of names; arrays are skipped below.
        | "dependencies", _) => Holds::SchemaMap,
        _ => Holds::Nothing,
    }
}

/// The subschemas the value of `keyword` holds. Only schema positions are walked, so data such
/// as `const` or `enum` is never taken for a schema, nor a property for a keyword by its name.
fn subschemas<'a>(keyword: &str, value: &'a Value) -> Vec<&'a Value> {
    match (holds(keyword, value), value) {
        (Holds::Schema, _) => vec![value],
        (Holds::Schemas, Value::Array(list)) => list.iter().collect(),
        (Holds::SchemaMap, Value::Object(map)) => map.values().filter(|v| !v.is_array()).collect(),
        _ => Vec::new(),
    }
}

/// As [`subschemas`], to change them.
fn subschemas_mut<'a>(keyword: &str, value: &'a mut Value) -> Vec<&'a mut Value> {
    match (holds(keyword, value), value) {
        (Holds::Schema, value) => vec![value],
        (Holds::Schemas, Value::Array(list)) => list.iter_mut().collect(),
        (Holds::SchemaMap, Value::Object(map)) => {
            map.values_mut().filter(|v| !v.is_array()).collect()
        }
        _ => Vec::new(),
    }
}

/// A field a document carries that its schema does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// JSON pointer of the field itself (`/User/Nickname`).
    pub pointer: String,
    pub name: String,
}

/// The fields of `document` that `event`'s schema does not list, sorted by pointer. The schema
/// itself may allow them; which of them matter is the caller's rule.
pub fn undocumented_fields(event: &'static Event, document: &Value) -> Vec<UnknownField> {
    let Some(validator) = closed_validator(event) else {
        return Vec::new();
    };
    if validator.is_valid(document) {
        return Vec::new();
    }
    let mut fields: Vec<UnknownField> = validator
        .iter_errors(document)
        .filter_map(|error| match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let object = error.instance_path().to_string();
                Some(
                    unexpected
                        .iter()
                        .map(|name| UnknownField {
                            pointer: format!("{object}/{}", escape_pointer_token(name)),
                            name: name.clone(),
                        })
                        .collect::<Vec<_>>(),
                )
            }
            _ => None,
        })
        .flatten()
        .collect();
    fields.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    fields
}

/// What `event`'s schema says of `document`.
pub struct SchemaVerdict {
    /// As [`validate`] gives them.
    pub violations: Vec<Violation>,
    /// The document passed the closed schema, so it carries only fields the schema lists:
    /// [`undocumented_fields`] would find none, and need not look.
    pub only_listed_fields: bool,
}

/// The violations of `event`'s schema in `document`. With `closed_first`, for callers that
/// look for undocumented fields anyway, the closed schema is tried first: a document it accepts
/// needs the open schema neither compiled nor run.
pub fn verdict(event: &'static Event, document: &Value, closed_first: bool) -> SchemaVerdict {
    if closed_first && passes_closed(event, document) {
        return SchemaVerdict {
            violations: Vec::new(),
            only_listed_fields: true,
        };
    }
    SchemaVerdict {
        violations: validate(event, document),
        only_listed_fields: false,
    }
}

/// Every violation of `event`'s schema in `document`, in document order, each in words
/// ("expected a string, found null"). An unexpected field is reported at its own pointer, so
/// that its line and column lead to the field rather than to the object holding it.
pub fn validate(event: &'static Event, document: &Value) -> Vec<Violation> {
    let validator = validator(event);
    // The yes/no check skips building error values, and most files in a CI run are valid.
    if validator.is_valid(document) {
        return Vec::new();
    }
    let mut violations = Vec::new();
    for error in validator.iter_errors(document) {
        let pointer = error.instance_path().to_string();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                violations.extend(unexpected.iter().map(|field| Violation {
                    pointer: format!("{pointer}/{}", escape_pointer_token(field)),
                    message: format!("unexpected field `{field}`: the schema does not allow it"),
                }));
            }
            kind => violations.push(Violation {
                message: describe(kind, error.instance()).unwrap_or_else(|| error.to_string()),
                pointer,
            }),
        }
    }
    violations
}

fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// What `kind` expected of `found`, in words; `None` for the rare kinds whose own wording is
/// the clearest available.
fn describe(kind: &ValidationErrorKind, found: &Value) -> Option<String> {
    let shown = show(found);
    Some(match kind {
        ValidationErrorKind::Type { kind } => {
            let expected: Vec<&str> = match kind {
                TypeKind::Single(single) => vec![type_in_words(*single)],
                TypeKind::Multiple(set) => set.iter().map(type_in_words).collect(),
            };
            format!(
                "expected {}, found {}",
                expected.join(" or "),
                value_in_words(found)
            )
        }
        ValidationErrorKind::Required { property } => {
            format!(
                "missing required field `{}`",
                property.as_str().unwrap_or_default()
            )
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected {}, found {shown}", show(expected_value))
        }
        ValidationErrorKind::Enum { options } => {
            let options = options
                .as_array()
                .map_or_else(Vec::new, |all| all.iter().map(show).collect());
            format!("expected one of {}, found {shown}", options.join(", "))
        }
        ValidationErrorKind::Format { format } => {
            format!("expected {}, found {shown}", format_in_words(format))
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("expected a string matching `{pattern}`, found {shown}")
        }
        ValidationErrorKind::MinLength { limit } => {
            format!("expected at least {limit} character(s), found {shown}")
        }
        ValidationErrorKind::MaxLength { limit } => {
            let length = found.as_str().map_or(0, |text| text.chars().count());
            format!("expected at most {limit} characters, found {length}")
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("expected a number >= {limit}, found {shown}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("expected a number <= {limit}, found {shown}")
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("expected a number > {limit}, found {shown}")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("expected a number < {limit}, found {shown}")
        }
        ValidationErrorKind::MinItems { limit } => {
            format!(
                "expected at least {limit} item(s), found {}",
                array_len(found)
            )
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!(
                "expected at most {limit} item(s), found {}",
                array_len(found)
            )
        }
        ValidationErrorKind::UniqueItems => "expected unique items, found duplicates".to_string(),
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            format!(
                "expected one of the shapes the schema allows here, found {}",
                value_in_words(found)
            )
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "expected exactly one of the shapes the schema allows here, found several".to_string()
        }
        ValidationErrorKind::Not { schema } => match forbidden_fields(schema) {
            Some(fields) => format!("unexpected field: none of {fields} may appear here"),
            None => format!("expected a value that does not match {schema}"),
        },
        ValidationErrorKind::FalseSchema => "no value is allowed here".to_string(),
        _ => return None,
    })
}

/// The fields a `not: {anyOf: [{required: [..]}, ..]}` forbids (how a schema says "only one
/// of these bodies"), as a list for a message.
fn forbidden_fields(schema: &Value) -> Option<String> {
    let fields: Vec<String> = schema
        .get("anyOf")?
        .as_array()?
        .iter()
        .map(|branch| {
            Some(
                branch
                    .get("required")?
                    .as_array()?
                    .iter()
                    .filter_map(Value::as_str),
            )
        })
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flatten()
        .map(|field| format!("`{field}`"))
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}

fn type_in_words(kind: JsonType) -> &'static str {
    match kind {
        JsonType::Array => "an array",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "an object",
        JsonType::String => "a string",
    }
}

/// The kind of a JSON value, as a message says what it found.
pub fn value_in_words(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn format_in_words(format: &str) -> String {
    match format {
        "date-time" => "an RFC 3339 date-time with a time zone (2024-05-01T12:00:00Z)".to_string(),
        "date" => "an RFC 3339 date (2024-05-01)".to_string(),
        "email" => "an email address".to_string(),
        "uri" => "an absolute URI".to_string(),
        "uuid" => "a UUID".to_string(),
        other => format!("a string in the `{other}` format"),
    }
}

/// A value as written in JSON, shortened so one huge value cannot flood a report.
fn show(value: &Value) -> String {
    const LIMIT: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let mut short: String = text.chars().take(LIMIT).collect();
    short.push('…');
    short
}

fn array_len(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

/// Whether `document` is valid against `event`'s schema.
pub fn is_valid(event: &'static Event, document: &Value) -> bool {
    validator(event).is_valid(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;
    use crate::domain::sample_data::SampleRng;

    #[test]
    fn every_embedded_schema_is_valid_draft_2020_12_and_compiles() {
        for event in catalogue::events() {
            assert_eq!(compile_problem(embedded(event)), None, "{}", event.name);
            let _ = validator(event);
        }
    }

    /// Every violation as the library reports it: where, and what.
    fn reported(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
        validator
            .iter_errors(document)
            .map(|error| format!("{} {:?}", error.instance_path(), error.kind()))
            .collect()
    }

    #[test]
    fn compiling_through_a_reference_judges_as_compiling_the_schema_itself() {
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        for event in catalogue::events() {
            let schema = embedded(event);
            let mut closed = schema.clone();
            close(&mut closed);
            for schema in [schema, &closed] {
                let direct = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(schema)
                    .unwrap();
                let referenced = try_compile(schema).unwrap();
                for seed in 0..8 {
                    let sample = event.sample(&mut SampleRng::new(seed, now)).unwrap();
                    let mut documents = vec![sample.clone(), Value::Null, serde_json::json!({})];
                    for (index, field) in sample.as_object().unwrap().keys().enumerate() {
                        let mut broken = sample.clone();
                        broken[field] = match index % 4 {
                            0 => serde_json::json!(12),
                            1 => serde_json::json!("2023-11-14T22:1/:43Z"),
                            2 => serde_json::json!({"Email": "not an email", "Id": null}),
                            _ => Value::Null,
                        };
                        documents.push(broken);
                    }
                    let mut extended = sample.clone();
                    extended["UnlistedField"] = Value::Bool(true);
                    documents.push(extended);
                    for document in &documents {
                        assert_eq!(
                            reported(&referenced, document),
                            reported(&direct, document),
                            "{}: {document}",
                            event.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn violations_name_the_pointer() {
        let event = catalogue::find("post_created").unwrap();
        let violations = validate(event, &serde_json::json!({"User": {"Email": null}}));
        assert!(
            violations.iter().any(|v| v.pointer == "/User/Email"),
            "{violations:?}"
        );
        assert!(
            violations.iter().any(|v| v.pointer.is_empty()),
            "{violations:?}"
        );
    }

    fn message_at(violations: &[Violation], pointer: &str) -> String {
        violations
            .iter()
            .find(|v| v.pointer == pointer)
            .unwrap_or_else(|| panic!("no violation at {pointer}: {violations:?}"))
            .message
            .clone()
    }

    #[test]
    fn messages_say_what_was_expected_in_words() {
        let event = catalogue::find("user_created").unwrap();
        let document = serde_json::json!({
            "CustomerId": "01HQ0ABCDEF1234567890XYZ",
            "UserId": 7,
            "Email": "not an email",
            "User": {"Email": null},
            "Extra/field": true
        });
        let violations = validate(event, &document);
        assert_eq!(
            message_at(&violations, "/UserId"),
            "expected a string, found a number"
        );
        assert!(
            message_at(&violations, "/Email")
                .starts_with("expected an email address, found \"not an email\"")
        );
        assert!(
            violations.iter().all(|v| v.pointer != "/Extra~1field"),
            "Cativa's schemas do not reject unknown fields: {violations:?}"
        );
        assert!(
            violations
                .iter()
                .any(|v| v.pointer.is_empty() && v.message == "missing required field `FirstName`"),
            "{violations:?}"
        );
    }

    #[test]
    fn closing_narrows_unless_a_keyword_turns_strictness_around() {
        let plain = serde_json::json!({
            "type": "object",
            "properties": {"User": {"$ref": "#/$defs/user"}},
            "anyOf": [{"required": ["User"]}],
            "$defs": {"user": {"type": "object", "properties": {"Email": {"type": "string"}}}}
        });
        assert!(closing_narrows(&plain));
        let property_named_not = serde_json::json!({"properties": {"not": {"type": "string"}}});
        assert!(closing_narrows(&property_named_not));
        for turning in ["not", "if", "oneOf", "unevaluatedProperties"] {
            let nested = serde_json::json!({
                "properties": {"User": {"allOf": [{turning: {"properties": {"a": {}}}}]}}
            });
            assert!(!closing_narrows(&nested), "{turning}");
        }
    }

    #[test]
    fn documents_are_judged_by_the_open_schema_with_or_without_unlisted_fields() {
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        for event in catalogue::events() {
            let sample = event.sample(&mut SampleRng::new(1, now)).unwrap();
            let mut extended = sample.clone();
            extended["UnlistedField"] = Value::Bool(true);
            let mut broken = extended.clone();
            if let Some(object) = broken.as_object_mut() {
                let first = object.keys().next().cloned().unwrap();
                object.insert(first, serde_json::json!([[[]]]));
            }
            for document in [&sample, &extended, &broken] {
                let open = validator(event).is_valid(document);
                let judged = verdict(event, document, true);
                assert_eq!(judged.violations.is_empty(), open, "{}", event.name);
                if judged.only_listed_fields {
                    assert!(undocumented_fields(event, document).is_empty());
                }
            }
        }
    }

    #[test]
    fn date_times_with_a_stray_character_in_a_number_are_refused() {
        let event = catalogue::find("user_created").unwrap();
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let mut document = event.sample(&mut SampleRng::new(1, now)).unwrap();
        assert!(is_valid(event, &document));
        document["CreatedAt"] = Value::String("2023-11-14T22:1/:43Z".to_string());
        assert!(!is_valid(event, &document));
        assert!(!verdict(event, &document, true).violations.is_empty());
    }

    #[test]
    fn closing_walks_schemas_only_never_data() {
        let mut schema = serde_json::json!({
            "type": "object",
            "properties": {
                "Kind": {"const": {"properties": {}}},
                "Shape": {"enum": [{"properties": 1}]},
                "properties": {"type": "object", "properties": {"a": {}}}
            },
            "dependentRequired": {"properties": ["Kind"]},
            "prefixItems": [{"properties": {"b": {}}}]
        });
        close(&mut schema);
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(
            schema["properties"]["Kind"]["const"],
            serde_json::json!({"properties": {}})
        );
        assert_eq!(
            schema["properties"]["Shape"]["enum"][0],
            serde_json::json!({"properties": 1})
        );
        assert_eq!(
            schema["properties"]["properties"]["additionalProperties"],
            false
        );
        assert!(schema["properties"].get("additionalProperties").is_none());
        assert_eq!(
            schema["dependentRequired"],
            serde_json::json!({"properties": ["Kind"]})
        );
        assert_eq!(schema["prefixItems"][0]["additionalProperties"], false);
        assert!(compile_problem(&schema).is_none());
    }

    #[test]
    fn undocumented_fields_are_found_at_their_own_pointers() {
        let event = catalogue::find("user_received_badge").unwrap();
        let document = serde_json::json!({
            "BadgeId": 3,
            "Extra/field": true,
            "User": {"Email": null, "Nickname": "x"},
            "ReceivedAt": "not checked here"
        });
        assert_eq!(
            undocumented_fields(event, &document),
            [
                UnknownField {
                    pointer: "/Extra~1field".to_string(),
                    name: "Extra/field".to_string()
                },
                UnknownField {
                    pointer: "/User/Nickname".to_string(),
                    name: "Nickname".to_string()
                },
            ]
        );
        let badge = catalogue::find("badge_created").unwrap();
        assert_eq!(
            undocumented_fields(badge, &serde_json::json!({"id": "x", "newField": 1})),
            [UnknownField {
                pointer: "/newField".to_string(),
                name: "newField".to_string()
            }]
        );
    }

    #[test]
    fn wix_constants_and_forbidden_bodies_read_as_sentences() {
        let event = catalogue::find("badge_assignment_created").unwrap();
        let violations = validate(
            event,
            &serde_json::json!({"slug": "updated", "deletedEvent": {}}),
        );
        assert_eq!(
            message_at(&violations, "/slug"),
            "expected \"created\", found \"updated\""
        );
        assert!(
            violations.iter().any(|v| v
                .message
                .starts_with("unexpected field: none of `updatedEvent`")),
            "{violations:?}"
        );
    }
}
