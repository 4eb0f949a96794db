//! The demo's deliveries: a listener scripted to fail first, and one event of each provider sent
//! through it on the provider's retry curve, time-scaled, narrated as `send` prints attempts.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::{INDENT, MAX_BODY, SCENARIOS, Scenario, TIME_SCALE, print};
use crate::cli::compose::Composition;
use crate::cli::{AuthMethod, ComposeArgs};
use crate::domain::capture::ResponseScript;
use crate::domain::catalogue::{self, BuiltIn};
use crate::domain::delivery_log::EventOutcome;
use crate::domain::schedule::{Curve, Schedule};
use crate::domain::target::Target;
use crate::domain::verification::{Keys, LiveJudge};
use crate::io::capture_writer::Recorder;
use crate::io::console::Console;
use crate::io::delivery::{self, Run, Sender, Trust};
use crate::io::workspace::Workspace;
use crate::io::{files, http_server, terminal};
use crate::render::demo as narrate;

/// Starts the listener, sends each scenario's event through it, and stops it once every record
/// is on disk. Returns each event's delivery outcome.
pub async fn deliver_through_listener(
    workspace: &Workspace,
    keys: &Keys,
) -> anyhow::Result<Vec<EventOutcome>> {
    let statuses: Vec<u16> = SCENARIOS
        .iter()
        .flat_map(|s| s.answers.iter().copied())
        .collect();
    let script = ResponseScript::new(statuses.clone()).expect("every scenario answers");
    let sink = files::capture_sink(Some(&workspace.capture_file))?;
    let judge = LiveJudge {
        keys: keys.clone(),
        scheme: None,
    };
    let (recorder, writer) = Recorder::start(sink, script, judge, |_| {});
    let server = http_server::serve(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        MAX_BODY,
        Arc::new(DemoReceiver(recorder)),
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
    for scenario in &SCENARIOS {
        outcomes.push(send_scenario(scenario, address, workspace).await?);
    }
    server.stop().await?;
    // Every handler (and its recorder) is gone with the server: the writer drains and ends.
    tokio::task::spawn_blocking(move || writer.finish()).await?;
    Ok(outcomes)
}

/// Records whatever reaches the demo's listener; only its own deliveries do.
struct DemoReceiver(Recorder);

impl http_server::Receiver for DemoReceiver {
    async fn request(&self, incoming: http_server::Incoming) -> u16 {
        self.0.record(incoming).await.unwrap_or(500)
    }

    async fn refused(&self, refusal: http_server::Refusal) {
        let _ = self.0.refused(refusal).await;
    }

    fn accept_failed(&self, address: SocketAddr, error: &std::io::Error) {
        terminal::warn(&format!(
            "the demo's listener cannot accept connections on {address} ({})",
            crate::error::io_reason(error)
        ));
    }
}

async fn send_scenario(
    scenario: &Scenario,
    address: SocketAddr,
    workspace: &Workspace,
) -> anyhow::Result<EventOutcome> {
    let event = catalogue::find(scenario.event)?;
    let (secret, auth) = match event.provider.built_in {
        Some(BuiltIn::Cativa) => (Some(workspace.cativa_secret.clone()), AuthMethod::None),
        Some(BuiltIn::Beedeez) => (Some(workspace.beedeez_token.clone()), AuthMethod::Bearer),
        Some(BuiltIn::Wix) | None => (None, AuthMethod::None),
    };
    let composer = Composition::resolve(&ComposeArgs {
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
        api_key_header: None,
    })?
    .composer;
    let target = Target::parse(&format!("http://{address}{}", scenario.path))?;
    let schedule = Schedule::new(
        Curve::Provider(event.provider.id.to_string()),
        event.provider,
        TIME_SCALE,
        None,
    )?;
    print(&narrate::scenario(
        scenario.lesson,
        event,
        &target,
        TIME_SCALE,
        terminal::stdout_palette(),
    ));
    let console = Arc::new(Console::narrating(&schedule, INDENT));
    let signing_start = composer.now;
    let run = Arc::new(Run {
        sender: Sender::new(&target, schedule.attempt_timeout, Trust::default())?,
        schedule,
        messages: Box::new(move |index| composer.message(index).map_err(|error| error.to_string())),
        count: 1,
        concurrency: 1,
        signing_start,
    });
    delivery::deliver_all(run, console.clone()).await;
    console.finish();
    print("\n");
    let outcome = console
        .take_log()
        .reports()
        .next()
        .map(|report| report.outcome);
    Ok(outcome.unwrap_or(EventOutcome::Interrupted))
}
