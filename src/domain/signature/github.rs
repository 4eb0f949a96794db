//! GitHub's signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(key = secret, raw body)>`.
//! No timestamp is signed, so GitHub deliveries have no time check.

use super::hmac_sha256;

pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";
const PREFIX: &str = "sha256=";

/// What is wrong with an `X-Hub-Signature-256` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("it does not start with `sha256=`")]
    NoPrefix,
    #[error("`{0}` is not 64 hex characters")]
    NotHex(String),
}

/// Parses `sha256=<hex>` (hex compared case-insensitively) into the 32 signature bytes.
pub fn parse_header(value: &str) -> Result<[u8; 32], HeaderError> {
    let hex_digits = value
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(HeaderError::NoPrefix)?;
    let mut signature = [0u8; 32];
    hex::decode_to_slice(hex_digits, &mut signature)
        .map_err(|_| HeaderError::NotHex(hex_digits.to_string()))?;
    Ok(signature)
}

/// The header value GitHub would send for `body`.
pub fn signature_header(secret: &str, body: &[u8]) -> String {
    format!(
        "{PREFIX}{}",
        hex::encode(hmac_sha256::digest(secret.as_bytes(), &[body]))
    )
}

/// Whether `signature` is the signature of `body` under `secret`, compared in constant time.
pub fn matches(secret: &str, signature: &[u8; 32], body: &[u8]) -> bool {
    hmac_sha256::matches(secret.as_bytes(), &[body], signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GitHub's documented example, checked with
    /// `printf '%s' 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"`.
    #[test]
    fn githubs_published_example_verifies() {
        let value = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(
            signature_header("It's a Secret to Everybody", b"Hello, World!"),
            value
        );
        let signature = parse_header(&value.to_uppercase().replace("SHA256=", "sha256=")).unwrap();
        assert!(matches(
            "It's a Secret to Everybody",
            &signature,
            b"Hello, World!"
        ));
        assert!(!matches(
            "It's a Secret to Everybody",
            &signature,
            b"Hello, World!\n"
        ));
    }

    #[test]
    fn malformed_values_say_what_is_wrong() {
        assert_eq!(parse_header("abc"), Err(HeaderError::NoPrefix));
        assert_eq!(
            parse_header("sha256=zz"),
            Err(HeaderError::NotHex("zz".into()))
        );
    }
}
