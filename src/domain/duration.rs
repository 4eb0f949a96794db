//! Durations as users write and read them: `30s`, `5m`, `2h`, `1250ms`, `1h30m`. The one place
//! that parses duration flags (with jiff's friendly format) and prints durations.

use std::time::Duration;

use jiff::SignedDuration;

/// The longest duration any flag takes: a year is past every provider's retry curve and any
/// sensible timeout or tolerance, and keeps every sum and scaling of delays far from overflow.
pub const LONGEST: Duration = Duration::from_secs(365 * 24 * 3600);

/// Parses `30s`, `5m`, `2h`, `1250ms`, `1h30m`, up to [`LONGEST`]. A bare `0` is zero; other
/// numbers need a unit, since `5` could mean seconds or milliseconds.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let shown: String = text.chars().take(40).collect();
    let shown = if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    };
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let signed: SignedDuration = text
        .parse()
        .map_err(|_| format!("`{shown}` is not a duration such as 30s, 5m, 2h or 1250ms"))?;
    let duration = Duration::try_from(signed).map_err(|_| format!("`{shown}` is negative"))?;
    if duration > LONGEST {
        return Err(format!(
            "`{shown}` is longer than a year, the longest hooktool takes"
        ));
    }
    Ok(duration)
}

/// A short human form of a duration: `30s`, `5m`, `2h`, `1250ms`, `1h30m`.
pub fn format(duration: Duration) -> String {
    if duration.is_zero() {
        return "0s".to_string();
    }
    let millis = duration.as_millis();
    if millis == 0 {
        return format!("{}µs", duration.as_micros());
    }
    if !millis.is_multiple_of(1000) {
        return format!("{millis}ms");
    }
    let mut secs = duration.as_secs();
    let mut out = String::new();
    for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_the_cli_forms() {
        assert_eq!(parse("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse("1250ms"), Ok(Duration::from_millis(1250)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("0"), Ok(Duration::ZERO));
        assert_eq!(parse("-1s").unwrap_err(), "`-1s` is negative");
        assert!(parse("5").unwrap_err().starts_with("`5` is not a duration"));
        assert!(parse("soon").is_err());
    }

    #[test]
    fn durations_print_in_the_cli_forms() {
        assert_eq!(format(Duration::from_millis(1250)), "1250ms");
        assert_eq!(format(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format(Duration::from_secs(30)), "30s");
        assert_eq!(format(Duration::ZERO), "0s");
        assert_eq!(format(Duration::from_micros(300)), "300µs");
    }
}
