//! End-to-end tests of `hooktool listen`: the binary on a free loopback port, fed raw HTTP/1.1
//! requests (as `generate --format http` prints them) over plain TCP. A listener here ends when
//! its `--expect` is met; its `--timeout` only guards against a hang.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use hooktool::domain::capture::CaptureRecord;
use hooktool::domain::secret::Secret;
use hooktool::domain::signature::cativa;
use hooktool::domain::verification::{self, Keys};

use super::support::{self, HANG_GUARD, SECRET, lines_in_background, wait_for_line, wait_or_kill};

fn hooktool() -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("hooktool"));
    command.env_remove("HOOKTOOL_SECRET").env("NO_COLOR", "1");
    command
}

/// `hooktool ARGS` run to its end (killed past the hang guard).
fn run(args: &[&str]) -> Output {
    support::hooktool()
        .env_remove("HOOKTOOL_SECRET")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// A running `hooktool listen --port 0`.
struct Listener {
    child: Child,
    address: SocketAddr,
    /// Both read all along, so that a full pipe never stalls the listener.
    stdout: Option<std::thread::JoinHandle<String>>,
    stderr: Option<std::thread::JoinHandle<String>>,
    /// The stderr lines after the first, as they arrive.
    stderr_lines: Receiver<String>,
}

impl Listener {
    fn start(args: &[&str]) -> Listener {
        let mut child = hooktool()
            .args(["listen", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (_, stdout) = lines_in_background(child.stdout.take().unwrap());
        let (lines, stderr) = lines_in_background(child.stderr.take().unwrap());
        let Some(first) = wait_for_line(&lines, |_| true) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the listener never started:\n{}", stderr.join().unwrap());
        };
        let address = first
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
            .parse()
            .unwrap();
        Listener {
            child,
            address,
            stdout: Some(stdout),
            stderr: Some(stderr),
            stderr_lines: lines,
        }
    }

    fn connect(&self) -> TcpStream {
        connect(self.address).unwrap()
    }

    /// One request on a fresh connection; returns the status answered.
    fn send(&self, request: &[u8]) -> u16 {
        exchange(&mut self.connect(), request)
    }

    fn to(&self) -> String {
        self.address.to_string()
    }

    /// Waits for the listener to end on its own; its status, stdout and stderr. The deadline
    /// only guards against a hang.
    fn wait(mut self) -> (ExitStatus, String, String) {
        let status = wait_or_kill(&mut self.child, "the listener");
        let stdout = self.stdout.take().unwrap().join().unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        (status, stdout, stderr)
    }
}

/// A connection whose reads fail, rather than hang, when no answer ever comes.
fn connect(address: SocketAddr) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(HANG_GUARD))?;
    Ok(stream)
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `request` and reads one response on a keep-alive connection; returns its status.
fn exchange(stream: &mut TcpStream, request: &[u8]) -> u16 {
    try_exchange(stream, request).unwrap()
}

fn try_exchange(stream: &mut TcpStream, request: &[u8]) -> std::io::Result<u16> {
    stream.write_all(request)?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte)?;
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(head[9..12].parse().unwrap())
}

/// A raw request with `headers` and `body`.
fn request(path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("POST {path} HTTP/1.1\r\nHost: localhost\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// `hooktool generate ... --format http --to <listener>`.
fn generate_http(listener: &Listener, args: &[&str]) -> Vec<u8> {
    let to = listener.to();
    let output = run(&[
        &["generate"][..],
        args,
        &["--seed", "7", "--format", "http", "--to", &to],
    ]
    .concat());
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

fn body_of(http: &[u8]) -> &[u8] {
    let end = http.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    &http[end + 4..]
}

fn capture_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capture.jsonl");
    (dir, path)
}

fn records(path: &Path) -> Vec<CaptureRecord> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Re-verifies a capture record from the file alone, as `hooktool verify` reads it.
fn verifies_from_file(record: &CaptureRecord, keys: &Keys) -> bool {
    let now = jiff::Timestamp::now().as_second();
    verification::verify(
        &record.header_pairs(),
        &record.body_bytes().unwrap(),
        None,
        keys,
        now,
    )
    .is_ok()
}

fn round_trip(listen_args: &[&str], generate_args: &[&str], keys: &Keys) {
    let (_dir, out) = capture_file();
    let out_text = out.to_str().unwrap();
    let mut args = vec!["--out", out_text, "--expect", "1", "--timeout", "60s"];
    args.extend_from_slice(listen_args);
    let listener = Listener::start(&args);
    let http = generate_http(&listener, generate_args);
    assert_eq!(listener.send(&http), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("#1 POST / "), "{stderr}");
    assert!(stderr.contains(" verified "), "{stderr}");
    let records = records(&out);
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record.verified, Some(true));
    assert_eq!(record.body_bytes().unwrap(), body_of(&http));
    assert!(verifies_from_file(record, keys));
}

#[test]
fn cativa_deliveries_round_trip_verified() {
    let keys = Keys {
        secrets: vec![Secret::new(SECRET)],
        ..Keys::default()
    };
    round_trip(
        &["--secret", SECRET],
        &["user_created", "--secret", SECRET],
        &keys,
    );
}

#[test]
fn wix_deliveries_round_trip_verified() {
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/keys/wix-dev-public.pem"
    );
    let keys = Keys {
        wix_public_key: Some(
            hooktool::domain::signature::wix::VerifyingKey::from_pem(&std::fs::read(key).unwrap())
                .unwrap(),
        ),
        ..Keys::default()
    };
    round_trip(&["--public-key", key], &["badge_created"], &keys);
}

#[test]
fn beedeez_deliveries_round_trip_verified() {
    let keys = Keys {
        secrets: vec![Secret::new("token-123")],
        ..Keys::default()
    };
    round_trip(
        &["--secret", "token-123"],
        &[
            "certificate_completed",
            "--auth",
            "bearer",
            "--secret",
            "token-123",
        ],
        &keys,
    );
}

#[test]
fn wix_bodies_are_judged_with_the_development_key_without_public_key_as_verify_does() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--expect",
        "2",
        "--timeout",
        "60s",
    ]);
    let now = jiff::Timestamp::now().as_second().to_string();
    let genuine = generate_http(&listener, &["badge_created", "--now", &now]);
    let other_key = support::fixture("keys/other-private.pem");
    let forged = generate_http(
        &listener,
        &["badge_created", "--now", &now, "--private-key", &other_key],
    );
    assert_eq!(listener.send(&genuine), 200);
    assert_eq!(listener.send(&forged), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(1), "the forged JWT failed: {stderr}");
    assert!(stderr.contains("FAIL (JWT invalid"), "{stderr}");
    let verdicts: Vec<_> = records(&out).iter().map(|r| r.verified).collect();
    assert_eq!(verdicts, [Some(true), Some(false)]);
    // The same verdicts as `verify` gives the capture file, with the same defaults.
    let verified = run(&["verify", out.to_str().unwrap()]);
    let lines = String::from_utf8(verified.stdout).unwrap();
    assert_eq!(verified.status.code(), Some(1), "{lines}");
    assert!(
        lines.contains(":1: ok (wix)") && lines.contains(":2: FAIL (wix)"),
        "{lines}"
    );
}

#[test]
fn tolerance_is_listens_as_it_is_verifys() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--secret",
        SECRET,
        "--tolerance",
        "60s",
        "--expect",
        "2",
        "--timeout",
        "60s",
    ]);
    let now = jiff::Timestamp::now().as_second();
    let signed_at = |ago: i64| (now - ago).to_string();
    // 10 minutes old: outside the 60 s given (and the 300 s default); 1 s old: within both.
    let stale = generate_http(
        &listener,
        &["user_created", "--secret", SECRET, "--now", &signed_at(600)],
    );
    let fresh = generate_http(
        &listener,
        &["user_created", "--secret", SECRET, "--now", &signed_at(1)],
    );
    assert_eq!(listener.send(&stale), 200);
    assert_eq!(listener.send(&fresh), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("tolerance 60 s"), "{stderr}");
    let verdicts: Vec<_> = records(&out).iter().map(|r| r.verified).collect();
    assert_eq!(verdicts, [Some(false), Some(true)]);

    // A tolerance wider than the age passes what a narrower one refused.
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--secret",
        SECRET,
        "--tolerance",
        "1h",
        "--expect",
        "1",
        "--timeout",
        "60s",
    ]);
    assert_eq!(listener.send(&stale), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(records(&out)[0].verified, Some(true));
}

#[test]
fn beedeez_retries_are_flagged_duplicate_by_document_id_and_update_time() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--respond",
        "500,200",
        "--expect",
        "3",
        "--timeout",
        "60s",
    ]);
    let delivery = generate_http(&listener, &["certificate_completed"]);
    let another = run(&[
        "generate",
        "certificate_completed",
        "--seed",
        "8",
        "--format",
        "http",
        "--to",
        &listener.to(),
    ]);
    assert_eq!(listener.send(&delivery), 500);
    assert_eq!(listener.send(&delivery), 200);
    assert_eq!(listener.send(&another.stdout), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("(assumed key) unverified duplicate → 200"),
        "{stderr}"
    );
    let records = records(&out);
    assert_eq!(
        records.iter().map(|r| r.duplicate).collect::<Vec<_>>(),
        [false, true, false]
    );
    let document: serde_json::Value = serde_json::from_slice(body_of(&delivery)).unwrap();
    let key = format!(
        "{}@{}",
        document["_id"].as_str().unwrap(),
        document["updatedAt"].as_str().unwrap()
    );
    assert_eq!(records[0].assumed_event_key.as_deref(), Some(key.as_str()));
    assert_eq!(records[0].event_id, None, "Beedeez sends no event id");
}

#[test]
fn scripted_statuses_answer_retries_and_repeats_are_flagged_duplicate() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--respond",
        "503,503,200",
        "--expect",
        "4",
        "--timeout",
        "60s",
    ]);
    let http = generate_http(&listener, &["post_created", "--secret", SECRET]);
    let statuses: Vec<u16> = (0..4).map(|_| listener.send(&http)).collect();
    assert_eq!(statuses, [503, 503, 200, 200]);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(0), "no secret: nothing to fail");
    assert!(stderr.contains("unverified duplicate → 503"), "{stderr}");
    let records = records(&out);
    assert_eq!(
        records.iter().map(|r| r.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        records.iter().map(|r| r.status).collect::<Vec<_>>(),
        [503, 503, 200, 200]
    );
    assert_eq!(
        records.iter().map(|r| r.duplicate).collect::<Vec<_>>(),
        [false, true, true, true]
    );
    assert!(records.iter().all(|r| r.verified.is_none()));
    assert!(records[0].event_id.is_some());
    assert!(records[0].headers.get("x-cativa-signature").is_some());
}

#[test]
fn captures_go_to_stdout_by_default_with_method_path_and_headers() {
    let listener = Listener::start(&["--expect", "1", "--timeout", "60s"]);
    let mut stream = listener.connect();
    let status = exchange(
        &mut stream,
        b"PUT /hooks/a?x=1 HTTP/1.1\r\nHost: h\r\nX-Custom: one\r\nContent-Length: 2\r\n\r\nhi",
    );
    assert_eq!(status, 200);
    let (exit, stdout, _) = listener.wait();
    assert_eq!(exit.code(), Some(0));
    let record: CaptureRecord = serde_json::from_str(stdout.trim_end()).unwrap();
    assert_eq!(record.seq, 1);
    assert_eq!(record.method, "PUT");
    assert_eq!(record.path, "/hooks/a?x=1");
    assert_eq!(record.body.as_deref(), Some("hi"));
    assert_eq!(record.headers.get("x-custom"), Some("one"));
    assert!(record.received_at.parse::<jiff::Timestamp>().is_ok());
}

#[test]
fn a_failed_verification_makes_expect_exit_1() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--secret",
        SECRET,
        "--expect",
        "1",
        "--timeout",
        "60s",
    ]);
    let http = generate_http(&listener, &["user_created", "--secret", "whsec_other"]);
    assert_eq!(listener.send(&http), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("FAIL (signature mismatch)"), "{stderr}");
    assert_eq!(records(&out)[0].verified, Some(false));
}

#[test]
fn live_verification_refuses_what_the_providers_libraries_refuse() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--secret",
        SECRET,
        "--expect",
        "2",
        "--timeout",
        "60s",
    ]);
    let body = br#"{"id":"evt_1"}"#;
    let now = jiff::Timestamp::now().as_second();
    let exact = format!("t={now},v1={}", cativa::sign(SECRET, now, body));
    let spaced = exact.replace(',', ", ");
    for value in [&exact, &spaced] {
        let sent = request("/", &[("Stripe-Signature", value)], body);
        assert_eq!(listener.send(&sent), 200);
    }
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(1));
    assert!(
        stderr.contains("FAIL (header malformed: Stripe-Signature: a space after a comma: "),
        "{stderr}"
    );
    let verified: Vec<_> = records(&out).iter().map(|record| record.verified).collect();
    assert_eq!(verified, [Some(true), Some(false)]);
}

#[test]
fn unmet_expectations_exit_1_at_the_timeout() {
    // Long enough for the one request to arrive first, however loaded the machine.
    let listener = Listener::start(&["--expect", "2", "--timeout", "2s"]);
    assert_eq!(listener.send(&request("/", &[], b"{}")), 200);
    let (status, stdout, stderr) = listener.wait();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout.lines().count(), 1);
    assert!(
        stderr.contains("timed out after 2s: 1 of 2 expected requests arrived"),
        "{stderr}"
    );
}

#[test]
fn oversized_bodies_are_answered_413_and_recorded() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--max-body",
        "16",
        "--secret",
        SECRET,
        "--expect",
        "2",
        "--timeout",
        "60s",
    ]);
    assert_eq!(listener.send(&request("/big", &[], &[b'x'; 100])), 413);
    assert_eq!(listener.send(&request("/small", &[], b"{}")), 200);
    let (status, _, _) = listener.wait();
    assert_eq!(
        status.code(),
        Some(1),
        "neither request carried a valid signature"
    );
    let records = records(&out);
    assert_eq!(records[0].status, 413);
    assert_eq!(records[0].path, "/big");
    assert_eq!(records[0].headers.get("content-length"), Some("100"));
    assert_eq!(records[0].body_bytes().unwrap(), b"");
    assert_eq!(
        records[0].verified,
        Some(false),
        "an unread body cannot verify"
    );
    assert_eq!(records[1].status, 200, "a 413 does not use up the script");
}

#[test]
fn binary_bodies_are_captured_as_base64_byte_for_byte_and_verify() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--secret",
        SECRET,
        "--expect",
        "1",
        "--timeout",
        "60s",
    ]);
    let body: Vec<u8> = (0..=255u8).rev().collect();
    let now = jiff::Timestamp::now().as_second();
    let signature = cativa::signature_header(SECRET, now, &body);
    assert_eq!(
        listener.send(&request("/", &[("X-Cativa-Signature", &signature)], &body)),
        200
    );
    let (status, _, _) = listener.wait();
    assert_eq!(status.code(), Some(0));
    let record = &records(&out)[0];
    assert!(record.body.is_none());
    assert!(record.body_base64.is_some());
    assert_eq!(record.body_bytes().unwrap(), body);
    assert_eq!(record.verified, Some(true));
    let keys = Keys {
        secrets: vec![Secret::new(SECRET)],
        ..Keys::default()
    };
    assert!(verifies_from_file(record, &keys));
}

#[test]
fn ctrl_c_finishes_flushes_and_exits_130() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&["--out", out.to_str().unwrap()]);
    assert_eq!(listener.send(&request("/", &[], b"one")), 200);
    let interrupted = Command::new("kill")
        .args(["-INT", &listener.child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(130));
    assert!(stderr.contains("interrupted; 1 captured"), "{stderr}");
    assert_eq!(records(&out).len(), 1);
}

#[test]
fn bad_flags_are_one_line_errors_exiting_2() {
    for (args, message) in [
        (
            &["--respond", "503,abc"][..],
            "`abc` is not an HTTP status, --respond",
        ),
        (
            &["--timeout", "soon"],
            "`soon` is not a duration such as 30s, 5m, 2h or 1250ms, --timeout",
        ),
        (&["--timeout=-5s"], "`-5s` is negative, --timeout"),
        (&["--max-body", "lots"], "`lots` is not a size, --max-body"),
        (
            &["--bind", "nowhere"],
            "`nowhere` is not an IP address, --bind",
        ),
        (
            &["--out", "/nonexistent/dir/capture.jsonl"],
            "cannot open /nonexistent/dir/capture.jsonl for appending",
        ),
        (
            &["--public-key", "/nonexistent.pem"],
            "cannot read /nonexistent.pem",
        ),
    ] {
        let output = run(&[&["listen", "--port", "0"][..], args].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("hooktool: error: "), "{stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn a_port_in_use_is_an_error_naming_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = run(&["listen", "--port", &port]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

/// A distinct body per request, with multi-byte characters so that exactness is tested.
fn load_body(n: usize) -> Vec<u8> {
    format!("{{\"n\":{n},\"text\":\"é ✓ {}\"}}", "x".repeat(n % 97)).into_bytes()
}

/// Sends requests `0..total` over `concurrency` keep-alive connections until `total` or until
/// the listener goes away; returns the bodies answered 2xx.
fn load(address: SocketAddr, total: usize, concurrency: usize) -> Vec<Vec<u8>> {
    let next = AtomicUsize::new(0);
    let acknowledged = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..concurrency {
            scope.spawn(|| {
                let Ok(mut stream) = connect(address) else {
                    return;
                };
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return;
                    }
                    let body = load_body(n);
                    match try_exchange(&mut stream, &request("/load", &[], &body)) {
                        Ok(status) if (200..300).contains(&status) => {
                            acknowledged.lock().unwrap().push(body);
                        }
                        _ => return,
                    }
                }
            });
        }
    });
    acknowledged.into_inner().unwrap()
}

#[test]
fn ten_thousand_concurrent_requests_are_all_captured_exactly_in_sequence() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--expect",
        "10000",
        "--timeout",
        "120s",
    ]);
    let acknowledged = load(listener.address, 10_000, 50);
    assert_eq!(acknowledged.len(), 10_000);
    let (status, _, _) = listener.wait();
    assert_eq!(status.code(), Some(0));
    let records = records(&out);
    assert_eq!(
        records.iter().map(|r| r.seq).collect::<Vec<_>>(),
        (1..=10_000).collect::<Vec<u64>>()
    );
    let mut captured: Vec<Vec<u8>> = records.iter().map(|r| r.body_bytes().unwrap()).collect();
    captured.sort();
    let mut expected: Vec<Vec<u8>> = (0..10_000).map(load_body).collect();
    expected.sort();
    assert!(
        captured == expected,
        "every body arrives exactly once, byte for byte"
    );
}

#[test]
fn every_acknowledged_request_survives_a_sigkill_mid_load() {
    let (_dir, out) = capture_file();
    let mut listener = Listener::start(&["--out", out.to_str().unwrap()]);
    let address = listener.address;
    let sending = std::thread::spawn(move || load(address, usize::MAX, 50));
    // Kill once the load is well under way. The deadline only guards against a hang.
    let deadline = Instant::now() + HANG_GUARD;
    while std::fs::metadata(&out).map_or(0, |m| m.len()) < 200_000 {
        assert!(Instant::now() < deadline, "the load never got under way");
        std::thread::sleep(Duration::from_millis(2));
    }
    listener.child.kill().unwrap();
    let acknowledged = sending.join().unwrap();
    listener.child.wait().unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let captured: std::collections::HashSet<Vec<u8>> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<CaptureRecord>(line).ok())
        .map(|record| record.body_bytes().unwrap())
        .collect();
    assert!(acknowledged.len() > 100, "the load was under way");
    let lost = acknowledged
        .iter()
        .filter(|body| !captured.contains(*body))
        .count();
    assert_eq!(lost, 0, "acknowledged requests missing from the capture");
}

#[test]
fn send_retries_follow_the_script_and_verify_reads_the_capture() {
    let (_dir, out) = capture_file();
    let out_text = out.to_str().unwrap();
    let listener = Listener::start(&[
        "--out",
        out_text,
        "--secret",
        SECRET,
        "--respond",
        "503,503,200",
        "--expect",
        "3",
        "--timeout",
        "60s",
    ]);
    let sent = run(&[
        "send",
        "user_created",
        "--secret",
        SECRET,
        "--to",
        &listener.to(),
        "--time-scale",
        "0.0001",
    ]);
    assert!(sent.status.success(), "{sent:?}");
    let (status, _, _) = listener.wait();
    assert_eq!(status.code(), Some(0));
    let records = records(&out);
    assert_eq!(
        records
            .iter()
            .map(|r| (r.status, r.duplicate))
            .collect::<Vec<_>>(),
        [(503, false), (503, true), (200, true)]
    );
    assert!(records.iter().all(|r| r.verified == Some(true)));
    let verified = run(&["verify", "--secret", SECRET, out_text]);
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
}

#[test]
fn bodies_that_do_not_arrive_whole_are_recorded_incomplete_and_never_acknowledged() {
    let (_dir, out) = capture_file();
    let listener = Listener::start(&[
        "--out",
        out.to_str().unwrap(),
        "--expect",
        "1",
        "--timeout",
        "60s",
    ]);
    // Fewer bytes than Content-Length, then a half-close: the client still reads the answer.
    let mut short = listener.connect();
    short
        .write_all(b"POST /short HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12345")
        .unwrap();
    short.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    short.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    // A malformed chunked body.
    let mut chunked = listener.connect();
    let status = exchange(
        &mut chunked,
        b"POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n",
    );
    assert_eq!(status, 400);
    // A client gone mid-body.
    let mut gone = listener.connect();
    gone.write_all(b"POST /gone HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{\"a\"")
        .unwrap();
    drop(gone);
    // None of them counts towards --expect 1: this one does, once all three are recorded.
    let deadline = Instant::now() + HANG_GUARD;
    while std::fs::read_to_string(&out).map_or(0, |text| text.lines().count()) < 3 {
        assert!(
            Instant::now() < deadline,
            "the incomplete requests were never recorded"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(listener.send(&request("/whole", &[], b"{}")), 200);
    let (status, _, stderr) = listener.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 captured"), "{stderr}");
    assert!(stderr.contains("3 incomplete (not counted)"), "{stderr}");
    assert!(
        stderr.contains("#1 POST /short event - unverified → no answer INCOMPLETE"),
        "{stderr}"
    );
    let records = records(&out);
    assert_eq!(records.len(), 4);
    let by_path = |path: &str| records.iter().find(|r| r.path == path).unwrap();
    let short = by_path("/short");
    assert_eq!((short.status, short.complete), (0, false));
    assert_eq!(short.body_bytes().unwrap(), b"12345");
    assert!(
        short
            .problem
            .as_deref()
            .unwrap()
            .contains("before the end of the body")
    );
    let chunked = by_path("/chunked");
    assert_eq!((chunked.status, chunked.complete), (400, false));
    assert!(
        chunked
            .problem
            .as_deref()
            .unwrap()
            .starts_with("malformed body")
    );
    let gone = by_path("/gone");
    assert_eq!((gone.status, gone.complete), (0, false));
    assert_eq!(gone.body_bytes().unwrap(), b"{\"a\"");
    let whole = by_path("/whole");
    assert_eq!(
        (whole.status, whole.complete, whole.problem.as_deref()),
        (200, true, None)
    );
    assert_eq!(whole.seq, 4);
}

#[test]
fn header_values_that_are_not_utf8_are_kept_byte_for_byte() {
    use base64::Engine;
    let listener = Listener::start(&["--expect", "1", "--timeout", "60s"]);
    // Every byte from 0x80 up, between visible characters: HTTP allows them all in a value.
    let high: Vec<u8> = [b'<']
        .into_iter()
        .chain(0x80..=0xff)
        .chain([b'>'])
        .collect();
    let mut request =
        b"POST / HTTP/1.1\r\nHost: h\r\nX-Odd: caf\xe9\r\nX-Plain: ok\r\nX-High: ".to_vec();
    request.extend_from_slice(&high);
    request.extend_from_slice(b"\r\nContent-Length: 2\r\n\r\n{}");
    let status = listener.send(&request);
    assert_eq!(status, 200);
    let (exit, stdout, _) = listener.wait();
    assert_eq!(exit.code(), Some(0));
    let record: CaptureRecord = serde_json::from_str(stdout.trim_end()).unwrap();
    assert_eq!(record.headers.get("x-plain"), Some("ok"));
    assert_eq!(record.headers.get("x-odd"), None);
    assert_eq!(record.headers_base64.get("x-odd"), Some("Y2Fm6Q=="));
    let kept = base64::engine::general_purpose::STANDARD
        .decode(record.headers_base64.get("x-high").unwrap())
        .unwrap();
    assert_eq!(kept, high);
    assert!(record.complete);
    assert!(
        !stdout.contains("complete"),
        "whole records carry no marker: {stdout}"
    );
}

#[test]
fn respond_refuses_informational_statuses() {
    let output = run(&["listen", "--port", "0", "--respond", "100"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("hooktool: error: "), "{stderr}");
    assert!(stderr.contains("--respond"), "{stderr}");
}

/// `hooktool listen --port 0 ARGS` with stdout and stderr piped, and its address; nothing reads
/// the pipes yet.
fn spawn_unread(
    args: &[&str],
) -> (
    Child,
    SocketAddr,
    std::io::BufReader<std::process::ChildStderr>,
) {
    let mut child = hooktool()
        .args(["listen", "--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut first).unwrap();
    let address = first
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .parse()
        .unwrap();
    (child, address, stderr)
}

#[test]
fn a_stderr_nobody_reads_loses_lines_never_captures() {
    let (_dir, out) = capture_file();
    let (mut child, address, mut stderr) = spawn_unread(&[
        "--out",
        out.to_str().unwrap(),
        "--expect",
        "10000",
        "--timeout",
        "120s",
    ]);
    let acknowledged = load(address, 10_000, 50);
    assert_eq!(acknowledged.len(), 10_000, "every request is answered");
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    let status = wait_or_kill(&mut child, "the listener");
    assert_eq!(status.code(), Some(0), "{text}");
    assert_eq!(records(&out).len(), 10_000, "every request is captured");
    let shown = text
        .lines()
        .filter(|line| line.contains(" POST /load "))
        .count();
    let dropped: usize = text
        .lines()
        .filter_map(|line| {
            line.strip_prefix("hooktool: ")?
                .split_once(" line")?
                .0
                .parse::<usize>()
                .ok()
        })
        .sum();
    assert_eq!(
        shown + dropped,
        10_000,
        "each line is shown or counted as dropped"
    );
}

#[test]
fn a_closed_capture_stream_ends_the_listener_quietly() {
    let (mut child, address, mut stderr) = spawn_unread(&[]);
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut stream = connect(address).unwrap();
    assert_eq!(exchange(&mut stream, &request("/", &[], b"{}")), 200);
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    assert!(line.contains("\"seq\":1"), "{line}");
    drop(stdout);
    // The next capture cannot be written: it is not acknowledged, and the listener ends.
    let status = try_exchange(&mut stream, &request("/", &[], b"{}"));
    assert!(!matches!(status, Ok(200..=299)), "{status:?}");
    let exit = wait_or_kill(&mut child, "the listener");
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    assert_eq!(exit.code(), Some(0), "{text}");
    assert!(!text.contains("warning"), "{text}");
    assert!(!text.contains("error"), "{text}");
}

/// Writes `request` on a fresh connection, half-closing when asked, and reads until the
/// listener closes it.
fn raw_exchange(address: SocketAddr, request: &[u8], half_close: bool) -> String {
    let mut stream = connect(address).unwrap();
    stream.write_all(request).unwrap();
    if half_close {
        stream.shutdown(std::net::Shutdown::Write).unwrap();
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A head with more header lines than the HTTP layer takes (100).
fn crowded_head() -> Vec<u8> {
    let mut head = b"POST /crowded HTTP/1.1\r\nHost: h\r\n".to_vec();
    for n in 0..120 {
        head.extend_from_slice(format!("X-{n}: v\r\n").as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    head
}

#[test]
fn requests_refused_before_they_are_read_are_recorded_and_never_counted() {
    let (_dir, out) = capture_file();
    let out_text = out.to_str().unwrap();
    for sink in [&[][..], &["--out", out_text][..]] {
        let listener =
            Listener::start(&[sink, &["--expect", "1", "--timeout", "60s"][..]].concat());
        // Each refusal is written once the connection has ended: waiting for its line keeps the
        // records in order, and all of them ahead of the delivery that ends the listener.
        let refused = |request: &[u8], half_close: bool| {
            let answer = raw_exchange(listener.address, request, half_close);
            let line = wait_for_line(&listener.stderr_lines, |line| line.contains("REFUSED"));
            assert!(line.is_some(), "a refusal was never reported");
            answer
        };
        let malformed = refused(
            b"POST /a HTTP/1.1\r\nHost: h\r\nNo colon here\r\n\r\n",
            false,
        );
        assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed}");
        let crowded = refused(&crowded_head(), false);
        assert!(crowded.starts_with("HTTP/1.1 431"), "{crowded}");
        let cut = refused(b"POST /c HTTP/1.1\r\nHost: h\r\nX-A", true);
        assert_eq!(cut, "", "a head cut short gets no answer");
        assert_eq!(listener.send(&request("/whole", &[], b"{}")), 200);
        let (status, stdout, stderr) = listener.wait();
        assert_eq!(status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains("REFUSED headers too large (message head is too large) → 431"),
            "{stderr}"
        );
        assert!(
            stderr.contains("REFUSED malformed request (invalid HTTP header parsed) → 400"),
            "{stderr}"
        );
        assert!(
            stderr.contains("REFUSED request head cut short"),
            "{stderr}"
        );
        assert!(
            stderr.contains("1 captured, 0 duplicates, 3 refused (not counted)"),
            "{stderr}"
        );
        let records: Vec<CaptureRecord> = if sink.is_empty() {
            stdout
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect()
        } else {
            assert_eq!(stdout, "", "captures go to --out only");
            records(&out)
        };
        assert_eq!(records.len(), 4);
        let refused: Vec<_> = records
            .iter()
            .filter_map(|r| Some((r.refused.as_deref()?, r.status, r.complete)))
            .collect();
        assert_eq!(
            refused,
            [
                ("malformed request", 400, false),
                ("headers too large", 431, false),
                ("request head cut short", 0, false)
            ]
        );
        assert!(
            records[..3]
                .iter()
                .all(|r| r.method.is_empty() && r.headers.is_empty())
        );
        let whole = &records[3];
        assert_eq!(
            (whole.seq, whole.path.as_str(), whole.status, whole.complete),
            (4, "/whole", 200, true)
        );
        let _ = std::fs::remove_file(&out);
    }
}

/// `hooktool listen ARGS` with at most `open_files` file descriptors, stderr read line by line.
#[cfg(unix)]
fn listen_with_few_descriptors(
    open_files: u32,
    args: &[&str],
) -> (
    Child,
    SocketAddr,
    Receiver<String>,
    std::thread::JoinHandle<String>,
) {
    let mut child = Command::new("sh")
        .args([
            "-c",
            &format!("ulimit -n {open_files} && exec \"$0\" \"$@\""),
        ])
        .arg(assert_cmd::cargo::cargo_bin!("hooktool"))
        .args(["listen", "--port", "0"])
        .args(args)
        .env_remove("HOOKTOOL_SECRET")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, stderr) = lines_in_background(child.stderr.take().unwrap());
    let first = wait_for_line(&lines, |_| true).unwrap_or_default();
    let address = first
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .parse()
        .unwrap();
    (child, address, lines, stderr)
}

#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_pauses_accepting_without_stopping_the_listener() {
    let (mut child, address, lines, stderr) =
        listen_with_few_descriptors(32, &["--expect", "1", "--timeout", "60s"]);
    // More idle connections than descriptors: the kernel completes them all (the backlog),
    // the listener cannot accept them all.
    let idle: Vec<TcpStream> = (0..48).map(|_| connect(address).unwrap()).collect();
    let warning = wait_for_line(&lines, |line| line.contains("cannot accept"))
        .expect("the shortage is reported");
    assert!(
        warning.starts_with(&format!(
            "hooktool: warning: cannot accept connections on {address} (Too many open files)"
        )),
        "{warning}"
    );
    assert!(warning.contains("ulimit -n"), "{warning}");
    drop(idle);
    // Once connections close, accepting resumes: this one is answered and captured.
    assert_eq!(
        exchange(
            &mut connect(address).unwrap(),
            &request("/after", &[], b"{}")
        ),
        200
    );
    let status = wait_or_kill(&mut child, "the listener");
    let text = stderr.join().unwrap();
    assert_eq!(status.code(), Some(0), "{text}");
    assert_eq!(
        text.matches("cannot accept").count(),
        1,
        "said once, however often accepting fails: {text}"
    );
    assert!(text.contains("#1 POST /after"), "{text}");
}

#[test]
fn the_summary_never_holds_up_the_exit_when_stderr_is_not_read() {
    // Enough requests for their stderr lines to fill the pipe, which is never read again
    // after the first line.
    let (mut child, address, stderr) = spawn_unread(&["--expect", "3000", "--timeout", "120s"]);
    let (_, stdout) = lines_in_background(child.stdout.take().unwrap());
    let acknowledged = load(address, 3000, 10);
    assert_eq!(acknowledged.len(), 3000);
    let status = wait_or_kill(&mut child, "a listener whose stderr nobody reads");
    assert_eq!(status.code(), Some(0));
    let captured = stdout.join().unwrap();
    assert_eq!(captured.lines().count(), 3000, "every request is captured");
    drop(stderr);
}
