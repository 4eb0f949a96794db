//! A webhook request as it goes on the wire (method, ordered headers, exact body bytes), and its
//! renderings: `generate`'s JSON object, a raw HTTP/1.1 request, and a curl command.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::domain::target::Target;

/// One HTTP request. The body is kept as bytes and never re-serialized: it is exactly what was
/// signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRequest {
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WebhookRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// `{"event", "provider", "method", "headers": {...}, "body": "<exact body>"}`; a body that
    /// is not UTF-8 is given as `body_base64` instead.
    pub fn to_json(&self, event: &str, provider: &str) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        let mut object = json!({
            "event": event,
            "provider": provider,
            "method": self.method,
            "headers": headers,
        });
        let (key, body) = body_field(&self.body);
        object[key] = Value::String(body);
        object
    }

    /// The request with the `Authorization` header that a target's `user:password@` stands
    /// for, first among the headers; a request with an `Authorization` header of its own keeps
    /// it and gets none.
    pub fn with_credentials(mut self, authorization: Option<&str>) -> WebhookRequest {
        if let Some(value) = authorization
            && self.header("Authorization").is_none()
        {
            self.headers
                .insert(0, ("Authorization".to_string(), value.to_string()));
        }
        self
    }

    /// The raw HTTP/1.1 request: request line, `Host`, the headers (with the target's
    /// credentials, as sent), `Content-Length`, a blank line and the body bytes. Lines end in
    /// CRLF as HTTP requires.
    pub fn to_http(&self, target: &Target) -> Vec<u8> {
        let sent = self
            .clone()
            .with_credentials(target.authorization().as_deref());
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\n",
            self.method,
            target.path_and_query(),
            target.host_header()
        );
        for (name, value) in &sent.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// A curl command that sends this request byte for byte. A UTF-8 body is inlined; any other
    /// body is decoded from base64 on the fly. A target's credentials go in an `Authorization`
    /// header, the URL without them.
    pub fn to_curl(&self, target: &Target) -> String {
        let sent = self
            .clone()
            .with_credentials(target.authorization().as_deref());
        let mut command = format!(
            "curl -sS -X {} {}",
            self.method,
            shell_quote(&target.request_url())
        );
        for (name, value) in &sent.headers {
            command.push_str(" \\\n  -H ");
            command.push_str(&shell_quote(&format!("{name}: {value}")));
        }
        // `--data-raw` sends the text as written, where `--data-binary` would read a file for a
        // body starting with `@`; a NUL byte cannot travel in a shell argument at all.
        match std::str::from_utf8(&self.body) {
            Ok(text) if !text.contains('\0') => {
                command.push_str(" \\\n  --data-raw ");
                command.push_str(&shell_quote(text));
            }
            _ => {
                let encoded = STANDARD.encode(&self.body);
                command = format!(
                    "printf '%s' {} | base64 -d | {command} --data-binary @-",
                    shell_quote(&encoded)
                );
            }
        }
        command.push('\n');
        command
    }
}

/// Every value of header `name`, in order; HTTP header names are case-insensitive.
pub fn header_values<'a, 'n>(
    headers: &'a [(String, String)],
    name: &'n str,
) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
    headers
        .iter()
        .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Whether `text` is an HTTP token, as header names and methods are: non-empty, of letters,
/// digits and ``!#$%&'*+-.^_`|~`` (RFC 9110), so no spaces, colons or line breaks.
pub fn is_token(text: &str) -> bool {
    // A table, not a search of the punctuation: `send` checks every header of every request.
    const ALLOWED: [bool; 256] = {
        let mut allowed = [false; 256];
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            allowed[byte] = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                );
            byte += 1;
        }
        allowed
    };
    !text.is_empty() && text.bytes().all(|byte| ALLOWED[usize::from(byte)])
}

/// The first value of header `name`.
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    header_values(headers, name).next()
}

/// How JSON documents carry a body (`generate`'s output, capture records): `("body", text)`
/// when it is UTF-8, else `("body_base64", base64)`, so that every byte survives.
pub fn body_field(body: &[u8]) -> (&'static str, String) {
    match std::str::from_utf8(body) {
        Ok(text) => ("body", text.to_string()),
        Err(_) => ("body_base64", STANDARD.encode(body)),
    }
}

/// The body bytes back from a `body` or `body_base64` field; `body` wins when both are there.
pub fn body_from_fields(
    text: Option<&str>,
    base64: Option<&str>,
) -> Option<Result<Vec<u8>, base64::DecodeError>> {
    match (text, base64) {
        (Some(text), _) => Some(Ok(text.as_bytes().to_vec())),
        (None, Some(encoded)) => Some(STANDARD.decode(encoded)),
        (None, None) => None,
    }
}

/// Single-quotes `text` for POSIX shells.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &[u8]) -> WebhookRequest {
        WebhookRequest {
            method: "POST".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_vec(),
        }
    }

    #[test]
    fn http_rendering_is_a_valid_request_with_the_exact_body() {
        let target = Target::parse("localhost:3000/hooks").unwrap();
        let http = request(b"{\"a\":1}").to_http(&target);
        let text = String::from_utf8(http).unwrap();
        assert_eq!(
            text,
            "POST /hooks HTTP/1.1\r\nHost: localhost:3000\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
        );
    }

    #[test]
    fn renderings_carry_a_targets_credentials_as_sent() {
        let target = Target::parse("http://alice:s3cret@localhost:3000/hooks").unwrap();
        let http = String::from_utf8(request(b"{}").to_http(&target)).unwrap();
        assert!(
            http.starts_with("POST /hooks HTTP/1.1\r\nHost: localhost:3000\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\nContent-Type"),
            "{http}"
        );
        let curl = request(b"{}").to_curl(&target);
        assert!(
            curl.starts_with("curl -sS -X POST 'http://localhost:3000/hooks' \\\n  -H 'Authorization: Basic YWxpY2U6czNjcmV0'"),
            "{curl}"
        );
        assert!(!http.contains("s3cret") && !curl.contains("s3cret"));
        // A request's own Authorization header wins.
        let mut own = request(b"{}");
        own.headers
            .push(("authorization".into(), "Bearer t".into()));
        let own = own.with_credentials(target.authorization().as_deref());
        assert_eq!(own.headers.len(), 2);
        assert_eq!(own.header("Authorization"), Some("Bearer t"));
    }

    #[test]
    fn json_rendering_falls_back_to_base64_for_binary_bodies() {
        let value = request(&[0xff, 0x00]).to_json("e", "p");
        assert_eq!(value["body_base64"], "/wA=");
        assert!(value.get("body").is_none());
        assert_eq!(value["headers"]["Content-Type"], "application/json");
    }

    #[test]
    fn curl_rendering_quotes_single_quotes() {
        let target = Target::parse("3000").unwrap();
        let curl = request(b"it's").to_curl(&target);
        assert!(curl.contains(r"--data-raw 'it'\''s'"), "{curl}");
        assert!(curl.starts_with("curl -sS -X POST 'http://localhost:3000/'"));
    }
}
