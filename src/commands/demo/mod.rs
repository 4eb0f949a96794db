//! `hooktool demo`: the whole loop on built-in defaults, in-process and on loopback only. A
//! listener scripted to fail first; one event of each provider sent through it on its retry
//! curve, time-scaled; every capture verified as `verify` reads the capture file; every payload
//! validated. Its workspace lives in a temporary directory, removed at the end unless `--keep`.

mod deliveries;
mod replay;

use std::time::Instant;

use jiff::Timestamp;

use crate::cli::DemoArgs;
use crate::domain::delivery_log::EventOutcome;
use crate::domain::signature::wix;
use crate::domain::verification::{Checker, Keys};
use crate::error::{Outcome, runtime_unavailable};
use crate::io::workspace::Workspace;
use crate::io::{allocator, terminal};
use crate::render::demo as narrate;

/// 30 s becomes 30 ms: the first three Cativa deliveries take about a third of a second.
const TIME_SCALE: f64 = 0.001;
const MAX_BODY: usize = 10 * 1024 * 1024;
const INDENT: &str = "       ";

/// One provider's part of the demo: what is sent, where, how the receiver answers, and why that
/// is worth seeing.
pub struct Scenario {
    pub event: &'static str,
    pub path: &'static str,
    pub answers: &'static [u16],
    pub lesson: &'static str,
}

pub const SCENARIOS: [Scenario; 3] = [
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
                 retries quickly, up to 100 times in about 10 minutes (its curve is assumed).",
    },
];

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
    allocator::begin_long_run();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(runtime_unavailable)?;
    let delivered = runtime.block_on(async {
        tokio::select! {
            delivered = deliveries::deliver_through_listener(&workspace, &keys) => Some(delivered),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    runtime.shutdown_background();
    let Some(delivered) = delivered else {
        terminal::write_stdout(
            narrate::interrupted(started.elapsed(), terminal::stdout_palette()).as_bytes(),
        )?;
        workspace.finish()?;
        return Ok(Outcome::Interrupted);
    };
    let delivered = delivered?;

    let checker = Checker {
        keys,
        scheme: None,
        now: Timestamp::now().as_second(),
        explain: false,
    };
    let replayed = replay::read(&workspace.capture_file, &checker)?;
    let verified = replay::print_verification(&replayed);
    let valid = replay::validate_payloads(&replayed)?;

    let all_delivered = delivered
        .iter()
        .all(|outcome| *outcome == EventOutcome::Delivered);
    let expected_requests: usize = SCENARIOS.iter().map(|s| s.answers.len()).sum();
    let ok = all_delivered && verified && valid && replayed.len() == expected_requests;
    let palette = terminal::stdout_palette();
    // The closing words are the demo's result: a stdout that cannot take them is an error.
    terminal::write_stdout(
        narrate::closing(ok, &workspace.paths(), started.elapsed(), palette).as_bytes(),
    )?;
    workspace.finish()?;
    Ok(Outcome::from_ok(ok))
}

fn print(text: &str) {
    // A closed stdout only cuts the narration short; the outcome is still the exit code.
    let _ = terminal::write_stdout(text.as_bytes());
}
