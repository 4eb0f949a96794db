//! Turns `generate`/`send` flags into messages: reads the body, key and secret files, makes a
//! secret when none is given (and says so), and warns when a document breaks its schema.

use std::sync::Arc;

use jiff::Timestamp;
use rand::RngExt;

use crate::cli::exit::{UserError, read_file};
use crate::cli::{AuthMethod, ComposeArgs};
use crate::domain::catalogue::{self, Event, Provider};
use crate::domain::field_path;
use crate::domain::message::{Authenticator, Edit, Message, Source, SubscriptionIds};
use crate::domain::schema;
use crate::domain::secret::Secret;
use crate::domain::signature::{beedeez, cativa, wix};
use crate::io::terminal;

/// Everything needed to compose the messages of one run.
pub struct Composer {
    pub event: &'static Event,
    pub seed: u64,
    pub now: Timestamp,
    source: Source,
    authenticator: Arc<Authenticator>,
    /// Facts to tell the user once the run is known to go ahead (a secret made for them).
    notes: Vec<String>,
}

impl Composer {
    pub fn from_args(args: &ComposeArgs) -> Result<Composer, UserError> {
        let event = catalogue::find(&args.event)?;
        let now = match args.now {
            Some(seconds) => Timestamp::from_second(seconds).map_err(|_| {
                UserError::new(format!("{seconds} is out of range for a time, --now"))
            })?,
            None => Timestamp::now(),
        };
        let seed = args.seed.unwrap_or_else(|| rand::rng().random());
        let source = match &args.body {
            Some(path) => Source::Verbatim(read_file(path, "--body")?),
            None => Source::Sample(edits(args)?),
        };
        let secret = match (&args.secret, &args.secret_file) {
            (Some(value), _) if value.is_empty() => {
                return Err(UserError::new("the secret is empty, --secret"));
            }
            (Some(value), _) => Some(Secret::new(value.clone())),
            (None, Some(path)) => Some(Secret::from_file(path, "--secret-file")?),
            (None, None) => None,
        };
        let ids = SubscriptionIds::new(seed, now);
        let mut notes = Vec::new();
        let authenticator = match event.provider {
            Provider::Cativa => Authenticator::Cativa {
                secret: cativa_secret(secret, &mut notes),
                automation_id: ids.cativa_automation_id,
            },
            Provider::Wix => Authenticator::Wix {
                key: wix_key(args, &mut notes)?,
                instance_id: ids.wix_instance_id,
            },
            Provider::Beedeez => Authenticator::Beedeez {
                credential: beedeez_credential(args, secret, &mut notes)?,
            },
        };
        Ok(Composer {
            event,
            seed,
            now,
            source,
            authenticator: Arc::new(authenticator),
            notes,
        })
    }

    /// Tells the user, on stderr, what was chosen for them (a new secret, the development key).
    /// Called once the first message composed, so a usage error is not preceded by notes.
    pub fn announce(&self) {
        for note in &self.notes {
            terminal::note(note);
        }
    }

    /// The `index`-th message of the run: sample seed `seed + index`, so every message is a
    /// distinct event and `--seed N` alone reproduces the first.
    pub fn message(&self, index: u64) -> Result<Message, UserError> {
        Message::compose(
            self.event,
            &self.source,
            self.seed.wrapping_add(index),
            self.now,
            Arc::clone(&self.authenticator),
        )
        .map_err(|error| UserError::new(error.to_string()))
    }

    /// Warns on stderr when the document breaks its schema (deliberately invalid payloads are
    /// allowed, for negative tests).
    pub fn warn_about_schema(&self, message: &Message) {
        let Some(document) = message.document_json() else {
            terminal::warn(&format!(
                "the body is not JSON, so it cannot match the {} schema",
                self.event.name
            ));
            return;
        };
        for violation in schema::validate(self.event, &document) {
            terminal::warn(&format!(
                "the document does not match the {} schema: {violation}",
                self.event.name
            ));
        }
    }
}

fn edits(args: &ComposeArgs) -> Result<Vec<Edit>, UserError> {
    let mut edits = Vec::new();
    for text in &args.sets {
        let (path, value) = field_path::parse_assignment(text)
            .map_err(|error| UserError::new(format!("{error}, --set")))?;
        edits.push(Edit::Set(path, value));
    }
    edits.extend(args.unsets.iter().cloned().map(Edit::Unset));
    Ok(edits)
}

fn cativa_secret(secret: Option<Secret>, notes: &mut Vec<String>) -> Secret {
    match secret {
        Some(secret) => {
            if !cativa::is_well_formed_secret(secret.expose()) {
                terminal::warn(
                    "the secret does not look like a Cativa secret (`whsec_` and 64 hex characters); signing with it anyway",
                );
            }
            secret
        }
        None => {
            let bytes: [u8; 32] = rand::rng().random();
            let secret = format!("{}{}", cativa::SECRET_PREFIX, hex::encode(bytes));
            notes.push(format!(
                "no secret given (--secret, HOOKTOOL_SECRET or --secret-file); signing with a new one: {secret}"
            ));
            Secret::new(secret)
        }
    }
}

fn wix_key(args: &ComposeArgs, notes: &mut Vec<String>) -> Result<wix::SigningKey, UserError> {
    match &args.private_key {
        Some(path) => {
            let pem = read_file(path, "--private-key")?;
            wix::SigningKey::from_pem(&pem).map_err(|error| {
                UserError::new(format!("{error}, --private-key {}", path.display()))
                    .hint("expected an RSA private key, e.g. from `openssl genpkey -algorithm RSA`")
            })
        }
        None => {
            notes.push(
                "signing the JWT with hooktool's development key pair (fixtures/keys/wix-dev-public.pem verifies it; `hooktool verify` uses it by default)".to_string(),
            );
            Ok(wix::SigningKey::development())
        }
    }
}

fn beedeez_credential(
    args: &ComposeArgs,
    secret: Option<Secret>,
    notes: &mut Vec<String>,
) -> Result<beedeez::Credential, UserError> {
    if args.auth == AuthMethod::None {
        return Ok(beedeez::Credential::None);
    }
    let value = match secret {
        Some(secret) => secret.expose().to_string(),
        None => {
            let token = hex::encode(rand::rng().random::<[u8; 16]>());
            let value = if args.auth == AuthMethod::Basic {
                format!("beedeez:{token}")
            } else {
                token
            };
            notes.push(format!(
                "no credential given (--secret, HOOKTOOL_SECRET or --secret-file); using a new one: {value}"
            ));
            value
        }
    };
    Ok(match args.auth {
        AuthMethod::None => beedeez::Credential::None,
        AuthMethod::Bearer => beedeez::Credential::Bearer(value),
        AuthMethod::Basic => {
            if !value.contains(':') {
                return Err(UserError::new(
                    "basic auth needs the secret as `user:pass`, --secret",
                ));
            }
            beedeez::Credential::Basic(value)
        }
        AuthMethod::ApiKey => beedeez::Credential::ApiKey {
            header: args.api_key_header.clone(),
            key: value,
        },
    })
}
