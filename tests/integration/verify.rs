//! End-to-end tests of `hooktool verify` on the built binary: every input form, every scheme,
//! every failure reason, and the exit codes 0 / 1 / 2.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

use super::support::{self, SECRET, assert_transcript, transcript};

const NOW: &str = "1700000000";

fn hooktool() -> Command {
    let mut command = support::hooktool();
    command.env_remove("HOOKTOOL_SECRET");
    command
}

fn generate(event: &str, format: &str, extra: &[&str]) -> Vec<u8> {
    let output = hooktool()
        .args([
            "generate", event, "--seed", "7", "--now", NOW, "--format", format,
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "generate {event} failed");
    output.stdout
}

fn verify(stdin: impl Into<Vec<u8>>, args: &[&str]) -> assert_cmd::assert::Assert {
    hooktool()
        .arg("verify")
        .args(args)
        .write_stdin(stdin.into())
        .assert()
}

/// A request given as `--header` flags and a body file.
fn verify_flags(headers: &[&str], body: &[u8], args: &[&str]) -> assert_cmd::assert::Assert {
    let dir = tempfile::tempdir().unwrap();
    let body_path = dir.path().join("body");
    std::fs::write(&body_path, body).unwrap();
    let mut command = hooktool();
    command.arg("verify").arg("--body").arg(&body_path);
    for header in headers {
        command.args(["--header", header]);
    }
    command.args(args).assert()
}

#[test]
fn every_event_round_trips_from_generate_http_to_verify() {
    for event in hooktool::domain::catalogue::events() {
        let (generate_args, verify_args): (Vec<&str>, Vec<&str>) = match event.provider.id() {
            "cativa" => (vec!["--secret", SECRET], vec!["--secret", SECRET]),
            // Wix bodies verify with the shipped development key by default.
            "wix" => (vec![], vec![]),
            _ => (
                vec!["--auth", "bearer", "--secret", "tok"],
                vec!["--secret", "tok"],
            ),
        };
        let request = generate(event.name, "http", &generate_args);
        verify(request, &[&["--now", NOW][..], &verify_args].concat())
            .success()
            .stdout(contains(": ok ("));
    }
}

#[test]
fn beedeez_credentials_of_every_method_verify() {
    for (auth, secret) in [
        ("basic", "user:pass"),
        ("api-key", "k3y"),
        ("bearer", "t0k"),
    ] {
        let request = generate(
            "certificate_expired",
            "http",
            &["--auth", auth, "--secret", secret],
        );
        verify(request.clone(), &["--secret", secret])
            .success()
            .stdout(contains("ok (beedeez)"));
        verify(request, &["--secret", "wrong"])
            .code(1)
            .stdout(contains("FAIL (beedeez): credential mismatch"));
    }
}

#[test]
fn generate_json_output_verifies_and_a_wrong_secret_fails() {
    let json = generate("post_created", "json", &["--secret", SECRET]);
    verify(json.clone(), &["--secret", SECRET, "--now", NOW])
        .success()
        .stdout("stdin: ok (cativa)\n");
    verify(json, &["--secret", "whsec_other", "--now", NOW])
        .code(1)
        .stdout(contains("FAIL (cativa): signature mismatch"));
}

#[test]
fn key_rotation_passes_when_any_secret_matches() {
    let request = generate("user_joined_group", "http", &["--secret", SECRET]);
    verify(
        request,
        &[
            "--secret",
            "whsec_retired",
            "--secret",
            SECRET,
            "--now",
            NOW,
        ],
    )
    .success();
}

#[test]
fn the_secret_can_come_from_the_environment_or_a_file() {
    let request = generate("user_created", "http", &["--secret", SECRET]);
    hooktool()
        .args(["verify", "--now", NOW])
        .env("HOOKTOOL_SECRET", SECRET)
        .write_stdin(request.clone())
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    std::fs::write(&file, format!("{SECRET}\n")).unwrap();
    hooktool()
        .args(["verify", "--now", NOW, "--secret-file"])
        .arg(&file)
        .write_stdin(request)
        .assert()
        .success();
}

/// Computed independently:
/// `printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac "$SECRET"`.
const CATIVA_OPENSSL_V1: &str = "74f0112b59b235c16ccd3f8a35d9114da486fc2743ed600940b4e70cb22f7574";

#[test]
fn cativa_openssl_vector_verifies_from_header_flags() {
    let header = format!("X-Cativa-Signature: t=1700000000,v0=dead,v1={CATIVA_OPENSSL_V1}");
    verify_flags(
        &[&header],
        br#"{"a":1}"#,
        &["--secret", SECRET, "--now", NOW],
    )
    .success()
    .stdout(contains("ok (cativa)"));
}

/// Computed independently:
/// `printf '%s' '1700000000.{"id":"evt_1","object":"event"}' | openssl dgst -sha256 -hmac "$SECRET"`.
const STRIPE_OPENSSL_V1: &str = "cea8fea69dba9e7d105569ab9ad787f5317daf64b1600d19aadc814f214bfb2e";

#[test]
fn stripe_openssl_vector_verifies_with_several_v1_entries() {
    let header = format!(
        "Stripe-Signature: t=1700000000,v1={},v1={STRIPE_OPENSSL_V1}",
        "0".repeat(64)
    );
    let body = br#"{"id":"evt_1","object":"event"}"#;
    verify_flags(&[&header], body, &["--secret", SECRET, "--now", NOW])
        .success()
        .stdout(contains("ok (stripe)"));
    verify_flags(&[&header], b"{}", &["--secret", SECRET, "--now", NOW])
        .code(1)
        .stdout(contains("FAIL (stripe): signature mismatch"));
}

/// `printf '%s' 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"`.
#[test]
fn github_signatures_verify_without_a_time_check() {
    let header = "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    verify_flags(
        &[header],
        b"Hello, World!",
        &["--secret", "It's a Secret to Everybody"],
    )
    .success()
    .stdout(contains("ok (github)"));
}

const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const STANDARD_BODY: &[u8] = br#"{"test": 2432232314}"#;
const STANDARD_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn standard(signature: &str, secret: &str, now: i64) -> assert_cmd::assert::Assert {
    let signature = format!("webhook-signature: {signature}");
    let now = now.to_string();
    verify_flags(
        &[
            "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek",
            "webhook-timestamp: 1614265330",
            &signature,
        ],
        STANDARD_BODY,
        &["--secret", secret, "--now", &now],
    )
}

#[test]
fn standard_webhooks_published_vector_and_negative_cases() {
    let signed_at = 1_614_265_330;
    standard(STANDARD_SIGNATURE, STANDARD_SECRET, signed_at)
        .success()
        .stdout(contains("ok (standard)"));
    // Unpadded secrets are accepted (they are hooktool's input); an unpadded signature is the
    // sender's, and the Standard Webhooks libraries refuse it.
    standard(
        STANDARD_SIGNATURE.trim_end_matches('='),
        STANDARD_SECRET,
        signed_at,
    )
    .code(1)
    .stdout(contains(
        "FAIL (standard): header malformed: webhook-signature: unpadded base64 in a v1 \
         signature: the Standard Webhooks libraries compare the padded base64 text, so they \
         reject it",
    ));
    standard(
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        STANDARD_SECRET,
        signed_at,
    )
    .code(1)
    .stdout(contains("signature mismatch"));
    standard("v1,", STANDARD_SECRET, signed_at)
        .code(1)
        .stdout(contains("header malformed: webhook-signature"));
    standard(STANDARD_SIGNATURE, STANDARD_SECRET, signed_at + 300).success();
    standard(STANDARD_SIGNATURE, STANDARD_SECRET, signed_at - 300).success();
    standard(STANDARD_SIGNATURE, STANDARD_SECRET, signed_at + 301)
        .code(1)
        .stdout(contains("timestamp too old: 301 s old, tolerance 300 s"));
    standard(STANDARD_SIGNATURE, STANDARD_SECRET, signed_at - 301)
        .code(1)
        .stdout(contains(
            "timestamp too far in the future: 301 s ahead, tolerance 300 s",
        ));
    standard(STANDARD_SIGNATURE, "", signed_at)
        .code(2)
        .stderr(contains("the secret is empty, --secret"));
    standard(STANDARD_SIGNATURE, "whsec_", signed_at)
        .code(1)
        .stdout(contains("no usable secret: the secret is empty"));
}

/// Each header form the scheme's own libraries refuse, with the line that says why; the exact
/// forms of the published vectors pass above.
#[test]
fn headers_the_providers_libraries_refuse_fail_with_their_reason() {
    let stripe_body = br#"{"id":"evt_1","object":"event"}"#;
    let stripe = |value: String| {
        verify_flags(
            &[&format!("Stripe-Signature: {value}")],
            stripe_body,
            &["--secret", SECRET, "--now", NOW],
        )
    };
    stripe(format!("t=1700000000,v1={STRIPE_OPENSSL_V1}")).success();
    for (value, reason) in [
        (
            format!("t=1700000000, v1={STRIPE_OPENSSL_V1}"),
            "a space after a comma: Stripe's Node, Python and Go libraries split on `,` and \
             trim nothing, so they reject it",
        ),
        (
            format!("t=1700000000,\tv1={STRIPE_OPENSSL_V1}"),
            "a tab after a comma: ",
        ),
        (
            format!("t=1700000000,v1={}", STRIPE_OPENSSL_V1.to_uppercase()),
            "upper-case hex in a v1 signature: Stripe sends lower-case hex, and its Node, \
             Python and Ruby libraries compare it as text, so they reject it",
        ),
    ] {
        stripe(value).code(1).stdout(contains(format!(
            "FAIL (stripe): header malformed: Stripe-Signature: {reason}"
        )));
    }

    let github_digest = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    let github = |digits: &str| {
        verify_flags(
            &[&format!("X-Hub-Signature-256: sha256={digits}")],
            b"Hello, World!",
            &["--secret", "It's a Secret to Everybody"],
        )
    };
    github(github_digest).success();
    github(&github_digest.to_uppercase())
        .code(1)
        .stdout(contains(
            "FAIL (github): header malformed: X-Hub-Signature-256: upper-case hex: GitHub sends \
             lower-case hex, and the checks it documents and @octokit/webhooks compare the value \
             as text, so they reject it",
        ));

    let other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    standard(
        &format!("{other} {STANDARD_SIGNATURE}"),
        STANDARD_SECRET,
        1_614_265_330,
    )
    .success();
    for (value, reason) in [
        (
            format!("{other}\t{STANDARD_SIGNATURE}"),
            "a tab in the value: the Standard Webhooks libraries split it on single spaces and \
             trim nothing, so they reject it",
        ),
        (
            format!("{other}  {STANDARD_SIGNATURE}"),
            "two spaces in a row: the Standard Webhooks Python library fails on the empty entry \
             between them",
        ),
        (
            STANDARD_SIGNATURE.replace(',', ", "),
            "a space after a comma: ",
        ),
    ] {
        standard(&value, STANDARD_SECRET, 1_614_265_330)
            .code(1)
            .stdout(contains(format!(
                "FAIL (standard): header malformed: webhook-signature: {reason}"
            )));
    }

    // Cativa keeps its recorded leniency: hex compared case-insensitively.
    verify_flags(
        &[&format!(
            "X-Cativa-Signature: t=1700000000,v1={}",
            CATIVA_OPENSSL_V1.to_uppercase()
        )],
        br#"{"a":1}"#,
        &["--secret", SECRET, "--now", NOW],
    )
    .success();
}

#[test]
fn each_failure_reason_is_reported_precisely() {
    let body = br#"{"a":1}"#;
    let cases: [(&[&str], &str); 7] = [
        (
            &["Content-Type: application/json"],
            "FAIL (cativa): header missing: X-Cativa-Signature",
        ),
        (
            &["X-Cativa-Signature: t=soon,v1=00"],
            "header malformed: X-Cativa-Signature: its timestamp `soon` is not a whole number of seconds",
        ),
        (
            &["X-Cativa-Signature: t=1700000000,v0=00"],
            "no v1 signature",
        ),
        (
            &["X-Cativa-Signature: t=1700000000,v1=abc"],
            "header malformed: X-Cativa-Signature: its v1 signature is not a 32-byte signature",
        ),
        (
            &[
                "X-Cativa-Signature: t=1699999000,v1=0000000000000000000000000000000000000000000000000000000000000000",
            ],
            "timestamp too old: 1000 s old, tolerance 300 s",
        ),
        (
            &[
                "X-Cativa-Signature: t=1700001000,v1=0000000000000000000000000000000000000000000000000000000000000000",
            ],
            "timestamp too far in the future: 1000 s ahead, tolerance 300 s",
        ),
        (
            &[
                "X-Cativa-Signature: t=1700000000,v1=0000000000000000000000000000000000000000000000000000000000000000",
            ],
            "FAIL (cativa): signature mismatch\n",
        ),
    ];
    for (headers, reason) in cases {
        verify_flags(
            headers,
            body,
            &["--scheme", "cativa", "--secret", SECRET, "--now", NOW],
        )
        .code(1)
        .stdout(contains(reason));
    }
    verify_flags(&["X-Other: 1"], body, &["--secret", SECRET])
        .code(1)
        .stdout(contains(
            "no known signature header (name it with --scheme)",
        ));
}

#[test]
fn tolerance_zero_disables_the_time_check() {
    let request = generate("user_created", "http", &["--secret", SECRET]);
    verify(
        request.clone(),
        &["--secret", SECRET, "--now", "1800000000"],
    )
    .code(1);
    verify(
        request.clone(),
        &[
            "--secret",
            SECRET,
            "--now",
            "1800000000",
            "--tolerance",
            "0",
        ],
    )
    .success();
    verify(
        request,
        &[
            "--secret",
            SECRET,
            "--now",
            "1700000090",
            "--tolerance",
            "1m",
        ],
    )
    .code(1)
    .stdout(contains("timestamp too old: 90 s old, tolerance 60 s"));
}

fn reformatted(json: &[u8], reformat: impl Fn(&serde_json::Value) -> String) -> Vec<u8> {
    let mut document: serde_json::Value = serde_json::from_slice(json).unwrap();
    let body: serde_json::Value = serde_json::from_str(document["body"].as_str().unwrap()).unwrap();
    document["body"] = serde_json::Value::String(reformat(&body));
    serde_json::to_vec(&document).unwrap()
}

#[test]
fn a_body_pretty_printed_after_signing_is_reported_as_reserialized() {
    let json = generate("user_received_badge", "json", &["--secret", SECRET]);
    let pretty = reformatted(&json, |body| serde_json::to_string_pretty(body).unwrap());
    verify(pretty, &["--secret", SECRET, "--now", NOW])
        .code(1)
        .stdout(contains(
            "signature mismatch, but it matches this body minified: the body was re-serialized",
        ));
    let with_newline = reformatted(&json, |body| format!("{body}\n"));
    verify(with_newline, &["--secret", SECRET, "--now", NOW, "--json"])
        .code(1)
        .stdout(contains(r#""reason": "body_reserialized""#))
        .stdout(contains(r#""signed_form": "trailing_newline_removed""#));
}

#[test]
fn explain_shows_the_signed_message_and_expected_signature() {
    let header = format!("X-Cativa-Signature: t=1700000000,v1={}", "ab".repeat(32));
    let header = header.as_str();
    verify_flags(
        &[header],
        br#"{"a":1}"#,
        &["--secret", SECRET, "--now", NOW, "--explain"],
    )
    .code(1)
    .stdout(contains(
        "  signed message: 18 bytes: \"1700000000.{\\\"a\\\":1}\"\n",
    ))
    .stdout(contains(format!(
        "  expected with secret 1: v1={CATIVA_OPENSSL_V1}"
    )));
    verify_flags(
        &[header],
        br#"{"a":1}"#,
        &["--secret", SECRET, "--now", NOW, "--explain", "--json"],
    )
    .code(1)
    .stdout(contains(r#""signed_length": 18"#))
    .stdout(contains(CATIVA_OPENSSL_V1));
}

#[test]
fn secrets_are_never_printed() {
    let request = generate("user_created", "http", &["--secret", SECRET]);
    verify(
        request,
        &["--secret", SECRET, "--now", "1", "--json", "--explain"],
    )
    .code(1)
    .stdout(contains(SECRET).not())
    .stderr(contains(SECRET).not());
}

fn capture_line(headers: serde_json::Value, body: &str) -> String {
    serde_json::json!({
        "seq": 1, "received_at": "2023-11-14T22:13:20Z", "method": "POST", "path": "/",
        "headers": headers, "body": body, "status": 200, "verified": null, "duplicate": false,
    })
    .to_string()
}

#[test]
fn json_lines_captures_report_every_line_by_number() {
    let good = cativa_header_for(br#"{"a":1}"#);
    let capture = [
        capture_line(
            serde_json::json!({"x-cativa-signature": good}),
            r#"{"a":1}"#,
        ),
        String::new(),
        capture_line(
            serde_json::json!({"x-cativa-signature": good}),
            r#"{"a":2}"#,
        ),
    ]
    .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capture.jsonl");
    std::fs::write(&path, capture).unwrap();
    hooktool()
        .args(["verify", "--secret", SECRET, "--now", NOW])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(contains("capture.jsonl:1: ok (cativa)"))
        .stdout(contains(
            "capture.jsonl:3: FAIL (cativa): signature mismatch",
        ))
        .stderr(contains("2 requests: 1 ok, 1 failed"));
}

fn cativa_header_for(body: &[u8]) -> String {
    hooktool::domain::signature::cativa::signature_header(SECRET, NOW.parse().unwrap(), body)
}

#[test]
fn chunked_http_bodies_are_decoded_before_verifying() {
    let body = br#"{"a":1}"#;
    let request = format!(
        "POST /hooks HTTP/1.1\nX-Cativa-Signature: {}\nTransfer-Encoding: chunked\n\n3\n{{\"a\n4\n\":1}}\n0\n\n",
        cativa_header_for(body)
    );
    verify(request, &["--secret", SECRET, "--now", NOW])
        .success()
        .stdout(contains("ok (cativa)"));
}

#[test]
fn concatenated_http_requests_are_reported_in_input_order() {
    let mut input = String::new();
    let mut expected = String::new();
    for index in 0..300 {
        let body = format!(r#"{{"n":{index}}}"#);
        let header = if index % 3 == 0 {
            cativa_header_for(b"signed for another body")
        } else {
            cativa_header_for(body.as_bytes())
        };
        let line = 1 + input.matches('\n').count();
        input.push_str(&format!(
            "POST / HTTP/1.1\r\nX-Cativa-Signature: {header}\r\nContent-Length: {}\r\n\r\n{body}\r\n",
            body.len()
        ));
        expected.push_str(&if index % 3 == 0 {
            format!("stdin:{line}: FAIL (cativa): signature mismatch\n")
        } else {
            format!("stdin:{line}: ok (cativa)\n")
        });
    }
    verify(
        input,
        &["--secret", SECRET, "--now", NOW, "--color", "never"],
    )
    .code(1)
    .stdout(expected)
    .stderr(contains("300 requests: 200 ok, 100 failed"));
}

#[test]
fn wix_bodies_fail_with_another_public_key() {
    let request = generate("badge_deleted", "http", &[]);
    verify(
        request,
        &[
            "--now",
            NOW,
            "--public-key",
            "fixtures/keys/other-public.pem",
        ],
    )
    .code(1)
    .stdout(contains("FAIL (wix): JWT invalid"));
    verify(Vec::new(), &["--public-key", "Cargo.toml"])
        .code(2)
        .stderr(contains("--public-key"));
}

#[test]
fn malformed_inputs_exit_2_with_one_clear_line() {
    let huge = format!(
        "POST / HTTP/1.1\r\nX-Cativa-Signature: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    let cases: [(Vec<u8>, &str); 8] = [
        (vec![0x00, 0xff, 0x13, 0x37, 0x00], "not an HTTP request"),
        (
            b"POST / HTTP/1.1\r\nContent-Type: application/json\r\n".to_vec(),
            "truncated: its headers do not end with a blank line",
        ),
        (huge.into_bytes(), "headers exceed 64 KiB"),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 20\r\n\r\n".to_vec(),
            "Content-Length is 20 but 0 body bytes follow",
        ),
        (
            b"POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n".to_vec(),
            "invalid Content-Length `ten`",
        ),
        (b"{\"headers\": {}}\n".to_vec(), "line 1: no `body`"),
        (
            b"{\n  \"headers\": \n".to_vec(),
            "not a JSON request document",
        ),
        (Vec::new(), "the input is empty"),
    ];
    for (input, message) in cases {
        let assert = verify(input, &["--secret", SECRET]).code(2).stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.starts_with("hooktool: error: "), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.trim_end().ends_with(", stdin"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn bad_flags_exit_2() {
    verify(Vec::new(), &["--tolerance", "soon"])
        .code(2)
        .stderr(contains(
            "`soon` is not a duration such as 30s, 5m, 2h or 1250ms, --tolerance",
        ));
    verify(
        Vec::new(),
        &["--header", "no colon", "--body", "Cargo.toml"],
    )
    .code(2)
    .stderr(contains("`no colon` is not a header"));
    hooktool()
        .args(["verify", "missing.http", "--secret", SECRET])
        .assert()
        .code(2)
        .stderr(contains("cannot read missing.http"));
}

/// What `verify` prints for people and for scripts, on one fixed request checked with the right
/// secret and with a wrong one.
#[test]
fn verify_reports_are_as_accepted() {
    let request = [
        "generate",
        "user_created",
        "--seed",
        "7",
        "--now",
        NOW,
        "--secret",
        SECRET,
        "--format",
        "http",
    ];
    for (secret, name, code) in [(SECRET, "right", 0), ("whsec_wrong", "wrong", 1)] {
        for (flags, output) in [
            (&[][..], "text"),
            (&["--json"][..], "json"),
            (&["--explain"][..], "explain"),
            (&["--json", "--explain"][..], "json_explain"),
        ] {
            let args = [
                &["verify", "--secret", secret, "--now", NOW][..],
                flags,
                &["--color", "never"],
            ]
            .concat();
            assert_transcript!(
                format!("verify_{name}_secret_{output}"),
                transcript(code, &args, Some(&request))
            );
        }
    }
}

/// Property tests of the parsers that read untrusted input: they must never panic. `cargo test`
/// runs proptest's default 256 cases each; `benches/fuzz.sh` runs them with `PROPTEST_CASES`
/// raised to reach a million cases in all.
mod fuzz {
    use hooktool::domain::inputs::{self, Input};
    use hooktool::domain::secret::Secret;
    use hooktool::domain::signature::{cativa, github, standard, stripe};
    use hooktool::domain::verification::{self, Keys};
    use proptest::prelude::*;

    /// Bytes that look like the start of each input form, so the cases reach past the first byte.
    fn input_like() -> impl Strategy<Value = Vec<u8>> {
        let tail = proptest::collection::vec(any::<u8>(), 0..512);
        let prefix = prop_oneof![
            Just(&b""[..]),
            Just(&b"POST / HTTP/1.1\r\n"[..]),
            Just(&b"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n"[..]),
            Just(&b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"[..]),
            Just(&b"{\"headers\":{\"a\":\"b\"},\"body"[..]),
            Just(&b"{\n"[..]),
        ];
        (prefix, tail).prop_map(|(prefix, tail)| [prefix, tail.as_slice()].concat())
    }

    /// Header-value text built from the pieces signature headers are made of.
    fn header_like() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "((t|v1|v0|sha256)=[0-9a-fA-Fz-]{0,70}|v1,[A-Za-z0-9+/=]{0,50}|[ ,=;]){0,8}",
        ]
    }

    fn keys() -> Keys {
        Keys {
            secrets: vec![Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")],
            ..Keys::default()
        }
    }

    proptest! {
        #[test]
        fn fuzz_input_recognition_never_panics(bytes in input_like()) {
            match inputs::recognise(&bytes) {
                Ok(Input::Requests(requests)) => {
                    for request in requests {
                        prop_assert!(request.body.len() <= bytes.len());
                    }
                }
                Ok(Input::HttpRequests(requests)) => {
                    for request in requests {
                        prop_assert!(request.to_received().body.len() <= bytes.len());
                    }
                }
                Ok(Input::JsonLines(lines)) => {
                    for (line, text) in lines {
                        let _ = inputs::parse_json_line(line, text);
                    }
                }
                Err(error) => prop_assert!(!error.to_string().contains('\n')),
            }
        }

        #[test]
        fn fuzz_signature_headers_never_panic(value in header_like(), body in any::<Vec<u8>>()) {
            let _ = cativa::parse_header(&value);
            let _ = stripe::parse_header(&value);
            let _ = github::parse_header(&value);
            let _ = standard::parse_signatures(&value);
            let _ = standard::decode_secret(&value);
            let _ = inputs::parse_header_flag(&value);
            for name in ["X-Cativa-Signature", "Stripe-Signature", "webhook-signature", "X-Hub-Signature-256"] {
                let headers = vec![
                    (name.to_string(), value.clone()),
                    ("webhook-id".to_string(), "msg".to_string()),
                    ("webhook-timestamp".to_string(), value.clone()),
                ];
                let verdict = verification::verify(&headers, &body, None, &keys(), 0);
                prop_assert!(!verdict.is_ok());
                let _ = verification::explain(&headers, &body, None, &keys());
            }
        }

        #[test]
        fn fuzz_raw_http_round_trips_headers_and_body(
            headers in proptest::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,20}", "[!-~]([ -~]{0,40}[!-~])?"), 0..8),
            body in any::<Vec<u8>>(),
        ) {
            let request = hooktool::domain::request::WebhookRequest {
                method: "POST".to_string(),
                headers: headers
                    .into_iter()
                    .filter(|(name, _)| !["content-length", "transfer-encoding", "host"].contains(&name.to_ascii_lowercase().as_str()))
                    .collect(),
                body,
            };
            let target = hooktool::domain::target::Target::parse("localhost:3000").unwrap();
            let raw = request.to_http(&target);
            let Input::HttpRequests(found) = inputs::recognise(&raw).unwrap() else {
                panic!("raw HTTP expected");
            };
            let read: Vec<_> = found.iter().map(|request| request.to_received()).collect();
            prop_assert_eq!(read.len(), 1);
            prop_assert_eq!(&read[0].body, &request.body);
            prop_assert_eq!(&read[0].headers[1..read[0].headers.len() - 1], request.headers.as_slice());
        }

        #[test]
        fn fuzz_cativa_signatures_round_trip(t in any::<i64>(), body in any::<Vec<u8>>()) {
            let value = cativa::signature_header("whsec_k", t, &body);
            let parsed = cativa::parse_header(&value).unwrap();
            prop_assert!(cativa::matches("whsec_k", &parsed, &body));
        }
    }
}

/// More than any test input needs: an input that stops early was refused at its first bytes,
/// not read to the 1 GiB default limit.
const EARLY: usize = 8 << 20;

#[test]
fn endless_binary_stdin_is_refused_at_its_first_bytes() {
    for chunk in [vec![0u8; 64 * 1024], support::noise(64 * 1024)] {
        let run = support::with_endless_stdin(&["verify", "--secret", SECRET], chunk);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(
            run.stderr.starts_with(
                "hooktool: error: not an HTTP request, a JSON request or a JSON Lines capture ("
            ),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("), stdin"), "{}", run.stderr);
        assert!(run.written < EARLY, "{} bytes written", run.written);
    }
}

#[test]
fn endless_text_stdin_stops_at_the_input_limit() {
    // `yes '{'`: JSON-like text that never ends, refused once past the limit.
    let run = support::with_endless_stdin(
        &["verify", "--secret", SECRET, "--max-input", "64KiB"],
        b"{\n".repeat(4096),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hooktool: error: stdin is larger than the 64 KiB input limit, INPUT"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--max-input"), "{}", run.stderr);
    assert!(run.written < EARLY, "{} bytes written", run.written);
}

/// A capture read from stdin is refused as too large, whatever else is wrong with it, and a
/// capture within the limit for what is wrong with it, though the bad line comes blocks early.
#[test]
fn a_stream_past_max_input_is_refused_as_too_large_before_its_bad_lines() {
    let mut capture = b"{\"headers\": 1}\n".to_vec();
    let line = format!("{{\"headers\":{{}},\"body\":\"{}\"}}\n", "x".repeat(1000));
    while capture.len() < 4 << 20 {
        capture.extend_from_slice(line.as_bytes());
    }
    hooktool()
        .args(["verify", "--secret", SECRET, "--max-input", "4MiB"])
        .write_stdin(capture.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "hooktool: error: stdin is larger than the 4 MiB input limit, INPUT",
        ));
    hooktool()
        .args(["verify", "--secret", SECRET, "--max-input", "8MiB"])
        .write_stdin(capture)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("hooktool: error: line 1: "))
        .stderr(contains(", stdin"));
}

#[test]
fn inputs_and_bodies_past_max_input_are_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let request = support::signed_request_file(dir.path());
    let large = dir.path().join("large.http");
    let mut bytes = std::fs::read(&request).unwrap();
    bytes.resize(2048, b' ');
    std::fs::write(&large, &bytes).unwrap();
    hooktool()
        .args([
            "verify",
            "--secret",
            SECRET,
            "--now",
            NOW,
            "--max-input",
            "1KiB",
        ])
        .arg(&large)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "large.http is larger than the 1 KiB input limit, INPUT argument",
        ))
        .stderr(contains("hint: raise the limit with --max-input"));
    hooktool()
        .args([
            "verify",
            "--secret",
            SECRET,
            "--now",
            NOW,
            "--max-input",
            "2KiB",
        ])
        .arg(&large)
        .assert()
        .code(0);
    verify_flags(
        &["X-Any: 1"],
        &[b'x'; 2048],
        &["--secret", SECRET, "--max-input", "1KiB"],
    )
    .code(2)
    .stderr(contains("is larger than the 1 KiB input limit, --body"));
}

/// listen keeps no body past --max-body (answered 413), marks a body cut short as incomplete
/// and records requests refused before they were read: verify says there was nothing to verify,
/// not that a signature does not match.
#[test]
fn a_capture_without_its_body_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.jsonl");
    let signed = r#"{"x-cativa-signature":"t=1700000000,v1=00"}"#;
    std::fs::write(
        &capture,
        format!(
            "{{\"seq\":1,\"received_at\":\"2023-11-14T22:13:20.000Z\",\"method\":\"POST\",\"path\":\"/\",\"headers\":{signed},\"body\":\"\",\"status\":413,\"verified\":false,\"duplicate\":false}}\n\
             {{\"seq\":2,\"received_at\":\"2023-11-14T22:13:20.000Z\",\"method\":\"POST\",\"path\":\"/\",\"headers\":{signed},\"body\":\"{{\\\"a\\\"\",\"status\":400,\"verified\":false,\"duplicate\":false,\"complete\":false,\"problem\":\"the client closed the connection\"}}\n\
             {{\"seq\":3,\"received_at\":\"2023-11-14T22:13:20.000Z\",\"headers\":{{}},\"body\":\"\",\"status\":431,\"verified\":false,\"duplicate\":false,\"complete\":false,\"problem\":\"message head is too large\",\"refused\":\"headers too large\"}}\n"
        ),
    )
    .unwrap();
    let output = hooktool()
        .args([
            "verify",
            capture.to_str().unwrap(),
            "--secret",
            SECRET,
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reasons: Vec<&str> = report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|request| request["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "body_not_captured",
            "body_not_captured",
            "body_not_captured"
        ]
    );
    let messages = report["requests"].to_string();
    assert!(
        messages.contains(
            "listen refused the request before reading it (headers too large: message head is too large)"
        ),
        "{messages}"
    );
    assert!(
        messages.contains("larger than listen's --max-body"),
        "{messages}"
    );
    assert!(
        messages.contains("did not arrive whole (the client closed the connection)"),
        "{messages}"
    );
}

/// A Wix token issued in the future but not yet expired: Wix's SDK accepts it, and Wix documents
/// only `exp` and `nbf` as limits, so refusing it rests on an assumption: a warning, a failure
/// under --strict.
#[test]
fn a_wix_token_issued_in_the_future_is_an_assumed_warning() {
    let request = generate("badge_created", "http", &[]);
    let earlier = "1699999600"; // 400 s before the token's iat, within its exp.
    verify(request.clone(), &["--now", earlier])
        .code(0)
        .stdout(contains(
            "stdin: ok (wix)\n  warning: JWT issued 400 s in the future",
        ))
        .stdout(contains("(assumed: Wix never issues a token in the future"))
        .stderr(contains("1 request: 1 ok, 0 failed, 1 warning (assumed)"));
    verify(request.clone(), &["--now", earlier, "--strict"])
        .code(1)
        .stdout(contains(
            "stdin: FAIL (wix): JWT issued 400 s in the future (iat 1700000000, leeway 300 s) (assumed: ",
        ))
        .stdout(contains("warning").not());
    let json = |strict: &[&str]| -> serde_json::Value {
        let output = hooktool()
            .args(["verify", "--now", earlier, "--json"])
            .args(strict)
            .write_stdin(request.clone())
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let lenient = json(&[]);
    assert_eq!(lenient["ok"], 1);
    assert_eq!(lenient["warnings"], 1);
    assert_eq!(
        lenient["requests"][0]["warnings"][0]["reason"],
        "assumption_broken"
    );
    let strict = json(&["--strict"]);
    assert_eq!(
        (&strict["failed"], &strict["warnings"]),
        (&1.into(), &0.into())
    );
    assert_eq!(strict["requests"][0]["reason"], "assumption_broken");
    // Past its exp, the token fails on a documented limit, with or without --strict.
    verify(request, &["--now", "1700000700"])
        .code(1)
        .stdout(contains("FAIL (wix): JWT invalid: expired"));
}

/// --strict changes nothing where every check rests on what the provider documents.
#[test]
fn strict_leaves_documented_verdicts_alone() {
    let good = generate("user_created", "http", &["--secret", SECRET]);
    let wix = generate("badge_updated", "http", &[]);
    for request in [good.clone(), wix] {
        let lenient = verify(request.clone(), &["--secret", SECRET, "--now", NOW]).code(0);
        let strict = verify(request, &["--secret", SECRET, "--now", NOW, "--strict"]).code(0);
        assert_eq!(lenient.get_output().stdout, strict.get_output().stdout);
    }
    for flags in [&[][..], &["--strict"][..]] {
        verify(
            good.clone(),
            &[&["--secret", "whsec_other", "--now", NOW][..], flags].concat(),
        )
        .code(1)
        .stdout(contains("FAIL (cativa): signature mismatch"));
    }
}
