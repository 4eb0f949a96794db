//! End-to-end tests of hooktool, one module per command, in one test binary. Every server a
//! test talks to is started here on a loopback port 0; retry delays are shrunk with
//! `--time-scale`, never slept for real. What users and CI scripts read from fixed inputs is
//! compared with the accepted snapshots in `snapshots/` (insta).

mod support;

mod architecture;

mod catalogue;
mod conventions;
mod demo;
mod generate;
mod junit_schema;
mod listen;
mod output_schemas;
mod packs;
mod probe;
mod send;
mod validate;
mod verify;
