//! `generate`'s and `send`'s flags resolved into a `Composer`: the event found, the body, key
//! and secret files read, a secret made when none is given. What the user should be told about
//! those choices is kept as notes, printed only once the run is known to go ahead, so that a
//! usage error is never preceded by them.

use std::sync::Arc;

use jiff::Timestamp;
use rand::RngExt;

use crate::cli::{AuthMethod, ComposeArgs};
use crate::domain::catalogue::{self, BuiltIn};
use crate::domain::field_path;
use crate::domain::message::{Authenticator, Composer, Edit, Signer, Source, SubscriptionIds};
use crate::domain::pack::Signing;
use crate::domain::secret::Secret;
use crate::domain::signature::template::HmacSigning;
use crate::domain::signature::{beedeez, cativa, wix};
use crate::error::UserError;
use crate::io::files;
use crate::io::terminal;

/// A composer and what to tell the user about it.
pub struct Composition {
    pub composer: Composer,
    /// The HMAC secret signed with, given or made: `probe` signs its cases with it too.
    pub secret: Option<Secret>,
    told: Told,
}

/// Notes on choices made for the user, and warnings on what they gave.
#[derive(Default)]
struct Told {
    notes: Vec<String>,
    warnings: Vec<String>,
}

impl Composition {
    pub fn resolve(args: &ComposeArgs) -> Result<Composition, UserError> {
        let event = catalogue::find(&args.event)?;
        let now = match args.now {
            Some(seconds) => Timestamp::from_second(seconds).map_err(|_| {
                UserError::new(format!("{seconds} is out of range for a time, --now"))
            })?,
            None => Timestamp::now(),
        };
        let seed = args.seed.unwrap_or_else(|| rand::rng().random());
        let source = match &args.body {
            Some(path) => Source::Verbatim(files::read_file(path, "--body")?),
            None => Source::Sample(edits(args)?),
        };
        let secret = match (&args.secret, &args.secret_file) {
            (Some(secret), _) => Some(secret.clone()),
            (None, Some(path)) => Some(files::read_secret(path, "--secret-file")?),
            (None, None) => None,
        };
        let ids = SubscriptionIds::new(seed, now);
        let mut told = Told::default();
        let provider = event.provider;
        let mut hmac_secret = None;
        let signer = match &provider.signing {
            Signing::Hmac(signing) => {
                let secret = told.hmac_secret(secret, provider.is(BuiltIn::Cativa), signing);
                hmac_secret = Some(secret.clone());
                let key = signing.key_of(secret.expose()).map_err(|problem| {
                    UserError::new(format!(
                        "{problem}: {} signs with `key = {}`, --secret",
                        provider.name,
                        signing.key_name()
                    ))
                })?;
                Signer::Hmac { signing, key }
            }
            Signing::JwtRs256 => Signer::Jwt {
                key: told.wix_key(args)?,
                instance_id: ids.instance_id,
                account_info: ids.account_info,
            },
            Signing::Credential { api_key_header } => Signer::Credential {
                credential: told.credential(args, secret, api_key_header)?,
            },
            Signing::None => Signer::Unsigned,
        };
        let authenticator = Authenticator::new(signer, &ids.subscription_id, event.provider);
        Ok(Composition {
            composer: Composer {
                event,
                seed,
                now,
                source,
                authenticator: Arc::new(authenticator),
            },
            secret: hmac_secret,
            told,
        })
    }

    /// Tells the user, on stderr, what was chosen for them (a new secret, the development key)
    /// and what looks wrong with what they gave.
    pub fn announce(&self) {
        for note in &self.told.notes {
            terminal::note(note);
        }
        for warning in &self.told.warnings {
            terminal::warn(warning);
        }
    }

    /// Only the warnings on what the user gave, when what was chosen for them goes unused.
    pub fn announce_warnings(&self) {
        for warning in &self.told.warnings {
            terminal::warn(warning);
        }
    }

    /// Only what was chosen for the user, without the warnings on what they gave.
    pub fn announce_notes(&self) {
        for note in &self.told.notes {
            terminal::note(note);
        }
    }
}

impl Told {
    /// The secret to sign with: the user's (warned about when it does not look like the
    /// provider's own secrets), else a new one made the way the scheme's keys are written.
    fn hmac_secret(
        &mut self,
        secret: Option<Secret>,
        cativa: bool,
        signing: &HmacSigning,
    ) -> Secret {
        match secret {
            Some(secret) => {
                if cativa && !cativa::is_well_formed_secret(secret.expose()) {
                    self.warnings.push(
                        "the secret does not look like a Cativa secret (`whsec_` and 64 hex characters); signing with it anyway".to_string(),
                    );
                }
                secret
            }
            None => {
                let bytes: [u8; 32] = rand::rng().random();
                let secret = signing.new_secret(&bytes);
                self.notes.push(format!(
                    "no secret given (--secret, HOOKTOOL_SECRET or --secret-file); signing with a new one: {secret}"
                ));
                Secret::new(secret)
            }
        }
    }

    fn wix_key(&mut self, args: &ComposeArgs) -> Result<wix::SigningKey, UserError> {
        match &args.private_key {
            Some(path) => files::read_signing_key(path, "--private-key"),
            None => {
                self.notes.push(
                    "signing the JWT with hooktool's development key pair (fixtures/keys/wix-dev-public.pem verifies it; `hooktool verify` uses it by default)".to_string(),
                );
                Ok(wix::SigningKey::development())
            }
        }
    }

    fn credential(
        &mut self,
        args: &ComposeArgs,
        secret: Option<Secret>,
        api_key_header: &str,
    ) -> Result<beedeez::Credential, UserError> {
        if args.auth == AuthMethod::None {
            return Ok(beedeez::Credential::None);
        }
        let value = match secret {
            Some(secret) => secret,
            None => {
                let token = hex::encode(rand::rng().random::<[u8; 16]>());
                let value = if args.auth == AuthMethod::Basic {
                    format!("beedeez:{token}")
                } else {
                    token
                };
                self.notes.push(format!(
                    "no credential given (--secret, HOOKTOOL_SECRET or --secret-file); using a new one: {value}"
                ));
                Secret::new(value)
            }
        };
        // The credential travels in a header: a line break or control byte would end it early
        // or corrupt the request.
        if value.expose().chars().any(|c| c.is_control() && c != '\t') {
            return Err(UserError::new(
                "the credential holds a line break or control character, which no header can carry, --secret",
            ));
        }
        Ok(match args.auth {
            AuthMethod::None => beedeez::Credential::None,
            AuthMethod::Bearer => beedeez::Credential::Bearer(value),
            AuthMethod::Basic => {
                if !value.expose().contains(':') {
                    return Err(UserError::new(
                        "basic auth needs the secret as `user:pass`, --secret",
                    ));
                }
                beedeez::Credential::Basic(value)
            }
            AuthMethod::ApiKey => beedeez::Credential::ApiKey {
                header: args
                    .api_key_header
                    .clone()
                    .unwrap_or_else(|| api_key_header.to_string()),
                key: value,
            },
        })
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
