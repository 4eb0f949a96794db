//! A provider's delivery rules as its pack states them: signing scheme, headers, retry curve,
//! success rule, permanent statuses, Retry-After handling and timeouts, each fact with its basis.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::duration;
use crate::domain::pack::{Manifest, Signing};
use crate::domain::signature::hmac_sha256::Algorithm;

/// Where a fact comes from. Only `Documented` and `Example` facts are the provider's word;
/// `Assumed` ones are hooktool's defaults and are labelled as such wherever they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Stated by the provider's documentation.
    Documented,
    /// Shown by the provider's example code or payload, not stated in prose.
    Example,
    /// Not documented anywhere: hooktool's default.
    Assumed,
}

impl Basis {
    pub fn is_assumed(self) -> bool {
        self == Basis::Assumed
    }
}

/// A value together with its basis.
#[derive(Debug, Clone, Copy)]
pub struct Fact<T> {
    pub value: T,
    pub basis: Basis,
}

/// What a receiver must answer for a delivery to count as delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SuccessRule {
    /// Any 2xx status.
    Any2xx,
    /// Exactly 200; Wix treats 201 or 204 as a failure.
    Exactly200,
}

impl SuccessRule {
    pub fn accepts(self, status: u16) -> bool {
        match self {
            SuccessRule::Any2xx => (200..300).contains(&status),
            SuccessRule::Exactly200 => status == 200,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SuccessRule::Any2xx => "any 2xx",
            SuccessRule::Exactly200 => "200 only",
        }
    }
}

/// How a `Retry-After` header on a failed attempt changes the next delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetryAfterRule {
    /// next delay = min(Retry-After, the slot's own delay). Delta-seconds or HTTP-date.
    HonouredCappedAtSlot,
    /// The header is ignored.
    Ignored,
}

impl RetryAfterRule {
    pub fn label(self) -> &'static str {
        match self {
            RetryAfterRule::HonouredCappedAtSlot => "honoured, capped at the slot's delay",
            RetryAfterRule::Ignored => "ignored",
        }
    }

    /// What hooktool reads into the rule where the provider's sentence allows more than one
    /// reading: an interpretation, so always shown as assumed. Cativa's "honoured, capped at
    /// the next backoff window's max" says a longer Retry-After waits no longer than the slot;
    /// that a shorter one shortens the wait is hooktool's reading.
    pub fn interpretation(self) -> Option<Fact<&'static str>> {
        match self {
            RetryAfterRule::HonouredCappedAtSlot => Some(Fact {
                value: "a shorter Retry-After shortens the wait",
                basis: Basis::Assumed,
            }),
            RetryAfterRule::Ignored => None,
        }
    }
}

/// A header a provider sends, and what it carries.
#[derive(Debug, Clone)]
pub struct HeaderFact {
    pub name: String,
    pub meaning: String,
    pub basis: Basis,
}

/// Everything about how a provider delivers an event, apart from the payload.
#[derive(Debug)]
pub struct DeliveryRules {
    /// The signing scheme in words (`HMAC-SHA256 (X-Cativa-Signature)`).
    pub signing: Fact<String>,
    pub content_type: Fact<String>,
    pub headers: Vec<HeaderFact>,
    /// Delay before each retry, measured from the end of the previous failed attempt.
    pub retry_delays: Fact<Vec<Duration>>,
    pub success: Fact<SuccessRule>,
    pub permanent_statuses: Fact<Vec<u16>>,
    pub retry_after: Fact<RetryAfterRule>,
    /// How long one attempt may take before it counts as failed.
    pub attempt_timeout: Fact<Duration>,
    /// Requests the provider keeps in flight at once, where documented; an event waiting for
    /// its next retry holds none.
    pub concurrency: Option<Fact<usize>>,
    /// 3xx answers are failures unless the provider follows redirects.
    pub redirects_followed: Fact<bool>,
}

impl DeliveryRules {
    /// Attempts in all: the first delivery plus one per retry delay.
    pub fn max_attempts(&self) -> usize {
        self.retry_delays.value.len() + 1
    }

    /// The rules a pack states, each fact with the basis the pack gives it.
    pub fn from_manifest(manifest: &Manifest) -> DeliveryRules {
        let delivery = &manifest.delivery;
        let content_type = manifest
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(name, value)| (format!("headers.{name}"), value.clone()))
            .unwrap_or_else(|| {
                (
                    "headers.Content-Type".to_string(),
                    "application/json".to_string(),
                )
            });
        let note = |key: &str| {
            manifest
                .notes
                .iter()
                .find(|(noted, _)| noted == key)
                .map(|(_, text)| text.clone())
        };
        let mut headers = Vec::new();
        let mut header = |name: &str, meaning: String, key: &str| {
            headers.push(HeaderFact {
                name: name.to_string(),
                meaning,
                basis: manifest.basis(key),
            })
        };
        if let Signing::Hmac(hmac) = &manifest.signing {
            header(
                &hmac.header,
                note("signing.header").unwrap_or_else(|| format!("`{}`", hmac.value)),
                "signing.header",
            );
            if let Some(name) = &hmac.timestamp_header {
                header(
                    name,
                    note("signing.timestamp_header")
                        .unwrap_or_else(|| "the signing time, Unix seconds".to_string()),
                    "signing.timestamp_header",
                );
            }
            if let Some(name) = &hmac.id_header {
                header(
                    name,
                    note("signing.id_header")
                        .unwrap_or_else(|| "the event id, stable across retries".to_string()),
                    "signing.id_header",
                );
            }
        }
        for (name, value) in &manifest.headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let key = format!("headers.{name}");
            header(
                name,
                note(&key).unwrap_or_else(|| format!("`{value}`")),
                &key,
            );
        }
        if let Signing::Credential { api_key_header } = &manifest.signing {
            header(
                "Authorization",
                "`Bearer <token>` or `Basic base64(user:pass)`, when the endpoint uses one"
                    .to_string(),
                "signing.scheme",
            );
            header(
                api_key_header,
                "the API key, when the endpoint uses the API-key method".to_string(),
                "signing.api_key_header",
            );
        }
        let fact = |key: &str| manifest.basis(key);
        DeliveryRules {
            signing: Fact {
                value: signing_label(&manifest.signing),
                basis: fact("signing.scheme"),
            },
            content_type: Fact {
                value: content_type.1,
                basis: fact(&content_type.0),
            },
            headers,
            retry_delays: Fact {
                value: delivery.retry.clone(),
                basis: fact("delivery.retry"),
            },
            success: Fact {
                value: delivery.success,
                basis: fact("delivery.success"),
            },
            permanent_statuses: Fact {
                value: delivery.permanent.clone(),
                basis: fact("delivery.permanent"),
            },
            retry_after: Fact {
                value: delivery.retry_after,
                basis: fact("delivery.retry_after"),
            },
            attempt_timeout: Fact {
                value: delivery.timeout,
                basis: fact("delivery.timeout"),
            },
            concurrency: delivery.concurrency.map(|value| Fact {
                value,
                basis: fact("delivery.concurrency"),
            }),
            redirects_followed: Fact {
                value: delivery.redirects,
                basis: fact("delivery.redirects"),
            },
        }
    }
}

/// A signing scheme in words.
fn signing_label(signing: &Signing) -> String {
    match signing {
        Signing::Hmac(hmac) => {
            let algorithm = match hmac.algorithm {
                Algorithm::Sha1 => "SHA1",
                Algorithm::Sha256 => "SHA256",
                Algorithm::Sha512 => "SHA512",
            };
            format!("HMAC-{algorithm} ({})", hmac.header)
        }
        Signing::JwtRs256 => "RS256 JWT body".to_string(),
        Signing::Credential { .. } => "static credential (no signature)".to_string(),
        Signing::None => "none (unsigned)".to_string(),
    }
}

/// A retry curve as people write it, runs of one delay folded: `1m → 10m → 1h → 2h ×3 → 4h ×3`.
pub fn format_curve(delays: &[Duration]) -> String {
    if delays.is_empty() {
        return "no retries".to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < delays.len() {
        let run = delays[index..]
            .iter()
            .take_while(|delay| **delay == delays[index])
            .count();
        let text = duration::format(delays[index]);
        parts.push(if run > 1 {
            format!("{text} ×{run}")
        } else {
            text
        });
        index += run;
    }
    parts.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;

    fn rules_of(id: &str) -> &'static DeliveryRules {
        catalogue::provider(id).unwrap().rules()
    }

    const fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn cativa_curve_is_seven_deliveries_over_about_33_hours() {
        let cativa = rules_of("cativa");
        assert_eq!(cativa.max_attempts(), 7);
        let total: Duration = cativa.retry_delays.value.iter().sum();
        assert_eq!(
            total,
            secs(30 + 5 * 60 + 30 * 60 + 2 * 3600 + 6 * 3600 + 24 * 3600)
        );
        assert_eq!(
            format_curve(&cativa.retry_delays.value),
            "30s → 5m → 30m → 2h → 6h → 24h"
        );
        assert_eq!(cativa.permanent_statuses.value, [400, 401, 403, 404, 410]);
        assert_eq!(
            cativa.retry_after.value,
            RetryAfterRule::HonouredCappedAtSlot
        );
        assert!(cativa.attempt_timeout.basis.is_assumed());
        assert_eq!(cativa.signing.value, "HMAC-SHA256 (X-Cativa-Signature)");
    }

    #[test]
    fn wix_curve_is_thirteen_deliveries_over_about_47_hours() {
        let wix = rules_of("wix");
        assert_eq!(wix.max_attempts(), 13);
        let total: Duration = wix.retry_delays.value.iter().sum();
        assert_eq!(total.as_secs() / 3600, 47);
        assert_eq!(
            format_curve(&wix.retry_delays.value),
            "1m → 10m → 1h → 2h ×3 → 4h ×3 → 8h ×2 → 12h"
        );
        assert!(wix.success.value.accepts(200));
        assert!(!wix.success.value.accepts(201));
        assert_eq!(wix.attempt_timeout.value, Duration::from_millis(1250));
        assert_eq!(wix.content_type.value, "text/plain");
        assert_eq!(wix.content_type.basis, Basis::Example);
    }

    #[test]
    fn shortening_a_slot_by_retry_after_is_an_interpretation() {
        let reading = rules_of("cativa").retry_after.value.interpretation();
        assert!(reading.unwrap().basis.is_assumed());
        let wix = rules_of("wix").retry_after.value.interpretation();
        assert_eq!(wix.map(|f| f.value), None);
    }

    #[test]
    fn beedeez_curve_is_a_hundred_attempts_in_about_ten_minutes() {
        let beedeez = rules_of("beedeez");
        assert_eq!(beedeez.max_attempts(), 100);
        let delays = &beedeez.retry_delays.value;
        assert_eq!(&delays[..4], &[secs(1), secs(2), secs(4), secs(6)]);
        let total: Duration = delays.iter().sum();
        assert_eq!(total, secs(9 * 60 + 43));
        assert!(beedeez.retry_delays.basis.is_assumed());
        assert_eq!(beedeez.concurrency.map(|fact| fact.value), Some(5));
        let api_key = beedeez
            .headers
            .iter()
            .find(|header| header.name == "X-API-Key");
        assert!(api_key.unwrap().basis.is_assumed());
    }
}
