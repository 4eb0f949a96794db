//! `hooktool listen`: a local receiver that captures every request before answering it, verifies
//! it live, and ends on `--expect`, `--timeout` or Ctrl-C.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::tz::TimeZone;
use tokio::sync::Notify;

use crate::cli::ListenArgs;
use crate::domain::duration;
use crate::domain::verification::LiveJudge;
use crate::error::{Outcome, UserError, io_reason};
use crate::io::capture_writer::{Captured, Recorder};
use crate::io::{files, http_server, stderr_queue, terminal};
use crate::render::capture::{self as render, End, Tally};

/// How long requests in flight may take to finish once the listener is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

pub fn run(args: &ListenArgs) -> anyhow::Result<Outcome> {
    let judge = LiveJudge {
        keys: super::verify::judging_keys(&args.judge)?,
        scheme: args.judge.scheme,
    };
    let sink = files::capture_sink(args.out.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(listen(args, judge, sink))
}

async fn listen(
    args: &ListenArgs,
    judge: LiveJudge,
    sink: Box<dyn std::io::Write + Send>,
) -> anyhow::Result<Outcome> {
    let address = SocketAddr::new(args.bind, args.port);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let expectation_met = Arc::new(Notify::new());
    let (stderr_lines, stderr_drained) = stderr_queue::start();
    let on_written = {
        let (tally, expectation_met, expect) =
            (tally.clone(), expectation_met.clone(), args.expect);
        let (time_zone, palette) = (TimeZone::system(), terminal::stderr_palette());
        let mut lines = String::new();
        let stderr = stderr_lines;
        move |batch: &[Captured]| {
            // One write for the whole batch: under load, a write per line would slow the writer.
            lines.clear();
            for captured in batch {
                let (record, failure) = (&captured.record, captured.failure.as_ref());
                lines.push_str(&render::request_line(
                    record,
                    captured.received_at,
                    failure,
                    &time_zone,
                    palette,
                ));
                lines.push('\n');
            }
            // Never blocks: a stderr nobody reads must not stop the captures.
            stderr.push(&lines);
            let mut tally = tally
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for captured in batch {
                if !captured.record.complete {
                    tally.incomplete += 1;
                    continue;
                }
                tally.requests += 1;
                match captured.record.verified {
                    Some(true) => tally.verified += 1,
                    Some(false) => tally.unverified += 1,
                    None => {}
                }
                tally.duplicates += u64::from(captured.record.duplicate);
                if expect == Some(tally.requests) {
                    expectation_met.notify_one();
                }
            }
        }
    };
    let (recorder, writer) = Recorder::start(sink, args.respond.clone(), judge, on_written);
    // A capture stream whose reader went away (`listen | head`) ends the run quietly.
    let sink_closed = Arc::new(Notify::new());
    let closed = sink_closed.clone();
    let server = http_server::serve(address, args.max_body, move |incoming| {
        let (recorder, closed) = (recorder.clone(), closed.clone());
        async move {
            recorder.record(incoming).await.unwrap_or_else(|error| {
                if error.kind() == std::io::ErrorKind::BrokenPipe {
                    closed.notify_one();
                } else {
                    terminal::warn(&format!(
                        "a request was answered 500: its capture could not be written ({})",
                        io_reason(&error)
                    ));
                }
                500
            })
        }
    })
    .await
    .map_err(|error| {
        UserError::new(format!(
            "cannot listen on {address} ({}), --bind/--port",
            io_reason(&error)
        ))
        .hint("`--port 0` picks a free port")
    })?;
    // Ctrl-C is handled from its first poll on: poll it once before announcing the address, so
    // that an interrupt sent as soon as the listener is up is never missed.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    std::future::poll_fn(|context| {
        let _ = interrupted.as_mut().poll(context);
        std::task::Poll::Ready(())
    })
    .await;
    terminal::stderr_line(&format!("listening on http://{}/", server.address()));

    if args.expect == Some(0) {
        expectation_met.notify_one();
    }
    let end = tokio::select! {
        () = expectation_met.notified() => Some(End::Expected),
        () = sleep_or_forever(args.timeout) => Some(End::TimedOut),
        _ = &mut interrupted => Some(End::Interrupted),
        () = sink_closed.notified() => None,
    };
    match tokio::time::timeout(SHUTDOWN_GRACE, server.stop()).await {
        Ok(stopped) => {
            stopped?;
            tokio::task::spawn_blocking(move || writer.finish()).await?;
            tokio::task::spawn_blocking(move || stderr_drained.finish(SHUTDOWN_GRACE)).await?;
        }
        // Unanswered requests were never acknowledged, so giving up on them loses nothing.
        Err(_) => terminal::warn(&format!(
            "requests still in flight after {} were left unanswered",
            duration::format(SHUTDOWN_GRACE)
        )),
    }

    let Some(end) = end else {
        return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into());
    };
    let tally = *tally
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    terminal::note(&render::summary(&tally, end, args.expect, args.timeout));
    Ok(match end {
        End::Interrupted => Outcome::Interrupted,
        End::TimedOut if args.expect.is_some() => Outcome::Negative,
        End::Expected | End::TimedOut => Outcome::from_ok(tally.unverified == 0),
    })
}

async fn sleep_or_forever(timeout: Option<Duration>) {
    match timeout {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}
