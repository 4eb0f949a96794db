//! hooktool: test webhook receivers locally. The layers show in the folders: `domain` (pure:
//! catalogue, signatures, messages, schedules, verification, validation, wire formats), `io`
//! (network, files, terminal, threads, clock), `render` (data in, text out), `cli` (grammar and
//! settings) and `commands` (one thin file per subcommand).
//!
//! The public surface is what the binary needs (`cli`, `run`, `Allocator`) and what the tests check the
//! binary against (the catalogue, the signature schemes and the wire formats); everything else
//! is private to the crate, so that the compiler reports code nothing uses.

pub mod cli;
mod commands;
pub mod domain;
mod error;
mod io;
mod render;

pub use commands::run;
pub use io::allocator::Allocator;
