//! Links the `hooktool` binary for a fast start on Linux: position-dependent, with the
//! functions a start runs laid side by side, and with its unwinder linked in.
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
//!
//! With that same linker, the unwinder (panics, backtraces) is linked from GCC's static
//! `libgcc_eh.a` rather than loaded from `libgcc_s.so.1`, which the C compiler driver has beside
//! it: loading that library, and its constructor's questions to the processor about its
//! features (each a costly exit to the hypervisor on a virtual machine), were about 0.1 ms of
//! every start. Every binary of the package (tests too) is linked that way, so that the tests
//! run the unwinder the release ships.
use std::path::Path;
use std::process::Command;

const STARTUP_ORDER: &str = "benches/startup-order.txt";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={STARTUP_ORDER}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    let order =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join(STARTUP_ORDER);
    let default_lld = links_with_default_lld();
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    if default_lld && native && static_unwinder_available() {
        // Placed before the standard library's `-lgcc_s`, it leaves nothing for that to provide.
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
    if default_lld && order.is_file() {
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

/// Whether the C compiler driver that links the binary has GCC's static unwinder.
fn static_unwinder_available() -> bool {
    Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .is_ok_and(|output| {
            let path = String::from_utf8_lossy(&output.stdout);
            output.status.success() && Path::new(path.trim()).is_absolute()
        })
}
