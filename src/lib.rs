//! hooktool: test webhook receivers locally. The layers show in the folders: `domain` (pure:
//! catalogue, signatures, messages, schedules, verification, validation, wire formats), `io`
//! (network, files, terminal), `render` (data in, text out), `cli` (grammar and settings) and
//! `commands` (one thin file per subcommand).

pub mod cli;
pub mod commands;
pub mod domain;
pub mod io;
pub mod render;
