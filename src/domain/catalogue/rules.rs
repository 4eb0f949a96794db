//! Each provider's delivery rules as data: signing scheme, headers, retry curve, success rule,
//! permanent statuses, Retry-After handling and timeouts, each fact tagged with its basis.

use std::time::Duration;

use serde::Serialize;

use crate::domain::duration;

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

const fn doc<T>(value: T) -> Fact<T> {
    Fact {
        value,
        basis: Basis::Documented,
    }
}

const fn example<T>(value: T) -> Fact<T> {
    Fact {
        value,
        basis: Basis::Example,
    }
}

const fn assumed<T>(value: T) -> Fact<T> {
    Fact {
        value,
        basis: Basis::Assumed,
    }
}

/// How a provider authenticates a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigningScheme {
    /// `X-Cativa-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
    CativaHmacSha256,
    /// The body is a JWT signed with RS256 by the app's key pair.
    WixJwtRs256,
    /// No signature: a static credential (none, bearer, basic, API-key header).
    BeedeezCredential,
}

impl SigningScheme {
    pub fn label(self) -> &'static str {
        match self {
            SigningScheme::CativaHmacSha256 => "HMAC-SHA256 (X-Cativa-Signature)",
            SigningScheme::WixJwtRs256 => "RS256 JWT body",
            SigningScheme::BeedeezCredential => "static credential (no signature)",
        }
    }
}

/// What a receiver must answer for a delivery to count as delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            RetryAfterRule::HonouredCappedAtSlot => {
                Some(assumed("a shorter Retry-After shortens the wait"))
            }
            RetryAfterRule::Ignored => None,
        }
    }
}

/// A header a provider sends, and what it carries.
#[derive(Debug, Clone, Copy)]
pub struct HeaderFact {
    pub name: &'static str,
    pub meaning: &'static str,
    pub basis: Basis,
}

/// Everything about how a provider delivers an event, apart from the payload.
#[derive(Debug)]
pub struct DeliveryRules {
    pub signing: Fact<SigningScheme>,
    pub content_type: Fact<&'static str>,
    pub headers: &'static [HeaderFact],
    /// Delay before each retry, measured from the end of the previous failed attempt.
    pub retry_delays: Fact<&'static [Duration]>,
    pub success: Fact<SuccessRule>,
    pub permanent_statuses: Fact<&'static [u16]>,
    pub retry_after: Fact<RetryAfterRule>,
    /// How long one attempt may take before it counts as failed.
    pub attempt_timeout: Fact<Duration>,
    /// Requests the provider keeps in flight at once, where documented; an event waiting for
    /// its next retry holds none.
    pub concurrency: Option<Fact<usize>>,
    /// 3xx answers are failures: providers do not follow redirects.
    pub redirects_followed: Fact<bool>,
}

impl DeliveryRules {
    /// Attempts in all: the first delivery plus one per retry delay.
    pub fn max_attempts(&self) -> usize {
        self.retry_delays.value.len() + 1
    }
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;

pub static CATIVA: DeliveryRules = DeliveryRules {
    signing: doc(SigningScheme::CativaHmacSha256),
    content_type: doc("application/json"),
    headers: &[
        HeaderFact {
            name: "X-Cativa-Signature",
            meaning: "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\">, signed afresh on every attempt",
            basis: Basis::Documented,
        },
        HeaderFact {
            name: "X-Cativa-Execution-Id",
            meaning: "unique per event, stable across retries: the idempotency key",
            basis: Basis::Documented,
        },
        HeaderFact {
            name: "X-Cativa-Automation-Id",
            meaning: "the listener (subscription) id, the same on every delivery",
            basis: Basis::Documented,
        },
    ],
    retry_delays: doc(&[
        secs(30),
        secs(5 * MINUTE),
        secs(30 * MINUTE),
        secs(2 * HOUR),
        secs(6 * HOUR),
        secs(24 * HOUR),
    ]),
    success: doc(SuccessRule::Any2xx),
    permanent_statuses: doc(&[400, 401, 403, 404, 410]),
    retry_after: doc(RetryAfterRule::HonouredCappedAtSlot),
    attempt_timeout: assumed(secs(10)),
    concurrency: None,
    redirects_followed: assumed(false),
};

pub static WIX: DeliveryRules = DeliveryRules {
    signing: doc(SigningScheme::WixJwtRs256),
    content_type: example("text/plain"),
    headers: &[],
    retry_delays: doc(&[
        secs(MINUTE),
        secs(10 * MINUTE),
        secs(HOUR),
        secs(2 * HOUR),
        secs(2 * HOUR),
        secs(2 * HOUR),
        secs(4 * HOUR),
        secs(4 * HOUR),
        secs(4 * HOUR),
        secs(8 * HOUR),
        secs(8 * HOUR),
        secs(12 * HOUR),
    ]),
    success: doc(SuccessRule::Exactly200),
    permanent_statuses: assumed(&[]),
    retry_after: assumed(RetryAfterRule::Ignored),
    attempt_timeout: doc(Duration::from_millis(1250)),
    concurrency: None,
    redirects_followed: assumed(false),
};

const BEEDEEZ_RETRIES: usize = 99;
const BEEDEEZ_MAX_DELAY_SECS: u64 = 6;

/// Delay before retry n (1-based) = min(2^(n-1) s, 6 s): 1 s, 2 s, 4 s, then 6 s.
const fn beedeez_delays() -> [Duration; BEEDEEZ_RETRIES] {
    let mut delays = [Duration::ZERO; BEEDEEZ_RETRIES];
    let mut n = 0;
    while n < BEEDEEZ_RETRIES {
        let exponential = if n < 8 { 1u64 << n } else { u64::MAX };
        let capped = if exponential < BEEDEEZ_MAX_DELAY_SECS {
            exponential
        } else {
            BEEDEEZ_MAX_DELAY_SECS
        };
        delays[n] = secs(capped);
        n += 1;
    }
    delays
}

static BEEDEEZ_DELAYS: [Duration; BEEDEEZ_RETRIES] = beedeez_delays();

pub static BEEDEEZ: DeliveryRules = DeliveryRules {
    signing: doc(SigningScheme::BeedeezCredential),
    content_type: doc("application/json"),
    headers: &[
        HeaderFact {
            name: "X-Webhook-Source",
            meaning: "always `beedeez`",
            basis: Basis::Documented,
        },
        HeaderFact {
            name: "Authorization",
            meaning: "`Bearer <token>` or `Basic base64(user:pass)`, when the endpoint uses one",
            basis: Basis::Documented,
        },
        HeaderFact {
            name: "X-API-Key",
            meaning: "the API key, when the endpoint uses the API-key method (header name assumed)",
            basis: Basis::Assumed,
        },
    ],
    // Documented: up to 100 attempts over about 10 minutes. The exact backoff is assumed.
    retry_delays: assumed(&BEEDEEZ_DELAYS),
    success: doc(SuccessRule::Any2xx),
    permanent_statuses: assumed(&[]),
    retry_after: assumed(RetryAfterRule::Ignored),
    attempt_timeout: doc(secs(5)),
    concurrency: Some(doc(5)),
    redirects_followed: assumed(false),
};

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

    #[test]
    fn cativa_curve_is_seven_deliveries_over_about_33_hours() {
        assert_eq!(CATIVA.max_attempts(), 7);
        let total: Duration = CATIVA.retry_delays.value.iter().sum();
        assert_eq!(
            total,
            secs(30 + 5 * 60 + 30 * 60 + 2 * 3600 + 6 * 3600 + 24 * 3600)
        );
        assert_eq!(
            format_curve(CATIVA.retry_delays.value),
            "30s → 5m → 30m → 2h → 6h → 24h"
        );
    }

    #[test]
    fn wix_curve_is_thirteen_deliveries_over_about_47_hours() {
        assert_eq!(WIX.max_attempts(), 13);
        let total: Duration = WIX.retry_delays.value.iter().sum();
        assert_eq!(total.as_secs() / 3600, 47);
        assert_eq!(
            format_curve(WIX.retry_delays.value),
            "1m → 10m → 1h → 2h ×3 → 4h ×3 → 8h ×2 → 12h"
        );
        assert!(WIX.success.value.accepts(200));
        assert!(!WIX.success.value.accepts(201));
    }

    #[test]
    fn shortening_a_slot_by_retry_after_is_an_interpretation() {
        let reading = CATIVA.retry_after.value.interpretation().unwrap();
        assert!(reading.basis.is_assumed());
        assert_eq!(
            WIX.retry_after.value.interpretation().map(|f| f.value),
            None
        );
    }

    #[test]
    fn beedeez_curve_is_a_hundred_attempts_in_about_ten_minutes() {
        assert_eq!(BEEDEEZ.max_attempts(), 100);
        let delays = BEEDEEZ.retry_delays.value;
        assert_eq!(&delays[..4], &[secs(1), secs(2), secs(4), secs(6)]);
        let total: Duration = delays.iter().sum();
        assert_eq!(total, secs(9 * 60 + 43));
        assert!(BEEDEEZ.retry_delays.basis.is_assumed());
    }
}
