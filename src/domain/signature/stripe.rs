//! Stripe's signature: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]` with
//! `v1 = hex(HMAC-SHA256(key = the whole secret string, "<t>.<raw body>"))`. It is Cativa's
//! scheme under another header name, held to what Stripe's own libraries accept: they split the
//! value on `,` and `=` without trimming, and compare each `v1` with their lower-case hex digest
//! as text. A header they would refuse is refused here with the reason, so that a sender tested
//! against hooktool does not fail against them.

use super::{Blank, cativa, without_surrounding_blanks};

pub use super::cativa::{SignatureHeader, matches, sign};

pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// What is wrong with a `Stripe-Signature` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error(transparent)]
    Shape(#[from] cativa::HeaderError),
    // stripe-ruby alone skips blanks after commas; stripe-node, stripe-python and stripe-go
    // read ` v1` as an unknown key and ` t` as no timestamp.
    #[error(
        "{0} after a comma: Stripe's Node, Python and Go libraries split on `,` and trim \
         nothing, so they reject it"
    )]
    BlankAfterComma(Blank),
    #[error(
        "{0} inside the value: Stripe's Node, Python and Go libraries trim nothing, so they \
         reject it"
    )]
    Blank(Blank),
    // stripe-go decodes the hex and would accept it; the others compare text.
    #[error(
        "upper-case hex in a v1 signature: Stripe sends lower-case hex, and its Node, Python and \
         Ruby libraries compare it as text, so they reject it"
    )]
    UpperCaseHex,
}

/// Parses `t=<unix>,v1=<hex>[,v1=<hex>...]` as Stripe's libraries read it.
pub fn parse_header(value: &str) -> Result<SignatureHeader, HeaderError> {
    let value = without_surrounding_blanks(value);
    let mut previous = None;
    for character in value.chars() {
        if character.is_whitespace() {
            return Err(match previous {
                Some(',') => HeaderError::BlankAfterComma(Blank(character)),
                _ => HeaderError::Blank(Blank(character)),
            });
        }
        previous = Some(character);
    }
    let parsed = cativa::parse_header(value)?;
    let upper_case_signature = value
        .split(',')
        .filter_map(|item| item.strip_prefix("v1="))
        .any(|hex| {
            hex.len() == 64
                && hex.bytes().all(|byte| byte.is_ascii_hexdigit())
                && hex.bytes().any(|byte| byte.is_ascii_uppercase())
        });
    if upper_case_signature {
        return Err(HeaderError::UpperCaseHex);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const BODY: &[u8] = br#"{"id":"evt_1","object":"event"}"#;

    /// Computed independently:
    /// `printf '%s' '1700000000.{"id":"evt_1","object":"event"}' | openssl dgst -sha256 -hmac "$SECRET"`.
    const OPENSSL_V1: &str = "cea8fea69dba9e7d105569ab9ad787f5317daf64b1600d19aadc814f214bfb2e";

    #[test]
    fn signature_matches_openssl() {
        assert_eq!(sign(SECRET, 1_700_000_000, BODY), OPENSSL_V1);
    }

    #[test]
    fn a_stripe_header_with_rotated_signatures_verifies() {
        let header = format!(
            "t=1700000000,v1={},v1={OPENSSL_V1},v0=ignored",
            "ab".repeat(32)
        );
        let parsed = parse_header(&header).unwrap();
        assert!(matches(SECRET, &parsed, BODY));
        assert!(!matches("whsec_other", &parsed, BODY));
    }

    #[test]
    fn the_exact_form_parses_and_what_stripes_libraries_refuse_is_refused() {
        let exact = format!("t=1700000000,v1={OPENSSL_V1}");
        assert!(matches(SECRET, &parse_header(&exact).unwrap(), BODY));
        // HTTP drops the blanks around a field value before any library sees it.
        assert!(parse_header(&format!(" {exact}\t")).is_ok());
        let refused = [
            (
                format!("t=1700000000, v1={OPENSSL_V1}"),
                HeaderError::BlankAfterComma(Blank(' ')),
            ),
            (
                format!("t=1700000000,\tv1={OPENSSL_V1}"),
                HeaderError::BlankAfterComma(Blank('\t')),
            ),
            (
                format!("t=1700000000 ,v1={OPENSSL_V1}"),
                HeaderError::Blank(Blank(' ')),
            ),
            (
                format!("t=1700000000,v1= {OPENSSL_V1}"),
                HeaderError::Blank(Blank(' ')),
            ),
            (
                format!("t=1700000000,v1={}", OPENSSL_V1.to_uppercase()),
                HeaderError::UpperCaseHex,
            ),
            (
                format!("t=1700000000,v1={OPENSSL_V1},v1={}", "AB".repeat(32)),
                HeaderError::UpperCaseHex,
            ),
        ];
        for (value, error) in refused {
            assert_eq!(parse_header(&value), Err(error), "{value}");
        }
        assert_eq!(
            parse_header("v1=00"),
            Err(HeaderError::Shape(cativa::HeaderError::NoTimestamp))
        );
    }

    #[test]
    fn each_refusal_says_why() {
        assert_eq!(
            HeaderError::BlankAfterComma(Blank(' ')).to_string(),
            "a space after a comma: Stripe's Node, Python and Go libraries split on `,` and trim \
             nothing, so they reject it"
        );
        assert!(
            HeaderError::UpperCaseHex
                .to_string()
                .starts_with("upper-case hex in a v1 signature: ")
        );
    }
}
