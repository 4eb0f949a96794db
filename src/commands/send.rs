//! `hooktool send`: builds the schedule and the messages, delivers them on every core, and
//! prints one line per attempt (stderr) and the report (stdout).

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use crate::cli::SendArgs;
use crate::cli::compose::Composition;
use crate::domain::schedule::{Curve, Schedule};
use crate::error::{Outcome, UserError, runtime_unavailable};
use crate::io::console::Console;
use crate::io::delivery::{Delivering, Observer, Run, Sender, Trust};
use crate::io::{allocator, terminal};
use crate::render::delivery as render;

pub fn run(args: &SendArgs) -> anyhow::Result<Outcome> {
    let target = &args.to;
    if !target.is_loopback() && !args.allow_remote {
        return Err(UserError::new(format!("{target} is not on this machine, --to"))
            .hint("hooktool sends sample data and refuses other hosts so that it never reaches a production system by accident")
            .hint("pass --allow-remote to send there anyway")
            .into());
    }
    let composition = Composition::resolve(&args.compose)?;
    let event = composition.composer.event;
    let curve = args
        .retry
        .clone()
        .unwrap_or_else(|| Curve::Provider(event.provider.id.to_string()));
    let schedule = Schedule::new(curve, event.provider, args.time_scale, args.timeout)
        .map_err(|error| UserError::new(error.to_string()))?;
    let concurrency = args
        .concurrency
        .or(schedule.rules().concurrency.map(|fact| fact.value))
        .unwrap_or(1);
    let trust = Trust {
        cacert: args.cacert.as_deref(),
        insecure: args.insecure,
    };
    let sender = Sender::new(target, schedule.attempt_timeout, trust)?;
    let first = composition
        .composer
        .message(0)
        .map_err(|error| UserError::new(error.to_string()))?;
    composition.announce();
    for warning in composition.composer.schema_warnings(&first) {
        terminal::warn(&warning);
    }
    terminal::note(&format!(
        "sending {} ({}) to {target}",
        event.name,
        event.provider.display_name()
    ));
    terminal::note(&render::rules_line(&schedule));
    if args.count > 1 {
        // An event has one request in flight at a time: fewer events than slots fill no more.
        let in_flight = match (concurrency as u64).min(args.count) {
            1 => "1 request".to_string(),
            many => format!("{many} requests"),
        };
        terminal::note(&format!("{} events, {in_flight} in flight", args.count));
    }

    let run_settings = json!({
        "event": event.name,
        "provider": event.provider.id(),
        "target": target.url(),
        "curve": schedule.curve_name,
        "delays_ms": schedule.delays.iter().map(|delay| delay.as_millis() as u64).collect::<Vec<_>>(),
        "time_scale": schedule.time_scale,
        "attempt_timeout_ms": schedule.attempt_timeout.as_millis() as u64,
        "count": args.count,
        "concurrency": concurrency,
    });
    let console = Arc::new(Console::on_stderr(&schedule, args.count));
    let max_attempts = schedule.max_attempts();
    let composer = composition.composer;
    let signing_start = composer.now;
    let run = Arc::new(Run {
        sender,
        schedule,
        messages: Box::new(move |index| composer.message(index).map_err(|error| error.to_string())),
        count: args.count,
        concurrency,
        signing_start,
    });

    if args.count > 1 {
        allocator::begin_long_run();
    }
    // This thread only waits, for the end of the run or for Ctrl-C.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(runtime_unavailable)?;
    let started = Instant::now();
    let observer: Arc<dyn Observer> = console.clone();
    let mut delivering = Delivering::start(run, observer).map_err(runtime_unavailable)?;
    let interrupted = runtime.block_on(async {
        tokio::select! {
            biased;
            // Polled first, so that Ctrl-C is heard before the first request goes out.
            () = ctrl_c() => true,
            () = delivering.deliver() => false,
        }
    });
    // Stops whatever is still in flight and waits for the threads.
    drop(delivering);
    let elapsed = started.elapsed();
    runtime.shutdown_background();
    console.finish();

    let mut log = console.take_log();
    if interrupted {
        log.mark_unstarted(args.count);
    }
    let summary = log.summarize(args.count, elapsed);
    let outcome = if interrupted {
        terminal::warn("interrupted: stopped every delivery in flight");
        Outcome::Interrupted
    } else {
        Outcome::from_ok(summary.delivered == args.count)
    };
    let palette = terminal::stderr_palette();
    match log.reports().next() {
        Some(report) if args.count == 1 && !interrupted => {
            terminal::stderr_line(&render::event_outcome(report, max_attempts, palette))
        }
        _ => terminal::stderr_line(&render::summary(&summary, palette)),
    }
    if args.json {
        let outcome_name = match outcome {
            Outcome::Success => "delivered",
            Outcome::Negative => "failed",
            Outcome::Interrupted => "interrupted",
        };
        terminal::print_json(&log.report(run_settings, &summary, outcome_name))?;
    }
    Ok(outcome)
}

/// Resolves on Ctrl-C; never when the signal cannot be watched.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
