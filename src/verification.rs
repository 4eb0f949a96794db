//! Verifying one received request: which scheme it uses, and whether it verifies under the keys
//! given, with the precise reason when it does not. Pure: headers and exact body bytes in, a
//! verdict out. Shared by `verify` and `listen`.

use std::time::Duration;

use crate::secret::Secret;
use crate::signature::{beedeez, cativa, wix};

/// The signature schemes hooktool verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Cativa,
    Stripe,
    Standard,
    Github,
    Wix,
    Beedeez,
}

impl Scheme {
    pub fn id(self) -> &'static str {
        match self {
            Scheme::Cativa => "cativa",
            Scheme::Stripe => "stripe",
            Scheme::Standard => "standard",
            Scheme::Github => "github",
            Scheme::Wix => "wix",
            Scheme::Beedeez => "beedeez",
        }
    }
}

/// What to verify with.
pub struct Keys {
    /// HMAC secrets (any match passes: key rotation), or Beedeez credentials.
    pub secrets: Vec<Secret>,
    /// Wix: the app's public key.
    pub wix_public_key: Option<wix::VerifyingKey>,
    /// Allowed clock difference, both directions; `None` disables the time check.
    pub tolerance: Option<Duration>,
    /// Beedeez API-key method's header name.
    pub api_key_header: String,
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            secrets: Vec::new(),
            wix_public_key: None,
            tolerance: Some(Duration::from_secs(300)),
            api_key_header: beedeez::DEFAULT_API_KEY_HEADER.to_string(),
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
    TooOld {
        by_seconds: i64,
    },
    TooNew {
        by_seconds: i64,
    },
    SignatureMismatch,
    /// Wix: the JWT does not verify with the key, or its layers do not decode.
    TokenInvalid {
        problem: String,
    },
    /// Beedeez: the credential does not match.
    CredentialMismatch,
    /// No key to verify with was given.
    NoKey,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::UnknownScheme => f.write_str("no known signature header (use --scheme)"),
            Failure::HeaderMissing { header } => write!(f, "header missing: {header}"),
            Failure::HeaderMalformed { header, problem } => {
                write!(f, "header malformed: {header}: {problem}")
            }
            Failure::NoV1Signature => f.write_str("no v1 signature"),
            Failure::TooOld { by_seconds } => {
                write!(f, "timestamp too old: {by_seconds}s beyond the tolerance")
            }
            Failure::TooNew { by_seconds } => write!(
                f,
                "timestamp too far in the future: {by_seconds}s beyond the tolerance"
            ),
            Failure::SignatureMismatch => f.write_str("signature mismatch"),
            Failure::TokenInvalid { problem } => write!(f, "JWT invalid: {problem}"),
            Failure::CredentialMismatch => f.write_str("credential mismatch"),
            Failure::NoKey => f.write_str("no secret or key to verify with"),
        }
    }
}

/// The result of verifying one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub scheme: Option<Scheme>,
    pub result: Result<(), Failure>,
}

impl Verdict {
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// The scheme a request's headers (or JWT body) point to.
pub fn detect_scheme(headers: &[(String, String)], body: &[u8]) -> Option<Scheme> {
    let has = |name: &str| header(headers, name).is_some();
    if has(cativa::SIGNATURE_HEADER) {
        Some(Scheme::Cativa)
    } else if has("Stripe-Signature") {
        Some(Scheme::Stripe)
    } else if has("webhook-signature") {
        Some(Scheme::Standard)
    } else if has("X-Hub-Signature-256") {
        Some(Scheme::Github)
    } else if has(beedeez::SOURCE_HEADER) {
        Some(Scheme::Beedeez)
    } else if body.starts_with(b"eyJ") {
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
    let result = match scheme {
        None => Err(Failure::UnknownScheme),
        Some(Scheme::Cativa) => verify_cativa(headers, body, keys, now),
        Some(Scheme::Wix) => verify_wix(body, keys, now),
        Some(Scheme::Beedeez) => verify_beedeez(headers, keys),
        Some(other) => Err(Failure::HeaderMalformed {
            header: other.id().to_string(),
            problem: "this scheme is not supported yet".to_string(),
        }),
    };
    Verdict { scheme, result }
}

/// Checks `timestamp` against `now` within the tolerance, in both directions.
fn check_time(timestamp: i64, now: i64, tolerance: Option<Duration>) -> Result<(), Failure> {
    let Some(tolerance) = tolerance else {
        return Ok(());
    };
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    let age = now.saturating_sub(timestamp);
    if age > tolerance {
        Err(Failure::TooOld {
            by_seconds: age - tolerance,
        })
    } else if -age > tolerance {
        Err(Failure::TooNew {
            by_seconds: -age - tolerance,
        })
    } else {
        Ok(())
    }
}

fn verify_cativa(
    headers: &[(String, String)],
    body: &[u8],
    keys: &Keys,
    now: i64,
) -> Result<(), Failure> {
    let name = cativa::SIGNATURE_HEADER;
    let value = header(headers, name).ok_or_else(|| Failure::HeaderMissing {
        header: name.to_string(),
    })?;
    let parsed = cativa::parse_header(value).map_err(|error| Failure::HeaderMalformed {
        header: name.to_string(),
        problem: error.to_string(),
    })?;
    if parsed.v1.is_empty() {
        return Err(Failure::NoV1Signature);
    }
    if keys.secrets.is_empty() {
        return Err(Failure::NoKey);
    }
    check_time(parsed.timestamp, now, keys.tolerance)?;
    if keys
        .secrets
        .iter()
        .any(|secret| cativa::matches(secret.expose(), &parsed, body))
    {
        Ok(())
    } else {
        Err(Failure::SignatureMismatch)
    }
}

fn verify_wix(body: &[u8], keys: &Keys, now: i64) -> Result<(), Failure> {
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
    check_time(token.issued_at, now, keys.tolerance)
}

fn verify_beedeez(headers: &[(String, String)], keys: &Keys) -> Result<(), Failure> {
    let source = header(headers, beedeez::SOURCE_HEADER).ok_or_else(|| Failure::HeaderMissing {
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
        header(headers, "Authorization").map(|v| ("Authorization".to_string(), v.to_string())),
        header(headers, &keys.api_key_header).map(|v| (keys.api_key_header.clone(), v.to_string())),
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
            beedeez::Credential::Bearer(secret.expose().to_string()),
            beedeez::Credential::Basic(secret.expose().to_string()),
            beedeez::Credential::ApiKey {
                header: keys.api_key_header.clone(),
                key: secret.expose().to_string(),
            },
        ];
        candidates
            .iter()
            .filter_map(beedeez::Credential::header)
            .any(|(name, expected)| {
                presented.iter().any(|(presented_name, value)| {
                    presented_name.eq_ignore_ascii_case(&name)
                        && constant_time_eq(value.as_bytes(), expected.as_bytes())
                })
            })
    });
    if matches {
        Ok(())
    } else {
        Err(Failure::CredentialMismatch)
    }
}

/// Compares without an early exit, so timing does not reveal how much of a credential matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(at(1301), Err(Failure::TooOld { by_seconds: 1 }));
        assert_eq!(at(699), Err(Failure::TooNew { by_seconds: 1 }));
        assert_eq!(at(1300), Ok(()));
        let tampered = verify(&cativa_headers(1000, b"{}"), b"{ }", None, &keys(), 1000);
        assert_eq!(tampered.result, Err(Failure::SignatureMismatch));
        let no_v1 = vec![("X-Cativa-Signature".to_string(), "t=1000".to_string())];
        assert_eq!(
            verify(&no_v1, b"{}", None, &keys(), 1000).result,
            Err(Failure::NoV1Signature)
        );
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
        let bad = Keys {
            secrets: vec![Secret::new("other")],
            ..Keys::default()
        };
        assert_eq!(
            verify(&headers, b"{}", None, &bad, 0).result,
            Err(Failure::CredentialMismatch)
        );
    }

    #[test]
    fn wix_bodies_verify_with_the_development_key_by_default() {
        let token = wix::sign(
            &wix::SigningKey::development(),
            "t",
            "i",
            &serde_json::json!({}),
            "{}",
            500,
        );
        let verdict = verify(&[], token.as_bytes(), None, &Keys::default(), 600);
        assert_eq!(verdict.scheme, Some(Scheme::Wix));
        assert!(verdict.is_ok());
    }
}
