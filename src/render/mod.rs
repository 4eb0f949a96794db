//! Renderers: data in, text out. They format results; they never decide an outcome.

pub mod validation;
