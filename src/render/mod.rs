//! Renderers: data in, text out. They format results for people and machines; they never decide
//! an outcome, and they never write anywhere themselves.

pub mod capture;
pub mod catalogue;
pub mod delivery;
pub mod demo;
pub mod probe;
pub mod providers;
pub mod style;
pub mod validation;
pub mod verification;
pub mod xml_text;

/// Appends `at` as a wall-clock time in `zone`, `14:03:11.250`: the time of a line of `send` or
/// `listen`, formatted without a format string parsed per line.
fn push_clock_time(out: &mut String, at: jiff::Timestamp, zone: &jiff::tz::TimeZone) {
    use std::fmt::Write as _;
    let time = zone.to_offset(at).to_datetime(at);
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}.{:03}",
        time.hour(),
        time.minute(),
        time.second(),
        time.millisecond()
    );
}
