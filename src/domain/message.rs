//! One event ready for delivery: its exact document bytes, its ids, and how it is authenticated.
//! `request_at` produces the request of one attempt, signed afresh for that attempt's time;
//! the document bytes never change between attempts.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::domain::catalogue::{Event, Provider, SampleError};
use crate::domain::field_path::{self, PathError};
use crate::domain::pack::{IdStyle, SUBSCRIPTION_ID};
use crate::domain::request::WebhookRequest;
use crate::domain::sample_data::SampleRng;
use crate::domain::signature::template::HmacSigning;
use crate::domain::signature::{beedeez, wix};
use crate::domain::validation;

/// How deliveries of one subscription are authenticated; shared by all its messages.
pub struct Authenticator {
    pub signer: Signer,
    /// The provider's own headers, the same on every delivery.
    provider_headers: Vec<(String, String)>,
}

impl Authenticator {
    /// Authenticates `provider`'s deliveries for the subscription `subscription_id` (Cativa's
    /// automation id): what a pack's `{subscription_id}` header value stands for.
    pub fn new(signer: Signer, subscription_id: &str, provider: &Provider) -> Authenticator {
        let provider_headers = provider
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.clone(),
                    value.replace(SUBSCRIPTION_ID, subscription_id),
                )
            })
            .collect();
        Authenticator {
            signer,
            provider_headers,
        }
    }

    /// The provider's own headers (the pack's `[headers]` but Content-Type), with the
    /// subscription's id where a value names `{subscription_id}`.
    pub fn provider_headers(&self) -> &[(String, String)] {
        &self.provider_headers
    }
}

/// What authenticates each request, by the provider's signing scheme.
pub enum Signer {
    /// A pack's `hmac` scheme, with the key derived from the user's secret.
    Hmac {
        signing: &'static HmacSigning,
        key: Vec<u8>,
    },
    /// An RS256 JWT around the document (Wix).
    Jwt {
        key: wix::SigningKey,
        instance_id: String,
        /// The account (and site) the app is installed on, the same on every delivery.
        account_info: wix::AccountInfo,
    },
    /// A static credential, or none (Beedeez).
    Credential { credential: beedeez::Credential },
    /// Nothing: the provider does not authenticate its deliveries.
    Unsigned,
}

/// Ids that belong to the subscription rather than to one event, derived from the seed so that
/// every message of a run shares them.
pub struct SubscriptionIds {
    /// A ULID from about when the subscription was configured.
    pub subscription_id: String,
    /// The app instance a JWT names.
    pub instance_id: String,
    /// The account (and site) the app is installed on, as a JWT's middle layer carries it.
    pub account_info: wix::AccountInfo,
}

impl SubscriptionIds {
    pub fn new(seed: u64, now: Timestamp) -> Self {
        // A different stream from the samples', so adding a field to a sample keeps these ids.
        let mut rng = SampleRng::new(seed ^ 0x5eed_5eed_5eed_5eed, now);
        let configured = rng.before(
            now,
            SignedDuration::from_hours(24),
            SignedDuration::from_hours(24 * 90),
        );
        let subscription_id = rng.ulid(configured);
        let instance_id = rng.guid();
        // Badges live in a site's members area, so the event is tied to a site; the account is
        // not a child account.
        let account_info = wix::AccountInfo {
            account_id: rng.guid(),
            parent_account_id: None,
            site_id: Some(rng.guid()),
        };
        SubscriptionIds {
            subscription_id,
            instance_id,
            account_info,
        }
    }
}

/// A change to a generated sample.
#[derive(Debug, Clone)]
pub enum Edit {
    Set(String, Value),
    Unset(String),
}

/// What the document of a message is made from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A generated sample, then these edits.
    Sample(Vec<Edit>),
    /// The user's own bytes, used verbatim.
    Verbatim(Vec<u8>),
}

/// Why a message could not be composed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("{error}, --{flag} {path}")]
    Edit {
        flag: &'static str,
        path: String,
        error: PathError,
    },
    #[error("a Wix event document must be UTF-8 text: it travels as a JSON string inside the JWT")]
    WixDocumentNotText,
    #[error(transparent)]
    Sample(#[from] SampleError),
}

/// What makes the messages of one run: the event, the seed of its first sample, the time
/// samples are anchored to, what documents are made from, and how they are authenticated.
pub struct Composer {
    pub event: &'static Event,
    pub seed: u64,
    pub now: Timestamp,
    pub source: Source,
    pub authenticator: Arc<Authenticator>,
}

impl Composer {
    /// The `index`-th message of the run: sample seed `seed + index`, so every message is a
    /// distinct event and `--seed N` alone reproduces the first.
    pub fn message(&self, index: u64) -> Result<Message, ComposeError> {
        Message::compose(
            self.event,
            &self.source,
            self.seed.wrapping_add(index),
            self.now,
            Arc::clone(&self.authenticator),
        )
    }

    /// Why `message`'s document breaks its event's schema or rules, one sentence each
    /// (deliberately invalid payloads are allowed, for negative tests). A broken assumption says
    /// so.
    pub fn schema_warnings(&self, message: &Message) -> Vec<String> {
        // Checking compiles the schema, most of a one-event run's start-up: an unedited sample
        // that passes by construction is not checked.
        if matches!(&self.source, Source::Sample(edits) if edits.is_empty())
            && self.event.samples_pass_by_construction()
        {
            return Vec::new();
        }
        let name = self.event.name;
        let Some(document) = message.document_json() else {
            return vec![format!(
                "the body is not JSON, so it cannot match the {name} schema"
            )];
        };
        let (violations, findings) = validation::judge(self.event, &document);
        violations
            .into_iter()
            .map(|violation| format!("the document does not match the {name} schema: {violation}"))
            .chain(findings.into_iter().map(|finding| {
                format!(
                    "the document breaks the {name} rule {}: {}: {}",
                    finding.rule.id, finding.pointer, finding.message
                )
            }))
            .collect()
    }
}

/// One event ready for delivery.
pub struct Message {
    pub event: &'static Event,
    /// The event document, byte for byte as it is signed and sent.
    pub document: Vec<u8>,
    /// The provider's event id, stable across retries: Cativa's `X-Cativa-Execution-Id`, the
    /// Wix event's `id`. Beedeez sends none.
    pub event_id: Option<String>,
    /// Wix: who triggered the event (`identity` layer); null for the other providers.
    identity: Value,
    authenticator: Arc<Authenticator>,
}

impl Message {
    /// Builds the message for `event` from `source`. `seed` picks the sample; `now` anchors its
    /// dates.
    pub fn compose(
        event: &'static Event,
        source: &Source,
        seed: u64,
        now: Timestamp,
        authenticator: Arc<Authenticator>,
    ) -> Result<Message, ComposeError> {
        let mut rng = SampleRng::new(seed, now);
        let provider = event.provider;
        let is_jwt = matches!(authenticator.signer, Signer::Jwt { .. });
        let (document, document_id) = match source {
            // Only edits need the sample as a `Value`; without them it serializes straight to bytes.
            Source::Sample(edits) if edits.is_empty() => {
                let sample = event.sample_json(&mut rng)?;
                let id = match sample.event_id {
                    Some(id) => Some(id),
                    None if provider.id_style == IdStyle::DocumentId => {
                        serde_json::from_slice(&sample.bytes)
                            .ok()
                            .and_then(|document: Value| document_event_id(&document))
                    }
                    None => None,
                };
                (sample.bytes, id)
            }
            Source::Sample(edits) => {
                let mut document = event.sample(&mut rng)?;
                apply(&mut document, edits)?;
                let bytes = serde_json::to_vec(&document).expect("JSON values serialize");
                (bytes, document_event_id(&document))
            }
            // Parsed only for an id the document carries: other providers' ids are not in it.
            Source::Verbatim(bytes) => {
                let id = if provider.id_style == IdStyle::DocumentId {
                    serde_json::from_slice(bytes)
                        .ok()
                        .and_then(|document: Value| document_event_id(&document))
                } else {
                    None
                };
                (bytes.clone(), id)
            }
        };
        // Ids drawn for the message come from a stream of the event's own: two events generated
        // with one seed and time never share one.
        let mut ids = rng.event_ids(event.name);
        let event_id = match provider.id_style {
            IdStyle::Ulid => Some(ids.ulid(now)),
            IdStyle::Uuid => Some(ids.guid()),
            IdStyle::Msg => Some(format!("msg_{}", ids.base62(27))),
            IdStyle::DocumentId => document_id,
            IdStyle::None => None,
        };
        if is_jwt && std::str::from_utf8(&document).is_err() {
            return Err(ComposeError::WixDocumentNotText);
        }
        let identity = if !is_jwt {
            Value::Null
        } else if rng.chance(0.7) {
            json!({"identityType": "WIX_USER", "wixUserId": rng.guid()})
        } else {
            json!({"identityType": "APP", "appId": rng.guid()})
        };
        Ok(Message {
            event,
            document,
            event_id,
            identity,
            authenticator,
        })
    }

    /// Wix: who triggered the event (the JWT's `identity` layer); null for the other providers.
    pub fn identity(&self) -> &Value {
        &self.identity
    }

    /// The document parsed as JSON, when it is JSON.
    pub fn document_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.document).ok()
    }

    /// The request of an attempt made at `unix_seconds`: Content-Type, the signature's headers
    /// signed afresh for that time (or a new JWT around the same document), the provider's
    /// other headers, then the credential.
    pub fn request_at(&self, unix_seconds: i64) -> WebhookRequest {
        let provider = self.event.provider;
        let mut headers = vec![(
            "Content-Type".to_string(),
            provider.rules.content_type.value.clone(),
        )];
        let signer = &self.authenticator.signer;
        let body = match signer {
            Signer::Hmac { signing, key } => {
                let id = self.event_id.as_deref().unwrap_or_default();
                headers.extend(signing.headers(key, unix_seconds, id, &self.document));
                self.document.clone()
            }
            Signer::Jwt {
                key,
                instance_id,
                account_info,
            } => {
                let document = std::str::from_utf8(&self.document).expect("checked when composed");
                wix::sign(
                    key,
                    self.event.name,
                    instance_id,
                    &self.identity,
                    account_info,
                    document,
                    unix_seconds,
                )
                .into_bytes()
            }
            Signer::Credential { .. } | Signer::Unsigned => self.document.clone(),
        };
        headers.extend_from_slice(self.authenticator.provider_headers());
        if let Signer::Credential { credential } = signer {
            headers.extend(credential.header());
        }
        WebhookRequest {
            method: "POST".to_string(),
            headers,
            body,
        }
    }
}

/// The event's `id` as its document carries it (Wix): the top-level `id` string.
fn document_event_id(document: &Value) -> Option<String> {
    document
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn apply(document: &mut Value, edits: &[Edit]) -> Result<(), ComposeError> {
    for edit in edits {
        match edit {
            Edit::Set(path, value) => {
                field_path::set(document, path, value.clone()).map_err(|error| {
                    ComposeError::Edit {
                        flag: "set",
                        path: path.clone(),
                        error,
                    }
                })?
            }
            Edit::Unset(path) => {
                field_path::unset(document, path).map_err(|error| ComposeError::Edit {
                    flag: "unset",
                    path: path.clone(),
                    error,
                })?
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;
    use crate::domain::signature::cativa;

    const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn now() -> Timestamp {
        Timestamp::from_second(1_700_000_000).unwrap()
    }

    fn cativa_auth() -> Arc<Authenticator> {
        let signing = catalogue::provider("cativa").unwrap().hmac().unwrap();
        Arc::new(Authenticator::new(
            Signer::Hmac {
                signing,
                key: signing.key_of(SECRET).unwrap(),
            },
            "AUTOMATION",
            catalogue::provider("cativa").unwrap(),
        ))
    }

    #[test]
    fn attempts_keep_body_and_id_and_sign_afresh() {
        let event = catalogue::find("user_created").unwrap();
        let message =
            Message::compose(event, &Source::Sample(vec![]), 1, now(), cativa_auth()).unwrap();
        let first = message.request_at(1_700_000_000);
        let retry = message.request_at(1_700_000_030);
        assert_eq!(first.body, retry.body);
        assert_eq!(
            first.header(cativa::EXECUTION_ID_HEADER),
            retry.header(cativa::EXECUTION_ID_HEADER)
        );
        assert_ne!(
            first.header(cativa::SIGNATURE_HEADER),
            retry.header(cativa::SIGNATURE_HEADER)
        );
        let header = cativa::parse_header(retry.header(cativa::SIGNATURE_HEADER).unwrap()).unwrap();
        assert_eq!(header.timestamp, 1_700_000_030);
        assert!(cativa::matches(SECRET, &header, &retry.body));
    }

    #[test]
    fn edits_change_the_sample_and_bad_paths_are_errors() {
        let event = catalogue::find("user_created").unwrap();
        let edits = vec![
            Edit::Set("User.Email".into(), Value::Null),
            Edit::Unset("Username".into()),
        ];
        let message =
            Message::compose(event, &Source::Sample(edits), 1, now(), cativa_auth()).unwrap();
        let document = message.document_json().unwrap();
        assert_eq!(document["User"]["Email"], Value::Null);
        assert!(document.get("Username").is_none());

        let bad = vec![Edit::Set("User.Email.X".into(), Value::Null)];
        let error = Message::compose(event, &Source::Sample(bad), 1, now(), cativa_auth())
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "`User.Email` is a string, which has no field `X`, --set User.Email.X"
        );
    }

    #[test]
    fn verbatim_documents_are_sent_byte_for_byte() {
        let event = catalogue::find("post_created").unwrap();
        let bytes = b"{ \"pretty\" : true }\n".to_vec();
        let message = Message::compose(
            event,
            &Source::Verbatim(bytes.clone()),
            1,
            now(),
            cativa_auth(),
        )
        .unwrap();
        assert_eq!(message.request_at(5).body, bytes);
    }

    #[test]
    fn wix_bodies_carry_the_document_verbatim_inside_the_jwt() {
        let event = catalogue::find("badge_created").unwrap();
        let account_info = SubscriptionIds::new(3, now()).account_info;
        let auth = Arc::new(Authenticator::new(
            Signer::Jwt {
                key: wix::SigningKey::development(),
                instance_id: "instance".into(),
                account_info: account_info.clone(),
            },
            "subscription",
            event.provider,
        ));
        let message = Message::compose(event, &Source::Sample(vec![]), 3, now(), auth).unwrap();
        let request = message.request_at(1_700_000_000);
        assert_eq!(request.header("Content-Type"), Some("text/plain"));
        let token = wix::verify(
            &wix::VerifyingKey::development(),
            std::str::from_utf8(&request.body).unwrap(),
        )
        .unwrap();
        assert_eq!(token.envelope.data.as_bytes(), message.document.as_slice());
        assert_eq!(token.envelope.event_type, "wix.badges.v4.badge_created");
        assert_eq!(
            token.envelope.account_info,
            Some(serde_json::to_value(&account_info).unwrap())
        );
        assert_eq!(
            message.event_id.as_deref(),
            message.document_json().unwrap()["id"].as_str()
        );
    }

    #[test]
    fn event_ids_differ_between_events_composed_with_one_seed_and_time() {
        let wix = Arc::new(Authenticator::new(
            Signer::Jwt {
                key: wix::SigningKey::development(),
                instance_id: "instance".into(),
                account_info: SubscriptionIds::new(1, now()).account_info,
            },
            "subscription",
            catalogue::provider("wix").unwrap(),
        ));
        let mut seen = std::collections::HashMap::new();
        for seed in 0..500 {
            for event in catalogue::events()
                .iter()
                .filter(|event| event.provider.id != "beedeez")
            {
                let auth = match event.provider.id {
                    "wix" => wix.clone(),
                    _ => cativa_auth(),
                };
                let message =
                    Message::compose(event, &Source::Sample(vec![]), seed, now(), auth).unwrap();
                let id = message.event_id.unwrap();
                if let Some(earlier) = seen.insert(id.clone(), (event.name, seed)) {
                    panic!("{id}: {} seed {seed} and {earlier:?}", event.name);
                }
            }
        }
    }

    #[test]
    fn subscription_ids_depend_only_on_seed_and_time() {
        let a = SubscriptionIds::new(9, now());
        let b = SubscriptionIds::new(9, now());
        assert_eq!(a.subscription_id, b.subscription_id);
        assert_eq!(a.instance_id, b.instance_id);
        assert_eq!(a.account_info, b.account_info);
        assert!(a.account_info.site_id.is_some());
        assert_ne!(a.account_info, SubscriptionIds::new(10, now()).account_info);
    }
}
