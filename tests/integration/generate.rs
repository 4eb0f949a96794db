//! `hooktool generate`, `events`, `schema` and `completions` as a user runs them.

use std::path::Path;

use hooktool::domain::signature::{cativa, wix};
use serde_json::Value;

use super::support::{SECRET, assert_transcript, event_names, fixture, hooktool, transcript};

fn generate(args: &[&str]) -> Vec<u8> {
    let output = hooktool().arg("generate").args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn generate_json(args: &[&str]) -> Value {
    serde_json::from_slice(&generate(args)).unwrap()
}

/// Runs `hooktool ARGS`, expecting exit 2 with one `hooktool: error:` line naming `names`.
fn assert_usage_error(args: &[&str], names: &str) {
    let output = hooktool().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("hooktool: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{args:?}: {stderr}");
    assert!(errors[0].contains(names), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn the_same_seed_now_and_secret_give_identical_bytes_for_every_event() {
    for event in event_names() {
        for format in ["json", "http", "curl", "payload"] {
            let args = [
                "--seed",
                "1",
                "--now",
                "1700000000",
                "--secret",
                SECRET,
                "--format",
                format,
            ];
            let first = generate(&[&[event][..], &args].concat());
            let second = generate(&[&[event][..], &args].concat());
            assert_eq!(first, second, "{event} {format}");
        }
    }
}

#[test]
fn different_seeds_give_different_events() {
    let a = generate(&[
        "post_created",
        "--seed",
        "1",
        "--now",
        "1700000000",
        "--format",
        "payload",
    ]);
    let b = generate(&[
        "post_created",
        "--seed",
        "2",
        "--now",
        "1700000000",
        "--format",
        "payload",
    ]);
    assert_ne!(a, b);
}

/// Computed independently:
/// `(printf '1700000000.'; cat fixtures/valid/cativa/post_created/documented.json) | openssl dgst -sha256 -hmac "$SECRET"`
#[test]
fn cativa_signature_matches_openssl_over_the_exact_body() {
    let body_file = fixture("valid/cativa/post_created/documented.json");
    let out = generate_json(&[
        "post_created",
        "--body",
        &body_file,
        "--now",
        "1700000000",
        "--secret",
        SECRET,
    ]);
    assert_eq!(
        out["headers"]["X-Cativa-Signature"],
        "t=1700000000,v1=304db00eb63f54111d21fdfdd1201e8b8364465db8dd606f763e8453ca937d96"
    );
    assert_eq!(
        out["body"].as_str().unwrap().as_bytes(),
        std::fs::read(&body_file).unwrap()
    );
}

#[test]
fn cativa_requests_carry_the_documented_headers() {
    let out = generate_json(&[
        "user_received_badge",
        "--seed",
        "4",
        "--now",
        "1700000000",
        "--secret",
        SECRET,
    ]);
    assert_eq!(out["event"], "user_received_badge");
    assert_eq!(out["provider"], "cativa");
    assert_eq!(out["method"], "POST");
    let headers = out["headers"].as_object().unwrap();
    let names: Vec<&str> = headers.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Content-Type",
            "X-Cativa-Signature",
            "X-Cativa-Execution-Id",
            "X-Cativa-Automation-Id"
        ]
    );
    let header = cativa::parse_header(headers["X-Cativa-Signature"].as_str().unwrap()).unwrap();
    assert_eq!(header.timestamp, 1_700_000_000);
    assert!(cativa::matches(
        SECRET,
        &header,
        out["body"].as_str().unwrap().as_bytes()
    ));
    assert!(!cativa::matches(
        "whsec_other",
        &header,
        out["body"].as_str().unwrap().as_bytes()
    ));
}

#[test]
fn secrets_come_from_the_environment_or_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    std::fs::write(&file, format!("{SECRET}\n")).unwrap();
    let base = ["user_created", "--seed", "1", "--now", "1700000000"];
    let from_flag = generate(&[&base[..], &["--secret", SECRET]].concat());
    let from_file = generate(&[&base[..], &["--secret-file", file.to_str().unwrap()]].concat());
    let from_env = hooktool()
        .arg("generate")
        .args(base)
        .env("HOOKTOOL_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(from_flag, from_file);
    assert_eq!(from_flag, from_env.stdout);
    assert!(from_env.stderr.is_empty(), "a given secret is not echoed");
}

#[test]
fn a_missing_secret_is_made_and_announced_on_stderr_only() {
    let output = hooktool()
        .args(["generate", "user_created", "--format", "body"])
        .env_remove("HOOKTOOL_SECRET")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let secret = stderr.split_whitespace().last().unwrap();
    assert!(cativa::is_well_formed_secret(secret), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(secret));
}

#[test]
fn wix_bodies_carry_account_info_and_verify_with_the_matching_public_key_only() {
    let dev = generate(&[
        "badge_created",
        "--seed",
        "1",
        "--now",
        "1700000000",
        "--format",
        "body",
    ]);
    let dev = String::from_utf8(dev).unwrap();
    let dev_public = wix::VerifyingKey::development();
    let other_public =
        wix::VerifyingKey::from_pem(&std::fs::read(fixture("keys/other-public.pem")).unwrap())
            .unwrap();
    let token = wix::verify(&dev_public, &dev).unwrap();
    assert!(wix::verify(&other_public, &dev).is_err());

    let payload: Value = serde_json::from_str(&token.envelope.data).unwrap();
    assert_eq!(payload["entityFqdn"], "wix.badges.v4.badge");
    assert_eq!(token.envelope.event_type, "wix.badges.v4.badge_created");
    let identity: Value = serde_json::from_str(&token.envelope.identity).unwrap();
    assert!(identity["identityType"].is_string());
    let account = token.envelope.account_info.as_ref().unwrap();
    for id in ["accountId", "siteId"] {
        assert_eq!(account[id].as_str().unwrap().len(), 36, "{id}: a GUID");
    }

    let key = fixture("keys/other-private.pem");
    let user = generate(&[
        "badge_created",
        "--seed",
        "1",
        "--now",
        "1700000000",
        "--format",
        "body",
        "--private-key",
        &key,
    ]);
    let user = String::from_utf8(user).unwrap();
    assert!(wix::verify(&other_public, &user).is_ok());
    assert!(wix::verify(&dev_public, &user).is_err());
}

#[test]
fn wix_payload_format_is_the_innermost_document() {
    let json = generate_json(&["badge_deleted", "--seed", "5", "--now", "1700000000"]);
    assert_eq!(json["headers"]["Content-Type"], "text/plain");
    let token = wix::verify(
        &wix::VerifyingKey::development(),
        json["body"].as_str().unwrap(),
    )
    .unwrap();
    let payload = generate(&[
        "badge_deleted",
        "--seed",
        "5",
        "--now",
        "1700000000",
        "--format",
        "payload",
    ]);
    assert_eq!(
        format!("{}\n", token.envelope.data).as_bytes(),
        payload.as_slice()
    );
}

#[test]
fn beedeez_requests_carry_source_and_credential() {
    let cases = [
        (
            vec!["--auth", "bearer", "--secret", "tok"],
            "Authorization",
            "Bearer tok",
        ),
        (
            vec!["--auth", "basic", "--secret", "user:pass"],
            "Authorization",
            "Basic dXNlcjpwYXNz",
        ),
        (
            vec![
                "--auth",
                "api-key",
                "--secret",
                "k1",
                "--api-key-header",
                "X-Key",
            ],
            "X-Key",
            "k1",
        ),
    ];
    for (flags, header, value) in cases {
        let out = generate_json(&[&["certificate_completed", "--seed", "1"][..], &flags].concat());
        assert_eq!(out["headers"]["X-Webhook-Source"], "beedeez");
        assert_eq!(out["headers"][header], value, "{flags:?}");
    }
    let none = generate_json(&["certificate_expired", "--seed", "1"]);
    assert!(none["headers"].get("Authorization").is_none());
}

#[test]
fn set_and_unset_make_deliberately_invalid_payloads_with_a_warning() {
    let output = hooktool()
        .args([
            "generate",
            "user_created",
            "--seed",
            "2",
            "--secret",
            SECRET,
            "--format",
            "payload",
        ])
        .args([
            "--set",
            "User.Email=null",
            "--unset",
            "PhoneNumber",
            "--set",
            "User.Badges.0=\"01HQ4ABCDEF1234567890XYZ\"",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(doc["User"]["Email"].is_null());
    assert!(doc.get("PhoneNumber").is_none());
    assert_eq!(doc["User"]["Badges"][0], "01HQ4ABCDEF1234567890XYZ");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr
            .contains("warning: the document does not match the user_created schema: /User/Email"),
        "{stderr}"
    );
}

#[test]
fn http_format_is_a_raw_request_with_the_exact_body() {
    let http = generate(&[
        "post_created",
        "--seed",
        "1",
        "--now",
        "1700000000",
        "--secret",
        SECRET,
        "--format",
        "http",
        "--to",
        ":3000/hooks",
    ]);
    let json = generate_json(&[
        "post_created",
        "--seed",
        "1",
        "--now",
        "1700000000",
        "--secret",
        SECRET,
    ]);
    let text = String::from_utf8(http).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("POST /hooks HTTP/1.1\r\nHost: localhost:3000\r\n"));
    assert!(head.contains(&format!("Content-Length: {}", body.len())));
    assert_eq!(body, json["body"].as_str().unwrap());
}

#[test]
fn body_format_is_only_the_body_bytes() {
    let body_file = fixture("valid/cativa/post_created/documented.json");
    let body = generate(&[
        "post_created",
        "--body",
        &body_file,
        "--secret",
        SECRET,
        "--format",
        "body",
    ]);
    assert_eq!(body, std::fs::read(&body_file).unwrap());
}

#[test]
fn every_error_path_is_one_line_and_exit_2() {
    assert_usage_error(&["generate", "user_creatd"], "unknown event `user_creatd`");
    assert_usage_error(&["schema", "nope"], "unknown event `nope`");
    assert_usage_error(
        &["generate", "user_created", "--set", "User.Nope.X=1"],
        "--set User.Nope.X",
    );
    assert_usage_error(
        &["generate", "user_created", "--set", "User.Email.X=1"],
        "`User.Email` is a string",
    );
    assert_usage_error(&["generate", "user_created", "--set", "novalue"], "--set");
    assert_usage_error(
        &["generate", "user_created", "--unset", "Nope"],
        "--unset Nope",
    );
    assert_usage_error(
        &["generate", "user_created", "--body", "/no/such/file.json"],
        "--body",
    );
    assert_usage_error(
        &[
            "generate",
            "badge_created",
            "--private-key",
            "/no/such/key.pem",
        ],
        "--private-key",
    );
    let not_a_key = fixture("valid/cativa/post_created/documented.json");
    assert_usage_error(
        &["generate", "badge_created", "--private-key", &not_a_key],
        "not an RSA key",
    );
    assert_usage_error(
        &[
            "generate",
            "user_created",
            "--secret-file",
            "/no/such/secret",
        ],
        "--secret-file",
    );
    assert_usage_error(
        &["generate", "user_created", "--now", "99999999999999"],
        "--now",
    );
    assert_usage_error(&["generate", "user_created", "--to", "ftp://x/"], "--to");
    assert_usage_error(
        &[
            "generate",
            "certificate_completed",
            "--auth",
            "basic",
            "--secret",
            "x",
        ],
        "user:pass",
    );
    assert_usage_error(&["generate", "user_created", "--format", "xml"], "--format");
    assert_usage_error(&["frobnicate"], "frobnicate");
}

#[test]
fn unknown_events_get_the_closest_name_as_a_hint() {
    let output = hooktool()
        .args(["generate", "badge_craeted"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("hint: did you mean `badge_created`?"),
        "{stderr}"
    );
}

#[test]
fn events_lists_all_eleven_with_provider_scheme_and_curve() {
    let output = hooktool().args(["events", "--json"]).output().unwrap();
    let events: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = events.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, event_names());
    for event in &events {
        assert!(event["provider"].is_string());
        assert!(event["delivery"]["signing"]["scheme"].is_string());
        assert!(event["delivery"]["retry"]["curve"].is_string());
    }
    let text = hooktool()
        .args(["events", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for name in event_names() {
        assert!(text.contains(name), "{name}");
    }
    assert!(text.contains("30s → 5m → 30m → 2h → 6h → 24h"));
    assert!(text.contains("(assumed)"));
}

#[test]
fn schema_prints_the_pack_file() {
    for event in event_names() {
        let output = hooktool().args(["schema", event]).output().unwrap();
        let provider = hooktool::domain::catalogue::find(event)
            .unwrap()
            .provider
            .id;
        let on_disk = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("providers")
                .join(provider)
                .join(format!("events/{event}.schema.json")),
        )
        .unwrap();
        assert_eq!(output.stdout, on_disk, "{event}");
    }
    let short = hooktool()
        .args(["schema", "badge_created"])
        .output()
        .unwrap();
    assert_eq!(
        short.stdout,
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("providers/wix/events/wix.badges.v4.badge_created.schema.json")
        )
        .unwrap()
    );
}

#[test]
fn completion_scripts_in_the_repository_are_current() {
    for (shell, file) in [
        ("bash", "hooktool.bash"),
        ("zsh", "_hooktool"),
        ("fish", "hooktool.fish"),
        ("powershell", "_hooktool.ps1"),
        ("elvish", "hooktool.elv"),
    ] {
        let output = hooktool().args(["completions", shell]).output().unwrap();
        assert!(output.status.success());
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("completions")
            .join(file);
        let kept = std::fs::read(&path).unwrap_or_default();
        assert!(
            kept == output.stdout,
            "completions/{file} is stale: run `hooktool completions {shell} > completions/{file}`"
        );
        // clap_complete's PowerShell and Elvish scripts complete flags and subcommands only.
        if matches!(shell, "bash" | "zsh" | "fish") {
            let script = String::from_utf8(output.stdout).unwrap();
            assert!(
                script.contains("user_received_badge"),
                "{shell} completes event names"
            );
        }
    }
}

/// What `events` prints for people and for scripts.
#[test]
fn events_listings_are_as_accepted() {
    assert_transcript!(
        "events_text",
        transcript(0, &["events", "--color", "never"], None)
    );
    assert_transcript!(
        "events_json",
        transcript(0, &["events", "--json", "--color", "never"], None)
    );
}

/// Every output format of one event of each provider, from fixed inputs.
#[test]
fn generated_requests_are_as_accepted() {
    let events: [(&str, &str, &[&str]); 3] = [
        ("cativa", "user_created", &[]),
        ("wix", "badge_created", &[]),
        ("beedeez", "certificate_completed", &["--auth", "bearer"]),
    ];
    for (provider, event, flags) in events {
        for format in ["json", "http", "body", "curl", "payload"] {
            let args = [
                &["generate", event][..],
                flags,
                &["--seed", "7", "--now", "1700000000", "--secret", SECRET],
                &["--format", format, "--color", "never"],
            ]
            .concat();
            assert_transcript!(
                format!("generate_{provider}_{event}_{format}"),
                transcript(0, &args, None)
            );
        }
    }
}

#[test]
fn a_number_before_a_path_is_a_port_in_rendered_requests() {
    let base = ["user_created", "--secret", SECRET, "--now", "1700000000"];
    let curl = String::from_utf8(generate(
        &[&base[..], &["--format", "curl", "--to", "3000/webhooks"]].concat(),
    ))
    .unwrap();
    assert!(
        curl.starts_with("curl -sS -X POST 'http://localhost:3000/webhooks'"),
        "{curl}"
    );
    let http = String::from_utf8(generate(
        &[&base[..], &["--format", "http", "--to", ":3000/webhooks"]].concat(),
    ))
    .unwrap();
    assert!(
        http.starts_with("POST /webhooks HTTP/1.1\r\nHost: localhost:3000\r\n"),
        "{http}"
    );
    let output = hooktool()
        .arg("generate")
        .args(base)
        .args(["--format", "curl", "--to", ":0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .starts_with("hooktool: error: port 0 cannot receive requests, --to\n")
    );
}

#[test]
fn url_credentials_are_rendered_as_the_basic_auth_header_that_is_sent() {
    let base = ["user_created", "--secret", SECRET, "--now", "1700000000"];
    let to = "http://alice:pw-n0t-sh0wn@localhost:3000/hook";
    // base64("alice:pw-n0t-sh0wn")
    let header = "Authorization: Basic YWxpY2U6cHctbjB0LXNoMHdu";
    let http = String::from_utf8(generate(
        &[&base[..], &["--format", "http", "--to", to]].concat(),
    ))
    .unwrap();
    assert!(
        http.starts_with(&format!(
            "POST /hook HTTP/1.1\r\nHost: localhost:3000\r\n{header}\r\n"
        )),
        "{http}"
    );
    let curl = String::from_utf8(generate(
        &[&base[..], &["--format", "curl", "--to", to]].concat(),
    ))
    .unwrap();
    assert!(
        curl.starts_with("curl -sS -X POST 'http://localhost:3000/hook'"),
        "{curl}"
    );
    assert!(curl.contains(&format!("-H '{header}'")), "{curl}");
    for text in [&http, &curl] {
        assert!(!text.contains("pw-n0t-sh0wn"), "{text}");
    }
    // The JSON rendering has no target, so nothing of it.
    let json = generate_json(&[&base[..], &["--to", to]].concat());
    assert!(!json.to_string().contains("pw-n0t-sh0wn"));
}

/// `--format curl` sends exactly the body: one starting with `@` is not read as a file name,
/// and one holding a NUL byte survives the shell.
#[test]
fn curl_commands_send_the_body_byte_for_byte() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.jsonl");
    let (mut listener, address) = super::support::start_listener(|command| {
        command
            .args(["listen", "--port", "0", "--expect", "2", "--timeout", "60s"])
            .args(["--out", capture.to_str().unwrap()]);
    });
    let bodies: [&[u8]; 2] = [b"@/etc/hostname", b"{\"a\":\"x\0y\"}"];
    for body in bodies {
        let file = dir.path().join("body");
        std::fs::write(&file, body).unwrap();
        let generated = hooktool()
            .args([
                "generate",
                "user_created",
                "--secret",
                SECRET,
                "--format",
                "curl",
            ])
            .args(["--body", file.to_str().unwrap(), "--to", &address])
            .output()
            .unwrap();
        let command = String::from_utf8(generated.stdout).unwrap();
        let ran = Command::new("sh").args(["-c", &command]).output().unwrap();
        assert!(
            ran.status.success(),
            "{command}\n{}",
            String::from_utf8_lossy(&ran.stderr)
        );
    }
    assert!(super::support::wait_or_kill(&mut listener, "the listener").success());
    let records: Vec<hooktool::domain::capture::CaptureRecord> = std::fs::read_to_string(&capture)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let received: Vec<Vec<u8>> = records
        .iter()
        .map(|record| record.body_bytes().unwrap())
        .collect();
    assert_eq!(received, bodies.map(<[u8]>::to_vec));
}
