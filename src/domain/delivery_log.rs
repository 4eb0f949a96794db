//! What happened to the events of one `send` run: each attempt, each event's outcome, the run's
//! summary (rates, latency percentiles) and its JSON report. Pure data, no I/O.

use std::time::Duration;

use jiff::Timestamp;
use serde::{Serialize, Serializer};
use serde_json::Value;

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

/// The longest piece of a response body kept to show on failure.
const BODY_EXCERPT_BYTES: usize = 512;

impl Response {
    /// Counts the next `data` of the body, keeping it while the excerpt has room.
    pub fn take_body(&mut self, data: &[u8]) {
        self.body_len += data.len();
        let room = BODY_EXCERPT_BYTES.saturating_sub(self.body_excerpt.len());
        self.body_excerpt
            .extend_from_slice(&data[..room.min(data.len())]);
    }
}

/// One attempt: its answer, or why there was none.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub latency: Duration,
    pub answer: Result<Response, String>,
}

/// One attempt of one event, as reported by `--json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptRecord {
    /// 1-based attempt number.
    pub n: usize,
    /// When the attempt started (RFC 3339); also the time it was signed for.
    #[serde(serialize_with = "rfc3339")]
    pub at: Timestamp,
    /// The answer's status; `null` when there was none.
    pub status: Option<u16>,
    /// Why there was no answer (connection refused, timed out...); `null` otherwise.
    pub error: Option<String>,
    pub latency_ms: f64,
    /// The wait before the next attempt as actually waited (scaled); `null` when none follows.
    pub next_delay_ms: Option<f64>,
    /// The same wait as the provider would wait it, before `--time-scale`.
    pub next_delay_unscaled_ms: Option<f64>,
}

/// Kept as a timestamp so that each attempt costs no text until the report is written.
fn rfc3339<S: Serializer>(at: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(at)
}

/// How an event's delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventOutcome {
    Delivered,
    /// A status the provider never retries.
    PermanentFailure,
    /// The last attempt of the curve failed.
    RetriesExhausted,
    /// The event could not be built (e.g. a `--set` path missing from this sample).
    NotComposed,
    /// Ctrl-C arrived before the event's delivery ended.
    Interrupted,
}

impl EventOutcome {
    pub fn is_delivered(self) -> bool {
        self == EventOutcome::Delivered
    }
}

/// One event's delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    /// 0-based position in the run.
    pub index: u64,
    /// The provider's event id, identical on every attempt (Cativa `X-Cativa-Execution-Id`).
    pub event_id: Option<String>,
    pub outcome: EventOutcome,
    /// Why the event was not composed, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub attempts: Vec<AttemptRecord>,
}

/// How many of the last events started [`DeliveryLog`] looks among first.
const RECENT_EVENTS: usize = 64;

/// The run's events as they progress; unfinished events end as `Interrupted`.
#[derive(Debug, Default)]
pub struct DeliveryLog {
    /// In event order. Events start in about that order, so each new one is placed at the end
    /// or a few places before it, and found again by a binary search of a contiguous list.
    events: Vec<EventReport>,
}

impl DeliveryLog {
    /// A log with room for `events` before it grows.
    pub fn with_capacity(events: usize) -> DeliveryLog {
        DeliveryLog {
            events: Vec::with_capacity(events),
        }
    }

    pub fn start(&mut self, index: u64, event_id: Option<String>) {
        let report = EventReport {
            event_id,
            // Most events are delivered at their first attempt: room for one, not the four a
            // first push would make.
            attempts: Vec::with_capacity(1),
            ..unstarted(index)
        };
        match self.position(index) {
            Ok(at) => self.events[at] = report,
            Err(at) => self.events.insert(at, report),
        }
    }

    /// One log of the events of `parts`, each kept by one of them.
    pub fn gather(parts: impl Iterator<Item = DeliveryLog>) -> DeliveryLog {
        let mut events: Vec<EventReport> = parts.flat_map(|part| part.events).collect();
        events.sort_unstable_by_key(|event| event.index);
        DeliveryLog { events }
    }

    pub fn record(&mut self, index: u64, attempt: AttemptRecord) {
        if let Ok(at) = self.position(index) {
            self.events[at].attempts.push(attempt);
        }
    }

    pub fn finish(&mut self, index: u64, outcome: EventOutcome, error: Option<String>) {
        let at = match self.position(index) {
            Ok(at) => at,
            Err(at) => {
                self.events.insert(at, unstarted(index));
                at
            }
        };
        let event = &mut self.events[at];
        event.outcome = outcome;
        event.error = error;
    }

    /// Records every planned event that never started as interrupted, so that a report
    /// accounts for each event asked for.
    pub fn mark_unstarted(&mut self, planned: u64) {
        let started = std::mem::take(&mut self.events);
        let mut started = started.into_iter().peekable();
        for index in 0..planned {
            match started.next_if(|event| event.index == index) {
                Some(event) => self.events.push(event),
                None => self.events.push(unstarted(index)),
            }
        }
        self.events.extend(started);
    }

    /// The reports in event order.
    pub fn reports(&self) -> impl Iterator<Item = &EventReport> {
        self.events.iter()
    }

    /// Where event `index` is, or would be placed. The events a run is busy with are the last
    /// few started, so those are looked at first: a search of the whole list would touch memory
    /// that thousands of finished events have pushed out of the cache.
    fn position(&self, index: u64) -> Result<usize, usize> {
        let recent = self.events.len().saturating_sub(RECENT_EVENTS);
        match self.events.get(recent) {
            Some(first_recent) if first_recent.index <= index => self.events[recent..]
                .binary_search_by_key(&index, |event| event.index)
                .map(|at| recent + at)
                .map_err(|at| recent + at),
            _ => self.events[..recent].binary_search_by_key(&index, |event| event.index),
        }
    }

    pub fn summarize(&self, planned: u64, elapsed: Duration) -> Summary {
        let mut latencies: Vec<f64> = self
            .reports()
            .flat_map(|event| event.attempts.iter().map(|attempt| attempt.latency_ms))
            .collect();
        latencies.sort_by(f64::total_cmp);
        let count = |wanted: fn(EventOutcome) -> bool| {
            self.reports().filter(|event| wanted(event.outcome)).count() as u64
        };
        let seconds = elapsed.as_secs_f64();
        Summary {
            planned,
            delivered: count(EventOutcome::is_delivered),
            failed: count(|outcome| {
                matches!(
                    outcome,
                    EventOutcome::PermanentFailure
                        | EventOutcome::RetriesExhausted
                        | EventOutcome::NotComposed
                )
            }),
            requests: latencies.len() as u64,
            elapsed_ms: seconds * 1000.0,
            requests_per_second: if seconds > 0.0 {
                latencies.len() as f64 / seconds
            } else {
                0.0
            },
            latency_p50_ms: percentile(&latencies, 50.0),
            latency_p90_ms: percentile(&latencies, 90.0),
            latency_p99_ms: percentile(&latencies, 99.0),
        }
    }

    /// The `--json` report: the run's settings, summary, outcome and every event's attempts.
    pub fn report<'a>(&'a self, run: Value, summary: &'a Summary, outcome: &'a str) -> Report<'a> {
        Report {
            run,
            outcome,
            summary,
            events: self.reports().collect(),
        }
    }
}

/// An event that never started, as it ends when the run is interrupted.
fn unstarted(index: u64) -> EventReport {
    EventReport {
        index,
        event_id: None,
        outcome: EventOutcome::Interrupted,
        error: None,
        attempts: Vec::new(),
    }
}

/// The `--json` report, serialized straight from the log: a run has thousands of attempts.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    run: Value,
    outcome: &'a str,
    summary: &'a Summary,
    events: Vec<&'a EventReport>,
}

/// The run in numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub planned: u64,
    pub delivered: u64,
    pub failed: u64,
    /// Attempts made, across all events.
    pub requests: u64,
    pub elapsed_ms: f64,
    pub requests_per_second: f64,
    pub latency_p50_ms: Option<f64>,
    pub latency_p90_ms: Option<f64>,
    pub latency_p99_ms: Option<f64>,
}

impl Summary {
    /// Events that neither were delivered nor failed: stopped by Ctrl-C or never started.
    pub fn unfinished(&self) -> u64 {
        self.planned - self.delivered - self.failed
    }
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], percent: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attempt(n: usize, latency_ms: f64) -> AttemptRecord {
        AttemptRecord {
            n,
            at: "2024-01-01T00:00:00.25Z".parse().unwrap(),
            status: Some(500),
            error: None,
            latency_ms,
            next_delay_ms: None,
            next_delay_unscaled_ms: None,
        }
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), Some(50.0));
        assert_eq!(percentile(&values, 99.0), Some(99.0));
        assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn unfinished_events_count_as_interrupted_not_failed() {
        let mut log = DeliveryLog::default();
        log.start(0, Some("a".into()));
        log.record(0, attempt(1, 2.0));
        log.finish(0, EventOutcome::Delivered, None);
        log.start(1, Some("b".into()));
        log.record(1, attempt(1, 4.0));
        log.record(1, attempt(2, 6.0));
        log.finish(1, EventOutcome::RetriesExhausted, None);
        log.start(2, None);
        log.record(2, attempt(1, 8.0));
        let summary = log.summarize(4, Duration::from_secs(2));
        assert_eq!((summary.delivered, summary.failed), (1, 1));
        assert_eq!(summary.unfinished(), 2);
        assert_eq!(summary.requests, 4);
        assert_eq!(summary.requests_per_second, 2.0);
        assert_eq!(summary.latency_p50_ms, Some(4.0));
        let report = serde_json::to_value(log.report(json!({}), &summary, "interrupted")).unwrap();
        assert_eq!(report["events"][2]["outcome"], "interrupted");
        assert_eq!(report["events"][1]["attempts"][1]["n"], 2);
        assert_eq!(
            report["events"][1]["attempts"][1]["at"],
            "2024-01-01T00:00:00.25Z"
        );
        assert_eq!(report["summary"]["delivered"], 1);
    }

    #[test]
    fn events_are_reported_in_order_however_their_steps_arrive() {
        // Two threads' events, each kept in the part of the log its index falls in.
        let mut parts = [DeliveryLog::default(), DeliveryLog::default()];
        for index in [1, 0, 3, 2, 5, 7, 6, 4, 9, 8] {
            parts[index as usize % 2].start(index, Some(format!("id{index}")));
        }
        for index in [7, 0, 9, 2, 1, 3, 8, 4, 6, 5] {
            let part = &mut parts[index as usize % 2];
            part.record(index, attempt(1, index as f64));
            part.finish(index, EventOutcome::Delivered, None);
        }
        // Finished without having started: a step the log heard of only at the end.
        parts[0].finish(12, EventOutcome::NotComposed, Some("no field `X`".into()));
        let mut log = DeliveryLog::gather(parts.into_iter());
        log.mark_unstarted(14);
        let reports: Vec<_> = log.reports().collect();
        let indices: Vec<u64> = reports.iter().map(|report| report.index).collect();
        assert_eq!(indices, (0..14).collect::<Vec<_>>());
        for report in &reports[..10] {
            assert_eq!(report.event_id, Some(format!("id{}", report.index)));
            assert_eq!(report.attempts.len(), 1);
            assert_eq!(report.attempts[0].latency_ms, report.index as f64);
            assert_eq!(report.outcome, EventOutcome::Delivered);
        }
        let outcomes: Vec<_> = reports[10..].iter().map(|report| report.outcome).collect();
        assert_eq!(
            outcomes,
            [
                EventOutcome::Interrupted,
                EventOutcome::Interrupted,
                EventOutcome::NotComposed,
                EventOutcome::Interrupted
            ]
        );
    }

    #[test]
    fn old_events_are_found_as_well_as_recent_ones() {
        let mut log = DeliveryLog::default();
        // Started nearly in order, as threads take indices from one counter.
        for pair in (0..300).step_by(2) {
            log.start(pair + 1, None);
            log.start(pair, None);
        }
        // Steps for events long started (retries) and recent ones, in a scattered order.
        for step in 0..300 {
            let index = step * 37 % 300;
            log.record(index, attempt(1, index as f64));
            log.finish(index, EventOutcome::Delivered, None);
        }
        log.finish(150, EventOutcome::RetriesExhausted, None);
        let reports: Vec<_> = log.reports().collect();
        assert_eq!(reports.len(), 300);
        for (position, report) in reports.iter().enumerate() {
            assert_eq!(report.index, position as u64);
            assert_eq!(report.attempts.len(), 1, "{position}");
            assert_eq!(report.attempts[0].latency_ms, position as f64);
        }
        assert_eq!(reports[150].outcome, EventOutcome::RetriesExhausted);
    }

    #[test]
    fn an_interrupted_run_lists_the_events_it_never_started() {
        let mut log = DeliveryLog::default();
        log.start(0, Some("a".into()));
        log.record(0, attempt(1, 2.0));
        log.mark_unstarted(3);
        let outcomes: Vec<_> = log
            .reports()
            .map(|event| (event.index, event.outcome, event.attempts.len()))
            .collect();
        assert_eq!(
            outcomes,
            [
                (0, EventOutcome::Interrupted, 1),
                (1, EventOutcome::Interrupted, 0),
                (2, EventOutcome::Interrupted, 0)
            ]
        );
    }

    #[test]
    fn events_that_cannot_be_composed_are_failures_with_their_reason() {
        let mut log = DeliveryLog::default();
        log.finish(
            3,
            EventOutcome::NotComposed,
            Some("no field `X`".to_string()),
        );
        let summary = log.summarize(1, Duration::from_secs(1));
        assert_eq!(summary.failed, 1);
        let report = serde_json::to_value(log.report(json!({}), &summary, "failed")).unwrap();
        assert_eq!(report["events"][0]["error"], "no field `X`");
    }
}
