//! Typed flag values: each parser turns what the user typed into the type the commands use, or
//! into one sentence saying what is wrong with it. clap adds the flag's name to the sentence.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::domain::capture::ResponseScript;
use crate::domain::catalogue;
use crate::domain::duration;
use crate::domain::probe::ProbeScheme;
use crate::domain::request::is_token;
use crate::domain::schedule::Curve;
use crate::domain::secret::Secret;
use crate::domain::target::{Target, TargetError};
use crate::domain::verification::Scheme;

/// The latest time hooktool accepts: the end of year 9999, the last one RFC 3339 can write.
pub const LATEST_UNIX_SECONDS: i64 = 253_402_300_799;

/// Why a flag's value was refused: one sentence, and hints on what to write instead. clap
/// keeps it as the source of its error, so the message can name the flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub message: String,
    pub hints: Vec<String>,
}

impl ValueError {
    fn new(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl From<String> for ValueError {
    fn from(message: String) -> Self {
        ValueError::new(message)
    }
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}

type Parsed<T> = Result<T, ValueError>;

/// The largest `--time-scale`: it slows a curve down a thousandfold, past which no delay of a
/// year or less could be waited.
pub const MAX_TIME_SCALE: f64 = 1000.0;

/// Echoes at most this many characters of what the user typed.
const ECHOED_CHARS: usize = 40;

/// What the user typed, quoted and cut to a readable length.
pub fn echo(text: &str) -> String {
    let mut shown: String = text.chars().take(ECHOED_CHARS).collect();
    if text.chars().count() > ECHOED_CHARS {
        shown.push('…');
    }
    format!("`{shown}`")
}

/// `30s`, `5m`, `2h`, `1250ms`, `1h30m`; a bare `0` is zero.
pub fn duration(text: &str) -> Parsed<Duration> {
    duration::parse(text).map_err(|message| {
        ValueError::new(message).hint("write durations like 30s, 5m, 2h or 1250ms; 0 is none")
    })
}

/// Unix seconds from 0 to the end of year 9999, the same range for every command.
pub fn unix_seconds(text: &str) -> Parsed<i64> {
    let out_of_range = || {
        ValueError::new(format!("{} is not a time", echo(text)))
            .hint(format!("give Unix seconds from 0 to {LATEST_UNIX_SECONDS}"))
    };
    let seconds: i64 = text.trim().parse().map_err(|_| out_of_range())?;
    if (0..=LATEST_UNIX_SECONDS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(out_of_range())
    }
}

/// A factor for retry delays: finite and not negative (`0` sends every retry at once).
pub fn time_scale(text: &str) -> Parsed<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|scale| (0.0..=MAX_TIME_SCALE).contains(scale))
        .ok_or_else(|| {
            ValueError::new(format!("{} is not a time scale", echo(text))).hint(format!(
                "give a number from 0 to {MAX_TIME_SCALE}: 0.001 turns 30s into 30ms"
            ))
        })
}

/// A count of one or more.
pub fn positive_count(text: &str) -> Parsed<u64> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|count| *count > 0)
        .ok_or_else(|| {
            ValueError::new(format!("{} is not a count", echo(text)))
                .hint("give a whole number of 1 or more")
        })
}

/// How many at once: one or more.
pub fn positive_width(text: &str) -> Parsed<usize> {
    positive_count(text).and_then(|count| {
        usize::try_from(count).map_err(|_| ValueError::new(format!("{} is too many", echo(text))))
    })
}

/// `10MiB`, `512KiB`, `1MB`, `4096`: a byte count, with decimal or binary units.
pub fn size(text: &str) -> Parsed<usize> {
    parse_size::parse_size(text.trim())
        .ok()
        .and_then(|bytes| usize::try_from(bytes).ok())
        .ok_or_else(|| {
            ValueError::new(format!("{} is not a size", echo(text)))
                .hint("write sizes like 10MiB, 512KiB, 1MB or 4096 (bytes)")
        })
}

/// `503,503,200`: statuses a listener answers successive requests with.
pub fn statuses(text: &str) -> Parsed<ResponseScript> {
    let statuses = text
        .split(',')
        .map(|part| {
            part.trim()
                .parse::<u16>()
                .ok()
                .filter(|status| (200..=599).contains(status))
                .ok_or_else(|| {
                    ValueError::new(format!("{} is not an HTTP status", echo(part.trim()))).hint(
                        "write final statuses from 200 to 599 separated by commas, e.g. 503,503,200",
                    )
                })
        })
        .collect::<Parsed<Vec<u16>>>()?;
    ResponseScript::new(statuses).ok_or_else(|| ValueError::new("no status given"))
}

/// `cativa`, `wix`, `beedeez`, `none`, or delays such as `1s,5s,30s`.
pub fn curve(text: &str) -> Parsed<Curve> {
    Ok(Curve::parse(text)?)
}

/// `localhost:3000/webhooks`, `:3000`, `3000`, `3000/webhooks`, `[::1]:3000`, or a full URL.
pub fn target(text: &str) -> Parsed<Target> {
    Target::parse(text).map_err(|error| match error {
        TargetError::PortZero => ValueError::new(error.to_string())
            .hint("give the port the receiver listens on, such as 3000 or localhost:3000/webhooks"),
        TargetError::Malformed { .. } => ValueError::new(error.to_string()),
    })
}

/// `Name: value`, a request header given on the command line.
pub fn header(text: &str) -> Parsed<(String, String)> {
    crate::domain::inputs::parse_header_flag(text)
        .map_err(|error| ValueError::new(error.to_string()))
}

/// An HTTP header name: a non-empty token (letters, digits and ``!#$%&'*+-.^_`|~``).
pub fn header_name(text: &str) -> Parsed<String> {
    if is_token(text) {
        Ok(text.to_string())
    } else {
        Err(
            ValueError::new(format!("{} is not a header name", echo(text))).hint(
                "a header name is letters, digits and - (no spaces or colons), e.g. X-API-Key",
            ),
        )
    }
}

/// A secret, kept out of every debug print from the moment it is read.
pub fn secret(text: &str) -> Parsed<Secret> {
    if text.is_empty() {
        Err(ValueError::new("the secret is empty"))
    } else {
        Ok(Secret::new(text))
    }
}

/// An address to bind: an IP address, or `localhost` for 127.0.0.1. An IPv6 address may be
/// written in brackets, as in URLs: `[::1]`.
pub fn bind_address(text: &str) -> Parsed<IpAddr> {
    let trimmed = text.trim();
    let unbracketed = trimmed
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .filter(|inner| inner.contains(':'));
    match unbracketed.unwrap_or(trimmed) {
        "localhost" => Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        address => address.parse().map_err(|_| {
            ValueError::new(format!("{} is not an IP address", echo(text)))
                .hint("use 127.0.0.1 (loopback), ::1, or 0.0.0.0 to accept other machines")
        }),
    }
}

/// A value named by its id, one of a fixed list: the signature schemes `verify` and `probe`
/// take. Shells complete the ids.
#[derive(Debug, Clone, Copy)]
pub struct IdParser<T: 'static> {
    all: &'static [T],
    id: fn(T) -> &'static str,
}

/// `verify --scheme`.
pub const SCHEMES: IdParser<Scheme> = IdParser {
    all: &Scheme::ALL,
    id: Scheme::id,
};

/// `probe --scheme`: what a receiver of Cativa events verifies.
pub const PROBE_SCHEMES: IdParser<ProbeScheme> = IdParser {
    all: &ProbeScheme::HMAC,
    id: ProbeScheme::id,
};

impl<T: Copy + Send + Sync + 'static> clap::builder::TypedValueParser for IdParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let ids: Vec<&'static str> = self.all.iter().map(|each| (self.id)(*each)).collect();
        let id = clap::builder::PossibleValuesParser::new(ids).parse_ref(cmd, arg, value)?;
        Ok(*self
            .all
            .iter()
            .find(|each| (self.id)(**each) == id)
            .expect("the possible values are the ids"))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(self.all.iter().map(|each| {
            clap::builder::PossibleValue::new((self.id)(*each))
        })))
    }
}

/// `verify --scheme` and `listen --scheme` as typed: a built-in scheme, or the id of a loaded
/// pack signing with `hmac`, which only the catalogue (installed after parsing) can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeName {
    BuiltIn(Scheme),
    Pack(String),
}

/// Parses `--scheme` of `verify` and `listen`; shells complete the built-in ids and those of
/// the packs loaded when the completions were made.
#[derive(Debug, Clone, Copy)]
pub struct SchemeNameParser;

impl clap::builder::TypedValueParser for SchemeNameParser {
    type Value = SchemeName;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<SchemeName, clap::Error> {
        let text = clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)?;
        if let Some(scheme) = Scheme::ALL.into_iter().find(|scheme| scheme.id() == text) {
            return Ok(SchemeName::BuiltIn(scheme));
        }
        if crate::domain::pack::is_pack_id(&text) {
            return Ok(SchemeName::Pack(text));
        }
        // Anything else gets clap's own list of what is possible.
        SCHEMES.parse_ref(cmd, arg, value).map(SchemeName::BuiltIn)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let packs = catalogue::known_hmac_pack_ids();
        Some(Box::new(
            Scheme::ALL
                .into_iter()
                .map(Scheme::id)
                .chain(packs)
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// Event names: every string is accepted here (the catalogue checks it, so that an unknown name
/// gets a one-line error with a suggestion), but shells complete the known names.
#[derive(Debug, Clone, Copy)]
pub struct EventNameParser;

impl clap::builder::TypedValueParser for EventNameParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let names = catalogue::known_event_names()
            .into_iter()
            .map(clap::builder::PossibleValue::new);
        Some(Box::new(names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_and_huge_numbers_get_hooktools_own_words() {
        assert_eq!(
            time_scale("-1").unwrap_err().message,
            "`-1` is not a time scale"
        );
        assert_eq!(
            time_scale("1e309").unwrap_err().message,
            "`1e309` is not a time scale"
        );
        assert_eq!(time_scale("0.001"), Ok(0.001));
        assert_eq!(
            unix_seconds("-5").unwrap_err().message,
            "`-5` is not a time"
        );
        assert!(
            unix_seconds(&"9".repeat(300))
                .unwrap_err()
                .message
                .contains('…')
        );
        assert_eq!(unix_seconds("1700000000"), Ok(1_700_000_000));
        assert_eq!(duration("-5s").unwrap_err().message, "`-5s` is negative");
        assert!(positive_count("0").is_err());
        assert!(positive_width("-2").is_err());
    }

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        assert_eq!(size("10MiB"), Ok(10 << 20));
        assert_eq!(size("1kb"), Ok(1000));
        assert_eq!(size("4096"), Ok(4096));
        assert_eq!(size("lots").unwrap_err().message, "`lots` is not a size");
        for bad in ["ten", "10XB", "", "-1"] {
            assert!(size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_lists_name_the_bad_entry() {
        assert_eq!(
            statuses("503, 503,200"),
            Ok(ResponseScript::new(vec![503, 503, 200]).unwrap())
        );
        assert_eq!(
            statuses("503,abc").unwrap_err().message,
            "`abc` is not an HTTP status"
        );
        assert!(statuses("700").is_err());
        // A 1xx is not a final answer: hyper would send 500 instead.
        assert!(statuses("100").is_err());
    }

    #[test]
    fn header_names_are_tokens() {
        assert_eq!(header_name("X-API-Key"), Ok("X-API-Key".to_string()));
        for bad in ["", "X API", "X:Key", "X\r\nInjected"] {
            assert!(header_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn port_zero_targets_are_refused_with_a_hint() {
        for zero in ["0", ":0", "localhost:0/x"] {
            let error = target(zero).unwrap_err();
            assert_eq!(error.message, "port 0 cannot receive requests", "{zero}");
            assert_eq!(error.hints.len(), 1);
        }
        assert!(target("3000/webhooks").is_ok());
    }

    #[test]
    fn bind_addresses_take_ipv6_with_or_without_brackets() {
        use std::net::Ipv6Addr;
        assert_eq!(bind_address("[::1]"), Ok(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(bind_address("::1"), Ok(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(
            bind_address(" [::] "),
            Ok(IpAddr::V6(Ipv6Addr::UNSPECIFIED))
        );
        assert_eq!(
            bind_address("localhost"),
            Ok(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        for bad in ["[127.0.0.1]", "[::1", "::1]", "[localhost]", "nowhere"] {
            assert!(bind_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_never_empty() {
        assert!(secret("").is_err());
        assert_eq!(secret("whsec_x").unwrap().expose(), "whsec_x");
    }
}
