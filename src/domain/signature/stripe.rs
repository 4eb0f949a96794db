//! Stripe's signature: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]` with
//! `v1 = hex(HMAC-SHA256(key = the whole secret string, "<t>.<raw body>"))`. It is Cativa's
//! scheme under another header name, so the parsing and matching are Cativa's.

pub use super::cativa::{HeaderError, SignatureHeader, matches, parse_header, sign};

pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

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
}
