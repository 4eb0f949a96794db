//! `hooktool listen`: a local receiver that captures every request before answering it, verifies
//! it live, and ends on `--expect`, `--timeout` or Ctrl-C.

use std::fs::OpenOptions;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::tz::TimeZone;
use tokio::sync::Notify;

use crate::cli::ListenArgs;
use crate::cli::exit::{Outcome, UserError, io_reason};
use crate::commands::keys;
use crate::domain::duration;
use crate::domain::verification::Keys;
use crate::io::capture_writer::{Captured, Recorder, ResponseScript};
use crate::io::http_server;
use crate::io::terminal::{self, style};

/// The flags, checked and resolved.
struct Settings {
    address: SocketAddr,
    keys: Option<Keys>,
    script: ResponseScript,
    out: Option<PathBuf>,
    expect: Option<u64>,
    timeout: Option<Duration>,
    max_body: usize,
}

impl Settings {
    fn from_args(args: &ListenArgs) -> Result<Self, UserError> {
        let ip: IpAddr = match args.bind.as_str() {
            "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
            text => text.parse().map_err(|_| {
                UserError::new(format!("`{text}` is not an IP address, --bind"))
                    .hint("use 127.0.0.1 (loopback), ::1, or 0.0.0.0 to accept other machines")
            })?,
        };
        let (secrets, wix_public_key) = keys::read(
            &args.secrets,
            &args.secret_files,
            args.public_key.as_deref(),
        )?;
        let keys = (!secrets.is_empty() || wix_public_key.is_some()).then(|| Keys {
            secrets,
            wix_public_key,
            ..Keys::default()
        });
        Ok(Settings {
            address: SocketAddr::new(ip, args.port),
            keys,
            script: parse_statuses(&args.respond)?,
            out: args.out.clone(),
            expect: args.expect,
            timeout: args
                .timeout
                .as_deref()
                .map(|text| {
                    duration::parse(text)
                        .map_err(|error| UserError::new(format!("{error}, --timeout")))
                })
                .transpose()?,
            max_body: parse_size(&args.max_body)?,
        })
    }
}

/// `503,503,200` into a script of HTTP statuses.
fn parse_statuses(text: &str) -> Result<ResponseScript, UserError> {
    let statuses = text
        .split(',')
        .map(|part| {
            part.trim()
                .parse::<u16>()
                .ok()
                .filter(|status| (100..=599).contains(status))
                .ok_or_else(|| {
                    UserError::new(format!(
                        "`{}` is not an HTTP status, --respond",
                        part.trim()
                    ))
                    .hint("write statuses from 100 to 599 separated by commas, e.g. 503,503,200")
                })
        })
        .collect::<Result<Vec<u16>, UserError>>()?;
    ResponseScript::new(statuses).ok_or_else(|| UserError::new("no status given, --respond"))
}

/// `10MiB`, `512KiB`, `1MB`, `4096`: a byte count, with decimal or binary units.
fn parse_size(text: &str) -> Result<usize, UserError> {
    let trimmed = text.trim();
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits_end);
    let multiplier: Option<u64> = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => Some(1),
        "k" | "kb" => Some(1_000),
        "kib" => Some(1 << 10),
        "m" | "mb" => Some(1_000_000),
        "mib" => Some(1 << 20),
        "g" | "gb" => Some(1_000_000_000),
        "gib" => Some(1 << 30),
        _ => None,
    };
    number
        .parse::<u64>()
        .ok()
        .zip(multiplier)
        .and_then(|(number, multiplier)| number.checked_mul(multiplier))
        .and_then(|bytes| usize::try_from(bytes).ok())
        .ok_or_else(|| {
            UserError::new(format!("`{text}` is not a size, --max-body"))
                .hint("write sizes like 10MiB, 512KiB, 1MB or 4096 (bytes)")
        })
}

pub fn run(args: &ListenArgs) -> anyhow::Result<Outcome> {
    let settings = Settings::from_args(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(listen(settings))
}

/// Counts kept for `--expect` and the closing summary.
#[derive(Default)]
struct Tally {
    requests: u64,
    verified: u64,
    unverified: u64,
    duplicates: u64,
}

enum End {
    Expected,
    TimedOut,
    Interrupted,
}

async fn listen(settings: Settings) -> anyhow::Result<Outcome> {
    let sink: Box<dyn Write + Send> = match &settings.out {
        Some(path) => Box::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|error| {
                    UserError::new(format!(
                        "cannot open {} for appending ({}), --out",
                        path.display(),
                        io_reason(&error)
                    ))
                })?,
        ),
        None => Box::new(std::io::stdout()),
    };
    let tally = Arc::new(Mutex::new(Tally::default()));
    let expectation_met = Arc::new(Notify::new());
    let on_written = {
        let tally = tally.clone();
        let expectation_met = expectation_met.clone();
        let expect = settings.expect;
        let time_zone = TimeZone::system();
        let mut lines = String::new();
        move |batch: &[Captured]| {
            // One write for the whole batch: under load, a write per line would slow the writer.
            lines.clear();
            for captured in batch {
                lines.push_str(&request_line(captured, &time_zone));
                lines.push('\n');
            }
            let _ = std::io::stderr().write_all(lines.as_bytes());
            let mut tally = tally.lock().expect("the tally is never poisoned");
            for captured in batch {
                tally.requests += 1;
                match captured.record.verified {
                    Some(true) => tally.verified += 1,
                    Some(false) => tally.unverified += 1,
                    None => {}
                }
                tally.duplicates += u64::from(captured.record.duplicate);
                if expect == Some(tally.requests) {
                    expectation_met.notify_one();
                }
            }
        }
    };
    let (recorder, writer) = Recorder::start(sink, settings.script, settings.keys, on_written);
    let server = http_server::serve(settings.address, settings.max_body, move |incoming| {
        let recorder = recorder.clone();
        async move {
            match recorder.record(incoming).await {
                Ok(status) => status,
                Err(error) => {
                    terminal::warn(&format!(
                        "a request was answered 500: its capture could not be written ({})",
                        io_reason(&error)
                    ));
                    500
                }
            }
        }
    })
    .await
    .map_err(|error| {
        UserError::new(format!(
            "cannot listen on {} ({}), --bind/--port",
            settings.address,
            io_reason(&error)
        ))
        .hint("`--port 0` picks a free port")
    })?;
    // Ctrl-C is handled from its first poll on: poll it once before announcing the address, so
    // that an interrupt sent as soon as the listener is up is never missed.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    std::future::poll_fn(|context| {
        let _ = interrupted.as_mut().poll(context);
        std::task::Poll::Ready(())
    })
    .await;
    eprintln!("listening on http://{}/", server.address());

    if settings.expect == Some(0) {
        expectation_met.notify_one();
    }
    let end = tokio::select! {
        () = expectation_met.notified() => End::Expected,
        () = sleep_or_forever(settings.timeout) => End::TimedOut,
        _ = &mut interrupted => End::Interrupted,
    };
    match tokio::time::timeout(SHUTDOWN_GRACE, server.stop()).await {
        Ok(stopped) => {
            stopped?;
            tokio::task::spawn_blocking(move || writer.finish()).await?;
        }
        // Unanswered requests were never acknowledged, so giving up on them loses nothing.
        Err(_) => terminal::warn(&format!(
            "requests still in flight after {} were left unanswered",
            duration::format(SHUTDOWN_GRACE)
        )),
    }

    let tally = tally.lock().expect("the tally is never poisoned");
    print_summary(&tally, &end, settings.expect, settings.timeout);
    Ok(match end {
        End::Interrupted => Outcome::Interrupted,
        End::TimedOut if settings.expect.is_some() => Outcome::Negative,
        End::Expected | End::TimedOut => Outcome::from_ok(tally.unverified == 0),
    })
}

/// How long requests in flight may take to finish once the listener is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

async fn sleep_or_forever(timeout: Option<Duration>) {
    match timeout {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}

/// `14:32:01.123 #2 POST /webhooks event 01HF… verified duplicate → 200`
fn request_line(captured: &Captured, time_zone: &TimeZone) -> String {
    let record = &captured.record;
    let time = captured
        .received_at
        .to_zoned(time_zone.clone())
        .strftime("%H:%M:%S%.3f")
        .to_string();
    let event = record.event_id.as_deref().unwrap_or("-");
    let verdict = match (record.verified, &captured.failure) {
        (None, _) => style::dim("unverified").to_string(),
        (Some(true), _) => style::good("verified").to_string(),
        (Some(false), Some(failure)) => format!("{} ({failure})", style::bad("FAIL")),
        (Some(false), None) => style::bad("FAIL").to_string(),
    };
    let duplicate = if record.duplicate {
        format!(" {}", style::caution("duplicate"))
    } else {
        String::new()
    };
    let status = record.status.to_string();
    let status = if (200..300).contains(&record.status) {
        style::good(&status)
    } else {
        style::caution(&status)
    };
    format!(
        "{} #{} {} {} event {event} {verdict}{duplicate} → {status}",
        style::dim(&time),
        record.seq,
        style::strong(&record.method),
        record.path,
    )
}

fn print_summary(tally: &Tally, end: &End, expect: Option<u64>, timeout: Option<Duration>) {
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
    terminal::note(&format!("{why}; {}", counts.join(", ")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        assert_eq!(parse_size("10MiB").unwrap(), 10 << 20);
        assert_eq!(parse_size("1kb").unwrap(), 1000);
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10XB").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn status_lists_name_the_bad_entry() {
        assert_eq!(
            parse_statuses("503, 503,200").unwrap(),
            ResponseScript::new(vec![503, 503, 200]).unwrap()
        );
        let error = parse_statuses("503,abc").unwrap_err();
        assert_eq!(error.message, "`abc` is not an HTTP status, --respond");
        assert!(parse_statuses("700").is_err());
    }
}
