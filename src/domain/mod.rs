//! The pure core: what providers send and how it is signed, verified, scheduled and validated.
//! No network, files, terminal, clock or threads here: bytes and values in, values out.

pub mod capture;
pub mod catalogue;
pub(crate) mod delivery_log;
pub(crate) mod digits;
pub(crate) mod duration;
pub(crate) mod field_path;
pub mod inputs;
pub(crate) mod json_document;
pub(crate) mod json_position;
pub(crate) mod message;
pub mod pack;
pub mod probe;
pub mod request;
pub mod sample_data;
pub(crate) mod schedule;
pub mod schema;
pub mod schema_sample;
pub mod secret;
pub(crate) mod semantics;
pub mod signature;
pub mod target;
pub(crate) mod validation;
pub mod verification;
