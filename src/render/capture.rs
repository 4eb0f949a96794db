//! What `listen` tells people: one line per captured request, and the closing summary.

use std::fmt::Write;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::domain::capture::CaptureRecord;
use crate::domain::duration;
use crate::domain::verification::Failure;
use crate::render::style::Palette;

/// `14:32:01.123 #2 POST /webhooks event 01HF… verified duplicate → 200`; a Beedeez delivery
/// shows `event 6746…@2024-11-27T10:30:00.000Z (assumed key)`; a request the HTTP layer refused
/// `14:32:01.123 #3 REFUSED headers too large (message head is too large) → 431`.
pub fn request_line(
    record: &CaptureRecord,
    received_at: Timestamp,
    failure: Option<&Failure>,
    time_zone: &TimeZone,
    palette: Palette,
) -> String {
    // Written into one buffer, without a format string parsed per line: listen prints tens of
    // thousands of these a second.
    let mut line = String::with_capacity(128);
    let mut scratch = String::with_capacity(16);
    super::push_clock_time(&mut scratch, received_at, time_zone);
    palette.push(&mut line, &scratch, Palette::dim);
    let _ = write!(line, " #{} ", record.seq);
    scratch.clear();
    if let Some(refused) = &record.refused {
        let problem = record.problem.as_deref().unwrap_or("refused");
        palette.push(&mut line, "REFUSED", Palette::bad);
        let _ = write!(line, " {refused} ({problem}) → ");
        palette.push(
            &mut line,
            status_text(record.status, &mut scratch),
            Palette::caution,
        );
        return line;
    }
    palette.push(&mut line, &record.method, Palette::strong);
    let _ = write!(line, " {} event ", record.path);
    // Beedeez sends no event id: its key (document `_id` and `updatedAt`) is an assumption.
    match (&record.event_id, &record.assumed_event_key) {
        (Some(id), _) => line.push_str(id),
        (None, Some(key)) => {
            let _ = write!(line, "{key} (assumed key)");
        }
        (None, None) => line.push('-'),
    }
    line.push(' ');
    match (record.verified, failure) {
        (None, _) => palette.push(&mut line, "unverified", Palette::dim),
        (Some(true), _) => palette.push(&mut line, "verified", Palette::good),
        (Some(false), failure) => {
            palette.push(&mut line, "FAIL", Palette::bad);
            if let Some(failure) = failure {
                let _ = write!(line, " ({failure})");
            }
        }
    }
    if record.duplicate {
        line.push(' ');
        palette.push(&mut line, "duplicate", Palette::caution);
    }
    line.push_str(" → ");
    let paint = if (200..300).contains(&record.status) {
        Palette::good
    } else {
        Palette::caution
    };
    palette.push(&mut line, status_text(record.status, &mut scratch), paint);
    if let Some(problem) = &record.problem
        && !record.complete
    {
        line.push(' ');
        palette.push(&mut line, "INCOMPLETE", Palette::bad);
        let _ = write!(line, " ({problem})");
    }
    line
}

/// The status answered, as the line shows it: written into `scratch`, which must be empty.
fn status_text(status: u16, scratch: &mut String) -> &str {
    if status == 0 {
        return "no answer";
    }
    let _ = write!(scratch, "{status}");
    scratch
}

/// Counts kept for `--expect` and the closing summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub requests: u64,
    pub verified: u64,
    pub unverified: u64,
    pub duplicates: u64,
    /// Requests whose body did not arrive whole: not deliveries, so not in `requests`.
    pub incomplete: u64,
    /// Requests the HTTP layer refused before reading them (malformed, headers too large): not
    /// deliveries either.
    pub refused: u64,
}

/// Why a listener stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Expected,
    TimedOut,
    Interrupted,
}

/// `received the 3 expected; 3 captured, 3 verified, 0 failed verification, 1 duplicate`.
pub fn summary(
    tally: &Tally,
    end: End,
    expect: Option<u64>,
    timeout: Option<std::time::Duration>,
) -> String {
    let why = match (end, expect, timeout) {
        (End::Expected, Some(n), _) => format!("received the {n} expected"),
        (End::TimedOut, Some(n), Some(limit)) => format!(
            "timed out after {}: {} of {n} expected requests arrived",
            duration::format(limit),
            tally.requests
        ),
        (End::TimedOut, _, _) => "timed out".to_string(),
        (End::Interrupted, _, _) => "interrupted".to_string(),
        (End::Expected, None, _) => "stopped".to_string(),
    };
    let mut counts = vec![format!("{} captured", tally.requests)];
    if tally.verified + tally.unverified > 0 {
        counts.push(format!("{} verified", tally.verified));
        counts.push(format!("{} failed verification", tally.unverified));
    }
    counts.push(match tally.duplicates {
        1 => "1 duplicate".to_string(),
        n => format!("{n} duplicates"),
    });
    if tally.incomplete > 0 {
        counts.push(format!("{} incomplete (not counted)", tally.incomplete));
    }
    if tally.refused > 0 {
        counts.push(format!("{} refused (not counted)", tally.refused));
    }
    format!("{why}; {}", counts.join(", "))
}
