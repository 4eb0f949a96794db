//! Wix webhooks: the request body is a JWT signed with RS256 by the app's key pair. Three JSON
//! layers: the JWT's `data` claim is a JSON string holding `{eventType, instanceId, data,
//! identity, accountInfo}`, whose `data` is itself a JSON string: the event document.
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
    /// `{"accountId": "...", "siteId": "..."}`, an object rather than a JSON string: Wix's SDK
    /// parses `identity` but takes `accountInfo` as it is. Kept as received, since tokens
    /// without it, or with more in it, are still Wix's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_info: Option<Value>,
}

/// The account an event belongs to (the SDK schema's `EventMetadata.accountInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    /// The Wix account.
    pub account_id: String,
    /// Only when `account_id` is a child account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
    /// Only when the event is tied to a site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
}

/// The JWT's claims. Wix's pages show `data` both as a JSON string and as an object; the times
/// are judged only where present, as Wix's SDK (jose) and PyJWT judge them.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    data: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
}

/// A decoded JWT body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub envelope: Envelope,
    pub issued_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub not_before: Option<i64>,
}

impl Token {
    /// Why the token is not valid at `now` with `leeway` seconds of clock difference, judged as
    /// Wix's SDK judges it: expired (`exp`) or not valid yet (`nbf`). An old `iat` alone is no
    /// reason: long-lived tokens are valid until `exp`.
    pub fn time_problem(&self, now: i64, leeway: i64) -> Option<String> {
        if let Some(exp) = self.expires_at
            && now.saturating_sub(leeway) >= exp
        {
            return Some(format!(
                "expired {} s ago (exp {exp}, leeway {leeway} s)",
                now.saturating_sub(exp)
            ));
        }
        if let Some(nbf) = self.not_before
            && now.saturating_add(leeway) < nbf
        {
            return Some(format!(
                "not valid for another {} s (nbf {nbf}, leeway {leeway} s)",
                nbf.saturating_sub(now)
            ));
        }
        None
    }

    /// How far in the future the token was issued (`iat`), beyond `leeway`. PyJWT refuses such a
    /// token; Wix's SDK (jose) does not, and Wix documents no rule for it.
    pub fn issued_in_future(&self, now: i64, leeway: i64) -> Option<String> {
        let iat = self.issued_at?;
        (now.saturating_add(leeway) < iat).then(|| {
            format!(
                "issued {} s in the future (iat {iat}, leeway {leeway} s)",
                iat.saturating_sub(now)
            )
        })
    }
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
    account_info: &AccountInfo,
    event_document: &str,
    issued_at: i64,
) -> String {
    let envelope = Envelope {
        event_type: event_type.to_string(),
        instance_id: instance_id.to_string(),
        data: event_document.to_string(),
        identity: identity.to_string(),
        account_info: Some(serde_json::to_value(account_info).expect("strings serialize")),
    };
    let claims = Claims {
        data: Value::String(serde_json::to_string(&envelope).expect("strings serialize")),
        iat: Some(issued_at),
        exp: Some(issued_at + LIFETIME_SECONDS),
        nbf: None,
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
    let layers = |error: serde_json::Error| TokenError::Layers(error.to_string());
    let envelope: Envelope = match claims.data {
        Value::String(text) => serde_json::from_str(&text).map_err(layers)?,
        object => serde_json::from_value(object).map_err(layers)?,
    };
    Ok(Token {
        envelope,
        issued_at: claims.iat,
        expires_at: claims.exp,
        not_before: claims.nbf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OTHER_PUBLIC: &str = include_str!("../../../fixtures/keys/other-public.pem");

    fn account() -> AccountInfo {
        AccountInfo {
            account_id: "account".into(),
            parent_account_id: None,
            site_id: Some("site".into()),
        }
    }

    fn token() -> String {
        sign(
            &SigningKey::development(),
            "wix.badges.v4.badge_created",
            "instance",
            &serde_json::json!({"identityType": "APP", "appId": "a"}),
            &account(),
            r#"{"id":"e"}"#,
            1_700_000_000,
        )
    }

    #[test]
    fn a_signed_body_verifies_and_decodes_to_three_layers() {
        let decoded = verify(&VerifyingKey::development(), &token()).unwrap();
        assert_eq!(decoded.envelope.event_type, "wix.badges.v4.badge_created");
        assert_eq!(decoded.envelope.data, r#"{"id":"e"}"#);
        assert_eq!(decoded.issued_at, Some(1_700_000_000));
        assert_eq!(decoded.expires_at, Some(1_700_000_300));
        let identity: Value = serde_json::from_str(&decoded.envelope.identity).unwrap();
        assert_eq!(identity["identityType"], "APP");
        assert_eq!(
            decoded.envelope.account_info,
            Some(serde_json::json!({"accountId": "account", "siteId": "site"}))
        );
    }

    #[test]
    fn the_middle_layer_carries_account_info_as_an_object_beside_the_other_fields() {
        let claims = jsonwebtoken::dangerous::insecure_decode::<Value>(token())
            .unwrap()
            .claims;
        let middle: Value = serde_json::from_str(claims["data"].as_str().unwrap()).unwrap();
        let keys: Vec<&str> = middle
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["eventType", "instanceId", "data", "identity", "accountInfo"]
        );
        assert!(middle["data"].is_string() && middle["identity"].is_string());
        assert_eq!(middle["accountInfo"]["accountId"], "account");
        assert_eq!(middle["accountInfo"]["siteId"], "site");
        assert!(middle["accountInfo"].get("parentAccountId").is_none());
    }

    #[test]
    fn tokens_without_account_info_still_decode() {
        let envelope = r#"{"eventType":"e","instanceId":"i","data":"{}","identity":"{}"}"#;
        let token = token_with(serde_json::json!({"data": envelope}));
        let decoded = verify(&VerifyingKey::development(), &token).unwrap();
        assert_eq!(decoded.envelope.account_info, None);
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

    /// A token signed with the development key and exactly these claims.
    fn token_with(claims: serde_json::Value) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::RS256),
            &claims,
            &SigningKey::development().0,
        )
        .unwrap()
    }

    #[test]
    fn times_are_judged_as_wixs_sdk_judges_them() {
        let now = 1_700_000_000;
        let envelope = r#"{"eventType":"e","instanceId":"i","data":"{}","identity":"{}"}"#;
        let judged = |claims: serde_json::Value| {
            let token = verify(&VerifyingKey::development(), &token_with(claims)).unwrap();
            token.time_problem(now, 300)
        };
        // Expired: exp in the past, beyond the leeway.
        let expired =
            judged(serde_json::json!({"data": envelope, "iat": now - 7200, "exp": now - 3600}));
        assert!(expired.unwrap().starts_with("expired 3600 s ago"));
        // Long-lived: issued an hour ago, valid for another hour.
        assert_eq!(
            judged(serde_json::json!({"data": envelope, "iat": now - 3600, "exp": now + 3600})),
            None
        );
        // Within the leeway either way.
        assert_eq!(
            judged(serde_json::json!({"data": envelope, "exp": now - 299})),
            None
        );
        assert!(judged(serde_json::json!({"data": envelope, "nbf": now + 301})).is_some());
        // A future iat is no reason for Wix's SDK; it is judged on its own.
        let future = serde_json::json!({"data": envelope, "iat": now + 301, "exp": now + 601});
        assert_eq!(judged(future.clone()), None);
        let token = verify(&VerifyingKey::development(), &token_with(future)).unwrap();
        assert_eq!(
            token.issued_in_future(now, 300).unwrap(),
            "issued 301 s in the future (iat 1700000301, leeway 300 s)"
        );
        assert_eq!(token.issued_in_future(now, 301), None);
        // No times at all: nothing to judge.
        assert_eq!(judged(serde_json::json!({"data": envelope})), None);
    }

    #[test]
    fn the_data_claim_may_be_an_object() {
        let envelope = serde_json::json!({"eventType":"e","instanceId":"i","data":"{\"id\":\"x\"}","identity":"{}"});
        let token = verify(
            &VerifyingKey::development(),
            &token_with(serde_json::json!({"data": envelope, "iat": 1, "exp": 2})),
        )
        .unwrap();
        assert_eq!(token.envelope.data, r#"{"id":"x"}"#);
    }
}
