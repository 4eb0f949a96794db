//! Where requests go: the short target forms users type (`3000`, `:3000`, `localhost:3000/x`)
//! normalised to full URLs, and whether a target is on this machine.

use core::net::IpAddr;

use url::{Host, Url};

/// A normalised request target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    url: Url,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed URL `{input}` ({reason})")]
pub struct TargetError {
    pub input: String,
    pub reason: String,
}

impl Target {
    /// `localhost`, `localhost:3000`, `localhost:3000/webhooks`, `:3000`, `3000`,
    /// `127.0.0.1:8080/x` or a full `http(s)://` URL. A missing scheme means `http`, a missing
    /// host `localhost`, a missing port the scheme's default, a missing path `/`.
    pub fn parse(input: &str) -> Result<Self, TargetError> {
        let error = |reason: &str| TargetError {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(error("it is empty"));
        }
        let full = if trimmed.contains("://") {
            trimmed.to_string()
        } else if trimmed.bytes().all(|b| b.is_ascii_digit()) {
            format!("http://localhost:{trimmed}/")
        } else if let Some(rest) = trimmed.strip_prefix(':') {
            format!("http://localhost:{rest}")
        } else {
            format!("http://{trimmed}")
        };
        let url = Url::parse(&full).map_err(|e| error(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(error("only http and https are supported"));
        }
        if url.host().is_none() {
            return Err(error("it has no host"));
        }
        Ok(Target { url })
    }

    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Whether the target is this machine: `localhost`, `127.0.0.0/8` or `::1`.
    pub fn is_loopback(&self) -> bool {
        match self.url.host() {
            Some(Host::Domain(domain)) => {
                let domain = domain.trim_end_matches('.').to_ascii_lowercase();
                domain == "localhost" || domain.ends_with(".localhost")
            }
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
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
        f.write_str(self.url.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(input: &str) -> String {
        Target::parse(input).unwrap().url().to_string()
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
