//! Verifying one received request: which scheme it uses, and whether it verifies under the keys
//! given, with the precise reason when it does not. A check that rests on an assumption rather
//! than on the provider's documents is a warning, or with `strict` a failure. Pure: headers and
//! exact body bytes in, a verdict out. Shared by `verify` and `listen`.

use std::sync::Arc;
use std::time::Duration;

use subtle::ConstantTimeEq;

use crate::domain::catalogue::{self, Provider};
use crate::domain::request::find_header;
use crate::domain::secret::Secret;
use crate::domain::signature::template::{HmacSigning, Placeholder};
use crate::domain::signature::{beedeez, cativa, github, standard, stripe, wix};

/// The signature schemes hooktool verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Cativa,
    Stripe,
    Standard,
    Github,
    Wix,
    Beedeez,
    /// A provider pack's `hmac` scheme, read by its templates.
    Pack(&'static Provider),
}

impl Scheme {
    pub const ALL: [Scheme; 6] = [
        Scheme::Cativa,
        Scheme::Stripe,
        Scheme::Standard,
        Scheme::Github,
        Scheme::Wix,
        Scheme::Beedeez,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Scheme::Cativa => "cativa",
            Scheme::Stripe => "stripe",
            Scheme::Standard => "standard",
            Scheme::Github => "github",
            Scheme::Wix => "wix",
            Scheme::Beedeez => "beedeez",
            Scheme::Pack(provider) => provider.id,
        }
    }
}

/// What to verify with.
#[derive(Clone)]
pub struct Keys {
    /// HMAC secrets (any match passes: key rotation), or Beedeez credentials.
    pub secrets: Vec<Secret>,
    /// Wix: the app's public key.
    pub wix_public_key: Option<wix::VerifyingKey>,
    /// Allowed clock difference, both directions; `None` disables the time check.
    pub tolerance: Option<Duration>,
    /// Whether the user chose the tolerance; if not, a pack scheme uses its pack's.
    pub tolerance_given: bool,
    /// Beedeez API-key method's header name.
    pub api_key_header: String,
    /// Whether a broken assumption fails the request (`--strict`) rather than warn.
    pub strict: bool,
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            secrets: Vec::new(),
            wix_public_key: None,
            tolerance: Some(Duration::from_secs(300)),
            tolerance_given: false,
            api_key_header: beedeez::DEFAULT_API_KEY_HEADER.to_string(),
            strict: false,
        }
    }
}

/// Why a request did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The scheme could not be told from the headers.
    UnknownScheme,
    HeaderMissing {
        header: String,
    },
    HeaderMalformed {
        header: String,
        problem: String,
    },
    NoV1Signature,
    /// `age` seconds old, past the tolerance of `tolerance` seconds.
    TooOld {
        age: i64,
        tolerance: i64,
    },
    /// `ahead` seconds in the future, past the tolerance of `tolerance` seconds.
    TooNew {
        ahead: i64,
        tolerance: i64,
    },
    SignatureMismatch,
    /// A mismatch where the signature does match another form of the same JSON body: the body
    /// was re-serialized (or its trailing newline changed) between signing and verifying.
    Reserialized {
        form: BodyForm,
    },
    /// Wix: the JWT does not verify with the key, or its layers do not decode.
    TokenInvalid {
        problem: String,
    },
    /// Beedeez: the credential does not match.
    CredentialMismatch,
    /// No key to verify with was given.
    NoKey,
    /// Keys were given, but none has the shape the scheme needs.
    SecretUnusable {
        problem: String,
    },
    /// The capture holds no body to verify (cut short, or too large to keep).
    BodyNotCaptured {
        reason: String,
    },
    /// A check that rests on hooktool's assumption, not on the provider's documents: a warning,
    /// or under `--strict` the failure. `problem` ends with `(assumed: ...)`.
    AssumptionBroken {
        problem: String,
    },
}

impl Failure {
    /// A stable identifier for machine-readable reports.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::UnknownScheme => "unknown_scheme",
            Failure::HeaderMissing { .. } => "header_missing",
            Failure::HeaderMalformed { .. } => "header_malformed",
            Failure::NoV1Signature => "no_v1_signature",
            Failure::TooOld { .. } => "timestamp_too_old",
            Failure::TooNew { .. } => "timestamp_too_new",
            Failure::SignatureMismatch => "signature_mismatch",
            Failure::Reserialized { .. } => "body_reserialized",
            Failure::TokenInvalid { .. } => "token_invalid",
            Failure::CredentialMismatch => "credential_mismatch",
            Failure::NoKey => "no_key",
            Failure::SecretUnusable { .. } => "secret_unusable",
            Failure::BodyNotCaptured { .. } => "body_not_captured",
            Failure::AssumptionBroken { .. } => "assumption_broken",
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::UnknownScheme => f.write_str("no known signature header"),
            Failure::HeaderMissing { header } => write!(f, "header missing: {header}"),
            Failure::HeaderMalformed { header, problem } => {
                write!(f, "header malformed: {header}: {problem}")
            }
            Failure::NoV1Signature => f.write_str("no v1 signature"),
            Failure::TooOld { age, tolerance } => {
                write!(f, "timestamp too old: {age} s old, tolerance {tolerance} s")
            }
            Failure::TooNew { ahead, tolerance } => write!(
                f,
                "timestamp too far in the future: {ahead} s ahead, tolerance {tolerance} s"
            ),
            Failure::SignatureMismatch => f.write_str("signature mismatch"),
            Failure::Reserialized { form } => write!(
                f,
                "signature mismatch, but it matches this body {}: the body was re-serialized \
                 after signing (verify the raw bytes as received, before any JSON parsing)",
                form.description()
            ),
            Failure::TokenInvalid { problem } => write!(f, "JWT invalid: {problem}"),
            Failure::CredentialMismatch => f.write_str("credential mismatch"),
            Failure::NoKey => f.write_str("no secret or key to verify with"),
            Failure::SecretUnusable { problem } => write!(f, "no usable secret: {problem}"),
            Failure::BodyNotCaptured { reason } => {
                write!(f, "nothing to verify: {reason}")
            }
            Failure::AssumptionBroken { problem } => f.write_str(problem),
        }
    }
}

/// Another form of a received body, under which its signature might match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyForm {
    Minified,
    PrettyPrinted,
    PrettyPrintedWithNewline,
    WithTrailingNewline,
    WithoutTrailingNewline,
}

impl BodyForm {
    pub fn id(self) -> &'static str {
        match self {
            BodyForm::Minified => "minified",
            BodyForm::PrettyPrinted => "pretty_printed",
            BodyForm::PrettyPrintedWithNewline => "pretty_printed_with_newline",
            BodyForm::WithTrailingNewline => "trailing_newline_added",
            BodyForm::WithoutTrailingNewline => "trailing_newline_removed",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BodyForm::Minified => "minified",
            BodyForm::PrettyPrinted => "pretty-printed",
            BodyForm::PrettyPrintedWithNewline => "pretty-printed with a trailing newline",
            BodyForm::WithTrailingNewline => "with a trailing newline added",
            BodyForm::WithoutTrailingNewline => "with its trailing newline removed",
        }
    }
}

/// The forms a body commonly takes when a framework re-serializes it or an editor touches it,
/// each differing from `body`: newline changes first, then JSON reformatting (key order kept).
pub fn body_forms(body: &[u8]) -> Vec<(BodyForm, Vec<u8>)> {
    let mut forms = Vec::new();
    match body.strip_suffix(b"\n") {
        Some(stripped) => {
            let stripped = stripped.strip_suffix(b"\r").unwrap_or(stripped);
            forms.push((BodyForm::WithoutTrailingNewline, stripped.to_vec()));
        }
        None => forms.push((BodyForm::WithTrailingNewline, [body, b"\n"].concat())),
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let minified = serde_json::to_vec(&value).expect("JSON values serialize");
        let pretty = serde_json::to_vec_pretty(&value).expect("JSON values serialize");
        let pretty_newline = [pretty.as_slice(), b"\n"].concat();
        forms.push((BodyForm::Minified, minified));
        forms.push((BodyForm::PrettyPrinted, pretty));
        forms.push((BodyForm::PrettyPrintedWithNewline, pretty_newline));
    }
    forms.retain(|(_, form)| form != body);
    forms
}

/// The result of verifying one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub scheme: Option<Scheme>,
    pub result: Result<(), Failure>,
    /// Broken assumptions of a request that otherwise verifies; under `--strict` the first one
    /// is the `result` instead.
    pub warnings: Vec<Failure>,
}

impl Verdict {
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }
}

/// What `--explain` shows for an HMAC scheme: the start of the exact signed message, its length,
/// and the signature each secret expects, written as the header carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub signed_start: Vec<u8>,
    pub signed_length: usize,
    pub expected: Vec<String>,
}

/// How many bytes of the signed message an explanation shows.
pub const EXPLAINED_BYTES: usize = 96;

fn required_header<'a>(headers: &'a [(String, String)], name: &str) -> Result<&'a str, Failure> {
    find_header(headers, name).ok_or_else(|| Failure::HeaderMissing {
        header: name.to_string(),
    })
}

fn malformed(header: &str, problem: impl ToString) -> Failure {
    Failure::HeaderMalformed {
        header: header.to_string(),
        problem: problem.to_string(),
    }
}

/// The scheme a request's headers (or JWT body) point to: a loaded pack's own signature header
/// first (the user loaded it for what they receive), then the built-in schemes.
pub fn detect_scheme(headers: &[(String, String)], body: &[u8]) -> Option<Scheme> {
    let has = |name: &str| find_header(headers, name).is_some();
    let pack = catalogue::providers().iter().find(|provider| {
        provider.built_in.is_none() && provider.hmac().is_some_and(|hmac| has(&hmac.header))
    });
    if let Some(&provider) = pack {
        Some(Scheme::Pack(provider))
    } else if has(cativa::SIGNATURE_HEADER) {
        Some(Scheme::Cativa)
    } else if has(stripe::SIGNATURE_HEADER) {
        Some(Scheme::Stripe)
    } else if has(standard::SIGNATURE_HEADER) || has(standard::SVIX_SIGNATURE_HEADER) {
        Some(Scheme::Standard)
    } else if has(github::SIGNATURE_HEADER) {
        Some(Scheme::Github)
    } else if has(beedeez::SOURCE_HEADER) {
        Some(Scheme::Beedeez)
    } else if wix::token_in(body).is_some() {
        Some(Scheme::Wix)
    } else {
        None
    }
}

/// Verifies one request with `keys` at `now` (Unix seconds), under `scheme` or the detected one.
pub fn verify(
    headers: &[(String, String)],
    body: &[u8],
    scheme: Option<Scheme>,
    keys: &Keys,
    now: i64,
) -> Verdict {
    let scheme = scheme.or_else(|| detect_scheme(headers, body));
    let mut warnings = Vec::new();
    let result = match scheme {
        None => Err(Failure::UnknownScheme),
        Some(scheme) => match signed_request(scheme, headers, keys) {
            Some(signed) => {
                let tolerance = match scheme {
                    Scheme::Pack(provider) if !keys.tolerance_given => provider
                        .tolerance
                        .map_or(keys.tolerance, |fact| Some(fact.value)),
                    _ => keys.tolerance,
                };
                signed.and_then(|signed| signed.verify(body, tolerance, now))
            }
            None if scheme == Scheme::Wix => verify_wix(body, keys, now, &mut warnings),
            None => verify_beedeez(headers, keys),
        },
    };
    let (result, warnings) = match result {
        Ok(()) if keys.strict && !warnings.is_empty() => (Err(warnings.remove(0)), Vec::new()),
        Ok(()) => (Ok(()), warnings),
        Err(failure) => (Err(failure), Vec::new()),
    };
    Verdict {
        scheme,
        result,
        warnings,
    }
}

/// The signed message and expected signatures of an HMAC-signed request (`None` for Wix and
/// Beedeez, or when the headers do not parse). `expected` is empty without secrets.
pub fn explain(
    headers: &[(String, String)],
    body: &[u8],
    scheme: Option<Scheme>,
    keys: &Keys,
) -> Option<Explanation> {
    let scheme = scheme.or_else(|| detect_scheme(headers, body))?;
    let signed = signed_request(scheme, headers, keys)?.ok()?;
    let prefix = signed.prefix.as_bytes();
    let mut signed_start = prefix.to_vec();
    signed_start.extend(
        body.iter()
            .take(EXPLAINED_BYTES.saturating_sub(prefix.len())),
    );
    signed_start.truncate(EXPLAINED_BYTES);
    Some(Explanation {
        signed_start,
        signed_length: prefix.len() + body.len(),
        expected: (signed.expected)(body),
    })
}

type BodyCheck<'a> = Box<dyn Fn(&[u8]) -> bool + 'a>;
type BodySigner<'a> = Box<dyn Fn(&[u8]) -> Vec<String> + 'a>;

/// An HMAC-signed request with its headers parsed: what is left is checking the body.
struct SignedRequest<'a> {
    timestamp: Option<i64>,
    /// What is signed before the body.
    prefix: String,
    /// Whether some presented signature is the signature of a body under some key.
    matches: BodyCheck<'a>,
    /// The signature each key gives a body, written as the header carries it.
    expected: BodySigner<'a>,
}

impl SignedRequest<'_> {
    fn verify(&self, body: &[u8], tolerance: Option<Duration>, now: i64) -> Result<(), Failure> {
        if let Some(timestamp) = self.timestamp {
            check_time(timestamp, now, tolerance)?;
        }
        if (self.matches)(body) {
            return Ok(());
        }
        // Only a failing request pays for the diagnosis.
        match body_forms(body)
            .into_iter()
            .find(|(_, form)| (self.matches)(form))
        {
            Some((form, _)) => Err(Failure::Reserialized { form }),
            None => Err(Failure::SignatureMismatch),
        }
    }
}

/// Parses the signature headers of an HMAC scheme and binds them to the keys (`None` for the
/// schemes that are not HMAC). Fails, in this order, on a missing header, a malformed one, no
/// `v1` signature, or no usable key.
fn signed_request<'a>(
    scheme: Scheme,
    headers: &'a [(String, String)],
    keys: &'a Keys,
) -> Option<Result<SignedRequest<'a>, Failure>> {
    Some(match scheme {
        Scheme::Cativa => timestamped_request(
            cativa::SIGNATURE_HEADER,
            cativa::parse_header,
            headers,
            keys,
        ),
        Scheme::Stripe => timestamped_request(
            stripe::SIGNATURE_HEADER,
            stripe::parse_header,
            headers,
            keys,
        ),
        Scheme::Standard => standard_request(headers, keys),
        Scheme::Github => github_request(headers, keys),
        Scheme::Pack(provider) => pack_request(provider.hmac()?, headers, keys),
        Scheme::Wix | Scheme::Beedeez => return None,
    })
}

/// A pack's `hmac` scheme: the header value read by its template, the timestamp and id from the
/// value or from their own headers, and the key derived from each secret as the pack says.
fn pack_request<'a>(
    hmac: &'static HmacSigning,
    headers: &'a [(String, String)],
    keys: &'a Keys,
) -> Result<SignedRequest<'a>, Failure> {
    let name = hmac.header.as_str();
    let read = hmac
        .read_value(required_header(headers, name)?.trim())
        .map_err(|problem| malformed(name, problem))?;
    let from_header =
        |value: Option<String>, header: &Option<String>, used: bool| match (value, header) {
            (Some(value), _) => Ok(Some(value)),
            (None, Some(header)) if used => {
                required_header(headers, header).map(|value| Some(value.trim().to_string()))
            }
            _ => Ok(None),
        };
    let timestamp_text = from_header(
        read.timestamp,
        &hmac.timestamp_header,
        hmac.signed.uses(Placeholder::Timestamp),
    )?;
    let timestamp = match &timestamp_text {
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            let header = hmac.timestamp_header.as_deref().unwrap_or(name);
            malformed(header, format!("`{text}` is not a whole number of seconds"))
        })?),
        None => None,
    };
    let id = from_header(read.id, &hmac.id_header, hmac.signed.uses(Placeholder::Id))?
        .unwrap_or_default();
    require_keys(keys)?;
    let usable = usable_keys(keys, |secret| hmac.key_of(secret))?;
    let signed_at = timestamp.unwrap_or_default();
    let prefix = hmac.signed_prefix(signed_at, &id);
    let signatures = read.signatures;
    let usable = std::sync::Arc::new(usable);
    let usable_for_expected = usable.clone();
    let id_for_expected = id.clone();
    Ok(SignedRequest {
        timestamp: timestamp.filter(|_| hmac.signed.uses(Placeholder::Timestamp)),
        prefix,
        matches: Box::new(move |body| {
            usable
                .iter()
                .any(|key| hmac.matches(key, signed_at, &id, body, &signatures))
        }),
        expected: Box::new(move |body| {
            usable_for_expected
                .iter()
                .map(|key| {
                    let signature = hmac.signature(key, signed_at, &id_for_expected, body);
                    hmac.value_with(signed_at, &id_for_expected, &[signature])
                })
                .collect()
        }),
    })
}

/// Cativa and Stripe: `t=<t>,v1=<hex>...` in header `name`, read by the scheme's `parse`
/// (Cativa's is lenient where Cativa is silent; Stripe's is as strict as Stripe's libraries).
fn timestamped_request<'a, E: std::fmt::Display>(
    name: &str,
    parse: fn(&str) -> Result<cativa::SignatureHeader, E>,
    headers: &'a [(String, String)],
    keys: &'a Keys,
) -> Result<SignedRequest<'a>, Failure> {
    let parsed = parse(required_header(headers, name)?).map_err(|error| malformed(name, error))?;
    check_v1(name, parsed.v1.len(), parsed.malformed_v1)?;
    require_keys(keys)?;
    let timestamp = parsed.timestamp;
    Ok(SignedRequest {
        timestamp: Some(timestamp),
        prefix: format!("{timestamp}."),
        matches: Box::new(move |body| {
            secrets(keys).any(|secret| cativa::matches(secret, &parsed, body))
        }),
        expected: Box::new(move |body| {
            secrets(keys)
                .map(|secret| format!("v1={}", cativa::sign(secret, timestamp, body)))
                .collect()
        }),
    })
}

/// The HMAC keys the secrets make under `derive`, skipping those it refuses: with key rotation,
/// secrets of other schemes may sit beside this one's. None usable is a failure saying why.
fn usable_keys<E: std::fmt::Display>(
    keys: &Keys,
    derive: impl Fn(&str) -> Result<Vec<u8>, E>,
) -> Result<Vec<Vec<u8>>, Failure> {
    let mut usable = Vec::new();
    let mut refused = None;
    for secret in secrets(keys) {
        match derive(secret) {
            Ok(key) => usable.push(key),
            Err(error) => {
                refused.get_or_insert_with(|| error.to_string());
            }
        }
    }
    if usable.is_empty() {
        return Err(Failure::SecretUnusable {
            problem: refused.unwrap_or_default(),
        });
    }
    Ok(usable)
}

fn standard_request<'a>(
    headers: &'a [(String, String)],
    keys: &'a Keys,
) -> Result<SignedRequest<'a>, Failure> {
    // The `webhook-*` names, or Svix's `svix-*` ones when those are what the request carries.
    let svix = find_header(headers, standard::SIGNATURE_HEADER).is_none()
        && find_header(headers, standard::SVIX_SIGNATURE_HEADER).is_some();
    let [id_header, timestamp_header, signature_header] = if svix {
        [
            standard::SVIX_ID_HEADER,
            standard::SVIX_TIMESTAMP_HEADER,
            standard::SVIX_SIGNATURE_HEADER,
        ]
    } else {
        [
            standard::ID_HEADER,
            standard::TIMESTAMP_HEADER,
            standard::SIGNATURE_HEADER,
        ]
    };
    let id = required_header(headers, id_header)?;
    let timestamp_text = required_header(headers, timestamp_header)?.trim();
    let signature = required_header(headers, signature_header)?;
    let timestamp = timestamp_text.parse::<i64>().map_err(|_| {
        malformed(
            timestamp_header,
            format!("`{timestamp_text}` is not a whole number of seconds"),
        )
    })?;
    let signatures = standard::parse_signatures(signature)
        .map_err(|error| malformed(signature_header, error))?;
    check_v1(
        signature_header,
        signatures.v1.len(),
        signatures.malformed_v1,
    )?;
    require_keys(keys)?;
    let usable = usable_keys(keys, standard::decode_secret)?;
    let usable = std::sync::Arc::new(usable);
    let usable_for_expected = usable.clone();
    Ok(SignedRequest {
        timestamp: Some(timestamp),
        prefix: standard::signed_prefix(id, timestamp_text),
        matches: Box::new(move |body| {
            usable
                .iter()
                .any(|key| standard::matches(key, id, timestamp_text, &signatures, body))
        }),
        expected: Box::new(move |body| {
            usable_for_expected
                .iter()
                .map(|key| standard::sign(key, id, timestamp_text, body))
                .collect()
        }),
    })
}

fn github_request<'a>(
    headers: &'a [(String, String)],
    keys: &'a Keys,
) -> Result<SignedRequest<'a>, Failure> {
    let name = github::SIGNATURE_HEADER;
    let signature = github::parse_header(required_header(headers, name)?)
        .map_err(|error| malformed(name, error))?;
    require_keys(keys)?;
    Ok(SignedRequest {
        timestamp: None,
        prefix: String::new(),
        matches: Box::new(move |body| {
            secrets(keys).any(|secret| github::matches(secret, &signature, body))
        }),
        expected: Box::new(move |body| {
            secrets(keys)
                .map(|secret| github::signature_header(secret, body))
                .collect()
        }),
    })
}

fn secrets(keys: &Keys) -> impl Iterator<Item = &str> {
    keys.secrets.iter().map(Secret::expose)
}

/// A header with only malformed `v1` entries is malformed; one with none has no v1 signature.
fn check_v1(header: &str, well_formed: usize, malformed_entries: usize) -> Result<(), Failure> {
    match (well_formed, malformed_entries) {
        (0, 0) => Err(Failure::NoV1Signature),
        (0, _) => Err(malformed(
            header,
            "its v1 signature is not a 32-byte signature (truncated or mistyped?)",
        )),
        _ => Ok(()),
    }
}

fn require_keys(keys: &Keys) -> Result<(), Failure> {
    if keys.secrets.is_empty() {
        Err(Failure::NoKey)
    } else {
        Ok(())
    }
}

/// Checks `timestamp` against `now` within the tolerance, in both directions.
fn check_time(timestamp: i64, now: i64, tolerance: Option<Duration>) -> Result<(), Failure> {
    let Some(tolerance) = tolerance else {
        return Ok(());
    };
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    let age = now.saturating_sub(timestamp);
    if age > tolerance {
        Err(Failure::TooOld { age, tolerance })
    } else if -age > tolerance {
        Err(Failure::TooNew {
            ahead: -age,
            tolerance,
        })
    } else {
        Ok(())
    }
}

/// What a future `iat` warning says it assumes.
const WIX_IAT_ASSUMPTION: &str = "Wix never issues a token in the future; it documents exp \
                                  and nbf as the limits, and its SDK accepts such a token";

fn verify_wix(
    body: &[u8],
    keys: &Keys,
    now: i64,
    warnings: &mut Vec<Failure>,
) -> Result<(), Failure> {
    let text = std::str::from_utf8(body).map_err(|_| Failure::TokenInvalid {
        problem: "the body is not text".to_string(),
    })?;
    let development;
    let key = match &keys.wix_public_key {
        Some(key) => key,
        None => {
            development = wix::VerifyingKey::development();
            &development
        }
    };
    let token = wix::verify(key, text).map_err(|error| Failure::TokenInvalid {
        problem: error.to_string(),
    })?;
    // The tolerance is clock leeway here, as in Wix's SDK; 0 turns the time checks off.
    let Some(leeway) = keys.tolerance else {
        return Ok(());
    };
    let leeway = i64::try_from(leeway.as_secs()).unwrap_or(i64::MAX);
    if let Some(problem) = token.time_problem(now, leeway) {
        return Err(Failure::TokenInvalid { problem });
    }
    if let Some(problem) = token.issued_in_future(now, leeway) {
        warnings.push(Failure::AssumptionBroken {
            problem: format!("JWT {problem} (assumed: {WIX_IAT_ASSUMPTION})"),
        });
    }
    Ok(())
}

fn verify_beedeez(headers: &[(String, String)], keys: &Keys) -> Result<(), Failure> {
    let source =
        find_header(headers, beedeez::SOURCE_HEADER).ok_or_else(|| Failure::HeaderMissing {
            header: beedeez::SOURCE_HEADER.to_string(),
        })?;
    if source != beedeez::SOURCE_VALUE {
        return Err(Failure::HeaderMalformed {
            header: beedeez::SOURCE_HEADER.to_string(),
            problem: format!("expected `{}`, found `{source}`", beedeez::SOURCE_VALUE),
        });
    }
    if keys.secrets.is_empty() {
        return Ok(());
    }
    let presented: Vec<(String, String)> = [
        find_header(headers, "Authorization").map(|v| ("Authorization".to_string(), v.to_string())),
        find_header(headers, &keys.api_key_header)
            .map(|v| (keys.api_key_header.clone(), v.to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if presented.is_empty() {
        return Err(Failure::HeaderMissing {
            header: format!("Authorization or {}", keys.api_key_header),
        });
    }
    let matches = keys.secrets.iter().any(|secret| {
        let candidates = [
            beedeez::Credential::Bearer(secret.clone()),
            beedeez::Credential::Basic(secret.clone()),
            beedeez::Credential::ApiKey {
                header: keys.api_key_header.clone(),
                key: secret.clone(),
            },
        ];
        candidates
            .iter()
            .filter_map(beedeez::Credential::header)
            .any(|(name, expected)| {
                presented.iter().any(|(presented_name, value)| {
                    // Without an early exit, timing does not reveal how much of a credential
                    // matched.
                    presented_name.eq_ignore_ascii_case(&name)
                        && bool::from(value.as_bytes().ct_eq(expected.as_bytes()))
                })
            })
    });
    if matches {
        Ok(())
    } else {
        Err(Failure::CredentialMismatch)
    }
}

/// How `listen` judges each request as it arrives: as `verify` would, with the same keys,
/// tolerance and scheme.
#[derive(Clone)]
pub struct LiveJudge {
    pub keys: Keys,
    /// The scheme given, or `None` to detect it from each request.
    pub scheme: Option<Scheme>,
}

impl LiveJudge {
    /// Whether the user gave anything to verify with.
    pub fn keys_given(&self) -> bool {
        !self.keys.secrets.is_empty() || self.keys.wix_public_key.is_some()
    }

    /// The verdict on a request received whole at `now` (Unix seconds); `None` when it is not
    /// judged: no key was given, and its scheme has no default one. A Wix JWT body is checked
    /// with the development key then, as `verify` checks it.
    pub fn judge(&self, headers: &[(String, String)], body: &[u8], now: i64) -> Option<Verdict> {
        let scheme = self.scheme.or_else(|| detect_scheme(headers, body));
        // A request that will not be judged is not verified either.
        if !self.keys_given() && scheme != Some(Scheme::Wix) {
            return None;
        }
        Some(verify(headers, body, scheme, &self.keys, now))
    }

    /// Whether a request whose body was not read whole is judged (it cannot verify): only when
    /// keys were given, since nothing tells its scheme.
    pub fn judges_unread_bodies(&self) -> bool {
        self.keys_given()
    }
}

/// One checked request and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The input's label: a file path, `stdin`, or the `--body` file; shared by the requests
    /// of one input, which run to millions.
    pub input: Arc<str>,
    /// Where the request starts in its input, when the input holds several.
    pub line: Option<usize>,
    pub verdict: Verdict,
    pub explanation: Option<Explanation>,
}

impl Checked {
    /// `capture.jsonl:12`, or the input alone; written where it is shown, never allocated.
    pub fn location(&self) -> impl std::fmt::Display + '_ {
        std::fmt::from_fn(move |out| match self.line {
            Some(line) => write!(out, "{}:{line}", self.input),
            None => out.write_str(&self.input),
        })
    }
}

/// How every request of a run is checked.
pub struct Checker {
    pub keys: Keys,
    /// The scheme given, or `None` to detect it from each request.
    pub scheme: Option<Scheme>,
    /// Unix seconds.
    pub now: i64,
    /// Whether to work out what was signed and what was expected.
    pub explain: bool,
}

impl Checker {
    /// Checks a request as read from an input: one whose body was not captured is reported as
    /// such, not as a signature that does not match.
    pub fn check_received(
        &self,
        input: &Arc<str>,
        request: &crate::domain::inputs::ReceivedRequest,
    ) -> Checked {
        match &request.body_missing {
            Some(reason) => Checked {
                input: input.clone(),
                line: request.line,
                verdict: Verdict {
                    scheme: detect_scheme(&request.headers, &request.body),
                    result: Err(Failure::BodyNotCaptured {
                        reason: reason.clone(),
                    }),
                    warnings: Vec::new(),
                },
                explanation: None,
            },
            None => self.check(input, request.line, &request.headers, &request.body),
        }
    }

    pub fn check(
        &self,
        input: &Arc<str>,
        line: Option<usize>,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Checked {
        Checked {
            input: input.clone(),
            line,
            verdict: verify(headers, body, self.scheme, &self.keys, self.now),
            explanation: self
                .explain
                .then(|| explain(headers, body, self.scheme, &self.keys))
                .flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svix_named_headers_verify_as_standard_webhooks() {
        // The Standard Webhooks published vector, under the names Svix sends it with.
        let headers = vec![
            (
                "svix-id".to_string(),
                "msg_p5jXN8AQM9LWM0D4loKWxJek".to_string(),
            ),
            ("svix-timestamp".to_string(), "1614265330".to_string()),
            (
                "svix-signature".to_string(),
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=".to_string(),
            ),
        ];
        let keys = Keys {
            secrets: vec![Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")],
            ..Keys::default()
        };
        let body = br#"{"test": 2432232314}"#;
        let verdict = verify(&headers, body, None, &keys, 1_614_265_330);
        assert_eq!(
            verdict,
            Verdict {
                scheme: Some(Scheme::Standard),
                result: Ok(()),
                warnings: Vec::new(),
            }
        );
        let tampered = verify(
            &headers,
            br#"{"test": 2432232315}"#,
            None,
            &keys,
            1_614_265_330,
        );
        assert_eq!(tampered.result, Err(Failure::SignatureMismatch));
    }

    const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn keys() -> Keys {
        Keys {
            secrets: vec![Secret::new("whsec_old"), Secret::new(SECRET)],
            ..Keys::default()
        }
    }

    fn cativa_headers(t: i64, body: &[u8]) -> Vec<(String, String)> {
        vec![(
            "x-cativa-signature".to_string(),
            cativa::signature_header(SECRET, t, body),
        )]
    }

    #[test]
    fn cativa_verifies_with_any_rotated_secret() {
        let verdict = verify(&cativa_headers(1000, b"{}"), b"{}", None, &keys(), 1000);
        assert_eq!(verdict.scheme, Some(Scheme::Cativa));
        assert!(verdict.is_ok());
    }

    #[test]
    fn cativa_failures_are_precise() {
        let at = |now| verify(&cativa_headers(1000, b"{}"), b"{}", None, &keys(), now).result;
        assert_eq!(
            at(1301),
            Err(Failure::TooOld {
                age: 301,
                tolerance: 300
            })
        );
        assert_eq!(
            at(699),
            Err(Failure::TooNew {
                ahead: 301,
                tolerance: 300
            })
        );
        assert_eq!(at(1300), Ok(()));
        let tampered = verify(&cativa_headers(1000, b"{}"), b"[]", None, &keys(), 1000);
        assert_eq!(tampered.result, Err(Failure::SignatureMismatch));
        let no_v1 = vec![("X-Cativa-Signature".to_string(), "t=1000".to_string())];
        assert_eq!(
            verify(&no_v1, b"{}", None, &keys(), 1000).result,
            Err(Failure::NoV1Signature)
        );
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    fn with_secrets(secrets: &[&str]) -> Keys {
        Keys {
            secrets: secrets.iter().map(|secret| Secret::new(*secret)).collect(),
            ..Keys::default()
        }
    }

    #[test]
    fn header_problems_are_reported_before_keys_and_time() {
        let run = |headers: &[(&str, &str)], scheme| {
            verify(&pairs(headers), b"{}", scheme, &keys(), 1000).result
        };
        assert_eq!(
            run(&[], Some(Scheme::Stripe)),
            Err(Failure::HeaderMissing {
                header: "Stripe-Signature".into()
            })
        );
        assert_eq!(
            run(&[("Stripe-Signature", "v1=00")], None),
            Err(malformed("Stripe-Signature", "it has no `t=` timestamp"))
        );
        assert_eq!(
            run(&[("Stripe-Signature", "t=1000,v1=abc")], None),
            Err(malformed(
                "Stripe-Signature",
                "its v1 signature is not a 32-byte signature (truncated or mistyped?)"
            ))
        );
        assert_eq!(
            run(&[("Stripe-Signature", "t=1000,v0=abc")], None),
            Err(Failure::NoV1Signature)
        );
        assert_eq!(
            run(&[("Content-Type", "text/plain")], None),
            Err(Failure::UnknownScheme)
        );
        let no_secret = verify(
            &cativa_headers(1000, b"{}"),
            b"{}",
            None,
            &Keys::default(),
            1000,
        );
        assert_eq!(no_secret.result, Err(Failure::NoKey));
    }

    #[test]
    fn stripe_verifies_like_cativa_under_its_own_header() {
        let value = cativa::signature_header(SECRET, 1000, b"{}");
        let headers = pairs(&[("stripe-signature", &value)]);
        let verdict = verify(&headers, b"{}", None, &keys(), 1000);
        assert_eq!(verdict.scheme, Some(Scheme::Stripe));
        assert!(verdict.is_ok());
    }

    #[test]
    fn tolerance_zero_disables_the_time_check() {
        let keys = Keys {
            tolerance: None,
            ..keys()
        };
        let verdict = verify(&cativa_headers(1000, b"{}"), b"{}", None, &keys, 99_999);
        assert!(verdict.is_ok());
    }

    const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const STANDARD_BODY: &[u8] = br#"{"test": 2432232314}"#;

    fn standard_headers(signature: &str) -> Vec<(String, String)> {
        pairs(&[
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", signature),
        ])
    }

    #[test]
    fn standard_webhooks_published_vector_and_its_negative_cases() {
        let keys = with_secrets(&[STANDARD_SECRET]);
        let good = standard_headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let at = |headers: &[(String, String)], now| {
            verify(headers, STANDARD_BODY, None, &keys, now).result
        };
        assert_eq!(at(&good, 1_614_265_330), Ok(()));
        assert_eq!(at(&good, 1_614_265_330 + 300), Ok(()));
        assert_eq!(at(&good, 1_614_265_330 - 300), Ok(()));
        assert_eq!(
            at(&good, 1_614_265_330 + 301),
            Err(Failure::TooOld {
                age: 301,
                tolerance: 300
            })
        );
        assert_eq!(
            at(&good, 1_614_265_330 - 301),
            Err(Failure::TooNew {
                ahead: 301,
                tolerance: 300
            })
        );
        let wrong = standard_headers("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");
        assert_eq!(at(&wrong, 1_614_265_330), Err(Failure::SignatureMismatch));
        let partial = standard_headers("v1,");
        assert!(matches!(
            at(&partial, 1_614_265_330),
            Err(Failure::HeaderMalformed { .. })
        ));
        let empty_secret = verify(
            &good,
            STANDARD_BODY,
            None,
            &with_secrets(&[""]),
            1_614_265_330,
        );
        assert_eq!(
            empty_secret.result,
            Err(Failure::SecretUnusable {
                problem: "the secret is empty".into()
            })
        );
        let rotated = with_secrets(&["whsec_%%%", "whsec_AAAA", STANDARD_SECRET]);
        assert!(verify(&good, STANDARD_BODY, None, &rotated, 1_614_265_330).is_ok());
        let mut bad_time = good.clone();
        bad_time[1].1 = "soon".into();
        assert_eq!(
            at(&bad_time, 0),
            Err(malformed(
                "webhook-timestamp",
                "`soon` is not a whole number of seconds"
            ))
        );
    }

    #[test]
    fn github_has_no_time_check() {
        let value = github::signature_header("It's a Secret to Everybody", b"Hello, World!");
        let headers = pairs(&[("X-Hub-Signature-256", &value)]);
        let keys = with_secrets(&["It's a Secret to Everybody"]);
        let verdict = verify(&headers, b"Hello, World!", None, &keys, i64::MAX);
        assert_eq!(verdict.scheme, Some(Scheme::Github));
        assert!(verdict.is_ok());
        let bad = pairs(&[("X-Hub-Signature-256", "sha1=00")]);
        assert!(matches!(
            verify(&bad, b"", None, &keys, 0).result,
            Err(Failure::HeaderMalformed { .. })
        ));
    }

    /// A header the scheme's own libraries refuse fails as malformed, with their reason, even
    /// when its signature would otherwise match.
    fn refused_as(header: &str, problem_start: &str) -> impl Fn(Verdict) {
        let header = header.to_string();
        let problem_start = problem_start.to_string();
        move |verdict: Verdict| match verdict.result {
            Err(Failure::HeaderMalformed {
                header: named,
                problem,
            }) => {
                assert_eq!(named, header);
                assert!(problem.starts_with(&problem_start), "{problem}");
            }
            other => panic!("expected {header} refused ({problem_start}), got {other:?}"),
        }
    }

    #[test]
    fn stripe_headers_are_read_as_stripes_libraries_read_them() {
        // The OpenSSL vector of `signature::stripe`.
        let body = br#"{"id":"evt_1","object":"event"}"#;
        let v1 = "cea8fea69dba9e7d105569ab9ad787f5317daf64b1600d19aadc814f214bfb2e";
        let run = |value: &str| {
            let headers = pairs(&[("Stripe-Signature", value)]);
            verify(&headers, body, None, &keys(), 1_700_000_000)
        };
        assert!(run(&format!("t=1700000000,v1={v1}")).is_ok());
        let refused = refused_as("Stripe-Signature", "a space after a comma: ");
        refused(run(&format!("t=1700000000, v1={v1}")));
        let refused = refused_as("Stripe-Signature", "a tab after a comma: ");
        refused(run(&format!("t=1700000000,\tv1={v1}")));
        let refused = refused_as("Stripe-Signature", "a space inside the value: ");
        refused(run(&format!("t=1700000000,v1={v1} ,v0=x")));
        let refused = refused_as("Stripe-Signature", "upper-case hex in a v1 signature: ");
        refused(run(&format!("t=1700000000,v1={}", v1.to_uppercase())));
        let message = run(&format!("t=1700000000, v1={v1}"))
            .result
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "header malformed: Stripe-Signature: a space after a comma: Stripe's Node, Python \
             and Go libraries split on `,` and trim nothing, so they reject it"
        );
    }

    #[test]
    fn cativa_keeps_its_leniency_for_case_and_blanks() {
        let value = cativa::signature_header(SECRET, 1000, b"{}");
        for lenient in [
            value
                .to_uppercase()
                .replace("T=", "t=")
                .replace("V1=", "v1="),
            value.replace(",", ", "),
        ] {
            let headers = pairs(&[("X-Cativa-Signature", &lenient)]);
            assert!(
                verify(&headers, b"{}", None, &keys(), 1000).is_ok(),
                "{lenient}"
            );
        }
    }

    #[test]
    fn github_headers_are_compared_as_githubs_checks_compare_them() {
        let secret = with_secrets(&["It's a Secret to Everybody"]);
        let digits = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let run = |value: &str| {
            let headers = pairs(&[("X-Hub-Signature-256", value)]);
            verify(&headers, b"Hello, World!", None, &secret, 0)
        };
        assert!(run(&format!("sha256={digits}")).is_ok());
        let refused = refused_as("X-Hub-Signature-256", "upper-case hex: ");
        refused(run(&format!("sha256={}", digits.to_uppercase())));
    }

    #[test]
    fn standard_signatures_are_read_as_the_standard_webhooks_libraries_read_them() {
        let keys = with_secrets(&[STANDARD_SECRET]);
        let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        let other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        let run = |value: &str| {
            verify(
                &standard_headers(value),
                STANDARD_BODY,
                None,
                &keys,
                1_614_265_330,
            )
        };
        assert!(run(signature).is_ok());
        assert!(run(&format!("{other} {signature}")).is_ok());
        let refused = refused_as("webhook-signature", "unpadded base64 in a v1 signature: ");
        refused(run(signature.trim_end_matches('=')));
        let refused = refused_as("webhook-signature", "a tab in the value: ");
        refused(run(&format!("{other}\t{signature}")));
        let refused = refused_as("webhook-signature", "two spaces in a row: ");
        refused(run(&format!("{other}  {signature}")));
        let refused = refused_as("webhook-signature", "a space after a comma: ");
        refused(run(&signature.replace(',', ", ")));
    }

    #[test]
    fn a_body_reformatted_after_signing_is_diagnosed_as_reserialized() {
        let signed = br#"{"a":1,"b":[1,2]}"#;
        let headers = cativa_headers(1000, signed);
        let received_as = |body: &[u8]| verify(&headers, body, None, &keys(), 1000).result;
        let pretty = b"{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}";
        assert_eq!(
            received_as(pretty),
            Err(Failure::Reserialized {
                form: BodyForm::Minified
            })
        );
        assert_eq!(
            received_as(&[signed.as_slice(), b"\n"].concat()),
            Err(Failure::Reserialized {
                form: BodyForm::WithoutTrailingNewline
            })
        );
        let pretty_headers = cativa_headers(1000, pretty);
        assert_eq!(
            verify(&pretty_headers, signed, None, &keys(), 1000).result,
            Err(Failure::Reserialized {
                form: BodyForm::PrettyPrinted
            })
        );
        assert_eq!(
            received_as(br#"{"a":2,"b":[1,2]}"#),
            Err(Failure::SignatureMismatch)
        );
        let message = Failure::Reserialized {
            form: BodyForm::Minified,
        }
        .to_string();
        assert!(message.contains("matches this body minified"), "{message}");
    }

    #[test]
    fn body_forms_skip_the_form_the_body_already_has() {
        let forms: Vec<BodyForm> = body_forms(b"{\"a\":1}")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            forms,
            [
                BodyForm::WithTrailingNewline,
                BodyForm::PrettyPrinted,
                BodyForm::PrettyPrintedWithNewline
            ]
        );
        assert_eq!(body_forms(b"not json\r\n")[0].1, b"not json");
    }

    #[test]
    fn explanations_show_the_signed_message_and_each_expected_signature() {
        let body = vec![b'x'; 500];
        let headers = cativa_headers(1000, &body);
        let explanation = explain(&headers, &body, None, &keys()).unwrap();
        assert_eq!(explanation.signed_length, 5 + 500);
        assert_eq!(explanation.signed_start.len(), EXPLAINED_BYTES);
        assert!(explanation.signed_start.starts_with(b"1000.xxx"));
        assert_eq!(explanation.expected.len(), 2);
        assert_eq!(
            explanation.expected[1],
            format!("v1={}", cativa::sign(SECRET, 1000, &body))
        );
        let standard = standard_headers("v1,AAAA");
        let explanation = explain(
            &standard,
            STANDARD_BODY,
            None,
            &with_secrets(&[STANDARD_SECRET]),
        );
        assert!(
            explanation.is_none(),
            "malformed headers have nothing to explain"
        );
        let standard = standard_headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let explanation = explain(
            &standard,
            STANDARD_BODY,
            None,
            &with_secrets(&[STANDARD_SECRET]),
        )
        .unwrap();
        assert_eq!(
            explanation.signed_start,
            br#"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}"#
        );
        assert_eq!(
            explanation.expected,
            ["v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]
        );
        assert!(explain(&[], b"eyJ", None, &keys()).is_none());
    }

    #[test]
    fn beedeez_checks_source_and_credential() {
        let headers = vec![
            ("X-Webhook-Source".to_string(), "beedeez".to_string()),
            ("Authorization".to_string(), "Bearer tok".to_string()),
        ];
        let good = Keys {
            secrets: vec![Secret::new("tok")],
            ..Keys::default()
        };
        assert!(verify(&headers, b"{}", None, &good, 0).is_ok());
        // A prefix, an extension and a same-length neighbour of the credential all fail.
        for secret in ["other", "to", "tokk", "tol", ""] {
            let bad = Keys {
                secrets: vec![Secret::new(secret)],
                ..Keys::default()
            };
            assert_eq!(
                verify(&headers, b"{}", None, &bad, 0).result,
                Err(Failure::CredentialMismatch),
                "{secret:?}"
            );
        }
    }

    #[test]
    fn listen_judges_wix_bodies_with_the_development_key_and_leaves_the_rest_without_keys() {
        let no_keys = LiveJudge {
            keys: Keys::default(),
            scheme: None,
        };
        let token = |key: &wix::SigningKey| {
            wix::sign(
                key,
                "t",
                "i",
                &serde_json::json!({}),
                &wix::AccountInfo {
                    account_id: "a".into(),
                    parent_account_id: None,
                    site_id: None,
                },
                "{}",
                500,
            )
        };
        let dev = token(&wix::SigningKey::development());
        assert!(no_keys.judge(&[], dev.as_bytes(), 600).unwrap().is_ok());
        let other = token(&wix::SigningKey::other());
        assert!(!no_keys.judge(&[], other.as_bytes(), 600).unwrap().is_ok());
        // Judged by the tolerance too: the token expired at 800, 300 s of leeway.
        let late = no_keys.judge(&[], dev.as_bytes(), 1_100).unwrap();
        assert!(matches!(late.result, Err(Failure::TokenInvalid { .. })));
        let strict = LiveJudge {
            keys: Keys {
                tolerance: Some(Duration::from_secs(10)),
                ..Keys::default()
            },
            scheme: None,
        };
        assert!(!strict.judge(&[], dev.as_bytes(), 811).unwrap().is_ok());
        let cativa = vec![(
            cativa::SIGNATURE_HEADER.to_string(),
            cativa::signature_header("whsec_x", 500, b"{}"),
        )];
        assert_eq!(no_keys.judge(&cativa, b"{}", 500), None);
        assert_eq!(no_keys.judge(&[], b"{}", 500), None);
        assert!(!no_keys.judges_unread_bodies());
        let with_secret = LiveJudge {
            keys: Keys {
                secrets: vec![Secret::new("whsec_x")],
                ..Keys::default()
            },
            scheme: None,
        };
        assert!(with_secret.judge(&cativa, b"{}", 500).unwrap().is_ok());
        assert!(!with_secret.judge(&[], b"{}", 500).unwrap().is_ok());
        assert!(with_secret.judges_unread_bodies());
    }

    #[test]
    fn wix_bodies_verify_with_the_development_key_by_default() {
        let token = wix::sign(
            &wix::SigningKey::development(),
            "t",
            "i",
            &serde_json::json!({}),
            &wix::AccountInfo {
                account_id: "a".into(),
                parent_account_id: None,
                site_id: None,
            },
            "{}",
            500,
        );
        let verdict = verify(&[], token.as_bytes(), None, &Keys::default(), 600);
        assert_eq!(verdict.scheme, Some(Scheme::Wix));
        assert!(verdict.is_ok());
    }
}
