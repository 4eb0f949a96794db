//! Probing a receiver: deliveries each correct in every way but one flaw, what the provider
//! expects a receiver to answer to each, and how an answer is graded. Every forged case carries
//! a valid signature of what it changes (a stale timestamp is signed for that stale timestamp; a
//! tampered body keeps the original's valid signature), so each result names exactly one
//! behaviour of the receiver. Pure: the deliveries are built here and sent by the caller.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::domain::catalogue::DeliveryRules;
use crate::domain::catalogue::Provider;
use crate::domain::duration;
use crate::domain::request::WebhookRequest;
use crate::domain::signature::template::Placeholder;
use crate::domain::signature::{beedeez, cativa, github, hmac_sha256, standard, stripe, wix};

/// The verification a receiver does, which decides the cases that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeScheme {
    Cativa,
    Stripe,
    Standard,
    Github,
    Wix,
    Beedeez,
    /// A provider pack's `hmac` scheme, signed as its templates say.
    Pack(&'static Provider),
}

impl ProbeScheme {
    pub const HMAC: [ProbeScheme; 4] = [
        ProbeScheme::Cativa,
        ProbeScheme::Stripe,
        ProbeScheme::Standard,
        ProbeScheme::Github,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ProbeScheme::Cativa => "cativa",
            ProbeScheme::Stripe => "stripe",
            ProbeScheme::Standard => "standard",
            ProbeScheme::Github => "github",
            ProbeScheme::Wix => "wix",
            ProbeScheme::Beedeez => "beedeez",
            ProbeScheme::Pack(provider) => provider.id,
        }
    }

    fn family(self) -> Family {
        match self {
            ProbeScheme::Pack(provider) => match provider.hmac() {
                Some(hmac) if hmac.signed.uses(Placeholder::Timestamp) => Family::Timed,
                _ => Family::Untimed,
            },
            ProbeScheme::Cativa | ProbeScheme::Stripe | ProbeScheme::Standard => Family::Timed,
            ProbeScheme::Github => Family::Untimed,
            ProbeScheme::Wix => Family::Jwt,
            ProbeScheme::Beedeez => Family::Credential,
        }
    }
}

/// Cases apply by family: HMAC with a signed timestamp, HMAC without one, JWT, credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Timed,
    Untimed,
    Jwt,
    Credential,
}

/// What the provider expects of a receiver given a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A genuine delivery: accepted by the provider's success rule within its timeout.
    Accept,
    /// A forged or invalid delivery: rejected with a 4xx.
    Reject,
    /// The same delivery again: accepted (deduplicated) or rejected, never an error.
    Either,
}

impl Expect {
    pub fn label(self) -> &'static str {
        match self {
            Expect::Accept => "accepted",
            Expect::Reject => "4xx",
            Expect::Either => "2xx or 4xx",
        }
    }
}

/// One probe case: a stable name, what it checks, and what it means when a receiver gets it
/// wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Case {
    pub name: &'static str,
    pub expect: Expect,
    /// What the delivery is, in a few words.
    pub sent: &'static str,
    /// Why it matters: what an attacker can do, or what is lost, when the receiver errs.
    pub risk: &'static str,
    families: &'static [Family],
}

use Family::{Credential, Jwt, Timed, Untimed};

const HMAC: &[Family] = &[Timed, Untimed];

/// Every case, in the order they are sent.
pub const CASES: &[Case] = &[
    Case {
        name: "valid",
        expect: Expect::Accept,
        sent: "a genuine delivery",
        risk: "genuine deliveries are refused: the provider retries them and then gives up",
        families: &[Timed, Untimed, Jwt, Credential],
    },
    Case {
        name: "unsigned",
        expect: Expect::Reject,
        sent: "no signature header",
        risk: "accepts an unsigned request: anyone who knows the URL can forge events",
        families: HMAC,
    },
    Case {
        name: "empty-signature",
        expect: Expect::Reject,
        sent: "an empty signature header",
        risk: "accepts an empty signature: anyone who knows the URL can forge events",
        families: HMAC,
    },
    Case {
        name: "malformed-signature",
        expect: Expect::Reject,
        sent: "a signature header that does not parse",
        risk: "accepts a malformed signature: its check can be skipped by a header that does not parse",
        families: HMAC,
    },
    Case {
        name: "wrong-secret",
        expect: Expect::Reject,
        sent: "signed with another secret",
        risk: "accepts a signature made with another secret: the signature is not checked",
        families: HMAC,
    },
    Case {
        name: "tampered-body",
        expect: Expect::Reject,
        sent: "one body byte changed after signing",
        risk: "accepts a body changed after signing: an attacker can alter a genuine event",
        families: HMAC,
    },
    Case {
        name: "reserialized-body",
        expect: Expect::Reject,
        sent: "the body pretty-printed after signing",
        risk: "verifies a re-serialized body, not the bytes received: genuine deliveries fail whenever the framework writes JSON differently (numbers, escapes, key order)",
        families: HMAC,
    },
    Case {
        name: "stale-timestamp",
        expect: Expect::Reject,
        sent: "signed 1 s beyond the tolerance ago",
        risk: "accepts a stale timestamp: a captured delivery can be replayed after the tolerance",
        families: &[Timed],
    },
    Case {
        name: "very-stale-timestamp",
        expect: Expect::Reject,
        sent: "signed in 2001",
        risk: "accepts a timestamp from 2001: a captured delivery can be replayed forever",
        families: &[Timed],
    },
    Case {
        name: "future-timestamp",
        expect: Expect::Reject,
        sent: "signed 2 s beyond the tolerance ahead",
        risk: "accepts a timestamp in the future: a forged delivery can be prepared to replay later",
        families: &[Timed],
    },
    Case {
        name: "timestamp-mismatch",
        expect: Expect::Reject,
        sent: "signed for another timestamp than the one sent",
        risk: "does not sign the timestamp it checks: a captured delivery can be replayed with a fresh timestamp",
        families: &[Timed],
    },
    Case {
        name: "replayed-delivery",
        expect: Expect::Either,
        sent: "the valid delivery again, byte for byte",
        risk: "a replay inside the tolerance must not be processed twice",
        families: &[Timed, Untimed],
    },
    Case {
        name: "retry-same-id",
        expect: Expect::Accept,
        sent: "a retry of the valid event: same id and body, signed afresh",
        risk: "refuses a retry of an event already received: if the first answer was lost, the provider gives up on it",
        families: &[Timed],
    },
    Case {
        name: "rotated-keys",
        expect: Expect::Accept,
        sent: "two signatures, one of them valid (secret rotation)",
        risk: "refuses a delivery carrying a valid signature beside another: deliveries fail while secrets rotate",
        families: &[Timed],
    },
    Case {
        name: "jwt-other-key",
        expect: Expect::Reject,
        sent: "a JWT signed with another RSA key",
        risk: "accepts a JWT signed with another key: anyone can forge events",
        families: &[Jwt],
    },
    Case {
        name: "jwt-alg-none",
        expect: Expect::Reject,
        sent: "a JWT with `alg: none` and no signature",
        risk: "accepts `alg: none`: anyone can forge events without a key",
        families: &[Jwt],
    },
    Case {
        name: "jwt-hs256-public-key",
        expect: Expect::Reject,
        sent: "a JWT signed HS256 with the public key as the secret",
        risk: "accepts HS256 keyed with the public key (algorithm confusion): anyone holding the public key can forge events",
        families: &[Jwt],
    },
    Case {
        name: "jwt-expired",
        expect: Expect::Reject,
        sent: "a JWT that expired an hour ago",
        risk: "accepts an expired JWT: a captured delivery can be replayed forever",
        families: &[Jwt],
    },
    Case {
        name: "jwt-tampered",
        expect: Expect::Reject,
        sent: "a JWT whose payload changed after signing",
        risk: "accepts a JWT changed after signing: an attacker can alter a genuine event",
        families: &[Jwt],
    },
    Case {
        name: "missing-credential",
        expect: Expect::Reject,
        sent: "no credential",
        risk: "accepts a request without its credential: anyone who knows the URL can forge events",
        families: &[Credential],
    },
    Case {
        name: "wrong-credential",
        expect: Expect::Reject,
        sent: "another credential",
        risk: "accepts a wrong credential: the credential is not checked",
        families: &[Credential],
    },
    Case {
        name: "wrong-credential-scheme",
        expect: Expect::Reject,
        sent: "the right credential under another authentication scheme",
        risk: "accepts the credential under another scheme: it matches more than the configured header",
        families: &[Credential],
    },
    Case {
        name: "missing-source-header",
        expect: Expect::Reject,
        sent: "no X-Webhook-Source header",
        risk: "accepts a request without `X-Webhook-Source: beedeez`: requests from elsewhere pass as Beedeez's",
        families: &[Credential],
    },
];

/// Whether `case` can be sent with these delivery headers: `missing-source-header` needs the
/// provider to send the source header in the first place.
pub fn applies_to_headers(case: &Case, headers: &[(String, String)]) -> bool {
    case.name != "missing-source-header"
        || headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(beedeez::SOURCE_HEADER))
}

/// The cases that apply to `scheme`; credential cases need a credential to tamper with.
pub fn cases_for(scheme: ProbeScheme, has_credential: bool) -> Vec<&'static Case> {
    let family = scheme.family();
    CASES
        .iter()
        .filter(|case| case.families.contains(&family))
        .filter(|case| {
            has_credential
                || !matches!(
                    case.name,
                    "missing-credential" | "wrong-credential" | "wrong-credential-scheme"
                )
        })
        .collect()
}

/// A `--case` or `--skip` name that names no case of this run, with the closest one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCase {
    pub name: String,
    pub closest: &'static str,
}

/// The cases `only` (all when empty) leaves, less those in `skip`, in the order they are sent.
pub fn select(
    cases: Vec<&'static Case>,
    only: &[String],
    skip: &[String],
) -> Result<Vec<&'static Case>, UnknownCase> {
    if let Some(name) = only
        .iter()
        .chain(skip)
        .find(|name| !cases.iter().any(|case| case.name == name.as_str()))
    {
        let closest = cases
            .iter()
            .map(|case| case.name)
            .min_by_key(|known| strsim::levenshtein(known, name))
            .unwrap_or("valid");
        return Err(UnknownCase {
            name: name.clone(),
            closest,
        });
    }
    Ok(cases
        .into_iter()
        .filter(|case| only.is_empty() || only.iter().any(|name| name == case.name))
        .filter(|case| !skip.iter().any(|name| name == case.name))
        .collect())
}

/// The case named `name`, if any.
pub fn case_named(name: &str) -> Option<&'static Case> {
    CASES.iter().find(|case| case.name == name)
}

/// How deliveries are authenticated, for building every case.
pub enum Signing<'a> {
    Hmac {
        scheme: ProbeScheme,
        secret: &'a str,
        /// Another secret, for the cases that need a wrong one.
        other_secret: &'a str,
    },
    Jwt {
        key: &'a wix::SigningKey,
        other_key: &'a wix::SigningKey,
        /// The receiver's public key in PEM, used as an HMAC secret by the confusion case;
        /// `None` skips that case.
        public_key_pem: Option<&'a [u8]>,
        event_type: &'a str,
        instance_id: &'a str,
        identity: &'a Value,
        account_info: &'a wix::AccountInfo,
    },
    Credential {
        credential: &'a beedeez::Credential,
    },
}

/// What is probed with: the event document, its id, the headers every delivery carries, the
/// time, and the tolerance.
pub struct Delivery<'a> {
    pub document: &'a [u8],
    pub event_id: &'a str,
    /// Headers besides authentication (Content-Type, Cativa's automation id).
    pub headers: &'a [(String, String)],
    pub now: i64,
    pub tolerance: Duration,
    pub signing: Signing<'a>,
}

/// The request of `case`, or `None` when the case cannot be built for this delivery.
pub fn build(case: &Case, delivery: &Delivery<'_>) -> Option<WebhookRequest> {
    let tolerance = i64::try_from(delivery.tolerance.as_secs()).unwrap_or(i64::MAX / 4);
    let now = delivery.now;
    let document = delivery.document;
    let (headers, body) = match &delivery.signing {
        Signing::Hmac {
            scheme,
            secret,
            other_secret,
        } => {
            let hmac = Hmac {
                scheme: *scheme,
                id: delivery.event_id,
            };
            let sign = |secret: &str, at: i64, body: &[u8]| hmac.signature(secret, at, body);
            let valid = || hmac.headers(now, Some(vec![sign(secret, now, document)]));
            match case.name {
                "valid" | "replayed-delivery" => (valid(), document.to_vec()),
                "unsigned" => (hmac.headers(now, None), document.to_vec()),
                "empty-signature" => (hmac.headers(now, Some(Vec::new())), document.to_vec()),
                "malformed-signature" => (
                    hmac.headers(now, Some(vec![hmac.malformed()])),
                    document.to_vec(),
                ),
                "wrong-secret" => (
                    hmac.headers(now, Some(vec![sign(other_secret, now, document)])),
                    document.to_vec(),
                ),
                "tampered-body" => (valid(), tampered(document)),
                "reserialized-body" => (valid(), pretty(document)?),
                "stale-timestamp" => hmac.signed_at(secret, now - tolerance - 1, document),
                "very-stale-timestamp" => hmac.signed_at(secret, YEAR_2001, document),
                // 2 s, not 1: the receiver reads its clock a moment after this one, and a
                // second may tick in between; 1 s past would then be exactly the tolerance.
                "future-timestamp" => hmac.signed_at(secret, now + tolerance + 2, document),
                "timestamp-mismatch" => (
                    hmac.headers(now, Some(vec![sign(secret, now - 1, document)])),
                    document.to_vec(),
                ),
                "retry-same-id" => hmac.signed_at(secret, now + 1, document),
                // Another event than the valid one, so that a receiver refusing events it has
                // seen is graded by retry-same-id alone.
                "rotated-keys" => {
                    let id = another_id(delivery.event_id);
                    let hmac = Hmac {
                        scheme: *scheme,
                        id: &id,
                    };
                    (
                        hmac.headers(
                            now,
                            Some(vec![
                                hmac.signature(other_secret, now, document),
                                hmac.signature(secret, now, document),
                            ]),
                        ),
                        document.to_vec(),
                    )
                }
                _ => return None,
            }
        }
        Signing::Jwt {
            key,
            other_key,
            public_key_pem,
            event_type,
            instance_id,
            identity,
            account_info,
        } => {
            let text = std::str::from_utf8(document).ok()?;
            let token = |key: &wix::SigningKey, at: i64| {
                wix::sign(
                    key,
                    event_type,
                    instance_id,
                    identity,
                    account_info,
                    text,
                    at,
                )
            };
            let body = match case.name {
                "valid" => token(key, now),
                "jwt-other-key" => token(other_key, now),
                "jwt-alg-none" => unsigned_token(&token(key, now))?,
                "jwt-hs256-public-key" => hs256_token(&token(key, now), public_key_pem.as_ref()?)?,
                "jwt-expired" => token(key, now - 3600),
                "jwt-tampered" => tampered_token(&token(key, now))?,
                _ => return None,
            };
            (Vec::new(), body.into_bytes())
        }
        // The source header, where the provider sends one, is among the delivery's headers.
        Signing::Credential { credential } => {
            let presented = match case.name {
                "valid" | "missing-source-header" => credential.header(),
                "missing-credential" => None,
                "wrong-credential" => Some(wrong_credential(credential)?),
                "wrong-credential-scheme" => Some(other_scheme(credential)?),
                _ => return None,
            };
            (presented.into_iter().collect(), document.to_vec())
        }
    };
    let mut all = delivery.headers.to_vec();
    if case.name == "missing-source-header" {
        let before = all.len();
        all.retain(|(name, _)| !name.eq_ignore_ascii_case(beedeez::SOURCE_HEADER));
        if all.len() == before {
            return None;
        }
    }
    all.extend(headers);
    Some(WebhookRequest {
        method: "POST".to_string(),
        headers: all,
        body,
    })
}

/// 2001-01-01T00:00:00Z: far outside any tolerance, yet a plausible-looking timestamp.
const YEAR_2001: i64 = 978_307_200;

/// How one HMAC scheme carries its signatures.
struct Hmac<'a> {
    scheme: ProbeScheme,
    id: &'a str,
}

impl Hmac<'_> {
    /// The signature of `body` at `at`, as the scheme writes one entry.
    fn signature(&self, secret: &str, at: i64, body: &[u8]) -> String {
        match self.scheme {
            ProbeScheme::Pack(provider) => {
                let hmac = provider.hmac().expect("pack probe schemes sign with hmac");
                // A secret the scheme cannot use still needs a signature-shaped entry.
                let key = hmac
                    .key_of(secret)
                    .unwrap_or_else(|_| secret.as_bytes().to_vec());
                hmac.signature(&key, at, self.id, body)
            }
            ProbeScheme::Standard => match standard::decode_secret(secret) {
                Ok(key) => standard::sign(&key, self.id, &at.to_string(), body),
                // A secret the scheme cannot use still needs a signature-shaped entry.
                Err(_) => standard::sign(secret.as_bytes(), self.id, &at.to_string(), body),
            },
            ProbeScheme::Github => github::signature_header(secret, body),
            _ => format!("v1={}", cativa::sign(secret, at, body)),
        }
    }

    fn malformed(&self) -> String {
        match self.scheme {
            ProbeScheme::Pack(_) => "!not-a-signature!".to_string(),
            ProbeScheme::Standard => "v1,not base64!".to_string(),
            ProbeScheme::Github => "sha256=not-hex".to_string(),
            _ => "t=,v1=zz".to_string(),
        }
    }

    /// The authentication headers for `signatures` sent at `at`; `None` leaves the signature
    /// header out, an empty list sends it empty.
    fn headers(&self, at: i64, signatures: Option<Vec<String>>) -> Vec<(String, String)> {
        if let ProbeScheme::Pack(provider) = self.scheme {
            let hmac = provider.hmac().expect("pack probe schemes sign with hmac");
            return hmac.headers_carrying(at, self.id, signatures.as_deref());
        }
        let mut headers = Vec::new();
        let (name, value) = match self.scheme {
            ProbeScheme::Standard => {
                headers.push((standard::ID_HEADER.to_string(), self.id.to_string()));
                headers.push((standard::TIMESTAMP_HEADER.to_string(), at.to_string()));
                (
                    standard::SIGNATURE_HEADER,
                    signatures.map(|all| all.join(" ")),
                )
            }
            ProbeScheme::Github => (
                github::SIGNATURE_HEADER,
                signatures.map(|all| all.join(",")),
            ),
            scheme => {
                let name = if scheme == ProbeScheme::Stripe {
                    stripe::SIGNATURE_HEADER
                } else {
                    cativa::SIGNATURE_HEADER
                };
                let value = signatures.map(|all| match all.as_slice() {
                    [] => String::new(),
                    [only] if !only.starts_with("v1=") => only.clone(),
                    all => format!("t={at},{}", all.join(",")),
                });
                (name, value)
            }
        };
        if let Some(value) = value {
            headers.push((name.to_string(), value));
        }
        if self.scheme == ProbeScheme::Cativa {
            headers.push((cativa::EXECUTION_ID_HEADER.to_string(), self.id.to_string()));
        }
        headers
    }

    fn signed_at(&self, secret: &str, at: i64, body: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
        (
            self.headers(at, Some(vec![self.signature(secret, at, body)])),
            body.to_vec(),
        )
    }
}

/// An event id other than `id`, of the same length: its last character swapped.
fn another_id(id: &str) -> String {
    match id.chars().last() {
        Some(last) => {
            let swapped = if last == '0' { '1' } else { '0' };
            format!("{}{swapped}", &id[..id.len() - last.len_utf8()])
        }
        None => "0".to_string(),
    }
}

/// The body with one byte changed, inside a string value where there is one (never a key, so
/// that a receiver reading its fields still finds them all), so that it is still JSON and only
/// the signature can tell. A value inside a JSON string (`:\"`) counts, for the JWT payload
/// whose data claim is JSON text.
fn tampered(body: &[u8]) -> Vec<u8> {
    let mut changed = body.to_vec();
    let value_start = |at: usize| match &body[at..] {
        [b':', b'"', next, ..] if next.is_ascii_alphanumeric() => Some(at + 2),
        [b':', b'\\', b'"', next, ..] if next.is_ascii_alphanumeric() => Some(at + 3),
        _ => None,
    };
    let at = (0..body.len())
        .find_map(value_start)
        .unwrap_or(body.len().saturating_sub(1));
    if let Some(byte) = changed.get_mut(at) {
        *byte = if *byte == b'x' { b'y' } else { b'x' };
    } else {
        changed.push(b' ');
    }
    changed
}

/// The body pretty-printed with its keys in order: what a framework that parses and writes
/// JSON again would verify; `None` when the body is not JSON.
fn pretty(body: &[u8]) -> Option<Vec<u8>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let pretty = serde_json::to_vec_pretty(&value).ok()?;
    (pretty != body).then_some(pretty)
}

fn token_parts(token: &str) -> Option<(&str, &str, &str)> {
    let mut parts = token.splitn(3, '.');
    Some((parts.next()?, parts.next()?, parts.next()?))
}

/// The token's payload under `{"alg":"none"}`, with no signature.
fn unsigned_token(token: &str) -> Option<String> {
    let (_, payload, _) = token_parts(token)?;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    Some(format!("{header}.{payload}."))
}

/// The token's payload under `{"alg":"HS256"}`, signed with the public key's PEM text as the
/// HMAC secret: the algorithm-confusion attack.
fn hs256_token(token: &str, public_key_pem: &[u8]) -> Option<String> {
    let (_, payload, _) = token_parts(token)?;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let signed = format!("{header}.{payload}");
    let signature = hmac_sha256::digest(public_key_pem, &[signed.as_bytes()]);
    Some(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The token with one payload character changed and its signature kept.
fn tampered_token(token: &str) -> Option<String> {
    let (header, payload, signature) = token_parts(token)?;
    let decoded = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let changed = URL_SAFE_NO_PAD.encode(tampered(&decoded));
    Some(format!("{header}.{changed}.{signature}"))
}

fn wrong_credential(credential: &beedeez::Credential) -> Option<(String, String)> {
    let (name, value) = credential.header()?;
    let last = value.chars().last()?;
    let swapped = if last == '0' { '1' } else { '0' };
    Some((
        name,
        format!("{}{swapped}", &value[..value.len() - last.len_utf8()]),
    ))
}

/// The same secret under another scheme: a bearer token as an API key, anything else as a
/// bearer token.
fn other_scheme(credential: &beedeez::Credential) -> Option<(String, String)> {
    match credential {
        beedeez::Credential::None => None,
        beedeez::Credential::Bearer(token) => Some((
            beedeez::DEFAULT_API_KEY_HEADER.to_string(),
            token.expose().to_string(),
        )),
        beedeez::Credential::Basic(secret) | beedeez::Credential::ApiKey { key: secret, .. } => {
            Some((
                "Authorization".to_string(),
                format!("Bearer {}", secret.expose()),
            ))
        }
    }
}

/// What the receiver did with one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    /// No answer: a connection error, or no answer within the provider's timeout.
    None(String),
}

/// A case's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    Pass,
    Warn,
    Fail,
}

impl Grade {
    pub fn id(self) -> &'static str {
        match self {
            Grade::Pass => "pass",
            Grade::Warn => "warn",
            Grade::Fail => "fail",
        }
    }
}

/// A grade and the one line that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graded {
    pub grade: Grade,
    pub why: String,
}

/// Grades `answer` to `case` by the provider's `rules` (its name given for the messages).
pub fn grade(case: &Case, answer: &Answer, rules: &DeliveryRules, provider: &str) -> Graded {
    let timeout = duration::format(rules.attempt_timeout.value);
    let graded = |grade, why: String| Graded { grade, why };
    let status = match answer {
        Answer::Status(status) => *status,
        Answer::None(error) => {
            return graded(
                Grade::Fail,
                format!(
                    "no answer within {provider}'s {timeout} timeout ({error}): {provider} counts it as a failed delivery"
                ),
            );
        }
    };
    let retried = || {
        let permanent = &rules.permanent_statuses.value;
        if permanent.is_empty() {
            format!("{provider} retries every failure")
        } else {
            let listed: Vec<String> = permanent.iter().map(u16::to_string).collect();
            format!(
                "{provider} treats only {} as permanent and retries the rest {} times",
                listed.join("/"),
                rules.retry_delays.value.len()
            )
        }
    };
    match case.expect {
        Expect::Accept if rules.success.value.accepts(status) => {
            graded(Grade::Pass, format!("accepted with {status}"))
        }
        Expect::Accept => graded(
            Grade::Fail,
            format!(
                "answered {status}, which {provider} does not count as success ({}): {}",
                rules.success.value.label(),
                case.risk
            ),
        ),
        Expect::Reject | Expect::Either if (400..500).contains(&status) => {
            graded(Grade::Pass, format!("rejected with {status}"))
        }
        Expect::Either if (200..300).contains(&status) => graded(
            Grade::Pass,
            format!(
                "accepted with {status}: make sure a replay is processed once (deduplicate on the event id)"
            ),
        ),
        Expect::Reject if (200..300).contains(&status) => {
            graded(Grade::Fail, case.risk.to_string())
        }
        Expect::Reject | Expect::Either if (500..600).contains(&status) => graded(
            Grade::Warn,
            format!(
                "rejected with a server error ({status}): {}, so what should fail for good is delivered again; answer 4xx",
                retried()
            ),
        ),
        Expect::Reject | Expect::Either => graded(
            Grade::Warn,
            format!("answered {status}, neither accepted nor rejected: answer 4xx"),
        ),
    }
}

/// One case as it went: what was sent, what came back, and its grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub case: &'static Case,
    pub answer: Answer,
    pub latency_ms: f64,
    pub graded: Graded,
}

/// A whole probe run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub event: &'static str,
    pub provider: &'static str,
    pub scheme: ProbeScheme,
    pub target: String,
    pub outcomes: Vec<Outcome>,
    /// Warnings count as failures.
    pub strict: bool,
}

impl Report {
    pub fn count(&self, grade: Grade) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| outcome.graded.grade == grade)
            .count()
    }

    /// Whether `outcome` fails the run: a failure, or under `--strict` a warning.
    pub fn fails(&self, outcome: &Outcome) -> bool {
        match outcome.graded.grade {
            Grade::Fail => true,
            Grade::Warn => self.strict,
            Grade::Pass => false,
        }
    }

    pub fn passed(&self) -> bool {
        !self.outcomes.iter().any(|outcome| self.fails(outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::secret::Secret;
    use crate::domain::signature::cativa;

    const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const BODY: &[u8] = br#"{"UserId":"u1","Email":"a@b.c"}"#;
    const NOW: i64 = 1_700_000_000;

    fn delivery(scheme: ProbeScheme) -> Delivery<'static> {
        Delivery {
            document: BODY,
            event_id: "01HEVENT",
            headers: &[],
            now: NOW,
            tolerance: Duration::from_secs(300),
            signing: Signing::Hmac {
                scheme,
                secret: SECRET,
                other_secret: "whsec_other",
            },
        }
    }

    fn request(name: &str, scheme: ProbeScheme) -> WebhookRequest {
        build(case_named(name).unwrap(), &delivery(scheme)).unwrap()
    }

    fn cativa_header(request: &WebhookRequest) -> cativa::SignatureHeader {
        cativa::parse_header(request.header(cativa::SIGNATURE_HEADER).unwrap()).unwrap()
    }

    #[test]
    fn each_case_changes_one_thing_and_signs_what_it_sends() {
        let valid = request("valid", ProbeScheme::Cativa);
        let header = cativa_header(&valid);
        assert_eq!(header.timestamp, NOW);
        assert!(cativa::matches(SECRET, &header, &valid.body));
        assert_eq!(valid.header(cativa::EXECUTION_ID_HEADER), Some("01HEVENT"));

        let stale = request("stale-timestamp", ProbeScheme::Cativa);
        let header = cativa_header(&stale);
        assert_eq!(header.timestamp, NOW - 301);
        assert!(
            cativa::matches(SECRET, &header, &stale.body),
            "signed for its own stale time"
        );

        let tampered = request("tampered-body", ProbeScheme::Cativa);
        assert_eq!(tampered.headers, valid.headers);
        assert_eq!(tampered.body.len(), valid.body.len());
        assert_eq!(
            tampered
                .body
                .iter()
                .zip(&valid.body)
                .filter(|(a, b)| a != b)
                .count(),
            1
        );
        assert!(serde_json::from_slice::<Value>(&tampered.body).is_ok());

        let mismatch = request("timestamp-mismatch", ProbeScheme::Cativa);
        let header = cativa_header(&mismatch);
        assert_eq!(header.timestamp, NOW);
        assert!(!cativa::matches(SECRET, &header, &mismatch.body));

        let rotated = request("rotated-keys", ProbeScheme::Cativa);
        let header = cativa_header(&rotated);
        assert_eq!(header.v1.len(), 2);
        assert!(cativa::matches(SECRET, &header, &rotated.body));

        assert_eq!(
            request("unsigned", ProbeScheme::Cativa).header(cativa::SIGNATURE_HEADER),
            None
        );
        assert_eq!(request("replayed-delivery", ProbeScheme::Cativa), valid);
    }

    #[test]
    fn tampering_changes_a_value_never_a_key() {
        let original: Value = serde_json::from_slice(BODY).unwrap();
        let changed: Value = serde_json::from_slice(&tampered(BODY)).unwrap();
        let keys = |value: &Value| {
            value
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&changed), keys(&original));
        assert_eq!(changed["UserId"], "x1");
        // Inside JSON text carried as a string, as a Wix JWT payload's data claim.
        let nested = br#"{"data":"{\"id\":\"abc\"}","iat":1}"#;
        let changed: Value = serde_json::from_slice(&tampered(nested)).unwrap();
        assert_eq!(changed["data"], r#"{"id":"xbc"}"#);
    }

    #[test]
    fn only_retry_same_id_repeats_the_valid_event_id_with_a_fresh_signature() {
        let id = |name: &str| {
            request(name, ProbeScheme::Cativa)
                .header(cativa::EXECUTION_ID_HEADER)
                .map(str::to_string)
        };
        assert_eq!(id("retry-same-id").as_deref(), Some("01HEVENT"));
        assert_eq!(id("rotated-keys").as_deref(), Some("01HEVEN0"));
        let rotated = build(
            case_named("rotated-keys").unwrap(),
            &Delivery {
                signing: Signing::Hmac {
                    scheme: ProbeScheme::Standard,
                    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    other_secret: "whsec_b3RoZXI=",
                },
                ..delivery(ProbeScheme::Standard)
            },
        )
        .unwrap();
        let key = standard::decode_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signatures =
            standard::parse_signatures(rotated.header(standard::SIGNATURE_HEADER).unwrap())
                .unwrap();
        assert_eq!(rotated.header(standard::ID_HEADER), Some("01HEVEN0"));
        assert!(standard::matches(
            &key,
            "01HEVEN0",
            &NOW.to_string(),
            &signatures,
            BODY
        ));
    }

    #[test]
    fn standard_webhooks_and_github_sign_their_own_way() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let standard = build(
            case_named("valid").unwrap(),
            &Delivery {
                signing: Signing::Hmac {
                    scheme: ProbeScheme::Standard,
                    secret,
                    other_secret: "whsec_b3RoZXI=",
                },
                ..delivery(ProbeScheme::Standard)
            },
        )
        .unwrap();
        let key = standard::decode_secret(secret).unwrap();
        let signatures =
            standard::parse_signatures(standard.header(standard::SIGNATURE_HEADER).unwrap())
                .unwrap();
        assert!(standard::matches(
            &key,
            "01HEVENT",
            &NOW.to_string(),
            &signatures,
            BODY
        ));
        let github = request("valid", ProbeScheme::Github);
        assert_eq!(
            github.header(github::SIGNATURE_HEADER),
            Some(github::signature_header(SECRET, BODY).as_str())
        );
        assert!(
            cases_for(ProbeScheme::Github, false)
                .iter()
                .all(|case| case.name != "stale-timestamp")
        );
    }

    #[test]
    fn cases_are_chosen_by_name_in_sending_order() {
        let all = || cases_for(ProbeScheme::Cativa, false);
        let names = |cases: Vec<&Case>| cases.iter().map(|case| case.name).collect::<Vec<_>>();
        let only = ["unsigned".to_string(), "valid".to_string()];
        assert_eq!(
            names(select(all(), &only, &[]).unwrap()),
            ["valid", "unsigned"]
        );
        let skipped = select(all(), &[], &["valid".to_string()]).unwrap();
        assert_eq!(skipped.len(), all().len() - 1);
        let unknown = select(all(), &["unsinged".to_string()], &[]).unwrap_err();
        assert_eq!(unknown.closest, "unsigned");
        assert!(select(all(), &["jwt-alg-none".to_string()], &[]).is_err());
    }

    #[test]
    fn grades_follow_the_providers_rules() {
        let rules = crate::domain::catalogue::provider("cativa")
            .unwrap()
            .rules();
        let unsigned = case_named("unsigned").unwrap();
        let grade_of = |case, answer| grade(case, &answer, rules, "Cativa").grade;
        assert_eq!(grade_of(unsigned, Answer::Status(401)), Grade::Pass);
        assert_eq!(grade_of(unsigned, Answer::Status(200)), Grade::Fail);
        assert_eq!(grade_of(unsigned, Answer::Status(500)), Grade::Warn);
        let valid = case_named("valid").unwrap();
        assert_eq!(grade_of(valid, Answer::Status(204)), Grade::Pass);
        assert_eq!(
            grade_of(valid, Answer::None("timed out".into())),
            Grade::Fail
        );
        let replay = case_named("replayed-delivery").unwrap();
        assert_eq!(grade_of(replay, Answer::Status(200)), Grade::Pass);
        assert_eq!(grade_of(replay, Answer::Status(409)), Grade::Pass);
        let wix = crate::domain::catalogue::provider("wix").unwrap().rules();
        assert_eq!(
            grade(valid, &Answer::Status(201), wix, "Wix").grade,
            Grade::Fail
        );
        let why = grade(unsigned, &Answer::Status(500), rules, "Cativa").why;
        assert!(why.contains("400/401/403/404/410"), "{why}");
    }

    #[test]
    fn jwt_forgeries_keep_the_payload_and_break_only_the_signature() {
        let key = wix::SigningKey::development();
        let other = wix::SigningKey::other();
        let identity = serde_json::json!({});
        let account_info = wix::AccountInfo {
            account_id: "a".into(),
            parent_account_id: None,
            site_id: None,
        };
        let jwt = Delivery {
            signing: Signing::Jwt {
                key: &key,
                other_key: &other,
                public_key_pem: Some(wix::DEV_PUBLIC_KEY_PEM.as_bytes()),
                event_type: "wix.badges.v4.badge_created",
                instance_id: "i",
                identity: &identity,
                account_info: &account_info,
            },
            ..delivery(ProbeScheme::Wix)
        };
        let public = wix::VerifyingKey::development();
        let body_of = |name: &str| {
            String::from_utf8(build(case_named(name).unwrap(), &jwt).unwrap().body).unwrap()
        };
        assert!(wix::verify(&public, &body_of("valid")).is_ok());
        for forged in ["jwt-alg-none", "jwt-hs256-public-key", "jwt-tampered"] {
            assert!(wix::verify(&public, &body_of(forged)).is_err(), "{forged}");
        }
        let expired = wix::verify(&public, &body_of("jwt-expired")).unwrap();
        assert!(expired.expires_at.unwrap() < NOW);
    }

    #[test]
    fn credential_cases_break_only_the_credential_or_the_source() {
        let credential = beedeez::Credential::Bearer(Secret::new("tok"));
        let source = [(
            beedeez::SOURCE_HEADER.to_string(),
            beedeez::SOURCE_VALUE.to_string(),
        )];
        let beedeez = Delivery {
            headers: &source,
            signing: Signing::Credential {
                credential: &credential,
            },
            ..delivery(ProbeScheme::Beedeez)
        };
        let request = |name: &str| build(case_named(name).unwrap(), &beedeez).unwrap();
        assert_eq!(request("valid").header("Authorization"), Some("Bearer tok"));
        assert_eq!(request("missing-credential").header("Authorization"), None);
        assert_eq!(
            request("wrong-credential").header("Authorization"),
            Some("Bearer to0")
        );
        assert_eq!(
            request("wrong-credential-scheme").header("X-API-Key"),
            Some("tok")
        );
        assert_eq!(
            request("missing-source-header").header(beedeez::SOURCE_HEADER),
            None
        );
        assert_eq!(
            request("valid").header(beedeez::SOURCE_HEADER),
            Some(beedeez::SOURCE_VALUE)
        );
        assert_eq!(cases_for(ProbeScheme::Beedeez, false).len(), 2);
    }

    #[test]
    fn a_credential_provider_without_a_source_header_is_not_sent_beedeez_s() {
        let credential = beedeez::Credential::Bearer(Secret::new("tok"));
        let other = Delivery {
            signing: Signing::Credential {
                credential: &credential,
            },
            ..delivery(ProbeScheme::Beedeez)
        };
        let valid = build(case_named("valid").unwrap(), &other).unwrap();
        assert_eq!(valid.header(beedeez::SOURCE_HEADER), None);
        let missing = case_named("missing-source-header").unwrap();
        assert!(!applies_to_headers(missing, &[]));
        assert!(build(missing, &other).is_none());
    }
}
