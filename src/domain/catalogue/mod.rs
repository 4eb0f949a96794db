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

    /// What `validate` makes of unknown payload fields, and why (shown by `events` and README).
    pub fn extra_fields_policy(self) -> &'static str {
        match self {
            Provider::Cativa => {
                "warned: an unknown one is a typo, drift, or a field Cativa added since (that it \
                 sends no others is assumed); an error with validate --strict"
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
        description: "A certificate reaches the end of its validity period.",
        schema: schema_file!("certificate_expired"),
        build: beedeez::certificate_expired,
    },
];

macro_rules! built_in_pack {
    ($id:literal) => {
        (
            concat!("providers/", $id, "/provider.toml"),
            include_str!(concat!("../../../providers/", $id, "/provider.toml")),
        )
    };
}

/// The built-in providers' `provider.toml` files, as shipped in `providers/`: (path, text).
pub const BUILT_IN_PACKS: [(&str, &str); 3] = [
    built_in_pack!("cativa"),
    built_in_pack!("wix"),
    built_in_pack!("beedeez"),
];

/// The built-in providers as packs, each event's schema the one the catalogue holds.
pub fn built_in_packs() -> Vec<crate::domain::pack::Pack> {
    use crate::domain::pack::{self, Origin, Pack};
    BUILT_IN_PACKS
        .iter()
        .map(|(file, text)| {
            let manifest =
                pack::parse_manifest(file, text).expect("built-in packs are checked by tests");
            let schemas = manifest
                .events
                .iter()
                .map(|event| {
                    let known =
                        find(&event.name).expect("built-in pack events are in the catalogue");
                    serde_json::from_str(known.schema).expect("built-in schemas are JSON")
                })
                .collect();
            let samples = vec![None; manifest.events.len()];
            Pack {
                manifest,
                origin: Origin::BuiltIn,
                manifest_file: file.to_string(),
                schemas,
                samples,
            }
        })
        .collect()
}

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

    #[test]
    fn the_built_in_packs_hold_every_delivery_fact() {
        use crate::domain::pack::{self, Signing};
        for (provider, (file, text)) in Provider::ALL.into_iter().zip(BUILT_IN_PACKS) {
            let manifest = pack::parse_manifest(file, text).unwrap();
            let rules = provider.rules();
            assert_eq!(manifest.id, provider.id());
            assert_eq!(manifest.name, provider.display_name());
            let delivery = &manifest.delivery;
            assert_eq!(delivery.retry, rules.retry_delays.value, "{file}");
            assert_eq!(delivery.success, rules.success.value, "{file}");
            assert_eq!(delivery.permanent, rules.permanent_statuses.value, "{file}");
            assert_eq!(delivery.retry_after, rules.retry_after.value, "{file}");
            assert_eq!(delivery.timeout, rules.attempt_timeout.value, "{file}");
            assert_eq!(
                delivery.concurrency,
                rules.concurrency.map(|fact| fact.value),
                "{file}"
            );
            assert_eq!(delivery.redirects, rules.redirects_followed.value, "{file}");
            let facts = [
                ("delivery.retry", rules.retry_delays.basis),
                ("delivery.success", rules.success.basis),
                ("delivery.permanent", rules.permanent_statuses.basis),
                ("delivery.retry_after", rules.retry_after.basis),
                ("delivery.timeout", rules.attempt_timeout.basis),
                ("delivery.redirects", rules.redirects_followed.basis),
                ("headers.Content-Type", rules.content_type.basis),
                ("signing.scheme", rules.signing.basis),
            ];
            for (key, basis) in facts {
                assert_eq!(manifest.basis(key), basis, "{file} {key}");
            }
            let content_type = manifest
                .headers
                .iter()
                .find(|(name, _)| name == "Content-Type")
                .map(|(_, value)| value.as_str());
            assert_eq!(content_type, Some(rules.content_type.value), "{file}");
            let scheme = match rules.signing.value {
                SigningScheme::CativaHmacSha256 => "hmac",
                SigningScheme::WixJwtRs256 => "jwt-rs256",
                SigningScheme::BeedeezCredential => "credential",
            };
            assert_eq!(manifest.signing.scheme_name(), scheme, "{file}");
            for header in rules.headers {
                let named = manifest.headers.iter().any(|(name, _)| name == header.name)
                    || match &manifest.signing {
                        Signing::Hmac(hmac) => {
                            hmac.header == header.name
                                || hmac.id_header.as_deref() == Some(header.name)
                        }
                        Signing::Credential { api_key_header } => {
                            header.name == "Authorization" || header.name == api_key_header
                        }
                        Signing::JwtRs256 | Signing::None => false,
                    };
                assert!(named, "{file} lacks {}", header.name);
            }
            let names: Vec<&str> = manifest
                .events
                .iter()
                .map(|event| event.name.as_str())
                .collect();
            let catalogue: Vec<&str> = events_of(provider).map(|event| event.name).collect();
            assert_eq!(names, catalogue, "{file}");
            for (event, known) in manifest.events.iter().zip(events_of(provider)) {
                assert_eq!(event.description, known.description);
                assert_eq!(event.short_name.as_deref(), known.short_name);
            }
        }
    }
}
