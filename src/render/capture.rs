//! What `listen` tells people: one line per captured request, and the closing summary.

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
    let time = received_at
        .to_zoned(time_zone.clone())
        .strftime("%H:%M:%S%.3f")
        .to_string();
    if let Some(refused) = &record.refused {
        let status = match record.status {
            0 => palette.caution("no answer"),
            code => palette.caution(&code.to_string()),
        };
        let problem = record.problem.as_deref().unwrap_or("refused");
        return format!(
            "{} #{} {} {refused} ({problem}) → {status}",
            palette.dim(&time),
            record.seq,
            palette.bad("REFUSED"),
        );
    }
    // Beedeez sends no event id: its key (document `_id` and `updatedAt`) is an assumption.
    let event = match (&record.event_id, &record.assumed_event_key) {
        (Some(id), _) => id.clone(),
        (None, Some(key)) => format!("{key} (assumed key)"),
        (None, None) => "-".to_string(),
    };
    let verdict = match (record.verified, failure) {
        (None, _) => palette.dim("unverified"),
        (Some(true), _) => palette.good("verified"),
        (Some(false), Some(failure)) => format!("{} ({failure})", palette.bad("FAIL")),
        (Some(false), None) => palette.bad("FAIL"),
    };
    let duplicate = if record.duplicate {
        format!(" {}", palette.caution("duplicate"))
    } else {
        String::new()
    };
    let status = match record.status {
        0 => palette.caution("no answer"),
        code if (200..300).contains(&code) => palette.good(&code.to_string()),
        code => palette.caution(&code.to_string()),
    };
    let status = match &record.problem {
        Some(problem) if !record.complete => {
            format!("{status} {} ({problem})", palette.bad("INCOMPLETE"))
        }
        _ => status,
    };
    format!(
        "{} #{} {} {} event {event} {verdict}{duplicate} → {status}",
        palette.dim(&time),
        record.seq,
        palette.strong(&record.method),
        record.path,
    )
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
