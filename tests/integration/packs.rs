//! End-to-end tests of provider packs. The example pack, copied out of the repository, is loaded
//! from a folder elsewhere in each of the three ways (`--providers`, `HOOKTOOL_PROVIDERS`,
//! `.hooktool/providers/`) and driven through every command; a built-in provider's rules change
//! by editing its pack and nothing else; each kind of malformed pack is refused with its file,
//! line and key; and `providers` lists what is loaded.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

use super::probe::{STANDARD_SECRET, probe_receiver};
use super::support::{self, SECRET, noise, serve_router, start_listener, wait_or_kill};

const REPOSITORY: &str = env!("CARGO_MANIFEST_DIR");
const NOW: &str = "1700000000";

/// The Standard Webhooks specification's published example, which the acme pack signs alike.
const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TIMESTAMP: &str = "1614265330";
const SPEC_BODY: &str = r#"{"test": 2432232314}"#;
const SPEC_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// ---------------------------------------------------------------------------------------------
// Folders outside the repository

/// A temporary folder holding a copy of `examples/providers` (`packs/`) and an empty working
/// folder beside it (`work/`), from which hooktool runs.
struct Outside {
    root: TempDir,
    packs: PathBuf,
    work: PathBuf,
}

impl Outside {
    fn new() -> Outside {
        let root = tempfile::tempdir().unwrap();
        let packs = root.path().join("packs");
        let work = root.path().join("work");
        copy_dir(&Path::new(REPOSITORY).join("examples/providers"), &packs);
        std::fs::create_dir(&work).unwrap();
        Outside { root, packs, work }
    }

    fn acme(&self) -> PathBuf {
        self.packs.join("acme")
    }

    /// `hooktool` in the working folder, loading only what the caller adds.
    fn bare(&self) -> assert_cmd::Command {
        in_folder(&self.work)
    }

    /// `hooktool --providers <packs>` in the working folder.
    fn hooktool(&self) -> assert_cmd::Command {
        let mut command = self.bare();
        command.arg("--providers").arg(&self.packs);
        command
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }
}

/// `hooktool` run in `folder`, with nothing from the test's environment that could load packs,
/// sign, or paint.
fn in_folder(folder: &Path) -> assert_cmd::Command {
    let mut command = support::hooktool();
    command
        .current_dir(folder)
        .env_remove("HOOKTOOL_PROVIDERS")
        .env_remove("HOOKTOOL_SECRET")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    command
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces `old` by `new` in `file`, which must hold `old`.
fn edit(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(old), "{} lacks {old:?}", file.display());
    std::fs::write(file, text.replacen(old, new, 1)).unwrap();
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Stdout of a run that must succeed.
fn succeeded(output: Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn json(output: Output) -> Value {
    let text = succeeded(output);
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

/// The names of the acme events in an `events --json` document.
fn acme_events(events: &Value) -> Vec<&str> {
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["provider"] == "acme")
        .map(|event| event["name"].as_str().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The example pack through every command

/// Where packs come from, each way a user can load them.
#[derive(Debug, Clone, Copy)]
enum Loading {
    Flag,
    Variable,
    ProjectFolder,
}

impl Loading {
    fn command(self, outside: &Outside) -> assert_cmd::Command {
        match self {
            Loading::Flag => outside.hooktool(),
            Loading::Variable => {
                let mut command = outside.bare();
                command.env("HOOKTOOL_PROVIDERS", &outside.packs);
                command
            }
            Loading::ProjectFolder => outside.bare(),
        }
    }
}

#[test]
fn each_way_of_loading_brings_the_example_pack_to_every_listing() {
    for loading in [Loading::Flag, Loading::Variable, Loading::ProjectFolder] {
        let outside = Outside::new();
        if let Loading::ProjectFolder = loading {
            copy_dir(&outside.packs, &outside.work.join(".hooktool/providers"));
        }
        let run = |args: &[&str]| loading.command(&outside).args(args).output().unwrap();

        let listed = run(&["events"]);
        assert_eq!(
            stderr(&listed),
            "",
            "{loading:?}: nothing replaced, nothing to say"
        );
        let listed = succeeded(listed);
        for expected in [
            "Acme Billing",
            "invoice.paid",
            "customer.created",
            "5s → 5m → 30m",
        ] {
            assert!(listed.contains(expected), "{loading:?}: {listed}");
        }
        let events = json(run(&["events", "--json"]));
        assert_eq!(
            acme_events(&events),
            ["invoice.paid", "customer.created"],
            "{loading:?}"
        );

        let providers = json(run(&["providers", "--json"]));
        let acme = providers
            .as_array()
            .unwrap()
            .iter()
            .find(|pack| pack["id"] == "acme")
            .unwrap_or_else(|| panic!("{loading:?}: {providers:#}"));
        assert_eq!(acme["built_in"], false);
        assert!(acme["origin"].as_str().unwrap().ends_with("acme"), "{acme}");

        let generated = json(run(&[
            "generate",
            "invoice.paid",
            "--secret",
            STANDARD_SECRET,
        ]));
        assert_eq!(generated["provider"], "acme", "{loading:?}");

        let completions = succeeded(run(&["completions", "bash"]));
        assert!(completions.contains("invoice.paid"), "{loading:?}");
        assert!(completions.contains("customer.created"), "{loading:?}");
    }
    // Without the pack, none of it exists.
    let outside = Outside::new();
    let output = outside
        .bare()
        .args(["schema", "invoice.paid"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !succeeded(
            outside
                .bare()
                .args(["completions", "bash"])
                .output()
                .unwrap()
        )
        .contains("invoice.paid")
    );
}

#[test]
fn scheme_names_a_loaded_hmac_pack_by_its_id() {
    let outside = Outside::new();
    let body = outside.path("body.json");
    std::fs::write(&body, SPEC_BODY).unwrap();
    let verify = |mut command: assert_cmd::Command| {
        command
            .arg("verify")
            .arg("--body")
            .arg(&body)
            .args(["--header", &format!("webhook-id: {SPEC_ID}")])
            .args(["--header", &format!("webhook-timestamp: {SPEC_TIMESTAMP}")])
            .args(["--header", &format!("webhook-signature: {SPEC_SIGNATURE}")])
            .args(["--secret", STANDARD_SECRET, "--now", SPEC_TIMESTAMP])
            .args(["--scheme", "acme"])
            .output()
            .unwrap()
    };
    let output = verify(outside.hooktool());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("ok (acme)"), "{}", stdout(&output));
    // Without the pack loaded, the id names nothing: a usage error listing the schemes.
    let output = verify(outside.bare());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`acme` is not a scheme (expected cativa, stripe"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_empty_project_pack_folder_is_no_error() {
    let outside = Outside::new();
    std::fs::create_dir_all(outside.work.join(".hooktool/providers")).unwrap();
    let output = outside.bare().arg("providers").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stdout(&output).contains("acme"));
    // Named on purpose, an empty folder is still an error.
    let empty = outside.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let output = outside
        .bare()
        .arg("--providers")
        .arg(&empty)
        .arg("providers")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no provider.toml here"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_pack_without_retries_says_one_delivery() {
    let outside = Outside::new();
    edit(
        &outside.acme().join("provider.toml"),
        r#"retry = ["5s", "5m", "30m", "2h", "5h", "10h", "10h"]"#,
        "retry = []",
    );
    let text = succeeded(outside.hooktool().arg("events").output().unwrap());
    assert!(
        text.contains("retry curve   no retries (1 delivery)"),
        "{text}"
    );
}

#[test]
fn schema_prints_each_pack_schema_file_exactly() {
    let outside = Outside::new();
    for event in ["invoice.paid", "customer.created"] {
        let file = outside.acme().join(format!("events/{event}.schema.json"));
        let output = outside.hooktool().args(["schema", event]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(output.stdout, std::fs::read(&file).unwrap(), "{event}");
    }
}

#[test]
fn generate_is_deterministic_and_uses_the_sample_file_as_is() {
    let outside = Outside::new();
    let generate = |args: &[&str]| {
        let fixed = ["--secret", STANDARD_SECRET, "--now", NOW];
        json(
            outside
                .hooktool()
                .arg("generate")
                .args(args)
                .args(fixed)
                .output()
                .unwrap(),
        )
    };
    for event in ["invoice.paid", "customer.created"] {
        let first = generate(&[event, "--seed", "5"]);
        assert_eq!(first, generate(&[event, "--seed", "5"]), "{event}");
        let headers = &first["headers"];
        assert_eq!(headers["webhook-timestamp"], NOW);
        assert!(headers["webhook-id"].as_str().unwrap().starts_with("msg_"));
        assert!(
            headers["webhook-signature"]
                .as_str()
                .unwrap()
                .starts_with("v1,")
        );
        assert_eq!(headers["User-Agent"], "Acme-Webhooks/1.0");
    }
    let seeded = |seed: &str| generate(&["customer.created", "--seed", seed])["body"].clone();
    assert_ne!(seeded("5"), seeded("6"), "another seed, another customer");

    let sample: Value = serde_json::from_slice(
        &std::fs::read(outside.acme().join("events/invoice.paid.json")).unwrap(),
    )
    .unwrap();
    let body = |document: &Value| -> Value {
        serde_json::from_str(document["body"].as_str().unwrap()).unwrap()
    };
    assert_eq!(body(&generate(&["invoice.paid", "--seed", "5"])), sample);
    assert_eq!(body(&generate(&["invoice.paid", "--seed", "6"])), sample);
    let edited = body(&generate(&[
        "invoice.paid",
        "--set",
        "data.amount=100",
        "--unset",
        "data.paid_at",
    ]));
    let mut expected = sample.clone();
    expected["data"]["amount"] = Value::from(100);
    expected["data"].as_object_mut().unwrap().remove("paid_at");
    assert_eq!(edited, expected);
}

#[test]
fn samples_built_from_the_schema_match_it_for_many_seeds() {
    let outside = Outside::new();
    let schema: Value = serde_json::from_slice(
        &std::fs::read(outside.acme().join("events/customer.created.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let samples = outside.path("samples");
    std::fs::create_dir(&samples).unwrap();
    let mut customers = std::collections::BTreeSet::new();
    let seeds = 40;
    for seed in 0..seeds {
        let payload = succeeded(
            outside
                .hooktool()
                .args(["generate", "customer.created", "--format", "payload"])
                .args(["--seed", &seed.to_string(), "--now", NOW])
                .args(["--secret", STANDARD_SECRET])
                .output()
                .unwrap(),
        );
        let document: Value = serde_json::from_str(&payload).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "seed {seed}: {errors:?}\n{document:#}");
        customers.insert(document["data"]["customer_id"].to_string());
        std::fs::write(samples.join(format!("seed-{seed}.json")), payload).unwrap();
    }
    assert!(customers.len() > seeds / 2, "{customers:?}");
    // hooktool agrees, telling the event from the documents' shape.
    let report = outside
        .hooktool()
        .args(["validate", "--format", "json"])
        .arg(&samples)
        .output()
        .unwrap();
    let report = json(report);
    assert_eq!(report["summary"]["passed"], seeds);
    for file in report["files"].as_array().unwrap() {
        assert_eq!(file["event"], "customer.created", "{file}");
        assert_eq!(file["event_from"], "shape", "{file}");
    }
}

#[test]
fn send_to_listen_then_verify_the_capture_as_the_pack_and_as_standard_webhooks() {
    let outside = Outside::new();
    let capture = outside.path("capture.jsonl");
    let (mut listener, address) = start_listener(|command| {
        command
            .current_dir(&outside.work)
            .env_remove("HOOKTOOL_PROVIDERS")
            .arg("--providers")
            .arg(&outside.packs)
            .args(["listen", "--port", "0", "--expect", "2", "--timeout", "60s"])
            .args(["--secret", STANDARD_SECRET])
            .arg("--out")
            .arg(&capture);
    });
    for event in ["invoice.paid", "customer.created"] {
        let sent = outside
            .hooktool()
            .args(["send", event, "--to", &address, "--secret", STANDARD_SECRET])
            .output()
            .unwrap();
        assert_eq!(sent.status.code(), Some(0), "{event}: {}", stderr(&sent));
    }
    assert!(wait_or_kill(&mut listener, "the listener").success());

    let records: Vec<Value> = std::fs::read_to_string(&capture)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records.len(), 2);
    for record in &records {
        // The pack's own User-Agent, not joined to hooktool's.
        assert_eq!(
            record["headers"]["user-agent"], "Acme-Webhooks/1.0",
            "{record}"
        );
        assert!(
            record["headers"]["webhook-id"]
                .as_str()
                .unwrap()
                .starts_with("msg_")
        );
    }

    let verified = json(
        outside
            .hooktool()
            .arg("verify")
            .arg(&capture)
            .args(["--secret", STANDARD_SECRET, "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(verified["ok"], 2, "{verified:#}");
    for request in verified["requests"].as_array().unwrap() {
        assert_eq!(request["scheme"], "acme", "{request}");
        assert_eq!(request["ok"], true, "{request}");
    }
    // The same bytes verify with the built-in Standard Webhooks scheme, no pack loaded.
    let standard = json(
        outside
            .bare()
            .arg("verify")
            .arg(&capture)
            .args([
                "--secret",
                STANDARD_SECRET,
                "--scheme",
                "standard",
                "--json",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(standard["ok"], 2, "{standard:#}");
    // Another secret fails under both.
    let other = "whsec_c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQ=";
    for mut command in [outside.hooktool(), outside.bare()] {
        let output = command
            .arg("verify")
            .arg(&capture)
            .args(["--secret", other])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    }
}

#[test]
fn a_pack_signing_as_standard_webhooks_agrees_with_the_built_in_scheme_byte_for_byte() {
    let outside = Outside::new();
    let body = outside.path("body.json");
    std::fs::write(&body, SPEC_BODY).unwrap();
    let verify = |mut command: assert_cmd::Command, signature: &str, extra: &[&str]| {
        let output = command
            .arg("verify")
            .arg("--body")
            .arg(&body)
            .args(["--header", &format!("webhook-id: {SPEC_ID}")])
            .args(["--header", &format!("webhook-timestamp: {SPEC_TIMESTAMP}")])
            .args(["--header", &format!("webhook-signature: {signature}")])
            .args(["--secret", STANDARD_SECRET, "--now", SPEC_TIMESTAMP])
            .args(extra)
            .output()
            .unwrap();
        (output.status.code(), stdout(&output))
    };
    // The specification's own example: the pack reads it, and so does the built-in scheme.
    let (code, text) = verify(outside.hooktool(), SPEC_SIGNATURE, &[]);
    assert_eq!(
        (code, text.contains("ok (acme)")),
        (Some(0), true),
        "{text}"
    );
    let (code, text) = verify(outside.bare(), SPEC_SIGNATURE, &["--scheme", "standard"]);
    assert_eq!(
        (code, text.contains("ok (standard)")),
        (Some(0), true),
        "{text}"
    );
    let forged = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";
    assert_eq!(verify(outside.hooktool(), forged, &[]).0, Some(1));
    assert_eq!(
        verify(outside.bare(), forged, &["--scheme", "standard"]).0,
        Some(1)
    );

    // And what the pack signs, the built-in scheme verifies.
    for event in ["invoice.paid", "customer.created"] {
        let request = outside.path(&format!("{event}.http"));
        let http = outside
            .hooktool()
            .args(["generate", event, "--format", "http", "--now", NOW])
            .args(["--secret", STANDARD_SECRET])
            .output()
            .unwrap();
        std::fs::write(&request, succeeded(http)).unwrap();
        let output = outside
            .bare()
            .arg("verify")
            .arg(&request)
            .args([
                "--scheme",
                "standard",
                "--secret",
                STANDARD_SECRET,
                "--now",
                NOW,
            ])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{event}: {}",
            stdout(&output)
        );
    }
}

#[test]
fn a_packs_tolerance_is_what_verify_checks_its_deliveries_against() {
    let outside = Outside::new();
    edit(
        &outside.acme().join("provider.toml"),
        "tolerance = \"5m\"",
        "tolerance = \"60s\"",
    );
    let body = outside.path("body.json");
    std::fs::write(&body, SPEC_BODY).unwrap();
    let later: i64 = SPEC_TIMESTAMP.parse::<i64>().unwrap() + 120;
    let verify = |extra: &[&str]| {
        let output = outside
            .hooktool()
            .arg("verify")
            .arg("--body")
            .arg(&body)
            .args(["--header", &format!("webhook-id: {SPEC_ID}")])
            .args(["--header", &format!("webhook-timestamp: {SPEC_TIMESTAMP}")])
            .args(["--header", &format!("webhook-signature: {SPEC_SIGNATURE}")])
            .args(["--secret", STANDARD_SECRET, "--now", &later.to_string()])
            .args(extra)
            .output()
            .unwrap();
        (output.status.code(), stdout(&output))
    };
    let (code, text) = verify(&[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("120 s old, tolerance 60 s"), "{text}");
    // A tolerance given on the command line is the user's choice, over the pack's.
    let (code, text) = verify(&["--tolerance", "300s"]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn validate_finds_pack_events_by_file_name_and_by_shape() {
    let outside = Outside::new();
    let fixtures = outside.work.join("fixtures");
    std::fs::create_dir(&fixtures).unwrap();
    std::fs::copy(
        outside.acme().join("events/invoice.paid.json"),
        fixtures.join("invoice.paid.json"),
    )
    .unwrap();
    let customer = succeeded(
        outside
            .hooktool()
            .args(["generate", "customer.created", "--format", "payload"])
            .args(["--seed", "3", "--secret", STANDARD_SECRET])
            .output()
            .unwrap(),
    );
    std::fs::write(fixtures.join("new-customer.json"), customer).unwrap();
    let broken = succeeded(
        outside
            .hooktool()
            .args(["generate", "invoice.paid", "--format", "payload"])
            .args(["--set", "data.amount=0", "--secret", STANDARD_SECRET])
            .output()
            .unwrap(),
    );
    std::fs::write(fixtures.join("refund.invoice.paid.json"), broken).unwrap();

    let output = outside
        .hooktool()
        .args(["validate", "fixtures", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files: Vec<(&str, &str, &str, bool)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap(),
                file["event"].as_str().unwrap(),
                file["event_from"].as_str().unwrap(),
                file["valid"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("fixtures/invoice.paid.json", "invoice.paid", "path", true),
            (
                "fixtures/new-customer.json",
                "customer.created",
                "shape",
                true
            ),
            (
                "fixtures/refund.invoice.paid.json",
                "invoice.paid",
                "path",
                false
            ),
        ]
    );
    let problem = &report["files"][2]["problems"][0];
    assert_eq!(problem["pointer"], "/data/amount", "{problem}");
    assert_eq!(problem["severity"], "error");

    let negative = outside
        .hooktool()
        .args([
            "validate",
            "fixtures/refund.invoice.paid.json",
            "--expect-invalid",
        ])
        .output()
        .unwrap();
    assert_eq!(negative.status.code(), Some(0), "{}", stderr(&negative));
}

/// The example receiver, every route, with the Standard Webhooks specification's example secret.
fn example_receiver() -> String {
    let wix = include_str!("../../fixtures/keys/wix-dev-public.pem");
    serve_router(probe_receiver::router(probe_receiver::Config {
        secret: SECRET.to_string(),
        token: "tok".to_string(),
        wix_public_key: jsonwebtoken::DecodingKey::from_rsa_pem(wix.as_bytes()).unwrap(),
        standard_key: probe_receiver::Config::standard_key(STANDARD_SECRET).unwrap(),
    }))
}

#[test]
fn probe_signs_with_the_pack_and_the_example_receiver_passes_every_case() {
    let outside = Outside::new();
    let url = format!("{}standard", example_receiver());
    let probe = |event: &str, secret: &str| {
        let output = outside
            .hooktool()
            .args(["probe", event, "--to", &url, "--secret", secret])
            .args(["--format", "json"])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{error}: {}", stderr(&output)));
        (output.status.code(), report)
    };
    for event in ["invoice.paid", "customer.created"] {
        let (code, report) = probe(event, STANDARD_SECRET);
        assert_eq!(code, Some(0), "{report:#}");
        let cases = report["cases"].as_array().unwrap();
        let names: Vec<&str> = cases
            .iter()
            .map(|case| case["name"].as_str().unwrap())
            .collect();
        for expected in [
            "valid",
            "wrong-secret",
            "timestamp-mismatch",
            "stale-timestamp",
            "rotated-keys",
        ] {
            assert!(names.contains(&expected), "{names:?}");
        }
        for case in cases {
            assert_eq!(case["verdict"], "pass", "{case:#}");
        }
    }
    // Probed with a secret the receiver does not hold, its genuine deliveries are refused.
    let (code, report) = probe("invoice.paid", "whsec_c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQ=");
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["cases"][0]["name"], "valid");
    assert_eq!(report["cases"][0]["verdict"], "fail");
}

// ---------------------------------------------------------------------------------------------
// A built-in provider's rules, changed by editing its pack

/// A copy of the built-in Cativa pack with a two-retry curve and 503 as a permanent failure.
fn edited_cativa(outside: &Outside) -> PathBuf {
    let cativa = outside.path("cativa");
    copy_dir(&Path::new(REPOSITORY).join("providers/cativa"), &cativa);
    let manifest = cativa.join("provider.toml");
    edit(
        &manifest,
        r#"retry = ["30s", "5m", "30m", "2h", "6h", "24h"]"#,
        r#"retry = ["1s", "2s"]"#,
    );
    edit(
        &manifest,
        "permanent = [400, 401, 403, 404, 410]",
        "permanent = [400, 401, 403, 404, 410, 503]",
    );
    cativa
}

/// `send user_created` with `packs` loaded against a listener answering `respond`, expecting
/// `requests` requests; the send's JSON report.
fn send_against(outside: &Outside, packs: Option<&Path>, respond: &str, requests: usize) -> Value {
    let (mut listener, address) = start_listener(|command| {
        command
            .current_dir(&outside.work)
            .env_remove("HOOKTOOL_PROVIDERS")
            .args(["listen", "--port", "0", "--respond", respond])
            .args(["--expect", &requests.to_string(), "--timeout", "60s"])
            .args(["--out", "/dev/null"]);
    });
    let mut command = outside.bare();
    if let Some(packs) = packs {
        command.arg("--providers").arg(packs);
    }
    let output = command
        .args(["send", "user_created", "--to", &address, "--secret", SECRET])
        .args(["--time-scale", "0.001", "--json"])
        .output()
        .unwrap();
    // The listener ends once it has had the requests it expects, and not before.
    assert!(wait_or_kill(&mut listener, "the listener").success());
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", stderr(&output)));
    let expected_code = if report["outcome"] == "delivered" {
        0
    } else {
        1
    };
    assert_eq!(output.status.code(), Some(expected_code), "{report:#}");
    report
}

fn attempts(report: &Value) -> Vec<u64> {
    report["events"][0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|attempt| attempt["status"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_built_in_providers_rules_change_with_one_edit_of_its_pack() {
    let outside = Outside::new();
    let cativa = edited_cativa(&outside);

    let listed = outside
        .bare()
        .arg("--providers")
        .arg(&cativa)
        .arg("events")
        .output()
        .unwrap();
    let note = stderr(&listed);
    assert!(
        note.contains(&format!("the `cativa` pack from {}", cativa.display()))
            && note.contains("replaces the built-in one"),
        "{note}"
    );
    let text = succeeded(listed);
    assert!(
        text.contains("retry curve   1s → 2s (3 deliveries)"),
        "{text}"
    );
    assert!(
        text.contains("permanent failures: 400 401 403 404 410 503"),
        "{text}"
    );
    let events = json(
        outside
            .bare()
            .arg("--providers")
            .arg(&cativa)
            .args(["events", "--json"])
            .output()
            .unwrap(),
    );
    let user_created = events
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["name"] == "user_created")
        .unwrap();
    assert_eq!(
        user_created["delivery"]["retry"]["delays_ms"],
        serde_json::json!([1000, 2000])
    );

    // Built in, a 503 is retried; edited, it is a permanent failure at the first attempt.
    let built_in = send_against(&outside, None, "503,200", 2);
    assert_eq!(built_in["outcome"], "delivered");
    assert_eq!(attempts(&built_in), [503, 200]);
    let edited = send_against(&outside, Some(&cativa), "503", 1);
    assert_eq!(
        edited["events"][0]["outcome"], "permanent_failure",
        "{edited:#}"
    );
    assert_eq!(attempts(&edited), [503]);

    // Three attempts, as the two-retry curve says, then no retries left.
    let exhausted = send_against(&outside, Some(&cativa), "500,500,500", 3);
    assert_eq!(
        exhausted["events"][0]["outcome"], "retries_exhausted",
        "{exhausted:#}"
    );
    assert_eq!(attempts(&exhausted), [500, 500, 500]);
    assert_eq!(
        exhausted["run"]["delays_ms"],
        serde_json::json!([1000, 2000])
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed packs

/// The line of `provider.toml` in `pack` holding `needle` (1-based).
fn line_of(pack: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(pack.join("provider.toml")).unwrap();
    text.lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {}", pack.display()))
        + 1
}

/// Asserts `output` is a pack error: exit 2, one error line naming `problem`, the `key`, and
/// `manifest:line`, then the hint.
fn assert_pack_error(output: &Output, problem: &str, key: &str, manifest: &Path, line: usize) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    let mut lines = text.lines();
    let error = lines.next().unwrap_or_default();
    assert!(error.starts_with("hooktool: error: "), "{text}");
    assert!(error.contains(problem), "{problem:?} not in {error}");
    let place = format!(", key `{key}`, {}:{line}", manifest.display());
    assert!(
        error.ends_with(&place),
        "{place:?} not at the end of {error}"
    );
    assert!(
        lines.next().unwrap_or_default().starts_with("hint: "),
        "{text}"
    );
    assert_eq!(
        output.stdout, b"",
        "no results from a run that could not load its packs"
    );
}

/// A broken copy of the acme pack: how it is broken, and what the error must say.
struct Broken {
    name: &'static str,
    breaks: fn(&Path),
    problem: &'static str,
    key: &'static str,
    /// Text on the line the error must point at.
    at: &'static str,
}

fn manifest(pack: &Path) -> PathBuf {
    pack.join("provider.toml")
}

const BROKEN: &[Broken] = &[
    Broken {
        name: "unknown-scheme",
        breaks: |pack| edit(&manifest(pack), r#"scheme = "hmac""#, r#"scheme = "hmca""#),
        problem: "unknown scheme `hmca`; expected one of hmac, jwt-rs256, credential, none",
        key: "signing.scheme",
        at: "scheme = ",
    },
    Broken {
        name: "unknown-placeholder",
        breaks: |pack| {
            edit(
                &manifest(pack),
                "{id}.{timestamp}.{body}",
                "{id}.{time}.{body}",
            )
        },
        problem: "unknown placeholder `{time}`",
        key: "signing.signed",
        at: "signed = ",
    },
    Broken {
        name: "unknown-header-placeholder",
        breaks: |pack| {
            edit(
                &manifest(pack),
                "Acme-Webhooks/1.0",
                "Acme-Webhooks/{version}",
            )
        },
        problem: "names an unknown placeholder; a header value may use {subscription_id}",
        key: "headers.User-Agent",
        at: "\"User-Agent\"",
    },
    Broken {
        name: "schema-not-compiling",
        breaks: |pack| {
            let schema = pack.join("events/customer.created.schema.json");
            std::fs::write(schema, r#"{"type": "objet"}"#).unwrap();
        },
        problem: "events/customer.created.schema.json: not a JSON Schema",
        key: "events[1].schema",
        at: "name = \"customer.created\"",
    },
    Broken {
        name: "schema-not-json",
        breaks: |pack| {
            let schema = pack.join("events/customer.created.schema.json");
            std::fs::write(schema, "{\n  \"type\": \"object\",\n}").unwrap();
        },
        problem: "events/customer.created.schema.json:3: not JSON",
        key: "events[1].schema",
        at: "name = \"customer.created\"",
    },
    Broken {
        name: "curve-not-durations",
        breaks: |pack| edit(&manifest(pack), r#""30m", "2h""#, r#""30m", "soon""#),
        problem: "`soon` is not a duration",
        key: "delivery.retry[3]",
        at: "retry = ",
    },
    Broken {
        name: "curve-of-numbers",
        breaks: |pack| edit(&manifest(pack), r#""5s", "5m""#, "5, 300"),
        problem: "invalid type",
        key: "delivery.retry",
        at: "retry = ",
    },
    Broken {
        name: "missing-schema",
        breaks: |pack| {
            std::fs::remove_file(pack.join("events/customer.created.schema.json")).unwrap()
        },
        problem: "events/customer.created.schema.json: cannot read",
        key: "events[1].schema",
        at: "name = \"customer.created\"",
    },
    Broken {
        name: "sample-breaking-its-schema",
        breaks: |pack| {
            edit(
                &pack.join("events/invoice.paid.json"),
                r#""currency": "eur""#,
                r#""currency": "EUR""#,
            )
        },
        problem: "events/invoice.paid.json does not match the `invoice.paid` schema",
        key: "events[0].sample",
        at: "name = \"invoice.paid\"",
    },
    Broken {
        name: "extra-fields-without-policy",
        breaks: |pack| {
            let with = "source = \"https://docs.acme.example/webhooks\"";
            let policy = "extra_fields = \"the schemas decide\"";
            edit(&manifest(pack), with, &format!("{with}\n{policy}"))
        },
        problem: "must start with `allowed: ` or `warned: `",
        key: "extra_fields",
        at: "extra_fields = ",
    },
    Broken {
        name: "toml-syntax-error",
        breaks: |pack| edit(&manifest(pack), r#"timeout = "15s""#, r#"timeout = "15s"#),
        problem: "invalid basic string",
        key: "delivery.timeout",
        at: "timeout = ",
    },
    Broken {
        name: "unknown-key",
        breaks: |pack| edit(&manifest(pack), "concurrency = 10", "concurency = 10"),
        problem: "unknown field `concurency`",
        key: "delivery.concurency",
        at: "concurency = ",
    },
];

/// The line number a [`Broken`] error points at: events by the line their table starts on.
fn expected_line(pack: &Path, at: &str) -> usize {
    let line = line_of(pack, at);
    if at.starts_with("name = ") {
        line - 1
    } else {
        line
    }
}

#[test]
fn each_kind_of_malformed_pack_exits_2_naming_file_line_and_key() {
    let outside = Outside::new();
    for broken in BROKEN {
        let pack = outside.path(broken.name);
        copy_dir(&outside.acme(), &pack);
        (broken.breaks)(&pack);
        let line = expected_line(&pack, broken.at);
        for args in [&["events"][..], &["generate", "user_created"]] {
            let output = outside
                .bare()
                .arg("--providers")
                .arg(&pack)
                .args(args)
                .output()
                .unwrap();
            assert_pack_error(&output, broken.problem, broken.key, &manifest(&pack), line);
        }
        let checked = outside
            .bare()
            .args(["providers", "check"])
            .arg(&pack)
            .output()
            .unwrap();
        assert_pack_error(&checked, broken.problem, broken.key, &manifest(&pack), line);
    }
}

#[test]
fn event_names_are_unique_across_loaded_packs() {
    let outside = Outside::new();
    // A second user pack defining acme's events under another id.
    let twin = outside.path("twin");
    copy_dir(&outside.acme(), &twin);
    edit(&manifest(&twin), r#"id = "acme""#, r#"id = "acme-eu""#);
    let first_event = line_of(&twin, "[[events]]");
    let loaded = outside
        .bare()
        .arg("--providers")
        .arg(outside.acme())
        .arg("--providers")
        .arg(&twin)
        .arg("events")
        .output()
        .unwrap();
    let problem = format!(
        "event `invoice.paid` is also defined by the `acme` pack ({})",
        manifest(&outside.acme()).display()
    );
    assert_pack_error(
        &loaded,
        &problem,
        "events[0].name",
        &manifest(&twin),
        first_event,
    );
    let checked = outside
        .bare()
        .arg("--providers")
        .arg(outside.acme())
        .args(["providers", "check"])
        .arg(&twin)
        .output()
        .unwrap();
    assert_pack_error(
        &checked,
        &problem,
        "events[0].name",
        &manifest(&twin),
        first_event,
    );

    // A user pack naming an event as a built-in provider does, by full or short name.
    for (name, short, owner, key) in [
        ("user_created", None, "cativa", "events[0].name"),
        (
            "badges.awarded",
            Some("badge_created"),
            "wix",
            "events[0].short_name",
        ),
    ] {
        let clash = outside.path(&format!("clash-{owner}"));
        copy_dir(&outside.acme(), &clash);
        edit(&manifest(&clash), r#"id = "acme""#, r#"id = "mine""#);
        let mut renamed = format!("name = \"{name}\"");
        if let Some(short) = short {
            renamed.push_str(&format!("\nshort_name = \"{short}\""));
        }
        edit(&manifest(&clash), r#"name = "invoice.paid""#, &renamed);
        let clashing = short.unwrap_or(name);
        let problem = format!("event `{clashing}` is also defined by the `{owner}` pack");
        let line = line_of(&clash, "[[events]]");
        let loaded = outside
            .bare()
            .arg("--providers")
            .arg(&clash)
            .arg("events")
            .output()
            .unwrap();
        assert_pack_error(&loaded, &problem, key, &manifest(&clash), line);
        let checked = outside
            .bare()
            .args(["providers", "check"])
            .arg(&clash)
            .output()
            .unwrap();
        assert_pack_error(&checked, &problem, key, &manifest(&clash), line);
    }
}

#[test]
fn providers_check_says_ok_of_a_sound_pack_however_its_folder_is_written() {
    let outside = Outside::new();
    let checked = succeeded(
        outside
            .bare()
            .args(["providers", "check"])
            .arg(outside.acme())
            .output()
            .unwrap(),
    );
    assert_eq!(
        checked,
        format!(
            "ok acme (Acme Billing): 2 events (invoice.paid, customer.created), scheme hmac, {}\n",
            manifest(&outside.acme()).display()
        )
    );
    // A folder of packs checks each pack in it.
    let all = succeeded(
        outside
            .bare()
            .args(["providers", "check"])
            .arg(&outside.packs)
            .output()
            .unwrap(),
    );
    assert!(all.starts_with("ok acme (Acme Billing)"), "{all}");

    // The pack being checked is also loaded (from the project folder, or the flag) under
    // another spelling of its path: it is not a second pack clashing with itself.
    let project = outside.work.join(".hooktool/providers");
    copy_dir(&outside.packs, &project);
    for spelling in [
        ".hooktool/providers/acme".to_string(),
        ".hooktool/providers/acme/".to_string(),
        "./.hooktool/providers/acme".to_string(),
        project.join("acme").display().to_string(),
    ] {
        let output = outside
            .bare()
            .args(["providers", "check", &spelling])
            .output()
            .unwrap();
        assert!(succeeded(output).starts_with("ok acme"), "{spelling}");
        let output = outside
            .bare()
            .args([
                "--providers",
                &spelling,
                "providers",
                "check",
                ".hooktool/providers/acme",
            ])
            .output()
            .unwrap();
        assert!(succeeded(output).starts_with("ok acme"), "{spelling}");
    }
}

#[test]
fn a_folder_named_twice_is_loaded_once() {
    let outside = Outside::new();
    let project = outside.work.join(".hooktool/providers");
    copy_dir(&outside.packs, &project);
    let packs = outside.packs.display().to_string();
    let runs = [
        // The flag and the variable name the same folder, written differently.
        (
            vec!["--providers", packs.as_str()],
            Some(format!("{packs}/")),
        ),
        // The flag names the project folder, which is read anyway.
        (vec!["--providers", "./.hooktool/providers"], None),
    ];
    for (flags, variable) in runs {
        let mut command = outside.bare();
        if let Some(variable) = &variable {
            command.env("HOOKTOOL_PROVIDERS", variable);
        }
        if variable.is_some() {
            // Away from the project folder, whose acme is another copy.
            command.current_dir(outside.root.path());
        }
        let listed = json(
            command
                .args(&flags)
                .args(["providers", "--json"])
                .output()
                .unwrap(),
        );
        let ids: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|pack| pack["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["cativa", "wix", "beedeez", "acme"], "{flags:?}");
    }
    // Two different folders holding packs with one id are still an error.
    let output = outside
        .bare()
        .arg("--providers")
        .arg(&outside.packs)
        .arg("events")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("pack id `acme` is also loaded from"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_schema_no_sample_can_be_built_from_fails_the_check() {
    let outside = Outside::new();
    let pack = outside.path("unbuildable");
    copy_dir(&outside.acme(), &pack);
    edit(
        &pack.join("events/customer.created.schema.json"),
        r#""name": { "type": ["string", "null"], "maxLength": 80 }"#,
        r#""name": { "type": "string", "minLength": 81, "maxLength": 80 }"#,
    );
    edit(
        &pack.join("events/customer.created.schema.json"),
        r#""required": ["customer_id", "email", "created_at"]"#,
        r#""required": ["customer_id", "email", "created_at", "name"]"#,
    );
    let line = line_of(&pack, "name = \"customer.created\"") - 1;
    let output = outside
        .bare()
        .args(["providers", "check"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_pack_error(
        &output,
        "events/customer.created.schema.json: no sample can be built from it (`minLength` 81 is above `maxLength` 80",
        "events[1].schema",
        &manifest(&pack),
        line,
    );
}

#[test]
fn random_bytes_as_provider_toml_are_an_error_never_a_panic() {
    let outside = Outside::new();
    let mut inputs: Vec<Vec<u8>> = [0, 1, 17, 512, 4096].iter().map(|&n| noise(n)).collect();
    // Text that gets further into the parser: TOML-looking lines with stray bytes.
    let acme = std::fs::read(manifest(&outside.acme())).unwrap();
    for (step, byte) in [(7, b'\0'), (13, b'['), (29, b'"'), (61, b'='), (97, 0xff)] {
        let mut mangled = acme.clone();
        for at in (step..mangled.len()).step_by(step * 5) {
            mangled[at] = byte;
        }
        inputs.push(mangled);
    }
    inputs.push("id = \"é\u{301}\"\n[[events]]\n[[events]]\n[signing]\n".into());
    inputs.push(acme[..acme.len() / 2].to_vec());
    for (index, bytes) in inputs.iter().enumerate() {
        let pack = outside.path(&format!("random-{index}"));
        std::fs::create_dir(&pack).unwrap();
        std::fs::write(manifest(&pack), bytes).unwrap();
        let checked = outside
            .bare()
            .args(["providers", "check"])
            .arg(&pack)
            .output()
            .unwrap();
        let loaded = outside
            .bare()
            .arg("--providers")
            .arg(&pack)
            .arg("events")
            .output()
            .unwrap();
        for output in [checked, loaded] {
            let text = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "input {index}: {text}");
            assert!(
                text.starts_with("hooktool: error: "),
                "input {index}: {text}"
            );
            let file = manifest(&pack).display().to_string();
            assert!(text.contains(&file), "input {index}: {text}");
            assert!(!text.contains("panicked"), "input {index}: {text}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The listing

#[test]
fn providers_lists_the_built_in_packs_then_the_loaded_ones_with_their_origin() {
    let outside = Outside::new();
    let alone = succeeded(outside.bare().arg("providers").output().unwrap());
    let ids: Vec<&str> = alone
        .lines()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids, ["cativa", "wix", "beedeez"]);
    assert!(
        alone.lines().all(|line| line.ends_with("built-in")),
        "{alone}"
    );

    let listed = succeeded(outside.hooktool().arg("providers").output().unwrap());
    let last = listed.lines().last().unwrap();
    let columns: Vec<&str> = last.split_whitespace().collect();
    assert_eq!(
        columns,
        [
            "acme",
            "Acme",
            "Billing",
            "2",
            "events",
            "hmac",
            &outside.acme().display().to_string()
        ],
        "{listed}"
    );

    let document = json(
        outside
            .hooktool()
            .args(["providers", "--json"])
            .output()
            .unwrap(),
    );
    let acme = &document[3];
    assert_eq!(acme["id"], "acme");
    assert_eq!(acme["name"], "Acme Billing");
    assert_eq!(acme["source"], "https://docs.acme.example/webhooks");
    assert_eq!(acme["origin"], outside.acme().display().to_string());
    assert_eq!(acme["built_in"], false);
    assert_eq!(acme["scheme"], "hmac");
    assert_eq!(
        acme["events"],
        serde_json::json!(["invoice.paid", "customer.created"])
    );
    assert_eq!(
        acme["assumed"],
        serde_json::json!(["delivery.concurrency", "delivery.timeout"])
    );
    assert_eq!(document[0]["origin"], "built-in");
    assert_eq!(document[0]["built_in"], true);
}
