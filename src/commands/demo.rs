//! `hooktool demo`: the whole loop on built-in defaults, in-process and on loopback only. A
//! listener scripted to fail first; one event of each provider sent through it on its retry
//! curve, time-scaled; every capture verified as `verify` reads the capture file; every payload
//! validated. Its workspace lives in a temporary directory, removed at the end unless `--keep`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use jiff::Timestamp;

use crate::cli::DemoArgs;
use crate::domain::capture::{self, ResponseScript};
use crate::domain::catalogue::{self, Provider, rules::format_curve};
use crate::domain::delivery_log::EventOutcome;
use crate::domain::inputs::{self, Input};
use crate::domain::message::{Authenticator, Composer, Source, SubscriptionIds};
use crate::domain::schedule::{Curve, Schedule};
use crate::domain::signature::{beedeez, wix};
use crate::domain::target::Target;
use crate::domain::verification::{Checked, Checker, Keys};
use crate::domain::{schema, semantics};
use crate::error::{Outcome, UserError};
use crate::io::capture_writer::Recorder;
use crate::io::console::Console;
use crate::io::delivery::{self, Run, Sender, Trust};
use crate::io::workspace::Workspace;
use crate::io::{files, http_server, terminal};
use crate::render::demo as narrate;
use crate::render::verification;

/// 30 s becomes 30 ms: the first three Cativa deliveries take about a third of a second.
const TIME_SCALE: f64 = 0.001;
const MAX_BODY: usize = 10 * 1024 * 1024;
const INDENT: &str = "       ";

pub fn run(args: &DemoArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let workspace = Workspace::create(args.keep)?;
    let keys = Keys {
        secrets: vec![
            workspace.cativa_secret.clone(),
            workspace.beedeez_token.clone(),
        ],
        wix_public_key: Some(wix::VerifyingKey::development()),
        ..Keys::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let delivered = runtime.block_on(deliver_through_listener(&workspace, &keys))?;

    let (label, bytes) = files::read_input(&workspace.capture_file)?;
    let Input::JsonLines(lines) =
        inputs::recognise(&bytes).map_err(|error| UserError::new(format!("{error}, {label}")))?
    else {
        return Err(UserError::new(format!("{label} is not a capture file")).into());
    };
    let checker = Checker {
        keys,
        scheme: None,
        now: Timestamp::now().as_second(),
        explain: false,
    };
    let mut checked = Vec::new();
    let mut documents = Vec::new();
    for (line, text) in lines {
        let request = inputs::parse_json_line(line, text)
            .map_err(|error| UserError::new(format!("{error}, {label}")))?;
        let record: capture::CaptureRecord = serde_json::from_slice(text)?;
        checked.push((
            record,
            checker.check(&label, request.line, &request.headers, &request.body),
        ));
        documents.push((request.line, capture::event_document(&request.body)));
    }
    let verified = print_verification(&checked);
    let valid = validate_payloads(&checked, &documents);

    let all_delivered = delivered
        .iter()
        .all(|outcome| *outcome == EventOutcome::Delivered);
    let expected_requests: usize = narrate::SCENARIOS.iter().map(|s| s.answers.len()).sum();
    let ok = all_delivered && verified && valid && checked.len() == expected_requests;
    let palette = terminal::stdout_palette();
    print(&narrate::closing(
        ok,
        &workspace.paths(),
        started.elapsed(),
        palette,
    ));
    workspace.finish()?;
    Ok(Outcome::from_ok(ok))
}

fn print(text: &str) {
    // A closed stdout only cuts the narration short; the outcome is still the exit code.
    let _ = terminal::write_stdout(text.as_bytes());
}

/// Starts the listener, sends each scenario's event through it, and stops it once every record
/// is on disk. Returns each event's delivery outcome.
async fn deliver_through_listener(
    workspace: &Workspace,
    keys: &Keys,
) -> anyhow::Result<Vec<EventOutcome>> {
    let statuses: Vec<u16> = narrate::SCENARIOS
        .iter()
        .flat_map(|s| s.answers.iter().copied())
        .collect();
    let script = ResponseScript::new(statuses.clone()).expect("every scenario answers");
    let sink = files::capture_sink(Some(&workspace.capture_file))?;
    let (recorder, writer) = Recorder::start(sink, script, Some(keys.clone()), |_| {});
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
    let palette = terminal::stdout_palette();
    print(&narrate::opening(
        address,
        &workspace.capture_file,
        &statuses,
        palette,
    ));
    let mut outcomes = Vec::new();
    for scenario in &narrate::SCENARIOS {
        outcomes.push(send_scenario(scenario, address, workspace).await?);
    }
    server.stop().await?;
    // Every handler (and its recorder) is gone with the server: the writer drains and ends.
    tokio::task::spawn_blocking(move || writer.finish()).await?;
    Ok(outcomes)
}

async fn send_scenario(
    scenario: &narrate::Scenario,
    address: SocketAddr,
    workspace: &Workspace,
) -> anyhow::Result<EventOutcome> {
    let event = catalogue::find(scenario.event)?;
    let now = Timestamp::now();
    let ids = SubscriptionIds::new(7, now);
    let authenticator = match event.provider {
        Provider::Cativa => Authenticator::Cativa {
            secret: workspace.cativa_secret.clone(),
            automation_id: ids.cativa_automation_id,
        },
        Provider::Wix => Authenticator::Wix {
            key: wix::SigningKey::development(),
            instance_id: ids.wix_instance_id,
        },
        Provider::Beedeez => Authenticator::Beedeez {
            credential: beedeez::Credential::Bearer(workspace.beedeez_token.expose().to_string()),
        },
    };
    let composer = Composer {
        event,
        seed: 7,
        now,
        source: Source::Sample(Vec::new()),
        authenticator: Arc::new(authenticator),
    };
    let target = Target::parse(&format!("http://{address}{}", scenario.path))?;
    let schedule = Schedule::new(
        Curve::Provider(event.provider),
        event.provider,
        TIME_SCALE,
        None,
    )?;
    let curve = format_curve(event.rules().retry_delays.value);
    print(&narrate::scenario(
        scenario,
        event,
        &target,
        &curve,
        TIME_SCALE,
        terminal::stdout_palette(),
    ));
    let console = Arc::new(Console::narrating(&schedule, INDENT));
    let run = Arc::new(Run {
        sender: Sender::new(&target, schedule.attempt_timeout, Trust::default())?,
        schedule,
        messages: Box::new(move |index| composer.message(index).map_err(|error| error.to_string())),
        count: 1,
        concurrency: 1,
        signing_start: now,
    });
    delivery::deliver_all(run, console.clone()).await;
    console.finish();
    print("\n");
    let outcome = console.log().reports().next().map(|report| report.outcome);
    Ok(outcome.unwrap_or(EventOutcome::Interrupted))
}

/// Prints every capture's verdict as `verify` prints it, each with the status it was answered
/// and whether it was a retry. Whether all verified.
fn print_verification(checked: &[(capture::CaptureRecord, Checked)]) -> bool {
    let palette = terminal::stdout_palette();
    let mut out = narrate::verify_heading(checked.len(), palette);
    for (record, request) in checked {
        out.push_str(INDENT);
        out.push_str(&verification::line(request, palette));
        out.push_str(&narrate::capture_note(record, palette));
        out.push('\n');
    }
    out.push('\n');
    print(&out);
    checked.iter().all(|(_, request)| request.verdict.is_ok())
}

/// Validates the last capture of each event (the delivered one) against its schema and the
/// provider's rules.
fn validate_payloads(
    checked: &[(capture::CaptureRecord, Checked)],
    documents: &[(Option<usize>, Option<serde_json::Value>)],
) -> bool {
    let palette = terminal::stdout_palette();
    let mut out = narrate::validate_heading(palette);
    let mut all_valid = true;
    for scenario in &narrate::SCENARIOS {
        let event = catalogue::find(scenario.event).expect("demo events are in the catalogue");
        let document = checked
            .iter()
            .zip(documents)
            .rev()
            .find(|((record, _), _)| record.path == scenario.path)
            .and_then(|(_, (_, document))| document.as_ref());
        let problems: Vec<String> = match document {
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
        all_valid &= problems.is_empty();
        out.push_str(&narrate::validation_line(event.name, &problems, palette));
    }
    out.push('\n');
    print(&out);
    all_valid
}
