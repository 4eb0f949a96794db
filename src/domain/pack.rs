//! Provider packs: a webhook provider described as data (`provider.toml` plus the JSON Schemas
//! and sample documents it names), parsed and checked into typed facts. Pure: the caller reads
//! the files and hands their text in; every error names the file, the line and the key.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use toml::Spanned;

use crate::domain::catalogue::rules::{Basis, RetryAfterRule, SuccessRule};
use crate::domain::duration;
use crate::domain::request::is_token;
use crate::domain::schema;
use crate::domain::schema_sample::sample_from_schema;
use crate::domain::signature::hmac_sha256::Algorithm;
use crate::domain::signature::template::{
    Encoding, HmacSigning, KeyDerivation, Placeholder, Template,
};
use crate::domain::validation;

/// The file every pack folder holds.
pub const MANIFEST: &str = "provider.toml";

/// A pack error, pointing at what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    /// The file, as the user would find it (`packs/acme/provider.toml`).
    pub file: String,
    /// 1-based line in `file`, when the problem sits on one.
    pub line: Option<usize>,
    /// The dotted key (`delivery.retry`, `events[2].schema`), when there is one.
    pub key: Option<String>,
    pub problem: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem)?;
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ", {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackError {}

/// How deliveries are authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signing {
    Hmac(HmacSigning),
    /// The body is an RS256 JWT (Wix's envelope).
    JwtRs256,
    /// A static credential (none, bearer, basic or an API key) and no signature.
    Credential {
        /// The API-key method's header.
        api_key_header: String,
    },
    None,
}

impl Signing {
    /// The name used in `provider.toml`.
    pub fn scheme_name(&self) -> &'static str {
        match self {
            Signing::Hmac(_) => "hmac",
            Signing::JwtRs256 => "jwt-rs256",
            Signing::Credential { .. } => "credential",
            Signing::None => "none",
        }
    }
}

/// How the provider makes the id that names an event across its retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdStyle {
    /// A ULID (Cativa's execution ids).
    Ulid,
    /// A random UUID.
    Uuid,
    /// `msg_` and 27 base62 characters (Standard Webhooks, Svix).
    Msg,
    /// The document's top-level `id` string (Wix).
    DocumentId,
    /// No event id.
    None,
}

/// How a provider delivers: the `[delivery]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Delays between attempts, measured from the end of the failed one.
    #[serde(with = "nanoseconds::list")]
    pub retry: Vec<Duration>,
    pub success: SuccessRule,
    pub permanent: Vec<u16>,
    pub retry_after: RetryAfterRule,
    #[serde(with = "nanoseconds")]
    pub timeout: Duration,
    /// Requests in flight at once, where the provider says.
    pub concurrency: Option<usize>,
    /// Whether a 3xx answer is followed rather than counted as a failure.
    pub redirects: bool,
}

/// Durations in the built-in packs' parsed form, as whole nanoseconds. Every command reads
/// that form at start-up, and serde's own form for a duration, an object of seconds and
/// nanoseconds, was 7 % of an `events` run's instructions.
mod nanoseconds {
    use std::time::Duration;

    use serde::ser::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    fn count<E: Error>(duration: &Duration) -> Result<u64, E> {
        u64::try_from(duration.as_nanos())
            .map_err(|_| E::custom(format!("{duration:?} is too long to write in nanoseconds")))
    }

    pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(count(duration)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_nanos)
    }

    pub mod list {
        use super::*;

        pub fn serialize<S: Serializer>(
            durations: &[Duration],
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            let counts = durations.iter().map(count).collect::<Result<Vec<_>, _>>()?;
            serializer.collect_seq(counts)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Vec<Duration>, D::Error> {
            let counts = Vec::<u64>::deserialize(deserializer)?;
            Ok(counts.into_iter().map(Duration::from_nanos).collect())
        }
    }

    pub mod optional {
        use super::*;

        pub fn serialize<S: Serializer>(
            duration: &Option<Duration>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match duration {
                Some(duration) => serializer.serialize_some(&count::<S::Error>(duration)?),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Duration>, D::Error> {
            Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_nanos))
        }
    }
}

/// One event a pack defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackEvent {
    pub name: String,
    /// A shorter accepted alias.
    pub short_name: Option<String>,
    pub description: String,
    /// The schema's path relative to the pack folder, as written.
    pub schema_path: String,
    /// The sample document's path relative to the pack folder, as written.
    pub sample_path: Option<String>,
    /// Where the event's table starts in `provider.toml`.
    pub line: usize,
}

/// How `extra_fields` starts: what `validate` makes of unknown fields, which `events --json`
/// readers rely on.
const EXTRA_FIELDS_POLICIES: [&str; 2] = ["allowed", "warned"];

/// A parsed `provider.toml`. It also serializes, for the built-in packs' form parsed ahead of
/// time (see `catalogue::built_in_packs`). Deserializing skips every check [`parse_manifest`]
/// makes (a template's parts could disagree with its text): it is only for that form, which a
/// test derives from the checked TOML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    pub source: Option<String>,
    /// Dotted keys whose values are assumptions, not the provider's word.
    pub assumed: BTreeSet<String>,
    /// Dotted keys whose values come from the provider's examples rather than its prose.
    pub example: BTreeSet<String>,
    pub signing: Signing,
    pub id_style: IdStyle,
    /// Allowed clock difference when verifying, for schemes that carry a time.
    #[serde(default, with = "nanoseconds::optional")]
    pub tolerance: Option<Duration>,
    /// Sent with every delivery, in the order written.
    pub headers: Vec<(String, String)>,
    /// What a header or a fact means, by dotted key, shown by `events` and `providers`.
    pub notes: Vec<(String, String)>,
    pub delivery: Delivery,
    pub events: Vec<PackEvent>,
    /// What `validate` makes of fields the schemas do not list, in words.
    pub extra_fields: Option<String>,
}

impl Manifest {
    /// The basis of the fact at dotted `key`: what the pack marks it as, else documented.
    pub fn basis(&self, key: &str) -> Basis {
        if self.assumed.contains(key) {
            Basis::Assumed
        } else if self.example.contains(key) {
            Basis::Example
        } else {
            Basis::Documented
        }
    }

    /// The event ids and aliases defined, each with the line it is defined on.
    pub fn event_names(&self) -> impl Iterator<Item = (&str, usize)> {
        self.events.iter().flat_map(|event| {
            std::iter::once((event.name.as_str(), event.line))
                .chain(event.short_name.as_deref().map(|short| (short, event.line)))
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    id: Spanned<String>,
    name: Spanned<String>,
    source: Option<String>,
    #[serde(default)]
    assumed: Vec<Spanned<String>>,
    #[serde(default)]
    example: Vec<Spanned<String>>,
    signing: RawSigning,
    #[serde(default)]
    headers: toml::Table,
    #[serde(default)]
    notes: toml::Table,
    delivery: RawDelivery,
    #[serde(default)]
    events: Vec<Spanned<RawEvent>>,
    extra_fields: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSigning {
    scheme: Spanned<String>,
    algorithm: Option<Spanned<String>>,
    encoding: Option<Spanned<String>>,
    key: Option<Spanned<String>>,
    signed: Option<Spanned<String>>,
    header: Option<Spanned<String>>,
    value: Option<Spanned<String>>,
    timestamp_header: Option<Spanned<String>>,
    id_header: Option<Spanned<String>>,
    id: Option<Spanned<String>>,
    tolerance: Option<Spanned<String>>,
    api_key_header: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelivery {
    retry: Vec<Spanned<String>>,
    success: Spanned<String>,
    #[serde(default)]
    permanent: Vec<Spanned<u16>>,
    retry_after: Option<Spanned<String>>,
    timeout: Spanned<String>,
    concurrency: Option<Spanned<usize>>,
    redirects: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: Spanned<String>,
    short_name: Option<Spanned<String>>,
    description: String,
    schema: Spanned<String>,
    sample: Option<Spanned<String>>,
}

/// Turns byte spans of one file into line numbers and errors.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset]
            .iter()
            .filter(|byte| **byte == b'\n')
            .count()
            + 1
    }

    fn error(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        problem: impl Into<String>,
    ) -> PackError {
        PackError {
            file: self.file.to_string(),
            line: span.map(|span| self.line_of(span.start)),
            key: Some(key.to_string()),
            problem: problem.into(),
        }
    }

    fn at<T>(&self, spanned: &Spanned<T>, key: &str, problem: impl Into<String>) -> PackError {
        self.error(Some(spanned.span()), key, problem)
    }

    /// The dotted key at `offset`: its table (see `table_at`) and the key on its line.
    fn key_at(&self, offset: usize) -> Option<String> {
        let (line_start, line_end) = self.line_bounds(offset);
        let key = self.text[line_start..line_end]
            .split_once('=')
            .map(|(key, _)| key.trim().trim_matches('"').to_string())
            .filter(|key| !key.is_empty() && !key.starts_with('['));
        match (self.table_at(offset), key) {
            (Some(table), Some(key)) => Some(format!("{table}.{key}")),
            (None, Some(key)) => Some(key),
            (Some(table), None) => Some(table),
            (None, None) => None,
        }
    }

    /// The table `offset` lies in: the nearest `[table]` header at or above its line, an
    /// `[[events]]` table numbered as `events[2]`.
    fn table_at(&self, offset: usize) -> Option<String> {
        let (_, line_end) = self.line_bounds(offset);
        let headers: Vec<&str> = self.text[..line_end]
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with('['))
            .collect();
        let header = headers.last()?;
        let name = table_name(header);
        if header.starts_with("[[") {
            let index = headers
                .iter()
                .filter(|other| other.starts_with("[[") && table_name(other) == name)
                .count()
                - 1;
            Some(format!("{name}[{index}]"))
        } else {
            Some(name.to_string())
        }
    }

    /// Where the line holding `offset` starts and ends.
    fn line_bounds(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..self.text.floor_char_boundary(offset)];
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |index| line_start + index);
        (line_start, line_end)
    }
}

/// The name in a `[table]` or `[[table]]` header line, its comment aside.
fn table_name(header: &str) -> &str {
    let header = header.split('#').next().unwrap_or(header).trim();
    header.trim_matches(|c| c == '[' || c == ']').trim()
}

/// Whether `text` can be a pack's `id`: lower-case letters, digits, `-` and `_`.
pub fn is_pack_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Parses and checks a `provider.toml`. `file` names it in errors.
pub fn parse_manifest(file: &str, text: &str) -> Result<Manifest, PackError> {
    let source = Source { file, text };
    let raw: RawManifest = toml::from_str(text).map_err(|error| {
        let span = error.span();
        // A missing key has no span of its own: name it under the table that lacks it.
        let key = match missing_field(error.message()) {
            Some(field) => match span.clone().and_then(|span| source.table_at(span.start)) {
                Some(table) => Some(format!("{table}.{field}")),
                None => Some(field.to_string()),
            },
            None => span.clone().and_then(|span| source.key_at(span.start)),
        };
        PackError {
            file: file.to_string(),
            line: span.map(|span| source.line_of(span.start)),
            key,
            problem: error.message().trim().to_string(),
        }
    })?;

    let id = raw.id.get_ref();
    if !is_pack_id(id) {
        return Err(source.at(
            &raw.id,
            "id",
            format!("`{id}` is not a pack id: use lower-case letters, digits, `-` and `_`"),
        ));
    }

    let name = raw.name.get_ref();
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(source.at(
            &raw.name,
            "name",
            "must be a name shown on one line: not empty, no control characters",
        ));
    }

    if let Some(extra_fields) = &raw.extra_fields
        && !EXTRA_FIELDS_POLICIES
            .iter()
            .any(|policy| extra_fields.get_ref().starts_with(&format!("{policy}: ")))
    {
        return Err(source.at(
            extra_fields,
            "extra_fields",
            "must start with `allowed: ` or `warned: `, then say why",
        ));
    }
    let (signing, id_style, tolerance) = signing(&source, &raw.signing)?;
    let delivery = delivery(&source, &raw.delivery)?;
    let headers = string_table(&source, &raw.headers, "headers")?;
    for (name, value) in &headers {
        let key = format!("headers.{name}");
        let error = |problem: String| PackError {
            file: file.to_string(),
            line: find_line(&source, "headers", name),
            key: Some(key.clone()),
            problem,
        };
        if !is_token(name) {
            return Err(error(format!("`{name}` is not an HTTP header name")));
        }
        if let Some(problem) = header_value_problem(value) {
            return Err(error(problem));
        }
        if let Some(earlier) = headers
            .iter()
            .take_while(|(other, _)| other != name)
            .find(|(other, _)| other.eq_ignore_ascii_case(name))
        {
            return Err(error(format!(
                "`{name}` is also written as `{}`: header names ignore case",
                earlier.0
            )));
        }
        if let Some(reserved) = MESSAGE_HEADERS
            .iter()
            .find(|reserved| reserved.eq_ignore_ascii_case(name))
        {
            return Err(error(format!(
                "`{reserved}` is set for each delivery from its body and target: remove it"
            )));
        }
        if let Some((signing_key, _)) = signing_headers(&signing)
            .into_iter()
            .find(|(_, header)| header.eq_ignore_ascii_case(name))
        {
            return Err(error(format!(
                "`{name}` is `{signing_key}`, set for each delivery by the signing scheme: remove it"
            )));
        }
    }
    let notes = string_table(&source, &raw.notes, "notes")?;

    let mut events: Vec<PackEvent> = Vec::new();
    for (index, spanned) in raw.events.iter().enumerate() {
        let event = spanned.get_ref();
        let key = |field: &str| format!("events[{index}].{field}");
        let name = event.name.get_ref();
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(source.at(
                &event.name,
                &key("name"),
                format!("`{name}` is not an event name: no spaces or control characters"),
            ));
        }
        for path in std::iter::once(&event.schema).chain(event.sample.as_ref()) {
            if let Some(problem) = relative_path_problem(path.get_ref()) {
                let field = if std::ptr::eq(path, &event.schema) {
                    "schema"
                } else {
                    "sample"
                };
                return Err(source.at(path, &key(field), problem));
            }
        }
        if let Some(short) = &event.short_name {
            let alias = short.get_ref();
            if alias.is_empty() || alias.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(source.at(
                    short,
                    &key("short_name"),
                    format!("`{alias}` is not an event name: no spaces or control characters"),
                ));
            }
            if alias == name {
                return Err(source.at(
                    short,
                    &key("short_name"),
                    "is the event's name itself: remove it or make it shorter",
                ));
            }
        }
        if event.description.chars().any(char::is_control) {
            return Err(PackError {
                file: file.to_string(),
                line: Some(source.line_of(spanned.span().start)),
                key: Some(key("description")),
                problem: "may not hold control characters (line breaks, escapes): it is printed on one line".to_string(),
            });
        }
        let line = source.line_of(spanned.span().start);
        let short_name = event
            .short_name
            .as_ref()
            .map(|short| short.get_ref().clone());
        for candidate in std::iter::once(name).chain(short_name.as_ref()) {
            if let Some(earlier) = events.iter().find(|earlier| {
                earlier.name == *candidate || earlier.short_name.as_ref() == Some(candidate)
            }) {
                return Err(source.at(
                    &event.name,
                    &key("name"),
                    format!(
                        "event `{candidate}` is defined twice (first on line {})",
                        earlier.line
                    ),
                ));
            }
        }
        events.push(PackEvent {
            name: name.clone(),
            short_name,
            description: event.description.clone(),
            schema_path: event.schema.get_ref().clone(),
            sample_path: event.sample.as_ref().map(|sample| sample.get_ref().clone()),
            line,
        });
    }
    if events.is_empty() {
        return Err(PackError {
            file: file.to_string(),
            line: None,
            key: Some("events".to_string()),
            problem: "the pack defines no event: add an [[events]] table".to_string(),
        });
    }

    let manifest = Manifest {
        id: id.clone(),
        name: raw.name.into_inner(),
        source: raw.source,
        assumed: raw
            .assumed
            .iter()
            .map(|key| key.get_ref().clone())
            .collect(),
        example: raw
            .example
            .iter()
            .map(|key| key.get_ref().clone())
            .collect(),
        signing,
        id_style,
        tolerance,
        headers,
        notes,
        delivery,
        events,
        extra_fields: raw.extra_fields.map(Spanned::into_inner),
    };
    for (key, _) in &manifest.notes {
        if !names_a_fact(&manifest, key) {
            return Err(PackError {
                file: file.to_string(),
                line: find_line(&source, "notes", key),
                key: Some(format!("notes.{key}")),
                problem: format!("`{key}` is not a key of this file"),
            });
        }
    }
    for marked in raw.assumed.iter().chain(&raw.example) {
        let list = if raw.assumed.iter().any(|a| std::ptr::eq(a, marked)) {
            "assumed"
        } else {
            "example"
        };
        if !names_a_fact(&manifest, marked.get_ref()) {
            return Err(source.at(
                marked,
                list,
                format!("`{}` is not a key of this file", marked.get_ref()),
            ));
        }
    }
    Ok(manifest)
}

/// The field a `missing field `name`` message names.
fn missing_field(message: &str) -> Option<&str> {
    message
        .trim()
        .strip_prefix("missing field `")?
        .split('`')
        .next()
}

/// Whether dotted `key` names something the manifest holds, so that a typo in `assumed` cannot
/// silently leave an assumption labelled documented.
fn names_a_fact(manifest: &Manifest, key: &str) -> bool {
    const FIXED: &[&str] = &[
        "signing",
        "signing.scheme",
        "signing.algorithm",
        "signing.encoding",
        "signing.key",
        "signing.signed",
        "signing.header",
        "signing.value",
        "signing.timestamp_header",
        "signing.id_header",
        "signing.id",
        "signing.tolerance",
        "signing.api_key_header",
        "delivery.retry",
        "delivery.success",
        "delivery.permanent",
        "delivery.retry_after",
        "delivery.timeout",
        "delivery.concurrency",
        "delivery.redirects",
    ];
    FIXED.contains(&key)
        || key
            .strip_prefix("headers.")
            .is_some_and(|name| manifest.headers.iter().any(|(header, _)| header == name))
}

/// Headers every request gets from its body and target: a pack's value would contradict them
/// (a `Content-Length` that cuts the body short).
const MESSAGE_HEADERS: [&str; 4] = ["Host", "Content-Length", "Transfer-Encoding", "Connection"];

/// The headers the signing scheme sets, by the key that names each.
fn signing_headers(signing: &Signing) -> Vec<(&'static str, &str)> {
    match signing {
        Signing::Hmac(hmac) => std::iter::once(("signing.header", hmac.header.as_str()))
            .chain(
                hmac.timestamp_header
                    .as_deref()
                    .map(|header| ("signing.timestamp_header", header)),
            )
            .chain(
                hmac.id_header
                    .as_deref()
                    .map(|header| ("signing.id_header", header)),
            )
            .collect(),
        Signing::Credential { api_key_header } => {
            vec![("signing.api_key_header", api_key_header.as_str())]
        }
        Signing::JwtRs256 | Signing::None => Vec::new(),
    }
}

/// Header values are sent as written, except `{subscription_id}`: an id of the subscription,
/// the same on every delivery of a run.
pub const SUBSCRIPTION_ID: &str = "{subscription_id}";

fn header_value_problem(value: &str) -> Option<String> {
    let rest = value.replace(SUBSCRIPTION_ID, "");
    if rest.contains('{') || rest.contains('}') {
        Some(format!(
            "`{value}` names an unknown placeholder; a header value may use {SUBSCRIPTION_ID}"
        ))
    } else if value.chars().any(|c| c.is_control() && c != '\t') {
        Some("a header value may not hold control characters (CR, LF, NUL)".to_string())
    } else {
        None
    }
}

fn relative_path_problem(path: &str) -> Option<String> {
    if path.is_empty() {
        Some("the path is empty".to_string())
    } else if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
        Some(format!("`{path}` must be relative to the pack folder"))
    } else if path.split(['/', '\\']).any(|part| part == "..") {
        Some(format!("`{path}` leaves the pack folder"))
    } else {
        None
    }
}

fn string_table(
    source: &Source,
    table: &toml::Table,
    name: &str,
) -> Result<Vec<(String, String)>, PackError> {
    table
        .iter()
        .map(|(key, value)| match value.as_str() {
            Some(text) => Ok((key.clone(), text.to_string())),
            None => Err(PackError {
                file: source.file.to_string(),
                line: find_line(source, name, key),
                key: Some(format!("{name}.{key}")),
                problem: format!("must be a string, not {}", value.type_str()),
            }),
        })
        .collect()
}

/// The line where `key` is written in `[table]`, for values the parser hands over without a
/// span.
fn find_line(source: &Source, table: &str, key: &str) -> Option<usize> {
    let mut in_table = false;
    source
        .text
        .lines()
        .position(|line| {
            let line = line.trim();
            if line.starts_with('[') {
                in_table = table_name(line) == table;
                return false;
            }
            let written = line.split('=').next().unwrap_or("").trim();
            in_table && line.contains('=') && (written == key || written.trim_matches('"') == key)
        })
        .map(|index| index + 1)
}

fn one_of<T: Copy>(
    source: &Source,
    value: &Spanned<String>,
    key: &str,
    choices: &[(&str, T)],
) -> Result<T, PackError> {
    choices
        .iter()
        .find(|(name, _)| name == value.get_ref())
        .map(|(_, choice)| *choice)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            source.at(
                value,
                key,
                format!(
                    "unknown value `{}`; expected one of {}",
                    value.get_ref(),
                    names.join(", ")
                ),
            )
        })
}

fn duration_at(source: &Source, value: &Spanned<String>, key: &str) -> Result<Duration, PackError> {
    duration::parse(value.get_ref()).map_err(|problem| source.at(value, key, problem))
}

fn required<'a>(
    source: &Source,
    value: &'a Option<Spanned<String>>,
    scheme: &Spanned<String>,
    key: &str,
) -> Result<&'a Spanned<String>, PackError> {
    value.as_ref().ok_or_else(|| {
        source.at(
            scheme,
            key,
            format!("the `{}` scheme needs `{key}`", scheme.get_ref()),
        )
    })
}

fn header_name(source: &Source, value: &Spanned<String>, key: &str) -> Result<String, PackError> {
    let name = value.get_ref();
    if !is_token(name) {
        return Err(source.at(value, key, format!("`{name}` is not an HTTP header name")));
    }
    Ok(name.clone())
}

fn signing(
    source: &Source,
    raw: &RawSigning,
) -> Result<(Signing, IdStyle, Option<Duration>), PackError> {
    const SIGNED: &[Placeholder] = &[Placeholder::Timestamp, Placeholder::Id, Placeholder::Body];
    const VALUE: &[Placeholder] = &[
        Placeholder::Timestamp,
        Placeholder::Id,
        Placeholder::Signature,
    ];
    let scheme = &raw.scheme;
    let tolerance = raw
        .tolerance
        .as_ref()
        .map(|value| duration_at(source, value, "signing.tolerance"))
        .transpose()?;
    let id_style = match &raw.id {
        Some(value) => one_of(
            source,
            value,
            "signing.id",
            &[
                ("ulid", IdStyle::Ulid),
                ("uuid", IdStyle::Uuid),
                ("msg", IdStyle::Msg),
                ("document-id", IdStyle::DocumentId),
                ("none", IdStyle::None),
            ],
        )?,
        None => IdStyle::None,
    };
    let only_for_hmac = [
        (&raw.algorithm, "signing.algorithm"),
        (&raw.encoding, "signing.encoding"),
        (&raw.key, "signing.key"),
        (&raw.signed, "signing.signed"),
        (&raw.header, "signing.header"),
        (&raw.value, "signing.value"),
        (&raw.timestamp_header, "signing.timestamp_header"),
        (&raw.id_header, "signing.id_header"),
    ];
    let signing = match scheme.get_ref().as_str() {
        "hmac" => {
            let template = |value: &Spanned<String>, key: &str, allowed| {
                Template::parse(value.get_ref(), allowed)
                    .map_err(|problem| source.at(value, key, problem))
            };
            let signed = template(
                required(source, &raw.signed, scheme, "signing.signed")?,
                "signing.signed",
                SIGNED,
            )?;
            let value_raw = required(source, &raw.value, scheme, "signing.value")?;
            let value = template(value_raw, "signing.value", VALUE)?;
            if !value.uses(Placeholder::Signature) {
                return Err(source.at(
                    value_raw,
                    "signing.value",
                    "the header value must hold `{signature}`",
                ));
            }
            if value_raw
                .get_ref()
                .chars()
                .any(|c| c.is_control() && c != '\t')
            {
                return Err(source.at(
                    value_raw,
                    "signing.value",
                    "a header value may not hold control characters (CR, LF, NUL)",
                ));
            }
            let signed_raw = raw.signed.as_ref().expect("checked as required above");
            if !signed.uses(Placeholder::Body) {
                return Err(source.at(
                    signed_raw,
                    "signing.signed",
                    "the signed message must hold `{body}`: a signature that leaves the body out lets any body pass",
                ));
            }
            // A receiver rebuilds the signed message from what it receives: a value signed but
            // never sent could not be verified.
            let carried = [
                (
                    Placeholder::Timestamp,
                    &raw.timestamp_header,
                    "a `timestamp_header`",
                ),
                (Placeholder::Id, &raw.id_header, "an `id_header`"),
            ];
            for (placeholder, own_header, header_key) in carried {
                if signed.uses(placeholder) && !value.uses(placeholder) && own_header.is_none() {
                    return Err(source.at(
                        signed_raw,
                        "signing.signed",
                        format!(
                            "`{{{}}}` is signed but never sent, so no receiver could verify: put it in `value` or name {header_key}",
                            placeholder.name()
                        ),
                    ));
                }
            }
            let optional_header = |value: &Option<Spanned<String>>, key: &str| {
                value
                    .as_ref()
                    .map(|value| header_name(source, value, key))
                    .transpose()
            };
            let id_header = optional_header(&raw.id_header, "signing.id_header")?;
            let uses_id = signed.uses(Placeholder::Id) || value.uses(Placeholder::Id);
            if (uses_id || id_header.is_some()) && id_style == IdStyle::None {
                return Err(source.at(
                    scheme,
                    "signing.id",
                    "the templates or `id_header` use an event id: say how it is made with `id`",
                ));
            }
            Signing::Hmac(HmacSigning {
                algorithm: one_of(
                    source,
                    required(source, &raw.algorithm, scheme, "signing.algorithm")?,
                    "signing.algorithm",
                    &[
                        ("sha1", Algorithm::Sha1),
                        ("sha256", Algorithm::Sha256),
                        ("sha512", Algorithm::Sha512),
                    ],
                )?,
                encoding: one_of(
                    source,
                    required(source, &raw.encoding, scheme, "signing.encoding")?,
                    "signing.encoding",
                    &[("hex", Encoding::Hex), ("base64", Encoding::Base64)],
                )?,
                key: match &raw.key {
                    Some(value) => one_of(
                        source,
                        value,
                        "signing.key",
                        &[
                            ("raw", KeyDerivation::Raw),
                            ("base64", KeyDerivation::Base64),
                            ("whsec-base64", KeyDerivation::WhsecBase64),
                        ],
                    )?,
                    None => KeyDerivation::Raw,
                },
                signed,
                header: header_name(
                    source,
                    required(source, &raw.header, scheme, "signing.header")?,
                    "signing.header",
                )?,
                value,
                timestamp_header: optional_header(
                    &raw.timestamp_header,
                    "signing.timestamp_header",
                )?,
                id_header,
            })
        }
        other => {
            if !["jwt-rs256", "credential", "none"].contains(&other) {
                return Err(source.at(
                    scheme,
                    "signing.scheme",
                    format!(
                        "unknown scheme `{other}`; expected one of hmac, jwt-rs256, credential, none"
                    ),
                ));
            }
            if let Some((Some(value), key)) =
                only_for_hmac.iter().find(|(value, _)| value.is_some())
            {
                return Err(source.at(
                    value,
                    key,
                    format!("only the `hmac` scheme takes `{key}`, not `{other}`"),
                ));
            }
            match other {
                "jwt-rs256" => Signing::JwtRs256,
                "credential" => Signing::Credential {
                    api_key_header: match &raw.api_key_header {
                        Some(value) => header_name(source, value, "signing.api_key_header")?,
                        None => "X-API-Key".to_string(),
                    },
                },
                _ => Signing::None,
            }
        }
    };
    Ok((signing, id_style, tolerance))
}

fn delivery(source: &Source, raw: &RawDelivery) -> Result<Delivery, PackError> {
    let retry = raw
        .retry
        .iter()
        .enumerate()
        .map(|(index, value)| duration_at(source, value, &format!("delivery.retry[{index}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let permanent = raw
        .permanent
        .iter()
        .map(|status| {
            let code = *status.get_ref();
            if (100..=599).contains(&code) {
                Ok(code)
            } else {
                Err(source.at(
                    status,
                    "delivery.permanent",
                    format!("{code} is not an HTTP status (100 to 599)"),
                ))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let concurrency = match &raw.concurrency {
        Some(value) if *value.get_ref() == 0 => {
            return Err(source.at(value, "delivery.concurrency", "must be at least 1"));
        }
        other => other.as_ref().map(|value| *value.get_ref()),
    };
    let timeout = duration_at(source, &raw.timeout, "delivery.timeout")?;
    if timeout.is_zero() {
        return Err(source.at(&raw.timeout, "delivery.timeout", "must be longer than 0s"));
    }
    Ok(Delivery {
        retry,
        success: one_of(
            source,
            &raw.success,
            "delivery.success",
            &[
                ("2xx", SuccessRule::Any2xx),
                ("200", SuccessRule::Exactly200),
            ],
        )?,
        permanent,
        retry_after: match &raw.retry_after {
            Some(value) => one_of(
                source,
                value,
                "delivery.retry_after",
                &[
                    ("ignored", RetryAfterRule::Ignored),
                    ("capped", RetryAfterRule::HonouredCappedAtSlot),
                ],
            )?,
            None => RetryAfterRule::Ignored,
        },
        timeout,
        concurrency,
        redirects: raw.redirects.unwrap_or(false),
    })
}

/// Checks an event's schema text: JSON, and a JSON Schema that compiles. `file` names it.
pub fn check_schema(file: &str, text: &str) -> Result<Value, PackError> {
    let schema = parse_json(file, text)?;
    if let Some(invalid) = schema::compile_problem(&schema) {
        return Err(PackError {
            file: file.to_string(),
            line: None,
            key: None,
            problem: format!("not a JSON Schema: {invalid}"),
        });
    }
    Ok(schema)
}

/// Checks a sample document's text: it must be JSON. `file` names it.
pub fn check_sample(file: &str, text: &str) -> Result<Value, PackError> {
    parse_json(file, text)
}

/// A schema's or a sample's text as JSON.
fn parse_json(file: &str, text: &str) -> Result<Value, PackError> {
    let problem = |line, problem: String| PackError {
        file: file.to_string(),
        line: Some(line),
        key: None,
        problem,
    };
    if text.starts_with('\u{feff}') {
        return Err(problem(
            1,
            format!("not JSON: {}", validation::BYTE_ORDER_MARK),
        ));
    }
    serde_json::from_str(text).map_err(|json| problem(json.line(), format!("not JSON: {json}")))
}

/// Where a pack was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A folder, as the user named it (or found in `.hooktool/providers/`).
    Folder(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::Folder(path) => f.write_str(path),
        }
    }
}

/// A pack with its files read and checked: each event's schema, and its sample where given.
#[derive(Debug, Clone)]
pub struct Pack {
    pub manifest: Manifest,
    pub origin: Origin,
    /// The manifest's file name as shown in errors.
    pub manifest_file: String,
    /// One per event, in the manifest's order; `null` for the built-in packs, whose schemas
    /// are checked by the tests and parsed only when used.
    pub schemas: Vec<Value>,
    /// Each schema's text as written, for `hooktool schema`.
    pub schema_texts: Vec<String>,
    /// One per event, in the manifest's order.
    pub samples: Vec<Option<Value>>,
}

/// Builds a pack from its manifest text and a reader of the files it names (relative paths
/// in, text or why not out). Every problem names the manifest line and key that led to it.
pub fn assemble(
    manifest_file: &str,
    text: &str,
    origin: Origin,
    read: impl Fn(&str) -> Result<String, String>,
) -> Result<Pack, PackError> {
    let manifest = parse_manifest(manifest_file, text)?;
    assemble_parsed(manifest, manifest_file, origin, read)
}

/// Builds a pack from its manifest, already parsed from `manifest_file`, and a reader of the
/// files it names, as [`assemble`] does.
pub fn assemble_parsed(
    manifest: Manifest,
    manifest_file: &str,
    origin: Origin,
    read: impl Fn(&str) -> Result<String, String>,
) -> Result<Pack, PackError> {
    let mut schemas = Vec::with_capacity(manifest.events.len());
    let mut schema_texts = Vec::with_capacity(manifest.events.len());
    let mut samples = Vec::with_capacity(manifest.events.len());
    for (index, event) in manifest.events.iter().enumerate() {
        let error = |field: &str, path: &str, line: Option<usize>, problem: String| PackError {
            file: manifest_file.to_string(),
            line: Some(event.line),
            key: Some(format!("events[{index}].{field}")),
            problem: match line {
                Some(line) => format!("{path}:{line}: {problem}"),
                None => format!("{path}: {problem}"),
            },
        };
        let schema_text = read(&event.schema_path)
            .map_err(|problem| error("schema", &event.schema_path, None, problem))?;
        // The built-in packs' schemas are parsed and compiled by the tests, not on every start:
        // they are read as JSON only by the commands that use them.
        let checked = if origin == Origin::BuiltIn {
            Ok(Value::Null)
        } else {
            check_schema(&event.schema_path, &schema_text)
        };
        let schema = checked.map_err(|checked| {
            error("schema", &event.schema_path, checked.line, checked.problem)
        })?;
        schemas.push(schema);
        schema_texts.push(schema_text);
        samples.push(match &event.sample_path {
            Some(path) => {
                let sample_text =
                    read(path).map_err(|problem| error("sample", path, None, problem))?;
                Some(
                    check_sample(path, &sample_text)
                        .map_err(|checked| error("sample", path, checked.line, checked.problem))?,
                )
            }
            None => None,
        });
    }
    let checks_samples = origin != Origin::BuiltIn;
    let pack = Pack {
        manifest,
        origin,
        manifest_file: manifest_file.to_string(),
        schemas,
        schema_texts,
        samples,
    };
    if checks_samples {
        check_samples(&pack)?;
    }
    Ok(pack)
}

/// The key of the `position`-th name of `event_names`: `events[2].name` or `events[2].short_name`.
fn event_key(manifest: &Manifest, position: usize) -> String {
    let mut seen = 0;
    for (index, event) in manifest.events.iter().enumerate() {
        if seen == position {
            return format!("events[{index}].name");
        }
        seen += 1;
        if event.short_name.is_some() {
            if seen == position {
                return format!("events[{index}].short_name");
            }
            seen += 1;
        }
    }
    "events".to_string()
}

/// Checks that each given sample matches its event's schema: a pack whose own example breaks
/// its schema would make every generated delivery invalid.
pub fn check_samples(pack: &Pack) -> Result<(), PackError> {
    let events = pack
        .manifest
        .events
        .iter()
        .zip(&pack.schemas)
        .zip(&pack.samples);
    for (index, ((event, schema), sample)) in events.enumerate() {
        let Some(sample) = sample else { continue };
        let error = |field: &str, problem: String| PackError {
            file: pack.manifest_file.clone(),
            line: Some(event.line),
            key: Some(format!("events[{index}].{field}")),
            problem,
        };
        let violation = schema::first_violation(schema, sample)
            .map_err(|invalid| error("schema", format!("not a JSON Schema: {invalid}")))?;
        if let Some(violation) = violation {
            return Err(error(
                "sample",
                format!(
                    "{} does not match the `{}` schema: {violation}",
                    event.sample_path.as_deref().unwrap_or_default(),
                    event.name,
                ),
            ));
        }
    }
    Ok(())
}

/// Checks that a sample can be built from the schema of each event that has no sample file, as
/// `generate`, `send` and `probe` will build one at `now` (Unix seconds): a schema that no
/// document satisfies would otherwise pass the check and fail only when an event is generated.
pub fn check_buildable(pack: &Pack, now: i64) -> Result<(), PackError> {
    let events = pack
        .manifest
        .events
        .iter()
        .zip(&pack.schemas)
        .zip(&pack.samples);
    for (index, ((event, schema), sample)) in events.enumerate() {
        if sample.is_some() {
            continue;
        }
        sample_from_schema(schema, 0, now).map_err(|unbuildable| PackError {
            file: pack.manifest_file.clone(),
            line: Some(event.line),
            key: Some(format!("events[{index}].schema")),
            problem: format!(
                "{}: no sample can be built from it ({unbuildable}); fix the schema or add a `sample`",
                event.schema_path
            ),
        })?;
    }
    Ok(())
}

/// The packs in force: built-in ones first, each replaced by a loaded pack with the same id,
/// then the others in the order given. Returns notes on what replaced what.
pub fn combine(
    built_in: Vec<Pack>,
    loaded: Vec<Pack>,
) -> Result<(Vec<Pack>, Vec<String>), PackError> {
    let mut packs = built_in;
    let mut notes = Vec::new();
    for pack in loaded {
        if let Some(index) = packs
            .iter()
            .position(|known| known.manifest.id == pack.manifest.id)
        {
            let replaced = &packs[index];
            if replaced.origin != Origin::BuiltIn {
                return Err(PackError {
                    file: pack.manifest_file.clone(),
                    line: Some(1),
                    key: Some("id".to_string()),
                    problem: format!(
                        "pack id `{}` is also loaded from {}",
                        pack.manifest.id, replaced.manifest_file
                    ),
                });
            }
            notes.push(format!(
                "the `{}` pack from {} replaces the built-in one",
                pack.manifest.id, pack.origin
            ));
            packs[index] = pack;
        } else {
            packs.push(pack);
        }
    }
    for (index, pack) in packs.iter().enumerate() {
        for (position, (name, line)) in pack.manifest.event_names().enumerate() {
            let clash = packs[..index].iter().find(|earlier| {
                earlier
                    .manifest
                    .event_names()
                    .any(|(other, _)| other == name)
            });
            if let Some(earlier) = clash {
                return Err(PackError {
                    file: pack.manifest_file.clone(),
                    line: Some(line),
                    key: Some(event_key(&pack.manifest, position)),
                    problem: format!(
                        "event `{name}` is also defined by the `{}` pack ({})",
                        earlier.manifest.id, earlier.manifest_file
                    ),
                });
            }
        }
    }
    Ok((packs, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACME: &str = r#"
id = "acme"
name = "Acme Cloud"
source = "https://docs.acme.example/webhooks"
assumed = ["delivery.timeout"]

[signing]
scheme = "hmac"
algorithm = "sha256"
encoding = "hex"
key = "raw"
signed = "{timestamp}.{body}"
header = "Acme-Signature"
value = "t={timestamp},v1={signature}"
id_header = "Acme-Delivery-Id"
id = "ulid"
tolerance = "300s"

[headers]
"Content-Type" = "application/json"

[delivery]
retry = ["30s", "5m", "30m"]
success = "2xx"
permanent = [400, 410]
retry_after = "ignored"
timeout = "10s"
concurrency = 5

[[events]]
name = "invoice.paid"
description = "An invoice was paid."
schema = "events/invoice.paid.schema.json"
sample = "events/invoice.paid.json"
"#;

    fn error_of(text: &str) -> PackError {
        parse_manifest("acme/provider.toml", text).unwrap_err()
    }

    #[test]
    fn the_documented_example_parses() {
        let manifest = parse_manifest("acme/provider.toml", ACME).unwrap();
        assert_eq!(manifest.id, "acme");
        assert_eq!(
            manifest.delivery.retry,
            vec![
                Duration::from_secs(30),
                Duration::from_secs(300),
                Duration::from_secs(1800)
            ]
        );
        assert_eq!(manifest.delivery.permanent, vec![400, 410]);
        assert_eq!(manifest.delivery.concurrency, Some(5));
        assert_eq!(manifest.basis("delivery.timeout"), Basis::Assumed);
        assert_eq!(manifest.basis("delivery.retry"), Basis::Documented);
        assert_eq!(manifest.tolerance, Some(Duration::from_secs(300)));
        assert_eq!(manifest.events[0].line, 30);
        let Signing::Hmac(hmac) = &manifest.signing else {
            panic!("hmac expected");
        };
        assert_eq!(hmac.header, "Acme-Signature");
        assert_eq!(hmac.id_header.as_deref(), Some("Acme-Delivery-Id"));
        assert_eq!(
            manifest.headers,
            vec![("Content-Type".to_string(), "application/json".to_string())]
        );
    }

    #[test]
    fn an_unknown_scheme_names_line_and_key() {
        let error = error_of(&ACME.replace("scheme = \"hmac\"", "scheme = \"hmca\""));
        assert_eq!(error.line, Some(8));
        assert_eq!(error.key.as_deref(), Some("signing.scheme"));
        assert!(error.problem.contains("unknown scheme `hmca`"), "{error}");
        assert_eq!(
            error.to_string(),
            "unknown scheme `hmca`; expected one of hmac, jwt-rs256, credential, none, key \
             `signing.scheme`, acme/provider.toml:8"
        );
    }

    #[test]
    fn an_unknown_placeholder_names_line_and_key() {
        let error = error_of(&ACME.replace("v1={signature}", "v1={sig}"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(14), Some("signing.value"))
        );
        assert!(error.problem.contains("`{sig}`"), "{error}");
    }

    #[test]
    fn a_curve_that_is_not_durations_names_the_entry() {
        let error = error_of(&ACME.replace("\"5m\"", "\"soon\""));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(23), Some("delivery.retry[1]"))
        );
        let error = error_of(&ACME.replace("[\"30s\", \"5m\", \"30m\"]", "[30, 300]"));
        assert_eq!(error.line, Some(23));
        assert_eq!(error.key.as_deref(), Some("delivery.retry"));
    }

    #[test]
    fn syntax_errors_and_unknown_keys_name_line_and_key() {
        let error = error_of(&ACME.replace("timeout = \"10s\"", "timeout = \"10s"));
        assert_eq!(error.line, Some(27));
        let error = error_of(&ACME.replace("timeout = \"10s\"", "timout = \"10s\""));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(27), Some("delivery.timout"))
        );
        assert!(error.problem.contains("unknown field `timout`"), "{error}");
        let error = error_of(&ACME.replace("name = \"Acme Cloud\"\n", ""));
        assert!(error.problem.contains("missing field `name`"), "{error}");
    }

    #[test]
    fn extra_fields_say_allowed_or_warned_first() {
        let with = |text: &str| {
            ACME.replace(
                "[signing]",
                &format!("extra_fields = {text:?}\n\n[signing]"),
            )
        };
        let manifest = parse_manifest("p", &with("allowed: the schemas decide")).unwrap();
        assert_eq!(
            manifest.extra_fields.as_deref(),
            Some("allowed: the schemas decide")
        );
        let error = error_of(&with("the schemas decide"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(7), Some("extra_fields"))
        );
    }

    #[test]
    fn an_event_defined_twice_names_both_lines() {
        let twice = format!(
            "{ACME}\n[[events]]\nname = \"invoice.paid\"\ndescription = \"again\"\nschema = \"x.json\"\n"
        );
        let error = error_of(&twice);
        assert_eq!(error.key.as_deref(), Some("events[1].name"));
        assert!(error.problem.contains("first on line 30"), "{error}");
    }

    #[test]
    fn assumptions_must_name_real_keys() {
        let error = error_of(&ACME.replace("[\"delivery.timeout\"]", "[\"delivery.timeot\"]"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(5), Some("assumed"))
        );
        let header = parse_manifest(
            "p",
            &ACME.replace("[\"delivery.timeout\"]", "[\"headers.Content-Type\"]"),
        )
        .unwrap();
        assert_eq!(header.basis("headers.Content-Type"), Basis::Assumed);
    }

    #[test]
    fn paths_stay_inside_the_pack() {
        let error = error_of(&ACME.replace("events/invoice.paid.json", "../../etc/passwd"));
        assert_eq!(error.key.as_deref(), Some("events[0].sample"));
        assert!(error.problem.contains("leaves the pack folder"));
        let error = error_of(&ACME.replace("events/invoice.paid.schema.json", "/etc/x"));
        assert_eq!(error.key.as_deref(), Some("events[0].schema"));
    }

    #[test]
    fn hmac_keys_on_other_schemes_and_missing_ids_are_refused() {
        let error = error_of(&ACME.replace("scheme = \"hmac\"", "scheme = \"none\""));
        assert_eq!(error.key.as_deref(), Some("signing.algorithm"));
        let error = error_of(&ACME.replace("id = \"ulid\"\n", ""));
        assert_eq!(error.key.as_deref(), Some("signing.id"));
    }

    #[test]
    fn packs_with_the_same_event_name_clash_unless_one_replaces_a_built_in() {
        let pack = |id: &str, origin: Origin| Pack {
            manifest: parse_manifest(
                "p",
                &ACME.replace("id = \"acme\"", &format!("id = \"{id}\"")),
            )
            .unwrap(),
            origin,
            manifest_file: format!("{id}/provider.toml"),
            schemas: vec![serde_json::json!({})],
            schema_texts: vec!["{}".to_string()],
            samples: vec![None],
        };
        let (packs, notes) = combine(
            vec![pack("acme", Origin::BuiltIn)],
            vec![pack("acme", Origin::Folder("mine/acme".into()))],
        )
        .unwrap();
        assert_eq!(packs.len(), 1);
        assert_eq!(packs[0].origin, Origin::Folder("mine/acme".into()));
        assert_eq!(
            notes,
            ["the `acme` pack from mine/acme replaces the built-in one"]
        );

        let error = combine(
            vec![pack("acme", Origin::BuiltIn)],
            vec![pack("other", Origin::Folder("o".into()))],
        )
        .unwrap_err();
        assert_eq!(error.file, "other/provider.toml");
        assert_eq!(error.line, Some(30));
        assert!(
            error
                .problem
                .contains("`invoice.paid` is also defined by the `acme` pack")
        );
    }

    #[test]
    fn schemas_and_samples_saved_with_a_byte_order_mark_say_so() {
        let text = "\u{feff}{\"type\": \"object\"}";
        for error in [
            check_schema("events/a.schema.json", text).unwrap_err(),
            check_sample("events/a.json", text).unwrap_err(),
        ] {
            assert_eq!(error.line, Some(1));
            assert!(error.problem.contains("byte order mark (BOM)"), "{error}");
        }
        assert!(check_schema("events/a.schema.json", &text[3..]).is_ok());
    }

    #[test]
    fn a_sample_that_breaks_its_schema_is_an_error() {
        let mut pack = Pack {
            manifest: parse_manifest("p", ACME).unwrap(),
            origin: Origin::BuiltIn,
            manifest_file: "acme/provider.toml".into(),
            schemas: vec![serde_json::json!({"type": "object", "required": ["id"]})],
            schema_texts: vec![String::new()],
            samples: vec![Some(serde_json::json!({"id": 1}))],
        };
        assert!(check_samples(&pack).is_ok());
        pack.samples = vec![Some(serde_json::json!({}))];
        let error = check_samples(&pack).unwrap_err();
        assert_eq!(error.file, "acme/provider.toml");
        assert_eq!(error.line, Some(30));
        assert_eq!(error.key.as_deref(), Some("events[0].sample"));
        assert!(
            error
                .problem
                .starts_with("events/invoice.paid.json does not match"),
            "{error}"
        );
        assert!(
            error
                .problem
                .contains("does not match the `invoice.paid` schema"),
            "{error}"
        );
    }

    #[test]
    fn schemas_must_compile() {
        assert!(check_schema("s.json", r#"{"type":"object"}"#).is_ok());
        let error = check_schema("s.json", r#"{"type": 12}"#).unwrap_err();
        assert!(error.problem.starts_with("not a JSON Schema"), "{error}");
        let error = check_schema("s.json", "{\n\"type\": }").unwrap_err();
        assert_eq!(error.line, Some(2));
    }

    #[test]
    fn table_typos_and_missing_keys_name_their_own_table() {
        let error = error_of(&ACME.replace("[headers]", "[header]"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(19), Some("header"))
        );
        let error = error_of(&ACME.replace("description = \"An invoice was paid.\"\n", ""));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(30), Some("events[0].description"))
        );
        let second =
            format!("{ACME}\n[[events]]\nname = \"b\"\ndescripton = \"x\"\nschema = \"x.json\"\n");
        assert_eq!(
            error_of(&second).key.as_deref(),
            Some("events[1].descripton")
        );
        let error = error_of(&ACME.replace("timeout = \"10s\"\n", ""));
        assert_eq!(error.key.as_deref(), Some("delivery.timeout"));
    }

    #[test]
    fn headers_point_at_their_line_in_the_headers_table() {
        let error =
            error_of(&ACME.replace("\"Content-Type\" = \"application/json\"", "\"name\" = 1"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(20), Some("headers.name"))
        );
    }

    #[test]
    fn headers_that_contradict_the_request_or_each_other_are_refused() {
        let with = |header: &str| {
            ACME.replace(
                "\"Content-Type\" = \"application/json\"",
                &format!("\"Content-Type\" = \"application/json\"\n{header}"),
            )
        };
        for (header, problem) in [
            (
                "\"content-type\" = \"text/plain\"",
                "also written as `Content-Type`",
            ),
            (
                "\"Content-Length\" = \"5\"",
                "`Content-Length` is set for each delivery",
            ),
            (
                "\"host\" = \"evil.example\"",
                "`Host` is set for each delivery",
            ),
            ("\"acme-signature\" = \"forged\"", "is `signing.header`"),
            ("\"Acme-Delivery-Id\" = \"1\"", "is `signing.id_header`"),
        ] {
            let error = error_of(&with(header));
            assert_eq!(error.line, Some(21), "{header}");
            assert!(error.problem.contains(problem), "{header}: {error}");
        }
    }

    #[test]
    fn a_signature_header_value_cannot_break_the_header_line() {
        let error = error_of(&ACME.replace("v1={signature}", "v1=\\r\\n{signature}"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(14), Some("signing.value"))
        );
    }

    #[test]
    fn what_is_signed_must_cover_the_body_and_reach_the_receiver() {
        let error = error_of(&ACME.replace("{timestamp}.{body}", "{timestamp}"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(12), Some("signing.signed"))
        );
        assert!(error.problem.contains("must hold `{body}`"), "{error}");
        // The timestamp is signed but sent neither in the value nor in a header of its own.
        let error = error_of(&ACME.replace("t={timestamp},v1={signature}", "v1={signature}"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(12), Some("signing.signed"))
        );
        assert!(
            error
                .problem
                .contains("`{timestamp}` is signed but never sent")
        );
        let own_header = ACME.replace(
            "t={timestamp},v1={signature}\"",
            "v1={signature}\"\ntimestamp_header = \"Acme-Timestamp\"",
        );
        assert!(parse_manifest("p", &own_header).is_ok());
        let id_signed = ACME.replace("{timestamp}.{body}", "{id}.{timestamp}.{body}");
        let error = error_of(&id_signed.replace("id_header = \"Acme-Delivery-Id\"\n", ""));
        assert!(
            error.problem.contains("`{id}` is signed but never sent"),
            "{error}"
        );
    }

    #[test]
    fn names_and_descriptions_are_shown_on_one_line() {
        let error = error_of(&ACME.replace("\"Acme Cloud\"", "\"\""));
        assert_eq!((error.line, error.key.as_deref()), (Some(3), Some("name")));
        let error = error_of(&ACME.replace("\"Acme Cloud\"", "\"Acme\\u001b[31m\""));
        assert_eq!(error.key.as_deref(), Some("name"));
        let error = error_of(&ACME.replace("An invoice was paid.", "paid\\nnext line"));
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(30), Some("events[0].description"))
        );
        for alias in ["\"\"", "\"a b\"", "\"invoice.paid\""] {
            let error = error_of(&ACME.replace(
                "name = \"invoice.paid\"",
                &format!("name = \"invoice.paid\"\nshort_name = {alias}"),
            ));
            assert_eq!(
                (error.line, error.key.as_deref()),
                (Some(32), Some("events[0].short_name")),
                "{alias}"
            );
        }
    }

    #[test]
    fn no_input_makes_the_parser_panic() {
        let tricky = [
            "",
            "=",
            "[",
            "id = 1",
            "\u{0}",
            "[[events]]\n[[events]]",
            "id=\"a\"\nname=\"b\"\n[signing]\nscheme=\"hmac\"\n[delivery]\nretry=[]\nsuccess=\"2xx\"\ntimeout=\"1s\"",
        ];
        for text in tricky {
            assert!(parse_manifest("p", text).is_err(), "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Pack authors make every kind of typo: cut, doubled and replaced characters anywhere in
        /// the file give an error or a pack, never a panic, and every error names the file.
        #[test]
        fn mutated_manifests_never_panic(
            edits in proptest::collection::vec((0usize..2000, 0u8..3, proptest::char::any()), 1..6)
        ) {
            let mut text: Vec<char> = ACME.chars().collect();
            for (at, kind, c) in edits {
                let at = at % (text.len() + 1);
                match kind {
                    0 if at < text.len() => { text.remove(at); }
                    1 => text.insert(at, c),
                    _ if at < text.len() => text[at] = c,
                    _ => text.push(c),
                }
            }
            let text: String = text.into_iter().collect();
            if let Err(error) = parse_manifest("acme/provider.toml", &text) {
                proptest::prop_assert_eq!(error.file, "acme/provider.toml");
                proptest::prop_assert!(!error.problem.is_empty());
            }
        }
    }
}
