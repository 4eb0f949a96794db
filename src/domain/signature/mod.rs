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
