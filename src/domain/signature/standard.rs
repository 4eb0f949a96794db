//! Standard Webhooks (Svix): headers `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64> [v1,<base64> ...]` (space separated), where
//! `v1 = base64(HMAC-SHA256(key, "<id>.<timestamp>.<raw body>"))` and the key is the secret
//! base64-decoded after its `whsec_` prefix (unlike Cativa and Stripe, which use the string).

use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::hmac_sha256;

pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// Svix, which runs Standard Webhooks, sends the same three values under its own names.
pub const SVIX_ID_HEADER: &str = "svix-id";
pub const SVIX_TIMESTAMP_HEADER: &str = "svix-timestamp";
pub const SVIX_SIGNATURE_HEADER: &str = "svix-signature";
const SECRET_PREFIX: &str = "whsec_";

/// Secrets and signatures are accepted with or without their `=` padding, as providers differ.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a secret cannot be a Standard Webhooks key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("the secret is empty")]
    Empty,
    #[error("the secret is not base64 after its `whsec_` prefix")]
    NotBase64,
}

/// The HMAC key of a `whsec_<base64>` secret (the prefix is optional).
pub fn decode_secret(secret: &str) -> Result<Vec<u8>, SecretError> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    if encoded.is_empty() {
        return Err(SecretError::Empty);
    }
    let key = LENIENT_BASE64
        .decode(encoded)
        .map_err(|_| SecretError::NotBase64)?;
    if key.is_empty() {
        return Err(SecretError::Empty);
    }
    Ok(key)
}

/// The `v1` entries of a `webhook-signature` value. Other versions (such as `v1a`) are ignored;
/// `v1` entries that are not base64 of 32 bytes (a partial `v1,`) are counted in `malformed_v1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatures {
    pub v1: Vec<[u8; 32]>,
    pub malformed_v1: usize,
}

pub fn parse_signatures(value: &str) -> Signatures {
    let mut signatures = Signatures {
        v1: Vec::new(),
        malformed_v1: 0,
    };
    for entry in value.split_ascii_whitespace() {
        let Some(("v1", encoded)) = entry.split_once(',') else {
            continue;
        };
        match LENIENT_BASE64.decode(encoded).map(<[u8; 32]>::try_from) {
            Ok(Ok(signature)) => signatures.v1.push(signature),
            _ => signatures.malformed_v1 += 1,
        }
    }
    signatures
}

/// What is signed before the body: `<id>.<timestamp>.`.
pub fn signed_prefix(id: &str, timestamp: &str) -> String {
    format!("{id}.{timestamp}.")
}

/// The `v1,<base64>` entry for `body` under `key`.
pub fn sign(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    let prefix = signed_prefix(id, timestamp);
    let digest = hmac_sha256::digest(key, &[prefix.as_bytes(), body]);
    format!("v1,{}", STANDARD.encode(digest))
}

/// Whether any `v1` signature is the signature of `body` under `key`. Constant-time per
/// comparison.
pub fn matches(
    key: &[u8],
    id: &str,
    timestamp: &str,
    signatures: &Signatures,
    body: &[u8],
) -> bool {
    let prefix = signed_prefix(id, timestamp);
    signatures
        .v1
        .iter()
        .any(|candidate| hmac_sha256::matches(key, &[prefix.as_bytes(), body], candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The published vector of the Standard Webhooks specification.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: &str = "1614265330";
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_published_vector_signs_and_verifies() {
        let key = decode_secret(SECRET).unwrap();
        assert_eq!(sign(&key, ID, TIMESTAMP, BODY), SIGNATURE);
        assert!(matches(
            &key,
            ID,
            TIMESTAMP,
            &parse_signatures(SIGNATURE),
            BODY
        ));
    }

    #[test]
    fn unpadded_secrets_and_signatures_are_accepted() {
        let padded = decode_secret("whsec_YWJj").unwrap();
        assert_eq!(decode_secret("whsec_YWI").unwrap(), b"ab");
        assert_eq!(decode_secret("YWJj").unwrap(), padded);
        let key = decode_secret(SECRET).unwrap();
        let unpadded = parse_signatures(SIGNATURE.trim_end_matches('='));
        assert!(matches(&key, ID, TIMESTAMP, &unpadded, BODY));
    }

    #[test]
    fn any_of_several_space_separated_signatures_may_match() {
        let value = format!("v1a,ignored v1,{} {SIGNATURE}", STANDARD.encode([0u8; 32]));
        let parsed = parse_signatures(&value);
        assert_eq!(parsed.v1.len(), 2);
        let key = decode_secret(SECRET).unwrap();
        assert!(matches(&key, ID, TIMESTAMP, &parsed, BODY));
    }

    #[test]
    fn negative_cases_do_not_verify() {
        let key = decode_secret(SECRET).unwrap();
        let partial = parse_signatures("v1,");
        assert_eq!((partial.v1.len(), partial.malformed_v1), (0, 1));
        let wrong = parse_signatures("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");
        assert!(!matches(&key, ID, TIMESTAMP, &wrong, BODY));
        assert!(!matches(
            &key,
            ID,
            "1614265331",
            &parse_signatures(SIGNATURE),
            BODY
        ));
        assert_eq!(decode_secret(""), Err(SecretError::Empty));
        assert_eq!(decode_secret("whsec_"), Err(SecretError::Empty));
        assert_eq!(decode_secret("whsec_%%%"), Err(SecretError::NotBase64));
    }
}
