//! The smallest receiver that passes every `hooktool probe` case, one route per provider:
//!
//! - `POST /cativa`: `X-Cativa-Signature: t=<unix>,v1=<hex>` (several v1 while secrets rotate),
//!   HMAC-SHA256 keyed with the whole secret string over `<t>.<raw body>`, 300 s either way.
//! - `POST /wix`: the body is a JWT, RS256 only, checked with the app's public key, exp enforced.
//! - `POST /beedeez`: `X-Webhook-Source: beedeez` and `Authorization: Bearer <token>`.
//! - `POST /standard`: Standard Webhooks (the example pack `examples/providers/acme/`, Svix):
//!   `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>` (several, separated by
//!   spaces, while secrets rotate), HMAC-SHA256 keyed with the base64 after `whsec_`, over
//!   `<id>.<timestamp>.<raw body>`, 300 s either way.
//!
//! Genuine deliveries get 200, anything else 401. Run it, then probe it:
//!
//! ```text
//! cargo run --example probe_receiver -- [PORT]
//! hooktool probe user_created --to http://127.0.0.1:3000/cativa --secret "$RECEIVER_SECRET"
//! hooktool probe badge_created --to http://127.0.0.1:3000/wix
//! hooktool probe certificate_completed --to http://127.0.0.1:3000/beedeez --auth bearer --secret tok
//! hooktool --providers examples/providers probe invoice.paid --to http://127.0.0.1:3000/standard \
//!     --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
//! ```
//!
//! Settings, from the environment: `RECEIVER_SECRET` (Cativa; default: the test secret below),
//! `RECEIVER_TOKEN` (Beedeez; default `tok`), `RECEIVER_WIX_PUBLIC_KEY` (a PEM file; default:
//! hooktool's development key, `fixtures/keys/wix-dev-public.pem`), `RECEIVER_STANDARD_SECRET`
//! (Standard Webhooks, `whsec_<base64>`; default: the specification's example secret).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::Sha256;
use subtle::ConstantTimeEq;

const DEFAULT_SECRET: &str =
    "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const DEFAULT_TOKEN: &str = "tok";
/// The Standard Webhooks specification's example secret.
const DEFAULT_STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const DEV_PUBLIC_KEY: &str = include_str!("../fixtures/keys/wix-dev-public.pem");
/// How far a Cativa or Standard Webhooks timestamp may be from now, either way.
const TOLERANCE_SECS: i64 = 300;

pub struct Config {
    /// Cativa's signing secret, used whole (prefix included) as the HMAC key.
    pub secret: String,
    /// The Beedeez bearer token.
    pub token: String,
    pub wix_public_key: DecodingKey,
    /// The Standard Webhooks HMAC key: the secret's base64 after `whsec_`, decoded.
    pub standard_key: Vec<u8>,
}

impl Config {
    /// The Standard Webhooks key of a `whsec_<base64>` secret.
    pub fn standard_key(secret: &str) -> Result<Vec<u8>, base64::DecodeError> {
        STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret))
    }
}

pub fn router(config: Config) -> Router {
    Router::new()
        .route("/cativa", post(cativa))
        .route("/wix", post(wix))
        .route("/beedeez", post(beedeez))
        .route("/standard", post(standard))
        .with_state(Arc::new(config))
}

fn answer(genuine: bool) -> StatusCode {
    if genuine {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    }
}

async fn cativa(State(config): State<Arc<Config>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    answer(cativa_genuine(&config.secret, &headers, &body).unwrap_or(false))
}

/// `None` when the header is missing or does not parse.
fn cativa_genuine(secret: &str, headers: &HeaderMap, body: &[u8]) -> Option<bool> {
    let header = headers.get("x-cativa-signature")?.to_str().ok()?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=')? {
            ("t", t) => timestamp = Some(t.parse::<i64>().ok()?),
            ("v1", v1) => signatures.push(hex::decode(v1).ok()?),
            _ => {}
        }
    }
    let timestamp = timestamp?;
    if (now() - timestamp).abs() > TOLERANCE_SECS {
        return Some(false);
    }
    // The raw bytes received, never a re-serialized body.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    Some(
        signatures
            .iter()
            .any(|signature| mac.clone().verify_slice(signature).is_ok()),
    )
}

async fn wix(State(config): State<Arc<Config>>, body: Bytes) -> StatusCode {
    let Ok(token) = std::str::from_utf8(&body) else {
        return answer(false);
    };
    // RS256 only: `none` and HS256 (keyed with the public key) are refused.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = TOLERANCE_SECS as u64;
    let decoded = jsonwebtoken::decode::<serde_json::Value>(
        token.trim(),
        &config.wix_public_key,
        &validation,
    );
    answer(decoded.is_ok())
}

async fn beedeez(State(config): State<Arc<Config>>, headers: HeaderMap) -> StatusCode {
    let header = |name: &str| headers.get(name).map(|value| value.as_bytes());
    let source = header("x-webhook-source") == Some(b"beedeez".as_slice());
    let expected = format!("Bearer {}", config.token);
    let credential = header("authorization")
        .is_some_and(|presented| bool::from(presented.ct_eq(expected.as_bytes())));
    answer(source && credential)
}

async fn standard(
    State(config): State<Arc<Config>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    answer(standard_genuine(&config.standard_key, &headers, &body).unwrap_or(false))
}

/// `None` when a header is missing or does not parse.
fn standard_genuine(key: &[u8], headers: &HeaderMap, body: &[u8]) -> Option<bool> {
    let header = |name: &str| headers.get(name)?.to_str().ok();
    let id = header("webhook-id")?;
    let timestamp = header("webhook-timestamp")?;
    if (now() - timestamp.parse::<i64>().ok()?).abs() > TOLERANCE_SECS {
        return Some(false);
    }
    // The timestamp as sent, and the raw bytes received, never a re-serialized body.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let signatures = header("webhook-signature")?
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|signature| STANDARD.decode(signature).ok());
    Some(
        signatures
            .into_iter()
            .any(|signature| mac.clone().verify_slice(&signature).is_ok()),
    )
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let setting = |name: &str, default: &str| std::env::var(name).unwrap_or(default.to_string());
    let public_key = match std::env::var("RECEIVER_WIX_PUBLIC_KEY") {
        Ok(path) => std::fs::read(path)?,
        Err(_) => DEV_PUBLIC_KEY.as_bytes().to_vec(),
    };
    let config = Config {
        secret: setting("RECEIVER_SECRET", DEFAULT_SECRET),
        token: setting("RECEIVER_TOKEN", DEFAULT_TOKEN),
        wix_public_key: DecodingKey::from_rsa_pem(&public_key)?,
        standard_key: Config::standard_key(&setting(
            "RECEIVER_STANDARD_SECRET",
            DEFAULT_STANDARD_SECRET,
        ))?,
    };
    let port = std::env::args().nth(1).unwrap_or("3000".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, router(config)).await?;
    Ok(())
}
