//! Wix webhooks: the request body is a JWT signed with RS256 by the app's key pair. Three JSON
//! layers: the JWT's `data` claim is a JSON string holding `{eventType, instanceId, data,
//! identity}`, whose `data` is itself a JSON string: the event document.
//! The one place that talks to the `jsonwebtoken` crate.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The development key pair shipped with hooktool, used when no key is given.
pub const DEV_PRIVATE_KEY_PEM: &str = include_str!("../../../fixtures/keys/wix-dev-private.pem");
pub const DEV_PUBLIC_KEY_PEM: &str = include_str!("../../../fixtures/keys/wix-dev-public.pem");
/// A second private key, for deliveries that must fail: signed with a key the receiver does not
/// trust.
pub const OTHER_PRIVATE_KEY_PEM: &str = include_str!("../../../fixtures/keys/other-private.pem");

/// Not documented: how long a Wix JWT stays valid after it is issued.
pub const LIFETIME_SECONDS: i64 = 300;

/// An RSA private key for signing JWT bodies.
pub struct SigningKey(EncodingKey);

/// An RSA public key for verifying JWT bodies.
#[derive(Clone)]
pub struct VerifyingKey(DecodingKey);

/// Why a PEM key could not be used.
#[derive(Debug, thiserror::Error)]
#[error("not an RSA key in PEM form ({0})")]
pub struct KeyError(String);

impl SigningKey {
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        EncodingKey::from_rsa_pem(pem)
            .map(SigningKey)
            .map_err(|error| KeyError(error.to_string()))
    }

    pub fn development() -> Self {
        Self::from_pem(DEV_PRIVATE_KEY_PEM.as_bytes()).expect("the shipped development key parses")
    }

    /// A key no receiver trusts, for deliveries that must fail.
    pub fn other() -> Self {
        Self::from_pem(OTHER_PRIVATE_KEY_PEM.as_bytes()).expect("the shipped other key parses")
    }
}

impl VerifyingKey {
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        DecodingKey::from_rsa_pem(pem)
            .map(VerifyingKey)
            .map_err(|error| KeyError(error.to_string()))
    }

    pub fn development() -> Self {
        Self::from_pem(DEV_PUBLIC_KEY_PEM.as_bytes()).expect("the shipped development key parses")
    }
}

/// The middle layer: what the `data` claim's JSON string holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub event_type: String,
    pub instance_id: String,
    /// The event document, as a JSON string.
    pub data: String,
    /// `{"identityType": "...", "<memberId|wixUserId|appId|anonymousVisitorId>": "..."}`, as a
    /// JSON string.
    pub identity: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    data: String,
    iat: i64,
    exp: i64,
}

/// A decoded JWT body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub envelope: Envelope,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// Why a JWT body did not decode or verify.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the body is not a JWT signed with RS256 by this key ({0})")]
    Signature(String),
    #[error("the JWT's `data` claim is not the expected JSON string ({0})")]
    Layers(String),
}

/// Signs `event_document` (the innermost JSON text, carried verbatim) into a JWT body issued at
/// `issued_at`.
pub fn sign(
    key: &SigningKey,
    event_type: &str,
    instance_id: &str,
    identity: &Value,
    event_document: &str,
    issued_at: i64,
) -> String {
    let envelope = Envelope {
        event_type: event_type.to_string(),
        instance_id: instance_id.to_string(),
        data: event_document.to_string(),
        identity: identity.to_string(),
    };
    let claims = Claims {
        data: serde_json::to_string(&envelope).expect("strings serialize"),
        iat: issued_at,
        exp: issued_at + LIFETIME_SECONDS,
    };
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key.0)
        .expect("RS256 signing with a parsed RSA key does not fail")
}

/// Verifies the JWT's RS256 signature and decodes its layers. Expiry is not checked here: the
/// caller compares `issued_at`/`expires_at` with its own clock (which may be `--now`).
pub fn verify(key: &VerifyingKey, token: &str) -> Result<Token, TokenError> {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Claims>(token.trim(), &key.0, &validation)
        .map_err(|error| TokenError::Signature(error.to_string()))?;
    into_token(data.claims)
}

/// The JWT a request body carries, when it looks like one: Wix sends the token as the whole
/// body, and every JWT starts with the base64url of `{"` (`eyJ`).
pub fn token_in(body: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(body).ok()?.trim();
    text.starts_with("eyJ").then_some(text)
}

/// Decodes the layers without checking the signature (to show or validate the payload).
pub fn decode_unverified(token: &str) -> Result<Token, TokenError> {
    let claims = jsonwebtoken::dangerous::insecure_decode::<Claims>(token.trim())
        .map_err(|error| TokenError::Signature(error.to_string()))?
        .claims;
    into_token(claims)
}

fn into_token(claims: Claims) -> Result<Token, TokenError> {
    let envelope: Envelope = serde_json::from_str(&claims.data)
        .map_err(|error| TokenError::Layers(error.to_string()))?;
    Ok(Token {
        envelope,
        issued_at: claims.iat,
        expires_at: claims.exp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OTHER_PUBLIC: &str = include_str!("../../../fixtures/keys/other-public.pem");

    fn token() -> String {
        sign(
            &SigningKey::development(),
            "wix.badges.v4.badge_created",
            "instance",
            &serde_json::json!({"identityType": "APP", "appId": "a"}),
            r#"{"id":"e"}"#,
            1_700_000_000,
        )
    }

    #[test]
    fn a_signed_body_verifies_and_decodes_to_three_layers() {
        let decoded = verify(&VerifyingKey::development(), &token()).unwrap();
        assert_eq!(decoded.envelope.event_type, "wix.badges.v4.badge_created");
        assert_eq!(decoded.envelope.data, r#"{"id":"e"}"#);
        assert_eq!(decoded.issued_at, 1_700_000_000);
        assert_eq!(decoded.expires_at, 1_700_000_300);
        let identity: Value = serde_json::from_str(&decoded.envelope.identity).unwrap();
        assert_eq!(identity["identityType"], "APP");
    }

    #[test]
    fn another_key_does_not_verify() {
        let other = VerifyingKey::from_pem(OTHER_PUBLIC.as_bytes()).unwrap();
        assert!(matches!(
            verify(&other, &token()),
            Err(TokenError::Signature(_))
        ));
    }

    #[test]
    fn signing_is_deterministic() {
        assert_eq!(token(), token());
    }

    #[test]
    fn bad_pem_is_a_key_error() {
        assert!(SigningKey::from_pem(b"not a key").is_err());
        assert!(
            VerifyingKey::from_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                .is_err()
        );
    }
}
