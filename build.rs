//! Links the `hooktool` binary as a position-dependent executable on Linux.
//!
//! A position-independent one spends about half of every start-up's page faults having the
//! dynamic loader patch tens of thousands of addresses into its tables (vtables, string tables
//! of the crates it embeds); a CLI run many times a second by scripts feels that. The price is
//! that the executable's own code and data load at a fixed address (its libraries, heap and
//! stack are still placed at random). Libraries and proc-macros stay position-independent: only
//! the final binaries get the flag, which the C compiler driver Rust links through understands.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
