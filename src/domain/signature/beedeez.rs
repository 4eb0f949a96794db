//! Beedeez authentication: no signature, a static credential on every delivery
//! (none, bearer token, basic auth, or an API key in a named header) plus `X-Webhook-Source`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::domain::secret::Secret;

pub const SOURCE_HEADER: &str = "X-Webhook-Source";
pub const SOURCE_VALUE: &str = "beedeez";
/// The API-key method's header is not documented; this is hooktool's default.
pub const DEFAULT_API_KEY_HEADER: &str = "X-API-Key";

/// The credential an endpoint is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    None,
    Bearer(Secret),
    /// `user:pass`, sent as `Basic base64(user:pass)`.
    Basic(Secret),
    ApiKey {
        header: String,
        key: Secret,
    },
}

impl Credential {
    /// The header that carries the credential, if any.
    pub fn header(&self) -> Option<(String, String)> {
        match self {
            Credential::None => None,
            Credential::Bearer(token) => Some((
                "Authorization".to_string(),
                format!("Bearer {}", token.expose()),
            )),
            Credential::Basic(user_pass) => Some((
                "Authorization".to_string(),
                format!("Basic {}", STANDARD.encode(user_pass.expose())),
            )),
            Credential::ApiKey { header, key } => Some((header.clone(), key.expose().to_string())),
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
            Credential::Bearer(Secret::new("tok")).header().unwrap().1,
            "Bearer tok"
        );
        // echo -n 'user:pass' | base64
        assert_eq!(
            Credential::Basic(Secret::new("user:pass"))
                .header()
                .unwrap()
                .1,
            "Basic dXNlcjpwYXNz"
        );
        let api = Credential::ApiKey {
            header: DEFAULT_API_KEY_HEADER.into(),
            key: Secret::new("k"),
        };
        assert_eq!(
            api.header().unwrap(),
            ("X-API-Key".to_string(), "k".to_string())
        );
        let secret = Credential::Bearer(Secret::new("s3cr3t-token"));
        assert!(!format!("{secret:?}").contains("s3cr3t"));
    }
}
