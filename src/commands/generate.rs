//! `hooktool generate`: one sample event, signed as its provider signs it, in the chosen format.

use crate::cli::exit::{Outcome, UserError};
use crate::cli::{GenerateArgs, GenerateFormat};
use crate::commands::compose::Composer;
use crate::domain::target::Target;
use crate::io::terminal;

pub fn run(args: &GenerateArgs) -> anyhow::Result<Outcome> {
    let target =
        Target::parse(&args.to).map_err(|error| UserError::new(format!("{error}, --to")))?;
    let composer = Composer::from_args(&args.compose)?;
    let message = composer.message(0)?;
    composer.announce();
    composer.warn_about_schema(&message);
    let request = message.request_at(composer.now.as_second());
    match args.format {
        GenerateFormat::Json => {
            terminal::print_json(&request.to_json(message.event.name, message.event.provider.id()))?
        }
        GenerateFormat::Http => terminal::write_stdout(&request.to_http(&target))?,
        GenerateFormat::Body => terminal::write_stdout(&request.body)?,
        GenerateFormat::Curl => terminal::write_stdout(request.to_curl(&target).as_bytes())?,
        GenerateFormat::Payload => {
            let mut document = message.document.clone();
            document.push(b'\n');
            terminal::write_stdout(&document)?
        }
    }
    Ok(Outcome::Success)
}
