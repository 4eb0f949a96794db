//! `hooktool generate`: one sample event, signed as its provider signs it, in the chosen format.

use crate::cli::compose::Composition;
use crate::cli::{GenerateArgs, GenerateFormat};
use crate::error::{Outcome, UserError};
use crate::io::terminal;

pub fn run(args: &GenerateArgs) -> anyhow::Result<Outcome> {
    let composition = Composition::resolve(&args.compose)?;
    let composer = &composition.composer;
    let message = composer
        .message(0)
        .map_err(|error| UserError::new(error.to_string()))?;
    // The event document alone uses no secret or key: saying one was made for it would mislead.
    if args.format == GenerateFormat::Payload {
        composition.announce_warnings();
    } else {
        composition.announce();
    }
    for warning in composer.schema_warnings(&message) {
        terminal::warn(&warning);
    }
    let request = message.request_at(composer.now.as_second());
    match args.format {
        GenerateFormat::Json => {
            terminal::print_json(&request.to_json(message.event.name, message.event.provider.id()))?
        }
        GenerateFormat::Http => terminal::write_stdout(&request.to_http(&args.to))?,
        GenerateFormat::Body => terminal::write_stdout(&request.body)?,
        GenerateFormat::Curl => terminal::write_stdout(request.to_curl(&args.to).as_bytes())?,
        GenerateFormat::Payload => {
            let mut document = message.document.clone();
            document.push(b'\n');
            terminal::write_stdout(&document)?
        }
    }
    Ok(Outcome::Success)
}
