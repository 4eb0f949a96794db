//! JSON Schema validation of event documents against the catalogue's embedded schemas, each
//! compiled once per process. The one place that talks to the `jsonschema` crate.

use std::sync::OnceLock;

use serde_json::Value;

use crate::catalogue::{EVENTS, Event};

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

static VALIDATORS: [OnceLock<jsonschema::Validator>; EVENTS.len()] =
    [const { OnceLock::new() }; EVENTS.len()];

/// The compiled validator of `event`'s schema; `format` keywords (`date-time`, `email`, `uri`)
/// are asserted, not only annotated.
fn validator(event: &'static Event) -> &'static jsonschema::Validator {
    let index = EVENTS
        .iter()
        .position(|known| std::ptr::eq(known, event))
        .expect("events come from the catalogue");
    VALIDATORS[index].get_or_init(|| {
        let schema: Value =
            serde_json::from_str(event.schema).expect("embedded schemas are JSON (tested)");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .expect("embedded schemas compile (tested)")
    })
}

/// Every violation of `event`'s schema in `document`, in document order.
pub fn validate(event: &'static Event, document: &Value) -> Vec<Violation> {
    validator(event)
        .iter_errors(document)
        .map(|error| Violation {
            pointer: error.instance_path().to_string(),
            message: error.to_string(),
        })
        .collect()
}

/// Whether `document` is valid against `event`'s schema.
pub fn is_valid(event: &'static Event, document: &Value) -> bool {
    validator(event).is_valid(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    #[test]
    fn every_embedded_schema_compiles() {
        for event in &EVENTS {
            let _ = validator(event);
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
}
