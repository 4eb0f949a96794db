//! `hooktool providers`: the packs in force and where each came from; `providers check DIR`
//! loads a pack folder as every command would and says what is wrong with it.

use std::path::{Path, PathBuf};

use crate::cli::{ProvidersAction, ProvidersArgs};
use crate::domain::catalogue;
use crate::domain::pack::{self, Origin, Pack};
use crate::error::{Outcome, UserError};
use crate::io::{packs, terminal};
use crate::render::providers;

/// The packs in force: the built-in ones, replaced or joined by those in `folders` and in
/// `.hooktool/providers/`. A replacement is noted on stderr.
pub fn load(folders: &[PathBuf]) -> Result<Vec<Pack>, UserError> {
    let loaded = packs::load_all(folders).map_err(pack_error)?;
    let (packs, notes) = pack::combine(catalogue::built_in_packs(), loaded).map_err(pack_error)?;
    for note in notes {
        terminal::note(&note);
    }
    Ok(packs)
}

fn pack_error(error: pack::PackError) -> UserError {
    UserError::new(error.to_string())
        .hint("`hooktool providers check DIR` checks a pack; the README documents the format")
}

pub fn run(args: &ProvidersArgs, packs: &[Pack]) -> anyhow::Result<Outcome> {
    match &args.action {
        None if args.json => terminal::print_json(&providers::json(packs))?,
        None => {
            terminal::write_stdout(providers::text(packs, terminal::stdout_palette()).as_bytes())?
        }
        Some(ProvidersAction::Check { dir }) => {
            let checked = packs::pack_folders(dir)
                .and_then(|folders| folders.iter().map(|folder| packs::load(folder)).collect())
                .map_err(pack_error)?;
            let checked: Vec<Pack> = checked;
            let now = jiff::Timestamp::now().as_second();
            for pack in &checked {
                pack::check_buildable(pack, now).map_err(pack_error)?;
            }
            // Event names must also be unique against what is already loaded, the checked
            // folders aside however their path is written.
            let is_checked = |loaded: &Pack| {
                checked
                    .iter()
                    .any(|pack| match (&pack.origin, &loaded.origin) {
                        (Origin::Folder(a), Origin::Folder(b)) => {
                            packs::same_folder(Path::new(a), Path::new(b))
                        }
                        _ => false,
                    })
            };
            let others: Vec<Pack> = packs
                .iter()
                .filter(|loaded| !is_checked(loaded))
                .cloned()
                .collect();
            let (built_in, user): (Vec<Pack>, Vec<Pack>) = others
                .into_iter()
                .partition(|loaded| loaded.origin == Origin::BuiltIn);
            pack::combine(
                built_in,
                user.into_iter().chain(checked.iter().cloned()).collect(),
            )
            .map_err(pack_error)?;
            let palette = terminal::stdout_palette();
            let text: String = checked
                .iter()
                .map(|pack| providers::checked(pack, palette))
                .collect();
            terminal::write_stdout(text.as_bytes())?;
        }
    }
    Ok(Outcome::Success)
}
