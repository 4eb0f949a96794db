//! What the command modules share: a Cativa-shaped secret, the event names taken from the
//! catalogue, paths into the repository's fixtures, the built binary guarded against hangs,
//! transcripts of its runs for the snapshot tests, and loopback servers.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hooktool::domain::catalogue;

/// A well-formed Cativa secret (`whsec_` and 64 hex characters).
pub const SECRET: &str = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// How long anything a test waits for may take before the test fails. It only guards against a
/// hang: no test expects to come near it, however loaded the machine.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// Every event's full name, in catalogue order.
pub fn event_names() -> Vec<&'static str> {
    catalogue::events().iter().map(|event| event.name).collect()
}

/// The path of a file under `fixtures/`, as a string argument.
pub fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
        .display()
        .to_string()
}

/// The time the fixed requests below are signed for.
pub const NOW: &str = "1700000000";

/// Writes into `dir` a raw HTTP `user_created` request signed with [`SECRET`] at [`NOW`], as
/// `generate --format http` prints it; returns its path.
pub fn signed_request_file(dir: &Path) -> PathBuf {
    let output = hooktool()
        .args(["generate", "user_created", "--secret", SECRET, "--now", NOW])
        .args(["--format", "http"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let path = dir.join("request.http");
    std::fs::write(&path, output.stdout).unwrap();
    path
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

/// How `hooktool` ended while fed an endless stdin, and how much of it was written.
pub struct EndlessRun {
    pub code: Option<i32>,
    pub stderr: String,
    pub written: usize,
}

/// Runs `hooktool args` while a thread writes `chunk` to its stdin over and over until the pipe
/// breaks (the command exited): an endless input such as `/dev/zero`, which the test itself never
/// reads.
pub fn with_endless_stdin(args: &[&str], chunk: Vec<u8>) -> EndlessRun {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("hooktool"))
        .args(args)
        .env_remove("HOOKTOOL_SECRET")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut written = 0;
        // Ends with an error (a broken pipe) once the command has exited.
        while std::io::Write::write_all(&mut stdin, &chunk).is_ok() {
            written += chunk.len();
        }
        written
    });
    let (_, stderr) = lines_in_background(child.stderr.take().unwrap());
    let status = wait_or_kill(&mut child, "hooktool fed an endless stdin");
    EndlessRun {
        code: status.code(),
        stderr: stderr.join().unwrap(),
        written: writer.join().unwrap(),
    }
}

/// `length` bytes that look random (xorshift, fixed seed), zeros included.
pub fn noise(length: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
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

/// Runs `hooktool ARGS` in the repository root, as a user or a CI script runs it there: colour
/// off, no secret from the environment, relative paths. With `piped`, the stdout of
/// `hooktool PIPED` is its stdin. Fails unless it exits with `expected_code`; returns the
/// transcript of the run: the command line, the exit status, stdout and stderr.
pub fn transcript(expected_code: i32, args: &[&str], piped: Option<&[&str]>) -> String {
    let in_repository = |args: &[&str]| {
        let mut command = hooktool();
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("HOOKTOOL_SECRET")
            .args(args);
        command
    };
    let mut command = in_repository(args);
    let mut line = format!("$ hooktool {}", args.join(" "));
    if let Some(piped) = piped {
        let input = in_repository(piped).output().unwrap();
        assert!(
            input.status.success(),
            "hooktool {}: {}",
            piped.join(" "),
            String::from_utf8_lossy(&input.stderr)
        );
        command.write_stdin(input.stdout);
        line = format!(
            "$ hooktool {} |\n  hooktool {}",
            piped.join(" "),
            args.join(" ")
        );
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "{line}\n{stdout}\n{stderr}"
    );
    format!(
        "{line}\nexit: {expected_code}\n{}{}",
        stream("stdout", &stdout),
        stream("stderr", &stderr)
    )
}

/// One output stream in a transcript, saying whether it is empty or lacks a final newline.
fn stream(name: &str, text: &str) -> String {
    match text {
        "" => format!("--- {name}: empty\n"),
        _ if text.ends_with('\n') => format!("--- {name}\n{text}"),
        _ => format!("--- {name} (no final newline)\n{text}\n"),
    }
}

/// Compares a transcript with its accepted snapshot, `snapshots/NAME.snap`. A difference fails
/// the test; where it is written for review depends on insta's settings (never in CI).
macro_rules! assert_transcript {
    ($name:expr, $transcript:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $transcript);
        })
    };
}

pub(crate) use assert_transcript;

/// Starts `hooktool listen` with the arguments `configure` adds; the child and the address it
/// announced.
pub fn start_listener(configure: impl FnOnce(&mut Command)) -> (Child, String) {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("hooktool"));
    configure(&mut command);
    let mut listener = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(listener.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .to_string();
    (listener, address)
}

/// Starts `app` on a free loopback port in a runtime of its own; returns its URL.
pub fn serve_router(app: axum::Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let tcp = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(tcp, app).await.unwrap();
        });
    });
    format!("http://127.0.0.1:{port}/")
}
