//! hooktool: test webhook receivers locally. A pure core (catalogue, signatures, schedules,
//! schemas, messages) under thin command modules.

pub mod capture;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod deliver;
pub mod delivery_log;
pub mod duration;
pub mod error;
pub mod field_path;
pub mod inputs;
pub mod json_position;
pub mod message;
pub mod receiver;
pub mod recorder;
pub mod report;
pub mod request;
pub mod sample_data;
pub mod schedule;
pub mod schema;
pub mod secret;
pub mod semantics;
pub mod signature;
pub mod target;
pub mod terminal;
pub mod validation;
pub mod verification;
