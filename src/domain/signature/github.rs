//! GitHub's signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(key = secret, raw body)>`.
//! No timestamp is signed, so GitHub deliveries have no time check. GitHub sends lower-case hex,
//! and the checks it documents (and `@octokit/webhooks-methods`) compare the whole value with
//! `sha256=` and their lower-case digest as text, so only that exact form is accepted here.

use super::{hmac_sha256, without_surrounding_blanks};

pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";
const PREFIX: &str = "sha256=";

/// What is wrong with an `X-Hub-Signature-256` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("it does not start with `sha256=`")]
    NoPrefix,
    #[error("`{0}` is not 64 hex characters")]
    NotHex(String),
    #[error(
        "upper-case hex: GitHub sends lower-case hex, and the checks it documents and \
         @octokit/webhooks compare the value as text, so they reject it"
    )]
    UpperCaseHex,
}

/// Parses `sha256=<64 lower-case hex>` into the 32 signature bytes.
pub fn parse_header(value: &str) -> Result<[u8; 32], HeaderError> {
    let hex_digits = without_surrounding_blanks(value)
        .strip_prefix(PREFIX)
        .ok_or(HeaderError::NoPrefix)?;
    let signature = super::hex_signature(hex_digits)
        .ok_or_else(|| HeaderError::NotHex(hex_digits.to_string()))?;
    if hex_digits.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return Err(HeaderError::UpperCaseHex);
    }
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
        let signature = parse_header(value).unwrap();
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
    fn only_the_exact_lower_case_form_is_accepted() {
        let digits = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert!(parse_header(&format!("sha256={digits}")).is_ok());
        // HTTP drops the blanks around a field value before any check sees it.
        assert!(parse_header(&format!(" sha256={digits}\t")).is_ok());
        assert_eq!(
            parse_header(&format!("sha256={}", digits.to_uppercase())),
            Err(HeaderError::UpperCaseHex)
        );
        assert_eq!(
            parse_header(&format!("sha256={}", digits.replacen('e', "E", 1))),
            Err(HeaderError::UpperCaseHex)
        );
        assert_eq!(
            parse_header(&format!("SHA256={digits}")),
            Err(HeaderError::NoPrefix)
        );
        assert_eq!(
            parse_header(&format!("sha256= {digits}")),
            Err(HeaderError::NotHex(format!(" {digits}")))
        );
        assert!(
            HeaderError::UpperCaseHex
                .to_string()
                .starts_with("upper-case hex: GitHub sends lower-case hex")
        );
    }

    #[test]
    fn malformed_values_say_what_is_wrong() {
        assert_eq!(parse_header("abc"), Err(HeaderError::NoPrefix));
        assert_eq!(
            parse_header("sha256=zz"),
            Err(HeaderError::NotHex("zz".into()))
        );
        let prefixed = format!("0x{}", "ab".repeat(32));
        assert_eq!(
            parse_header(&format!("sha256={prefixed}")),
            Err(HeaderError::NotHex(prefixed))
        );
    }
}
