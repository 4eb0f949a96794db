//! The event catalogue: every provider and event hooktool knows, with its description, JSON
//! Schema, sample builder and delivery rules. Pure data and functions, no I/O.

mod beedeez;
mod cativa;
pub mod rules;
mod wix;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use rules::{Basis, DeliveryRules, Fact, RetryAfterRule, SigningScheme, SuccessRule};

use crate::domain::sample_data::SampleRng;

/// A webhook provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Cativa,
    Wix,
    Beedeez,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Cativa, Provider::Wix, Provider::Beedeez];

    /// The lower-case identifier used in paths, JSON output and `--retry`.
    pub fn id(self) -> &'static str {
        match self {
            Provider::Cativa => "cativa",
            Provider::Wix => "wix",
            Provider::Beedeez => "beedeez",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Cativa => "Cativa",
            Provider::Wix => "Wix Members Badges V4",
            Provider::Beedeez => "Beedeez",
        }
    }

    pub fn rules(self) -> &'static DeliveryRules {
        match self {
            Provider::Cativa => &rules::CATIVA,
            Provider::Wix => &rules::WIX,
            Provider::Beedeez => &rules::BEEDEEZ,
        }
    }

    /// Whether unknown payload fields are schema errors, and why (shown by `events` and README).
    pub fn extra_fields_policy(self) -> &'static str {
        match self {
            Provider::Cativa => {
                "rejected: Cativa documents every field, so an unknown one is a typo or drift"
            }
            Provider::Wix => {
                "allowed: Wix adds fields to its events over time and asks receivers to ignore them"
            }
            Provider::Beedeez => {
                "allowed: the payload is the whole BadgeUser document, which may carry more fields"
            }
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One event a provider delivers.
#[derive(Debug)]
pub struct Event {
    /// The provider's own name for the event.
    pub name: &'static str,
    /// A shorter accepted alias (Wix: `badge_created` for `wix.badges.v4.badge_created`).
    pub short_name: Option<&'static str>,
    pub provider: Provider,
    pub description: &'static str,
    /// The event document's JSON Schema (draft 2020-12), as kept in `fixtures/schemas/`.
    pub schema: &'static str,
    build: fn(&mut SampleRng) -> Sample,
}

/// A generated event document, kept as the generator's own typed structs so that it serializes
/// straight to bytes: going through a `Value` would hash and allocate every key of every object.
struct Sample {
    document: Box<dyn SampleDocument>,
    /// The id the provider puts in the document (Wix's top-level `id`), so that the bytes need
    /// not be parsed again to find it.
    event_id: Option<String>,
}

impl Sample {
    fn new(document: impl Serialize + 'static) -> Self {
        Sample {
            document: Box::new(document),
            event_id: None,
        }
    }

    fn with_event_id(document: impl Serialize + 'static, event_id: String) -> Self {
        Sample {
            document: Box::new(document),
            event_id: Some(event_id),
        }
    }
}

/// Samples are 0.3 to 1.5 KiB of compact JSON.
const SAMPLE_BYTES_HINT: usize = 2048;

/// `Serialize` made object-safe, so that every event's document type fits one `build` signature.
trait SampleDocument {
    fn to_json_bytes(&self) -> Vec<u8>;
    fn to_value(&self) -> Value;
}

impl<T: Serialize> SampleDocument for T {
    fn to_json_bytes(&self) -> Vec<u8> {
        // Room for the largest documents up front: growing from serde_json's 128 bytes would
        // copy each one three or four times.
        let mut bytes = Vec::with_capacity(SAMPLE_BYTES_HINT);
        serde_json::to_writer(&mut bytes, self).expect("sample documents have string keys");
        bytes
    }

    fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("sample documents have string keys")
    }
}

/// A sample as the compact JSON bytes a message sends.
pub struct SampleJson {
    pub bytes: Vec<u8>,
    /// The id the provider puts in the document (Wix's top-level `id`); None for the others.
    pub event_id: Option<String>,
}

impl Event {
    pub fn rules(&self) -> &'static DeliveryRules {
        self.provider.rules()
    }

    /// A realistic, internally consistent sample of the event document, as a `Value` to edit.
    pub fn sample(&self, rng: &mut SampleRng) -> Value {
        (self.build)(rng).document.to_value()
    }

    /// The same document as `sample` for the same `rng` state, serialized without a `Value`.
    pub fn sample_json(&self, rng: &mut SampleRng) -> SampleJson {
        let sample = (self.build)(rng);
        SampleJson {
            bytes: sample.document.to_json_bytes(),
            event_id: sample.event_id,
        }
    }

    /// The file name the schema is kept under in `fixtures/schemas/`.
    pub fn schema_file_name(&self) -> String {
        format!("{}.schema.json", self.name)
    }
}

macro_rules! schema_file {
    ($name:literal) => {
        include_str!(concat!("../../../fixtures/schemas/", $name, ".schema.json"))
    };
}

/// Every event, Cativa first, in the order the providers document them.
pub static EVENTS: [Event; 11] = [
    Event {
        name: "user_created",
        short_name: None,
        provider: Provider::Cativa,
        description: "A user appears in the tenant for the first time (sign-up, SSO, import, API).",
        schema: schema_file!("user_created"),
        build: cativa::user_created,
    },
    Event {
        name: "user_joined_group",
        short_name: None,
        provider: Provider::Cativa,
        description: "A user joins a group.",
        schema: schema_file!("user_joined_group"),
        build: cativa::user_joined_group,
    },
    Event {
        name: "user_received_badge",
        short_name: None,
        provider: Provider::Cativa,
        description: "A badge is assigned to a user (purchase, admin, course completion, API).",
        schema: schema_file!("user_received_badge"),
        build: cativa::user_received_badge,
    },
    Event {
        name: "post_created",
        short_name: None,
        provider: Provider::Cativa,
        description: "A post is published on the main feed or in a group.",
        schema: schema_file!("post_created"),
        build: cativa::post_created,
    },
    Event {
        name: "wix.badges.v4.badge_created",
        short_name: Some("badge_created"),
        provider: Provider::Wix,
        description: "A member badge is created.",
        schema: schema_file!("wix.badges.v4.badge_created"),
        build: wix::badge_created,
    },
    Event {
        name: "wix.badges.v4.badge_updated",
        short_name: Some("badge_updated"),
        provider: Provider::Wix,
        description: "A member badge is updated.",
        schema: schema_file!("wix.badges.v4.badge_updated"),
        build: wix::badge_updated,
    },
    Event {
        name: "wix.badges.v4.badge_deleted",
        short_name: Some("badge_deleted"),
        provider: Provider::Wix,
        description: "A member badge is deleted.",
        schema: schema_file!("wix.badges.v4.badge_deleted"),
        build: wix::badge_deleted,
    },
    Event {
        name: "wix.badges.v4.badge_assignment_created",
        short_name: Some("badge_assignment_created"),
        provider: Provider::Wix,
        description: "A badge is assigned to a member.",
        schema: schema_file!("wix.badges.v4.badge_assignment_created"),
        build: wix::badge_assignment_created,
    },
    Event {
        name: "wix.badges.v4.badge_assignment_deleted",
        short_name: Some("badge_assignment_deleted"),
        provider: Provider::Wix,
        description: "A badge is removed from a member.",
        schema: schema_file!("wix.badges.v4.badge_assignment_deleted"),
        build: wix::badge_assignment_deleted,
    },
    Event {
        name: "certificate_completed",
        short_name: None,
        provider: Provider::Beedeez,
        description: "A user completes a certificate (badge).",
        schema: schema_file!("certificate_completed"),
        build: beedeez::certificate_completed,
    },
    Event {
        name: "certificate_expired",
        short_name: None,
        provider: Provider::Beedeez,
        description: "A certificate reaches the end of its validity period, or its expiry reminder is sent.",
        schema: schema_file!("certificate_expired"),
        build: beedeez::certificate_expired,
    },
];

/// A name that is not in the catalogue, with the closest known name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown event `{name}`")]
pub struct UnknownEvent {
    pub name: String,
    pub suggestion: Option<&'static str>,
}

/// Looks an event up by its full or short name.
pub fn find(name: &str) -> Result<&'static Event, UnknownEvent> {
    EVENTS
        .iter()
        .find(|event| event.name == name || event.short_name == Some(name))
        .ok_or_else(|| UnknownEvent {
            // Echoed in messages: a name pasted by mistake may be megabytes long.
            name: match name.char_indices().nth(40) {
                Some((cut, _)) => format!("{}…", &name[..cut]),
                None => name.to_string(),
            },
            suggestion: closest_name(name),
        })
}

/// The known name closest to `name`, when it is close enough to be a likely typo.
fn closest_name(name: &str) -> Option<&'static str> {
    EVENTS
        .iter()
        .flat_map(|event| std::iter::once(event.name).chain(event.short_name))
        // Case is compared as typed but scored without it: `USER_CREATED` means `user_created`.
        .map(|known| (strsim::jaro_winkler(&name.to_lowercase(), known), known))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

/// The events of one provider.
pub fn events_of(provider: Provider) -> impl Iterator<Item = &'static Event> {
    EVENTS
        .iter()
        .filter(move |event| event.provider == provider)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_eleven_events_in_three_providers() {
        assert_eq!(events_of(Provider::Cativa).count(), 4);
        assert_eq!(events_of(Provider::Wix).count(), 5);
        assert_eq!(events_of(Provider::Beedeez).count(), 2);
    }

    #[test]
    fn events_are_found_by_full_and_short_name() {
        assert_eq!(
            find("badge_created").unwrap().name,
            "wix.badges.v4.badge_created"
        );
        assert_eq!(find("user_created").unwrap().provider, Provider::Cativa);
    }

    #[test]
    fn unknown_names_get_the_closest_suggestion() {
        let error = find("user_creatd").unwrap_err();
        assert_eq!(error.suggestion, Some("user_created"));
        assert_eq!(
            find("certificate_expird").unwrap_err().suggestion,
            Some("certificate_expired")
        );
        assert_eq!(find("zzz").unwrap_err().suggestion, None);
    }

    #[test]
    fn sample_json_is_the_sample_serialized() {
        let now = jiff::Timestamp::from_second(1_763_800_000).unwrap();
        for event in &EVENTS {
            for seed in 0..40 {
                let value = event.sample(&mut SampleRng::new(seed, now));
                let json = event.sample_json(&mut SampleRng::new(seed, now));
                assert_eq!(
                    json.bytes,
                    serde_json::to_vec(&value).unwrap(),
                    "{} seed {seed}",
                    event.name
                );
                let expected_id = match event.provider {
                    Provider::Wix => value["id"].as_str(),
                    Provider::Cativa | Provider::Beedeez => None,
                };
                assert_eq!(json.event_id.as_deref(), expected_id, "{}", event.name);
                if event.provider == Provider::Wix {
                    // Drawn from the stream of the event's own catalogue name.
                    let keyed = SampleRng::new(seed, now).event_guid(event.name);
                    assert_eq!(json.event_id, Some(keyed), "{}", event.name);
                }
            }
        }
    }

    #[test]
    fn every_schema_is_json_naming_draft_2020_12() {
        for event in &EVENTS {
            let schema: Value = serde_json::from_str(event.schema).unwrap();
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{}",
                event.name
            );
        }
    }
}
