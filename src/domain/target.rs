//! Where requests go: the short target forms users type (`3000`, `:3000`, `3000/webhooks`,
//! `localhost:3000/x`, `[::1]:3000`) normalised to full URLs, whether a target is on this
//! machine, and the credentials a URL's `user:password@` carries. The password is kept for
//! building requests only: every rendering meant to be read shows it as `***`.

use core::net::{IpAddr, Ipv6Addr};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use url::{Host, Url};

/// What a URL's password is shown as.
const MASK: &str = "***";

/// A normalised request target.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    url: Url,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// `input` has its password masked.
    #[error("malformed URL `{input}` ({reason})")]
    Malformed { input: String, reason: String },
    #[error("port 0 cannot receive requests")]
    PortZero,
}

impl Target {
    /// `localhost`, `localhost:3000`, `localhost:3000/webhooks`, `:3000`, `3000`,
    /// `3000/webhooks`, `127.0.0.1:8080/x`, `[::1]:3000`, `::1` or a full `http(s)://` URL. A
    /// missing scheme means `http`, a missing host `localhost`, a missing port the scheme's
    /// default, a missing path `/`. A number alone or before a path is a port, never an IPv4
    /// address. Port 0 is refused: nothing can receive there.
    pub fn parse(input: &str) -> Result<Self, TargetError> {
        let error = |reason: &str| TargetError::Malformed {
            input: mask_userinfo(input.trim()),
            reason: reason.to_string(),
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(error("it is empty"));
        }
        let url = Url::parse(&full_url(trimmed)).map_err(|e| error(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(error("only http and https are supported"));
        }
        if url.host().is_none() {
            return Err(error("it has no host"));
        }
        if url.port_or_known_default() == Some(0) {
            return Err(TargetError::PortZero);
        }
        Ok(Target { url })
    }

    /// The URL for display, its password (if any) shown as `***`.
    pub fn url(&self) -> String {
        let mut shown = self.url.clone();
        if shown.password().is_some() {
            shown
                .set_password(Some(MASK))
                .expect("a URL with a password can hold one");
        }
        shown.into()
    }

    /// The URL requests go to, without `user:password@`: the credentials travel in the
    /// `Authorization` header that [`Target::authorization`] gives.
    pub fn request_url(&self) -> String {
        let mut bare = self.url.clone();
        // Both only fail for URLs that cannot have credentials, and then there are none.
        let _ = bare.set_username("");
        let _ = bare.set_password(None);
        bare.into()
    }

    /// `Basic …` for a URL with `user:password@` (or `user@`), as curl sends it: the user and
    /// password percent-decoded, joined by `:`, in base64.
    pub fn authorization(&self) -> Option<String> {
        let user = self.url.username();
        let password = self.url.password();
        if user.is_empty() && password.is_none() {
            return None;
        }
        let mut credentials = percent_decode(user);
        credentials.push(b':');
        credentials.extend(percent_decode(password.unwrap_or("")));
        Some(format!("Basic {}", STANDARD.encode(credentials)))
    }

    /// Whether the target is this machine: `localhost`, `127.0.0.0/8`, `::1`, or an
    /// IPv4-mapped loopback address such as `::ffff:127.0.0.1`.
    pub fn is_loopback(&self) -> bool {
        match self.url.host() {
            Some(Host::Domain(domain)) => {
                let domain = domain.trim_end_matches('.').to_ascii_lowercase();
                domain == "localhost" || domain.ends_with(".localhost")
            }
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).to_canonical().is_loopback(),
            None => false,
        }
    }

    /// The `Host` header value: host, and port when it is not the scheme's default.
    pub fn host_header(&self) -> String {
        let host = self.url.host_str().unwrap_or("localhost");
        match self.url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    pub fn is_https(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// Where to connect: the host as a resolver wants it (an IPv6 address without its
    /// brackets) and the port, the scheme's default when none is written.
    pub fn host_and_port(&self) -> (String, u16) {
        let host = match self.url.host() {
            Some(Host::Ipv6(ip)) => ip.to_string(),
            Some(host) => host.to_string(),
            None => "localhost".to_string(),
        };
        (host, self.url.port_or_known_default().unwrap_or(80))
    }

    pub fn path_and_query(&self) -> String {
        match self.url.query() {
            Some(query) => format!("{}?{query}", self.url.path()),
            None => self.url.path().to_string(),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url())
    }
}

/// Shows the masked URL, like `Display`: a debug print must not reveal the password either.
impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Target").field(&self.url()).finish()
    }
}

/// The full URL a short form stands for.
fn full_url(text: &str) -> String {
    if text.contains("://") {
        return text.to_string();
    }
    let authority_end = text.find(['/', '?', '#']).unwrap_or(text.len());
    let (authority, rest) = text.split_at(authority_end);
    let rest = if rest.is_empty() { "/" } else { rest };
    if !authority.is_empty() && authority.bytes().all(|b| b.is_ascii_digit()) {
        // `3000`, `3000/webhooks`: a port on this machine.
        format!("http://localhost:{authority}{rest}")
    } else if authority.parse::<Ipv6Addr>().is_ok() {
        // `::1`: an IPv6 address written without brackets (and so without a port).
        format!("http://[{authority}]{rest}")
    } else if let Some(port) = authority.strip_prefix(':') {
        format!("http://localhost:{port}{rest}")
    } else {
        format!("http://{text}")
    }
}

/// `text` with the password of a `user:password@` in it shown as `***`, for echoing input that
/// did not parse.
fn mask_userinfo(text: &str) -> String {
    let start = text.find("://").map_or(0, |at| at + 3);
    let end = text[start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |at| start + at);
    let authority = &text[start..end];
    let Some(at) = authority.rfind('@') else {
        return text.to_string();
    };
    let Some(colon) = authority[..at].find(':') else {
        return text.to_string();
    };
    format!(
        "{}{MASK}{}",
        &text[..start + colon + 1],
        &text[start + at..]
    )
}

/// `%XX` escapes decoded to their bytes; anything else kept as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(input: &str) -> String {
        Target::parse(input).unwrap().url()
    }

    #[test]
    fn short_forms_resolve_as_documented() {
        assert_eq!(resolved("localhost"), "http://localhost/");
        assert_eq!(resolved("localhost:3000"), "http://localhost:3000/");
        assert_eq!(
            resolved("localhost:3000/webhooks"),
            "http://localhost:3000/webhooks"
        );
        assert_eq!(resolved(":3000"), "http://localhost:3000/");
        assert_eq!(resolved("3000"), "http://localhost:3000/");
        assert_eq!(resolved("127.0.0.1:8080/x"), "http://127.0.0.1:8080/x");
        assert_eq!(
            resolved("https://example.com/hook?a=1"),
            "https://example.com/hook?a=1"
        );
        assert_eq!(resolved("[::1]:9000"), "http://[::1]:9000/");
    }

    #[test]
    fn a_number_before_a_path_is_a_port_never_an_address() {
        assert_eq!(resolved("3000/webhooks"), "http://localhost:3000/webhooks");
        assert_eq!(resolved(":3000/webhooks"), "http://localhost:3000/webhooks");
        assert_eq!(resolved("3000?a=1"), "http://localhost:3000/?a=1");
        assert_eq!(resolved("3000/"), "http://localhost:3000/");
        assert_eq!(
            Target::parse("3000/webhooks").unwrap().host_and_port(),
            ("localhost".to_string(), 3000)
        );
        // Dotted addresses stay addresses.
        assert_eq!(resolved("127.0.0.1/x"), "http://127.0.0.1/x");
    }

    #[test]
    fn port_zero_is_refused_in_every_form() {
        for zero in [
            "0",
            ":0",
            "0/webhooks",
            "localhost:0",
            "127.0.0.1:0/x",
            "[::1]:0",
            "http://localhost:0/",
            "https://localhost:0/",
        ] {
            assert_eq!(Target::parse(zero), Err(TargetError::PortZero), "{zero}");
        }
        assert_eq!(
            TargetError::PortZero.to_string(),
            "port 0 cannot receive requests"
        );
    }

    #[test]
    fn ipv6_forms_for_this_machine() {
        assert_eq!(resolved("[::1]:3000"), "http://[::1]:3000/");
        assert_eq!(resolved("http://[::1]:3000/x"), "http://[::1]:3000/x");
        assert_eq!(resolved("::1"), "http://[::1]/");
        assert_eq!(resolved("::1/x"), "http://[::1]/x");
        for local in [
            "[::1]:3000",
            "::1",
            "::ffff:127.0.0.1",
            "[::ffff:127.0.0.1]:3000",
            "http://[::ffff:127.1.2.3]/x",
        ] {
            assert!(Target::parse(local).unwrap().is_loopback(), "{local}");
        }
        for remote in ["::ffff:10.0.0.1", "[::ffff:8.8.8.8]:80", "2001:db8::1"] {
            assert!(!Target::parse(remote).unwrap().is_loopback(), "{remote}");
        }
        let target = Target::parse("[::1]:3000/x").unwrap();
        assert_eq!(target.host_and_port(), ("::1".to_string(), 3000));
        assert_eq!(target.host_header(), "[::1]:3000");
    }

    #[test]
    fn passwords_are_masked_wherever_a_target_is_shown() {
        let target = Target::parse("http://alice:s3cret@localhost:3000/hook").unwrap();
        assert_eq!(target.url(), "http://alice:***@localhost:3000/hook");
        assert_eq!(target.to_string(), "http://alice:***@localhost:3000/hook");
        assert!(!format!("{target:?}").contains("s3cret"));
        assert_eq!(target.request_url(), "http://localhost:3000/hook");
        assert_eq!(target.host_header(), "localhost:3000");
        // base64("alice:s3cret")
        assert_eq!(
            target.authorization().as_deref(),
            Some("Basic YWxpY2U6czNjcmV0")
        );
        // Short forms take credentials too.
        let short = Target::parse("alice:s3cret@localhost:3000").unwrap();
        assert_eq!(short.url(), "http://alice:***@localhost:3000/");
        assert_eq!(short.authorization(), target.authorization());
    }

    #[test]
    fn credentials_are_sent_percent_decoded_as_curl_does() {
        // base64("a b:p@ss:")
        let target = Target::parse("http://a%20b:p%40ss%3A@localhost/").unwrap();
        assert_eq!(
            target.authorization().as_deref(),
            Some("Basic YSBiOnBAc3M6")
        );
        // A user without a password sends an empty one; no credentials send nothing.
        let user_only = Target::parse("http://bob@localhost/").unwrap();
        assert_eq!(user_only.authorization().as_deref(), Some("Basic Ym9iOg=="));
        assert_eq!(user_only.url(), "http://bob@localhost/");
        assert_eq!(Target::parse("3000").unwrap().authorization(), None);
        assert_eq!(percent_decode("%zz%4"), b"%zz%4");
        assert_eq!(percent_decode("%+1"), b"%+1");
    }

    #[test]
    fn errors_never_echo_a_password() {
        let error = Target::parse("http://alice:s3cret@localhost:99999/x").unwrap_err();
        let text = error.to_string();
        assert!(!text.contains("s3cret"), "{text}");
        assert!(
            text.starts_with("malformed URL `http://alice:***@localhost:99999/x`"),
            "{text}"
        );
        assert_eq!(mask_userinfo("a:b@c:d@host/e@f"), "a:***@host/e@f");
        assert_eq!(mask_userinfo("user@host"), "user@host");
    }

    #[test]
    fn only_this_machine_is_loopback() {
        for local in [
            "localhost",
            "127.0.0.1:1",
            "127.8.9.10",
            "[::1]:1",
            "api.localhost",
        ] {
            assert!(Target::parse(local).unwrap().is_loopback(), "{local}");
        }
        for remote in [
            "example.com",
            "10.0.0.1",
            "192.168.1.1:80",
            "https://[2001:db8::1]/",
        ] {
            assert!(!Target::parse(remote).unwrap().is_loopback(), "{remote}");
        }
    }

    #[test]
    fn malformed_targets_are_errors() {
        for bad in [
            "",
            "http://",
            "ftp://localhost/",
            "localhost:99999",
            "http://exa mple.com",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn connects_to_the_bare_host_and_the_default_port_when_none_is_written() {
        assert_eq!(
            Target::parse("3000").unwrap().host_and_port(),
            ("localhost".to_string(), 3000)
        );
        assert_eq!(
            Target::parse("http://[::1]/hook").unwrap().host_and_port(),
            ("::1".to_string(), 80)
        );
        let https = Target::parse("https://example.com/x").unwrap();
        assert_eq!(https.host_and_port(), ("example.com".to_string(), 443));
        assert!(https.is_https());
        assert!(!Target::parse(":8080").unwrap().is_https());
    }

    #[test]
    fn host_header_keeps_non_default_ports_only() {
        assert_eq!(
            Target::parse("3000").unwrap().host_header(),
            "localhost:3000"
        );
        assert_eq!(
            Target::parse("localhost").unwrap().host_header(),
            "localhost"
        );
    }
}
