//! Captured requests: the JSON Lines record `listen` writes and `verify` reads, and the event id
//! a request carries, or the key assumed for it where the provider sends none (for duplicate
//! detection). The one place that talks to `json-escape-simd`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::domain::request::{body_field, body_from_fields, find_header};
use crate::domain::signature::{beedeez, cativa, standard, wix};

/// One captured request, one line of a capture file. Field order is the file's column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureRecord {
    pub seq: u64,
    /// RFC 3339.
    pub received_at: String,
    /// Empty (and absent from the file) for a request refused before its head was read.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub method: String,
    /// Path and query, as sent; empty (and absent) for a refused request.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    pub headers: HeaderFields,
    /// Header values that are not UTF-8, in base64, byte for byte (those names are not in
    /// `headers`).
    #[serde(default, skip_serializing_if = "HeaderFields::is_empty")]
    pub headers_base64: HeaderFields,
    /// The body when it is UTF-8 text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body in base64 when it is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// The status answered; 0 when no answer could be relied on (the client ended the connection
    /// before the end of the request) or none was sent.
    pub status: u16,
    /// true/false, or null when no key was given to verify with.
    pub verified: Option<bool>,
    /// Whether the event id was seen before.
    pub duplicate: bool,
    /// The event id, when the request carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// What tells this event's deliveries apart when it carries no id (Beedeez): see
    /// [`assumed_event_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed_event_key: Option<String>,
    /// false when the request did not arrive whole, body or head (absent, so true, otherwise):
    /// such a request was never acknowledged as delivered.
    #[serde(default = "whole", skip_serializing_if = "is_whole")]
    pub complete: bool,
    /// What went wrong, when the request did not arrive whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// What the HTTP layer refused before the request could be read (`headers too large`,
    /// `malformed request`); such a record has no method, path, headers or body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

fn whole() -> bool {
    true
}

fn is_whole(complete: &bool) -> bool {
    *complete
}

impl CaptureRecord {
    /// A record of a request received at `received_at` (RFC 3339) with `body` and no headers
    /// yet ([`Self::set_headers`]); `seq`, `status` and `duplicate` are set when it is written,
    /// `verified` when checked.
    pub fn new(received_at: String, method: String, path: String, body: &[u8]) -> Self {
        let mut record = CaptureRecord {
            seq: 0,
            received_at,
            method,
            path,
            headers: HeaderFields::default(),
            headers_base64: HeaderFields::default(),
            body: None,
            body_base64: None,
            status: 0,
            verified: None,
            duplicate: false,
            event_id: None,
            assumed_event_key: None,
            complete: true,
            problem: None,
            refused: None,
        };
        record.set_body(body);
        record
    }

    /// Stores `body` as text when it is UTF-8, else as base64.
    pub fn set_body(&mut self, body: &[u8]) {
        let (field, value) = body_field(body);
        (self.body, self.body_base64) = match field {
            "body" => (Some(value), None),
            _ => (None, Some(value)),
        };
    }

    /// Stores `headers` as received: text values in `headers`, the others in `headers_base64`.
    /// A repeated header keeps every value, joined with `, ` as HTTP allows.
    pub fn set_headers(&mut self, headers: Vec<(String, Vec<u8>)>) {
        let mut joined: Vec<(String, Vec<u8>)> = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            match joined.iter_mut().find(|(seen, _)| *seen == name) {
                Some((_, existing)) => {
                    existing.extend_from_slice(b", ");
                    existing.extend_from_slice(&value);
                }
                None => joined.push((name, value)),
            }
        }
        let mut text = Vec::with_capacity(joined.len());
        let mut encoded = Vec::new();
        for (name, value) in joined {
            match String::from_utf8(value) {
                Ok(value) => text.push((name, value)),
                Err(bytes) => encoded.push((name, STANDARD.encode(bytes.into_bytes()))),
            }
        }
        self.headers = HeaderFields(text);
        self.headers_base64 = HeaderFields(encoded);
    }

    /// Appends the record as one line of JSON, newline included: what `serde_json` writes for
    /// it, field for field (a test holds them equal), with its strings escaped many bytes at a
    /// time. `listen` writes one per request, and escaping their bodies a byte at a time was a
    /// fifth of its work.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        let mut digits = itoa::Buffer::new();
        let text = |out: &mut Vec<u8>, key: &str, value: &str| {
            out.extend_from_slice(key.as_bytes());
            json_escape_simd::escape_into(value, out);
        };
        let optional = |out: &mut Vec<u8>, key: &str, value: &Option<String>| {
            if let Some(value) = value {
                text(out, key, value);
            }
        };
        let fields = |out: &mut Vec<u8>, key: &str, fields: &HeaderFields| {
            out.extend_from_slice(key.as_bytes());
            out.push(b'{');
            for (index, (name, value)) in fields.0.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                json_escape_simd::escape_into(name, out);
                out.push(b':');
                json_escape_simd::escape_into(value, out);
            }
            out.push(b'}');
        };
        out.extend_from_slice(br#"{"seq":"#);
        out.extend_from_slice(digits.format(self.seq).as_bytes());
        text(out, r#","received_at":"#, &self.received_at);
        if !self.method.is_empty() {
            text(out, r#","method":"#, &self.method);
        }
        if !self.path.is_empty() {
            text(out, r#","path":"#, &self.path);
        }
        fields(out, r#","headers":"#, &self.headers);
        if !self.headers_base64.is_empty() {
            fields(out, r#","headers_base64":"#, &self.headers_base64);
        }
        optional(out, r#","body":"#, &self.body);
        optional(out, r#","body_base64":"#, &self.body_base64);
        let verified = match self.verified {
            Some(true) => "true",
            Some(false) => "false",
            None => "null",
        };
        out.extend_from_slice(br#","status":"#);
        out.extend_from_slice(digits.format(self.status).as_bytes());
        out.extend_from_slice(br#","verified":"#);
        out.extend_from_slice(verified.as_bytes());
        out.extend_from_slice(if self.duplicate {
            br#","duplicate":true"#
        } else {
            br#","duplicate":false"#
        });
        optional(out, r#","event_id":"#, &self.event_id);
        optional(out, r#","assumed_event_key":"#, &self.assumed_event_key);
        if !self.complete {
            out.extend_from_slice(br#","complete":false"#);
        }
        optional(out, r#","problem":"#, &self.problem);
        optional(out, r#","refused":"#, &self.refused);
        out.extend_from_slice(b"}\n");
    }

    /// The exact body bytes.
    pub fn body_bytes(&self) -> Result<Vec<u8>, base64::DecodeError> {
        body_from_fields(self.body.as_deref(), self.body_base64.as_deref())
            .unwrap_or(Ok(Vec::new()))
    }

    /// The text headers as ordered pairs.
    pub fn header_pairs(&self) -> Vec<(String, String)> {
        self.headers.0.clone()
    }
}

/// Header names and their values in the order received, written as a JSON object. A list
/// rather than a map: a record holds a handful, is written once, and `listen` makes one per
/// request, where hashing every name cost more than looking through a few.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderFields(Vec<(String, String)>);

impl HeaderFields {
    /// The value of header `name`, exactly as written (lower case, as received).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for HeaderFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

impl<'de> Deserialize<'de> for HeaderFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = HeaderFields;

            fn expecting(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
                out.write_str("an object of header names to string values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderFields, A::Error> {
                let mut fields: Vec<(String, String)> = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    // As a JSON object is read into a map: a repeated name keeps its first
                    // place and its last value.
                    match fields.iter_mut().find(|(seen, _)| *seen == name) {
                        Some((_, kept)) => *kept = value,
                        None => fields.push((name, value)),
                    }
                }
                Ok(HeaderFields(fields))
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// The provider's event id carried by a request: Cativa's `X-Cativa-Execution-Id`, Standard
/// Webhooks' `webhook-id`, or the `id` inside a Wix JWT body. Beedeez sends none.
pub fn event_id(headers: &[(String, String)], body: &[u8]) -> Option<String> {
    if let Some(id) = find_header(headers, cativa::EXECUTION_ID_HEADER) {
        return Some(id.to_string());
    }
    if let Some(id) = find_header(headers, standard::ID_HEADER)
        .or_else(|| find_header(headers, standard::SVIX_ID_HEADER))
    {
        return Some(id.to_string());
    }
    let token = wix::token_in(body)?;
    let document: Value =
        serde_json::from_str(&wix::decode_unverified(token).ok()?.envelope.data).ok()?;
    document.get("id")?.as_str().map(str::to_string)
}

/// The key a Beedeez delivery's retries share, `<_id>@<updatedAt>` of its BadgeUser document:
/// Beedeez sends no event id, and a completed and an expired certificate share `_id`, while the
/// expiry changes `updatedAt`. Assumed: Beedeez documents no idempotency key, only that the
/// same event may arrive more than once. `None` for other requests, and for bodies without
/// those two strings.
pub fn assumed_event_key(headers: &[(String, String)], body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct BadgeUserKey {
        #[serde(rename = "_id")]
        id: String,
        #[serde(rename = "updatedAt")]
        updated_at: String,
    }
    let source = find_header(headers, beedeez::SOURCE_HEADER)?;
    if !source.trim().eq_ignore_ascii_case(beedeez::SOURCE_VALUE) {
        return None;
    }
    let key: BadgeUserKey = serde_json::from_slice(body).ok()?;
    Some(format!("{}@{}", key.id, key.updated_at))
}

/// The event document a body carries: the body itself, or for a Wix JWT body the innermost
/// event decoded from its layers (without checking the signature).
pub fn event_document(body: &[u8]) -> Option<Value> {
    match wix::token_in(body) {
        Some(token) => {
            serde_json::from_str(&wix::decode_unverified(token).ok()?.envelope.data).ok()
        }
        None => serde_json::from_slice(body).ok(),
    }
}

/// Statuses for successive requests; the last one repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseScript(Vec<u16>);

impl ResponseScript {
    /// `None` when `statuses` is empty.
    pub fn new(statuses: Vec<u16>) -> Option<Self> {
        (!statuses.is_empty()).then_some(ResponseScript(statuses))
    }

    /// The status for the request at `index` (from 0).
    pub fn status(&self, index: usize) -> u16 {
        self.0[index.min(self.0.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_repeat_their_last_status() {
        let script = ResponseScript::new(vec![503, 200]).unwrap();
        assert_eq!(
            (0..4).map(|i| script.status(i)).collect::<Vec<_>>(),
            [503, 200, 200, 200]
        );
        assert_eq!(ResponseScript::new(Vec::new()), None);
    }

    fn record() -> CaptureRecord {
        CaptureRecord::new(
            "2023-11-14T22:13:20Z".into(),
            "POST".into(),
            "/".into(),
            b"",
        )
    }

    #[test]
    fn bodies_round_trip_as_text_or_base64() {
        let mut text = record();
        text.set_body(b"{\"a\":1}");
        let line = serde_json::to_string(&text).unwrap();
        assert!(line.contains(r#""body":"{\"a\":1}""#));
        let back: CaptureRecord = serde_json::from_str(&line).unwrap();
        assert_eq!(back.body_bytes().unwrap(), b"{\"a\":1}");

        let mut binary = record();
        binary.set_body(&[0xff, 0xfe, 0x00]);
        let line = serde_json::to_string(&binary).unwrap();
        assert!(!line.contains("\"body\""));
        let back: CaptureRecord = serde_json::from_str(&line).unwrap();
        assert_eq!(back.body_bytes().unwrap(), vec![0xff, 0xfe, 0x00]);
    }

    /// Records with every optional field absent, then present, then with strings that need
    /// escaping everywhere.
    fn records_of_every_shape() -> Vec<CaptureRecord> {
        let mut records = vec![record()];
        let tricky = "q\"b\\n\nt\tc\u{1}\u{1f}d\u{7f}é\u{2028}😀/".repeat(3);
        for (index, text) in ["x", tricky.as_str()].into_iter().enumerate() {
            let mut full = record();
            full.seq = u64::MAX - index as u64;
            full.method = format!("M{text}");
            full.path = format!("/p{text}");
            full.set_headers(vec![
                (format!("h{text}"), text.as_bytes().to_vec()),
                ("b".into(), b"\xff".to_vec()),
                ("e".into(), Vec::new()),
            ]);
            full.body = Some(format!("{{\"a\":\"{text}\"}}"));
            full.body_base64 = Some(text.into());
            full.status = 599;
            full.verified = Some(index == 0);
            full.duplicate = true;
            full.event_id = Some(text.into());
            full.assumed_event_key = Some(text.into());
            full.complete = false;
            full.problem = Some(text.into());
            full.refused = Some(text.into());
            records.push(full);
        }
        let mut refused = record();
        refused.verified = Some(false);
        refused.refused = Some("headers too large".into());
        records.push(refused);
        // Every character of one and two bytes, at an offset that crosses a 16-byte stride.
        for character in (0..0x800).filter_map(char::from_u32) {
            let mut one = record();
            one.body = Some(format!("{:>15}{character}{:<20}", "", ""));
            records.push(one);
        }
        records
    }

    #[test]
    fn json_lines_are_written_as_serde_json_writes_the_record() {
        for record in records_of_every_shape() {
            let mut line = b"before".to_vec();
            record.write_json_line(&mut line);
            let mut expected = b"before".to_vec();
            serde_json::to_writer(&mut expected, &record).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(line).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn header_fields_read_as_a_json_object_reads_into_a_map() {
        let fields: HeaderFields =
            serde_json::from_str(r#"{"b": "1", "a": "2", "b": "3"}"#).unwrap();
        assert_eq!(
            fields.get("b"),
            Some("3"),
            "the last value of a repeated name"
        );
        assert_eq!(
            serde_json::to_string(&fields).unwrap(),
            r#"{"b":"3","a":"2"}"#,
            "in the place of its first"
        );
        assert_eq!(fields.get("c"), None);
        let error = serde_json::from_str::<HeaderFields>(r#"{"a": 1}"#).unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
        let error = serde_json::from_str::<HeaderFields>(r#"["a"]"#).unwrap_err();
        assert!(
            error.to_string().contains("an object of header names"),
            "{error}"
        );
    }

    #[test]
    fn header_values_that_are_not_utf8_are_kept_in_base64() {
        let mut record = record();
        record.set_headers(vec![
            ("x-a".into(), b"one".to_vec()),
            ("x-b".into(), b"v\xff".to_vec()),
            ("x-a".into(), b"two".to_vec()),
        ]);
        let line = serde_json::to_string(&record).unwrap();
        assert!(line.contains(r#""headers":{"x-a":"one, two"},"headers_base64":{"x-b":"dv8="}"#));
        assert!(!line.contains("complete"), "whole records are unchanged");
        let back: CaptureRecord = serde_json::from_str(&line).unwrap();
        assert!(back.complete);
        assert_eq!(back, record);
    }

    #[test]
    fn beedeez_deliveries_are_keyed_by_document_id_and_update_time() {
        let source = vec![("x-webhook-source".to_string(), "beedeez".to_string())];
        let completed = br#"{"_id":"6746f4a8e1b2c3d4e5f60718","updatedAt":"2024-11-27T10:30:00.000Z","expires":null}"#;
        let expired =
            br#"{"_id":"6746f4a8e1b2c3d4e5f60718","updatedAt":"2025-11-27T10:30:01.000Z"}"#;
        assert_eq!(
            assumed_event_key(&source, completed).as_deref(),
            Some("6746f4a8e1b2c3d4e5f60718@2024-11-27T10:30:00.000Z")
        );
        assert_ne!(
            assumed_event_key(&source, completed),
            assumed_event_key(&source, expired)
        );
        assert_eq!(
            assumed_event_key(&[], completed),
            None,
            "not a Beedeez request"
        );
        assert_eq!(assumed_event_key(&source, br#"{"_id":"x"}"#), None);
        assert_eq!(assumed_event_key(&source, b"not json"), None);
    }

    #[test]
    fn event_ids_come_from_headers_or_the_wix_jwt() {
        let headers = vec![("x-cativa-execution-id".to_string(), "E1".to_string())];
        assert_eq!(event_id(&headers, b"{}"), Some("E1".into()));
        let token = wix::sign(
            &wix::SigningKey::development(),
            "t",
            "i",
            &serde_json::json!({}),
            &wix::AccountInfo {
                account_id: "a".into(),
                parent_account_id: None,
                site_id: None,
            },
            r#"{"id":"W1"}"#,
            0,
        );
        assert_eq!(event_id(&[], token.as_bytes()), Some("W1".into()));
        assert_eq!(event_id(&[], b"{}"), None);
        assert_eq!(event_document(token.as_bytes()).unwrap()["id"], "W1");
        assert_eq!(event_document(b"{\"a\":1}").unwrap()["a"], 1);
        assert!(event_document(b"not json").is_none());
    }
}
