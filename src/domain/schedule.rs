//! Retry schedules: which curve and provider rules a delivery follows (`--retry`), time
//! scaling, the `Retry-After` rule, and the decision taken after each attempt. Pure: no clock
//! and no network; the caller passes in what it observed.

use std::time::{Duration, SystemTime};

use crate::domain::catalogue::rules::format_curve;
use crate::domain::catalogue::{self, DeliveryRules, Provider, RetryAfterRule};
use crate::domain::duration;

/// A retry curve as given to `--retry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Curve {
    /// A provider's curve, by provider id, with that provider's success, permanent-status,
    /// Retry-After and timeout rules. Resolved against the catalogue when the schedule is built,
    /// so that packs loaded after the command line is read can be named.
    Provider(String),
    /// One attempt, no retries.
    None,
    /// The user's own delays, one per retry.
    Custom(Vec<Duration>),
}

impl Curve {
    /// A provider id (`cativa`), `none`, or a comma-separated list of durations (`1s,5s,30s`).
    pub fn parse(text: &str) -> Result<Curve, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("none") {
            return Ok(Curve::None);
        }
        let names_a_provider = text.starts_with(|c: char| c.is_ascii_alphabetic())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if names_a_provider {
            return Ok(Curve::Provider(text.to_ascii_lowercase()));
        }
        text.split(',')
            .map(duration::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Curve::Custom)
            .map_err(|error| {
                format!(
                    "{error} (expected a provider such as cativa, none, or delays like 1s,5s,30s)"
                )
            })
    }
}

/// What became of one attempt, as far as the schedule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The receiver answered with a status; `retry_after` is its `Retry-After`, already read
    /// as a delay (see [`retry_after_delay`]).
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer: connection refused or reset, timeout. Always retried while retries remain.
    NoAnswer,
}

/// What happens after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Delivered,
    /// A status the provider never retries (Cativa: 400, 401, 403, 404, 410).
    PermanentFailure,
    /// Wait, then try again.
    Retry(Wait),
    /// The last attempt of the curve failed.
    RetriesExhausted,
}

/// A wait before the next attempt, measured from the end of the failed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    /// The delay the provider would wait.
    pub real: Duration,
    /// The delay actually waited: `real` times the time scale.
    pub scaled: Duration,
    /// Whether a `Retry-After` made the delay shorter than the curve's slot.
    pub shortened_by_retry_after: bool,
}

/// Why a schedule cannot be built; each names its flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("{0}, --time-scale")]
    TimeScale(String),
    #[error("{0}, --timeout")]
    Timeout(String),
    #[error("{0}, --retry")]
    Curve(String),
}

/// A curve, the rules that decide each attempt, and the time scale.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// `cativa`, `wix`, `beedeez`, `none` or `custom`.
    pub curve_name: &'static str,
    /// The provider whose success, permanent-status and Retry-After rules apply.
    pub rules_of: &'static Provider,
    pub delays: Vec<Duration>,
    pub time_scale: f64,
    pub attempt_timeout: Duration,
}

impl Schedule {
    /// The schedule for an event of `event_provider`. A provider curve brings that provider's
    /// rules; `none` and custom curves keep the event provider's rules. `timeout` overrides the
    /// rules' per-attempt timeout, which the time scale never changes.
    pub fn new(
        curve: Curve,
        event_provider: &'static Provider,
        time_scale: f64,
        timeout: Option<Duration>,
    ) -> Result<Schedule, ScheduleError> {
        if !time_scale.is_finite() || time_scale < 0.0 {
            return Err(ScheduleError::TimeScale(format!(
                "{time_scale} is not a time scale (expected a number ≥ 0, e.g. 0.001)"
            )));
        }
        let (curve_name, rules_of, delays) = match curve {
            Curve::Provider(id) => {
                let provider = catalogue::provider(&id).ok_or_else(|| {
                    let known: Vec<&str> = catalogue::providers()
                        .iter()
                        .map(|provider| provider.id)
                        .collect();
                    ScheduleError::Curve(format!(
                        "`{id}` is neither a provider nor a list of delays (expected {}, none, \
                         or delays like 1s,5s,30s)",
                        known.join(", ")
                    ))
                })?;
                (
                    provider.id(),
                    provider,
                    provider.rules().retry_delays.value.clone(),
                )
            }
            Curve::None => ("none", event_provider, Vec::new()),
            Curve::Custom(delays) => ("custom", event_provider, delays),
        };
        if let Some(longest) = delays.iter().max()
            && Duration::try_from_secs_f64(longest.as_secs_f64() * time_scale).is_err()
        {
            return Err(ScheduleError::TimeScale(format!(
                "{time_scale} scales the {} delay beyond what can be waited",
                duration::format(*longest)
            )));
        }
        if timeout.is_some_and(|timeout| timeout.is_zero()) {
            return Err(ScheduleError::Timeout(
                "a timeout of 0 lets no attempt succeed".to_string(),
            ));
        }
        Ok(Schedule {
            curve_name,
            rules_of,
            attempt_timeout: timeout.unwrap_or(rules_of.rules().attempt_timeout.value),
            delays,
            time_scale,
        })
    }

    pub fn rules(&self) -> &'static DeliveryRules {
        self.rules_of.rules()
    }

    /// Attempts in all: the first plus one per delay.
    pub fn max_attempts(&self) -> usize {
        self.delays.len() + 1
    }

    pub fn scale(&self, delay: Duration) -> Duration {
        // Checked against the longest delay in `new`, and every delay waited is at most a slot.
        delay.mul_f64(self.time_scale)
    }

    /// The decision after attempt `attempt` (1-based) got `answer`.
    pub fn next_step(&self, attempt: usize, answer: Answer) -> Step {
        let rules = self.rules();
        if let Answer::Status { status, .. } = answer {
            if rules.success.value.accepts(status) {
                return Step::Delivered;
            }
            if rules.permanent_statuses.value.contains(&status) {
                return Step::PermanentFailure;
            }
        }
        let Some(&slot) = self.delays.get(attempt.saturating_sub(1)) else {
            return Step::RetriesExhausted;
        };
        let retry_after = match answer {
            Answer::Status {
                retry_after: Some(delay),
                ..
            } if rules.retry_after.value == RetryAfterRule::HonouredCappedAtSlot => Some(delay),
            _ => None,
        };
        // Cativa: "honoured, capped at the next backoff window's max".
        let real = retry_after.map_or(slot, |delay| delay.min(slot));
        Step::Retry(Wait {
            real,
            scaled: self.scale(real),
            shortened_by_retry_after: real < slot,
        })
    }

    /// The curve for people: `cativa: 30s → 5m → ...`, plus the scaled delays when scaled.
    pub fn describe(&self) -> String {
        let mut text = format!("{}: {}", self.curve_name, format_curve(&self.delays));
        if self.time_scale != 1.0 && !self.delays.is_empty() {
            let scaled: Vec<Duration> = self.delays.iter().map(|d| self.scale(*d)).collect();
            text.push_str(&format!(
                ", scaled ×{} to {}",
                self.time_scale,
                format_curve(&scaled)
            ));
        }
        text
    }
}

/// A `Retry-After` value as a delay from `now`: delta-seconds, or an HTTP-date (a date in the
/// past means no wait). `None` when it is neither.
pub fn retry_after_delay(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn status(status: u16) -> Answer {
        Answer::Status {
            status,
            retry_after: None,
        }
    }

    fn by_id(id: &str) -> &'static Provider {
        catalogue::provider(id).unwrap()
    }

    fn schedule(curve: &str, provider: &'static Provider, scale: f64) -> Schedule {
        Schedule::new(Curve::parse(curve).unwrap(), provider, scale, None).unwrap()
    }

    /// The delays waited when every attempt fails with `answer`, and how the run ends.
    fn run_to_end(schedule: &Schedule, answer: Answer) -> (Vec<Duration>, Step) {
        let mut waits = Vec::new();
        for attempt in 1.. {
            match schedule.next_step(attempt, answer) {
                Step::Retry(wait) => waits.push(wait.scaled),
                end => return (waits, end),
            }
        }
        unreachable!()
    }

    #[test]
    fn curves_parse_by_provider_name_none_or_delay_list() {
        assert_eq!(
            Curve::parse("Cativa").unwrap(),
            Curve::Provider("cativa".to_string())
        );
        assert_eq!(Curve::parse("none").unwrap(), Curve::None);
        assert_eq!(
            Curve::parse("1s, 1250ms,5m").unwrap(),
            Curve::Custom(vec![secs(1), Duration::from_millis(1250), secs(300)])
        );
    }

    #[test]
    fn bad_curves_and_durations_are_errors_naming_the_value() {
        // A word is taken for a provider id, checked when the schedule is built.
        assert_eq!(
            Curve::parse("fast").unwrap(),
            Curve::Provider("fast".to_string())
        );
        let unknown = Schedule::new(Curve::parse("fast").unwrap(), by_id("wix"), 1.0, None);
        assert!(unknown.unwrap_err().to_string().starts_with(
            "`fast` is neither a provider nor a list of delays (expected cativa, wix, beedeez"
        ));
        for bad in ["", "1s,,2s", "5", "-1s", "1s,2x"] {
            assert!(Curve::parse(bad).is_err(), "{bad}");
        }
        assert!(
            Curve::parse("1s,abc")
                .unwrap_err()
                .starts_with("`abc` is not a duration")
        );
    }

    #[test]
    fn every_provider_curve_runs_its_table_when_every_attempt_fails() {
        for (provider, rules) in [
            (by_id("cativa"), by_id("cativa").rules()),
            (by_id("wix"), by_id("wix").rules()),
            (by_id("beedeez"), by_id("beedeez").rules()),
        ] {
            let schedule = schedule(provider.id(), provider, 1.0);
            let (waits, end) = run_to_end(&schedule, status(500));
            assert_eq!(waits, rules.retry_delays.value, "{provider}");
            assert_eq!(end, Step::RetriesExhausted);
            assert_eq!(waits.len() + 1, rules.max_attempts());
            assert_eq!(schedule.attempt_timeout, rules.attempt_timeout.value);
        }
    }

    #[test]
    fn cativa_is_seven_attempts_and_no_answer_is_retried_too() {
        let schedule = schedule("cativa", by_id("cativa"), 1.0);
        let (waits, _) = run_to_end(&schedule, Answer::NoAnswer);
        assert_eq!(waits.len() + 1, 7);
    }

    #[test]
    fn time_scale_multiplies_delays_but_not_the_timeout() {
        let schedule = schedule("cativa", by_id("cativa"), 0.001);
        let (waits, _) = run_to_end(&schedule, status(503));
        assert_eq!(waits[0], Duration::from_millis(30));
        assert_eq!(waits[5], Duration::from_millis(86_400));
        assert_eq!(schedule.attempt_timeout, secs(10));
        let Step::Retry(wait) = schedule.next_step(1, status(503)) else {
            panic!("503 is retried");
        };
        assert_eq!(wait.real, secs(30));
        assert_eq!(
            schedule.describe(),
            "cativa: 30s → 5m → 30m → 2h → 6h → 24h, scaled ×0.001 to 30ms → 300ms → 1800ms → 7200ms → 21600ms → 86400ms"
        );
    }

    #[test]
    fn success_rules_differ_between_providers() {
        let cativa = schedule("cativa", by_id("cativa"), 1.0);
        let wix = schedule("wix", by_id("wix"), 1.0);
        assert_eq!(cativa.next_step(1, status(204)), Step::Delivered);
        assert!(matches!(wix.next_step(1, status(201)), Step::Retry(_)));
        assert_eq!(wix.next_step(1, status(200)), Step::Delivered);
    }

    #[test]
    fn cativa_permanent_statuses_stop_at_once_and_others_do_not() {
        let cativa = schedule("cativa", by_id("cativa"), 1.0);
        for permanent in [400, 401, 403, 404, 410] {
            assert_eq!(
                cativa.next_step(1, status(permanent)),
                Step::PermanentFailure
            );
        }
        for retried in [301, 408, 429, 500, 503] {
            assert!(matches!(
                cativa.next_step(1, status(retried)),
                Step::Retry(_)
            ));
        }
        let wix = schedule("wix", by_id("wix"), 1.0);
        assert!(matches!(wix.next_step(1, status(410)), Step::Retry(_)));
    }

    #[test]
    fn cativa_retry_after_shortens_but_never_lengthens_a_slot() {
        let cativa = schedule("cativa", by_id("cativa"), 0.5);
        let answer = |seconds| Answer::Status {
            status: 503,
            retry_after: Some(secs(seconds)),
        };
        let Step::Retry(short) = cativa.next_step(1, answer(3)) else {
            panic!()
        };
        assert_eq!(
            (short.real, short.scaled),
            (secs(3), Duration::from_millis(1500))
        );
        assert!(short.shortened_by_retry_after);
        let Step::Retry(capped) = cativa.next_step(2, answer(3600)) else {
            panic!()
        };
        assert_eq!(capped.real, secs(300));
        assert!(!capped.shortened_by_retry_after);
    }

    #[test]
    fn retry_after_is_ignored_where_the_provider_ignores_it() {
        let wix = schedule("wix", by_id("wix"), 1.0);
        let answer = Answer::Status {
            status: 503,
            retry_after: Some(secs(1)),
        };
        let Step::Retry(wait) = wix.next_step(1, answer) else {
            panic!()
        };
        assert_eq!(wait.real, secs(60));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + secs(784_111_777);
        assert_eq!(retry_after_delay(" 120 ", now), Some(secs(120)));
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        assert_eq!(
            retry_after_delay("Sun, 06 Nov 1994 08:50:37 GMT", now),
            Some(secs(60))
        );
        assert_eq!(
            retry_after_delay("Sun, 06 Nov 1994 08:48:37 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after_delay("soon", now), None);
        assert_eq!(retry_after_delay("-5", now), None);
    }

    #[test]
    fn none_and_custom_curves_keep_the_event_providers_rules() {
        let none = schedule("none", by_id("cativa"), 1.0);
        assert_eq!(none.next_step(1, status(500)), Step::RetriesExhausted);
        assert_eq!(none.next_step(1, status(410)), Step::PermanentFailure);
        let custom = schedule("1s,2s", by_id("wix"), 1.0);
        assert_eq!(custom.rules_of, by_id("wix"));
        let (waits, _) = run_to_end(&custom, status(201));
        assert_eq!(waits, [secs(1), secs(2)]);
        assert_eq!(custom.attempt_timeout, Duration::from_millis(1250));
    }

    #[test]
    fn bad_scales_and_timeouts_are_refused() {
        for scale in [-1.0, f64::NAN, f64::INFINITY, 1e300] {
            assert!(
                Schedule::new(
                    Curve::Provider("cativa".to_string()),
                    by_id("cativa"),
                    scale,
                    None
                )
                .is_err(),
                "{scale}"
            );
        }
        assert!(Schedule::new(Curve::None, by_id("cativa"), 1.0, Some(Duration::ZERO)).is_err());
        let timeout = Schedule::new(Curve::None, by_id("cativa"), 0.1, Some(secs(2))).unwrap();
        assert_eq!(timeout.attempt_timeout, secs(2));
    }
}
