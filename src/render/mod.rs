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

use crate::domain::digits::push_zero_padded;

/// Appends `at` as a wall-clock time in `zone`, `14:03:11.250`: the time of a line of `send` or
/// `listen`.
fn push_clock_time(out: &mut String, at: jiff::Timestamp, zone: &jiff::tz::TimeZone) {
    let time = zone.to_offset(at).to_datetime(at);
    // `send` and `listen` print this for every request, and the formatting machinery cost more
    // than the rest of the line.
    let fields = [
        (i16::from(time.hour()), 2, ':'),
        (i16::from(time.minute()), 2, ':'),
        (i16::from(time.second()), 2, '.'),
    ];
    for (value, width, after) in fields {
        push_zero_padded(out, value.unsigned_abs(), width);
        out.push(after);
    }
    push_zero_padded(out, time.millisecond().unsigned_abs(), 3);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_zero_padded_to_the_millisecond() {
        let zones = [
            jiff::tz::TimeZone::UTC,
            jiff::tz::TimeZone::fixed(jiff::tz::offset(-9)),
        ];
        let mut second = 0;
        while second < 86_400 * 2 {
            for millis in [0, 7, 45, 999] {
                let at = jiff::Timestamp::new(1_700_000_000 + second, millis * 1_000_000).unwrap();
                for zone in &zones {
                    let mut pushed = String::new();
                    push_clock_time(&mut pushed, at, zone);
                    let expected = zone.to_datetime(at).strftime("%H:%M:%S%.3f").to_string();
                    assert_eq!(pushed, expected);
                }
            }
            second += 3_607;
        }
    }
}
