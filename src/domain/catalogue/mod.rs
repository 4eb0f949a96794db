//! The event catalogue: every provider and event in force, built from provider packs (the
//! built-in ones embedded, replaced or joined by the user's), with each event's schema, sample
//! source and delivery rules. Installed once per run; pure data and functions, no I/O.

mod beedeez;
mod cativa;
pub mod rules;
mod wix;

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

pub use rules::{Basis, DeliveryRules, Fact, RetryAfterRule, SuccessRule};

use crate::domain::pack::{self, IdStyle, Manifest, Origin, Pack, Signing};
use crate::domain::sample_data::SampleRng;
use crate::domain::signature::template::HmacSigning;

/// The providers whose payload mechanisms are built into hooktool: realistic sample builders
/// and payload rules that data cannot express. A pack with one of their ids gets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltIn {
    Cativa,
    Wix,
    Beedeez,
}

impl BuiltIn {
    fn from_id(id: &str) -> Option<BuiltIn> {
        match id {
            "cativa" => Some(BuiltIn::Cativa),
            "wix" => Some(BuiltIn::Wix),
            "beedeez" => Some(BuiltIn::Beedeez),
            _ => None,
        }
    }
}

/// A webhook provider: one pack's facts.
#[derive(Debug)]
pub struct Provider {
    /// The lower-case identifier used in paths, JSON output and `--retry`.
    pub id: &'static str,
    pub name: &'static str,
    /// Where its facts come from.
    pub source: Option<&'static str>,
    pub origin: Origin,
    pub rules: DeliveryRules,
    pub signing: Signing,
    pub id_style: IdStyle,
    /// Allowed clock difference when verifying its deliveries.
    pub tolerance: Option<Fact<Duration>>,
    /// Headers sent with every delivery besides the signature's and Content-Type, as written
    /// (`{subscription_id}` still to fill).
    pub headers: Vec<(String, String)>,
    /// What `validate` makes of fields its schemas do not list, when the pack says.
    pub extra_fields: Option<&'static str>,
    pub built_in: Option<BuiltIn>,
}

impl Provider {
    pub fn id(&self) -> &'static str {
        self.id
    }

    pub fn display_name(&self) -> &'static str {
        self.name
    }

    pub fn rules(&self) -> &DeliveryRules {
        &self.rules
    }

    /// The `hmac` scheme's description, when the provider signs that way.
    pub fn hmac(&self) -> Option<&HmacSigning> {
        match &self.signing {
            Signing::Hmac(hmac) => Some(hmac),
            _ => None,
        }
    }

    /// Whether this is (or replaces) the built-in provider `kind`.
    pub fn is(&self, kind: BuiltIn) -> bool {
        self.built_in == Some(kind)
    }

    /// What `validate` makes of unknown payload fields, and why (shown by `events`).
    pub fn extra_fields_policy(&self) -> &'static str {
        self.extra_fields
            .unwrap_or("allowed: the pack's schemas decide (`additionalProperties`)")
    }
}

impl PartialEq for Provider {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Provider {}

impl std::hash::Hash for Provider {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// Where an event's sample documents come from.
enum SampleSource {
    /// A built-in builder: realistic, internally consistent documents.
    Built(fn(&mut SampleRng) -> Sample),
    /// The pack's sample document, as given.
    Document(Value),
    /// Built from the event's JSON Schema.
    FromSchema,
}

/// One event a provider delivers.
pub struct Event {
    /// The provider's own name for the event.
    pub name: &'static str,
    /// A shorter accepted alias (Wix: `badge_created` for `wix.badges.v4.badge_created`).
    pub short_name: Option<&'static str>,
    pub provider: &'static Provider,
    pub description: &'static str,
    /// The event document's JSON Schema (draft 2020-12), as kept in its pack.
    pub schema: &'static str,
    /// The schema's file name in its pack.
    pub schema_file: &'static str,
    /// The event's position in the catalogue, for per-event caches.
    pub index: usize,
    sample: SampleSource,
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
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

thread_local! {
    /// Where each thread serializes its samples before copying them out at their exact size.
    static SERIALIZED: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(Vec::with_capacity(SAMPLE_BYTES_HINT));
}

/// `Serialize` made object-safe, so that every event's document type fits one `build` signature.
trait SampleDocument {
    fn to_json_bytes(&self) -> Vec<u8>;
    fn to_value(&self) -> Value;
}

impl<T: Serialize> SampleDocument for T {
    fn to_json_bytes(&self) -> Vec<u8> {
        // Written into a buffer with room for the largest documents, which is kept: growing from
        // serde_json's 128 bytes would copy each one three or four times, and allocating the
        // room afresh for every sample cost more than copying the bytes out.
        SERIALIZED.with_borrow_mut(|buffer| {
            buffer.clear();
            serde_json::to_writer(&mut *buffer, self).expect("sample documents have string keys");
            buffer.to_vec()
        })
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

/// Why a sample could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot build a sample of `{event}` from its schema: {problem}")]
pub struct SampleError {
    pub event: &'static str,
    pub problem: String,
}

impl Event {
    pub fn rules(&self) -> &'static DeliveryRules {
        &self.provider.rules
    }

    /// Whether every sample, unedited, passes the event's schema and payload rules. The built-in
    /// builders do (tested over many seeds). A pack's own document may not, and samples built
    /// from its schema know nothing of its rules: those are checked when used.
    pub fn samples_pass_by_construction(&self) -> bool {
        matches!(self.sample, SampleSource::Built(_))
    }

    /// A realistic, internally consistent sample of the event document, as a `Value` to edit.
    pub fn sample(&self, rng: &mut SampleRng) -> Result<Value, SampleError> {
        match &self.sample {
            SampleSource::Built(build) => Ok(build(rng).document.to_value()),
            SampleSource::Document(document) => Ok(document.clone()),
            SampleSource::FromSchema => self.sample_from_schema(rng),
        }
    }

    /// The same document as `sample` for the same `rng` state, serialized without a `Value`.
    pub fn sample_json(&self, rng: &mut SampleRng) -> Result<SampleJson, SampleError> {
        match &self.sample {
            SampleSource::Built(build) => {
                let sample = build(rng);
                Ok(SampleJson {
                    bytes: sample.document.to_json_bytes(),
                    event_id: sample.event_id,
                })
            }
            SampleSource::Document(_) | SampleSource::FromSchema => {
                let document = self.sample(rng)?;
                Ok(SampleJson {
                    bytes: serde_json::to_vec(&document).expect("JSON values serialize"),
                    event_id: None,
                })
            }
        }
    }

    fn sample_from_schema(&self, rng: &mut SampleRng) -> Result<Value, SampleError> {
        let schema: Value = serde_json::from_str(self.schema).expect("pack schemas are JSON");
        let seed = rng.number(0..=u64::MAX);
        crate::domain::schema_sample::sample_from_schema(&schema, seed, rng.now().as_second())
            .map_err(|error| SampleError {
                event: self.name,
                problem: error.to_string(),
            })
    }

    /// The file name the schema is kept under in its pack.
    pub fn schema_file_name(&self) -> String {
        self.schema_file.to_string()
    }
}

macro_rules! embedded {
    ($path:literal) => {
        ($path, include_str!(concat!("../../../providers/", $path)))
    };
}

/// The files the built-in packs' manifests name, embedded as shipped in `providers/`:
/// (path, text).
const BUILT_IN_FILES: &[(&str, &str)] = &[
    embedded!("cativa/events/user_created.schema.json"),
    embedded!("cativa/events/user_joined_group.schema.json"),
    embedded!("cativa/events/user_received_badge.schema.json"),
    embedded!("cativa/events/post_created.schema.json"),
    embedded!("wix/events/wix.badges.v4.badge_created.schema.json"),
    embedded!("wix/events/wix.badges.v4.badge_updated.schema.json"),
    embedded!("wix/events/wix.badges.v4.badge_deleted.schema.json"),
    embedded!("wix/events/wix.badges.v4.badge_assignment_created.schema.json"),
    embedded!("wix/events/wix.badges.v4.badge_assignment_deleted.schema.json"),
    embedded!("beedeez/events/certificate_completed.schema.json"),
    embedded!("beedeez/events/certificate_expired.schema.json"),
];

/// The built-in packs' ids, in the order `events` lists them: the folders under `providers/`.
pub const BUILT_IN_IDS: [&str; 3] = ["cativa", "wix", "beedeez"];

/// The built-in packs' `provider.toml` files, parsed ahead of time, in [`BUILT_IN_IDS`]' order.
/// Parsing the TOML was a third of every command's start-up; reading this JSON costs a quarter
/// of that. A test (`tests/integration/catalogue.rs`) keeps this file equal to what
/// `pack::parse_manifest` makes of `providers/*/provider.toml`, and rewrites it when asked to.
const BUILT_IN_MANIFESTS: &str = include_str!("built_in_manifests.json");

type Builder = fn(&mut SampleRng) -> Sample;

/// The built-in sample builders, by provider id and event name.
const BUILDERS: &[(&str, &str, Builder)] = &[
    ("cativa", "user_created", cativa::user_created),
    ("cativa", "user_joined_group", cativa::user_joined_group),
    ("cativa", "user_received_badge", cativa::user_received_badge),
    ("cativa", "post_created", cativa::post_created),
    ("wix", "wix.badges.v4.badge_created", wix::badge_created),
    ("wix", "wix.badges.v4.badge_updated", wix::badge_updated),
    ("wix", "wix.badges.v4.badge_deleted", wix::badge_deleted),
    (
        "wix",
        "wix.badges.v4.badge_assignment_created",
        wix::badge_assignment_created,
    ),
    (
        "wix",
        "wix.badges.v4.badge_assignment_deleted",
        wix::badge_assignment_deleted,
    ),
    (
        "beedeez",
        "certificate_completed",
        beedeez::certificate_completed,
    ),
    (
        "beedeez",
        "certificate_expired",
        beedeez::certificate_expired,
    ),
];

/// The built-in providers as packs, from their manifests parsed ahead of time and the embedded
/// files.
pub fn built_in_packs() -> Vec<Pack> {
    let manifests: Vec<Manifest> = serde_json::from_str(BUILT_IN_MANIFESTS)
        .expect("the built-in manifests are checked by a test");
    manifests
        .into_iter()
        .map(|manifest| {
            let id = manifest.id.clone();
            let read = |relative: &str| {
                let path = format!("{id}/{relative}");
                BUILT_IN_FILES
                    .iter()
                    .find(|(known, _)| *known == path)
                    .map(|(_, text)| text.to_string())
                    .ok_or_else(|| "not embedded".to_string())
            };
            pack::assemble_parsed(
                manifest,
                &format!("providers/{id}/{}", pack::MANIFEST),
                Origin::BuiltIn,
                read,
            )
            .expect("built-in packs are checked by tests")
        })
        .collect()
}

/// Every provider and event in force.
pub struct Catalogue {
    pub providers: Vec<&'static Provider>,
    pub events: Vec<&'static Event>,
    /// The packs they come from, as `hooktool providers` lists them; their schema texts and
    /// samples have moved into the events.
    pub packs: Vec<Pack>,
}

static INSTALLED: OnceLock<Catalogue> = OnceLock::new();

/// Makes `packs` the catalogue of this run. The first call wins: the catalogue is resolved
/// once, before any command runs.
pub fn install(packs: Vec<Pack>) -> &'static Catalogue {
    INSTALLED.get_or_init(|| Catalogue::from_packs(packs))
}

/// The catalogue in force: what was installed, else the built-in providers alone.
pub fn current() -> &'static Catalogue {
    INSTALLED.get_or_init(|| Catalogue::from_packs(built_in_packs()))
}

/// Every event name and alias, for shell completions: the catalogue's once installed, the
/// built-in ones before (without installing them, so that packs can still be installed).
pub fn known_event_names() -> Vec<&'static str> {
    match INSTALLED.get() {
        Some(catalogue) => catalogue
            .events
            .iter()
            .flat_map(|event| std::iter::once(event.name).chain(event.short_name))
            .collect(),
        None => BUILDERS.iter().map(|(_, name, _)| *name).collect(),
    }
}

/// The ids of the loaded packs that sign with `hmac` and are not built in, for completions of
/// `--scheme`: empty until the catalogue is installed.
pub fn known_hmac_pack_ids() -> Vec<&'static str> {
    INSTALLED.get().map_or_else(Vec::new, |catalogue| {
        catalogue
            .providers
            .iter()
            .filter(|provider| provider.built_in.is_none() && provider.hmac().is_some())
            .map(|provider| provider.id)
            .collect()
    })
}

/// Every event in force, built-in providers first.
pub fn events() -> &'static [&'static Event] {
    &current().events
}

/// Every provider in force.
pub fn providers() -> &'static [&'static Provider] {
    &current().providers
}

/// The provider with this id (`cativa`), ignoring case.
pub fn provider(id: &str) -> Option<&'static Provider> {
    providers()
        .iter()
        .copied()
        .find(|provider| provider.id.eq_ignore_ascii_case(id))
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

impl Catalogue {
    /// Leaks what it builds: the catalogue lives as long as the process, and `&'static`
    /// events keep every command's borrow simple.
    fn from_packs(packs: Vec<Pack>) -> Catalogue {
        let mut providers = Vec::new();
        let mut events = Vec::new();
        let mut kept = Vec::with_capacity(packs.len());
        for mut pack in packs {
            let manifest = &pack.manifest;
            let provider: &'static Provider = Box::leak(Box::new(Provider {
                id: leak(manifest.id.clone()),
                name: leak(manifest.name.clone()),
                source: manifest.source.clone().map(leak),
                origin: pack.origin.clone(),
                rules: DeliveryRules::from_manifest(manifest),
                signing: manifest.signing.clone(),
                id_style: manifest.id_style,
                tolerance: manifest.tolerance.map(|value| Fact {
                    value,
                    basis: manifest.basis("signing.tolerance"),
                }),
                headers: manifest
                    .headers
                    .iter()
                    .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
                    .cloned()
                    .collect(),
                extra_fields: manifest.extra_fields.clone().map(leak),
                built_in: BuiltIn::from_id(&manifest.id),
            }));
            providers.push(provider);
            for (index, event) in manifest.events.iter().enumerate() {
                let builder = BUILDERS
                    .iter()
                    .find(|(id, name, _)| *id == manifest.id && *name == event.name)
                    .map(|(_, _, build)| *build);
                let sample = match (pack.samples[index].take(), builder) {
                    (Some(document), _) => SampleSource::Document(document),
                    (None, Some(build)) => SampleSource::Built(build),
                    (None, None) => SampleSource::FromSchema,
                };
                let schema_file = event
                    .schema_path
                    .rsplit('/')
                    .next()
                    .unwrap_or(&event.schema_path)
                    .to_string();
                events.push(&*Box::leak(Box::new(Event {
                    name: leak(event.name.clone()),
                    short_name: event.short_name.clone().map(leak),
                    provider,
                    description: leak(event.description.clone()),
                    schema: leak(std::mem::take(&mut pack.schema_texts[index])),
                    schema_file: leak(schema_file),
                    index: events.len(),
                    sample,
                })));
            }
            kept.push(pack);
        }
        Catalogue {
            providers,
            events,
            packs: kept,
        }
    }
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
    events()
        .iter()
        .copied()
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
    events()
        .iter()
        .flat_map(|event| std::iter::once(event.name).chain(event.short_name))
        // Case is compared as typed but scored without it: `USER_CREATED` means `user_created`.
        .map(|known| (strsim::jaro_winkler(&name.to_lowercase(), known), known))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

/// The events of one provider.
pub fn events_of(provider: &'static Provider) -> impl Iterator<Item = &'static Event> {
    events()
        .iter()
        .copied()
        .filter(move |event| std::ptr::eq(event.provider, provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_id(id: &str) -> &'static Provider {
        provider(id).unwrap()
    }

    #[test]
    fn the_catalogue_has_eleven_events_in_three_providers() {
        assert_eq!(events_of(by_id("cativa")).count(), 4);
        assert_eq!(events_of(by_id("wix")).count(), 5);
        assert_eq!(events_of(by_id("beedeez")).count(), 2);
        assert_eq!(events().len(), 11);
        assert!(
            providers()
                .iter()
                .all(|provider| provider.origin == Origin::BuiltIn)
        );
    }

    #[test]
    fn events_are_found_by_full_and_short_name() {
        assert_eq!(
            find("badge_created").unwrap().name,
            "wix.badges.v4.badge_created"
        );
        assert_eq!(find("user_created").unwrap().provider.id, "cativa");
        assert!(find("user_created").unwrap().provider.is(BuiltIn::Cativa));
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
        for event in events() {
            for seed in 0..40 {
                let value = event.sample(&mut SampleRng::new(seed, now)).unwrap();
                let json = event.sample_json(&mut SampleRng::new(seed, now)).unwrap();
                assert_eq!(
                    json.bytes,
                    serde_json::to_vec(&value).unwrap(),
                    "{} seed {seed}",
                    event.name
                );
                let expected_id = match event.provider.id_style {
                    IdStyle::DocumentId => value["id"].as_str(),
                    _ => None,
                };
                assert_eq!(json.event_id.as_deref(), expected_id, "{}", event.name);
                if event.provider.is(BuiltIn::Wix) {
                    // Drawn from the stream of the event's own catalogue name.
                    let keyed = SampleRng::new(seed, now).event_ids(event.name).guid();
                    assert_eq!(json.event_id, Some(keyed), "{}", event.name);
                }
            }
        }
    }

    #[test]
    fn every_schema_is_json_naming_draft_2020_12() {
        for event in events() {
            let schema: Value = serde_json::from_str(event.schema).unwrap();
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{}",
                event.name
            );
        }
    }

    #[test]
    fn every_built_in_event_has_its_builder() {
        for event in events() {
            assert!(
                matches!(event.sample, SampleSource::Built(_)),
                "{} has no built-in sample builder",
                event.name
            );
        }
        assert_eq!(BUILDERS.len(), events().len());
    }

    #[test]
    fn a_pack_event_without_a_sample_is_built_from_its_schema() {
        let mut packs = built_in_packs();
        let acme = pack::assemble(
            "acme/provider.toml",
            &include_str!("../../../providers/cativa/provider.toml")
                .replace("id = \"cativa\"", "id = \"acme\"")
                .replace("name = \"user_", "name = \"acme_user_")
                .replace("name = \"post_created", "name = \"acme_post_created"),
            Origin::Folder("acme".into()),
            |path| {
                BUILT_IN_FILES
                    .iter()
                    .find(|(known, _)| *known == format!("cativa/{path}"))
                    .map(|(_, text)| text.to_string())
                    .ok_or_else(|| "missing".to_string())
            },
        )
        .unwrap();
        packs.push(acme);
        let catalogue = Catalogue::from_packs(packs);
        let event = catalogue
            .events
            .iter()
            .find(|event| event.name == "acme_user_created")
            .unwrap();
        assert!(matches!(event.sample, SampleSource::FromSchema));
        assert_eq!(event.provider.built_in, None);
        let now = jiff::Timestamp::from_second(1_763_800_000).unwrap();
        let document = event.sample(&mut SampleRng::new(3, now)).unwrap();
        let schema: Value = serde_json::from_str(event.schema).unwrap();
        assert!(jsonschema::draft202012::is_valid(&schema, &document));
        let again = event.sample(&mut SampleRng::new(3, now)).unwrap();
        assert_eq!(document, again);
    }
}
