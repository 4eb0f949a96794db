//! Beedeez authentication: no signature, a static credential on every delivery
//! (none, bearer token, basic auth, or an API key in a named header) plus `X-Webhook-Source`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub const SOURCE_HEADER: &str = "X-Webhook-Source";
pub const SOURCE_VALUE: &str = "beedeez";
/// The API-key method's header is not documented; this is hooktool's default.
pub const DEFAULT_API_KEY_HEADER: &str = "X-API-Key";

/// The credential an endpoint is configured with.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    None,
    Bearer(String),
    /// `user:pass`, sent as `Basic base64(user:pass)`.
    Basic(String),
    ApiKey {
        header: String,
        key: String,
    },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Credential::None => "none",
            Credential::Bearer(_) => "bearer",
            Credential::Basic(_) => "basic",
            Credential::ApiKey { .. } => "api-key",
        };
        write!(f, "Credential::{kind}(redacted)")
    }
}

impl Credential {
    /// The header that carries the credential, if any.
    pub fn header(&self) -> Option<(String, String)> {
        match self {
            Credential::None => None,
            Credential::Bearer(token) => {
                Some(("Authorization".to_string(), format!("Bearer {token}")))
            }
            Credential::Basic(user_pass) => Some((
                "Authorization".to_string(),
                format!("Basic {}", STANDARD.encode(user_pass)),
            )),
            Credential::ApiKey { header, key } => Some((header.clone(), key.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_become_their_headers() {
        assert_eq!(Credential::None.header(), None);
        assert_eq!(
            Credential::Bearer("tok".into()).header().unwrap().1,
            "Bearer tok"
        );
        // echo -n 'user:pass' | base64
        assert_eq!(
            Credential::Basic("user:pass".into()).header().unwrap().1,
            "Basic dXNlcjpwYXNz"
        );
        let api = Credential::ApiKey {
            header: DEFAULT_API_KEY_HEADER.into(),
            key: "k".into(),
        };
        assert_eq!(
            api.header().unwrap(),
            ("X-API-Key".to_string(), "k".to_string())
        );
        let secret = Credential::Bearer("s3cr3t-token".into());
        assert!(!format!("{secret:?}").contains("s3cr3t"));
    }
}
