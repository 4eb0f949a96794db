//! The command-line grammar: clap definitions, typed by the value parsers in `values`. Doc
//! comments here are the `--help` text.

pub mod compose;
pub mod settings;
pub mod usage;
pub mod values;

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::capture::ResponseScript;
use crate::domain::probe::ProbeScheme;
use crate::domain::schedule::Curve;
use crate::domain::secret::Secret;
use crate::domain::target::Target;
use settings::ColorChoice;
use values::EventNameParser;

const AFTER_HELP: &str = "\
Exit codes:
  0    success
  1    a negative result: a signature that does not verify, a file that does not validate,
       a delivery that failed, a listener whose expectations were not met
  2    usage or input error: unknown flag or event, unreadable file, malformed URL
  130  interrupted by Ctrl-C

Facts marked \"assumed\" (see `hooktool events`) are not documented by the provider;
hooktool uses a stated default and lets you change it. A check that rests on one warns instead
of failing; `validate --strict` and `verify --strict` make it fail.";

/// Test webhook receivers locally: provider-exact signed events, retry curves, verification,
/// schema validation and a lossless capture listener. No account, no network.
#[derive(Debug, Parser)]
#[command(name = "hooktool", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// When to colour output: auto (only on a terminal, off when NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Load provider packs from DIR: a pack folder (holding provider.toml) or a folder of packs.
    /// Repeatable. Also read: HOOKTOOL_PROVIDERS (folders separated by `:`), then
    /// ./.hooktool/providers/.
    #[arg(long = "providers", value_name = "DIR", global = true)]
    pub providers: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the event catalogue: provider, description, signing scheme, retry curve, and what is
    /// assumed where the provider's documents are silent.
    #[command(
        after_help = "Examples:\n  hooktool events\n  hooktool events --json | jq '.[].name'"
    )]
    Events(EventsArgs),

    /// Print an event's JSON Schema (draft 2020-12).
    #[command(
        after_help = "Examples:\n  hooktool schema user_created\n  hooktool schema badge_created > badge_created.schema.json"
    )]
    Schema(SchemaArgs),

    /// Build a realistic sample event, signed exactly as its provider signs it.
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),

    /// Deliver events to a local endpoint, retrying on the provider's curve.
    #[command(after_help = SEND_EXAMPLES)]
    Send(SendArgs),

    /// Verify captured requests and explain every failure.
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),

    /// Validate JSON files against the event schemas and the providers' rules.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),

    /// Run a local receiver that captures every delivery before answering it.
    #[command(after_help = LISTEN_EXAMPLES)]
    Listen(ListenArgs),

    /// Run the whole loop end to end on built-in defaults: listen, send, verify, validate.
    #[command(
        after_help = "Examples:\n  hooktool demo\n  hooktool demo --keep     # keep the capture and secrets to replay them"
    )]
    Demo(DemoArgs),

    /// Grade a receiver: send deliveries each correct but for one flaw, and check it accepts
    /// exactly the genuine ones.
    #[command(after_help = PROBE_EXAMPLES)]
    Probe(ProbeArgs),

    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),

    /// List the provider packs loaded and where each came from, or check a pack folder.
    #[command(after_help = PROVIDERS_EXAMPLES)]
    Providers(ProvidersArgs),
}

const PROVIDERS_EXAMPLES: &str = "\
Examples:
  hooktool providers
  hooktool providers --json | jq '.[].id'
  hooktool providers check examples/providers/acme
  hooktool --providers examples/providers events";

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Print the list as one JSON document.
    #[arg(long)]
    pub json: bool,

    #[command(subcommand)]
    pub action: Option<ProvidersAction>,
}

#[derive(Debug, Subcommand)]
pub enum ProvidersAction {
    /// Check a pack: its provider.toml, every schema and sample, a sample built from each schema
    /// that has none, and its event names against the packs already loaded. Exit 0 when sound,
    /// 2 with the file, line and key otherwise.
    Check {
        /// A pack folder, or a folder of packs.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

const GENERATE_EXAMPLES: &str = "\
Examples:
  hooktool generate user_created --secret whsec_$(openssl rand -hex 32)
  hooktool generate post_created --seed 7 --now 1700000000 --format http
  hooktool generate user_received_badge --set User.Email=null --format body   # a negative fixture
  hooktool generate badge_created --private-key my-app.pem --format payload
  hooktool generate certificate_completed --auth bearer --secret-file token.txt --format curl";

const SEND_EXAMPLES: &str = "\
Examples:
  hooktool send user_created --to localhost:3000/webhooks
  hooktool send post_created --to :3000 --time-scale 0.001        # the 33 h Cativa curve in 2 min
  hooktool send badge_created --to 3000 --retry 1s,5s,30s
  hooktool send certificate_completed --to localhost:3000 --count 1000 --concurrency 5 --json
  hooktool send user_created --to https://localhost:8443/hook --cacert ca.crt";

const VERIFY_EXAMPLES: &str = "\
Examples:
  hooktool generate user_created --secret whsec_... --format http > request.http
  hooktool verify request.http --secret whsec_...
  hooktool verify capture.jsonl --secret whsec_old --secret whsec_new
  hooktool verify request.http --secret whsec_... --now 1700000000 --explain
  hooktool verify --header 'X-Cativa-Signature: t=...,v1=...' --body body.json --secret whsec_...

A check that rests on an assumption rather than on the provider's documents is a warning that
says \"assumed\" and does not fail the request; --strict fails it. Such a check: a Wix token issued
in the future (Wix documents exp and nbf as the limits; PyJWT refuses such a token, Wix's SDK does not).

Exit status: 0 every request verified, 1 any failed, 2 an input cannot be read or parsed.";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  hooktool validate fixtures/valid
  hooktool validate payload.json --event user_created
  hooktool validate fixtures/invalid --expect-invalid
  hooktool validate fixtures/valid --format github     # GitHub Actions annotations
  hooktool validate fixtures/valid --strict            # broken assumptions fail too
  hooktool generate post_created --format payload | hooktool validate -

The event of a file: --event, else an event name in its path (the longest one, file name first),
else the one event whose schema the document matches; otherwise the file fails and asks for
--event, even with --expect-invalid.

Rules beyond the schema (documented: an error; assumed: the provider does not state it, so a
warning that says \"assumed\", an error with --strict):
  user-mirror          documented  user_created: UserId, Email, FirstName, LastName, DisplayName,
                                   Username, PhoneNumber, CreatedAt equal their User.* mirrors
  unknown-field        assumed     Cativa: no field beyond those Cativa documents
  unique-badges        assumed     Cativa: User.Badges lists each badge once
  badge-listed         assumed     user_received_badge: User.Badges contains BadgeId
  user-exists-first    assumed     User.CreatedAt is not after JoinedAt / ReceivedAt / CreatedAt
  wix-entity-id        documented  Wix: entityId equals the created or updated entity's id
  wix-event-name       documented  Wix: slug is the event's own and names the body; badge events'
                                   entityFqdn is wix.badges.v4.badge
  wix-assignment-fqdn  assumed     Wix badge assignments: entityFqdn is
                                   wix.badges.v4.badge_assignment
  dates-in-order       assumed     Wix createdDate <= updatedDate; Beedeez createdAt <= updatedAt,
                                   creationDate <= expires
  expired-has-expiry   assumed     certificate_expired: expires is set

Exit status: 0 every file as expected (warnings alone do not fail a file; with --strict they
do), 1 any file not, 2 unreadable path or unknown event.";

const LISTEN_EXAMPLES: &str = "\
Examples:
  hooktool listen --port 3000 --secret whsec_... --out capture.jsonl
  hooktool listen --port 0 --respond 503,503,200 --expect 3 --timeout 30s
  hooktool listen --public-key my-app-public.pem --tolerance 60s

Requests are verified live as `hooktool verify` verifies them, with the same --secret,
--secret-file, --public-key, --tolerance, --scheme and --strict. Without a secret or key, a
request is recorded `verified: null`, except a Wix JWT body, checked with the development key as
verify checks it.";

const PROBE_EXAMPLES: &str = "\
Examples:
  hooktool probe user_created --to localhost:3000/webhooks --secret-file secret.txt
  hooktool probe user_created --list
  hooktool probe user_created --to :3000 --secret whsec_... --scheme stripe --format junit > probe.xml
  hooktool probe badge_created --to :3000/wix                    # signed with the development key
  hooktool probe certificate_completed --to :3000 --auth bearer --secret-file token.txt
  hooktool probe post_created --to :3000 --secret whsec_... --case valid --case unsigned

A forged or invalid delivery passes when rejected with a 4xx, fails when accepted (2xx), and is a
warning when answered 5xx (the provider retries what should fail for good). A genuine delivery
passes by the provider's success rule within its timeout. Exit status: 0 no case failed (with
--strict, no warning either), 1 some case failed, 2 usage or input error.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  hooktool completions bash > ~/.local/share/bash-completion/completions/hooktool
  hooktool completions zsh > \"${fpath[1]}/_hooktool\"
  hooktool completions fish > ~/.config/fish/completions/hooktool.fish";

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Print the catalogue as one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Event name (`hooktool events` lists them).
    #[arg(value_name = "EVENT", value_parser = EventNameParser, hide_possible_values = true)]
    pub event: String,
}

/// How a sample event is built and signed; shared by `generate` and `send`.
#[derive(Debug, Clone, Args)]
pub struct ComposeArgs {
    /// Event name (`hooktool events` lists them; Wix events also by short name, e.g. badge_created).
    #[arg(value_name = "EVENT", value_parser = EventNameParser, hide_possible_values = true)]
    pub event: String,

    /// Signing secret (Cativa `whsec_...`), or the Beedeez credential (token, `user:pass`, API key).
    /// Without one, a random secret is made and announced on stderr.
    #[arg(
        long,
        env = "HOOKTOOL_SECRET",
        hide_env_values = true,
        value_name = "SECRET",
        value_parser = values::secret
    )]
    pub secret: Option<Secret>,

    /// Read the secret from a file (one trailing newline is ignored).
    #[arg(long, value_name = "FILE", conflicts_with = "secret")]
    pub secret_file: Option<PathBuf>,

    /// Seed for the sample data: the same seed, --now and secret give byte-identical output.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// The delivery time, as Unix seconds (default: now). Sample dates are set relative to it.
    #[arg(long, value_name = "UNIX_SECONDS", value_parser = values::unix_seconds, allow_hyphen_values = true)]
    pub now: Option<i64>,

    /// Set a field by dotted path (`User.Email=a@b.c`, `User.Badges.0=...`). The value is read as
    /// JSON when it parses as JSON, else as a string. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// Remove a field by dotted path (for fixtures that miss a required field). Repeatable.
    #[arg(long = "unset", value_name = "PATH")]
    pub unsets: Vec<String>,

    /// Use this file as the event document, byte for byte, instead of a generated sample.
    /// For Wix it is the innermost event, carried verbatim inside the signed JWT.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["sets", "unsets"])]
    pub body: Option<PathBuf>,

    /// Wix: RSA private key (PEM) to sign the JWT body with
    /// (default: the development key pair shipped with hooktool).
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,

    /// Beedeez: the endpoint's authentication method. The credential comes from --secret.
    #[arg(long, value_enum, value_name = "METHOD", default_value_t = AuthMethod::None)]
    pub auth: AuthMethod,

    /// Header carrying the key for `--auth api-key` [default: the provider's; Beedeez:
    /// X-API-Key, assumed].
    #[arg(long, value_name = "NAME", value_parser = values::header_name)]
    pub api_key_header: Option<String>,
}

/// Beedeez endpoint authentication methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMethod {
    /// No credential.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic base64(user:pass)`; the secret is `user:pass`.
    Basic,
    /// The key in a named header (--api-key-header).
    ApiKey,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub compose: ComposeArgs,

    /// Output: json (method, headers, body), http (raw HTTP/1.1 request), body (the body bytes),
    /// curl (a ready-to-run command), payload (the event document; for Wix, decoded from the JWT).
    #[arg(long, value_enum, default_value_t = GenerateFormat::Json)]
    pub format: GenerateFormat,

    /// Where the `http` and `curl` formats address the request (same forms as `send --to`); a
    /// URL's user:password@ becomes the Authorization: Basic header they carry.
    #[arg(long, value_name = "TARGET", default_value = "localhost:8080", value_parser = values::target)]
    pub to: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateFormat {
    Json,
    Http,
    Body,
    Curl,
    Payload,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub compose: ComposeArgs,

    /// The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x,
    /// [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL's user:password@ is
    /// sent as Authorization: Basic (as curl does) and its password shown as ***.
    #[arg(long, value_name = "TARGET", value_parser = values::target)]
    pub to: Target,

    /// Retry curve: cativa, wix, beedeez (its backoff is assumed: 1s, 2s, 4s, then 6s), none, or delays such as 1s,5s,30s
    /// (default: the event's provider curve). A provider curve brings that provider's success
    /// rule, permanent statuses, Retry-After rule and timeout; none and custom lists keep the
    /// event provider's.
    #[arg(long, value_name = "CURVE", value_parser = values::curve, allow_hyphen_values = true)]
    pub retry: Option<Curve>,

    /// Multiply every retry delay by F (0.001 turns 30s into 30ms); timeouts are not scaled.
    /// Delays run from the end of the previous attempt.
    #[arg(long, value_name = "F", default_value = "1", value_parser = values::time_scale, allow_hyphen_values = true)]
    pub time_scale: f64,

    /// Per-attempt timeout (default: the provider's: Cativa 10s (assumed), Wix 1250ms, Beedeez 5s).
    #[arg(long, value_name = "DURATION", value_parser = values::duration, allow_hyphen_values = true)]
    pub timeout: Option<Duration>,

    /// Send N distinct events.
    #[arg(long, value_name = "N", default_value = "1", value_parser = values::positive_count, allow_hyphen_values = true)]
    pub count: u64,

    /// Requests in flight at once; an event waiting for its next retry holds none (default: 5
    /// for Beedeez, as documented; 1 otherwise).
    #[arg(long, value_name = "C", value_parser = values::positive_width, allow_hyphen_values = true)]
    pub concurrency: Option<usize>,

    /// Allow targets that are not loopback addresses.
    #[arg(long)]
    pub allow_remote: bool,

    /// HTTPS targets: also trust the CA certificates in this PEM file, besides the system's
    /// store (e.g. a local receiver's own CA). Ignored for http targets.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// HTTPS targets: accept any certificate, even an untrusted, expired or mismatched one (like
    /// curl -k); the traffic is still encrypted but the receiver unauthenticated. Ignored for
    /// http targets.
    #[arg(long)]
    pub insecure: bool,

    /// Print a JSON report of every attempt on stdout.
    #[arg(long)]
    pub json: bool,
}

/// How received requests are judged: the keys, the clock tolerance and the scheme. Shared by
/// `verify` and `listen`, so that a delivery `listen` records as verified is one `verify`
/// passes, and the other way round.
#[derive(Debug, Args)]
pub struct JudgeArgs {
    /// Secret to verify with (Cativa, Stripe, Standard Webhooks, GitHub), or the Beedeez
    /// credential; repeat for key rotation (any match passes).
    #[arg(long = "secret", env = "HOOKTOOL_SECRET", hide_env_values = true, value_name = "SECRET", value_parser = values::secret)]
    pub secrets: Vec<Secret>,

    /// Read a secret from a file (one trailing newline is ignored). Repeatable.
    #[arg(long = "secret-file", value_name = "FILE")]
    pub secret_files: Vec<PathBuf>,

    /// Wix: RSA public key (PEM) to verify JWT bodies with (default: hooktool's development
    /// key).
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,

    /// Allowed clock difference, both directions, as Cativa and Standard Webhooks document it;
    /// for Wix tokens the clock leeway (assumed); 0 disables the time check [default: 300s, or
    /// a loaded pack's `signing.tolerance` for its scheme].
    #[arg(long, value_name = "DURATION", value_parser = values::duration, allow_hyphen_values = true)]
    pub tolerance: Option<Duration>,

    /// Signature scheme (default: detected from the headers).
    /// Also the id of a loaded pack that signs with `hmac`.
    #[arg(long, value_name = "SCHEME", value_parser = values::SchemeNameParser)]
    pub scheme: Option<values::SchemeName>,

    /// Fail a request on a broken assumption too (a warning that says "assumed": a check the
    /// provider does not document, such as a Wix token issued in the future).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Raw HTTP requests, `generate` JSON, or JSON Lines captures; `-` or nothing reads stdin.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub judge: JudgeArgs,

    /// The verification time, as Unix seconds (default: now).
    #[arg(long, value_name = "UNIX_SECONDS", value_parser = values::unix_seconds, allow_hyphen_values = true)]
    pub now: Option<i64>,

    /// A request header, `Name: value` (with --body, instead of INPUT). Repeatable.
    #[arg(long = "header", value_name = "NAME: VALUE", requires = "body", value_parser = values::header)]
    pub headers: Vec<(String, String)>,

    /// The request body file, byte for byte (with --header).
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,

    /// Show the signed message's first bytes and the expected signature.
    #[arg(long)]
    pub explain: bool,

    /// Largest input read, per INPUT file, stdin or --body file, e.g. 4GiB, 512MiB, 1MB or 4096
    /// (bytes); a larger or endless input is refused (exit 2).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = values::size)]
    pub max_input: usize,

    /// Print the results as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files, directories (recursively, *.json), or `-` for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Validate every file as this event (default: from the path, else from the document's shape).
    #[arg(long, value_name = "EVENT", value_parser = EventNameParser, hide_possible_values = true)]
    pub event: Option<String>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,

    /// Succeed only when every file is invalid (for negative fixtures).
    #[arg(long)]
    pub expect_invalid: bool,

    /// Treat broken assumptions (warnings that say "assumed": facts the provider does not
    /// document) as errors.
    #[arg(long)]
    pub strict: bool,

    /// Largest file read, per file or stdin, e.g. 256MiB, 512KiB, 1MB or 4096 (bytes); a larger
    /// or endless input is refused (exit 2).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = values::size)]
    pub max_input: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Text,
    Json,
    Junit,
    Github,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// Address to bind: an IP address such as 127.0.0.1, ::1 or [::1], 0.0.0.0 or :: for other
    /// machines, or localhost (127.0.0.1).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = values::bind_address)]
    pub bind: IpAddr,

    // The same keys, tolerance and scheme as `verify`.
    #[command(flatten)]
    pub judge: JudgeArgs,

    /// Statuses for successive requests, e.g. 503,503,200 (the last one repeats); 200 to 599.
    #[arg(long, value_name = "LIST", default_value = "200", value_parser = values::statuses)]
    pub respond: ResponseScript,

    /// Append capture records (JSON Lines) to this file (default: stdout).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Exit after N requests: 0 when all verified (or no secret given), 1 otherwise.
    #[arg(long, value_name = "N")]
    pub expect: Option<u64>,

    /// With --expect: exit 1 when fewer requests arrive within this time. Without: stop after
    /// it, exit 0 when every request verified (or no secret was given), 1 otherwise.
    #[arg(long, value_name = "DURATION", value_parser = values::duration, allow_hyphen_values = true)]
    pub timeout: Option<Duration>,

    /// Largest body accepted, e.g. 10MiB, 512KiB, 1MB or 4096 (bytes); larger requests are
    /// answered 413 (and recorded without their body).
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = values::size)]
    pub max_body: usize,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    #[command(flatten)]
    pub compose: ComposeArgs,

    /// The receiver: localhost, localhost:3000, :3000, 3000, 3000/webhooks, 127.0.0.1:8080/x,
    /// [::1]:3000 or a full URL; a number is a port, 0 is refused. A URL's user:password@ is
    /// sent as Authorization: Basic (as curl does) and its password shown as ***.
    #[arg(long, value_name = "TARGET", value_parser = values::target, required_unless_present = "list")]
    pub to: Option<Target>,

    /// What the receiver verifies, for Cativa events: cativa (default), or the same event signed
    /// the stripe, standard (Standard Webhooks) or github way.
    #[arg(long, value_name = "SCHEME", value_parser = values::PROBE_SCHEMES)]
    pub scheme: Option<ProbeScheme>,

    /// Wix: the receiver's RSA public key (PEM), for the algorithm-confusion case (default:
    /// hooktool's development key; with --private-key and no --public-key that case is skipped).
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,

    /// The receiver's allowed clock difference (default: 300s, as Cativa, Stripe and Standard
    /// Webhooks document it).
    #[arg(long, value_name = "DURATION", value_parser = values::duration, allow_hyphen_values = true)]
    pub tolerance: Option<Duration>,

    /// Run only this case; repeatable (`--list` shows the names).
    #[arg(long = "case", value_name = "NAME")]
    pub cases: Vec<String>,

    /// Leave this case out; repeatable.
    #[arg(long = "skip", value_name = "NAME")]
    pub skips: Vec<String>,

    /// List the cases for the event's provider and scheme, and send nothing.
    #[arg(long)]
    pub list: bool,

    /// Count warnings (5xx to forgeries) as failures.
    #[arg(long)]
    pub strict: bool,

    /// Allow targets that are not loopback addresses.
    #[arg(long)]
    pub allow_remote: bool,

    /// HTTPS targets: also trust the CA certificates in this PEM file.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// HTTPS targets: accept any certificate.
    #[arg(long)]
    pub insecure: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ProbeFormat::Text)]
    pub format: ProbeFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProbeFormat {
    Text,
    Json,
    Junit,
    Github,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo's workspace (capture file, secret and token) and show commands that replay
    /// it; without this it is removed when the demo ends.
    #[arg(long)]
    pub keep: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;
    use crate::domain::semantics::RULES;

    #[test]
    fn verify_and_listen_judge_with_the_same_options_and_defaults() {
        let cli = Cli::command();
        let judging = |name: &str| -> Vec<String> {
            cli.find_subcommand(name)
                .unwrap()
                .get_arguments()
                .filter(|arg| {
                    [
                        "secrets",
                        "secret_files",
                        "public_key",
                        "tolerance",
                        "scheme",
                        "strict",
                    ]
                    .contains(&arg.get_id().as_str())
                })
                .map(|arg| {
                    format!(
                        "--{} {:?} {:?} {:?}",
                        arg.get_long().unwrap_or_default(),
                        arg.get_default_values(),
                        arg.get_env(),
                        arg.get_help().map(ToString::to_string)
                    )
                })
                .collect()
        };
        let verify = judging("verify");
        assert_eq!(verify.len(), 6, "{verify:#?}");
        assert_eq!(judging("listen"), verify);
    }

    #[test]
    fn every_rule_is_documented_in_validate_help_with_its_basis() {
        let help = Cli::command()
            .find_subcommand_mut("validate")
            .unwrap()
            .render_long_help()
            .to_string();
        for rule in &RULES {
            let basis = if rule.is_assumed() {
                "assumed"
            } else {
                "documented"
            };
            let line = help
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("{} ", rule.id)));
            assert!(
                line.is_some_and(|line| line.split_whitespace().nth(1) == Some(basis)),
                "{} ({basis}) missing from `validate --help`",
                rule.id
            );
        }
    }
}
