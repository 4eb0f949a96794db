//! Standard Webhooks (Svix): headers `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64> [v1,<base64> ...]` (space separated), where
//! `v1 = base64(HMAC-SHA256(key, "<id>.<timestamp>.<raw body>"))` and the key is the secret
//! base64-decoded after its `whsec_` prefix (unlike Cativa and Stripe, which use the string).
//! Signature values are held to what the Standard Webhooks libraries accept: they split the
//! value on single spaces and each entry on its comma, trim nothing, and compare each `v1`
//! with their padded base64 digest as text. A value they would refuse is refused here with the
//! reason, so that a sender tested against hooktool does not fail against them.

use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::{Blank, hmac_sha256, without_surrounding_blanks};

pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// Svix, which runs Standard Webhooks, sends the same three values under its own names.
pub const SVIX_ID_HEADER: &str = "svix-id";
pub const SVIX_TIMESTAMP_HEADER: &str = "svix-timestamp";
pub const SVIX_SIGNATURE_HEADER: &str = "svix-signature";
const SECRET_PREFIX: &str = "whsec_";

/// Secrets are accepted with or without their `=` padding, as providers differ; signatures
/// only padded, as every Standard Webhooks library compares them.
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

/// What the Standard Webhooks libraries would refuse in a `webhook-signature` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error(
        "{0} in the value: the Standard Webhooks libraries split it on single spaces and trim \
         nothing, so they reject it"
    )]
    Blank(Blank),
    #[error(
        "a space after a comma: the Standard Webhooks libraries split the value on spaces, so \
         the signature is cut from its version and they reject it"
    )]
    SpaceAfterComma,
    // The JavaScript, Rust and Go libraries skip the empty entry; the Python one raises.
    #[error(
        "two spaces in a row: the Standard Webhooks Python library fails on the empty entry \
         between them"
    )]
    EmptyEntry,
    #[error(
        "`{0}` is not one `version,signature` pair: the Standard Webhooks Python library fails \
         on it"
    )]
    NotAPair(String),
    #[error(
        "unpadded base64 in a v1 signature: the Standard Webhooks libraries compare the padded \
         base64 text, so they reject it"
    )]
    Unpadded,
}

/// Parses `v1,<base64>[ v1,<base64>...]` as the Standard Webhooks libraries read it.
pub fn parse_signatures(value: &str) -> Result<Signatures, SignatureError> {
    let value = without_surrounding_blanks(value);
    let mut signatures = Signatures {
        v1: Vec::new(),
        malformed_v1: 0,
    };
    if value.is_empty() {
        return Ok(signatures);
    }
    if let Some(blank) = value.chars().find(|c| c.is_whitespace() && *c != ' ') {
        return Err(SignatureError::Blank(Blank(blank)));
    }
    if value.contains(", ") {
        return Err(SignatureError::SpaceAfterComma);
    }
    for entry in value.split(' ') {
        if entry.is_empty() {
            return Err(SignatureError::EmptyEntry);
        }
        let Some((version, encoded)) = entry
            .split_once(',')
            .filter(|(_, encoded)| !encoded.contains(','))
        else {
            return Err(SignatureError::NotAPair(entry.to_string()));
        };
        if version != "v1" {
            continue;
        }
        match STANDARD.decode(encoded).map(<[u8; 32]>::try_from) {
            Ok(Ok(signature)) => signatures.v1.push(signature),
            _ if LENIENT_BASE64
                .decode(encoded)
                .is_ok_and(|decoded| decoded.len() == 32) =>
            {
                return Err(SignatureError::Unpadded);
            }
            _ => signatures.malformed_v1 += 1,
        }
    }
    Ok(signatures)
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
    hmac_sha256::matches_any(
        key,
        &[prefix.as_bytes(), body],
        signatures.v1.iter().map(|candidate| candidate.as_slice()),
    )
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
            &parse_signatures(SIGNATURE).unwrap(),
            BODY
        ));
    }

    #[test]
    fn unpadded_secrets_are_accepted() {
        let padded = decode_secret("whsec_YWJj").unwrap();
        assert_eq!(decode_secret("whsec_YWI").unwrap(), b"ab");
        assert_eq!(decode_secret("YWJj").unwrap(), padded);
    }

    #[test]
    fn what_the_standard_webhooks_libraries_refuse_is_refused_with_the_reason() {
        let second = format!("v1,{}", STANDARD.encode([0u8; 32]));
        let refused = [
            (
                SIGNATURE.trim_end_matches('=').to_string(),
                SignatureError::Unpadded,
            ),
            (
                format!("{second}\t{SIGNATURE}"),
                SignatureError::Blank(Blank('\t')),
            ),
            (format!("{second}  {SIGNATURE}"), SignatureError::EmptyEntry),
            (
                format!("v1, {}", &SIGNATURE[3..]),
                SignatureError::SpaceAfterComma,
            ),
            (
                format!("{SIGNATURE},extra"),
                SignatureError::NotAPair(format!("{SIGNATURE},extra")),
            ),
            (
                format!("garbage {SIGNATURE}"),
                SignatureError::NotAPair("garbage".into()),
            ),
        ];
        for (value, error) in refused {
            assert_eq!(parse_signatures(&value), Err(error), "{value}");
        }
        // HTTP drops the blanks around a field value before any library sees it.
        let key = decode_secret(SECRET).unwrap();
        let around = parse_signatures(&format!(" {SIGNATURE}\t")).unwrap();
        assert!(matches(&key, ID, TIMESTAMP, &around, BODY));
        assert_eq!(
            SignatureError::Unpadded.to_string(),
            "unpadded base64 in a v1 signature: the Standard Webhooks libraries compare the \
             padded base64 text, so they reject it"
        );
    }

    #[test]
    fn any_of_several_space_separated_signatures_may_match() {
        let value = format!("v1a,ignored v1,{} {SIGNATURE}", STANDARD.encode([0u8; 32]));
        let parsed = parse_signatures(&value).unwrap();
        assert_eq!(parsed.v1.len(), 2);
        let key = decode_secret(SECRET).unwrap();
        assert!(matches(&key, ID, TIMESTAMP, &parsed, BODY));
    }

    #[test]
    fn negative_cases_do_not_verify() {
        let key = decode_secret(SECRET).unwrap();
        let partial = parse_signatures("v1,").unwrap();
        assert_eq!((partial.v1.len(), partial.malformed_v1), (0, 1));
        let wrong = parse_signatures("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=").unwrap();
        assert!(!matches(&key, ID, TIMESTAMP, &wrong, BODY));
        assert!(!matches(
            &key,
            ID,
            "1614265331",
            &parse_signatures(SIGNATURE).unwrap(),
            BODY
        ));
        assert_eq!(decode_secret(""), Err(SecretError::Empty));
        assert_eq!(decode_secret("whsec_"), Err(SecretError::Empty));
        assert_eq!(decode_secret("whsec_%%%"), Err(SecretError::NotBase64));
    }
}
