//! The pure core: what providers send and how it is signed, verified, scheduled and validated.
//! No network, files, terminal, clock or threads here: bytes and values in, values out.

pub mod capture;
pub mod catalogue;
pub mod delivery_log;
pub mod duration;
pub mod field_path;
pub mod inputs;
pub mod json_position;
pub mod message;
pub mod request;
pub mod sample_data;
pub mod schedule;
pub mod schema;
pub mod secret;
pub mod semantics;
pub mod signature;
pub mod target;
pub mod validation;
pub mod verification;
