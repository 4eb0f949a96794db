//! What `send` and the demo tell people about deliveries: the rules a run follows, one line per
//! attempt, a failed answer's body, each event's outcome, and a run's summary.

use std::fmt::Write as _;

use jiff::tz::TimeZone;

use crate::domain::catalogue::Basis;
use crate::domain::delivery_log::{
    AttemptRecord, AttemptResult, EventOutcome, EventReport, Summary,
};
use crate::domain::duration;
use crate::domain::schedule::{Schedule, Step, Wait};
use crate::render::catalogue::retry_after_rule;
use crate::render::style::Palette;

/// Response body characters shown under a failed attempt.
const BODY_SHOWN_CHARS: usize = 200;

/// The schedule and rules in one line, assumed facts labelled as such.
pub fn rules_line(schedule: &Schedule) -> String {
    let rules = schedule.rules();
    let assumed = |basis: Basis| if basis.is_assumed() { " (assumed)" } else { "" };
    let permanent = &rules.permanent_statuses.value;
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
        "retry {}{}; success: {}; permanent: {permanent}{}; Retry-After: {}; timeout {}{}",
        schedule.describe(),
        if schedule.curve_name == schedule.rules_of.id() {
            assumed(rules.retry_delays.basis)
        } else {
            ""
        },
        rules.success.value.label(),
        assumed(rules.permanent_statuses.basis),
        retry_after_rule(&rules.retry_after),
        duration::format(schedule.attempt_timeout),
        if schedule.attempt_timeout == rules.attempt_timeout.value {
            assumed(rules.attempt_timeout.basis)
        } else {
            ""
        },
    )
}

/// How attempt lines are written for one run.
pub struct AttemptLines {
    pub max_attempts: usize,
    /// Delays are shown both as the provider waits them and as scaled.
    pub scaled: bool,
    /// Several events: each line names its event.
    pub several: bool,
    pub time_zone: TimeZone,
    pub palette: Palette,
}

impl AttemptLines {
    /// `attempt 2/7  14:03:11.250  503 Service Unavailable  1.2 ms  → retry in 5m, scaled to 300ms`,
    /// and under a failed attempt the line showing what the receiver answered, when it said
    /// anything; appended to `out`, without a final newline. `send` writes one for each of
    /// thousands of attempts a second, so nothing is put together twice.
    pub fn push_attempt(
        &self,
        out: &mut String,
        index: u64,
        record: &AttemptRecord,
        result: &AttemptResult,
        step: Step,
    ) {
        let mut digits = itoa::Buffer::new();
        if self.several {
            out.push_str("event ");
            out.push_str(digits.format(index + 1));
            out.push(' ');
        }
        out.push_str("attempt ");
        out.push_str(digits.format(record.n));
        out.push('/');
        out.push_str(digits.format(self.max_attempts));
        out.push_str("  ");
        self.palette.push_written(out, Palette::dim, |out| {
            super::push_clock_time(out, record.at, &self.time_zone);
        });
        out.push_str("  ");
        let paint = if step == Step::Delivered {
            Palette::good
        } else {
            Palette::bad
        };
        match &result.answer {
            Ok(response) => self.palette.push_written(out, paint, |out| {
                out.push_str(digits.format(response.status));
                if let Some(reason) = response.reason {
                    out.push(' ');
                    out.push_str(reason);
                }
                if let Some(location) = &response.location
                    && (300..400).contains(&response.status)
                {
                    let _ = write!(out, " → {location} (redirect not followed)");
                }
            }),
            Err(error) => self.palette.push(out, error, Palette::bad),
        }
        out.push_str("  ");
        self.palette.push_written(out, Palette::dim, |out| {
            let _ = write!(out, "{:.1} ms", record.latency_ms);
        });
        out.push_str("  → ");
        match step {
            Step::Delivered => self.palette.push(out, "delivered", Palette::good),
            Step::PermanentFailure => {
                self.palette
                    .push(out, "permanent failure, not retried", Palette::bad)
            }
            Step::RetriesExhausted => self.palette.push(out, "no retries left", Palette::bad),
            Step::Retry(wait) => self.palette.push(out, &self.wait(wait), Palette::caution),
        }
        if let Some(response) = self.response_line(result, step) {
            out.push('\n');
            out.push_str(&response);
        }
    }

    /// `retry in 3s (Retry-After; shortening the slot is an interpretation, assumed), scaled to
    /// 300ms`
    pub fn wait(&self, wait: Wait) -> String {
        let mut text = format!("retry in {}", duration::format(wait.real));
        if wait.shortened_by_retry_after {
            text.push_str(" (Retry-After; shortening the slot is an interpretation, assumed)");
        }
        if self.scaled {
            text.push_str(&format!(", scaled to {}", duration::format(wait.scaled)));
        }
        text
    }

    /// The line under a failed attempt showing what the receiver answered, when it said
    /// anything.
    fn response_line(&self, result: &AttemptResult, step: Step) -> Option<String> {
        let response = result.answer.as_ref().ok()?;
        if step == Step::Delivered || response.body_excerpt.is_empty() {
            return None;
        }
        let shown = excerpt(&response.body_excerpt, response.body_len);
        Some(format!("    response: {}", self.palette.dim(&shown)))
    }
}

/// A response body on one line, cut to a readable length.
pub fn excerpt(body: &[u8], full_len: usize) -> String {
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

/// `delivered after 3 attempts, event id 01HF…`, or why the event was not delivered.
pub fn event_outcome(report: &EventReport, max_attempts: usize, palette: Palette) -> String {
    let attempts = report.attempts.len();
    let plural = if attempts == 1 { "" } else { "s" };
    let id = report
        .event_id
        .as_deref()
        .map(|id| format!(", event id {id}"))
        .unwrap_or_default();
    match report.outcome {
        EventOutcome::Delivered => format!(
            "{} after {attempts} attempt{plural}{id}",
            palette.good("delivered")
        ),
        EventOutcome::PermanentFailure => format!(
            "{}: a permanent failure after {attempts} attempt{plural}{id}",
            palette.bad("failed")
        ),
        EventOutcome::RetriesExhausted => format!(
            "{}: no success in {attempts} of {max_attempts} attempts{id}",
            palette.bad("failed")
        ),
        EventOutcome::NotComposed | EventOutcome::Interrupted => {
            format!("{}{id}", palette.bad("not delivered"))
        }
    }
}

/// `delivered 998 of 1000, failed 2; 1012 requests in 0.52 s, 1946 req/s; latency p50 …`
pub fn summary(summary: &Summary, palette: Palette) -> String {
    let latency = |value: Option<f64>| value.map_or("-".to_string(), |ms| format!("{ms:.1} ms"));
    let unfinished = summary.unfinished();
    format!(
        "{} {} of {}, {} {}{}; {} {} in {:.2} s, {:.0} req/s; latency p50 {}, p90 {}, p99 {}",
        palette.good("delivered"),
        summary.delivered,
        summary.planned,
        palette.bad("failed"),
        summary.failed,
        if unfinished > 0 {
            format!(", {unfinished} not finished")
        } else {
            String::new()
        },
        summary.requests,
        if summary.requests == 1 {
            "request"
        } else {
            "requests"
        },
        summary.elapsed_ms / 1000.0,
        summary.requests_per_second,
        latency(summary.latency_p50_ms),
        latency(summary.latency_p90_ms),
        latency(summary.latency_p99_ms),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_one_request_in_the_singular() {
        let mut run = Summary {
            planned: 2,
            delivered: 0,
            failed: 0,
            requests: 1,
            elapsed_ms: 1500.0,
            requests_per_second: 0.7,
            latency_p50_ms: Some(2.0),
            latency_p90_ms: None,
            latency_p99_ms: None,
        };
        assert_eq!(
            summary(&run, Palette::PLAIN),
            "delivered 0 of 2, failed 0, 2 not finished; 1 request in 1.50 s, 1 req/s; \
             latency p50 2.0 ms, p90 -, p99 -"
        );
        run.requests = 3;
        assert!(summary(&run, Palette::PLAIN).contains("; 3 requests in 1.50 s"));
    }

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
