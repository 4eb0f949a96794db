//! A provider pack's `hmac` scheme: the signed message and the header value as templates over
//! `{timestamp}`, `{id}`, `{body}` and `{signature}`, with the hash, encoding and key derivation
//! the pack names. One description covers Cativa, Stripe, Standard Webhooks, GitHub, Shopify.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::hmac_sha256::{self, Algorithm};
use super::standard;

/// A value a template can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placeholder {
    Timestamp,
    Id,
    Body,
    Signature,
}

impl Placeholder {
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Timestamp => "timestamp",
            Placeholder::Id => "id",
            Placeholder::Body => "body",
            Placeholder::Signature => "signature",
        }
    }

    fn from_name(name: &str) -> Option<Placeholder> {
        [
            Placeholder::Timestamp,
            Placeholder::Id,
            Placeholder::Body,
            Placeholder::Signature,
        ]
        .into_iter()
        .find(|placeholder| placeholder.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Part {
    Literal(String),
    Value(Placeholder),
}

/// Text with `{placeholder}`s; `{{` and `}}` stand for literal braces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    parts: Vec<Part>,
    source: String,
}

impl Template {
    /// Parses `text`, accepting only the placeholders in `allowed`.
    pub fn parse(text: &str, allowed: &[Placeholder]) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let name: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    let placeholder = Placeholder::from_name(&name)
                        .filter(|placeholder| allowed.contains(placeholder))
                        .ok_or_else(|| {
                            let known: Vec<String> = allowed
                                .iter()
                                .map(|placeholder| format!("{{{}}}", placeholder.name()))
                                .collect();
                            format!(
                                "unknown placeholder `{{{name}}}`; this template may use {}",
                                known.join(" ")
                            )
                        })?;
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Value(placeholder));
                }
                '}' => return Err("a lone `}` (write `}}` for a literal brace)".to_string()),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template {
            parts,
            source: text.to_string(),
        })
    }

    pub fn uses(&self, placeholder: Placeholder) -> bool {
        self.parts.contains(&Part::Value(placeholder))
    }

    /// The template's pieces with each placeholder replaced by `value(placeholder)`.
    fn pieces<'a>(&'a self, value: impl Fn(Placeholder) -> &'a [u8]) -> Vec<&'a [u8]> {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => text.as_bytes(),
                Part::Value(placeholder) => value(*placeholder),
            })
            .collect()
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// How the signature bytes are written into the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    Hex,
    Base64,
}

/// How the HMAC key comes from the secret the user gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyDerivation {
    /// The secret's bytes as typed (Cativa, Stripe, GitHub).
    Raw,
    /// The secret is base64.
    Base64,
    /// `whsec_<base64>`, the prefix optional (Standard Webhooks).
    WhsecBase64,
}

/// Everything a pack says about an `hmac` signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HmacSigning {
    pub algorithm: Algorithm,
    pub encoding: Encoding,
    pub key: KeyDerivation,
    /// The signed message, over `{timestamp}`, `{id}` and `{body}`.
    pub signed: Template,
    /// The header carrying the signature.
    pub header: String,
    /// The header's value, over `{timestamp}`, `{id}` and `{signature}`.
    pub value: Template,
    /// The timestamp in a header of its own, when the provider sends one.
    pub timestamp_header: Option<String>,
    /// The event id in a header of its own, stable across retries.
    pub id_header: Option<String>,
}

/// Why a secret cannot be made into this scheme's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the secret is empty")]
    Empty,
    #[error("the secret is not base64, as this provider's key must be")]
    NotBase64,
    #[error("the secret is not base64 after its `whsec_` prefix")]
    NotWhsecBase64,
}

impl HmacSigning {
    /// The HMAC key for `secret`.
    pub fn key_of(&self, secret: &str) -> Result<Vec<u8>, KeyError> {
        match self.key {
            KeyDerivation::Raw if secret.is_empty() => Err(KeyError::Empty),
            KeyDerivation::Raw => Ok(secret.as_bytes().to_vec()),
            KeyDerivation::Base64 => match STANDARD.decode(secret) {
                Ok(key) if key.is_empty() => Err(KeyError::Empty),
                Ok(key) => Ok(key),
                Err(_) => Err(KeyError::NotBase64),
            },
            KeyDerivation::WhsecBase64 => {
                standard::decode_secret(secret).map_err(|error| match error {
                    standard::SecretError::Empty => KeyError::Empty,
                    standard::SecretError::NotBase64 => KeyError::NotWhsecBase64,
                })
            }
        }
    }

    /// A new secret for this scheme from random `bytes`, written as its keys are: Cativa-style
    /// `whsec_<hex>` for raw keys, `whsec_<base64>` or plain base64 for decoded ones.
    pub fn new_secret(&self, bytes: &[u8]) -> String {
        match self.key {
            KeyDerivation::Raw => format!("whsec_{}", hex::encode(bytes)),
            KeyDerivation::Base64 => STANDARD.encode(bytes),
            KeyDerivation::WhsecBase64 => format!("whsec_{}", STANDARD.encode(bytes)),
        }
    }

    /// The `key` value of `provider.toml` this scheme was described with.
    pub fn key_name(&self) -> &'static str {
        match self.key {
            KeyDerivation::Raw => "raw",
            KeyDerivation::Base64 => "base64",
            KeyDerivation::WhsecBase64 => "whsec-base64",
        }
    }

    /// The encoded signature of `body` sent at `timestamp` with event id `id`.
    pub fn signature(&self, key: &[u8], timestamp: i64, id: &str, body: &[u8]) -> String {
        let timestamp = timestamp.to_string();
        let pieces = self.signed.pieces(|placeholder| match placeholder {
            Placeholder::Timestamp => timestamp.as_bytes(),
            Placeholder::Id => id.as_bytes(),
            Placeholder::Body => body,
            Placeholder::Signature => b"",
        });
        let digest = hmac_sha256::digest_with(self.algorithm, key, &pieces);
        match self.encoding {
            Encoding::Hex => hex::encode(digest),
            Encoding::Base64 => STANDARD.encode(digest),
        }
    }

    /// The header value carrying `signatures` (already encoded), as the provider writes several
    /// while a secret is rotated: the text before `{signature}` repeated, after a space when
    /// that text starts with a letter (`v1,a v1,b`), as is (`t=1,v1=a,v1=b`) otherwise.
    pub fn value_with(&self, timestamp: i64, id: &str, signatures: &[String]) -> String {
        let mut digits = itoa::Buffer::new();
        let timestamp = digits.format(timestamp);
        let signed: usize = signatures.iter().map(String::len).sum();
        let mut value = String::with_capacity(self.value.source.len() + signed + 32);
        for part in &self.value.parts {
            match part {
                Part::Literal(text) => value.push_str(text),
                Part::Value(Placeholder::Timestamp) => value.push_str(timestamp),
                Part::Value(Placeholder::Id) => value.push_str(id),
                Part::Value(Placeholder::Body) => {}
                Part::Value(Placeholder::Signature) => {
                    if let [only] = signatures {
                        value.push_str(only);
                    } else {
                        value.push_str(&signatures.join(&self.signature_separator()));
                    }
                }
            }
        }
        value
    }

    /// What goes between two signatures in one header value.
    fn signature_separator(&self) -> String {
        let before = self
            .value
            .parts
            .iter()
            .position(|part| *part == Part::Value(Placeholder::Signature))
            .and_then(|at| at.checked_sub(1))
            .and_then(|at| match &self.value.parts[at] {
                Part::Literal(text) => Some(text.as_str()),
                Part::Value(_) => None,
            })
            .unwrap_or("");
        if before.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            format!(" {before}")
        } else if before.is_empty() {
            " ".to_string()
        } else {
            before.to_string()
        }
    }

    /// What is signed before the body, for explanations (the whole message when the body
    /// comes first or not at all).
    pub fn signed_prefix(&self, timestamp: i64, id: &str) -> String {
        let timestamp = timestamp.to_string();
        let mut prefix = String::new();
        for part in &self.signed.parts {
            match part {
                Part::Literal(text) => prefix.push_str(text),
                Part::Value(Placeholder::Timestamp) => prefix.push_str(&timestamp),
                Part::Value(Placeholder::Id) => prefix.push_str(id),
                Part::Value(Placeholder::Body) => break,
                Part::Value(Placeholder::Signature) => {}
            }
        }
        prefix
    }

    /// The headers that authenticate one attempt: the signature header, then the timestamp
    /// and id headers where the pack names them.
    pub fn headers(
        &self,
        key: &[u8],
        timestamp: i64,
        id: &str,
        body: &[u8],
    ) -> Vec<(String, String)> {
        let signature = self.signature(key, timestamp, id, body);
        self.headers_carrying(timestamp, id, Some(&[signature]))
    }

    /// The authentication headers carrying `signatures` (already encoded) at `timestamp`:
    /// `None` leaves the signature header out, an empty list sends it empty.
    pub fn headers_carrying(
        &self,
        timestamp: i64,
        id: &str,
        signatures: Option<&[String]>,
    ) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        if let Some(signatures) = signatures {
            let value = if signatures.is_empty() {
                String::new()
            } else {
                self.value_with(timestamp, id, signatures)
            };
            headers.push((self.header.clone(), value));
        }
        if let Some(name) = &self.timestamp_header {
            headers.push((name.clone(), timestamp.to_string()));
        }
        if let Some(name) = &self.id_header {
            headers.push((name.clone(), id.to_string()));
        }
        headers
    }
}

/// What a received header value carries, read by its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedValue {
    pub timestamp: Option<String>,
    pub id: Option<String>,
    /// Every signature the value holds: providers send several while a secret is rotated.
    pub signatures: Vec<String>,
}

impl HmacSigning {
    /// Reads a received header value by the `value` template. Several signatures are accepted
    /// where the template's text before `{signature}` repeats (`,v1=` for Stripe, ` v1,` for
    /// Standard Webhooks); each is cut where its encoding's alphabet ends.
    pub fn read_value(&self, received: &str) -> Result<SignedValue, String> {
        let mismatch = || format!("does not have the form `{}`", self.value);
        let mut read = SignedValue {
            timestamp: None,
            id: None,
            signatures: Vec::new(),
        };
        let mut rest = received;
        let parts = &self.value.parts;
        let mut index = 0;
        while index < parts.len() {
            match &parts[index] {
                Part::Literal(text) => {
                    rest = rest.strip_prefix(text.as_str()).ok_or_else(mismatch)?;
                }
                Part::Value(placeholder) => {
                    // A value runs to the next literal, or to the end; the signatures run to
                    // the end, as several may follow one another.
                    let end = match parts.get(index + 1) {
                        Some(Part::Literal(next)) if *placeholder != Placeholder::Signature => {
                            rest.find(next.as_str()).ok_or_else(mismatch)?
                        }
                        _ => rest.len(),
                    };
                    let (captured, after) = rest.split_at(end);
                    match placeholder {
                        Placeholder::Timestamp => read.timestamp = Some(captured.to_string()),
                        Placeholder::Id => read.id = Some(captured.to_string()),
                        Placeholder::Signature => {
                            read.signatures = self.signatures_in(captured, index);
                            // Whatever follows the signatures is not this template's business.
                            return if read.signatures.is_empty() {
                                Err(format!("holds no signature where `{}` has one", self.value))
                            } else {
                                Ok(read)
                            };
                        }
                        Placeholder::Body => {}
                    }
                    rest = after;
                }
            }
            index += 1;
        }
        Err(mismatch())
    }

    fn signatures_in(&self, captured: &str, index: usize) -> Vec<String> {
        let in_alphabet = |c: char| match self.encoding {
            Encoding::Hex => c.is_ascii_hexdigit(),
            Encoding::Base64 => c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='),
        };
        let separator = match index.checked_sub(1).map(|before| &self.value.parts[before]) {
            Some(Part::Literal(text)) => text.as_str(),
            _ => "",
        };
        let pieces: Vec<&str> = if separator.trim().is_empty() {
            vec![captured]
        } else {
            captured.split(separator).collect()
        };
        pieces
            .into_iter()
            .map(|piece| {
                let piece = piece.trim_start();
                let end = piece.find(|c| !in_alphabet(c)).unwrap_or(piece.len());
                piece[..end].to_string()
            })
            .filter(|signature| !signature.is_empty())
            .collect()
    }

    /// Whether any of `signatures` is the signature of `body` under `key`, compared in constant
    /// time, as encoded by this scheme.
    pub fn matches(
        &self,
        key: &[u8],
        timestamp: i64,
        id: &str,
        body: &[u8],
        signatures: &[String],
    ) -> bool {
        use subtle::ConstantTimeEq;
        let expected = self.signature(key, timestamp, id, body);
        signatures
            .iter()
            .any(|candidate| bool::from(candidate.as_bytes().ct_eq(expected.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signature::{cativa, github, stripe};

    const SIGNED: &[Placeholder] = &[Placeholder::Timestamp, Placeholder::Id, Placeholder::Body];
    const VALUE: &[Placeholder] = &[
        Placeholder::Timestamp,
        Placeholder::Id,
        Placeholder::Signature,
    ];

    fn scheme(
        algorithm: Algorithm,
        encoding: Encoding,
        key: KeyDerivation,
        signed: &str,
        header: &str,
        value: &str,
    ) -> HmacSigning {
        HmacSigning {
            algorithm,
            encoding,
            key,
            signed: Template::parse(signed, SIGNED).unwrap(),
            header: header.to_string(),
            value: Template::parse(value, VALUE).unwrap(),
            timestamp_header: None,
            id_header: None,
        }
    }

    #[test]
    fn templates_name_only_their_placeholders() {
        assert_eq!(
            Template::parse("{timestamp}.{sig}", SIGNED).unwrap_err(),
            "unknown placeholder `{sig}`; this template may use {timestamp} {id} {body}"
        );
        assert!(Template::parse("{signature}", SIGNED).is_err());
        assert!(Template::parse("a}b", VALUE).is_err());
        let braces = Template::parse("{{{signature}}}", VALUE).unwrap();
        assert!(braces.uses(Placeholder::Signature));
        assert_eq!(braces.pieces(|_| b"x").concat(), b"{x}");
    }

    #[test]
    fn a_stripe_pack_signs_as_stripe_does() {
        const SECRET: &str =
            "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        const BODY: &[u8] = br#"{"id":"evt_1","object":"event"}"#;
        let pack = scheme(
            Algorithm::Sha256,
            Encoding::Hex,
            KeyDerivation::Raw,
            "{timestamp}.{body}",
            "Stripe-Signature",
            "t={timestamp},v1={signature}",
        );
        let key = pack.key_of(SECRET).unwrap();
        let headers = pack.headers(&key, 1_700_000_000, "", BODY);
        assert_eq!(headers[0].0, stripe::SIGNATURE_HEADER);
        // Stripe's header has Cativa's shape; its parser and check are shared.
        let parsed = cativa::parse_header(&headers[0].1).unwrap();
        assert_eq!(parsed.timestamp, 1_700_000_000);
        assert!(cativa::matches(SECRET, &parsed, BODY));
        assert_eq!(
            headers[0].1,
            cativa::signature_header(SECRET, 1_700_000_000, BODY)
        );
    }

    #[test]
    fn a_standard_webhooks_pack_signs_the_published_vector() {
        let mut pack = scheme(
            Algorithm::Sha256,
            Encoding::Base64,
            KeyDerivation::WhsecBase64,
            "{id}.{timestamp}.{body}",
            standard::SIGNATURE_HEADER,
            "v1,{signature}",
        );
        pack.timestamp_header = Some(standard::TIMESTAMP_HEADER.to_string());
        pack.id_header = Some(standard::ID_HEADER.to_string());
        let key = pack
            .key_of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap();
        let headers = pack.headers(
            &key,
            1_614_265_330,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(
            headers,
            vec![
                (
                    "webhook-signature".to_string(),
                    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=".to_string()
                ),
                ("webhook-timestamp".to_string(), "1614265330".to_string()),
                (
                    "webhook-id".to_string(),
                    "msg_p5jXN8AQM9LWM0D4loKWxJek".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_github_pack_signs_githubs_published_example() {
        let pack = scheme(
            Algorithm::Sha256,
            Encoding::Hex,
            KeyDerivation::Raw,
            "{body}",
            github::SIGNATURE_HEADER,
            "sha256={signature}",
        );
        let key = pack.key_of("It's a Secret to Everybody").unwrap();
        let headers = pack.headers(&key, 0, "", b"Hello, World!");
        assert_eq!(
            headers[0].1,
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
        assert_eq!(
            headers[0].1,
            github::signature_header("It's a Secret to Everybody", b"Hello, World!")
        );
    }

    #[test]
    fn a_shopify_style_pack_signs_base64_of_the_body() {
        let pack = scheme(
            Algorithm::Sha256,
            Encoding::Base64,
            KeyDerivation::Raw,
            "{body}",
            "X-Shopify-Hmac-Sha256",
            "{signature}",
        );
        let key = pack.key_of("secret").unwrap();
        let digest = hmac_sha256::digest(b"secret", &[b"{}"]);
        assert_eq!(pack.signature(&key, 0, "", b"{}"), STANDARD.encode(digest));
    }

    #[test]
    fn received_values_are_read_by_their_template() {
        let stripe = scheme(
            Algorithm::Sha256,
            Encoding::Hex,
            KeyDerivation::Raw,
            "{timestamp}.{body}",
            "Stripe-Signature",
            "t={timestamp},v1={signature}",
        );
        let read = stripe
            .read_value("t=1700000000,v1=ab12,v1=cd34,v0=ffff")
            .unwrap();
        assert_eq!(read.timestamp.as_deref(), Some("1700000000"));
        assert_eq!(read.signatures, ["ab12", "cd34"]);
        assert_eq!(
            stripe.read_value("v1=ab12").unwrap_err(),
            "does not have the form `t={timestamp},v1={signature}`"
        );
        assert!(stripe.read_value("t=1,v1=").is_err());

        let standard = scheme(
            Algorithm::Sha256,
            Encoding::Base64,
            KeyDerivation::WhsecBase64,
            "{id}.{timestamp}.{body}",
            "webhook-signature",
            "v1,{signature}",
        );
        let read = standard
            .read_value("v1,g0hM9SsE+OTPJTGt/tmI= v1,AAAA")
            .unwrap();
        assert_eq!(read.signatures, ["g0hM9SsE+OTPJTGt/tmI=", "AAAA"]);
    }

    #[test]
    fn a_signed_value_verifies_and_a_changed_body_does_not() {
        let pack = scheme(
            Algorithm::Sha512,
            Encoding::Base64,
            KeyDerivation::Raw,
            "{id}:{timestamp}:{body}",
            "X-Sig",
            "{id};{timestamp};{signature}",
        );
        let key = pack.key_of("s3cret").unwrap();
        let headers = pack.headers(&key, 1_700_000_000, "evt_9", b"{\"a\":1}");
        let read = pack.read_value(&headers[0].1).unwrap();
        assert_eq!(read.id.as_deref(), Some("evt_9"));
        assert_eq!(read.timestamp.as_deref(), Some("1700000000"));
        assert!(pack.matches(&key, 1_700_000_000, "evt_9", b"{\"a\":1}", &read.signatures));
        assert!(!pack.matches(&key, 1_700_000_000, "evt_9", b"{\"a\":2}", &read.signatures));
        assert!(!pack.matches(&key, 1_700_000_001, "evt_9", b"{\"a\":1}", &read.signatures));
    }

    #[test]
    fn rotated_signatures_are_written_as_each_provider_repeats_them() {
        let stripe = scheme(
            Algorithm::Sha256,
            Encoding::Hex,
            KeyDerivation::Raw,
            "{timestamp}.{body}",
            "Stripe-Signature",
            "t={timestamp},v1={signature}",
        );
        let two = ["aa".to_string(), "bb".to_string()];
        assert_eq!(stripe.value_with(5, "", &two), "t=5,v1=aa,v1=bb");
        assert_eq!(
            stripe.read_value("t=5,v1=aa,v1=bb").unwrap().signatures,
            two
        );
        let standard = scheme(
            Algorithm::Sha256,
            Encoding::Base64,
            KeyDerivation::WhsecBase64,
            "{id}.{timestamp}.{body}",
            "webhook-signature",
            "v1,{signature}",
        );
        assert_eq!(standard.value_with(5, "m", &two), "v1,aa v1,bb");
        assert_eq!(standard.read_value("v1,aa v1,bb").unwrap().signatures, two);
    }

    #[test]
    fn keys_that_cannot_be_derived_say_why() {
        let mut pack = scheme(
            Algorithm::Sha1,
            Encoding::Hex,
            KeyDerivation::Raw,
            "{body}",
            "X-Sig",
            "{signature}",
        );
        assert_eq!(pack.key_of(""), Err(KeyError::Empty));
        pack.key = KeyDerivation::Base64;
        assert_eq!(pack.key_of("%%"), Err(KeyError::NotBase64));
        pack.key = KeyDerivation::WhsecBase64;
        assert_eq!(pack.key_of("whsec_%%"), Err(KeyError::NotWhsecBase64));
    }
}
