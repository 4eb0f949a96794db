//! `hooktool probe`: grades a receiver by sending it deliveries each correct but for one flaw,
//! one after another, and checking it accepts the genuine ones and rejects the forged ones the
//! way the provider expects.

use std::time::Duration;

use crate::cli::compose::Composition;
use crate::cli::{ProbeArgs, ProbeFormat};
use crate::domain::catalogue::BuiltIn;
use crate::domain::message::Signer;

use crate::domain::probe::{
    self, Answer, Delivery, Outcome as CaseOutcome, ProbeScheme, Report, Signing,
};
use crate::domain::signature::wix;
use crate::error::{Outcome, UserError, runtime_unavailable};
use crate::io::delivery::{Sender, Trust};
use crate::io::{allocator, files, terminal};
use crate::render::probe as render;

/// The receiver's clock tolerance when none is given: 300 s, as Cativa, Stripe and Standard
/// Webhooks document it (and the lifetime of a Wix JWT).
const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
/// Secrets for the cases that need one the receiver does not hold; whichever differs from the
/// receiver's is used. Both are well-formed for every HMAC scheme.
const OTHER_SECRETS: [&str; 2] = [
    "whsec_c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQ=",
    "whsec_YSBzZWNyZXQgdGhlIHJlY2VpdmVyIGRvZXMgbm90IGhvbGQ=",
];

pub fn run(args: &ProbeArgs) -> anyhow::Result<Outcome> {
    if args.compose.secret.is_none() && args.compose.secret_file.is_none() {
        let event = crate::domain::catalogue::find(&args.compose.event)?;
        if event.provider.hmac().is_some() && !args.list {
            return Err(UserError::new(
                "the receiver's secret is needed to sign the genuine deliveries, --secret",
            )
            .hint("give it with --secret, HOOKTOOL_SECRET or --secret-file")
            .into());
        }
    }
    let composition = Composition::resolve(&args.compose)?;
    let composer = &composition.composer;
    let event = composer.event;
    let provider = event.provider;
    let scheme = match (provider.built_in, args.scheme) {
        (Some(BuiltIn::Cativa), scheme) => scheme.unwrap_or(ProbeScheme::Cativa),
        (_, Some(_)) => {
            return Err(UserError::new(format!(
                "--scheme applies to Cativa events; {} events are probed the way {} signs them, --scheme",
                provider.display_name(),
                provider.display_name()
            ))
            .into());
        }
        (_, None) => match &composer.authenticator.signer {
            Signer::Hmac { .. } => ProbeScheme::Pack(provider),
            Signer::Jwt { .. } => ProbeScheme::Wix,
            Signer::Credential { .. } => ProbeScheme::Beedeez,
            Signer::Unsigned => {
                return Err(UserError::new(format!(
                    "{} does not authenticate its deliveries (scheme `none`): there is nothing to probe",
                    provider.display_name()
                ))
                .into());
            }
        },
    };
    let has_credential = !matches!(
        &composer.authenticator.signer,
        Signer::Credential {
            credential: crate::domain::signature::beedeez::Credential::None
        }
    );
    let cases = probe::select(
        probe::cases_for(scheme, has_credential),
        &args.cases,
        &args.skips,
    )
    .map_err(|unknown| {
        let flag = if args.cases.contains(&unknown.name) {
            "--case"
        } else {
            "--skip"
        };
        UserError::new(format!("no case `{}` for this event, {flag}", unknown.name)).hint(format!(
            "did you mean `{}`? `--list` shows every case",
            unknown.closest
        ))
    })?;
    if scheme == ProbeScheme::Beedeez && !has_credential {
        terminal::note(
            "no credential to probe: pass --auth bearer|basic|api-key and the receiver's credential (--secret) to add the credential cases",
        );
    }
    if args.list {
        terminal::write_stdout(render::list(&cases, terminal::stdout_palette()).as_bytes())?;
        return Ok(Outcome::Success);
    }
    let target = args.to.as_ref().expect("clap requires --to without --list");
    if target.authorization().is_some() {
        // Every case decides its own credentials; the URL's would fill the ones a case leaves
        // out on purpose.
        return Err(UserError::new(format!("{target} carries credentials, --to"))
            .hint("probe sends the credential itself: remove user:password@ and use --auth and --secret")
            .into());
    }
    if !target.is_loopback() && !args.allow_remote {
        return Err(
            UserError::new(format!("{target} is not on this machine, --to"))
                .hint("pass --allow-remote to probe it anyway")
                .into(),
        );
    }
    let message = composer
        .message(0)
        .map_err(|error| UserError::new(error.to_string()))?;
    // The secret's shape is Cativa's business only when the receiver verifies the Cativa way.
    if scheme == ProbeScheme::Cativa || !provider.is(BuiltIn::Cativa) {
        composition.announce();
    } else {
        composition.announce_notes();
    }

    let rules = event.rules();
    // Who delivers, and whose timeout and retries the grades speak of: Wix itself, not the
    // catalogue's app name.
    let deliverer = if provider.is(BuiltIn::Wix) {
        "Wix"
    } else {
        provider.display_name()
    };
    let public_key = match (&args.public_key, &args.compose.private_key) {
        (Some(path), _) => Some(files::read_key_file(path, "--public-key")?),
        (None, None) => Some(wix::DEV_PUBLIC_KEY_PEM.as_bytes().to_vec()),
        (None, Some(_)) => None,
    };
    let other_key = wix::SigningKey::other();
    let mut headers = vec![(
        "Content-Type".to_string(),
        rules.content_type.value.to_string(),
    )];
    let secret = composition.secret.as_ref();
    let signing = match &composer.authenticator.signer {
        Signer::Hmac { .. } => {
            let secret = secret.expect("hmac schemes always have a secret").expose();
            // Stripe, Standard and GitHub receivers of a Cativa event see only their own headers.
            if matches!(scheme, ProbeScheme::Cativa | ProbeScheme::Pack(_)) {
                headers.extend_from_slice(composer.authenticator.provider_headers());
            }
            Signing::Hmac {
                scheme,
                secret,
                other_secret: OTHER_SECRETS
                    .into_iter()
                    .find(|other| *other != secret)
                    .expect("two distinct secrets cannot both equal one"),
            }
        }
        Signer::Jwt {
            key,
            instance_id,
            account_info,
        } => Signing::Jwt {
            key,
            other_key: &other_key,
            public_key_pem: public_key.as_deref(),
            event_type: event.name,
            instance_id,
            identity: message.identity(),
            account_info,
        },
        Signer::Credential { credential } => {
            headers.extend_from_slice(composer.authenticator.provider_headers());
            Signing::Credential { credential }
        }
        Signer::Unsigned => unreachable!("refused above: nothing to probe"),
    };
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|case| probe::applies_to_headers(case, &headers))
        .collect();
    let event_id = message.event_id.clone().unwrap_or_default();
    let mut delivery = Delivery {
        document: &message.document,
        event_id: &event_id,
        headers: &headers,
        now: composer.now.as_second(),
        tolerance: args
            .tolerance
            .or(provider.tolerance.map(|fact| fact.value))
            .unwrap_or(DEFAULT_TOLERANCE),
        signing,
    };
    let trust = Trust {
        cacert: args.cacert.as_deref(),
        insecure: args.insecure,
    };
    let sender = Sender::new(target, rules.attempt_timeout.value, trust)?;
    allocator::begin_long_run();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(runtime_unavailable)?;
    let mut outcomes = Vec::new();
    runtime.block_on(async {
        for case in &cases {
            // A connection of its own per case: one case's answer (or a receiver closing the
            // connection after a refusal) never bears on the next.
            let mut connection = sender.connection();
            // Each case is signed for the moment it is sent, unless --now fixes the clock: a
            // slow receiver must not turn a timely delivery into a stale one.
            if args.compose.now.is_none() {
                delivery.now = jiff::Timestamp::now().as_second();
            }
            let Some(request) = probe::build(case, &delivery) else {
                terminal::note(&format!(
                    "{}: cannot be built for this delivery, skipped",
                    case.name
                ));
                continue;
            };
            let result = connection.attempt(request).await;
            let answer = match &result.answer {
                Ok(response) => Answer::Status(response.status),
                Err(error) => Answer::None(error.clone()),
            };
            let graded = probe::grade(case, &answer, rules, deliverer);
            let latency_ms = result.latency.as_secs_f64() * 1000.0;
            outcomes.push(CaseOutcome {
                case,
                answer,
                latency_ms,
                graded,
            });
        }
    });
    let report = Report {
        event: event.name,
        provider: event.provider.id(),
        scheme,
        target: target.to_string(),
        outcomes,
        strict: args.strict,
    };
    match args.format {
        ProbeFormat::Text => {
            terminal::write_stdout(render::text(&report, terminal::stdout_palette()).as_bytes())?
        }
        ProbeFormat::Json => terminal::print_json(&render::json(&report))?,
        ProbeFormat::Junit => terminal::write_stdout(render::junit(&report).as_bytes())?,
        ProbeFormat::Github => {
            terminal::write_stdout(render::github(&report).as_bytes())?;
            terminal::note(&render::summary(&report, terminal::stderr_palette()));
        }
    }
    Ok(Outcome::from_ok(report.passed()))
}
