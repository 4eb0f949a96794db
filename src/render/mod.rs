//! Renderers: data in, text out. They format results for people and machines; they never decide
//! an outcome, and they never write anywhere themselves.

pub mod capture;
pub mod catalogue;
pub mod delivery;
pub mod demo;
pub mod probe;
pub mod providers;
pub mod style;
pub mod validation;
pub mod verification;
pub mod xml_text;
