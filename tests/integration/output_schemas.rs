//! Every machine-readable document hooktool prints is described by a JSON Schema checked in
//! under `tests/output-schemas/`; these tests hold real output to them, so the schemas and the
//! output cannot drift apart.

use std::path::Path;

use serde_json::Value;

use super::support::{
    SECRET, event_names, fixture, hooktool, signed_request_file, start_listener, wait_or_kill,
};

fn validator(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/output-schemas")
        .join(format!("{name}.schema.json"));
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn assert_valid(name: &str, document: &Value) {
    let errors: Vec<String> = validator(name)
        .iter_errors(document)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{document:#}");
}

fn json_of(args: &[&str]) -> Value {
    let output = hooktool()
        .args(args)
        .env_remove("HOOKTOOL_SECRET")
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{args:?}: {error}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn events_json_matches_its_schema() {
    let mut events = json_of(&["events", "--json"]);
    assert_valid("events", &events);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/providers");
    let with_packs = json_of(&[
        "--providers",
        examples.to_str().unwrap(),
        "events",
        "--json",
    ]);
    assert!(with_packs.to_string().contains("\"provider\":\"acme\""));
    assert_valid("events", &with_packs);
    // The schemas are strict: a key they do not describe is refused.
    events[0]["surprise"] = Value::Bool(true);
    assert!(!validator("events").is_valid(&events));
}

#[test]
fn providers_json_matches_its_schema_with_and_without_loaded_packs() {
    let built_in = json_of(&["providers", "--json"]);
    assert_valid("providers", &built_in);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/providers");
    let examples = examples.to_str().unwrap();
    let mut loaded = json_of(&["--providers", examples, "providers", "--json"]);
    assert_eq!(loaded.as_array().unwrap().len(), 4, "{loaded:#}");
    assert_valid("providers", &loaded);
    // The schemas are strict: a loaded pack cannot pass for a built-in one.
    loaded[3]["built_in"] = Value::Bool(true);
    assert!(!validator("providers").is_valid(&loaded));
}

#[test]
fn generate_json_matches_its_schema_for_every_event() {
    for event in event_names() {
        for seed in ["1", "7", "42"] {
            let document = json_of(&["generate", event, "--secret", SECRET, "--seed", seed]);
            assert_valid("generate", &document);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.bin");
    std::fs::write(&binary, [0xff, 0x00, 0x7b]).unwrap();
    let document = json_of(&[
        "generate",
        "user_created",
        "--secret",
        SECRET,
        "--body",
        binary.to_str().unwrap(),
    ]);
    assert!(document.get("body_base64").is_some());
    assert_valid("generate", &document);
}

#[test]
fn verify_json_matches_its_schema_with_and_without_explain() {
    let dir = tempfile::tempdir().unwrap();
    let request = signed_request_file(dir.path());
    let path = request.to_str().unwrap();
    for secret in [SECRET, "whsec_other"] {
        for explain in [false, true] {
            let mut args = vec![
                "verify",
                path,
                "--secret",
                secret,
                "--now",
                "1700000000",
                "--json",
            ];
            if explain {
                args.push("--explain");
            }
            assert_valid("verify", &json_of(&args));
        }
    }
    // A Wix token issued in the future: an assumed warning, or under --strict the failure.
    let wix = dir.path().join("wix.http");
    let output = hooktool()
        .args([
            "generate",
            "badge_created",
            "--now",
            "1700000400",
            "--format",
            "http",
        ])
        .output()
        .unwrap();
    std::fs::write(&wix, output.stdout).unwrap();
    for strict in [&[][..], &["--strict"][..]] {
        let args = [
            &[
                "verify",
                wix.to_str().unwrap(),
                "--now",
                "1700000000",
                "--json",
            ][..],
            strict,
        ]
        .concat();
        let document = json_of(&args);
        assert_eq!(document["total"], 1);
        assert_valid("verify", &document);
    }
}

#[test]
fn validate_json_matches_its_schema() {
    assert_valid(
        "validate",
        &json_of(&["validate", &fixture("valid"), "--format", "json"]),
    );
    assert_valid(
        "validate",
        &json_of(&[
            "validate",
            &fixture("invalid"),
            "--expect-invalid",
            "--format",
            "json",
        ]),
    );
    for strict in [&[][..], &["--strict"][..]] {
        let document = json_of(
            &[
                &["validate", &fixture("assumed"), "--format", "json"][..],
                strict,
            ]
            .concat(),
        );
        assert_eq!(document["summary"]["files"], 4);
        assert_valid("validate", &document);
    }
}

#[test]
fn send_json_and_capture_records_match_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.jsonl");
    let (mut listener, address) = start_listener(|command| {
        command
            .args([
                "listen",
                "--port",
                "0",
                "--respond",
                "503,200",
                "--expect",
                "3",
            ])
            .args(["--secret", SECRET, "--out", capture.to_str().unwrap()]);
    });
    let retried = json_of(&[
        "send",
        "user_created",
        "--to",
        &address,
        "--secret",
        SECRET,
        "--time-scale",
        "0.001",
        "--json",
    ]);
    assert_eq!(retried["outcome"], "delivered");
    assert_valid("send", &retried);
    let binary = dir.path().join("binary.bin");
    std::fs::write(&binary, [0xff, 0x00]).unwrap();
    let sent = json_of(&[
        "send",
        "user_created",
        "--to",
        &address,
        "--secret",
        SECRET,
        "--body",
        binary.to_str().unwrap(),
        "--json",
    ]);
    assert_valid("send", &sent);
    assert!(wait_or_kill(&mut listener, "the listener").success());
    let text = std::fs::read_to_string(&capture).unwrap();
    assert_eq!(text.lines().count(), 3);
    let unanswered = json_of(&[
        "probe",
        "user_created",
        "--to",
        "127.0.0.1:9",
        "--secret",
        SECRET,
        "--case",
        "valid",
        "--format",
        "json",
    ]);
    assert_eq!(unanswered["cases"][0]["verdict"], "fail");
    assert_valid("probe", &unanswered);
    for line in text.lines() {
        assert_valid("capture-record", &serde_json::from_str(line).unwrap());
    }
    let refused = json_of(&[
        "send",
        "user_created",
        "--to",
        "127.0.0.1:9",
        "--secret",
        SECRET,
        "--retry",
        "none",
        "--json",
    ]);
    assert_eq!(refused["outcome"], "failed");
    assert_valid("send", &refused);
}

#[test]
fn beedeez_capture_records_with_their_assumed_key_match_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.jsonl");
    let (mut listener, address) = start_listener(|command| {
        command
            .args(["listen", "--port", "0", "--respond", "500,200"])
            .args(["--expect", "2", "--out", capture.to_str().unwrap()]);
    });
    let sent = json_of(&[
        "send",
        "certificate_completed",
        "--to",
        &address,
        "--time-scale",
        "0.001",
        "--json",
    ]);
    assert_eq!(sent["outcome"], "delivered");
    assert!(wait_or_kill(&mut listener, "the listener").success());
    let records: Vec<Value> = std::fs::read_to_string(&capture)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["duplicate"], true, "the retry");
    assert!(records[1]["assumed_event_key"].is_string());
    for record in &records {
        assert_valid("capture-record", record);
    }
}

#[test]
fn incomplete_refused_and_non_utf8_capture_records_match_their_schema() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.jsonl");
    let (mut listener, address) = start_listener(|command| {
        command
            .args(["listen", "--port", "0", "--expect", "1", "--secret", SECRET])
            .args(["--out", capture.to_str().unwrap()]);
    });
    let answer = |request: &[u8], half_close: bool| {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream.write_all(request).unwrap();
        if half_close {
            stream.shutdown(std::net::Shutdown::Write).unwrap();
        }
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    };
    let short = answer(
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{}",
        true,
    );
    assert!(short.starts_with("HTTP/1.1 400"), "{short}");
    let malformed = answer(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        false,
    );
    assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed}");
    // Refused by the HTTP layer: each answer has arrived once the server closed the connection,
    // so each refusal is being recorded before the request that ends the listener is sent.
    let malformed_head = answer(b"POST / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n", false);
    assert!(
        malformed_head.starts_with("HTTP/1.1 400"),
        "{malformed_head}"
    );
    let mut crowded = b"POST / HTTP/1.1\r\nHost: h\r\n".to_vec();
    for n in 0..120 {
        crowded.extend_from_slice(format!("X-{n}: v\r\n").as_bytes());
    }
    crowded.extend_from_slice(b"\r\n");
    let crowded = answer(&crowded, false);
    assert!(crowded.starts_with("HTTP/1.1 431"), "{crowded}");
    assert_eq!(answer(b"POST / HTTP/1.1\r\nHost:", true), "");
    let odd = answer(
        b"POST / HTTP/1.1\r\nHost: h\r\nX-Odd: \xff\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
        false,
    );
    assert!(odd.starts_with("HTTP/1.1 200"), "{odd}");
    wait_or_kill(&mut listener, "the listener");
    let text = std::fs::read_to_string(&capture).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    for line in text.lines() {
        assert_valid("capture-record", &serde_json::from_str(line).unwrap());
    }
    assert!(text.contains(r#""complete":false"#), "{text}");
    assert!(
        text.contains(r#""headers_base64":{"x-odd":"/w=="}"#),
        "{text}"
    );
    for refused in [
        "malformed request",
        "headers too large",
        "request head cut short",
    ] {
        assert!(
            text.contains(&format!(r#""refused":"{refused}""#)),
            "{text}"
        );
    }
}

#[test]
fn probe_json_matches_its_schema() {
    let (mut listener, address) = start_listener(|command| {
        command.args([
            "listen",
            "--port",
            "0",
            "--respond",
            "401",
            "--out",
            "/dev/null",
        ]);
    });
    for event in ["user_created", "badge_created"] {
        let probed = json_of(&[
            "probe", event, "--to", &address, "--secret", SECRET, "--format", "json",
        ]);
        assert_valid("probe", &probed);
    }
    listener.kill().unwrap();
    listener.wait().unwrap();
}
