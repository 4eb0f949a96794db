//! `hooktool demo`: the whole loop on built-in defaults, in-process and on loopback only. A
//! listener scripted to fail first; one event of each provider sent through it on its retry
//! curve, time-scaled; every capture verified from the capture file; every payload validated.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rand::RngExt;

use crate::cli::exit::{Outcome, UserError};
use crate::cli::{AuthMethod, ComposeArgs, DemoArgs};
use crate::commands::compose::Composer;
use crate::domain::capture::{self, CaptureRecord};
use crate::domain::catalogue::rules::format_curve;
use crate::domain::catalogue::{self, Provider};
use crate::domain::delivery_log::{AttemptRecord, EventOutcome};
use crate::domain::duration;
use crate::domain::message::Message;
use crate::domain::schedule::{Curve, Schedule, Step, Wait};
use crate::domain::secret::Secret;
use crate::domain::signature::{beedeez, wix};
use crate::domain::target::Target;
use crate::domain::verification::{self, Keys};
use crate::domain::{schema, semantics};
use crate::io::capture_writer::{Recorder, ResponseScript};
use crate::io::delivery::{self, Observer, Run, Sender};
use crate::io::http_server;
use crate::io::terminal::{self, style};

/// 30 s becomes 30 ms: the first three Cativa deliveries take about a third of a second.
const TIME_SCALE: f64 = 0.001;
const MAX_BODY: usize = 10 * 1024 * 1024;

/// One provider's part of the demo: what is sent, where, how the receiver answers, and why that
/// is worth seeing.
struct Scenario {
    event: &'static str,
    path: &'static str,
    answers: &'static [u16],
    lesson: &'static str,
}

const SCENARIOS: [Scenario; 3] = [
    Scenario {
        event: "user_received_badge",
        path: "/webhooks/cativa",
        answers: &[503, 503, 200],
        lesson: "Cativa retries anything but 2xx on its curve, re-signing each attempt with a new \
                 timestamp; body and X-Cativa-Execution-Id stay the same.",
    },
    Scenario {
        event: "wix.badges.v4.badge_created",
        path: "/webhooks/wix",
        answers: &[201, 200],
        lesson: "Wix counts only 200 as success: the receiver's 201 is retried. The body is an \
                 RS256 JWT, issued afresh around the same event.",
    },
    Scenario {
        event: "certificate_completed",
        path: "/webhooks/beedeez",
        answers: &[500, 200],
        lesson: "Beedeez signs nothing: it sends a static credential (here a bearer token) and \
                 retries quickly, up to 100 times in about 10 minutes.",
    },
];

pub fn run(_args: &DemoArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let workspace = Workspace::create()?;
    let cativa_secret = format!("whsec_{}", hex::encode(rand::rng().random::<[u8; 32]>()));
    let beedeez_token = hex::encode(rand::rng().random::<[u8; 16]>());
    std::fs::write(&workspace.secret_file, format!("{cativa_secret}\n"))?;
    std::fs::write(&workspace.token_file, format!("{beedeez_token}\n"))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let delivered = runtime.block_on(deliver_through_listener(
        &workspace,
        &cativa_secret,
        &beedeez_token,
    ))?;

    let keys = Keys {
        secrets: vec![Secret::new(cativa_secret), Secret::new(beedeez_token)],
        wix_public_key: Some(wix::VerifyingKey::development()),
        ..Keys::default()
    };
    let records = read_captures(&workspace.capture_file)?;
    let verified = verify_captures(&records, &keys);
    let valid = validate_payloads(&records);

    let all_delivered = delivered
        .iter()
        .all(|outcome| *outcome == EventOutcome::Delivered);
    let expected_requests: usize = SCENARIOS.iter().map(|s| s.answers.len()).sum();
    let ok = all_delivered && verified && valid && records.len() == expected_requests;
    print(&summary(ok, &workspace, started.elapsed()));
    Ok(Outcome::from_ok(ok))
}

/// Where the demo keeps its capture file and secret, so the user can re-run `verify` on them.
struct Workspace {
    capture_file: PathBuf,
    secret_file: PathBuf,
    token_file: PathBuf,
}

impl Workspace {
    fn create() -> Result<Workspace, UserError> {
        let dir = std::env::temp_dir().join(format!("hooktool-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|error| {
            UserError::new(format!(
                "cannot create {} ({}), demo workspace",
                dir.display(),
                crate::cli::exit::io_reason(&error)
            ))
        })?;
        Ok(Workspace {
            capture_file: dir.join("capture.jsonl"),
            secret_file: dir.join("cativa-secret.txt"),
            token_file: dir.join("beedeez-token.txt"),
        })
    }
}

fn print(text: &str) {
    // A closed stdout only cuts the narration short; the outcome is still the exit code.
    let _ = terminal::write_stdout(text.as_bytes());
}

/// Starts the listener, sends each scenario's event through it, and stops it once every record
/// is on disk. Returns each event's delivery outcome.
async fn deliver_through_listener(
    workspace: &Workspace,
    cativa_secret: &str,
    beedeez_token: &str,
) -> anyhow::Result<Vec<EventOutcome>> {
    let statuses: Vec<u16> = SCENARIOS
        .iter()
        .flat_map(|s| s.answers.iter().copied())
        .collect();
    let script = ResponseScript::new(statuses.clone()).expect("every scenario answers");
    let file = std::fs::File::create(&workspace.capture_file).map_err(|error| {
        UserError::new(format!(
            "cannot create {} ({})",
            workspace.capture_file.display(),
            crate::cli::exit::io_reason(&error)
        ))
    })?;
    let live_keys = Keys {
        secrets: vec![
            Secret::new(cativa_secret.to_string()),
            Secret::new(beedeez_token.to_string()),
        ],
        wix_public_key: Some(wix::VerifyingKey::development()),
        ..Keys::default()
    };
    let (recorder, writer) = Recorder::start(Box::new(file), script, Some(live_keys), |_| {});
    let server = http_server::serve(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        MAX_BODY,
        move |incoming| {
            let recorder = recorder.clone();
            async move { recorder.record(incoming).await.unwrap_or(500) }
        },
    )
    .await?;
    let address = server.address();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        style::strong(
            "hooktool demo: three providers, one local receiver, nothing leaves this machine"
        )
    );
    let _ = writeln!(
        out,
        "{} http://{address}/ captures every request to {}",
        style::strong("listen"),
        workspace.capture_file.display()
    );
    let _ = writeln!(
        out,
        "       scripted answers, in order: {}\n",
        statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    );
    print(&out);

    let mut outcomes = Vec::new();
    for scenario in &SCENARIOS {
        let outcome = send_scenario(scenario, address, cativa_secret, beedeez_token).await?;
        outcomes.push(outcome);
    }
    server.stop().await?;
    // Every handler (and its recorder) is gone with the server: the writer drains and ends.
    tokio::task::spawn_blocking(move || writer.finish()).await?;
    Ok(outcomes)
}

async fn send_scenario(
    scenario: &Scenario,
    address: SocketAddr,
    cativa_secret: &str,
    beedeez_token: &str,
) -> anyhow::Result<EventOutcome> {
    let event = catalogue::find(scenario.event)?;
    let (secret, auth) = match event.provider {
        Provider::Cativa => (Some(cativa_secret.to_string()), AuthMethod::None),
        Provider::Wix => (None, AuthMethod::None),
        Provider::Beedeez => (Some(beedeez_token.to_string()), AuthMethod::Bearer),
    };
    let composer = Composer::from_args(&ComposeArgs {
        event: scenario.event.to_string(),
        secret,
        secret_file: None,
        seed: Some(7),
        now: None,
        sets: Vec::new(),
        unsets: Vec::new(),
        body: None,
        private_key: None,
        auth,
        api_key_header: beedeez::DEFAULT_API_KEY_HEADER.to_string(),
    })?;
    let target = Target::parse(&format!("http://{address}{}", scenario.path))?;
    let schedule = Schedule::new(
        Curve::Provider(event.provider),
        event.provider,
        TIME_SCALE,
        None,
    )?;
    print(&format!(
        "{} {} ({}) to {}\n       {}\n       retry curve {}, scaled ×{TIME_SCALE}\n",
        style::strong("send  "),
        style::good(event.name),
        event.provider.display_name(),
        target,
        style::dim(scenario.lesson),
        format_curve(event.rules().retry_delays.value),
    ));
    let narrator = Arc::new(Narrator::default());
    let run = Arc::new(Run {
        sender: Sender::new(&target, schedule.attempt_timeout)?,
        schedule,
        messages: Box::new(move |index| composer.message(index).map_err(|error| error.message)),
        count: 1,
        concurrency: 1,
        signing_start: Timestamp::now(),
    });
    delivery::deliver_all(run, narrator.clone()).await;
    print("\n");
    let outcome = *narrator.outcome.lock().expect("narrator lock");
    Ok(outcome.unwrap_or(EventOutcome::Interrupted))
}

/// Prints each attempt as it happens and keeps the event's outcome.
#[derive(Default)]
struct Narrator {
    outcome: Mutex<Option<EventOutcome>>,
}

impl Observer for Narrator {
    fn event_started(&self, _index: u64, message: &Message) {
        if let Some(id) = &message.event_id {
            print(&format!("       event id {id}\n"));
        }
    }

    fn attempt_finished(
        &self,
        _index: u64,
        record: AttemptRecord,
        _result: &delivery::AttemptResult,
        step: Step,
    ) {
        let answer = match (record.status, &record.error) {
            (Some(status), _) if matches!(step, Step::Delivered) => {
                style::good(&status.to_string())
            }
            (Some(status), _) => style::bad(&status.to_string()),
            (None, Some(error)) => style::bad(error),
            (None, None) => style::bad("no answer"),
        };
        let next = match step {
            Step::Delivered => style::good("delivered").to_string(),
            Step::Retry(Wait { real, scaled, .. }) => format!(
                "retry in {} (scaled to {})",
                duration::format(real),
                duration::format(scaled)
            ),
            Step::PermanentFailure => style::bad("permanent failure").to_string(),
            Step::RetriesExhausted => style::bad("no retries left").to_string(),
        };
        print(&format!(
            "       attempt {}  {answer}  → {next}\n",
            record.n
        ));
    }

    fn waiting(&self, _index: u64, _wait: Wait) {}

    fn event_finished(&self, _index: u64, outcome: EventOutcome, _error: Option<String>) {
        *self.outcome.lock().expect("narrator lock") = Some(outcome);
    }
}

fn read_captures(path: &Path) -> Result<Vec<CaptureRecord>, UserError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        UserError::new(format!(
            "cannot read {} ({})",
            path.display(),
            crate::cli::exit::io_reason(&error)
        ))
    })?;
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|error| {
                UserError::new(format!("{}:{}: {error}", path.display(), index + 1))
            })
        })
        .collect()
}

/// Re-verifies every record as read back from the capture file: what `hooktool verify` does.
fn verify_captures(records: &[CaptureRecord], keys: &Keys) -> bool {
    let now = Timestamp::now().as_second();
    let mut out = format!(
        "{} {} captured requests, re-read from the capture file\n",
        style::strong("verify"),
        records.len()
    );
    let mut all_ok = true;
    for record in records {
        let body = record.body_bytes().unwrap_or_default();
        let verdict = verification::verify(&record.header_pairs(), &body, None, keys, now);
        let scheme = verdict.scheme.map_or("unknown", |scheme| scheme.id());
        let result = match &verdict.result {
            Ok(()) => style::good("ok").to_string(),
            Err(failure) => {
                all_ok = false;
                format!("{} {failure}", style::bad("FAIL"))
            }
        };
        let duplicate = if record.duplicate {
            style::caution(" (a retry: event id seen before)").to_string()
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "       #{} {} answered {}: {result} ({scheme}){duplicate}",
            record.seq, record.path, record.status
        );
    }
    out.push('\n');
    print(&out);
    all_ok
}

/// Validates the last capture of each event (the delivered one) against its schema and the
/// provider's rules.
fn validate_payloads(records: &[CaptureRecord]) -> bool {
    let mut out = format!(
        "{} the payloads against their schemas and the providers' rules\n",
        style::strong("validate")
    );
    let mut all_valid = true;
    for scenario in &SCENARIOS {
        let event = catalogue::find(scenario.event).expect("demo events are in the catalogue");
        let document = records
            .iter()
            .rev()
            .find(|record| record.path == scenario.path)
            .and_then(|record| capture::event_document(&record.body_bytes().unwrap_or_default()));
        let problems: Vec<String> = match &document {
            None => vec!["no JSON payload captured".to_string()],
            Some(document) => schema::validate(event, document)
                .iter()
                .map(ToString::to_string)
                .chain(
                    semantics::check(event, document)
                        .iter()
                        .map(|finding| format!("{}: {}", finding.pointer, finding.message)),
                )
                .collect(),
        };
        let verdict = if problems.is_empty() {
            style::good("valid").to_string()
        } else {
            all_valid = false;
            format!("{} {}", style::bad("INVALID"), problems.join("; "))
        };
        let _ = writeln!(out, "       {}: {verdict}", event.name);
    }
    out.push('\n');
    print(&out);
    all_valid
}

fn summary(ok: bool, workspace: &Workspace, elapsed: Duration) -> String {
    let headline = if ok {
        style::good("all delivered, verified and valid").to_string()
    } else {
        style::bad("something did not work: see the lines above").to_string()
    };
    let secret = workspace.secret_file.display();
    format!(
        "{headline} in {:.1}s\n\n\
         Try it on your own receiver (the demo's secret and token are in {}):\n  \
         hooktool listen --port 3000 --secret-file {secret} --out capture.jsonl\n  \
         hooktool send user_created --to localhost:3000/webhooks --secret-file {secret} --time-scale 0.001\n  \
         hooktool verify {} --secret-file {secret} --secret-file {} --tolerance 0\n  \
         hooktool validate fixtures/\n",
        elapsed.as_secs_f64(),
        workspace
            .secret_file
            .parent()
            .unwrap_or(Path::new("."))
            .display(),
        workspace.capture_file.display(),
        workspace.token_file.display(),
    )
}
