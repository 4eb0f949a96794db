//! What the command modules share: a Cativa-shaped secret, the event names taken from the
//! catalogue, paths into the repository's fixtures, and the built binary guarded against hangs.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hooktool::domain::catalogue::EVENTS;

/// A well-formed Cativa secret (`whsec_` and 64 hex characters).
pub const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// How long anything a test waits for may take before the test fails. It only guards against a
/// hang: no test expects to come near it, however loaded the machine.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// Every event's full name, in catalogue order.
pub fn event_names() -> Vec<&'static str> {
    EVENTS.iter().map(|event| event.name).collect()
}

/// The path of a file under `fixtures/`, as a string argument.
pub fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
        .display()
        .to_string()
}

/// The built binary, killed if it runs past [`HANG_GUARD`].
pub fn hooktool() -> assert_cmd::Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("hooktool");
    command.timeout(HANG_GUARD);
    command
}

/// Waits for `child` to end on its own; kills it and fails the test past [`HANG_GUARD`].
pub fn wait_or_kill(child: &mut Child, what: &str) -> ExitStatus {
    let deadline = Instant::now() + HANG_GUARD;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not end on its own");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Reads `pipe` to its end on a thread, so that a full pipe never stalls the child: each line is
/// also handed over as it arrives, and the whole text comes back from the thread.
pub fn lines_in_background(
    pipe: impl Read + Send + 'static,
) -> (Receiver<String>, JoinHandle<String>) {
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut pipe = BufReader::new(pipe);
        let mut text = String::new();
        loop {
            let mut line = String::new();
            if pipe.read_line(&mut line).unwrap_or(0) == 0 {
                return text;
            }
            text.push_str(&line);
            // Nobody may be listening any more; the text is still collected.
            let _ = sender.send(line);
        }
    });
    (receiver, reader)
}

/// The first line from `lines` that `wanted` accepts; `None` if the pipe ends first or no such
/// line arrives within [`HANG_GUARD`].
pub fn wait_for_line(lines: &Receiver<String>, wanted: impl Fn(&str) -> bool) -> Option<String> {
    let deadline = Instant::now() + HANG_GUARD;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).ok()?;
        if wanted(&line) {
            return Some(line);
        }
    }
}
