//! `hooktool listen`: a local receiver that captures every request before answering it, verifies
//! it live, and ends on `--expect`, `--timeout` or Ctrl-C.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::tz::TimeZone;
use tokio::sync::Notify;

use crate::cli::ListenArgs;
use crate::domain::duration;
use crate::domain::verification::LiveJudge;
use crate::error::{
    DESCRIPTOR_HINT, Outcome, UserError, io_reason, out_of_descriptors, runtime_unavailable,
};
use crate::io::capture_writer::{Captured, Recorder};
use crate::io::stderr_queue::{self, StderrLines};
use crate::io::{allocator, files, http_server, terminal};
use crate::render::capture::{self as render, End, Tally};

/// How long requests in flight may take to finish once the listener is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

pub fn run(args: &ListenArgs) -> anyhow::Result<Outcome> {
    let judge = LiveJudge {
        keys: super::verify::judging_keys(&args.judge)?,
        scheme: super::verify::judging_scheme(&args.judge)?,
    };
    let sink = files::capture_sink(args.out.as_deref())?;
    allocator::begin_long_run();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(runtime_unavailable)?;
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
    // Every line from here on goes through the queue: a stderr nobody reads must hold up
    // neither the captures nor the end of the run.
    let (stderr, stderr_drained) = stderr_queue::start();
    let on_written = {
        let (tally, expectation_met, expect) =
            (tally.clone(), expectation_met.clone(), args.expect);
        let (time_zone, palette) = (TimeZone::system(), terminal::stderr_palette());
        let mut lines = String::new();
        let stderr = stderr.clone();
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
            stderr.push(&lines);
            let mut tally = tally
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for captured in batch {
                if captured.record.refused.is_some() {
                    tally.refused += 1;
                    continue;
                }
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
    let receiver = Arc::new(Listening {
        recorder,
        stderr: stderr.clone(),
        sink_closed: sink_closed.clone(),
        accept_failure_told: AtomicBool::new(false),
    });
    let bound = http_server::bind(address).await.map_err(|error| {
        let failed = UserError::new(format!(
            "cannot listen on {address} ({}), --bind/--port",
            io_reason(&error)
        ));
        if out_of_descriptors(&error) {
            failed.hint(DESCRIPTOR_HINT)
        } else {
            failed.hint("`--port 0` picks a free port")
        }
    })?;
    // Ctrl-C is handled from its first poll on: poll it once before announcing the address, so
    // that an interrupt sent as soon as the listener is up is never missed.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    std::future::poll_fn(|context| {
        let _ = interrupted.as_mut().poll(context);
        std::task::Poll::Ready(())
    })
    .await;
    // Announced before the first connection is accepted: it is always the first line.
    stderr.push(&format!("listening on http://{}/\n", bound.address()));
    drop(stderr);
    let server = bound.serve(args.max_body, receiver);

    if args.expect == Some(0) {
        expectation_met.notify_one();
    }
    let end = tokio::select! {
        () = expectation_met.notified() => Some(End::Expected),
        () = sleep_or_forever(args.timeout) => Some(End::TimedOut),
        _ = &mut interrupted => Some(End::Interrupted),
        () = sink_closed.notified() => None,
    };
    let mut last_lines = String::new();
    match tokio::time::timeout(SHUTDOWN_GRACE, server.stop()).await {
        Ok(stopped) => {
            stopped?;
            // The server and every handler are gone, and the recorders with them.
            tokio::task::spawn_blocking(move || writer.finish()).await?;
        }
        // Unanswered requests were never acknowledged, so giving up on them loses nothing.
        Err(_) => last_lines.push_str(&terminal::warning_line(&format!(
            "requests still in flight after {} were left unanswered",
            duration::format(SHUTDOWN_GRACE)
        ))),
    }
    let tally = *tally
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(end) = end {
        last_lines.push_str(&terminal::note_line(&render::summary(
            &tally,
            end,
            args.expect,
            args.timeout,
        )));
    }
    // Never blocks for long: the summary is given up on when stderr is not being read.
    tokio::task::spawn_blocking(move || stderr_drained.finish(last_lines, SHUTDOWN_GRACE)).await?;

    let Some(end) = end else {
        return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into());
    };
    Ok(match end {
        End::Interrupted => Outcome::Interrupted,
        End::TimedOut if args.expect.is_some() => Outcome::Negative,
        End::Expected | End::TimedOut => Outcome::from_ok(tally.unverified == 0),
    })
}

/// What the server hands each request, refusal and accept failure to.
struct Listening {
    recorder: Recorder,
    stderr: StderrLines,
    sink_closed: Arc<Notify>,
    /// Accept failures are said once: under a descriptor shortage they repeat until it ends.
    accept_failure_told: AtomicBool,
}

impl Listening {
    fn capture_failed(&self, error: &std::io::Error, consequence: &str) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            self.sink_closed.notify_one();
        } else {
            self.stderr.push(&terminal::warning_line(&format!(
                "{consequence}: its capture could not be written ({})",
                io_reason(error)
            )));
        }
    }
}

impl http_server::Receiver for Listening {
    async fn request(&self, incoming: http_server::Incoming) -> u16 {
        self.recorder
            .record(incoming)
            .await
            .unwrap_or_else(|error| {
                self.capture_failed(&error, "a request was answered 500");
                500
            })
    }

    async fn refused(&self, refusal: http_server::Refusal) {
        if let Err(error) = self.recorder.refused(refusal).await {
            self.capture_failed(&error, "a refused request went unrecorded");
        }
    }

    fn accept_failed(&self, address: SocketAddr, error: &std::io::Error) {
        if self.accept_failure_told.swap(true, Ordering::Relaxed) {
            return;
        }
        let mut message = format!(
            "cannot accept connections on {address} ({}): still listening, accepting again as \
             connections close",
            io_reason(error)
        );
        if out_of_descriptors(error) {
            message.push_str(&format!("; {DESCRIPTOR_HINT}"));
        }
        self.stderr.push(&terminal::warning_line(&message));
    }
}

async fn sleep_or_forever(timeout: Option<Duration>) {
    match timeout {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}
