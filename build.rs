//! Links the `hooktool` binary for a fast start on Linux: position-dependent, and with the
//! functions a start runs laid side by side.
//!
//! A position-independent executable spends about half of every start-up's page faults having
//! the dynamic loader patch tens of thousands of addresses into its tables (vtables, string
//! tables of the crates it embeds); a CLI run many times a second by scripts feels that. The
//! price is that the executable's own code and data load at a fixed address (its libraries,
//! heap and stack are still placed at random). Libraries and proc-macros stay
//! position-independent: only the final binaries get the flag, which the C compiler driver Rust
//! links through understands.
//!
//! The kernel maps an executable's code a 64 KiB stretch per page fault. The functions a short
//! run calls were spread over about a hundred such stretches; `benches/startup-order.txt` lists
//! them (see `benches/startup_order.py`), and the linker puts them first, in about twenty. Only
//! the linker Rust uses by default on x86-64 Linux (LLD) is given the list: others do not know
//! the option, and a name the list holds that the binary does not is skipped, so a stale list
//! costs speed, never a build.
use std::path::Path;

const STARTUP_ORDER: &str = "benches/startup-order.txt";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={STARTUP_ORDER}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    let order =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join(STARTUP_ORDER);
    if links_with_default_lld() && order.is_file() {
        let order = order.display().to_string();
        // The driver splits `-Wl,` arguments at commas.
        if !order.contains(',') {
            println!("cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={order}");
            println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        }
    }
}

/// Whether the binary is linked by the LLD Rust ships and uses by default on x86-64 Linux:
/// neither the linker nor its flavour is chosen by the configuration.
fn links_with_default_lld() -> bool {
    let default_target = std::env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu");
    let linker_chosen = std::env::var_os("RUSTC_LINKER").is_some()
        || std::env::var("CARGO_ENCODED_RUSTFLAGS")
            .is_ok_and(|flags| flags.contains("linker") || flags.contains("fuse-ld"));
    default_target && !linker_chosen
}
