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
/// `listen`.
fn push_clock_time(out: &mut String, at: jiff::Timestamp, zone: &jiff::tz::TimeZone) {
    let time = zone.to_offset(at).to_datetime(at);
    // Digits pushed one by one: `send` and `listen` print this for every request, and the
    // formatting machinery cost more than the rest of the line.
    let digits = |out: &mut String, value: i16, width: u32| {
        for place in (0..width).rev() {
            let digit = (value / 10_i16.pow(place)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
    };
    digits(out, i16::from(time.hour()), 2);
    out.push(':');
    digits(out, i16::from(time.minute()), 2);
    out.push(':');
    digits(out, i16::from(time.second()), 2);
    out.push('.');
    digits(out, time.millisecond(), 3);
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
