//! The only code that touches the network, files, threads, the clock and the terminal.

pub mod allocator;
pub mod capture_writer;
pub mod console;
pub mod delivery;
pub mod files;
pub mod http_server;
pub mod packs;
pub mod plain_http;
pub mod stderr_queue;
pub mod terminal;
pub mod walk;
pub mod workspace;
