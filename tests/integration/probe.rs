//! End-to-end tests of `hooktool probe` against loopback receivers written here, which verify
//! deliveries on their own (the `hmac`, `sha2` and `jsonwebtoken` crates, plain header
//! comparison), never with hooktool's code: a correct receiver per provider passes every case,
//! and a receiver with one flaw fails exactly the cases for that flaw. Then each case's request,
//! captured by `hooktool listen`, is checked to be right in every way but the one it names; and
//! the example receiver passes every case.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use sha2::Sha256;

use super::junit_schema;
use super::support::{
    self, SECRET, lines_in_background, serve_router, wait_for_line, wait_or_kill,
};

#[path = "../../examples/probe_receiver.rs"]
#[allow(dead_code)]
pub(super) mod probe_receiver;

const DEV_PUBLIC_KEY: &str = include_str!("../../fixtures/keys/wix-dev-public.pem");
const OTHER_PUBLIC_KEY: &str = include_str!("../../fixtures/keys/other-public.pem");
const TOKEN: &str = "tok";
/// The Standard Webhooks specification's example secret.
pub(super) const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// Cativa's tolerance, both ways.
const TOLERANCE: i64 = 300;

const CATIVA_CASES: [&str; 14] = [
    "valid",
    "unsigned",
    "empty-signature",
    "malformed-signature",
    "wrong-secret",
    "tampered-body",
    "reserialized-body",
    "stale-timestamp",
    "very-stale-timestamp",
    "future-timestamp",
    "timestamp-mismatch",
    "replayed-delivery",
    "retry-same-id",
    "rotated-keys",
];
const WIX_CASES: [&str; 6] = [
    "valid",
    "jwt-other-key",
    "jwt-alg-none",
    "jwt-hs256-public-key",
    "jwt-expired",
    "jwt-tampered",
];
const BEEDEEZ_CASES: [&str; 5] = [
    "valid",
    "missing-credential",
    "wrong-credential",
    "wrong-credential-scheme",
    "missing-source-header",
];

/// The cases expected to be accepted; every other one is forged (or, for a replay, either).
const GENUINE: [&str; 3] = ["valid", "retry-same-id", "rotated-keys"];

const CATIVA: &[&str] = &["user_created", "--secret", SECRET];
const WIX: &[&str] = &["badge_created"];
const BEEDEEZ: &[&str] = &[
    "certificate_completed",
    "--auth",
    "bearer",
    "--secret",
    TOKEN,
];

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

// ---------------------------------------------------------------------------------------------
// Receivers

/// What a receiver answers to one request, and after how long.
type Handler = dyn Fn(&HeaderMap, &[u8]) -> (u16, Duration) + Send + Sync;

/// Starts `handler` on a free loopback port; returns its URL.
fn serve(handler: impl Fn(&HeaderMap, &[u8]) -> (u16, Duration) + Send + Sync + 'static) -> String {
    let handler: Arc<Handler> = Arc::new(handler);
    let app = Router::new().fallback(answer).with_state(handler);
    serve_router(app)
}

async fn answer(
    State(handler): State<Arc<Handler>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let (status, delay) = handler(&headers, &body);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    StatusCode::from_u16(status).unwrap()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).unwrap()
}

/// How a Cativa receiver errs, if it does.
#[derive(Default, Clone, Copy)]
struct CativaFlaws {
    accepts_unsigned: bool,
    ignores_timestamp: bool,
    verifies_reserialized_body: bool,
    refuses_seen_ids: bool,
    /// Answers 500 instead of 401 to what it rejects.
    server_error_on_forgery: bool,
}

/// A Cativa receiver: `t=<unix>,v1=<hex>[,v1=<hex>]`, HMAC-SHA256 keyed with the whole secret
/// string over `<t>.<raw body>`, 300 s of tolerance both ways; 401 for anything else.
fn cativa_receiver(flaws: CativaFlaws) -> String {
    let seen = Mutex::new(HashSet::new());
    serve(move |headers, body| {
        let rejected = if flaws.server_error_on_forgery {
            500
        } else {
            401
        };
        let status = match cativa_check(headers, body, flaws) {
            Err(()) => rejected,
            Ok(()) if flaws.refuses_seen_ids => {
                let id = header(headers, "x-cativa-execution-id").unwrap_or_default();
                if seen.lock().unwrap().insert(id.to_string()) {
                    200
                } else {
                    409
                }
            }
            Ok(()) => 200,
        };
        (status, Duration::ZERO)
    })
}

fn cativa_check(headers: &HeaderMap, body: &[u8], flaws: CativaFlaws) -> Result<(), ()> {
    let Some(value) = headers.get("x-cativa-signature") else {
        return if flaws.accepts_unsigned {
            Ok(())
        } else {
            Err(())
        };
    };
    let value = value.to_str().map_err(|_| ())?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in value.split(',') {
        match part.trim().split_once('=').ok_or(())? {
            ("t", t) => timestamp = Some(t.parse::<i64>().map_err(|_| ())?),
            ("v1", v1) => signatures.push(hex::decode(v1).map_err(|_| ())?),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(())?;
    if !flaws.ignores_timestamp && (unix_now() - timestamp).abs() > TOLERANCE {
        return Err(());
    }
    let reserialized;
    let signed = if flaws.verifies_reserialized_body {
        let value: Value = serde_json::from_slice(body).map_err(|_| ())?;
        reserialized = serde_json::to_vec(&value).unwrap();
        &reserialized[..]
    } else {
        body
    };
    let valid = signatures.iter().any(|signature| {
        let mut mac = hmac_sha256(SECRET.as_bytes());
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(signed);
        mac.verify_slice(signature).is_ok()
    });
    if valid { Ok(()) } else { Err(()) }
}

#[derive(Clone, Copy, PartialEq)]
enum WixFlaw {
    None,
    /// Decodes the payload without verifying the signature (still checks exp).
    SkipsVerification,
    /// Treats a token whose header says `alg: none` as valid; verifies the others properly.
    AcceptsAlgNone,
    /// Answers genuine deliveries after 1500 ms.
    Slow,
}

/// A Wix receiver: the body is an RS256 JWT from the development key pair, exp checked with
/// 300 s of leeway; 200 for genuine deliveries, 401 otherwise.
fn wix_receiver(flaw: WixFlaw) -> String {
    let key = DecodingKey::from_rsa_pem(DEV_PUBLIC_KEY.as_bytes()).unwrap();
    serve(move |_, body| {
        let Ok(token) = std::str::from_utf8(body).map(str::trim) else {
            return (401, Duration::ZERO);
        };
        let accepted = match flaw {
            WixFlaw::SkipsVerification => unexpired(token),
            WixFlaw::AcceptsAlgNone
                if jwt_part(token, 0).is_some_and(|header| header["alg"] == "none") =>
            {
                unexpired(token)
            }
            _ => {
                let mut validation = Validation::new(Algorithm::RS256);
                validation.leeway = TOLERANCE as u64;
                jsonwebtoken::decode::<Value>(token, &key, &validation).is_ok()
            }
        };
        match (accepted, flaw) {
            (true, WixFlaw::Slow) => (200, Duration::from_millis(1500)),
            (true, _) => (200, Duration::ZERO),
            (false, _) => (401, Duration::ZERO),
        }
    })
}

/// Part `index` of a JWT, base64url-decoded and parsed as JSON.
fn jwt_part(token: &str, index: usize) -> Option<Value> {
    let part = token.split('.').nth(index)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

/// Whether the unverified payload's exp is not past (300 s of leeway).
fn unexpired(token: &str) -> bool {
    jwt_part(token, 1)
        .and_then(|payload| payload["exp"].as_i64())
        .is_some_and(|exp| exp + TOLERANCE >= unix_now())
}

/// A Beedeez receiver: `X-Webhook-Source: beedeez` and `Authorization: Bearer tok`; with
/// `any_credential`, only the source header is checked.
fn beedeez_receiver(any_credential: bool) -> String {
    serve(move |headers, _| {
        let source = header(headers, "x-webhook-source") == Some("beedeez");
        let credential =
            any_credential || header(headers, "authorization") == Some(&format!("Bearer {TOKEN}"));
        let status = if source && credential { 200 } else { 401 };
        (status, Duration::ZERO)
    })
}

// ---------------------------------------------------------------------------------------------
// Running the probe

/// `hooktool probe EVENT --to URL --format json EXTRA`: its exit code and its one JSON document.
fn probe(event: &[&str], url: &str, extra: &[&str]) -> (i32, Value) {
    let output = support::hooktool()
        .env_remove("HOOKTOOL_SECRET")
        .env("NO_COLOR", "1")
        .arg("probe")
        .args(event)
        .args(["--to", url, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let mut documents = serde_json::Deserializer::from_slice(&output.stdout).into_iter::<Value>();
    let report = documents
        .next()
        .unwrap_or_else(|| panic!("no JSON: {}", String::from_utf8_lossy(&output.stderr)))
        .unwrap();
    assert!(documents.next().is_none(), "more than one JSON document");
    (output.status.code().unwrap(), report)
}

/// Asserts the report lists `cases` in order, and grades exactly the cases in `flagged`
/// `grade` (each with a `why` naming its consequence), every other one `pass`.
fn assert_graded(report: &Value, cases: &[&str], grade: &str, flagged: &[(&str, &str)]) {
    let outcomes = report["cases"].as_array().unwrap();
    let names: Vec<&str> = outcomes
        .iter()
        .map(|case| case["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, cases, "{report:#}");
    for case in outcomes {
        let name = case["name"].as_str().unwrap();
        let why = case["why"].as_str().unwrap();
        match flagged.iter().find(|(flagged, _)| *flagged == name) {
            Some((_, phrase)) => {
                assert_eq!(case["verdict"], grade, "{name}: {case:#}");
                assert!(why.contains(phrase), "{name}: {why:?} lacks {phrase:?}");
            }
            None => assert_eq!(case["verdict"], "pass", "{name}: {case:#}"),
        }
    }
    let counted = report["summary"][grade].as_u64().unwrap();
    assert_eq!(counted, flagged.len() as u64);
}

fn assert_all_pass(event: &[&str], url: &str, cases: &[&str]) {
    let (code, report) = probe(event, url, &[]);
    assert_graded(&report, cases, "fail", &[]);
    assert_eq!(report["ok"], true);
    assert_eq!(code, 0, "{report:#}");
}

fn assert_fails(event: &[&str], url: &str, cases: &[&str], failing: &[(&str, &str)]) {
    let (code, report) = probe(event, url, &[]);
    assert_graded(&report, cases, "fail", failing);
    assert_eq!(report["ok"], false);
    assert_eq!(code, 1);
}

// ---------------------------------------------------------------------------------------------
// Grading

#[test]
fn a_correct_receiver_passes_every_case_of_each_provider() {
    let cativa = cativa_receiver(CativaFlaws::default());
    assert_all_pass(CATIVA, &cativa, &CATIVA_CASES);
    assert_all_pass(WIX, &wix_receiver(WixFlaw::None), &WIX_CASES);
    assert_all_pass(BEEDEEZ, &beedeez_receiver(false), &BEEDEEZ_CASES);
}

#[test]
fn accepting_unsigned_requests_fails_only_unsigned() {
    let url = cativa_receiver(CativaFlaws {
        accepts_unsigned: true,
        ..CativaFlaws::default()
    });
    assert_fails(
        CATIVA,
        &url,
        &CATIVA_CASES,
        &[("unsigned", "anyone who knows the URL can forge events")],
    );
}

#[test]
fn ignoring_the_timestamp_fails_the_three_timestamp_cases() {
    let url = cativa_receiver(CativaFlaws {
        ignores_timestamp: true,
        ..CativaFlaws::default()
    });
    assert_fails(
        CATIVA,
        &url,
        &CATIVA_CASES,
        &[
            ("stale-timestamp", "replayed after the tolerance"),
            ("very-stale-timestamp", "replayed forever"),
            ("future-timestamp", "prepared to replay later"),
        ],
    );
}

#[test]
fn verifying_a_reserialized_body_fails_only_reserialized_body() {
    let url = cativa_receiver(CativaFlaws {
        verifies_reserialized_body: true,
        ..CativaFlaws::default()
    });
    assert_fails(
        CATIVA,
        &url,
        &CATIVA_CASES,
        &[("reserialized-body", "not the bytes received")],
    );
}

#[test]
fn refusing_seen_ids_fails_only_retry_same_id() {
    let url = cativa_receiver(CativaFlaws {
        refuses_seen_ids: true,
        ..CativaFlaws::default()
    });
    let (code, report) = probe(CATIVA, &url, &[]);
    assert_graded(
        &report,
        &CATIVA_CASES,
        "fail",
        &[("retry-same-id", "the provider gives up on it")],
    );
    let replay = &report["cases"][11];
    assert_eq!(replay["name"], "replayed-delivery");
    assert_eq!(replay["status"], 409);
    assert_eq!(report["cases"][12]["status"], 409);
    assert_eq!(code, 1);
}

#[test]
fn server_errors_to_forgeries_warn_and_fail_only_under_strict() {
    let url = cativa_receiver(CativaFlaws {
        server_error_on_forgery: true,
        ..CativaFlaws::default()
    });
    let forged: Vec<(&str, &str)> = CATIVA_CASES
        .iter()
        .filter(|name| !GENUINE.contains(name) && **name != "replayed-delivery")
        .map(|name| (*name, "server error (500)"))
        .collect();
    assert_eq!(forged.len(), 10);
    let (code, report) = probe(CATIVA, &url, &[]);
    assert_graded(&report, &CATIVA_CASES, "warn", &forged);
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(report["ok"], true);
    assert_eq!(code, 0);

    let (code, report) = probe(CATIVA, &url, &["--strict"]);
    assert_graded(&report, &CATIVA_CASES, "warn", &forged);
    assert_eq!(report["ok"], false);
    assert_eq!(code, 1);
}

#[test]
fn a_wix_receiver_that_skips_verification_fails_every_signature_forgery() {
    // The expired token is still refused: this receiver reads exp from the unverified payload.
    assert_fails(
        WIX,
        &wix_receiver(WixFlaw::SkipsVerification),
        &WIX_CASES,
        &[
            ("jwt-other-key", "signed with another key"),
            ("jwt-alg-none", "without a key"),
            ("jwt-hs256-public-key", "algorithm confusion"),
            ("jwt-tampered", "changed after signing"),
        ],
    );
}

#[test]
fn a_wix_receiver_accepting_alg_none_fails_only_that_case() {
    assert_fails(
        WIX,
        &wix_receiver(WixFlaw::AcceptsAlgNone),
        &WIX_CASES,
        &[("jwt-alg-none", "anyone can forge events without a key")],
    );
}

#[test]
fn a_wix_receiver_slower_than_the_timeout_fails_valid() {
    assert_fails(
        WIX,
        &wix_receiver(WixFlaw::Slow),
        &WIX_CASES,
        &[("valid", "no answer within Wix's 1250ms timeout")],
    );
}

#[test]
fn a_beedeez_receiver_accepting_any_credential_fails_the_credential_cases() {
    assert_fails(
        BEEDEEZ,
        &beedeez_receiver(true),
        &BEEDEEZ_CASES,
        &[
            ("missing-credential", "without its credential"),
            ("wrong-credential", "the credential is not checked"),
            ("wrong-credential-scheme", "under another scheme"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Formats and usage

#[test]
fn junit_has_one_testcase_per_case_and_a_failure_per_failing_case() {
    let url = cativa_receiver(CativaFlaws {
        ignores_timestamp: true,
        ..CativaFlaws::default()
    });
    let output = support::hooktool()
        .env_remove("HOOKTOOL_SECRET")
        .args(["probe"])
        .args(CATIVA)
        .args(["--to", &url, "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8(output.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut testcases, mut failures, mut failed) = (0, 0, Vec::new());
    let mut current = String::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(element) | quick_xml::events::Event::Empty(element) => {
                match element.name().as_ref() {
                    "testcase" => {
                        testcases += 1;
                        let name = element.try_get_attribute("name").unwrap().unwrap();
                        current = name.value.to_string();
                    }
                    "failure" => {
                        failures += 1;
                        failed.push(current.clone());
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(testcases, CATIVA_CASES.len());
    assert_eq!(failures, 3);
    assert_eq!(
        failed,
        [
            "stale-timestamp",
            "very-stale-timestamp",
            "future-timestamp"
        ]
    );
    junit_schema::assert_valid_junit(&xml);
}

#[test]
fn junit_reports_with_warnings_are_valid_junit_too() {
    let url = cativa_receiver(CativaFlaws {
        server_error_on_forgery: true,
        ..CativaFlaws::default()
    });
    let output = support::hooktool()
        .env_remove("HOOKTOOL_SECRET")
        .args(["probe"])
        .args(CATIVA)
        .args(["--to", &url, "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(xml.contains("<system-out>warning: "), "{xml}");
    junit_schema::assert_valid_junit(&xml);
}

#[test]
fn list_prints_every_case_of_each_provider() {
    for (event, cases) in [
        (CATIVA, &CATIVA_CASES[..]),
        (WIX, &WIX_CASES[..]),
        (BEEDEEZ, &BEEDEEZ_CASES[..]),
    ] {
        let output = support::hooktool()
            .env("NO_COLOR", "1")
            .arg("probe")
            .args(event)
            .arg("--list")
            .output()
            .unwrap();
        assert!(output.status.success());
        let listed: Vec<String> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter(|line| !line.starts_with(' '))
            .map(|line| line.split_whitespace().next().unwrap().to_string())
            .collect();
        assert_eq!(listed, cases);
    }
}

#[test]
fn usage_errors_exit_2() {
    let unreachable = "http://127.0.0.1:9/";
    let refused = |args: &[&str], reason: &str| {
        let output = support::hooktool()
            .env_remove("HOOKTOOL_SECRET")
            .arg("probe")
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    };
    let mut unknown = CATIVA.to_vec();
    unknown.extend(["--to", unreachable, "--case", "unsinged"]);
    refused(&unknown, "did you mean `unsigned`?");
    refused(&["user_created", "--to", unreachable], "secret");
    refused(
        &["badge_created", "--to", unreachable, "--scheme", "stripe"],
        "--scheme applies to Cativa events",
    );
}

// ---------------------------------------------------------------------------------------------
// Each case's request, as captured

/// One captured request: headers by lower-case name, and the body.
struct Captured {
    headers: serde_json::Map<String, Value>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(Value::as_str)
    }
}

/// Runs probe `event` against `hooktool listen --port 0 --respond 401` and returns the
/// requests it captured, one per case, in the order sent.
fn captured(event: &[&str], cases: usize) -> Vec<Captured> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("capture.jsonl");
    let mut listener = Command::new(assert_cmd::cargo::cargo_bin!("hooktool"))
        .env_remove("HOOKTOOL_SECRET")
        .env("NO_COLOR", "1")
        .args(["listen", "--port", "0", "--respond", "401", "--out"])
        .arg(&out)
        .args(["--expect", &cases.to_string(), "--timeout", "60s"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, _) = lines_in_background(listener.stderr.take().unwrap());
    let first = wait_for_line(&lines, |_| true).expect("the listener starts");
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    // One clock for every case, so that each can be compared with the valid one exactly.
    let now = unix_now().to_string();
    let (_, report) = probe(event, &url, &["--now", &now]);
    assert_eq!(report["summary"]["cases"], cases as u64);
    // Forged cases fail listen's own verification where it judges them (Wix JWT bodies, with
    // the development key): exit 1 then. Either way the listener ended on its own.
    let status = wait_or_kill(&mut listener, "the listener");
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    records(&out)
}

fn records(path: &Path) -> Vec<Captured> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            let body = match (&record["body"], &record["body_base64"]) {
                (Value::String(text), _) => text.as_bytes().to_vec(),
                (_, Value::String(encoded)) => base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .unwrap(),
                _ => Vec::new(),
            };
            Captured {
                headers: record["headers"].as_object().unwrap().clone(),
                body,
            }
        })
        .collect()
}

/// A Cativa signature header: its t (if it parses) and its v1 values (hex, as sent).
fn cativa_signature(value: &str) -> (Option<i64>, Vec<String>) {
    let mut t = None;
    let mut v1 = Vec::new();
    for part in value.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => t = value.parse().ok(),
            Some(("v1", value)) => v1.push(value.to_string()),
            _ => {}
        }
    }
    (t, v1)
}

fn cativa_sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = hmac_sha256(secret.as_bytes());
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn differing_bytes(a: &[u8], b: &[u8]) -> usize {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).filter(|(a, b)| a != b).count()
}

fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn every_cativa_case_is_a_single_request_whose_only_flaw_is_the_one_it_names() {
    let requests = captured(CATIVA, CATIVA_CASES.len());
    assert_eq!(requests.len(), CATIVA_CASES.len());
    let case = |name: &str| &requests[CATIVA_CASES.iter().position(|case| *case == name).unwrap()];
    let valid = case("valid");
    let signature_of = |request: &Captured| {
        cativa_signature(
            request
                .header("x-cativa-signature")
                .expect("a signature header"),
        )
    };
    let (t, v1) = signature_of(valid);
    let now = t.unwrap();
    assert!((unix_now() - now).abs() < 60);
    assert_eq!(v1, [cativa_sign(SECRET, now, &valid.body)]);
    let execution_id = valid.header("x-cativa-execution-id").unwrap();
    let automation_id = valid.header("x-cativa-automation-id").unwrap();
    assert!(!execution_id.is_empty() && !automation_id.is_empty());

    // What every request shares with the valid one.
    for (name, request) in CATIVA_CASES.iter().zip(&requests) {
        assert_eq!(
            request.header("content-type"),
            Some("application/json"),
            "{name}"
        );
        assert_eq!(
            request.header("x-cativa-automation-id"),
            Some(automation_id),
            "{name}"
        );
        if *name != "rotated-keys" {
            assert_eq!(
                request.header("x-cativa-execution-id"),
                Some(execution_id),
                "{name}"
            );
        }
        if !["tampered-body", "reserialized-body"].contains(name) {
            assert_eq!(request.body, valid.body, "{name}");
        }
    }
    // Signed with the right secret, for a timestamp of its own.
    let signed_at = |name: &str| {
        let (t, v1) = signature_of(case(name));
        let t = t.unwrap();
        assert_eq!(v1, [cativa_sign(SECRET, t, &valid.body)], "{name}");
        t
    };
    assert_eq!(signed_at("stale-timestamp"), now - TOLERANCE - 1);
    assert_eq!(signed_at("very-stale-timestamp"), 978_307_200);
    assert_eq!(signed_at("future-timestamp"), now + TOLERANCE + 2);

    assert_eq!(case("unsigned").header("x-cativa-signature"), None);
    assert_eq!(
        case("empty-signature").header("x-cativa-signature"),
        Some("")
    );
    let (t, v1) = signature_of(case("malformed-signature"));
    assert!(
        t.is_none() || v1.iter().any(|value| hex::decode(value).is_err()),
        "it does not parse"
    );
    let (t, v1) = signature_of(case("wrong-secret"));
    assert_eq!(t, Some(now));
    assert_eq!(v1.len(), 1);
    assert_ne!(v1[0], cativa_sign(SECRET, now, &valid.body));

    // The same headers; Content-Length follows the body.
    let headers = |request: &Captured| {
        let mut headers = request.headers.clone();
        headers.remove("content-length");
        headers
    };
    let tampered = case("tampered-body");
    assert_eq!(tampered.headers, valid.headers);
    assert_eq!(differing_bytes(&tampered.body, &valid.body), 1);
    let original: Value = serde_json::from_slice(&valid.body).unwrap();
    let changed: Value = serde_json::from_slice(&tampered.body).unwrap();
    assert_eq!(
        keys(&changed),
        keys(&original),
        "a value changed, not a key"
    );

    let reserialized = case("reserialized-body");
    assert_eq!(headers(reserialized), headers(valid));
    assert_ne!(reserialized.body, valid.body);
    assert_eq!(
        reserialized.body,
        serde_json::to_vec_pretty(&original).unwrap()
    );

    let (t, v1) = signature_of(case("timestamp-mismatch"));
    assert_eq!(t, Some(now));
    assert_ne!(v1, [cativa_sign(SECRET, now, &valid.body)]);
    assert_eq!(
        v1,
        [cativa_sign(SECRET, now - 1, &valid.body)],
        "signed with the right secret for another timestamp"
    );

    let replayed = case("replayed-delivery");
    assert_eq!(replayed.headers, valid.headers);

    let retry = case("retry-same-id");
    let retried_at = signed_at("retry-same-id");
    assert!((0..=TOLERANCE).contains(&(retried_at - now)));
    assert_ne!(
        retry.header("x-cativa-signature"),
        valid.header("x-cativa-signature"),
        "signed afresh"
    );

    let rotated = case("rotated-keys");
    let (t, v1) = signature_of(rotated);
    assert_eq!(t, Some(now));
    assert_eq!(v1.len(), 2);
    let genuine = cativa_sign(SECRET, now, &valid.body);
    assert_eq!(v1.iter().filter(|value| **value == genuine).count(), 1);
    let rotated_id = rotated.header("x-cativa-execution-id").unwrap();
    assert!(!rotated_id.is_empty());
    assert_ne!(rotated_id, execution_id, "another event than valid's");
}

#[test]
fn every_wix_case_is_a_single_request_whose_only_flaw_is_the_one_it_names() {
    let requests = captured(WIX, WIX_CASES.len());
    assert_eq!(requests.len(), WIX_CASES.len());
    let token = |name: &str| -> String {
        let index = WIX_CASES.iter().position(|case| *case == name).unwrap();
        String::from_utf8(requests[index].body.clone()).unwrap()
    };
    let verifies = |token: &str, pem: &str| {
        let key = DecodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        jsonwebtoken::decode::<Value>(token, &key, &validation).is_ok()
    };
    let parts = |token: &str| -> Vec<String> { token.split('.').map(str::to_string).collect() };
    let valid = token("valid");
    assert!(verifies(&valid, DEV_PUBLIC_KEY));
    let payload = jwt_part(&valid, 1).unwrap();
    let exp = payload["exp"].as_i64().unwrap();
    assert!(
        (exp - unix_now() - TOLERANCE).abs() < 60,
        "fresh: {payload}"
    );
    assert!(payload["data"].is_string());
    for request in &requests {
        assert_eq!(request.header("content-type"), Some("text/plain"));
    }

    let other = token("jwt-other-key");
    assert!(!verifies(&other, DEV_PUBLIC_KEY));
    assert!(
        verifies(&other, OTHER_PUBLIC_KEY),
        "a genuine RS256 token of another key"
    );
    assert_eq!(jwt_part(&other, 1).unwrap(), payload);

    let none = token("jwt-alg-none");
    assert_eq!(jwt_part(&none, 0).unwrap()["alg"], "none");
    assert_eq!(parts(&none)[2], "");
    assert_eq!(jwt_part(&none, 1).unwrap(), payload);

    let hs256 = token("jwt-hs256-public-key");
    assert_eq!(jwt_part(&hs256, 0).unwrap()["alg"], "HS256");
    assert_eq!(jwt_part(&hs256, 1).unwrap(), payload);
    let [header, claims, signature] = &parts(&hs256)[..] else {
        panic!("three parts")
    };
    let mut mac = hmac_sha256(DEV_PUBLIC_KEY.as_bytes());
    mac.update(format!("{header}.{claims}").as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap())
        .expect("keyed with the public key's PEM text");

    let expired = token("jwt-expired");
    assert!(verifies(&expired, DEV_PUBLIC_KEY));
    let expired_payload = jwt_part(&expired, 1).unwrap();
    assert_eq!(expired_payload["exp"].as_i64().unwrap(), exp - 3600);
    assert_eq!(expired_payload["data"], payload["data"]);

    let tampered = token("jwt-tampered");
    let (valid_parts, tampered_parts) = (parts(&valid), parts(&tampered));
    assert_eq!(tampered_parts[0], valid_parts[0]);
    assert_eq!(tampered_parts[2], valid_parts[2], "the original signature");
    let decoded = |part: &str| URL_SAFE_NO_PAD.decode(part).unwrap();
    assert_eq!(
        differing_bytes(&decoded(&tampered_parts[1]), &decoded(&valid_parts[1])),
        1
    );
    let changed = jwt_part(&tampered, 1).unwrap();
    assert_eq!(keys(&changed), keys(&payload), "every claim still there");
}

#[test]
fn every_beedeez_case_is_a_single_request_whose_only_flaw_is_the_one_it_names() {
    let requests = captured(BEEDEEZ, BEEDEEZ_CASES.len());
    assert_eq!(requests.len(), BEEDEEZ_CASES.len());
    let case = |name: &str| &requests[BEEDEEZ_CASES.iter().position(|case| *case == name).unwrap()];
    let bearer = format!("Bearer {TOKEN}");
    let valid = case("valid");
    assert_eq!(valid.header("x-webhook-source"), Some("beedeez"));
    assert_eq!(valid.header("authorization"), Some(bearer.as_str()));
    for (name, request) in BEEDEEZ_CASES.iter().zip(&requests) {
        assert_eq!(request.body, valid.body, "{name}");
        assert_eq!(
            request.header("content-type"),
            Some("application/json"),
            "{name}"
        );
        if *name != "missing-source-header" {
            assert_eq!(
                request.header("x-webhook-source"),
                Some("beedeez"),
                "{name}"
            );
        }
    }
    assert_eq!(case("missing-credential").header("authorization"), None);
    assert_eq!(case("missing-credential").header("x-api-key"), None);
    let wrong = case("wrong-credential").header("authorization").unwrap();
    assert!(wrong.starts_with("Bearer ") && wrong.len() == bearer.len() && wrong != bearer);
    let scheme = case("wrong-credential-scheme");
    assert_eq!(scheme.header("authorization"), None);
    assert_eq!(scheme.header("x-api-key"), Some(TOKEN));
    let sourceless = case("missing-source-header");
    assert_eq!(sourceless.header("x-webhook-source"), None);
    assert_eq!(sourceless.header("authorization"), Some(bearer.as_str()));
}

// ---------------------------------------------------------------------------------------------
// The example receiver

#[test]
fn the_example_receiver_passes_every_case_of_each_provider() {
    let config = probe_receiver::Config {
        secret: SECRET.to_string(),
        token: TOKEN.to_string(),
        wix_public_key: DecodingKey::from_rsa_pem(DEV_PUBLIC_KEY.as_bytes()).unwrap(),
        standard_key: probe_receiver::Config::standard_key(STANDARD_SECRET).unwrap(),
    };
    let url = serve_router(probe_receiver::router(config));
    assert_all_pass(CATIVA, &format!("{url}cativa"), &CATIVA_CASES);
    assert_all_pass(WIX, &format!("{url}wix"), &WIX_CASES);
    assert_all_pass(BEEDEEZ, &format!("{url}beedeez"), &BEEDEEZ_CASES);
    // The Standard Webhooks cases are those of Cativa, carried by the webhook-* headers.
    let standard = [
        "user_created",
        "--scheme",
        "standard",
        "--secret",
        STANDARD_SECRET,
    ];
    assert_all_pass(&standard, &format!("{url}standard"), &CATIVA_CASES);
}

/// A receiver verifying the Standard Webhooks way with the published example secret: the
/// secret probe signs the wrong-secret case with is never the receiver's own.
#[test]
fn the_wrong_secret_is_never_the_receivers_own() {
    let secret = STANDARD_SECRET;
    for own in [secret, "whsec_c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQ="] {
        let key = base64::engine::general_purpose::STANDARD
            .decode(own.trim_start_matches("whsec_"))
            .unwrap();
        let url = serve(move |headers, body| {
            let id = header(headers, "webhook-id").unwrap_or_default();
            let timestamp = header(headers, "webhook-timestamp").unwrap_or_default();
            let mut mac = hmac_sha256(&key);
            mac.update(format!("{id}.{timestamp}.").as_bytes());
            mac.update(body);
            let expected =
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
            let signed = header(headers, "webhook-signature").is_some_and(|value| {
                value
                    .split(' ')
                    .any(|entry| entry == format!("v1,{expected}"))
            });
            (if signed { 200 } else { 401 }, Duration::ZERO)
        });
        let (code, report) = probe(
            &["user_created"],
            &url,
            &[
                "--secret",
                own,
                "--scheme",
                "standard",
                "--case",
                "valid",
                "--case",
                "wrong-secret",
            ],
        );
        assert_eq!(code, 0, "{report:#}");
    }
}

#[test]
fn a_target_with_credentials_is_refused_without_showing_them() {
    let output = support::hooktool()
        .args([
            "probe",
            "certificate_completed",
            "--to",
            "http://u:hunter2@localhost:3000/",
        ])
        .args(["--auth", "bearer", "--secret", "tok"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("carries credentials, --to"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
