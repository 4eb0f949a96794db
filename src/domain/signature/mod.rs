//! Signing and verification schemes, one module each. Pure functions over bytes: what is signed
//! is exactly what is sent, and what is verified is exactly what was received.

pub mod beedeez;
pub mod cativa;
pub mod github;
pub mod hmac_sha256;
pub mod standard;
pub mod stripe;
pub mod template;
pub mod wix;

/// A header value without the spaces and tabs around it, which HTTP drops before any
/// verifier sees the value; those inside it are the scheme's to judge.
fn without_surrounding_blanks(value: &str) -> &str {
    value.trim_matches([' ', '\t'])
}

/// The 32 bytes that 64 hex digits spell, either case; `None` for anything else. The decoder
/// would also take a `0x` before the digits, which no provider sends and none accepts.
fn hex_signature(digits: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    let prefixed = digits.as_bytes().starts_with(b"0x") || digits.as_bytes().starts_with(b"0X");
    (!prefixed && hex::decode_to_slice(digits, &mut bytes).is_ok()).then_some(bytes)
}

/// A whitespace character as a reader would name it: "a space", "a tab".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blank(pub char);

impl std::fmt::Display for Blank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            ' ' => f.write_str("a space"),
            '\t' => f.write_str("a tab"),
            other => write!(f, "whitespace (U+{:04X})", u32::from(other)),
        }
    }
}
