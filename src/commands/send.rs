//! `hooktool send`: checks the flags, builds the schedule and the messages, runs the delivery
//! on a tokio runtime, and prints one line per attempt (stderr) and the report (stdout).

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use jiff::tz::TimeZone;
use serde_json::json;

use crate::cli::SendArgs;
use crate::cli::exit::{Outcome, UserError};
use crate::commands::compose::Composer;
use crate::domain::catalogue::Basis;
use crate::domain::delivery_log::{AttemptRecord, DeliveryLog, EventOutcome, Summary};
use crate::domain::duration;
use crate::domain::message::Message;
use crate::domain::schedule::{Curve, Schedule, Step, Wait};
use crate::domain::target::Target;
use crate::io::delivery::{self, AttemptResult, Observer, Run, Sender};
use crate::io::terminal::{self, style};

/// Response body characters shown under a failed attempt.
const BODY_SHOWN_CHARS: usize = 200;
/// Off a terminal, attempt lines gather up to this many bytes before one write to stderr.
const GATHERED_LINES_BYTES: usize = 64 * 1024;

pub fn run(args: &SendArgs) -> anyhow::Result<Outcome> {
    let target =
        Target::parse(&args.to).map_err(|error| UserError::new(format!("{error}, --to")))?;
    if !target.is_loopback() && !args.allow_remote {
        return Err(UserError::new(format!("{target} is not on this machine, --to"))
            .hint("hooktool sends sample data and refuses other hosts so that it never reaches a production system by accident")
            .hint("pass --allow-remote to send there anyway")
            .into());
    }
    let curve = args
        .retry
        .as_deref()
        .map(Curve::parse)
        .transpose()
        .map_err(|error| UserError::new(format!("{error}, --retry")))?;
    let timeout = args
        .timeout
        .as_deref()
        .map(duration::parse)
        .transpose()
        .map_err(|error| UserError::new(format!("{error}, --timeout")))?;
    if args.count == 0 {
        return Err(UserError::new("0 events is nothing to send, --count").into());
    }
    if args.concurrency == Some(0) {
        return Err(UserError::new("0 events in flight would send nothing, --concurrency").into());
    }

    let composer = Composer::from_args(&args.compose)?;
    let event = composer.event;
    let schedule = Schedule::new(
        curve.unwrap_or(Curve::Provider(event.provider)),
        event.provider,
        args.time_scale,
        timeout,
    )
    .map_err(|error| UserError::new(error.to_string()))?;
    let concurrency = args
        .concurrency
        .or(schedule.rules().concurrency.map(|fact| fact.value))
        .unwrap_or(1);
    let sender = Sender::new(&target, schedule.attempt_timeout)?;
    let first = composer.message(0)?;
    composer.announce();
    composer.warn_about_schema(&first);

    terminal::note(&format!(
        "sending {} ({}) to {target}",
        event.name,
        event.provider.display_name()
    ));
    terminal::note(&describe_rules(&schedule));
    if args.count > 1 {
        terminal::note(&format!("{} events, {concurrency} in flight", args.count));
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
    let console = Arc::new(Console::new(&schedule, args.count));
    let signing_start = composer.now;
    let run = Arc::new(Run {
        sender,
        schedule,
        messages: Box::new(move |index| composer.message(index).map_err(|error| error.message)),
        count: args.count,
        concurrency,
        signing_start,
    });

    let runtime = delivery::runtime(first.signing_is_costly())?;
    let started = Instant::now();
    let observer: Arc<dyn Observer> = console.clone();
    let interrupted = runtime.block_on(async {
        tokio::select! {
            () = delivery::deliver_all(run, observer) => false,
            () = ctrl_c() => true,
        }
    });
    let elapsed = started.elapsed();
    runtime.shutdown_background();
    console.finish();

    let log = console
        .log
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let summary = log.summarize(args.count, elapsed);
    let outcome = if interrupted {
        Outcome::Interrupted
    } else {
        Outcome::from_ok(summary.delivered == args.count)
    };
    if interrupted {
        terminal::warn("interrupted: stopped every delivery in flight");
    }
    if args.count == 1 && !interrupted {
        print_event_outcome(&log, console.max_attempts);
    } else {
        print_summary(&summary);
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

/// The schedule and rules in one line, assumed facts labelled as such.
fn describe_rules(schedule: &Schedule) -> String {
    let rules = schedule.rules();
    let assumed = |basis: Basis| if basis.is_assumed() { " (assumed)" } else { "" };
    let permanent = rules.permanent_statuses.value;
    let permanent = if permanent.is_empty() {
        "none".to_string()
    } else {
        permanent
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "retry {}{}; success: {}; permanent: {permanent}{}; Retry-After: {}{}; timeout {}{}",
        schedule.describe(),
        if schedule.curve_name == schedule.rules_of.id() {
            assumed(rules.retry_delays.basis)
        } else {
            ""
        },
        rules.success.value.label(),
        assumed(rules.permanent_statuses.basis),
        rules.retry_after.value.label(),
        assumed(rules.retry_after.basis),
        duration::format(schedule.attempt_timeout),
        if schedule.attempt_timeout == rules.attempt_timeout.value {
            assumed(rules.attempt_timeout.basis)
        } else {
            ""
        },
    )
}

/// Prints attempts as they happen, draws the progress bars, and keeps the log.
struct Console {
    log: Mutex<DeliveryLog>,
    max_attempts: usize,
    scaled: bool,
    /// Several events: lines name their event, and a bar counts deliveries.
    several: bool,
    delivered_bar: ProgressBar,
    countdown: Mutex<Option<ProgressBar>>,
    /// A countdown is shown between attempts: one event, on a terminal.
    counts_down: bool,
    time_zone: TimeZone,
    /// Lines not yet written, off a terminal only: thousands of attempts a second would
    /// otherwise cost a system call each. On a terminal every line is written at once.
    gathered: Option<Mutex<String>>,
}

impl Console {
    fn new(schedule: &Schedule, count: u64) -> Console {
        let several = count > 1;
        let delivered_bar = if several {
            terminal::progress_bar(
                count,
                "{bar:40} {pos}/{len} delivered  {per_sec}  {elapsed_precise}",
            )
        } else {
            ProgressBar::hidden()
        };
        Console {
            log: Mutex::new(DeliveryLog::default()),
            max_attempts: schedule.max_attempts(),
            scaled: schedule.time_scale != 1.0,
            several,
            delivered_bar,
            countdown: Mutex::new(None),
            counts_down: !several && terminal::stderr_is_terminal(),
            time_zone: TimeZone::system(),
            gathered: (!terminal::stderr_is_terminal())
                .then(|| Mutex::new(String::with_capacity(GATHERED_LINES_BYTES))),
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, DeliveryLog> {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Prints `line` and a newline on stderr, above the progress bar.
    fn print(&self, line: &str) {
        let Some(gathered) = &self.gathered else {
            let mut bytes = String::with_capacity(line.len() + 1);
            bytes.push_str(line);
            bytes.push('\n');
            self.delivered_bar
                .suspend(|| write_stderr(bytes.as_bytes()));
            return;
        };
        let mut gathered = gathered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        gathered.push_str(line);
        gathered.push('\n');
        if gathered.len() >= GATHERED_LINES_BYTES {
            write_stderr(gathered.as_bytes());
            gathered.clear();
        }
    }

    /// Writes the lines gathered so far.
    fn flush(&self) {
        if let Some(gathered) = &self.gathered {
            let mut gathered = gathered
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            write_stderr(gathered.as_bytes());
            gathered.clear();
        }
    }

    fn clear_countdown(&self) {
        if !self.counts_down {
            return;
        }
        let bar = self
            .countdown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    }

    /// Ends the bars and writes every line still gathered.
    fn finish(&self) {
        self.clear_countdown();
        self.delivered_bar.finish_and_clear();
        self.flush();
    }

    fn attempt_line(
        &self,
        index: u64,
        record: &AttemptRecord,
        result: &AttemptResult,
        step: Step,
    ) -> String {
        let mut line = String::with_capacity(128);
        let mut scratch = String::with_capacity(64);
        if self.several {
            let _ = write!(line, "event {} ", index + 1);
        }
        let _ = write!(line, "attempt {}/{}  ", record.n, self.max_attempts);
        let time = self.time_zone.to_offset(record.at).to_datetime(record.at);
        let _ = write!(
            scratch,
            "{:02}:{:02}:{:02}.{:03}",
            time.hour(),
            time.minute(),
            time.second(),
            time.millisecond()
        );
        style::push(&mut line, &scratch, style::dim);
        line.push_str("  ");
        scratch.clear();
        let paint = if step == Step::Delivered {
            style::good
        } else {
            style::bad
        };
        match &result.answer {
            Ok(response) => {
                let _ = write!(scratch, "{}", response.status);
                if let Some(reason) = response.reason {
                    scratch.push(' ');
                    scratch.push_str(reason);
                }
                if let Some(location) = &response.location
                    && (300..400).contains(&response.status)
                {
                    let _ = write!(scratch, " → {location} (redirect not followed)");
                }
                style::push(&mut line, &scratch, paint);
            }
            Err(error) => style::push(&mut line, error, style::bad),
        }
        line.push_str("  ");
        scratch.clear();
        let _ = write!(scratch, "{:.1} ms", record.latency_ms);
        style::push(&mut line, &scratch, style::dim);
        line.push_str("  → ");
        match step {
            Step::Delivered => style::push(&mut line, "delivered", style::good),
            Step::PermanentFailure => {
                style::push(&mut line, "permanent failure, not retried", style::bad)
            }
            Step::RetriesExhausted => style::push(&mut line, "no retries left", style::bad),
            Step::Retry(wait) => {
                let _ = write!(line, "{}", self.describe_wait(wait));
            }
        }
        line
    }

    fn describe_wait(&self, wait: Wait) -> String {
        let mut text = format!("retry in {}", duration::format(wait.real));
        if wait.shortened_by_retry_after {
            text.push_str(" (Retry-After)");
        }
        if self.scaled {
            text.push_str(&format!(", scaled to {}", duration::format(wait.scaled)));
        }
        style::caution(&text).to_string()
    }
}

impl Observer for Console {
    fn event_started(&self, index: u64, message: &Message) {
        self.log().start(index, message.event_id.clone());
    }

    fn attempt_finished(
        &self,
        index: u64,
        record: AttemptRecord,
        result: &AttemptResult,
        step: Step,
    ) {
        self.clear_countdown();
        self.print(&self.attempt_line(index, &record, result, step));
        if let Ok(response) = &result.answer
            && step != Step::Delivered
            && !response.body_excerpt.is_empty()
        {
            self.print(&format!(
                "    response: {}",
                style::dim(&excerpt(&response.body_excerpt, response.body_len))
            ));
        }
        self.log().record(index, record);
    }

    fn waiting(&self, _index: u64, wait: Wait) {
        // The attempt just printed should be readable while the next one is awaited.
        self.flush();
        if !self.counts_down || wait.scaled.is_zero() {
            return;
        }
        let total_ms = wait.scaled.as_millis() as u64;
        let bar = terminal::progress_bar(total_ms, "  next attempt in {msg} {bar:30}");
        *self
            .countdown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(bar.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            while !bar.is_finished() {
                let elapsed = started.elapsed();
                if elapsed >= wait.scaled {
                    break;
                }
                let left = wait.scaled - elapsed;
                bar.set_position(elapsed.as_millis() as u64);
                bar.set_message(duration::format(Duration::from_secs(left.as_secs() + 1)));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
    }

    fn event_finished(&self, index: u64, outcome: EventOutcome, error: Option<String>) {
        if let Some(error) = &error {
            self.print(&format!("event {}: {}", index + 1, style::bad(error)));
        }
        if outcome.is_delivered() {
            self.delivered_bar.inc(1);
        }
        self.log().finish(index, outcome, error);
    }
}

/// Writes to stderr in one call; a closed stderr loses the lines, never the run.
fn write_stderr(bytes: &[u8]) {
    let _ = std::io::stderr().write_all(bytes);
}

/// A response body on one line, cut to a readable length.
fn excerpt(body: &[u8], full_len: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut shown: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(BODY_SHOWN_CHARS)
        .collect();
    if text.chars().count() > BODY_SHOWN_CHARS || full_len > body.len() {
        shown.push('…');
    }
    shown
}

fn print_event_outcome(log: &DeliveryLog, max_attempts: usize) {
    let Some(report) = log.reports().next() else {
        return;
    };
    let attempts = report.attempts.len();
    let plural = if attempts == 1 { "" } else { "s" };
    let id = report
        .event_id
        .as_deref()
        .map(|id| format!(", event id {id}"))
        .unwrap_or_default();
    let line = match report.outcome {
        EventOutcome::Delivered => format!(
            "{} after {attempts} attempt{plural}{id}",
            style::good("delivered")
        ),
        EventOutcome::PermanentFailure => format!(
            "{}: a permanent failure after {attempts} attempt{plural}{id}",
            style::bad("failed")
        ),
        EventOutcome::RetriesExhausted => format!(
            "{}: no success in {attempts} of {max_attempts} attempts{id}",
            style::bad("failed")
        ),
        EventOutcome::NotComposed | EventOutcome::Interrupted => {
            format!("{}{id}", style::bad("not delivered"))
        }
    };
    eprintln!("{line}");
}

fn print_summary(summary: &Summary) {
    let latency = |value: Option<f64>| value.map_or("-".to_string(), |ms| format!("{ms:.1} ms"));
    let unfinished = summary.unfinished();
    eprintln!(
        "{} {} of {}, {} {}{}; {} requests in {:.2} s, {:.0} req/s; latency p50 {}, p90 {}, p99 {}",
        style::good("delivered"),
        summary.delivered,
        summary.planned,
        style::bad("failed"),
        summary.failed,
        if unfinished > 0 {
            format!(", {unfinished} not finished")
        } else {
            String::new()
        },
        summary.requests,
        summary.elapsed_ms / 1000.0,
        summary.requests_per_second,
        latency(summary.latency_p50_ms),
        latency(summary.latency_p90_ms),
        latency(summary.latency_p99_ms),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_excerpts_are_one_line_and_cut() {
        assert_eq!(
            excerpt(b"{\"error\":\n\"down\"}", 17),
            "{\"error\": \"down\"}"
        );
        let long = vec![b'x'; 600];
        let shown = excerpt(&long, 600);
        assert_eq!(shown.chars().count(), BODY_SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
