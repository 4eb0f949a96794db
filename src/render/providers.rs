//! The loaded provider packs as `hooktool providers` shows them, for people or as JSON, and the
//! verdict of `hooktool providers check`.

use serde_json::{Value, json};

use crate::domain::pack::Pack;
use crate::render::style::Palette;

/// One line per pack: id, name, events, signing scheme, where it came from.
pub fn text(packs: &[Pack], palette: Palette) -> String {
    let id_width = packs
        .iter()
        .map(|pack| pack.manifest.id.len())
        .max()
        .unwrap_or(0);
    let name_width = packs
        .iter()
        .map(|pack| pack.manifest.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for pack in packs {
        let manifest = &pack.manifest;
        let events = manifest.events.len();
        out.push_str(&format!(
            "{}  {:name_width$}  {:>2} event{}  {:10}  {}\n",
            palette.strong(&format!("{:id_width$}", manifest.id)),
            manifest.name,
            events,
            if events == 1 { " " } else { "s" },
            manifest.signing.scheme_name(),
            palette.dim(&pack.origin.to_string()),
        ));
    }
    out
}

/// The list as one JSON document: an array of packs.
pub fn json(packs: &[Pack]) -> Value {
    Value::Array(
        packs
            .iter()
            .map(|pack| {
                let manifest = &pack.manifest;
                json!({
                    "id": manifest.id,
                    "name": manifest.name,
                    "source": manifest.source,
                    "origin": pack.origin.to_string(),
                    "built_in": pack.origin == crate::domain::pack::Origin::BuiltIn,
                    "scheme": manifest.signing.scheme_name(),
                    "events": manifest.events.iter().map(|event| event.name.as_str()).collect::<Vec<_>>(),
                    "assumed": manifest.assumed,
                })
            })
            .collect(),
    )
}

/// What `providers check` says of a sound pack.
pub fn checked(pack: &Pack, palette: Palette) -> String {
    let manifest = &pack.manifest;
    let names: Vec<&str> = manifest
        .events
        .iter()
        .map(|event| event.name.as_str())
        .collect();
    format!(
        "{} {} ({}): {} event{} ({}), scheme {}, {}\n",
        palette.good("ok"),
        manifest.id,
        manifest.name,
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", "),
        manifest.signing.scheme_name(),
        pack.manifest_file,
    )
}
