//! Cativa's signature: `X-Cativa-Signature: t=<unix seconds>,v1=<hex>` where
//! `v1 = hex(HMAC-SHA256(key = the whole secret string, "<t>.<raw body>"))`.
//! Stripe's `Stripe-Signature` has the same shape and HMAC, so its verifier reuses this module.

use super::hmac_sha256;

pub const SIGNATURE_HEADER: &str = "X-Cativa-Signature";
pub const EXECUTION_ID_HEADER: &str = "X-Cativa-Execution-Id";
pub const AUTOMATION_ID_HEADER: &str = "X-Cativa-Automation-Id";

/// Cativa secrets are `whsec_` and 64 hex characters, one per listener.
pub const SECRET_PREFIX: &str = "whsec_";

/// Whether `secret` has Cativa's documented shape.
pub fn is_well_formed_secret(secret: &str) -> bool {
    secret
        .strip_prefix(SECRET_PREFIX)
        .is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The hex `v1` signature of `body` at `timestamp`. The key is the secret's UTF-8 bytes,
/// `whsec_` prefix included: it is neither hex- nor base64-decoded.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut hex = [0; 64];
    let text = sign_into(&mut hex, secret, timestamp, body);
    text.to_string()
}

/// The full header value: `t=<timestamp>,v1=<signature>`.
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut hex = [0; 64];
    let signature = sign_into(&mut hex, secret, timestamp, body);
    format!("t={timestamp},v1={signature}")
}

/// Signs into a stack buffer: a delivery signs every attempt, thousands a second.
fn sign_into<'a>(hex: &'a mut [u8; 64], secret: &str, timestamp: i64, body: &[u8]) -> &'a str {
    let t = timestamp.to_string();
    let digest = hmac_sha256::digest(secret.as_bytes(), &[t.as_bytes(), b".", body]);
    hex::encode_to_slice(digest, hex).expect("64 hex characters hold 32 bytes");
    std::str::from_utf8(hex).expect("hex is ASCII")
}

/// A parsed `t=...,v1=...` header. Unknown keys (such as `v0=`) are ignored; several `v1=`
/// entries are kept, since any one matching passes (key rotation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub timestamp: i64,
    /// The decoded `v1` signatures; entries that are not 64 hex characters are kept out and
    /// counted in `malformed_v1`.
    pub v1: Vec<[u8; 32]>,
    pub malformed_v1: usize,
}

/// What is wrong with a signature header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("it is empty")]
    Empty,
    #[error("`{0}` is not a key=value pair")]
    NotKeyValue(String),
    #[error("it has no `t=` timestamp")]
    NoTimestamp,
    #[error("its timestamp `{0}` is not a whole number of seconds")]
    BadTimestamp(String),
    #[error("it has more than one `t=` timestamp")]
    SeveralTimestamps,
}

/// Parses `t=<unix>,v1=<hex>[,v1=<hex>...]`. Hex is compared case-insensitively.
pub fn parse_header(value: &str) -> Result<SignatureHeader, HeaderError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(HeaderError::Empty);
    }
    let mut timestamp = None;
    // A signature takes at least `v1=`, 64 digits and a comma: room for every one the value can
    // hold, so that a header of thousands is not copied as it grows.
    let mut v1 = Vec::with_capacity(value.len() / 68 + 1);
    let mut malformed_v1 = 0;
    for item in value.split(',') {
        let item = item.trim();
        let Some((key, val)) = item.split_once('=') else {
            return Err(HeaderError::NotKeyValue(item.to_string()));
        };
        match key.trim() {
            "t" => {
                if timestamp.is_some() {
                    return Err(HeaderError::SeveralTimestamps);
                }
                let parsed = val
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| HeaderError::BadTimestamp(val.to_string()))?;
                timestamp = Some(parsed);
            }
            "v1" => match super::hex_signature(val.trim()) {
                Some(decoded) => v1.push(decoded),
                None => malformed_v1 += 1,
            },
            _ => {}
        }
    }
    Ok(SignatureHeader {
        timestamp: timestamp.ok_or(HeaderError::NoTimestamp)?,
        v1,
        malformed_v1,
    })
}

/// Whether any of the header's `v1` signatures is the signature of `body` under `secret`.
/// Constant-time per comparison.
pub fn matches(secret: &str, header: &SignatureHeader, body: &[u8]) -> bool {
    let t = header.timestamp.to_string();
    hmac_sha256::matches_any(
        secret.as_bytes(),
        &[t.as_bytes(), b".", body],
        header.v1.iter().map(|candidate| candidate.as_slice()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// Computed independently:
    /// `printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac "$SECRET"`.
    #[test]
    fn signature_matches_openssl() {
        assert_eq!(
            sign(SECRET, 1_700_000_000, br#"{"a":1}"#),
            "74f0112b59b235c16ccd3f8a35d9114da486fc2743ed600940b4e70cb22f7574"
        );
    }

    #[test]
    fn header_round_trips() {
        let header = signature_header(SECRET, 42, b"body");
        let parsed = parse_header(&header).unwrap();
        assert_eq!(parsed.timestamp, 42);
        assert!(matches(SECRET, &parsed, b"body"));
        assert!(!matches(SECRET, &parsed, b"body\n"));
    }

    #[test]
    fn several_v1_entries_and_unknown_keys_are_accepted() {
        let good = sign(SECRET, 7, b"x");
        let value = format!(
            "t=7,v0=abc,v1={},v1={}",
            "00".repeat(32),
            good.to_uppercase()
        );
        let parsed = parse_header(&value).unwrap();
        assert_eq!(parsed.v1.len(), 2);
        assert!(matches(SECRET, &parsed, b"x"));
    }

    #[test]
    fn malformed_headers_say_what_is_wrong() {
        assert_eq!(parse_header(""), Err(HeaderError::Empty));
        assert_eq!(parse_header("v1=00"), Err(HeaderError::NoTimestamp));
        assert_eq!(
            parse_header("t=abc,v1=00"),
            Err(HeaderError::BadTimestamp("abc".into()))
        );
        assert_eq!(
            parse_header("t=1,garbage"),
            Err(HeaderError::NotKeyValue("garbage".into()))
        );
        assert_eq!(parse_header("t=1,v1=zz").unwrap().malformed_v1, 1);
        let prefixed = format!("t=1,v1=0x{}", "ab".repeat(32));
        assert_eq!(parse_header(&prefixed).unwrap().malformed_v1, 1);
    }

    #[test]
    fn secret_shape_is_checked() {
        assert!(is_well_formed_secret(SECRET));
        assert!(!is_well_formed_secret("whsec_short"));
        assert!(!is_well_formed_secret(&SECRET[6..]));
    }
}
