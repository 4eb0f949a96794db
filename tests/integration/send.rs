//! End-to-end tests of `hooktool send` against loopback receivers started here on port 0,
//! scripted to answer with chosen statuses, headers and delays, over HTTP or HTTPS.
//! `--time-scale` shrinks the providers' curves so that no test waits for a real retry delay.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio_rustls::TlsAcceptor;

use hooktool::domain::signature::{cativa, wix};

use super::support::{self, SECRET, lines_in_background, wait_for_line, wait_or_kill};

/// What the receiver answers to one request.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    delay: Duration,
}

fn reply(status: u16) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        delay: Duration::ZERO,
    }
}

impl Reply {
    fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// One request as the receiver saw it.
struct Received {
    arrived: Instant,
    arrived_unix: i64,
    answered: Instant,
    path: String,
    headers: HeaderMap,
    body: Bytes,
    /// Requests being answered when this one arrived, itself included.
    in_flight: usize,
}

#[derive(Clone)]
struct Receiver {
    script: Arc<Vec<Reply>>,
    received: Arc<Mutex<Vec<Received>>>,
    in_flight: Arc<AtomicUsize>,
}

/// Starts a receiver answering successive requests with `script` (the last reply repeats).
fn serve(script: Vec<Reply>) -> (u16, Arc<Mutex<Vec<Received>>>) {
    serve_over(script, None)
}

/// Hands axum connections whose TLS handshake is done. A handshake the client breaks off (it
/// refused the certificate) is no connection to serve, and must not stop the listener.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(stream) = self.acceptor.accept(stream).await {
                return (stream, address);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn serve_over(script: Vec<Reply>, tls: Option<TlsAcceptor>) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = StdListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let receiver = Receiver {
        script: Arc::new(script),
        received: Arc::new(Mutex::new(Vec::new())),
        in_flight: Arc::new(AtomicUsize::new(0)),
    };
    let received = Arc::clone(&receiver.received);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let tcp = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = Router::new().fallback(answer).with_state(receiver);
            match tls {
                None => axum::serve(tcp, app).await.unwrap(),
                Some(acceptor) => axum::serve(TlsListener { tcp, acceptor }, app)
                    .await
                    .unwrap(),
            }
        });
    });
    (port, received)
}

async fn answer(
    State(receiver): State<Receiver>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    let in_flight = receiver.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let index = receiver.received.lock().unwrap().len();
    let reply = receiver.script[index.min(receiver.script.len() - 1)].clone();
    receiver.received.lock().unwrap().push(Received {
        arrived,
        arrived_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
        answered: arrived + reply.delay,
        path: uri.path().to_string(),
        headers,
        body,
        in_flight,
    });
    tokio::time::sleep(reply.delay).await;
    // Before the answer leaves: the client may send its next request as soon as it has it.
    receiver.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut response_headers = HeaderMap::new();
    for (name, value) in &reply.headers {
        response_headers.insert(*name, value.parse().unwrap());
    }
    let status = StatusCode::from_u16(reply.status).unwrap();
    (status, response_headers, format!("answer {}", index + 1)).into_response()
}

fn send(event: &str, to: &str, extra: &[&str]) -> Output {
    support::hooktool()
        .args([
            "send", event, "--to", to, "--secret", SECRET, "--seed", "7", "--json",
        ])
        .args(extra)
        .output()
        .unwrap()
}

fn report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "no JSON report ({error}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn attempts(report: &Value) -> &Vec<Value> {
    report["events"][0]["attempts"].as_array().unwrap()
}

/// Every Cativa request carries the same body and execution id, and a valid signature for its
/// own attempt: signed no later than it arrived, never for an earlier time than the attempt
/// before, and for about the time it was sent. "About" is a minute: how much later a loaded
/// machine sends a signed request is not the property under test.
fn assert_cativa_attempts_are_one_event_signed_afresh(received: &[Received], report: &Value) {
    let first = &received[0];
    let mut previous = i64::MIN;
    let execution_id = first.headers[cativa::EXECUTION_ID_HEADER].to_str().unwrap();
    assert_eq!(report["events"][0]["event_id"], execution_id);
    for request in received {
        assert_eq!(request.body, first.body, "the body never changes");
        assert_eq!(
            request.headers[cativa::EXECUTION_ID_HEADER],
            execution_id,
            "the execution id never changes"
        );
        let header =
            cativa::parse_header(request.headers[cativa::SIGNATURE_HEADER].to_str().unwrap())
                .unwrap();
        assert!(cativa::matches(SECRET, &header, &request.body));
        let earliest = previous.max(request.arrived_unix - 60);
        assert!(
            (earliest..=request.arrived_unix).contains(&header.timestamp),
            "signed at {} for an attempt that arrived at {}, the one before signed at {previous}",
            header.timestamp,
            request.arrived_unix
        );
        previous = header.timestamp;
    }
}

/// No retry comes before its scaled delay has passed since the end of the previous answer. A
/// loaded machine may make it later, so there is no upper bound.
fn assert_gaps(received: &[Received], scaled_ms: &[f64]) {
    assert_eq!(received.len(), scaled_ms.len() + 1);
    for (pair, expected) in received.windows(2).zip(scaled_ms) {
        let gap = pair[1].arrived.duration_since(pair[0].answered);
        let expected = Duration::from_secs_f64(expected / 1000.0);
        assert!(gap >= expected, "gap {gap:?} shorter than {expected:?}");
    }
}

fn next_delays(report: &Value, key: &str) -> Vec<f64> {
    attempts(report)
        .iter()
        .filter_map(|attempt| attempt[key].as_f64())
        .collect()
}

#[test]
fn success_first_time_is_one_attempt_and_exit_0() {
    let (port, received) = serve(vec![reply(200)]);
    let output = send("user_created", &port.to_string(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(report["outcome"], "delivered");
    assert_eq!(attempts(&report).len(), 1);
    assert_eq!(attempts(&report)[0]["status"], 200);
    assert!(attempts(&report)[0]["next_delay_ms"].is_null());
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert_cativa_attempts_are_one_event_signed_afresh(&received, &report);
    assert!(stderr(&output).contains(&format!("to http://localhost:{port}/")));
    assert!(stderr(&output).contains("delivered after 1 attempt"));
}

#[test]
fn two_503s_then_200_is_three_attempts_on_the_scaled_cativa_curve() {
    let (port, received) = serve(vec![reply(503), reply(503), reply(200)]);
    let output = send(
        "user_created",
        &format!("localhost:{port}/hooks"),
        &["--time-scale", "0.001"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    let statuses: Vec<_> = attempts(&report)
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    let numbers: Vec<_> = attempts(&report).iter().map(|a| a["n"].clone()).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(
        next_delays(&report, "next_delay_unscaled_ms"),
        [30_000.0, 300_000.0]
    );
    assert_eq!(next_delays(&report, "next_delay_ms"), [30.0, 300.0]);
    let received = received.lock().unwrap();
    assert!(received.iter().all(|request| request.path == "/hooks"));
    assert_cativa_attempts_are_one_event_signed_afresh(&received, &report);
    assert_gaps(&received, &[30.0, 300.0]);
    let text = stderr(&output);
    assert!(text.contains("retry in 30s, scaled to 30ms"), "{text}");
    assert!(text.contains("response: answer 1"), "{text}");
}

#[test]
fn gone_410_is_a_permanent_failure_after_one_attempt() {
    let (port, received) = serve(vec![reply(410), reply(200)]);
    let output = send(
        "post_created",
        &format!(":{port}"),
        &["--time-scale", "0.001"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report = report(&output);
    assert_eq!(report["outcome"], "failed");
    assert_eq!(report["events"][0]["outcome"], "permanent_failure");
    assert_eq!(attempts(&report).len(), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
    assert!(stderr(&output).contains("permanent failure, not retried"));
}

#[test]
fn always_500_is_exactly_seven_cativa_attempts_then_exit_1() {
    let (port, received) = serve(vec![reply(500)]);
    let scale = 0.000_005;
    let output = send(
        "user_joined_group",
        &format!("127.0.0.1:{port}"),
        &["--time-scale", &scale.to_string()],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(report["events"][0]["outcome"], "retries_exhausted");
    assert_eq!(attempts(&report).len(), 7);
    let curve_ms = [
        30_000.0,
        300_000.0,
        1_800_000.0,
        7_200_000.0,
        21_600_000.0,
        86_400_000.0,
    ];
    assert_eq!(next_delays(&report, "next_delay_unscaled_ms"), curve_ms);
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 7);
    assert_cativa_attempts_are_one_event_signed_afresh(&received, &report);
    let scaled: Vec<f64> = curve_ms.iter().map(|ms| ms * scale).collect();
    assert_gaps(&received, &scaled);
    assert!(stderr(&output).contains("attempt 7/7"));
    assert!(stderr(&output).contains("no success in 7 of 7 attempts"));
}

#[test]
fn wix_counts_201_as_a_failure_and_reissues_the_jwt_around_the_same_event() {
    let (port, received) = serve(vec![reply(201), reply(200)]);
    let output = send(
        "badge_created",
        &port.to_string(),
        &["--time-scale", "0.0001"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    let statuses: Vec<_> = attempts(&report)
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(statuses, [201, 200]);
    assert_eq!(next_delays(&report, "next_delay_unscaled_ms"), [60_000.0]);
    let received = received.lock().unwrap();
    let key = wix::VerifyingKey::development();
    let documents: Vec<String> = received
        .iter()
        .map(|request| {
            let token = wix::verify(&key, std::str::from_utf8(&request.body).unwrap()).unwrap();
            token.envelope.data
        })
        .collect();
    assert_eq!(documents[0], documents[1], "the same event document");
    let event: Value = serde_json::from_str(&documents[0]).unwrap();
    assert_eq!(report["events"][0]["event_id"], event["id"]);
    assert_gaps(&received, &[6.0]);
}

#[test]
fn cativa_retry_after_shortens_a_slot_and_is_capped_at_it() {
    // An HTTP-date 20 minutes ahead shortens the third slot (30m); however late the third
    // attempt comes on a loaded machine, the date is still ahead of it.
    let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1200));
    let (port, received) = serve(vec![
        reply(503).header("Retry-After", "1"),
        reply(503).header("Retry-After", "86400"),
        reply(429).header("Retry-After", soon),
        reply(200),
    ]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--time-scale", "0.0001"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    let unscaled = next_delays(&report, "next_delay_unscaled_ms");
    assert_eq!(
        unscaled[..2],
        [1_000.0, 300_000.0],
        "shortened, then capped at 5m"
    );
    // Up to a minute may pass before the third answer without the test failing: how long is
    // not the property under test.
    assert!(
        (1_140_000.0..=1_200_000.0).contains(&unscaled[2]),
        "an HTTP-date about 20 minutes ahead: {}",
        unscaled[2]
    );
    let received = received.lock().unwrap();
    assert_cativa_attempts_are_one_event_signed_afresh(&received, &report);
    let scaled = next_delays(&report, "next_delay_ms");
    assert_gaps(&received, &scaled);
    let stderr = stderr(&output);
    assert!(
        stderr.contains(
            "retry in 1s (Retry-After; shortening the slot is an interpretation, assumed)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "Retry-After: honoured, capped at the slot's delay; a shorter Retry-After shortens \
             the wait (interpretation, assumed)"
        ),
        "{stderr}"
    );
    // Capped at the slot: no shortening, so no interpretation to label.
    assert!(
        stderr.contains("503 Service Unavailable") && stderr.contains("retry in 5m, scaled"),
        "{stderr}"
    );
}

#[test]
fn a_receiver_slower_than_the_timeout_is_retried() {
    let (port, received) = serve(vec![reply(200).after(Duration::from_millis(600))]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--timeout", "100ms", "--retry", "1ms,1ms"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(attempts(&report).len(), 3);
    for attempt in attempts(&report) {
        assert_eq!(attempt["error"], "timed out");
        assert!(attempt["status"].is_null());
        assert!(attempt["latency_ms"].as_f64().unwrap() >= 100.0);
    }
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 3);
    assert_cativa_attempts_are_one_event_signed_afresh(&received, &report);
}

#[test]
fn connection_refused_is_retried_then_fails() {
    let port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = send(
        "user_created",
        &format!("http://127.0.0.1:{port}/x"),
        &["--retry", "1ms,2ms"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(attempts(&report).len(), 3);
    assert_eq!(next_delays(&report, "next_delay_ms"), [1.0, 2.0]);
    for attempt in attempts(&report) {
        assert!(
            attempt["error"].as_str().unwrap().contains("refused"),
            "{attempt}"
        );
    }
}

/// A bare HTTP/1.1 receiver that reads one request per connection, answers it with the next
/// status of `script` (`None`: hangs up without answering), then closes the connection without
/// announcing it, as receivers that drop idle keep-alive connections do. Returns the port and
/// the number of requests read so far.
fn serve_one_request_per_connection(script: Vec<Option<u16>>) -> (u16, Arc<Mutex<usize>>) {
    use std::io::{Read, Write};
    let listener = StdListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0; 4096];
            // Headers, then as many body bytes as Content-Length says.
            let complete = loop {
                let read = stream.read(&mut buffer).unwrap_or(0);
                if read == 0 {
                    break false;
                }
                request.extend_from_slice(&buffer[..read]);
                let mut headers = [httparse::EMPTY_HEADER; 32];
                let mut parsed = httparse::Request::new(&mut headers);
                if let Ok(httparse::Status::Complete(head)) = parsed.parse(&request) {
                    let length = parsed
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                        .map(|h| {
                            std::str::from_utf8(h.value)
                                .unwrap()
                                .parse::<usize>()
                                .unwrap()
                        })
                        .unwrap_or(0);
                    if request.len() >= head + length {
                        break true;
                    }
                }
            };
            if !complete {
                continue;
            }
            let index = {
                let mut count = counter.lock().unwrap();
                *count += 1;
                *count - 1
            };
            if let Some(status) = script[index.min(script.len() - 1)] {
                let answer = format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\n\r\nok");
                stream.write_all(answer.as_bytes()).unwrap();
            }
        }
    });
    (port, requests)
}

#[test]
fn a_connection_closed_without_an_answer_is_retried() {
    let (port, requests) = serve_one_request_per_connection(vec![None, None, Some(200)]);
    let output = send("user_created", &port.to_string(), &["--retry", "1ms,2ms"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    let attempts = attempts(&report);
    assert_eq!(attempts.len(), 3);
    for attempt in &attempts[..2] {
        assert!(attempt["status"].is_null(), "{attempt}");
        assert!(
            attempt["error"].as_str().unwrap().contains("closed"),
            "{attempt}"
        );
    }
    assert_eq!(attempts[2]["status"], 200);
    assert_eq!(*requests.lock().unwrap(), 3);
}

#[test]
fn a_receiver_closing_kept_alive_connections_costs_no_attempt() {
    let (port, requests) = serve_one_request_per_connection(vec![Some(503), Some(503), Some(200)]);
    let output = send("user_created", &port.to_string(), &["--retry", "50ms,50ms"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    let statuses: Vec<_> = attempts(&report)
        .iter()
        .map(|attempt| attempt["status"].clone())
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(*requests.lock().unwrap(), 3);
}

/// HTTPS targets, which only a build with the `tls` feature can reach.
#[cfg(feature = "tls")]
mod https {
    use std::path::Path;

    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::crypto::ring;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

    use super::*;
    use crate::support::fixture;

    /// The path of a test certificate or key under `tls/`, as a string argument.
    fn tls_file(name: &str) -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/integration/tls")
            .join(name)
            .display()
            .to_string()
    }

    /// Starts `serve`'s receiver over HTTPS, with the certificate of `tls/server.crt` (for
    /// localhost, 127.0.0.1 and ::1, issued by `tls/ca.crt`).
    fn serve_https(script: Vec<Reply>) -> (u16, Arc<Mutex<Vec<Received>>>) {
        let chain = CertificateDer::pem_file_iter(tls_file("server.crt"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(tls_file("server.key")).unwrap();
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        serve_over(script, Some(TlsAcceptor::from(Arc::new(config))))
    }

    #[test]
    fn https_targets_signed_by_a_cacert_get_the_exact_signed_body() {
        let (port, received) = serve_https(vec![reply(200)]);
        let body_file = fixture("valid/cativa/user_created/generated.json");
        let output = send(
            "user_created",
            &format!("https://127.0.0.1:{port}/hook"),
            &[
                "--cacert",
                &tls_file("ca.crt"),
                "--body",
                &body_file,
                "--now",
                "1700000000",
                "--retry",
                "none",
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(report(&output)["outcome"], "delivered");
        let received = received.lock().unwrap();
        assert_eq!(received.len(), 1);
        let request = &received[0];
        assert_eq!(request.path, "/hook");
        assert_eq!(request.body, std::fs::read(&body_file).unwrap());
        assert_eq!(
            request.headers[cativa::SIGNATURE_HEADER],
            cativa::signature_header(SECRET, 1_700_000_000, &request.body)
        );
    }

    #[test]
    fn an_untrusted_certificate_fails_the_attempt_naming_the_problem() {
        let (port, received) = serve_https(vec![reply(200)]);
        let output = send(
            "user_created",
            &format!("https://localhost:{port}/hook"),
            &["--retry", "none"],
        );
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let report = report(&output);
        let error = attempts(&report)[0]["error"].as_str().unwrap().to_string();
        assert_eq!(
            error,
            "certificate not trusted (unknown issuer): pass --cacert FILE or --insecure"
        );
        assert!(stderr(&output).contains(&error), "{}", stderr(&output));
        assert!(received.lock().unwrap().is_empty());
    }

    #[test]
    fn every_https_attempt_gets_its_answer_while_other_threads_finish() {
        // The first attempts of the first events fail and are retried while the other events
        // are done; connections are pooled across the whole run, so a thread whose events are
        // over must keep serving the connections it opened to the others.
        let mut script = vec![reply(503); 12];
        script.push(reply(200));
        let (port, received) = serve_https(script);
        for _ in 0..5 {
            received.lock().unwrap().clear();
            let output = send(
                "user_created",
                &format!("https://127.0.0.1:{port}/hook"),
                &[
                    "--cacert",
                    &tls_file("ca.crt"),
                    "--count",
                    "32",
                    "--concurrency",
                    "16",
                    "--retry",
                    "20ms",
                ],
            );
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            assert_eq!(report(&output)["summary"]["requests"], 44);
        }
    }

    #[test]
    fn insecure_accepts_an_untrusted_certificate() {
        let (port, received) = serve_https(vec![reply(200)]);
        let output = send(
            "user_created",
            &format!("https://127.0.0.1:{port}/hook"),
            &["--insecure", "--retry", "none"],
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(received.lock().unwrap().len(), 1);
    }

    #[test]
    fn an_https_target_that_speaks_plain_http_is_named_as_such() {
        let (port, _) = serve(vec![reply(200)]);
        let output = send(
            "user_created",
            &format!("https://127.0.0.1:{port}/hook"),
            &["--insecure", "--retry", "none"],
        );
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(
            attempts(&report(&output))[0]["error"],
            "the target does not speak TLS"
        );
    }

    #[test]
    fn unusable_cacert_files_are_usage_errors_naming_the_flag() {
        let (port, received) = serve_https(vec![reply(200)]);
        let to = format!("https://127.0.0.1:{port}/hook");
        // A key is the likeliest file to hold PEM but no certificate.
        let key = tls_file("server.key");
        for (file, expected) in [
            ("/no/such/file", "cannot read /no/such/file ("),
            (&key, &format!("no PEM certificate in {key}, --cacert")),
        ] {
            let output = send("user_created", &to, &["--cacert", file]);
            assert_eq!(output.status.code(), Some(2), "{file}");
            let text = stderr(&output);
            let first = text.lines().next().unwrap();
            assert!(
                first.starts_with(&format!("hooktool: error: {expected}")),
                "{text}"
            );
            assert!(first.ends_with(", --cacert"), "{text}");
            assert!(output.stdout.is_empty());
        }
        assert!(received.lock().unwrap().is_empty());
    }
}

#[test]
fn certificate_flags_are_ignored_for_http_targets() {
    let (port, received) = serve(vec![reply(200)]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--cacert", "/no/such/file", "--insecure"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[test]
fn redirects_are_failures_and_never_followed() {
    let (port, received) = serve(vec![reply(302).header("Location", "/elsewhere")]);
    let output = send("user_created", &port.to_string(), &["--retry", "1ms"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    let statuses: Vec<_> = attempts(&report)
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(statuses, [302, 302]);
    let received = received.lock().unwrap();
    assert!(received.iter().all(|request| request.path == "/"));
    assert_cativa_attempts_are_one_event_signed_afresh(&received, &report);
    assert!(stderr(&output).contains("→ /elsewhere (redirect not followed)"));
}

#[test]
fn many_events_are_distinct_and_summarised() {
    let (port, received) = serve(vec![reply(200)]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--count", "40", "--concurrency", "4"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(report["summary"]["delivered"], 40);
    assert_eq!(report["summary"]["requests"], 40);
    assert!(report["summary"]["latency_p99_ms"].as_f64().is_some());
    let received = received.lock().unwrap();
    let mut ids: Vec<_> = received
        .iter()
        .map(|request| request.headers[cativa::EXECUTION_ID_HEADER].clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "every event has its own id");
    assert!(stderr(&output).contains("delivered 40 of 40"));
    assert!(stderr(&output).contains("40 events, 4 requests in flight"));
}

#[test]
fn beedeez_concurrency_limits_requests_in_flight_not_events_waiting_to_retry() {
    // Every attempt fails after 20 ms; retries wait 100 ms (1s scaled by 0.1).
    let (port, received) = serve(vec![reply(500).after(Duration::from_millis(20))]);
    let output = send(
        "certificate_completed",
        &port.to_string(),
        &["--count", "10", "--retry", "1s,1s", "--time-scale", "0.1"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(
        report["run"]["concurrency"], 5,
        "Beedeez's documented default"
    );
    assert_eq!(report["summary"]["requests"], 30);
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 30);
    let most = received.iter().map(|request| request.in_flight).max();
    assert!(most <= Some(5), "{most:?} requests in flight at once");
    // Events are told apart by their BadgeUser `_id`; the order of arrival at the receiver.
    let mut arrivals: Vec<(Value, Vec<usize>)> = Vec::new();
    for (position, request) in received.iter().enumerate() {
        let id = serde_json::from_slice::<Value>(&request.body).unwrap()["_id"].clone();
        match arrivals.iter_mut().find(|(seen, _)| *seen == id) {
            Some((_, positions)) => positions.push(position),
            None => arrivals.push((id, vec![position])),
        }
    }
    assert_eq!(arrivals.len(), 10);
    assert!(arrivals.iter().all(|(_, positions)| positions.len() == 3));
    let last_first_attempt = arrivals.iter().map(|(_, p)| p[0]).max().unwrap();
    let first_last_attempt = arrivals.iter().map(|(_, p)| p[2]).min().unwrap();
    assert!(
        last_first_attempt < first_last_attempt,
        "an event waiting to retry held a slot: the 10th event started at request {} but an \
         event had used up its retries at request {}",
        last_first_attempt + 1,
        first_last_attempt + 1
    );
}

#[test]
fn one_failure_among_many_events_is_exit_1() {
    let (port, _received) = serve(vec![reply(404), reply(200)]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--count", "3", "--concurrency", "1"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report = report(&output);
    assert_eq!(report["summary"]["delivered"], 2);
    assert_eq!(report["summary"]["failed"], 1);
    assert!(stderr(&output).contains("3 events, 1 request in flight"));
}

#[test]
fn fewer_events_than_slots_say_how_many_requests_can_really_be_in_flight() {
    let (port, _received) = serve(vec![reply(200)]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--count", "3", "--concurrency", "50"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("3 events, 3 requests in flight"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ctrl_c_stops_cleanly_with_a_summary_and_exit_130() {
    let (port, received) = serve(vec![reply(500)]);
    let output = interrupt_once_waiting(port, 1, &[]);
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(report["outcome"], "interrupted");
    assert_eq!(report["events"][0]["outcome"], "interrupted");
    assert_eq!(attempts(&report).len(), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
    assert!(stderr(&output).contains("interrupted"));
    assert!(stderr(&output).contains("delivered 0 of 1"));
}

#[test]
fn ctrl_c_stops_every_event_in_flight_and_reports_every_attempt_made() {
    // Enough events and slots to be delivered from several threads on a machine with cores.
    let (port, received) = serve(vec![reply(500)]);
    let output = interrupt_once_waiting(port, 40, &["--count", "40", "--concurrency", "16"]);
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(report["outcome"], "interrupted");
    let events = report["events"].as_array().unwrap();
    assert_eq!(events.len(), 40);
    assert!(events.iter().all(|event| event["outcome"] == "interrupted"));
    assert_eq!(report["summary"]["requests"], 40);
    assert_eq!(received.lock().unwrap().len(), 40);
    assert!(stderr(&output).contains("delivered 0 of 40"));
}

#[test]
fn each_response_line_stands_under_its_own_attempt() {
    // Every answer is a 503 whose body says which request it answers ("answer 12"), printed
    // under the attempt as `response: answer 12`.
    let (port, received) = serve(vec![reply(503)]);
    let output = send(
        "user_created",
        &port.to_string(),
        &["--count", "200", "--concurrency", "16", "--retry", "1ms"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 400);
    let text = stderr(&output);
    let lines: Vec<&str> = text.lines().collect();
    let mut responses = 0;
    for (position, line) in lines.iter().enumerate() {
        let Some(answer) = line.trim_start().strip_prefix("response: answer ") else {
            continue;
        };
        responses += 1;
        let attempt = lines[position - 1];
        let event: usize = attempt
            .strip_prefix("event ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("`{line}` follows `{attempt}`"));
        let request = &received[answer.parse::<usize>().unwrap() - 1];
        assert_eq!(
            request.headers[cativa::EXECUTION_ID_HEADER]
                .to_str()
                .unwrap(),
            report["events"][event - 1]["event_id"],
            "`{line}` is under event {event}'s attempt"
        );
    }
    assert_eq!(responses, 400);
}

/// Sends with `--retry 1h` to a failing receiver, interrupts hooktool with SIGINT once
/// `waiting` events have had their first attempt answered, and returns what it wrote.
fn interrupt_once_waiting(port: u16, waiting: usize, flags: &[&str]) -> Output {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("hooktool"))
        .args([
            "send",
            "user_created",
            "--to",
            &port.to_string(),
            "--secret",
            SECRET,
            "--json",
        ])
        .args(["--retry", "1h"])
        .args(flags)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (_, stdout_reader) = lines_in_background(child.stdout.take().unwrap());
    let (lines, stderr_reader) = lines_in_background(child.stderr.take().unwrap());
    // Once an attempt's line is out, it has been answered and its 1 h wait has begun.
    for _ in 0..waiting {
        let first_attempt = wait_for_line(&lines, |line| {
            line.contains("attempt 1/") && line.contains("retry in")
        });
        if first_attempt.is_none() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "too few first attempt lines:\n{}",
                stderr_reader.join().unwrap()
            );
        }
    }
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    Output {
        status: wait_or_kill(&mut child, "send, interrupted"),
        stdout: stdout_reader.join().unwrap().into_bytes(),
        stderr: stderr_reader.join().unwrap().into_bytes(),
    }
}

#[test]
fn remote_targets_are_refused_without_allow_remote() {
    let output = send("user_created", "example.com", &[]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.starts_with("hooktool: error: http://example.com/ is not on this machine, --to"),
        "{text}"
    );
    assert!(text.contains("--allow-remote"));
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_flags_are_usage_errors_naming_the_flag() {
    for (flags, expected) in [
        (vec!["--retry", "soon"], "--retry"),
        (vec!["--retry", "1s,-2s"], "--retry"),
        (vec!["--time-scale=-1"], "--time-scale"),
        (vec!["--timeout", "ten"], "--timeout"),
        (vec!["--timeout", "0s"], "--timeout"),
        (vec!["--count", "0"], "--count"),
        (vec!["--concurrency", "0"], "--concurrency"),
    ] {
        let output = send("user_created", "3000", &flags);
        assert_eq!(output.status.code(), Some(2), "{flags:?}");
        let text = stderr(&output);
        let first = text.lines().next().unwrap();
        assert!(first.starts_with("hooktool: error: "), "{text}");
        assert!(first.ends_with(expected), "{flags:?}: {first}");
    }
    let output = send("user_created", "http://", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("malformed URL"));
}

#[test]
fn a_number_before_a_path_is_a_port_on_this_machine() {
    let (port, received) = serve(vec![reply(200)]);
    for to in [format!("{port}/webhooks"), format!(":{port}/webhooks")] {
        let output = send("user_created", &to, &[]);
        assert_eq!(output.status.code(), Some(0), "{to}: {}", stderr(&output));
        assert_eq!(
            report(&output)["run"]["target"],
            format!("http://localhost:{port}/webhooks")
        );
    }
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|request| request.path == "/webhooks"));
}

#[test]
fn port_zero_is_refused_before_any_attempt() {
    for to in [
        "0",
        ":0",
        "0/webhooks",
        "localhost:0",
        "http://127.0.0.1:0/x",
    ] {
        let output = send("user_created", to, &[]);
        assert_eq!(output.status.code(), Some(2), "{to}");
        let text = stderr(&output);
        assert_eq!(
            text.lines().next(),
            Some("hooktool: error: port 0 cannot receive requests, --to"),
            "{to}: {text}"
        );
        assert!(output.stdout.is_empty());
    }
}

/// Every byte `hooktool ARGS` wrote, both streams.
fn all_output(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn url_credentials_go_as_basic_auth_and_the_password_is_never_shown() {
    const PASSWORD: &str = "pw-n0t-sh0wn";
    let (port, received) = serve(vec![reply(200)]);
    let to = format!("http://alice:{PASSWORD}@127.0.0.1:{port}/hook");
    let shown = format!("http://alice:***@127.0.0.1:{port}/hook");

    let json = send("user_created", &to, &[]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    assert_eq!(report(&json)["run"]["target"], shown);
    assert!(stderr(&json).contains(&shown), "{}", stderr(&json));
    let text = support::hooktool()
        .args(["send", "user_created", "--to", &to, "--secret", SECRET])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let probe = support::hooktool()
        .args(["probe", "user_created", "--to", &to, "--secret", SECRET])
        .output()
        .unwrap();
    let probe_json = support::hooktool()
        .args(["probe", "user_created", "--to", &to, "--secret", SECRET])
        .args(["--format", "json"])
        .output()
        .unwrap();
    // probe decides each case's credentials itself, so it refuses them in the URL, masked.
    assert_eq!(
        probe_json.status.code(),
        Some(2),
        "{}",
        all_output(&probe_json)
    );
    assert!(
        String::from_utf8_lossy(&probe_json.stderr).contains(&shown),
        "{}",
        all_output(&probe_json)
    );
    // Failed attempts and usage errors show the target too.
    let refused_port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = send(
        "user_created",
        &format!("http://alice:{PASSWORD}@127.0.0.1:{refused_port}/"),
        &["--retry", "none"],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let remote = send(
        "user_created",
        &format!("http://alice:{PASSWORD}@example.com/"),
        &[],
    );
    assert_eq!(remote.status.code(), Some(2));
    let malformed = send(
        "user_created",
        &format!("http://alice:{PASSWORD}@localhost:99999/"),
        &[],
    );
    assert_eq!(malformed.status.code(), Some(2));
    for output in [
        &json,
        &text,
        &probe,
        &probe_json,
        &refused,
        &remote,
        &malformed,
    ] {
        let all = all_output(output);
        assert!(!all.contains(PASSWORD), "{all}");
        assert!(all.contains("alice:***@"), "{all}");
    }

    let received = received.lock().unwrap();
    assert!(received.len() >= 2);
    for request in received.iter() {
        // base64("alice:pw-n0t-sh0wn")
        assert_eq!(
            request.headers["authorization"],
            "Basic YWxpY2U6cHctbjB0LXNoMHdu"
        );
    }
}

#[test]
fn ipv4_mapped_loopback_counts_as_this_machine() {
    let (port, received) = serve(vec![reply(200)]);
    let output = send("user_created", &format!("[::ffff:127.0.0.1]:{port}/x"), &[]);
    // Some machines refuse IPv4-mapped addresses on IPv6 sockets: the guard is what matters.
    assert!(
        !stderr(&output).contains("not on this machine"),
        "{}",
        stderr(&output)
    );
    if output.status.code() == Some(0) {
        assert_eq!(received.lock().unwrap()[0].path, "/x");
    }
}

#[test]
fn send_reaches_a_listener_bound_on_ipv6_loopback() {
    if let Err(error) = StdListener::bind("[::1]:0") {
        println!("skipped: IPv6 loopback is not available here ({error})");
        return;
    }
    let mut listener = std::process::Command::new(assert_cmd::cargo::cargo_bin!("hooktool"))
        .env_remove("HOOKTOOL_SECRET")
        .args([
            "listen", "--port", "0", "--bind", "[::1]", "--secret", SECRET,
        ])
        .args(["--expect", "2"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (_, stdout) = lines_in_background(listener.stdout.take().unwrap());
    let (lines, listener_stderr) = lines_in_background(listener.stderr.take().unwrap());
    let Some(first) = wait_for_line(&lines, |_| true) else {
        let _ = listener.kill();
        let _ = listener.wait();
        panic!(
            "the listener never started:\n{}",
            listener_stderr.join().unwrap()
        );
    };
    let address = first
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .to_string();
    assert!(address.starts_with("[::1]:"), "{address}");
    for to in [address.clone(), format!("http://{address}/x")] {
        let output = send("user_created", &to, &[]);
        assert_eq!(output.status.code(), Some(0), "{to}: {}", stderr(&output));
        assert_eq!(report(&output)["outcome"], "delivered");
    }
    // Both requests arrived and verified.
    let status = wait_or_kill(&mut listener, "the listener");
    assert!(status.success(), "{}", listener_stderr.join().unwrap());
    assert_eq!(stdout.join().unwrap().lines().count(), 2);
}
