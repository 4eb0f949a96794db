//! Delivery over HTTP, and the one module that talks to reqwest. An attempt is one POST of the
//! exact signed bytes, with a per-attempt timeout and no redirect followed (providers do not
//! follow them). `deliver_all` runs a whole `send`: each event's attempts on its schedule,
//! several events in flight, every step reported to an [`Observer`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use jiff::{SignedDuration, Timestamp};
use tokio::task::JoinSet;

use crate::delivery_log::{AttemptRecord, EventOutcome};
use crate::message::Message;
use crate::request::WebhookRequest;
use crate::schedule::{Answer, Schedule, Step, Wait, retry_after_delay};
use crate::target::Target;

/// The longest piece of a response body kept to show on failure.
const BODY_EXCERPT_BYTES: usize = 512;
/// Response bytes read before giving up on reusing the connection.
const BODY_DRAIN_BYTES: usize = 64 * 1024;
/// What an attempt that outlived its timeout is reported as.
const TIMED_OUT: &str = "timed out";

/// An HTTP client for one target.
pub struct Sender {
    client: reqwest::Client,
    url: reqwest::Url,
    timeout: Duration,
}

/// A receiver's answer to one attempt.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub reason: Option<&'static str>,
    pub retry_after: Option<String>,
    /// Where a 3xx pointed (not followed).
    pub location: Option<String>,
    /// The first bytes of the body.
    pub body_excerpt: Vec<u8>,
    /// The body's length as far as it was read.
    pub body_len: usize,
}

/// One attempt: its answer, or why there was none.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub latency: Duration,
    pub answer: Result<Response, String>,
}

impl Sender {
    /// `timeout` bounds each attempt from connecting to the last body byte.
    pub fn new(target: &Target, timeout: Duration, connections: usize) -> anyhow::Result<Sender> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .pool_max_idle_per_host(connections)
            .user_agent(concat!("hooktool/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Sender {
            client,
            url: reqwest::Url::parse(target.url())?,
            timeout,
        })
    }

    pub async fn attempt(&self, request: WebhookRequest) -> AttemptResult {
        let started = Instant::now();
        // One timer on the stack around the whole exchange: reqwest's own boxes its timer and
        // wraps the response body in two more layers, per request.
        let answer = match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(answer) => answer.map_err(|error| describe(&error)),
            Err(_) => Err(TIMED_OUT.to_string()),
        };
        AttemptResult {
            latency: started.elapsed(),
            answer,
        }
    }

    async fn exchange(&self, request: WebhookRequest) -> Result<Response, reqwest::Error> {
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut builder = self.client.request(method, self.url.clone());
        // Owned values become header values and the body without a copy.
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        let mut response = builder.body(request.body).send().await?;
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        };
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let location = header(reqwest::header::LOCATION);
        let status = response.status();
        // Reading the body to its end lets the connection be reused; an answer counts only
        // once it is complete, which the timeout also covers.
        let mut body_excerpt = Vec::new();
        let mut read = 0;
        while read < BODY_DRAIN_BYTES
            && let Some(chunk) = response.chunk().await?
        {
            read += chunk.len();
            let room = BODY_EXCERPT_BYTES.saturating_sub(body_excerpt.len());
            body_excerpt.extend_from_slice(&chunk[..room.min(chunk.len())]);
        }
        Ok(Response {
            status: status.as_u16(),
            reason: status.canonical_reason(),
            retry_after,
            location,
            body_excerpt,
            body_len: read,
        })
    }
}

/// Why an attempt got no answer, in a few words: the innermost cause is the telling one
/// (`connection refused`, `connection reset by peer`).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return TIMED_OUT.to_string();
    }
    let mut innermost: &dyn std::error::Error = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let cause = match innermost.downcast_ref::<std::io::Error>() {
        Some(io) => crate::error::io_reason(io).to_lowercase(),
        None => innermost.to_string(),
    };
    if error.is_connect() && !cause.contains("connect") {
        format!("cannot connect: {cause}")
    } else {
        cause
    }
}

/// Hears about every step of a run; it prints and keeps the log.
pub trait Observer: Send + Sync {
    fn event_started(&self, index: u64, message: &Message);
    fn attempt_finished(
        &self,
        index: u64,
        record: AttemptRecord,
        result: &AttemptResult,
        step: Step,
    );
    fn waiting(&self, index: u64, wait: Wait);
    fn event_finished(&self, index: u64, outcome: EventOutcome, error: Option<String>);
}

/// Builds the message of each event of a run.
pub type MessageSource = dyn Fn(u64) -> Result<Message, String> + Send + Sync;

/// One `send` run.
pub struct Run {
    pub sender: Sender,
    pub schedule: Schedule,
    pub messages: Box<MessageSource>,
    pub count: u64,
    pub concurrency: usize,
    /// The time the first attempt is signed for; later attempts add the time elapsed since.
    pub signing_start: Timestamp,
}

/// Delivers every event of `run`, `run.concurrency` at a time. Dropping the future stops
/// everything in flight (Ctrl-C); the observer has seen every step until then.
pub async fn deliver_all(run: Arc<Run>, observer: Arc<dyn Observer>) {
    let next_index = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    let worker_count = (run.concurrency as u64).clamp(1, run.count.max(1));
    for _ in 0..worker_count {
        let run = Arc::clone(&run);
        let observer = Arc::clone(&observer);
        let next_index = Arc::clone(&next_index);
        workers.spawn(async move {
            loop {
                let index = next_index.fetch_add(1, Ordering::Relaxed);
                if index >= run.count {
                    break;
                }
                deliver_one(&run, observer.as_ref(), index, started).await;
            }
        });
    }
    while workers.join_next().await.is_some() {}
}

async fn deliver_one(run: &Run, observer: &dyn Observer, index: u64, started: Instant) {
    let message = match (run.messages)(index) {
        Ok(message) => message,
        Err(error) => {
            observer.event_finished(index, EventOutcome::NotComposed, Some(error));
            return;
        }
    };
    observer.event_started(index, &message);
    for n in 1.. {
        let elapsed = SignedDuration::try_from(started.elapsed()).unwrap_or(SignedDuration::ZERO);
        let at = run
            .signing_start
            .checked_add(elapsed)
            .unwrap_or(run.signing_start);
        // Each attempt is signed for its own time; body and event id never change.
        let request = message.request_at(at.as_second());
        let result = run.sender.attempt(request).await;
        let answer = match &result.answer {
            Ok(response) => Answer::Status {
                status: response.status,
                retry_after: response
                    .retry_after
                    .as_deref()
                    .and_then(|value| retry_after_delay(value, SystemTime::now())),
            },
            Err(_) => Answer::NoAnswer,
        };
        let step = run.schedule.next_step(n, answer);
        let wait = match step {
            Step::Retry(wait) => Some(wait),
            _ => None,
        };
        let record = AttemptRecord {
            n,
            at,
            status: result.answer.as_ref().ok().map(|response| response.status),
            error: result.answer.as_ref().err().cloned(),
            latency_ms: millis(result.latency),
            next_delay_ms: wait.map(|wait| millis(wait.scaled)),
            next_delay_unscaled_ms: wait.map(|wait| millis(wait.real)),
        };
        observer.attempt_finished(index, record, &result, step);
        let outcome = match step {
            Step::Retry(wait) => {
                observer.waiting(index, wait);
                tokio::time::sleep(wait.scaled).await;
                continue;
            }
            Step::Delivered => EventOutcome::Delivered,
            Step::PermanentFailure => EventOutcome::PermanentFailure,
            Step::RetriesExhausted => EventOutcome::RetriesExhausted,
        };
        observer.event_finished(index, outcome, None);
        return;
    }
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1_000_000.0).round() / 1000.0
}
