//! The demo's narration: what it is about to show, each scenario's lesson, headings for the
//! verification and validation it re-runs, and the closing words with commands to try next.

use core::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use crate::domain::capture::CaptureRecord;
use crate::domain::catalogue::Event;
use crate::domain::catalogue::rules::format_curve;
use crate::domain::target::Target;
use crate::render::style::Palette;

/// Where the workspace's files are, for the closing words; `kept` when they outlive the demo.
pub struct WorkspacePaths<'a> {
    pub dir: &'a Path,
    pub capture_file: &'a Path,
    pub secret_file: &'a Path,
    pub token_file: &'a Path,
    pub kept: bool,
}

pub fn opening(
    address: SocketAddr,
    capture_file: &Path,
    statuses: &[u16],
    palette: Palette,
) -> String {
    let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
    format!(
        "{}\n\n{} http://{address}/ captures every request to {}\n       scripted answers, in order: {}\n\n",
        palette.strong(
            "hooktool demo: three providers, one local receiver, nothing leaves this machine"
        ),
        palette.strong("listen"),
        capture_file.display(),
        statuses.join(" ")
    )
}

/// What one scenario is about to show: the event, the lesson, and the provider's retry curve,
/// labelled when it is assumed.
pub fn scenario(
    lesson: &str,
    event: &Event,
    target: &Target,
    time_scale: f64,
    palette: Palette,
) -> String {
    let delays = &event.rules().retry_delays;
    let curve = format!(
        "{}{}",
        format_curve(&delays.value),
        if delays.basis.is_assumed() {
            " (assumed)"
        } else {
            ""
        }
    );
    format!(
        "{} {} ({}) to {target}\n       {}\n       retry curve {curve}, scaled ×{time_scale}\n",
        palette.strong("send  "),
        palette.good(event.name),
        event.provider.display_name(),
        palette.dim(lesson),
    )
}

pub fn verify_heading(count: usize, palette: Palette) -> String {
    format!(
        "{} {count} captured requests, re-read from the capture file\n",
        palette.strong("verify")
    )
}

/// ` answered 503 (a retry: event id seen before)` after a capture's verification line.
pub fn capture_note(record: &CaptureRecord, palette: Palette) -> String {
    let retry = match (record.duplicate, &record.event_id) {
        (false, _) => String::new(),
        (true, Some(_)) => palette.caution(" (a retry: event id seen before)"),
        // Beedeez sends no event id; its key is an assumption.
        (true, None) => palette.caution(" (a retry: _id and updatedAt seen before, assumed key)"),
    };
    format!(" {} answered {}{retry}", record.path, record.status)
}

pub fn validate_heading(palette: Palette) -> String {
    format!(
        "{} the payloads against their schemas and the providers' rules\n",
        palette.strong("validate")
    )
}

/// `user_created: valid`, or INVALID with its errors; broken assumptions follow as warnings.
pub fn validation_line(
    event: &str,
    errors: &[String],
    warnings: &[String],
    palette: Palette,
) -> String {
    let mut verdict = if errors.is_empty() {
        palette.good("valid")
    } else {
        format!("{} {}", palette.bad("INVALID"), errors.join("; "))
    };
    if !warnings.is_empty() {
        verdict.push_str(&format!(
            "; {} {}",
            palette.caution("warning:"),
            warnings.join("; ")
        ));
    }
    format!("       {event}: {verdict}\n")
}

/// What the demo says when Ctrl-C stops it before the end.
pub fn interrupted(elapsed: Duration, palette: Palette) -> String {
    format!(
        "\n{} after {:.1}s: the listener and every delivery in flight were stopped\n",
        palette.bad("interrupted"),
        elapsed.as_secs_f64()
    )
}

/// The verdict, and commands to try next: replaying the kept workspace, or starting afresh.
pub fn closing(
    ok: bool,
    workspace: &WorkspacePaths,
    elapsed: Duration,
    palette: Palette,
) -> String {
    let headline = if ok {
        palette.good("all delivered, verified and valid")
    } else {
        palette.bad("something did not work: see the lines above")
    };
    let mut out = format!("{headline} in {:.1}s\n\n", elapsed.as_secs_f64());
    if workspace.kept {
        let secret = workspace.secret_file.display();
        out.push_str(&format!(
            "The demo's capture, secret and token are kept in {}. Replay and try them:\n  \
             hooktool verify {} --secret-file {secret} --secret-file {} --tolerance 0\n  \
             hooktool listen --port 3000 --secret-file {secret} --out capture.jsonl\n  \
             hooktool send user_created --to localhost:3000/webhooks --secret-file {secret} --time-scale 0.001\n",
            workspace.dir.display(),
            workspace.capture_file.display(),
            workspace.token_file.display(),
        ));
    } else {
        out.push_str(
            "Try it on your own receiver (listen stands in for it here):\n  \
             export HOOKTOOL_SECRET=whsec_$(openssl rand -hex 32)\n  \
             hooktool listen --port 3000 --out capture.jsonl &\n  \
             hooktool send user_created --to localhost:3000/webhooks --time-scale 0.001\n  \
             hooktool verify capture.jsonl\n\
             The demo's capture and secrets were removed; `hooktool demo --keep` keeps them to replay.\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;

    #[test]
    fn the_beedeez_curve_is_labelled_assumed_and_the_cativa_curve_is_not() {
        let target = Target::parse("http://127.0.0.1:1/").unwrap();
        let scenario_of = |name: &str| {
            let event = catalogue::find(name).unwrap();
            scenario("lesson", event, &target, 0.001, Palette::PLAIN)
        };
        assert!(
            scenario_of("certificate_completed")
                .contains("retry curve 1s → 2s → 4s → 6s ×96 (assumed), scaled ×0.001")
        );
        assert!(
            scenario_of("user_created")
                .contains("retry curve 30s → 5m → 30m → 2h → 6h → 24h, scaled ×0.001")
        );
    }

    #[test]
    fn warnings_follow_the_verdict() {
        let warning = ["/Locale: unknown field `Locale` (assumed: x)".to_string()];
        assert_eq!(
            validation_line("user_created", &[], &warning, Palette::PLAIN),
            "       user_created: valid; warning: /Locale: unknown field `Locale` (assumed: x)\n"
        );
        assert_eq!(
            validation_line("user_created", &[], &[], Palette::PLAIN),
            "       user_created: valid\n"
        );
    }
}
