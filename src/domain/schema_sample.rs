//! Sample documents built from an event's JSON Schema (draft 2020-12), for events that come with a
//! schema but no sample. Seeded: the same schema, seed and `now` give the same document, another
//! seed another one. The one place that talks to `rand_regex`, `regex` and `regex_syntax`.
//!
//! Every value is built to satisfy its schema, then checked against it before it is kept; what
//! cannot be satisfied is an error naming the JSON pointer of the schema location.
//!
//! Supported keywords:
//! - values: `const`, `enum`, `examples` and `default` (one that satisfies the schema is used
//!   as it is, in preference to a built value), `type` (a list with `"null"` is nullable; without
//!   `type` the kind is read from the other keywords);
//! - strings: `minLength`, `maxLength`, `pattern` (common shapes such as GUIDs, ULIDs and
//!   colours are tried first, then strings drawn from the pattern itself), and realistic values
//!   for the `format`s `email`, `idn-email`, `date-time` (within three days before `now`),
//!   `date`, `time`, `uuid`, `uri`, `url`, `iri`, `uri-reference`, `iri-reference`,
//!   `uri-template`, `hostname`, `idn-hostname`, `ipv4`, `ipv6`, `duration`, `json-pointer`,
//!   `relative-json-pointer` and `regex`; other strings are plausible for their property's name
//!   (`email`, `phone`, `firstName`, `city`, `url`, `description`, `currency`, …) or else words;
//! - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`
//!   (values within ±10^15, multiples down to 10^-12);
//! - arrays: `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`, `contains`,
//!   `minContains`, `maxContains`;
//! - objects: `properties`, `required` (optional properties are present or absent depending on
//!   the seed), `additionalProperties`, `patternProperties`, `propertyNames`, `minProperties`,
//!   `maxProperties`, `dependentRequired`, `dependentSchemas` (of required properties; an optional
//!   property that carries one is left out), `unevaluatedProperties` (as `additionalProperties`
//!   over every merged subschema);
//! - combinations: `allOf` (merged), `anyOf`, `oneOf` and `if`/`then`/`else` (a branch picked by
//!   the seed; a `oneOf` branch is built with the others forbidden, an `else` with its `if`
//!   forbidden), `not` (a `not` of a `not` is a requirement, a `not` of an `anyOf` forbids each
//!   branch, one naming only types rules them out; otherwise samples that match it are
//!   discarded), boolean schemas;
//! - references: local `$ref` (`#`, `#/$defs/…`, `#/definitions/…`, any JSON pointer, a
//!   `$anchor`, or the root `$id` followed by one of those). A `$ref` met again inside itself
//!   makes what follows minimal (optional properties left out, arrays at `minItems`, `null` where
//!   allowed); one that recurs more than 8 times, or 64 nested references, is an error.
//!
//! Errors: a `$ref` outside the schema, `$dynamicRef`, `$recursiveRef`, `unevaluatedItems`,
//! `items` as a list (draft 2020-12 spells tuples `prefixItems`), a `pattern` with look-around
//! or back-references, a `not` or `oneOf` branch whose match the checker cannot decide (it
//! reads every keyword above, but not `unevaluated*` or formats such as `duration`),
//! `minLength` above 65,536 or `minItems`/`minProperties` above 1,000, and contradictory
//! constraints (`minimum` above `maximum`, a `const` outside its `enum`, …).

use std::collections::HashMap;

use fake::Fake;
use fake::faker::address::raw::CityName;
use fake::faker::company::raw::CompanyName;
use fake::faker::lorem::raw::{Sentence, Word, Words};
use fake::locales::EN;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex_syntax::hir::{self, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};
use serde_json::{Map, Number, Value};

use crate::domain::sample_data::{Locale, SampleRng, rfc3339_millis};

/// How many times one `$ref` may recur along a path before the schema counts as endless.
const MAX_SAME_REF: usize = 8;
/// From the second time a `$ref` is met inside itself, only what is required is built, so that
/// recursive schemas (trees, linked lists) end.
const RECURSION_SHORTCUT: usize = 2;
/// Values built in all, bounding the search through `anyOf`/`oneOf` combinations.
const MAX_STEPS: usize = 50_000;
/// Tries for one value before its schema counts as unsatisfiable.
const TRIES: usize = 8;
/// Nesting of the checker through `$ref`s before it gives up on an answer.
const MAX_CHECK_DEPTH: usize = 64;
/// Subschemas checked in all before the checker answers `Unknown`: nested `anyOf`s of
/// recursive `$ref`s would otherwise take exponential time.
const MAX_CHECKS: usize = 200_000;
/// `$ref`s followed along one path, bounding the nesting (and the stack) of the builder.
const MAX_REF_PATH: usize = 64;
/// Numbers stay within ±10^15, where every decimal the sampler writes is exact in an `f64`.
const NUMBER_LIMIT: i128 = 1_000_000_000_000_000;
/// The longest `minLength` built (64 KiB of text).
const MAX_LENGTH: usize = 65_536;
/// The largest `minItems` and `minProperties` built.
const MAX_MEMBERS: usize = 1_000;
/// How many shapes [`Sampler::plausible_shape`] knows.
const SHAPES: usize = 8;
/// The finest `multipleOf` the sampler writes exactly (12 decimals).
const MAX_DECIMALS: u32 = 12;

/// A JSON document that satisfies `schema`, the same for the same `seed` and `now` (Unix
/// seconds; `date-time`s fall within three days before it).
pub fn sample_from_schema(schema: &Value, seed: u64, now: i64) -> Result<Value, SchemaSampleError> {
    let now = Timestamp::from_second(now.clamp(
        Timestamp::MIN.as_second() + 1,
        Timestamp::MAX.as_second() - 1,
    ))
    .unwrap_or(Timestamp::UNIX_EPOCH);
    let mut sampler = Sampler {
        root: schema,
        rng: ChaCha8Rng::seed_from_u64(seed),
        now,
        steps: 0,
        checks: 0,
        matchers: HashMap::new(),
        generators: HashMap::new(),
    };
    let mut conjunction = Conjunction::new(Vec::new(), None);
    sampler.fold(&mut conjunction, schema, String::new())?;
    sampler.generate(conjunction)
}

/// Why no sample can be built, and where in the schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}, at schema location `#{pointer}`")]
pub struct SchemaSampleError {
    /// JSON pointer of the schema location (empty for the root).
    pub pointer: String,
    pub problem: Problem,
}

/// What stops a sample from being built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the schema is `false`: no value satisfies it")]
    FalseSchema,
    #[error("`{keyword}` must be {expected}")]
    Malformed {
        keyword: String,
        expected: &'static str,
    },
    #[error("`{0}` is not supported by the sample builder")]
    Unsupported(String),
    #[error(
        "`$ref` `{0}` points outside this schema; only references inside it (`#/$defs/…`) are followed"
    )]
    ExternalRef(String),
    #[error("`$ref` `{0}` points at nothing in this schema")]
    UnresolvedRef(String),
    #[error(
        "`$ref` `{0}` recurses more than {MAX_SAME_REF} times (or {MAX_REF_PATH} references nest) without reaching a finite value"
    )]
    EndlessRecursion(String),
    #[error("`pattern` `{pattern}` {reason}")]
    Pattern { pattern: String, reason: String },
    #[error("{0}")]
    Contradiction(String),
    #[error("{0}")]
    Undecidable(String),
    #[error("no branch of `{keyword}` gives a sample ({first})")]
    NoBranch {
        keyword: &'static str,
        first: Box<SchemaSampleError>,
    },
    #[error("the schema needs more than {MAX_STEPS} steps to sample (too many combinations)")]
    TooComplex,
}

fn error(pointer: impl Into<String>, problem: Problem) -> SchemaSampleError {
    SchemaSampleError {
        pointer: pointer.into(),
        problem,
    }
}

fn contradiction(pointer: impl Into<String>, what: String) -> SchemaSampleError {
    error(pointer, Problem::Contradiction(what))
}

fn malformed(
    pointer: impl Into<String>,
    keyword: &str,
    expected: &'static str,
) -> SchemaSampleError {
    error(
        pointer,
        Problem::Malformed {
            keyword: keyword.to_owned(),
            expected,
        },
    )
}

/// Whether a value satisfies a schema, as far as the checker can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    Yes,
    No,
    Unknown,
}

impl Fit {
    fn from_bool(yes: bool) -> Self {
        if yes { Fit::Yes } else { Fit::No }
    }

    fn and(self, other: Fit) -> Fit {
        match (self, other) {
            (Fit::No, _) | (_, Fit::No) => Fit::No,
            (Fit::Unknown, _) | (_, Fit::Unknown) => Fit::Unknown,
            _ => Fit::Yes,
        }
    }

    fn negate(self) -> Fit {
        match self {
            Fit::Yes => Fit::No,
            Fit::No => Fit::Yes,
            Fit::Unknown => Fit::Unknown,
        }
    }
}

/// One object schema that applies to the value being built, and where it stands.
#[derive(Clone)]
struct Part<'s> {
    pointer: String,
    schema: &'s Map<String, Value>,
}

/// A branching keyword not decided yet.
#[derive(Clone)]
enum Choice<'s> {
    AnyOf {
        pointer: String,
        branches: &'s [Value],
    },
    OneOf {
        pointer: String,
        branches: &'s [Value],
    },
    If {
        pointer: String,
        condition: &'s Value,
        then: Option<&'s Value>,
        otherwise: Option<&'s Value>,
    },
}

/// Everything one value must satisfy: the object schemas reached through `allOf`, `$ref` and the
/// branches chosen so far, the branches still to choose, and the schemas it must not match.
#[derive(Clone)]
struct Conjunction<'s> {
    parts: Vec<Part<'s>>,
    choices: Vec<Choice<'s>>,
    forbidden: Vec<(String, &'s Value)>,
    /// The `$ref` targets followed from the root down to this value.
    refs: Vec<String>,
    /// `dependentSchemas` already merged, by pointer.
    dependents: Vec<String>,
    /// The property name the value stands under, for plausible strings.
    hint: Option<String>,
    /// Values it must differ from: the earlier items of a `uniqueItems` array.
    taken: Vec<Value>,
}

impl<'s> Conjunction<'s> {
    fn new(refs: Vec<String>, hint: Option<String>) -> Self {
        Self {
            parts: Vec::new(),
            choices: Vec::new(),
            forbidden: Vec::new(),
            refs,
            dependents: Vec::new(),
            hint,
            taken: Vec::new(),
        }
    }

    fn child(&self, hint: Option<String>) -> Self {
        Self::new(self.refs.clone(), hint)
    }

    /// Whether a `$ref` is being expanded inside itself: build only what is required.
    fn minimal(&self) -> bool {
        self.refs.iter().any(|target| {
            self.refs.iter().filter(|seen| *seen == target).count() >= RECURSION_SHORTCUT
        })
    }

    /// Where the value's schema starts, for errors that no single keyword explains.
    fn pointer(&self) -> String {
        self.parts
            .first()
            .map(|part| part.pointer.clone())
            .unwrap_or_default()
    }

    /// `pointer/keyword` of the first part that holds `keyword`.
    fn keyword_pointer(&self, keyword: &str) -> String {
        self.parts
            .iter()
            .find(|part| part.schema.contains_key(keyword))
            .map(|part| format!("{}/{keyword}", part.pointer))
            .unwrap_or_else(|| self.pointer())
    }

    /// Each `(pointer, value)` of `keyword` across the parts.
    fn all(&self, keyword: &'static str) -> impl Iterator<Item = (String, &'s Value)> + '_ {
        self.parts.iter().filter_map(move |part| {
            part.schema
                .get(keyword)
                .map(|value| (format!("{}/{keyword}", part.pointer), value))
        })
    }
}

/// The seeded builder, with its caches of compiled patterns.
struct Sampler<'s> {
    root: &'s Value,
    rng: ChaCha8Rng,
    now: Timestamp,
    steps: usize,
    checks: usize,
    matchers: HashMap<String, Result<regex::Regex, String>>,
    generators: HashMap<(String, u32), Result<rand_regex::Regex, String>>,
}

/// The JSON types in the order `type` lists are read.
const TYPES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

impl<'s> Sampler<'s> {
    // ---------------------------------------------------------------- merging schemas

    /// Adds `schema` (at `pointer`) to what `conjunction` must satisfy, following `allOf` and
    /// `$ref` and recording `anyOf`, `oneOf`, `if` and `not` for later.
    fn fold(
        &mut self,
        conjunction: &mut Conjunction<'s>,
        schema: &'s Value,
        pointer: String,
    ) -> Result<(), SchemaSampleError> {
        let map = match schema {
            Value::Bool(true) => return Ok(()),
            Value::Bool(false) => return Err(error(pointer, Problem::FalseSchema)),
            Value::Object(map) => map,
            _ => return Err(malformed(pointer, "schema", "an object or a boolean")),
        };
        for keyword in ["$dynamicRef", "$recursiveRef"] {
            if map.contains_key(keyword) {
                return Err(error(
                    format!("{pointer}/{keyword}"),
                    Problem::Unsupported(keyword.to_owned()),
                ));
            }
        }
        if map
            .get("unevaluatedItems")
            .is_some_and(|value| value != &Value::Bool(true))
        {
            return Err(error(
                format!("{pointer}/unevaluatedItems"),
                Problem::Unsupported("unevaluatedItems".to_owned()),
            ));
        }
        if map.get("items").is_some_and(Value::is_array) {
            return Err(malformed(
                format!("{pointer}/items"),
                "items",
                "a schema (draft 2020-12 spells a tuple `prefixItems`)",
            ));
        }
        if let Some(types) = map.get("type") {
            read_types(types).ok_or_else(|| {
                malformed(
                    format!("{pointer}/type"),
                    "type",
                    "a JSON type name or a list of them",
                )
            })?;
        }
        conjunction.parts.push(Part {
            pointer: pointer.clone(),
            schema: map,
        });
        if let Some(not) = map.get("not") {
            self.forbid(conjunction, not, format!("{pointer}/not"))?;
        }
        if let Some(reference) = map.get("$ref") {
            let at = format!("{pointer}/$ref");
            let reference = reference
                .as_str()
                .ok_or_else(|| malformed(at.clone(), "$ref", "a string"))?;
            let (target_pointer, target) = self
                .resolve(reference)
                .map_err(|problem| error(at.clone(), problem))?;
            let times = conjunction
                .refs
                .iter()
                .filter(|seen| **seen == target_pointer)
                .count();
            if times >= MAX_SAME_REF || conjunction.refs.len() >= MAX_REF_PATH {
                return Err(error(at, Problem::EndlessRecursion(reference.to_owned())));
            }
            conjunction.refs.push(target_pointer.clone());
            self.fold(conjunction, target, target_pointer)?;
        }
        if let Some(all) = map.get("allOf") {
            let branches = non_empty_array(all, &pointer, "allOf")?;
            for (index, branch) in branches.iter().enumerate() {
                self.fold(conjunction, branch, format!("{pointer}/allOf/{index}"))?;
            }
        }
        if let Some(any) = map.get("anyOf") {
            let branches = non_empty_array(any, &pointer, "anyOf")?;
            conjunction.choices.push(Choice::AnyOf {
                pointer: format!("{pointer}/anyOf"),
                branches,
            });
        }
        if let Some(one) = map.get("oneOf") {
            let branches = non_empty_array(one, &pointer, "oneOf")?;
            conjunction.choices.push(Choice::OneOf {
                pointer: format!("{pointer}/oneOf"),
                branches,
            });
        }
        if let Some(condition) = map.get("if") {
            conjunction.choices.push(Choice::If {
                pointer: format!("{pointer}/if"),
                condition,
                then: map.get("then"),
                otherwise: map.get("else"),
            });
        }
        Ok(())
    }

    /// Records that the value must not match `schema`. A `not` of a `not` is a plain
    /// requirement, and a `not` of an `anyOf` rules out each branch: both are read that way, so
    /// that the sample is built to them rather than drawn until one happens to fit.
    fn forbid(
        &mut self,
        conjunction: &mut Conjunction<'s>,
        schema: &'s Value,
        pointer: String,
    ) -> Result<(), SchemaSampleError> {
        let only = schema
            .as_object()
            .filter(|map| map.len() == 1)
            .and_then(|map| map.iter().next());
        match only {
            Some((keyword, inner)) if keyword == "not" => {
                self.fold(conjunction, inner, format!("{pointer}/not"))
            }
            Some((keyword, Value::Array(branches)))
                if keyword == "anyOf"
                    || (keyword == "allOf" || keyword == "oneOf") && branches.len() == 1 =>
            {
                for (index, branch) in branches.iter().enumerate() {
                    self.forbid(conjunction, branch, format!("{pointer}/{keyword}/{index}"))?;
                }
                Ok(())
            }
            _ => {
                conjunction.forbidden.push((pointer, schema));
                Ok(())
            }
        }
    }

    /// The pointer and subschema a local `$ref` names.
    fn resolve(&self, reference: &str) -> Result<(String, &'s Value), Problem> {
        let root_id = self
            .root
            .get("$id")
            .and_then(Value::as_str)
            .map(|id| id.split('#').next().unwrap_or(id))
            .filter(|id| !id.is_empty());
        let fragment = if let Some(fragment) = reference.strip_prefix('#') {
            fragment
        } else if let Some(rest) = root_id.and_then(|id| reference.strip_prefix(id)) {
            match rest.strip_prefix('#') {
                Some(fragment) => fragment,
                None if rest.is_empty() => "",
                None => return Err(Problem::ExternalRef(reference.to_owned())),
            }
        } else {
            return Err(Problem::ExternalRef(reference.to_owned()));
        };
        // `%24defs` → `$defs`: a `$ref` fragment is a URI fragment.
        let fragment = percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned();
        if fragment.is_empty() {
            return Ok((String::new(), self.root));
        }
        if fragment.starts_with('/') {
            return self
                .root
                .pointer(&fragment)
                .map(|target| (fragment.clone(), target))
                .ok_or_else(|| Problem::UnresolvedRef(reference.to_owned()));
        }
        find_anchor(self.root, &fragment, String::new())
            .ok_or_else(|| Problem::UnresolvedRef(reference.to_owned()))
    }

    // ---------------------------------------------------------------- choosing branches

    fn step(&mut self, pointer: &str) -> Result<(), SchemaSampleError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(error(pointer, Problem::TooComplex));
        }
        Ok(())
    }

    /// A value for `conjunction`: its branches decided first, then built and checked.
    fn generate(&mut self, mut conjunction: Conjunction<'s>) -> Result<Value, SchemaSampleError> {
        self.step(&conjunction.pointer())?;
        if !conjunction.choices.is_empty() {
            let choice = conjunction.choices.remove(0);
            return self.decide(conjunction, choice);
        }
        if self.fold_dependent_schemas(&mut conjunction)? {
            return self.generate(conjunction);
        }
        self.generate_decided(&conjunction)
    }

    /// Tries the branches of `choice` in an order drawn from the seed, keeping the first that
    /// gives a sample. A `oneOf` branch is taken with the other branches forbidden, and the
    /// `else` of an `if` with its condition forbidden.
    fn decide(
        &mut self,
        conjunction: Conjunction<'s>,
        choice: Choice<'s>,
    ) -> Result<Value, SchemaSampleError> {
        struct Branch<'s> {
            take: Vec<(String, &'s Value)>,
            avoid: Vec<(String, &'s Value)>,
        }
        let (keyword, pointer, mut options) = match &choice {
            Choice::AnyOf { pointer, branches } | Choice::OneOf { pointer, branches } => {
                let one_of = matches!(choice, Choice::OneOf { .. });
                let options: Vec<Branch<'s>> = (0..branches.len())
                    .map(|index| Branch {
                        take: vec![(format!("{pointer}/{index}"), &branches[index])],
                        avoid: branches
                            .iter()
                            .enumerate()
                            .filter(|(other, _)| one_of && *other != index)
                            .map(|(other, branch)| (format!("{pointer}/{other}"), branch))
                            .collect(),
                    })
                    .collect();
                (
                    if one_of { "oneOf" } else { "anyOf" },
                    pointer.clone(),
                    options,
                )
            }
            Choice::If {
                pointer,
                condition,
                then,
                otherwise,
            } => {
                let base = pointer.strip_suffix("/if").unwrap_or(pointer);
                let mut when_true = vec![(pointer.clone(), *condition)];
                when_true.extend(then.map(|then| (format!("{base}/then"), then)));
                let options = vec![
                    Branch {
                        take: when_true,
                        avoid: Vec::new(),
                    },
                    Branch {
                        take: otherwise
                            .map(|otherwise| (format!("{base}/else"), otherwise))
                            .into_iter()
                            .collect(),
                        avoid: vec![(pointer.clone(), *condition)],
                    },
                ];
                ("if", pointer.clone(), options)
            }
        };
        options.shuffle(&mut self.rng);
        if conjunction.minimal() {
            // Inside a recursion, branches that recurse again come last so that it ends.
            options
                .sort_by_key(|option| option.take.iter().any(|(_, branch)| mentions_ref(branch)));
        }
        let mut first_failure = None;
        for option in &options {
            let mut next = conjunction.clone();
            let folded = option
                .take
                .iter()
                .try_for_each(|(at, branch)| self.fold(&mut next, branch, at.clone()))
                .and_then(|()| {
                    option
                        .avoid
                        .iter()
                        .try_for_each(|(at, branch)| self.forbid(&mut next, branch, at.clone()))
                });
            let outcome = folded.and_then(|()| self.generate(next));
            match outcome {
                Ok(value) => return Ok(value),
                Err(failure) if failure.problem == Problem::TooComplex => return Err(failure),
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        let first = first_failure.unwrap_or_else(|| error(pointer.clone(), Problem::TooComplex));
        Err(error(
            pointer,
            Problem::NoBranch {
                keyword,
                first: Box::new(first),
            },
        ))
    }

    /// Merges the `dependentSchemas` of required properties; true when one was added.
    fn fold_dependent_schemas(
        &mut self,
        conjunction: &mut Conjunction<'s>,
    ) -> Result<bool, SchemaSampleError> {
        let required = required_names(conjunction)?;
        let mut pending = Vec::new();
        for (at, dependents) in conjunction.all("dependentSchemas") {
            let dependents = dependents
                .as_object()
                .ok_or_else(|| malformed(at.clone(), "dependentSchemas", "an object"))?;
            for (name, schema) in dependents {
                let pointer = format!("{at}/{}", escape_pointer_token(name));
                if required.contains(&name.as_str()) && !conjunction.dependents.contains(&pointer) {
                    pending.push((pointer, schema));
                }
            }
        }
        let added = !pending.is_empty();
        for (pointer, schema) in pending {
            conjunction.dependents.push(pointer.clone());
            self.fold(conjunction, schema, pointer)?;
        }
        Ok(added)
    }

    // ---------------------------------------------------------------- building values

    /// A value for a conjunction with every branch decided, retried until it passes the check.
    fn generate_decided(
        &mut self,
        conjunction: &Conjunction<'s>,
    ) -> Result<Value, SchemaSampleError> {
        let mut last = None;
        for _ in 0..TRIES {
            let value = self.build(conjunction)?;
            match self.verdict(conjunction, &value)? {
                None => return Ok(value),
                Some(failure) => last = Some(failure),
            }
        }
        Err(last.unwrap_or_else(|| error(conjunction.pointer(), Problem::TooComplex)))
    }

    /// `None` when `value` satisfies every part and matches nothing forbidden; else the reason.
    fn verdict(
        &mut self,
        conjunction: &Conjunction<'s>,
        value: &Value,
    ) -> Result<Option<SchemaSampleError>, SchemaSampleError> {
        for (at, forbidden) in &conjunction.forbidden {
            match self.check(value, forbidden, 0) {
                Fit::No => {}
                Fit::Yes => {
                    return Ok(Some(contradiction(
                        at.clone(),
                        format!("every sample tried matches {}", forbidden_role(at)),
                    )));
                }
                Fit::Unknown => {
                    return Err(error(
                        at.clone(),
                        Problem::Undecidable(format!(
                            "cannot tell whether the sample matches {}",
                            forbidden_role(at)
                        )),
                    ));
                }
            }
        }
        if conjunction
            .taken
            .iter()
            .any(|taken| json_equal(taken, value))
        {
            return Ok(Some(contradiction(
                conjunction.pointer(),
                "every sample tried repeats an earlier item of a `uniqueItems` array".to_owned(),
            )));
        }
        for part in &conjunction.parts {
            if self.check_map(value, part.schema, 0) == Fit::No {
                return Ok(Some(contradiction(
                    part.pointer.clone(),
                    "no sample tried satisfies every keyword here".to_owned(),
                )));
            }
        }
        Ok(None)
    }

    /// One candidate value: `const`, an `enum` member, an example or default, or one built for a
    /// type the schema allows.
    fn build(&mut self, conjunction: &Conjunction<'s>) -> Result<Value, SchemaSampleError> {
        let mut consts = conjunction.all("const");
        if let Some((_, first)) = consts.next() {
            if let Some((at, _)) = consts.find(|(_, other)| !json_equal(first, other)) {
                return Err(contradiction(at, "two `const` values disagree".to_owned()));
            }
            if self.fits(conjunction, first) == Fit::No {
                return Err(contradiction(
                    conjunction.keyword_pointer("const"),
                    "the `const` value breaks the rest of the schema".to_owned(),
                ));
            }
            return Ok(first.clone());
        }
        if let Some(value) = self.pick_enum(conjunction)? {
            return Ok(value);
        }
        if let Some(value) = self.pick_example(conjunction) {
            return Ok(value);
        }
        let types = allowed_types(conjunction)?;
        let nullable = types.contains(&"null");
        let others: Vec<&str> = types
            .iter()
            .copied()
            .filter(|kind| *kind != "null")
            .collect();
        if others.is_empty() || (nullable && (conjunction.minimal() || self.rng.random_bool(0.25)))
        {
            return Ok(Value::Null);
        }
        let kind = others[self.rng.random_range(0..others.len())];
        match kind {
            "boolean" => Ok(Value::Bool(self.rng.random_bool(0.5))),
            "integer" => self.number(conjunction, true),
            "number" => self.number(conjunction, false),
            "string" => self.string(conjunction).map(Value::String),
            "array" => self.array(conjunction),
            _ => self.object(conjunction),
        }
    }

    /// A member of every `enum` that the rest of the schema accepts.
    fn pick_enum(
        &mut self,
        conjunction: &Conjunction<'s>,
    ) -> Result<Option<Value>, SchemaSampleError> {
        let lists: Vec<(String, &'s Value)> = conjunction.all("enum").collect();
        let Some((first_at, first)) = lists.first() else {
            return Ok(None);
        };
        let mut candidates = Vec::new();
        for (at, list) in &lists {
            list.as_array()
                .ok_or_else(|| malformed(at.clone(), "enum", "an array"))?;
        }
        for candidate in first.as_array().into_iter().flatten() {
            let in_all = lists.iter().all(|(_, list)| {
                list.as_array().is_some_and(|members| {
                    members.iter().any(|member| json_equal(member, candidate))
                })
            });
            if in_all && self.fits(conjunction, candidate) != Fit::No {
                candidates.push(candidate);
            }
        }
        if candidates.is_empty() {
            return Err(contradiction(
                first_at.clone(),
                "no `enum` value satisfies the rest of the schema".to_owned(),
            ));
        }
        Ok(Some(
            candidates[self.rng.random_range(0..candidates.len())].clone(),
        ))
    }

    /// One of the `examples` or the `default`, if one of them surely satisfies the schema.
    fn pick_example(&mut self, conjunction: &Conjunction<'s>) -> Option<Value> {
        let mut offered: Vec<&'s Value> = Vec::new();
        for (_, examples) in conjunction.all("examples") {
            offered.extend(examples.as_array().into_iter().flatten());
        }
        offered.extend(conjunction.all("default").map(|(_, default)| default));
        let fitting: Vec<&'s Value> = offered
            .into_iter()
            .filter(|candidate| self.fits(conjunction, candidate) == Fit::Yes)
            .collect();
        if fitting.is_empty() {
            return None;
        }
        Some(fitting[self.rng.random_range(0..fitting.len())].clone())
    }

    /// Whether `value` satisfies every part and matches nothing forbidden.
    fn fits(&mut self, conjunction: &Conjunction<'s>, value: &Value) -> Fit {
        let mut fit = Fit::Yes;
        for part in &conjunction.parts {
            fit = fit.and(self.check_map(value, part.schema, 0));
        }
        for (_, forbidden) in &conjunction.forbidden {
            fit = fit.and(self.check(value, forbidden, 0).negate());
        }
        if conjunction
            .taken
            .iter()
            .any(|taken| json_equal(taken, value))
        {
            return Fit::No;
        }
        fit
    }

    // ---------------------------------------------------------------- numbers

    /// An integer, or a number with at most two decimals (more when `multipleOf` needs them),
    /// within the bounds and a multiple of every `multipleOf`.
    fn number(
        &mut self,
        conjunction: &Conjunction<'s>,
        integer: bool,
    ) -> Result<Value, SchemaSampleError> {
        let mut multiples = Vec::new();
        for (at, multiple) in conjunction.all("multipleOf") {
            let decimal = multiple
                .as_number()
                .and_then(Decimal::of)
                .filter(|decimal| decimal.mantissa > 0)
                .ok_or_else(|| malformed(at.clone(), "multipleOf", "a number above 0"))?;
            if decimal.decimals > MAX_DECIMALS {
                return Err(error(
                    at,
                    Problem::Unsupported(format!("`multipleOf` finer than 1e-{MAX_DECIMALS}")),
                ));
            }
            multiples.push(decimal);
        }
        let mut bounds = Vec::new();
        for keyword in ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"] {
            for (at, bound) in conjunction.all(keyword) {
                let decimal = bound
                    .as_number()
                    .and_then(Decimal::of)
                    .ok_or_else(|| malformed(at.clone(), keyword, "a number"))?;
                bounds.push((keyword, at, decimal));
            }
        }
        let decimals = if integer {
            multiples
                .iter()
                .map(|decimal| decimal.decimals)
                .fold(0, u32::max)
        } else {
            multiples
                .iter()
                .chain(bounds.iter().map(|(_, _, decimal)| decimal))
                .map(|decimal| decimal.decimals)
                .fold(2, u32::max)
                .min(MAX_DECIMALS)
        };
        let scale = 10_i128.pow(decimals);
        let limit = NUMBER_LIMIT * scale;
        let (mut low, mut high) = (-limit, limit);
        for (keyword, at, bound) in &bounds {
            let out_of_range = || {
                error(
                    at.clone(),
                    Problem::Unsupported("numeric bounds beyond ±10^15".to_owned()),
                )
            };
            match *keyword {
                "minimum" => low = low.max(bound.units_ceil(decimals).ok_or_else(out_of_range)?),
                "exclusiveMinimum" => {
                    low = low.max(bound.units_floor(decimals).ok_or_else(out_of_range)? + 1);
                }
                "maximum" => high = high.min(bound.units_floor(decimals).ok_or_else(out_of_range)?),
                _ => high = high.min(bound.units_ceil(decimals).ok_or_else(out_of_range)? - 1),
            }
        }
        if low > limit || high < -limit {
            return Err(error(
                conjunction.keyword_pointer(if low > limit { "minimum" } else { "maximum" }),
                Problem::Unsupported("numeric bounds beyond ±10^15".to_owned()),
            ));
        }
        let mut step: i128 = if integer { scale } else { 1 };
        for multiple in &multiples {
            let units = multiple
                .units_floor(decimals)
                .filter(|units| *units > 0)
                .ok_or_else(|| {
                    error(
                        conjunction.keyword_pointer("multipleOf"),
                        Problem::Unsupported("`multipleOf` beyond ±10^15".to_owned()),
                    )
                })?;
            step = lcm(step, units)
                .filter(|step| *step <= limit)
                .ok_or_else(|| {
                    contradiction(
                        conjunction.keyword_pointer("multipleOf"),
                        "the `multipleOf` values have no common multiple within ±10^15".to_owned(),
                    )
                })?;
        }
        let describe = || {
            let kind = if integer { "integer" } else { "number" };
            let bounds_pointer = bounds
                .first()
                .map(|(_, at, _)| at.clone())
                .unwrap_or_else(|| conjunction.keyword_pointer("multipleOf"));
            contradiction(
                bounds_pointer,
                format!("no {kind} lies within the bounds and `multipleOf` of this schema"),
            )
        };
        if low > high {
            return Err(describe());
        }
        // Plausible values: between 0 and 1000 where the bounds allow, else near a bound.
        let span = 1000 * scale;
        let (mut from, mut to) = (low.max(0), high.min(span));
        if from > to {
            (from, to) = if low > 0 {
                (low, high.min(low.saturating_add(span)))
            } else {
                (low.max(high.saturating_sub(span)), high)
            };
        }
        let (mut first, mut last) = (ceil_div(from, step), from_floor_div(to, step));
        if first > last {
            (first, last) = (ceil_div(low, step), from_floor_div(high, step));
            if first > last {
                return Err(describe());
            }
            last = last.min(first + 1000);
        }
        let write = |units: i128| -> Option<Value> {
            if integer {
                return i64::try_from(units / scale).ok().map(Value::from);
            }
            decimal_text(units, decimals)
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
        };
        // Few choices: try them all, in an order drawn from the seed, so that a `not` or an
        // `enum` elsewhere that rules most of them out still finds the one left.
        if last - first < 64 {
            let mut choices: Vec<i128> = (first..=last).collect();
            choices.shuffle(&mut self.rng);
            let mut fallback = None;
            for choice in choices {
                let value = write(choice * step).ok_or_else(describe)?;
                if self.fits(conjunction, &value) != Fit::No {
                    return Ok(value);
                }
                fallback.get_or_insert(value);
            }
            return fallback.ok_or_else(describe);
        }
        write(self.rng.random_range(first..=last) * step).ok_or_else(describe)
    }

    // ---------------------------------------------------------------- strings

    /// A string within the lengths that matches every `pattern` and a known `format`.
    fn string(&mut self, conjunction: &Conjunction<'s>) -> Result<String, SchemaSampleError> {
        let min = bounded(conjunction, "minLength", MAX_LENGTH)?;
        let max = min_of(conjunction, "maxLength")?;
        if max.is_some_and(|max| min > max) {
            return Err(contradiction(
                conjunction.keyword_pointer("maxLength"),
                format!(
                    "`minLength` {min} is above `maxLength` {}",
                    max.unwrap_or(0)
                ),
            ));
        }
        let mut patterns: Vec<(String, &'s str)> = Vec::new();
        for (at, pattern) in conjunction.all("pattern") {
            let pattern = pattern
                .as_str()
                .ok_or_else(|| malformed(at.clone(), "pattern", "a string"))?;
            if !patterns.iter().any(|(_, seen)| *seen == pattern) {
                patterns.push((at, pattern));
            }
        }
        let formats: Vec<&'s str> = conjunction
            .all("format")
            .filter_map(|(_, format)| format.as_str())
            .collect();
        let known: Vec<&'s str> = formats
            .iter()
            .copied()
            .filter(|format| is_generated_format(format))
            .collect();
        let lengths_fit = |text: &str| {
            let count = text.chars().count();
            count >= min && max.is_none_or(|max| count <= max)
        };
        // Formats first, then patterns, then plausible text: the first source whose value fits.
        for format in &known {
            for _ in 0..TRIES {
                let text = self.format_value(format);
                if lengths_fit(&text) && self.string_fits(&text, &patterns, &known, Fit::Unknown)? {
                    return Ok(text);
                }
            }
        }
        if let Some((at, pattern)) = patterns.first() {
            // Realistic shapes first (ids, colours, the property's usual value): a pattern often
            // describes one of them, and random text that matches it reads as noise.
            for shape in 0..SHAPES {
                let Some(text) = self.plausible_shape(shape, conjunction.hint.as_deref()) else {
                    continue;
                };
                if lengths_fit(&text) && self.string_fits(&text, &patterns, &known, Fit::Yes)? {
                    return Ok(text);
                }
            }
            let repeat = match max {
                Some(max) => u32::try_from(max).unwrap_or(u32::MAX).clamp(1, 256),
                None if min > 0 => u32::try_from(min + 8).unwrap_or(256).min(256),
                None => 8,
            };
            for _ in 0..TRIES * 8 {
                let text = self.pattern_value(at, pattern, repeat)?;
                if lengths_fit(&text) && self.string_fits(&text, &patterns, &known, Fit::Yes)? {
                    return Ok(text);
                }
            }
            return Err(error(
                at.clone(),
                Problem::Pattern {
                    pattern: (*pattern).to_owned(),
                    reason: format!(
                        "gives no string of {min} to {} characters that fits the rest of the schema",
                        max.map_or("any".to_owned(), |max| max.to_string())
                    ),
                },
            ));
        }
        if !known.is_empty() {
            return Err(contradiction(
                conjunction.keyword_pointer("format"),
                format!(
                    "no `{}` string of {min} to {} characters fits the schema",
                    known.join("` / `"),
                    max.map_or("any".to_owned(), |max| max.to_string())
                ),
            ));
        }
        let hinted = conjunction
            .hint
            .as_deref()
            .and_then(|hint| self.hinted_value(hint))
            .filter(|text| lengths_fit(text));
        match hinted {
            Some(text) => Ok(text),
            None => Ok(self.words(min, max)),
        }
    }

    /// Whether `text` matches every pattern and every known format; `least` is the format
    /// verdict accepted (`Unknown` for a value the format's own generator wrote).
    fn string_fits(
        &mut self,
        text: &str,
        patterns: &[(String, &str)],
        formats: &[&str],
        least: Fit,
    ) -> Result<bool, SchemaSampleError> {
        for (at, pattern) in patterns {
            if !self.matches(at, pattern, text)? {
                return Ok(false);
            }
        }
        Ok(formats.iter().all(|format| {
            let fit = format_fit(format, text);
            fit == Fit::Yes || (fit == Fit::Unknown && least == Fit::Unknown)
        }))
    }

    /// Whether `pattern` (searched, not anchored, as JSON Schema reads it) matches `text`.
    fn matches(&mut self, at: &str, pattern: &str, text: &str) -> Result<bool, SchemaSampleError> {
        if !self.matchers.contains_key(pattern) {
            let compiled = regex::Regex::new(pattern).map_err(|problem| problem.to_string());
            self.matchers.insert(pattern.to_owned(), compiled);
        }
        match &self.matchers[pattern] {
            Ok(regex) => Ok(regex.is_match(text)),
            Err(_) => Err(unreadable_pattern(at, pattern)),
        }
    }

    /// A string that `pattern` matches whole, with printable ASCII wherever the pattern allows
    /// it; `repeat` caps open repetitions (`*`, `+`, `{n,}`).
    fn pattern_value(
        &mut self,
        at: &str,
        pattern: &str,
        repeat: u32,
    ) -> Result<String, SchemaSampleError> {
        let generator = self
            .generators
            .entry((pattern.to_owned(), repeat))
            .or_insert_with(|| {
                let hir = regex_syntax::Parser::new()
                    .parse(pattern)
                    .map_err(|problem| problem.to_string())?;
                rand_regex::Regex::with_hir(plain_hir(hir), repeat)
                    .map_err(|problem| problem.to_string())
            });
        match generator {
            Ok(generator) => Ok(self.rng.sample::<String, _>(&*generator)),
            Err(_) => Err(unreadable_pattern(at, pattern)),
        }
    }

    /// The `shape`th common string shape to try against a `pattern` (below [`SHAPES`]): the
    /// value the property's name suggests, a GUID, a ULID, a MongoDB ObjectId, a colour, a
    /// slug, a word, a number.
    fn plausible_shape(&mut self, shape: usize, hint: Option<&str>) -> Option<String> {
        Some(match shape {
            0 => return hint.and_then(|hint| self.hinted_value(hint)),
            1 => self.people().guid(),
            2 => {
                let at = self.recent();
                self.people().ulid(at)
            }
            3 => {
                let at = self.recent();
                self.people().object_id(at)
            }
            4 => self.people().colour(),
            5 => {
                let words: Vec<String> = Words(EN, 2..4).fake_with_rng(&mut self.rng);
                words.join("-")
            }
            6 => self.word(),
            _ => self.rng.random_range(1..100_000u32).to_string(),
        })
    }

    /// A realistic value for a `format` the sampler writes.
    fn format_value(&mut self, format: &str) -> String {
        let host = ["example.com", "example.org", "example.net"][self.rng.random_range(0..3)];
        match format {
            "email" | "idn-email" => self.people().person(Locale::English).email,
            "date-time" => rfc3339_millis(self.recent()),
            "date" => self.recent().to_zoned(TimeZone::UTC).date().to_string(),
            "time" => {
                let time = self.recent().to_zoned(TimeZone::UTC).time();
                format!(
                    "{:02}:{:02}:{:02}Z",
                    time.hour(),
                    time.minute(),
                    time.second()
                )
            }
            "uuid" => self.people().guid(),
            "hostname" | "idn-hostname" => format!("{}.{host}", self.word()),
            "ipv4" => {
                let network = ["192.0.2", "198.51.100", "203.0.113"][self.rng.random_range(0..3)];
                format!("{network}.{}", self.rng.random_range(1..255u8))
            }
            "ipv6" => format!(
                "2001:db8::{:x}:{:x}",
                self.rng.random::<u16>(),
                self.rng.random::<u16>()
            ),
            "uri-reference" | "iri-reference" if self.rng.random_bool(0.3) => {
                format!("/{}/{}", self.word(), self.people().hex(4))
            }
            "uri-template" => format!("https://api.{host}/{}/{{id}}", self.word()),
            "duration" => {
                if self.rng.random_bool(0.5) {
                    format!("P{}D", self.rng.random_range(1..31u8))
                } else {
                    format!("PT{}M", self.rng.random_range(1..60u8))
                }
            }
            "json-pointer" => format!("/{}/{}", self.word(), self.rng.random_range(0..10u8)),
            "relative-json-pointer" => format!("{}/{}", self.rng.random_range(0..3u8), self.word()),
            "regex" => "^[a-z]+$".to_owned(),
            // uri, url, iri, and the other half of the references.
            _ => format!("https://{host}/{}/{}", self.word(), self.people().hex(4)),
        }
    }

    /// A moment within three days before `now`, to the millisecond.
    fn recent(&mut self) -> Timestamp {
        let back = SignedDuration::from_millis(self.rng.random_range(0..=3 * 24 * 3600 * 1000));
        self.now.checked_sub(back).unwrap_or(self.now)
    }

    /// The shared people and id generator, seeded from this sampler's stream.
    fn people(&mut self) -> SampleRng {
        SampleRng::new(self.rng.random(), self.now)
    }

    fn word(&mut self) -> String {
        Word(EN).fake_with_rng(&mut self.rng)
    }

    /// A plausible value for a property named `name`, when the name says what it holds.
    fn hinted_value(&mut self, name: &str) -> Option<String> {
        let key: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let has = |words: &[&str]| words.iter().any(|word| key.contains(word));
        let pick = |sampler: &mut Self, items: &[&str]| {
            items[sampler.rng.random_range(0..items.len())].to_owned()
        };
        let value = if has(&["email"]) {
            self.people().person(Locale::English).email
        } else if has(&["phone", "mobile"]) {
            self.people().person(Locale::English).phone
        } else if has(&["firstname", "givenname"]) {
            self.people().person(Locale::English).first_name.to_owned()
        } else if has(&["lastname", "surname", "familyname"]) {
            self.people().person(Locale::English).last_name.to_owned()
        } else if has(&["username", "login", "handle"]) {
            self.people().person(Locale::English).username
        } else if has(&["displayname", "fullname", "author"]) || key == "name" {
            self.people().person(Locale::English).display_name
        } else if has(&["city"]) {
            CityName(EN).fake_with_rng(&mut self.rng)
        } else if has(&["company", "organization", "organisation"]) {
            CompanyName(EN).fake_with_rng(&mut self.rng)
        } else if has(&["url", "uri", "link", "href", "website"]) {
            self.format_value("uri")
        } else if has(&["colour", "color"]) {
            self.people().colour()
        } else if has(&["currency"]) {
            pick(self, &["EUR", "USD", "BRL", "GBP"])
        } else if has(&["country"]) {
            pick(self, &["BR", "FR", "US", "DE", "GB"])
        } else if has(&["language", "locale"]) || key == "lang" {
            pick(self, &["en", "fr", "pt-BR"])
        } else if has(&["timezone"]) {
            pick(self, &["Europe/Paris", "America/Sao_Paulo", "UTC"])
        } else if has(&["slug"]) {
            let words: Vec<String> = Words(EN, 2..4).fake_with_rng(&mut self.rng);
            words.join("-")
        } else if has(&["title", "subject", "headline"]) {
            let words: Vec<String> = Words(EN, 2..5).fake_with_rng(&mut self.rng);
            capitalise(&words.join(" "))
        } else if has(&[
            "description",
            "summary",
            "message",
            "text",
            "body",
            "content",
            "comment",
            "note",
        ]) {
            Sentence(EN, 4..10).fake_with_rng(&mut self.rng)
        } else if has(&["status", "state"]) {
            pick(self, &["active", "pending", "completed"])
        } else if key.ends_with("id") || key.ends_with("key") || key.ends_with("token") {
            self.people().hex(12)
        } else {
            return None;
        };
        Some(value)
    }

    /// Words, lengthened or cut to fit `min..=max` characters.
    fn words(&mut self, min: usize, max: Option<usize>) -> String {
        let words: Vec<String> = Words(EN, 1..4).fake_with_rng(&mut self.rng);
        let mut text = words.join(" ");
        let mut count = text.chars().count();
        while count < min {
            if min - count <= 1 {
                text.push(char::from(b'a' + self.rng.random_range(0..26u8)));
                count += 1;
            } else {
                if !text.is_empty() {
                    text.push(' ');
                    count += 1;
                }
                let word = self.word();
                count += word.chars().count();
                text.push_str(&word);
            }
        }
        if let Some(max) = max
            && text.chars().count() > max
        {
            text = text.chars().take(max).collect();
        }
        // A cut can leave a space at the end; a letter keeps the length.
        if text.ends_with(' ') {
            text.pop();
            text.push('a');
        }
        text
    }

    // ---------------------------------------------------------------- arrays

    fn array(&mut self, conjunction: &Conjunction<'s>) -> Result<Value, SchemaSampleError> {
        let minimal = conjunction.minimal();
        let min = bounded(conjunction, "minItems", MAX_MEMBERS)?;
        let mut max = min_of(conjunction, "maxItems")?;
        for part in &conjunction.parts {
            if part.schema.get("items") == Some(&Value::Bool(false)) {
                let prefix = part
                    .schema
                    .get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                max = Some(max.map_or(prefix, |max| max.min(prefix)));
            }
        }
        let mut contains = Vec::new();
        for part in &conjunction.parts {
            if let Some(schema) = part.schema.get("contains") {
                let at = format!("{}/contains", part.pointer);
                let least = count_keyword(part, "minContains")?.unwrap_or(1);
                let most = count_keyword(part, "maxContains")?;
                if most.is_some_and(|most| least > most) {
                    return Err(contradiction(
                        format!("{}/maxContains", part.pointer),
                        format!(
                            "`minContains` {least} is above `maxContains` {}",
                            most.unwrap_or(0)
                        ),
                    ));
                }
                contains.push((at, schema, least, most));
            }
        }
        let needed: usize = contains.iter().map(|(_, _, least, _)| least).sum();
        let low = min.max(needed);
        if let Some(max) = max
            && low > max
        {
            return Err(contradiction(
                conjunction.keyword_pointer("maxItems"),
                format!("the array needs at least {low} items but may hold at most {max}"),
            ));
        }
        let target = if minimal {
            low
        } else {
            let high = max.map_or(low.max(1) + 2, |max| max.min(low.max(1) + 2));
            let least = if high >= 1 { low.max(1) } else { 0 };
            self.rng.random_range(least.min(high)..=high)
        };
        let unique = conjunction
            .all("uniqueItems")
            .any(|(_, unique)| unique == &Value::Bool(true));
        // The first `needed` positions hold the items that `contains` asks for.
        let mut assigned = Vec::new();
        for (at, schema, least, _) in &contains {
            assigned.extend(std::iter::repeat_n((at.clone(), *schema), *least));
        }
        let mut items: Vec<Value> = Vec::with_capacity(target);
        for index in 0..target {
            let mut placed = false;
            for _ in 0..TRIES * 2 {
                let mut child = conjunction.child(conjunction.hint.clone());
                for part in &conjunction.parts {
                    let prefix = part.schema.get("prefixItems");
                    let prefixed = match prefix {
                        Some(prefix) => {
                            let prefix = prefix.as_array().ok_or_else(|| {
                                malformed(
                                    format!("{}/prefixItems", part.pointer),
                                    "prefixItems",
                                    "an array",
                                )
                            })?;
                            prefix.get(index).map(|schema| {
                                (format!("{}/prefixItems/{index}", part.pointer), schema)
                            })
                        }
                        None => None,
                    };
                    let schema = prefixed.or_else(|| {
                        part.schema
                            .get("items")
                            .map(|items| (format!("{}/items", part.pointer), items))
                    });
                    if let Some((at, schema)) = schema {
                        self.fold(&mut child, schema, at)?;
                    }
                }
                if let Some((at, schema)) = assigned.get(index) {
                    self.fold(&mut child, schema, at.clone())?;
                }
                if unique {
                    child.taken.clone_from(&items);
                }
                let item = match self.generate(child) {
                    Ok(item) => item,
                    Err(failure) if index >= low && failure.problem != Problem::TooComplex => break,
                    Err(failure) => return Err(failure),
                };
                if unique && items.iter().any(|seen| json_equal(seen, &item)) {
                    continue;
                }
                if assigned.get(index).is_none() {
                    let mut overflows = false;
                    for (_, schema, _, most) in &contains {
                        if most.is_some() && self.check(&item, schema, 0) != Fit::No {
                            overflows = true;
                        }
                    }
                    if overflows {
                        continue;
                    }
                }
                items.push(item);
                placed = true;
                break;
            }
            if !placed {
                if index >= low {
                    break;
                }
                return Err(contradiction(
                    conjunction.pointer(),
                    format!("cannot build the {low} distinct items this array needs"),
                ));
            }
        }
        Ok(Value::Array(items))
    }

    // ---------------------------------------------------------------- objects

    fn object(&mut self, conjunction: &Conjunction<'s>) -> Result<Value, SchemaSampleError> {
        let minimal = conjunction.minimal();
        let mut declared: Vec<&'s str> = Vec::new();
        for (at, properties) in conjunction.all("properties") {
            let properties = properties
                .as_object()
                .ok_or_else(|| malformed(at, "properties", "an object"))?;
            for name in properties.keys() {
                if !declared.contains(&name.as_str()) {
                    declared.push(name);
                }
            }
        }
        let required = required_names(conjunction)?;
        let min = bounded(conjunction, "minProperties", MAX_MEMBERS)?;
        let max = min_of(conjunction, "maxProperties")?;
        if let Some(max) = max
            && required.len().max(min) > max
        {
            return Err(contradiction(
                conjunction.keyword_pointer("maxProperties"),
                format!(
                    "the object needs at least {} properties but may hold at most {max}",
                    required.len().max(min)
                ),
            ));
        }
        let mut dependent_required: Vec<(&'s str, Vec<&'s str>)> = Vec::new();
        for (at, dependents) in conjunction.all("dependentRequired") {
            let dependents = dependents
                .as_object()
                .ok_or_else(|| malformed(at.clone(), "dependentRequired", "an object"))?;
            for (name, needs) in dependents {
                let needs = string_list(needs)
                    .ok_or_else(|| malformed(at.clone(), "dependentRequired", "lists of names"))?;
                dependent_required.push((name, needs));
            }
        }
        let with_dependent_schema: Vec<&'s str> = conjunction
            .all("dependentSchemas")
            .filter_map(|(_, dependents)| dependents.as_object())
            .flat_map(|dependents| dependents.keys().map(String::as_str))
            .collect();
        let excluded_by_not = names_forbidden_by_not(conjunction);

        let mut optional: Vec<&'s str> = Vec::new();
        for name in &declared {
            if required.contains(name)
                || with_dependent_schema.contains(name)
                || excluded_by_not.contains(name)
                || !self.name_allowed(conjunction, name)?
            {
                continue;
            }
            optional.push(name);
        }
        let mut chosen: Vec<&'s str> = Vec::new();
        for name in &optional {
            if !minimal && self.rng.random_bool(0.5) {
                chosen.push(name);
            }
        }
        let mut present = with_dependencies(&required, &chosen, &dependent_required);
        // `maxProperties`: leave optional properties out, last first, until the object fits.
        if let Some(max) = max {
            while present.len() > max && chosen.pop().is_some() {
                present = with_dependencies(&required, &chosen, &dependent_required);
            }
            if present.len() > max {
                return Err(contradiction(
                    conjunction.keyword_pointer("maxProperties"),
                    format!(
                        "the required properties and those they depend on exceed `maxProperties` {max}"
                    ),
                ));
            }
        }
        // `minProperties`: first the declared optional ones, then names of our own.
        let mut unused: Vec<&'s str> = optional
            .iter()
            .copied()
            .filter(|name| !present.contains(name))
            .collect();
        unused.shuffle(&mut self.rng);
        while present.len() < min {
            let Some(name) = unused.pop() else { break };
            chosen.push(name);
            let widened = with_dependencies(&required, &chosen, &dependent_required);
            if max.is_some_and(|max| widened.len() > max) {
                chosen.pop();
            } else {
                present = widened;
            }
        }
        let mut extra: Vec<String> = Vec::new();
        while present.len() + extra.len() < min {
            let name = self.extra_name(conjunction, &declared, &extra)?;
            extra.push(name);
        }
        // `propertyNames`: every name must satisfy it.
        let mut kept: Vec<String> = Vec::new();
        for name in present.iter().map(|name| (*name).to_owned()).chain(extra) {
            let mut fit = Fit::Yes;
            for (_, names) in conjunction.all("propertyNames") {
                fit = fit.and(self.check(&Value::String(name.clone()), names, 0));
            }
            if fit == Fit::No {
                if required.contains(&name.as_str()) {
                    return Err(contradiction(
                        conjunction.keyword_pointer("propertyNames"),
                        format!("the required property `{name}` breaks `propertyNames`"),
                    ));
                }
                continue;
            }
            kept.push(name);
        }
        // Declared order first, as the schema lists them.
        kept.sort_by_key(|name| {
            declared
                .iter()
                .position(|declared| *declared == name)
                .unwrap_or(usize::MAX)
        });
        let mut object = Map::new();
        for name in kept {
            let mut child = conjunction.child(Some(name.clone()));
            for (at, schema) in self.value_schemas(conjunction, &name)? {
                self.fold(&mut child, schema, at)?;
            }
            let value = match self.generate(child) {
                Ok(value) => value,
                Err(failure)
                    if failure.problem == Problem::FalseSchema
                        && !required.contains(&name.as_str())
                        && object.len() >= min =>
                {
                    continue;
                }
                Err(failure) => return Err(failure),
            };
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }

    /// The schemas a property named `name` must satisfy: its `properties` entries, the
    /// `patternProperties` it matches, and otherwise `additionalProperties` and
    /// `unevaluatedProperties`.
    fn value_schemas(
        &mut self,
        conjunction: &Conjunction<'s>,
        name: &str,
    ) -> Result<Vec<(String, &'s Value)>, SchemaSampleError> {
        let declared_anywhere = conjunction.parts.iter().any(|part| {
            part.schema
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|properties| properties.contains_key(name))
        });
        let mut schemas = Vec::new();
        for part in &conjunction.parts {
            let mut matched = false;
            if let Some(schema) = part
                .schema
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|properties| properties.get(name))
            {
                schemas.push((
                    format!("{}/properties/{}", part.pointer, escape_pointer_token(name)),
                    schema,
                ));
                matched = true;
            }
            if let Some(patterns) = part.schema.get("patternProperties") {
                let at = format!("{}/patternProperties", part.pointer);
                let patterns = patterns
                    .as_object()
                    .ok_or_else(|| malformed(at.clone(), "patternProperties", "an object"))?;
                for (pattern, schema) in patterns {
                    let at = format!("{at}/{}", escape_pointer_token(pattern));
                    if self.matches(&at, pattern, name)? {
                        schemas.push((at, schema));
                        matched = true;
                    }
                }
            }
            if !matched {
                if let Some(schema) = part.schema.get("additionalProperties") {
                    schemas.push((format!("{}/additionalProperties", part.pointer), schema));
                }
                if !declared_anywhere && let Some(schema) = part.schema.get("unevaluatedProperties")
                {
                    schemas.push((format!("{}/unevaluatedProperties", part.pointer), schema));
                }
            }
        }
        Ok(schemas)
    }

    /// Whether a property named `name` may appear at all (none of its schemas is `false`).
    fn name_allowed(
        &mut self,
        conjunction: &Conjunction<'s>,
        name: &str,
    ) -> Result<bool, SchemaSampleError> {
        Ok(self
            .value_schemas(conjunction, name)?
            .iter()
            .all(|(_, schema)| **schema != Value::Bool(false)))
    }

    /// A property name of our own, for `minProperties`: from `propertyNames`, a
    /// `patternProperties` pattern, or a word.
    fn extra_name(
        &mut self,
        conjunction: &Conjunction<'s>,
        declared: &[&str],
        taken: &[String],
    ) -> Result<String, SchemaSampleError> {
        let names: Vec<(String, &'s Value)> = conjunction.all("propertyNames").collect();
        let patterns: Vec<(String, &'s str)> = conjunction
            .parts
            .iter()
            .filter_map(|part| {
                part.schema
                    .get("patternProperties")
                    .and_then(Value::as_object)
                    .map(|patterns| {
                        patterns.keys().map(move |pattern| {
                            (
                                format!(
                                    "{}/patternProperties/{}",
                                    part.pointer,
                                    escape_pointer_token(pattern)
                                ),
                                pattern.as_str(),
                            )
                        })
                    })
            })
            .flatten()
            .collect();
        for attempt in 0..TRIES * 4 {
            let name = if !names.is_empty() && attempt % 2 == 0 {
                let mut child = conjunction.child(None);
                for (at, schema) in &names {
                    self.fold(&mut child, schema, at.clone())?;
                }
                match self.generate(child)? {
                    Value::String(name) => name,
                    _ => continue,
                }
            } else if let Some((at, pattern)) = patterns.get(attempt % patterns.len().max(1)) {
                self.pattern_value(at, pattern, 8)?
            } else {
                format!("{}_{}", self.word(), self.rng.random_range(1..100u8))
            };
            if declared.contains(&name.as_str()) || taken.contains(&name) {
                continue;
            }
            let named = Value::String(name.clone());
            let names_fit = names
                .iter()
                .all(|(_, schema)| self.check(&named, schema, 0) == Fit::Yes);
            if names_fit && self.name_allowed(conjunction, &name)? {
                return Ok(name);
            }
        }
        Err(contradiction(
            conjunction.keyword_pointer("minProperties"),
            "cannot find enough property names that the schema allows".to_owned(),
        ))
    }

    // ---------------------------------------------------------------- checking values

    /// Whether `value` satisfies `schema`; `Unknown` where the checker cannot say.
    fn check(&mut self, value: &Value, schema: &'s Value, depth: usize) -> Fit {
        match schema {
            Value::Bool(yes) => Fit::from_bool(*yes),
            Value::Object(map) => self.check_map(value, map, depth),
            _ => Fit::Unknown,
        }
    }

    fn check_map(&mut self, value: &Value, map: &'s Map<String, Value>, depth: usize) -> Fit {
        self.checks += 1;
        if depth > MAX_CHECK_DEPTH || self.checks > MAX_CHECKS {
            return Fit::Unknown;
        }
        let mut fit = Fit::Yes;
        for (keyword, argument) in map {
            let verdict = self.check_keyword(value, map, keyword, argument, depth);
            fit = fit.and(verdict);
            if fit == Fit::No {
                return Fit::No;
            }
        }
        fit
    }

    fn check_keyword(
        &mut self,
        value: &Value,
        map: &'s Map<String, Value>,
        keyword: &str,
        argument: &'s Value,
        depth: usize,
    ) -> Fit {
        let next = depth + 1;
        match keyword {
            "type" => match read_types(argument) {
                Some(types) => Fit::from_bool(types.iter().any(|kind| has_type(value, kind))),
                None => Fit::Unknown,
            },
            "const" => Fit::from_bool(json_equal(value, argument)),
            "enum" => match argument.as_array() {
                Some(members) => {
                    Fit::from_bool(members.iter().any(|member| json_equal(value, member)))
                }
                None => Fit::Unknown,
            },
            "$ref" => match argument.as_str().map(|reference| self.resolve(reference)) {
                Some(Ok((_, target))) => self.check(value, target, next),
                _ => Fit::Unknown,
            },
            "allOf" | "anyOf" | "oneOf" => {
                let Some(branches) = argument.as_array() else {
                    return Fit::Unknown;
                };
                let fits: Vec<Fit> = branches
                    .iter()
                    .map(|branch| self.check(value, branch, next))
                    .collect();
                let yes = fits.iter().filter(|fit| **fit == Fit::Yes).count();
                let unknown = fits.iter().filter(|fit| **fit == Fit::Unknown).count();
                match keyword {
                    "allOf" => fits.into_iter().fold(Fit::Yes, Fit::and),
                    "anyOf" if yes > 0 => Fit::Yes,
                    "anyOf" if unknown > 0 => Fit::Unknown,
                    "anyOf" => Fit::No,
                    _ if yes > 1 => Fit::No,
                    _ if unknown > 0 => Fit::Unknown,
                    _ => Fit::from_bool(yes == 1),
                }
            }
            "not" => self.check(value, argument, next).negate(),
            "if" => match self.check(value, argument, next) {
                Fit::Yes => map
                    .get("then")
                    .map_or(Fit::Yes, |then| self.check(value, then, next)),
                Fit::No => map
                    .get("else")
                    .map_or(Fit::Yes, |otherwise| self.check(value, otherwise, next)),
                Fit::Unknown if !map.contains_key("then") && !map.contains_key("else") => Fit::Yes,
                Fit::Unknown => Fit::Unknown,
            },
            "unevaluatedProperties" | "unevaluatedItems" | "$dynamicRef" | "$recursiveRef" => {
                if argument == &Value::Bool(true) {
                    Fit::Yes
                } else {
                    Fit::Unknown
                }
            }
            "multipleOf" | "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                match value {
                    Value::Number(number) => check_number(keyword, number, argument),
                    _ => Fit::Yes,
                }
            }
            "minLength" | "maxLength" | "pattern" | "format" => match value {
                Value::String(text) => self.check_string(keyword, text, argument),
                _ => Fit::Yes,
            },
            "items" | "prefixItems" | "contains" | "minItems" | "maxItems" | "uniqueItems" => {
                match value {
                    Value::Array(items) => self.check_array(keyword, items, map, argument, next),
                    _ => Fit::Yes,
                }
            }
            "properties"
            | "patternProperties"
            | "additionalProperties"
            | "propertyNames"
            | "required"
            | "minProperties"
            | "maxProperties"
            | "dependentRequired"
            | "dependentSchemas" => match value {
                Value::Object(object) => {
                    self.check_object(keyword, value, object, map, argument, next)
                }
                _ => Fit::Yes,
            },
            // Annotations and keywords that assert nothing on their own (`then`, `else`,
            // `minContains`, `$defs`, `title`, …).
            _ => Fit::Yes,
        }
    }

    fn check_string(&mut self, keyword: &str, text: &str, argument: &Value) -> Fit {
        let count = text.chars().count();
        match keyword {
            "minLength" => argument
                .as_u64()
                .map_or(Fit::Unknown, |min| Fit::from_bool(count as u64 >= min)),
            "maxLength" => argument
                .as_u64()
                .map_or(Fit::Unknown, |max| Fit::from_bool(count as u64 <= max)),
            "pattern" => match argument
                .as_str()
                .map(|pattern| self.matches("", pattern, text))
            {
                Some(Ok(matched)) => Fit::from_bool(matched),
                _ => Fit::Unknown,
            },
            _ => argument
                .as_str()
                .map_or(Fit::Unknown, |format| format_fit(format, text)),
        }
    }

    fn check_array(
        &mut self,
        keyword: &str,
        items: &[Value],
        map: &'s Map<String, Value>,
        argument: &'s Value,
        depth: usize,
    ) -> Fit {
        match keyword {
            "minItems" => argument.as_u64().map_or(Fit::Unknown, |min| {
                Fit::from_bool(items.len() as u64 >= min)
            }),
            "maxItems" => argument.as_u64().map_or(Fit::Unknown, |max| {
                Fit::from_bool(items.len() as u64 <= max)
            }),
            "uniqueItems" => {
                if argument != &Value::Bool(true) {
                    return Fit::Yes;
                }
                let repeated = items.iter().enumerate().any(|(index, item)| {
                    items[..index]
                        .iter()
                        .any(|earlier| json_equal(earlier, item))
                });
                Fit::from_bool(!repeated)
            }
            "prefixItems" => match argument.as_array() {
                Some(schemas) => schemas
                    .iter()
                    .zip(items)
                    .fold(Fit::Yes, |fit, (schema, item)| {
                        fit.and(self.check(item, schema, depth))
                    }),
                None => Fit::Unknown,
            },
            "items" => {
                let skip = map
                    .get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                items.iter().skip(skip).fold(Fit::Yes, |fit, item| {
                    fit.and(self.check(item, argument, depth))
                })
            }
            _ => {
                let least = map.get("minContains").and_then(Value::as_u64).unwrap_or(1) as usize;
                let most = map
                    .get("maxContains")
                    .and_then(Value::as_u64)
                    .map(|most| most as usize);
                let fits: Vec<Fit> = items
                    .iter()
                    .map(|item| self.check(item, argument, depth))
                    .collect();
                let yes = fits.iter().filter(|fit| **fit == Fit::Yes).count();
                let maybe = yes + fits.iter().filter(|fit| **fit == Fit::Unknown).count();
                let enough = if yes >= least {
                    Fit::Yes
                } else if maybe < least {
                    Fit::No
                } else {
                    Fit::Unknown
                };
                let not_too_many = match most {
                    Some(most) if yes > most => Fit::No,
                    Some(most) if maybe > most => Fit::Unknown,
                    _ => Fit::Yes,
                };
                enough.and(not_too_many)
            }
        }
    }

    fn check_object(
        &mut self,
        keyword: &str,
        value: &Value,
        object: &Map<String, Value>,
        map: &'s Map<String, Value>,
        argument: &'s Value,
        depth: usize,
    ) -> Fit {
        match keyword {
            "required" => match string_list(argument) {
                Some(names) => Fit::from_bool(names.iter().all(|name| object.contains_key(*name))),
                None => Fit::Unknown,
            },
            "minProperties" => argument.as_u64().map_or(Fit::Unknown, |min| {
                Fit::from_bool(object.len() as u64 >= min)
            }),
            "maxProperties" => argument.as_u64().map_or(Fit::Unknown, |max| {
                Fit::from_bool(object.len() as u64 <= max)
            }),
            "properties" => match argument.as_object() {
                Some(properties) => {
                    let mut fit = Fit::Yes;
                    for (name, schema) in properties {
                        if let Some(member) = object.get(name) {
                            fit = fit.and(self.check(member, schema, depth));
                        }
                    }
                    fit
                }
                None => Fit::Unknown,
            },
            "patternProperties" => match argument.as_object() {
                Some(patterns) => {
                    let mut fit = Fit::Yes;
                    for (pattern, schema) in patterns {
                        for (name, member) in object {
                            match self.matches("", pattern, name) {
                                Ok(true) => fit = fit.and(self.check(member, schema, depth)),
                                Ok(false) => {}
                                Err(_) => return Fit::Unknown,
                            }
                        }
                    }
                    fit
                }
                None => Fit::Unknown,
            },
            "additionalProperties" => {
                let properties = map.get("properties").and_then(Value::as_object);
                let patterns = map.get("patternProperties").and_then(Value::as_object);
                let mut fit = Fit::Yes;
                for (name, member) in object {
                    if properties.is_some_and(|properties| properties.contains_key(name)) {
                        continue;
                    }
                    let mut matched = false;
                    for pattern in patterns.into_iter().flat_map(Map::keys) {
                        match self.matches("", pattern, name) {
                            Ok(true) => matched = true,
                            Ok(false) => {}
                            Err(_) => return Fit::Unknown,
                        }
                    }
                    if !matched {
                        fit = fit.and(self.check(member, argument, depth));
                    }
                }
                fit
            }
            "propertyNames" => object.keys().fold(Fit::Yes, |fit, name| {
                fit.and(self.check(&Value::String(name.clone()), argument, depth))
            }),
            "dependentRequired" => match argument.as_object() {
                Some(dependents) => {
                    let mut fit = Fit::Yes;
                    for (name, needs) in dependents {
                        if object.contains_key(name) {
                            fit = fit.and(match string_list(needs) {
                                Some(needs) => Fit::from_bool(
                                    needs.iter().all(|need| object.contains_key(*need)),
                                ),
                                None => Fit::Unknown,
                            });
                        }
                    }
                    fit
                }
                None => Fit::Unknown,
            },
            _ => match argument.as_object() {
                Some(dependents) => {
                    let mut fit = Fit::Yes;
                    for (name, schema) in dependents {
                        if object.contains_key(name) {
                            fit = fit.and(self.check(value, schema, depth));
                        }
                    }
                    fit
                }
                None => Fit::Unknown,
            },
        }
    }
}

// -------------------------------------------------------------------- helpers

fn non_empty_array<'s>(
    value: &'s Value,
    pointer: &str,
    keyword: &str,
) -> Result<&'s [Value], SchemaSampleError> {
    value
        .as_array()
        .filter(|branches| !branches.is_empty())
        .map(Vec::as_slice)
        .ok_or_else(|| {
            malformed(
                format!("{pointer}/{keyword}"),
                keyword,
                "a non-empty array of schemas",
            )
        })
}

/// What a forbidden schema at `pointer` is, in words.
fn forbidden_role(pointer: &str) -> &'static str {
    if pointer.ends_with("/if") {
        "this `if`, whose `else` was taken"
    } else if pointer.rsplit('/').nth(1) == Some("oneOf") {
        "this other `oneOf` branch"
    } else {
        "this `not`"
    }
}

fn unreadable_pattern(at: &str, pattern: &str) -> SchemaSampleError {
    error(
        at,
        Problem::Pattern {
            pattern: pattern.to_owned(),
            reason: "is not a regular expression the sample builder reads (look-around and \
                     back-references are not supported)"
                .to_owned(),
        },
    )
}

/// The names of a `type` keyword, if it is well formed.
fn read_types(types: &Value) -> Option<Vec<&str>> {
    let names: Vec<&str> = match types {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().map(Value::as_str).collect::<Option<_>>()?,
        _ => return None,
    };
    names
        .iter()
        .all(|name| TYPES.contains(name))
        .then_some(names)
}

fn has_type(value: &Value, kind: &str) -> bool {
    match (kind, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(number)) => {
            number.is_i64()
                || number.is_u64()
                || number.as_f64().is_some_and(|float| float.fract() == 0.0)
        }
        _ => false,
    }
}

/// The types a value may take: those every `type` keyword allows, or, with none, those the
/// other keywords speak of (a string when nothing does).
fn allowed_types(conjunction: &Conjunction<'_>) -> Result<Vec<&'static str>, SchemaSampleError> {
    let mut allowed: Option<Vec<&'static str>> = None;
    for (at, types) in conjunction.all("type") {
        let names = read_types(types)
            .ok_or_else(|| malformed(at.clone(), "type", "a JSON type name or a list of them"))?;
        // `number` includes the integers.
        let accepts =
            |kind: &str| names.contains(&kind) || (kind == "integer" && names.contains(&"number"));
        let next: Vec<&'static str> = match allowed {
            None => TYPES.iter().copied().filter(|kind| accepts(kind)).collect(),
            Some(previous) => previous.into_iter().filter(|kind| accepts(kind)).collect(),
        };
        if next.is_empty() {
            return Err(contradiction(
                at,
                "the `type` keywords here allow no type in common".to_owned(),
            ));
        }
        allowed = Some(next);
    }
    // A `not` that only names types takes them out rather than leaving it to chance.
    let excluded: Vec<&str> = conjunction
        .forbidden
        .iter()
        .filter_map(|(_, not)| not.as_object())
        .filter(|not| not.len() == 1)
        .filter_map(|not| not.get("type").and_then(read_types))
        .flatten()
        .flat_map(|kind| {
            if kind == "number" {
                vec!["number", "integer"]
            } else {
                vec![kind]
            }
        })
        .collect();
    if let Some(mut allowed) = allowed {
        // With both, `number` would add nothing `integer` lacks but decimals: keep the wider one.
        if allowed.contains(&"number") && !excluded.contains(&"integer") {
            allowed.retain(|kind| *kind != "integer");
        }
        let kept: Vec<&'static str> = allowed
            .iter()
            .copied()
            .filter(|kind| !excluded.contains(kind))
            .collect();
        return Ok(if kept.is_empty() { allowed } else { kept });
    }
    const HINTS: [(&str, &[&str]); 4] = [
        (
            "object",
            &[
                "properties",
                "required",
                "additionalProperties",
                "patternProperties",
                "propertyNames",
                "minProperties",
                "maxProperties",
                "dependentRequired",
                "dependentSchemas",
                "unevaluatedProperties",
            ],
        ),
        (
            "array",
            &[
                "items",
                "prefixItems",
                "contains",
                "minItems",
                "maxItems",
                "uniqueItems",
            ],
        ),
        ("string", &["minLength", "maxLength", "pattern", "format"]),
        (
            "number",
            &[
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
            ],
        ),
    ];
    // The keywords of a `not` count too: every other kind of value satisfies them vacuously and
    // so matches the `not`; only a value of their kind can break them.
    let schemas: Vec<&Map<String, Value>> = conjunction
        .parts
        .iter()
        .map(|part| part.schema)
        .chain(
            conjunction
                .forbidden
                .iter()
                .filter_map(|(_, not)| not.as_object()),
        )
        .collect();
    let mut inferred: Vec<&'static str> = HINTS
        .iter()
        .filter(|(_, keywords)| {
            schemas
                .iter()
                .any(|schema| keywords.iter().any(|keyword| schema.contains_key(*keyword)))
        })
        .map(|(kind, _)| *kind)
        .collect();
    inferred.retain(|kind| !excluded.contains(kind));
    if inferred.is_empty() {
        let fallback = ["string", "integer", "boolean", "object", "array", "null"]
            .into_iter()
            .find(|kind| !excluded.contains(kind))
            .unwrap_or("string");
        inferred.push(fallback);
    }
    Ok(inferred)
}

fn required_names<'s>(conjunction: &Conjunction<'s>) -> Result<Vec<&'s str>, SchemaSampleError> {
    let mut names = Vec::new();
    for (at, required) in conjunction.all("required") {
        for name in
            string_list(required).ok_or_else(|| malformed(at, "required", "an array of names"))?
        {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names)
}

fn string_list(value: &Value) -> Option<Vec<&str>> {
    value.as_array()?.iter().map(Value::as_str).collect()
}

/// The required and chosen names, with those `dependentRequired` asks for in turn.
fn with_dependencies<'s>(
    required: &[&'s str],
    chosen: &[&'s str],
    dependent_required: &[(&'s str, Vec<&'s str>)],
) -> Vec<&'s str> {
    let mut present: Vec<&'s str> = required.to_vec();
    for name in chosen {
        if !present.contains(name) {
            present.push(name);
        }
    }
    loop {
        let mut added = false;
        for (owner, needs) in dependent_required {
            if present.contains(owner) {
                for need in needs {
                    if !present.contains(need) {
                        present.push(need);
                        added = true;
                    }
                }
            }
        }
        if !added {
            return present;
        }
    }
}

/// Names a `not` forbids outright (`not: {required: [x]}`, or an `anyOf` of those): left out
/// rather than tried and discarded.
fn names_forbidden_by_not<'s>(conjunction: &Conjunction<'s>) -> Vec<&'s str> {
    let mut names = Vec::new();
    let single = |schema: &'s Value| -> Option<&'s str> {
        let required = schema.get("required")?.as_array()?;
        match required.as_slice() {
            [Value::String(name)] => Some(name.as_str()),
            _ => None,
        }
    };
    for (_, not) in &conjunction.forbidden {
        names.extend(single(not));
        if let Some(branches) = not.get("anyOf").and_then(Value::as_array) {
            names.extend(branches.iter().filter_map(single));
        }
    }
    names
}

/// The largest `keyword` (a lower bound such as `minItems`) across the parts, 0 without one;
/// above `cap` the sample would be too large to build.
fn bounded(
    conjunction: &Conjunction<'_>,
    keyword: &'static str,
    cap: usize,
) -> Result<usize, SchemaSampleError> {
    let least = max_of(conjunction, keyword)?.unwrap_or(0);
    if least > cap {
        return Err(error(
            conjunction.keyword_pointer(keyword),
            Problem::Unsupported(format!("`{keyword}` above {cap}")),
        ));
    }
    Ok(least)
}

/// The largest of a count keyword across the parts (`minLength`, `minItems`, …).
fn max_of(
    conjunction: &Conjunction<'_>,
    keyword: &'static str,
) -> Result<Option<usize>, SchemaSampleError> {
    counts(conjunction, keyword).map(|counts| counts.into_iter().max())
}

/// The smallest of a count keyword across the parts (`maxLength`, `maxItems`, …).
fn min_of(
    conjunction: &Conjunction<'_>,
    keyword: &'static str,
) -> Result<Option<usize>, SchemaSampleError> {
    counts(conjunction, keyword).map(|counts| counts.into_iter().min())
}

fn counts(
    conjunction: &Conjunction<'_>,
    keyword: &'static str,
) -> Result<Vec<usize>, SchemaSampleError> {
    conjunction
        .all(keyword)
        .map(|(at, count)| {
            count_value(count).ok_or_else(|| malformed(at, keyword, "a whole number of 0 or more"))
        })
        .collect()
}

fn count_keyword(
    part: &Part<'_>,
    keyword: &'static str,
) -> Result<Option<usize>, SchemaSampleError> {
    part.schema
        .get(keyword)
        .map(|count| {
            count_value(count).ok_or_else(|| {
                malformed(
                    format!("{}/{keyword}", part.pointer),
                    keyword,
                    "a whole number of 0 or more",
                )
            })
        })
        .transpose()
}

fn count_value(count: &Value) -> Option<usize> {
    let count = count.as_u64().or_else(|| {
        count
            .as_f64()
            .filter(|float| *float >= 0.0 && float.fract() == 0.0 && *float < 1e15)
            .map(|float| float as u64)
    })?;
    usize::try_from(count).ok()
}

/// JSON equality, where `1` and `1.0` are the same number.
fn json_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => {
            match (Decimal::of(left), Decimal::of(right)) {
                (Some(left), Some(right)) => left == right,
                _ => left.as_f64() == right.as_f64(),
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| json_equal(left, right))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(name, value)| {
                    right
                        .get(name)
                        .is_some_and(|other| json_equal(value, other))
                })
        }
        _ => left == right,
    }
}

fn check_number(keyword: &str, number: &Number, argument: &Value) -> Fit {
    let (Some(value), Some(limit)) = (number.as_f64(), argument.as_f64()) else {
        return Fit::Unknown;
    };
    match keyword {
        "minimum" => Fit::from_bool(value >= limit),
        "maximum" => Fit::from_bool(value <= limit),
        "exclusiveMinimum" => Fit::from_bool(value > limit),
        "exclusiveMaximum" => Fit::from_bool(value < limit),
        _ => {
            let (Some(value), Some(multiple)) = (
                Decimal::of(number),
                argument.as_number().and_then(Decimal::of),
            ) else {
                return Fit::Unknown;
            };
            if multiple.mantissa <= 0 {
                return Fit::Unknown;
            }
            let decimals = value.decimals.max(multiple.decimals);
            match (value.units_floor(decimals), multiple.units_floor(decimals)) {
                (Some(value), Some(multiple)) => Fit::from_bool(value % multiple == 0),
                _ => Fit::Unknown,
            }
        }
    }
}

/// Whether `text` has `format`: `Unknown` for formats the checker does not read, `Yes` for
/// names that are no format (they only annotate).
fn format_fit(format: &str, text: &str) -> Fit {
    match format {
        "date-time" => Fit::from_bool(
            text.len() >= 20
                && text
                    .as_bytes()
                    .get(10)
                    .is_some_and(|byte| byte.eq_ignore_ascii_case(&b't'))
                && text.parse::<Timestamp>().is_ok(),
        ),
        "date" => Fit::from_bool(text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok()),
        "time" => Fit::from_bool(is_time(text)),
        "email" | "idn-email" => Fit::from_bool(is_email(text)),
        "uuid" => Fit::from_bool(text.len() == 36 && uuid::Uuid::try_parse(text).is_ok()),
        "uri" | "url" | "iri" => {
            Fit::from_bool(!text.contains(' ') && url::Url::parse(text).is_ok())
        }
        "hostname" | "idn-hostname" => Fit::from_bool(is_hostname(text)),
        "ipv4" => Fit::from_bool(text.parse::<core::net::Ipv4Addr>().is_ok()),
        "ipv6" => Fit::from_bool(text.parse::<core::net::Ipv6Addr>().is_ok()),
        "uri-reference"
        | "iri-reference"
        | "uri-template"
        | "duration"
        | "json-pointer"
        | "relative-json-pointer"
        | "regex" => Fit::Unknown,
        _ => Fit::Yes,
    }
}

/// The formats [`Sampler::format_value`] writes.
fn is_generated_format(format: &str) -> bool {
    matches!(
        format,
        "email"
            | "idn-email"
            | "date-time"
            | "date"
            | "time"
            | "uuid"
            | "uri"
            | "url"
            | "iri"
            | "uri-reference"
            | "iri-reference"
            | "uri-template"
            | "hostname"
            | "idn-hostname"
            | "ipv4"
            | "ipv6"
            | "duration"
            | "json-pointer"
            | "relative-json-pointer"
            | "regex"
    )
}

/// `HH:MM:SS[.fraction](Z|±HH:MM)`, as RFC 3339's full-time.
fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let two = |at: usize, limit: u8| {
        bytes.get(at..at + 2).is_some_and(|digits| {
            digits.iter().all(u8::is_ascii_digit)
                && (digits[0] - b'0') * 10 + (digits[1] - b'0') <= limit
        })
    };
    if !(two(0, 23)
        && bytes.get(2) == Some(&b':')
        && two(3, 59)
        && bytes.get(5) == Some(&b':')
        && two(6, 59))
    {
        return false;
    }
    let mut rest = &text[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 => {
            let offset = &rest.as_bytes()[1..];
            offset[2] == b':'
                && offset[..2]
                    .iter()
                    .chain(&offset[3..])
                    .all(u8::is_ascii_digit)
                && (offset[0] - b'0') * 10 + (offset[1] - b'0') <= 23
                && (offset[3] - b'0') * 10 + (offset[4] - b'0') <= 59
        }
        _ => false,
    }
}

/// A plain `local@domain` address: the checker stays on the safe side of RFC 5322 and reads
/// quoted or unusual local parts as no email.
fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && is_hostname(domain)
        }
        None => false,
    }
}

fn is_hostname(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Whether `schema` names a `$ref` anywhere inside it.
fn mentions_ref(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map
            .iter()
            .any(|(keyword, value)| keyword == "$ref" || mentions_ref(value)),
        Value::Array(items) => items.iter().any(mentions_ref),
        _ => false,
    }
}

/// The subschema whose `$anchor` is `name`, and its pointer.
fn find_anchor<'s>(schema: &'s Value, name: &str, pointer: String) -> Option<(String, &'s Value)> {
    match schema {
        Value::Object(map) => {
            if map.get("$anchor").and_then(Value::as_str) == Some(name) {
                return Some((pointer, schema));
            }
            map.iter().find_map(|(key, value)| {
                find_anchor(
                    value,
                    name,
                    format!("{pointer}/{}", escape_pointer_token(key)),
                )
            })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| find_anchor(item, name, format!("{pointer}/{index}"))),
        _ => None,
    }
}

/// `a/b~c` → `a~1b~0c`, as a JSON pointer token.
fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The pattern's tree with anchors and word boundaries dropped (the generator cannot place
/// them; the sample is checked against the full pattern afterwards) and each character class
/// narrowed to printable ASCII where it holds some, so that `\d` gives `0-9` and `.` no
/// control characters.
fn plain_hir(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Class(Class::Unicode(class)) => {
            let mut printable = ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]);
            printable.intersect(&class);
            if printable.ranges().is_empty() {
                Hir::class(Class::Unicode(class))
            } else {
                Hir::class(Class::Unicode(printable))
            }
        }
        HirKind::Repetition(repetition) => Hir::repetition(hir::Repetition {
            sub: Box::new(plain_hir(*repetition.sub)),
            ..repetition
        }),
        HirKind::Capture(capture) => Hir::capture(hir::Capture {
            sub: Box::new(plain_hir(*capture.sub)),
            ..capture
        }),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(plain_hir).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.into_iter().map(plain_hir).collect())
        }
        HirKind::Class(class) => Hir::class(class),
        HirKind::Literal(hir::Literal(bytes)) => Hir::literal(bytes),
        HirKind::Empty => Hir::empty(),
    }
}

/// An exact decimal, `mantissa × 10^-decimals`, read from the text JSON wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    mantissa: i128,
    decimals: u32,
}

impl Decimal {
    fn of(number: &Number) -> Option<Decimal> {
        Decimal::parse(&number.to_string())
    }

    fn parse(text: &str) -> Option<Decimal> {
        let (body, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let negative = body.starts_with('-');
        let body = body.trim_start_matches(['-', '+']);
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 36 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let mut decimals = i32::try_from(fraction.len()).ok()? - exponent;
        if decimals < 0 {
            mantissa = mantissa.checked_mul(10_i128.checked_pow(decimals.unsigned_abs())?)?;
            decimals = 0;
        }
        let mut decimals = u32::try_from(decimals).ok()?;
        while decimals > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            decimals -= 1;
        }
        if mantissa == 0 {
            decimals = 0;
        }
        if decimals > 36 {
            return None;
        }
        Some(Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            decimals,
        })
    }

    /// The largest whole number of `10^-decimals` units at or below this value.
    fn units_floor(self, decimals: u32) -> Option<i128> {
        if decimals >= self.decimals {
            self.mantissa
                .checked_mul(10_i128.checked_pow(decimals - self.decimals)?)
        } else {
            Some(from_floor_div(
                self.mantissa,
                10_i128.checked_pow(self.decimals - decimals)?,
            ))
        }
    }

    /// The smallest whole number of `10^-decimals` units at or above this value.
    fn units_ceil(self, decimals: u32) -> Option<i128> {
        if decimals >= self.decimals {
            self.units_floor(decimals)
        } else {
            Some(ceil_div(
                self.mantissa,
                10_i128.checked_pow(self.decimals - decimals)?,
            ))
        }
    }
}

fn from_floor_div(value: i128, divisor: i128) -> i128 {
    value.div_euclid(divisor)
}

fn ceil_div(value: i128, divisor: i128) -> i128 {
    -(-value).div_euclid(divisor)
}

fn gcd(mut left: i128, mut right: i128) -> i128 {
    while right != 0 {
        (left, right) = (right, left % right);
    }
    left.abs()
}

fn lcm(left: i128, right: i128) -> Option<i128> {
    (left / gcd(left, right)).checked_mul(right)
}

/// `units × 10^-decimals` written out: `(12345, 2)` → `123.45`.
fn decimal_text(units: i128, decimals: u32) -> String {
    let scale = 10_i128.pow(decimals);
    let sign = if units < 0 { "-" } else { "" };
    let whole = units.abs() / scale;
    let fraction = units.abs() % scale;
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{fraction:0width$}",
            width = decimals as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    use crate::domain::catalogue;

    /// 2026-04-12T13:20:00Z.
    const NOW: i64 = 1_776_000_000;

    fn validator(schema: &Value) -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(schema)
            .expect("the test schema compiles")
    }

    /// The sample for `seed`, after checking that it validates.
    fn sample(schema: &Value, seed: u64) -> Value {
        let document = sample_from_schema(schema, seed, NOW)
            .unwrap_or_else(|failure| panic!("seed {seed}: {failure}"));
        let errors: Vec<String> = validator(schema)
            .iter_errors(&document)
            .map(|error| format!("{}: {error}", error.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "seed {seed}: {document} breaks the schema: {errors:?}"
        );
        document
    }

    fn samples(schema: &Value, seeds: u64) -> Vec<Value> {
        (0..seeds).map(|seed| sample(schema, seed)).collect()
    }

    fn failure(schema: &Value) -> SchemaSampleError {
        sample_from_schema(schema, 7, NOW).expect_err("the schema cannot be sampled")
    }

    /// Schemas written to exercise every supported keyword, each on its own and together.
    fn keyword_schemas() -> Vec<Value> {
        vec![
            json!({"type": "string", "format": "email"}),
            json!({"type": "string", "format": "date-time"}),
            json!({"type": "string", "format": "date"}),
            json!({"type": "string", "format": "time"}),
            json!({"type": "string", "format": "uuid"}),
            json!({"type": "string", "format": "uri"}),
            json!({"type": "string", "format": "uri-reference"}),
            json!({"type": "string", "format": "hostname"}),
            json!({"type": "string", "format": "ipv4"}),
            json!({"type": "string", "format": "ipv6"}),
            json!({"type": "string", "format": "duration"}),
            json!({"type": "string", "format": "json-pointer"}),
            json!({"type": "string", "minLength": 5, "maxLength": 7}),
            json!({"type": "string", "minLength": 40}),
            json!({"type": "string", "maxLength": 0}),
            json!({"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"}),
            json!({"type": "string", "pattern": "^[a-z]+$", "minLength": 20, "maxLength": 24}),
            json!({"type": "string", "pattern": "\\d{3}"}),
            json!({"type": "string", "pattern": "^\\S+@corp\\.example$", "format": "email"}),
            json!({"type": "integer", "minimum": -20, "maximum": -10}),
            json!({"type": "integer", "exclusiveMinimum": 5, "exclusiveMaximum": 7}),
            json!({"type": "integer", "multipleOf": 7, "minimum": 1000}),
            json!({"type": "integer", "multipleOf": 1.5}),
            json!({"type": "number", "minimum": 0.001, "exclusiveMaximum": 0.002}),
            json!({"type": "number", "multipleOf": 0.01, "maximum": -5}),
            json!({"type": "number", "multipleOf": 0.25, "exclusiveMinimum": 1e6}),
            json!({"type": "number", "allOf": [{"multipleOf": 4}, {"multipleOf": 6}]}),
            json!({"enum": ["red", "green", 3, null]}),
            json!({"const": {"kind": "fixed", "n": 1}}),
            json!({"type": "string", "examples": ["alpha", "beta"]}),
            json!({"type": "integer", "default": 42}),
            json!({"type": ["string", "null"], "format": "uuid"}),
            json!({"type": ["integer", "boolean", "null"]}),
            json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 3},
                   "minItems": 4, "maxItems": 4, "uniqueItems": true}),
            json!({"type": "array", "prefixItems": [{"const": "head"}, {"type": "number"}],
                   "items": false}),
            json!({"type": "array", "items": {"type": "string"},
                   "contains": {"const": "needle"}, "minContains": 2, "maxContains": 2}),
            json!({"type": "array", "items": {"enum": [1, 2, 3]}, "uniqueItems": true, "minItems": 2}),
            json!({"type": "object",
                   "properties": {"id": {"type": "string"}, "note": {"type": "string"},
                                  "count": {"type": "integer"}},
                   "required": ["id"], "additionalProperties": false}),
            json!({"type": "object", "minProperties": 3, "maxProperties": 4,
                   "additionalProperties": {"type": "integer"}}),
            json!({"type": "object", "propertyNames": {"pattern": "^x-[a-z]+$"},
                   "minProperties": 2}),
            json!({"type": "object", "patternProperties": {"^n_[0-9]$": {"type": "number"}},
                   "additionalProperties": false, "minProperties": 1}),
            json!({"type": "object", "properties": {"card": {"type": "string"},
                                                    "billing": {"type": "string"}},
                   "required": ["card"], "dependentRequired": {"card": ["billing"]}}),
            json!({"type": "object", "properties": {"card": {"type": "string"}},
                   "required": ["card"],
                   "dependentSchemas": {"card": {"properties": {"cvc": {"type": "integer"}},
                                                  "required": ["cvc"]}}}),
            json!({"type": "object",
                   "allOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]},
                             {"properties": {"b": {"type": "integer"}}, "required": ["b"]}],
                   "unevaluatedProperties": false}),
            json!({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "number", "maximum": 0}]}),
            json!({"oneOf": [
                {"type": "object", "properties": {"kind": {"const": "card"},
                                                  "last4": {"type": "string", "pattern": "^[0-9]{4}$"}},
                 "required": ["kind", "last4"], "additionalProperties": false},
                {"type": "object", "properties": {"kind": {"const": "bank"},
                                                  "iban": {"type": "string"}},
                 "required": ["kind", "iban"], "additionalProperties": false}]}),
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]}),
            json!({"type": "object", "properties": {"kind": {"enum": ["a", "b"]},
                                                    "a_only": {"type": "string"}},
                   "required": ["kind"],
                   "if": {"properties": {"kind": {"const": "a"}}},
                   "then": {"required": ["a_only"]},
                   "else": {"not": {"required": ["a_only"]}}}),
            json!({"type": ["string", "integer"], "not": {"type": "string"}}),
            json!({"type": "integer", "minimum": 0, "maximum": 3, "not": {"enum": [0, 1, 2]}}),
            json!({"$defs": {"id": {"type": "string", "format": "uuid"}},
                   "type": "object", "properties": {"id": {"$ref": "#/$defs/id"}},
                   "required": ["id"]}),
            json!({"definitions": {"n": {"type": "integer"}}, "$ref": "#/definitions/n",
                   "minimum": 10}),
            json!({"$defs": {"node": {"type": "object",
                                      "properties": {"name": {"type": "string"},
                                                     "children": {"type": "array",
                                                                  "items": {"$ref": "#/$defs/node"}}},
                                      "required": ["name", "children"]}},
                   "$ref": "#/$defs/node"}),
            json!({"$id": "https://example.com/list", "type": "object",
                   "properties": {"value": {"type": "integer"},
                                  "next": {"anyOf": [{"type": "null"},
                                                     {"$ref": "https://example.com/list"}]}},
                   "required": ["value", "next"]}),
            json!({"$defs": {"name": {"$anchor": "name", "type": "string", "minLength": 2}},
                   "type": "array", "items": {"$ref": "#name"}, "minItems": 1}),
            json!(true),
            json!({}),
            json!({"type": "object", "properties": {"gone": false, "kept": true},
                   "required": ["kept"]}),
            json!({"type": "object",
                   "properties": {"email": {"type": "string"}, "firstName": {"type": "string"},
                                  "city": {"type": "string"}, "website": {"type": "string"},
                                  "description": {"type": "string"}, "currency": {"type": "string"}},
                   "required": ["email", "firstName", "city", "website", "description", "currency"]}),
        ]
    }

    /// The built-in events' schemas and the keyword schemas above.
    fn every_schema() -> Vec<Value> {
        let mut schemas: Vec<Value> = catalogue::events()
            .iter()
            .map(|event| serde_json::from_str(event.schema).expect("embedded schemas are JSON"))
            .collect();
        schemas.extend(keyword_schemas());
        schemas
    }

    /// Every schema with its compiled validator, compiled once for all the cases.
    static VALIDATED: std::sync::LazyLock<Vec<(Value, jsonschema::Validator)>> =
        std::sync::LazyLock::new(|| {
            every_schema()
                .into_iter()
                .map(|schema| {
                    let validator = validator(&schema);
                    (schema, validator)
                })
                .collect()
        });

    proptest! {
        // 64 cases of some 70 schemas each: the property covers thousands of documents.
        #![proptest_config(ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Over many seeds and moments, every sample of every schema validates.
        #[test]
        fn every_sample_validates_against_its_schema(seed in any::<u64>(), now in 0..4_000_000_000i64) {
            for (schema, validator) in VALIDATED.iter() {
                let document = sample_from_schema(schema, seed, now);
                prop_assert!(document.is_ok(), "{schema}: {}", document.unwrap_err());
                let document = document.unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&document)
                    .map(|error| format!("{}: {error}", error.instance_path()))
                    .collect();
                prop_assert!(errors.is_empty(), "{schema}\n{document}\n{errors:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Schemas put together at random from the supported keywords: the builder ends with a
        /// valid sample or an error, never a panic, a stall or an invalid document.
        #[test]
        fn arbitrary_schemas_give_a_valid_sample_or_an_error(schema in arbitrary_schema(), seed in any::<u64>()) {
            let Ok(compiled) = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&schema)
            else {
                return Ok(());
            };
            if let Ok(document) = sample_from_schema(&schema, seed, NOW) {
                prop_assert!(compiled.is_valid(&document), "{schema}\n{document}");
            }
        }
    }

    fn arbitrary_schema() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(json!({"type": "string"})),
            Just(json!({"type": "integer"})),
            Just(json!({"type": "number"})),
            Just(json!({"type": "boolean"})),
            Just(json!({"type": "null"})),
            Just(json!({"type": ["string", "null"]})),
            Just(json!({"format": "email"})),
            Just(json!({"format": "date-time"})),
            Just(json!({"format": "ipv4"})),
            Just(json!({"pattern": "^[a-c]{2,4}$"})),
            Just(json!({"enum": [1, "one", null]})),
            Just(json!({"const": 3})),
            Just(json!(true)),
            Just(json!(false)),
            (0u64..5, 0u64..8)
                .prop_map(|(min, extra)| json!({"minLength": min, "maxLength": min + extra})),
            (-50i64..50, 0i64..30)
                .prop_map(|(min, span)| json!({"minimum": min, "maximum": min + span})),
            (1u64..6).prop_map(|multiple| json!({"multipleOf": multiple})),
            (0i64..5).prop_map(|bound| json!({"exclusiveMaximum": bound})),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4)
                    .prop_map(|branches| json!({"allOf": branches})),
                prop::collection::vec(inner.clone(), 1..4)
                    .prop_map(|branches| json!({"anyOf": branches})),
                prop::collection::vec(inner.clone(), 1..4)
                    .prop_map(|branches| json!({"oneOf": branches})),
                inner.clone().prop_map(|not| json!({"not": not})),
                (inner.clone(), 0u64..3, prop::bool::ANY).prop_map(|(items, min, unique)| {
                    json!({"type": "array", "items": items, "minItems": min, "uniqueItems": unique})
                }),
                (inner.clone(), inner.clone(), prop::bool::ANY).prop_map(|(a, b, closed)| {
                    json!({"type": "object", "properties": {"a": a, "b": b}, "required": ["a"],
                           "additionalProperties": !closed})
                }),
                (inner.clone(), inner.clone())
                    .prop_map(|(condition, then)| { json!({"if": condition, "then": then}) }),
            ]
        })
    }

    #[test]
    fn the_same_seed_and_moment_give_the_same_document() {
        for schema in every_schema() {
            assert_eq!(
                sample_from_schema(&schema, 11, NOW),
                sample_from_schema(&schema, 11, NOW),
                "{schema}"
            );
        }
    }

    #[test]
    fn different_seeds_give_different_documents() {
        for event in catalogue::events() {
            let schema: Value = serde_json::from_str(event.schema).unwrap();
            assert_ne!(sample(&schema, 1), sample(&schema, 2), "{}", event.name);
        }
    }

    #[test]
    fn formats_look_real() {
        let text = |format: &str, seed| {
            sample(&json!({"type": "string", "format": format}), seed)
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(text("email", 1).ends_with(".com") || text("email", 1).contains("@example."));
        assert_eq!(text("uuid", 1).len(), 36);
        assert!(text("uri", 1).starts_with("https://"));
        assert!(text("hostname", 1).contains(".example."));
        assert!(text("ipv6", 1).starts_with("2001:db8::"));
        for seed in 0..50 {
            let at: Timestamp = text("date-time", seed).parse().unwrap();
            let age = Timestamp::from_second(NOW).unwrap().duration_since(at);
            assert!(
                age >= SignedDuration::ZERO && age <= SignedDuration::from_hours(72),
                "{at}"
            );
        }
        assert_eq!(text("date", 3).len(), "2026-04-12".len());
        assert!(text("time", 3).ends_with('Z'));
    }

    #[test]
    fn property_names_suggest_plausible_strings() {
        let schema = json!({"type": "object",
            "properties": {"email": {"type": "string"}, "website": {"type": "string"},
                           "currency": {"type": "string"}},
            "required": ["email", "website", "currency"]});
        let document = sample(&schema, 5);
        assert!(
            document["email"].as_str().unwrap().contains('@'),
            "{document}"
        );
        assert!(
            document["website"]
                .as_str()
                .unwrap()
                .starts_with("https://"),
            "{document}"
        );
        assert_eq!(
            document["currency"].as_str().unwrap().len(),
            3,
            "{document}"
        );
    }

    #[test]
    fn examples_enum_const_and_default_are_used() {
        for seed in 0..20 {
            let example = sample(
                &json!({"type": "string", "examples": ["alpha", "beta"]}),
                seed,
            );
            assert!(example == "alpha" || example == "beta", "{example}");
            let member = sample(&json!({"enum": ["red", 3, null]}), seed);
            assert!(
                [json!("red"), json!(3), Value::Null].contains(&member),
                "{member}"
            );
        }
        assert_eq!(sample(&json!({"const": {"n": 1}}), 1), json!({"n": 1}));
        assert_eq!(
            sample(&json!({"type": "integer", "default": 42}), 1),
            json!(42)
        );
        // An example that breaks the schema is not used.
        let fenced = json!({"type": "integer", "maximum": 5, "examples": [99]});
        assert!(sample(&fenced, 1).as_i64().unwrap() <= 5);
    }

    #[test]
    fn patterns_and_lengths_are_met() {
        let code = json!({"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"});
        let matcher = regex::Regex::new("^[A-Z]{3}-[0-9]{4}$").unwrap();
        for document in samples(&code, 30) {
            assert!(matcher.is_match(document.as_str().unwrap()), "{document}");
        }
        let long =
            json!({"type": "string", "pattern": "^[a-z]+$", "minLength": 20, "maxLength": 24});
        for document in samples(&long, 30) {
            assert!(
                (20..=24).contains(&document.as_str().unwrap().len()),
                "{document}"
            );
        }
        for document in samples(
            &json!({"type": "string", "minLength": 5, "maxLength": 7}),
            30,
        ) {
            assert!(
                (5..=7).contains(&document.as_str().unwrap().chars().count()),
                "{document}"
            );
        }
    }

    #[test]
    fn numbers_keep_to_bounds_and_multiples() {
        for document in samples(
            &json!({"type": "integer", "exclusiveMinimum": 5, "exclusiveMaximum": 7}),
            10,
        ) {
            assert_eq!(document, json!(6));
        }
        for document in samples(
            &json!({"type": "integer", "multipleOf": 7, "minimum": 1000}),
            30,
        ) {
            let value = document.as_i64().unwrap();
            assert!(value >= 1000 && value % 7 == 0, "{value}");
        }
        for document in samples(
            &json!({"type": "number", "multipleOf": 0.01, "maximum": -5}),
            30,
        ) {
            assert!(document.as_f64().unwrap() <= -5.0, "{document}");
        }
        for document in samples(
            &json!({"type": "number", "minimum": 0.001, "exclusiveMaximum": 0.002}),
            10,
        ) {
            let value = document.as_f64().unwrap();
            assert!((0.001..0.002).contains(&value), "{value}");
        }
    }

    #[test]
    fn arrays_keep_their_sizes_and_unique_items() {
        let schema = json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 3},
                            "minItems": 4, "maxItems": 4, "uniqueItems": true});
        for document in samples(&schema, 20) {
            let mut items: Vec<i64> = document
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item.as_i64().unwrap())
                .collect();
            items.sort_unstable();
            assert_eq!(items, [0, 1, 2, 3]);
        }
        let impossible =
            json!({"type": "array", "items": {"enum": [1, 2]}, "uniqueItems": true, "minItems": 3});
        assert!(matches!(
            failure(&impossible).problem,
            Problem::Contradiction(_)
        ));
    }

    #[test]
    fn optional_properties_come_and_go_with_the_seed() {
        let schema = json!({"type": "object",
            "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
            "required": ["id"], "additionalProperties": false});
        let documents = samples(&schema, 40);
        assert!(
            documents
                .iter()
                .all(|document| document.get("id").is_some())
        );
        assert!(
            documents
                .iter()
                .any(|document| document.get("note").is_some())
        );
        assert!(
            documents
                .iter()
                .any(|document| document.get("note").is_none())
        );
    }

    #[test]
    fn nullable_types_give_both_null_and_values() {
        let documents = samples(&json!({"type": ["string", "null"], "format": "uuid"}), 40);
        assert!(documents.iter().any(Value::is_null));
        assert!(documents.iter().any(Value::is_string));
    }

    #[test]
    fn one_of_picks_exactly_one_branch_and_any_of_one_that_fits() {
        let schema = json!({"oneOf": [
            {"properties": {"kind": {"const": "card"}}, "required": ["kind"]},
            {"properties": {"kind": {"const": "bank"}}, "required": ["kind"]}]});
        let kinds: Vec<Value> = samples(&schema, 30)
            .into_iter()
            .map(|document| document["kind"].clone())
            .collect();
        assert!(kinds.contains(&json!("card")) && kinds.contains(&json!("bank")));
        // Integers from 0 up match both branches: only the negative numbers fit `oneOf`.
        let overlapping =
            json!({"oneOf": [{"type": "number", "maximum": 0}, {"type": "integer", "minimum": 0}]});
        samples(&overlapping, 30);
        samples(
            &json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]}),
            30,
        );
    }

    #[test]
    fn all_of_merges_its_branches() {
        let schema = json!({"type": "object", "allOf": [
            {"properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "integer"}}, "required": ["b"]}],
            "unevaluatedProperties": false});
        for document in samples(&schema, 10) {
            assert!(
                document["a"].is_string() && document["b"].is_i64(),
                "{document}"
            );
        }
        let bounds = json!({"allOf": [{"type": "integer", "minimum": 3}, {"maximum": 3}]});
        assert_eq!(sample(&bounds, 1), json!(3));
    }

    #[test]
    fn recursive_references_end() {
        let tree = json!({"$defs": {"node": {"type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            "required": ["children"]}}, "$ref": "#/$defs/node"});
        samples(&tree, 20);
        let endless = json!({"$defs": {"node": {"type": "object",
            "properties": {"next": {"$ref": "#/$defs/node"}}, "required": ["next"]}},
            "$ref": "#/$defs/node"});
        let endless = failure(&endless);
        assert_eq!(
            endless.problem,
            Problem::EndlessRecursion("#/$defs/node".to_owned())
        );
        assert!(endless.pointer.ends_with("/$ref"), "{}", endless.pointer);
        let cycle = json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
                           "$ref": "#/$defs/a"});
        assert!(matches!(
            failure(&cycle).problem,
            Problem::EndlessRecursion(_)
        ));
    }

    #[test]
    fn self_referencing_combinations_end_quickly() {
        let branching = json!({"$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a"},
                                                        {"$ref": "#/$defs/a"}]}},
                               "$ref": "#/$defs/a"});
        assert!(sample_from_schema(&branching, 1, NOW).is_err());
        let checked = json!({"$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a"}]}},
                             "type": "string", "not": {"$ref": "#/$defs/a"}});
        assert!(sample_from_schema(&checked, 1, NOW).is_err());
        let mut chain = serde_json::Map::new();
        for index in 0..200 {
            chain.insert(
                format!("d{index}"),
                json!({"type": "object", "properties": {"next": {"$ref": format!("#/$defs/d{}", index + 1)}},
                       "required": ["next"]}),
            );
        }
        chain.insert("d200".to_owned(), json!({"type": "integer"}));
        let deep = json!({"$defs": chain, "$ref": "#/$defs/d0"});
        assert!(matches!(
            failure(&deep).problem,
            Problem::EndlessRecursion(_)
        ));
    }

    #[test]
    fn boolean_schemas() {
        sample(&json!(true), 1);
        let refused = failure(&json!(false));
        assert_eq!(
            (refused.pointer.as_str(), refused.problem),
            ("", Problem::FalseSchema)
        );
        let schema = json!({"type": "object", "properties": {"gone": false}, "minProperties": 0});
        for document in samples(&schema, 20) {
            assert!(document.get("gone").is_none());
        }
    }

    #[test]
    fn not_is_honoured_or_named_when_it_cannot_be() {
        for document in samples(
            &json!({"type": ["string", "integer"], "not": {"type": "string"}}),
            20,
        ) {
            assert!(document.is_i64(), "{document}");
        }
        for document in samples(
            &json!({"type": "integer", "minimum": 0, "maximum": 3, "not": {"enum": [0, 1, 2]}}),
            10,
        ) {
            assert_eq!(document, json!(3));
        }
        let everything = failure(&json!({"properties": {"a": {"not": {}}}, "required": ["a"]}));
        assert_eq!(everything.pointer, "/properties/a/not");
        assert!(everything.to_string().contains("`not`"), "{everything}");
    }

    #[test]
    fn errors_name_the_schema_location() {
        let bounds = failure(
            &json!({"properties": {"age": {"type": "integer", "minimum": 10, "maximum": 5}},
                                     "required": ["age"]}),
        );
        assert!(bounds.pointer.starts_with("/properties/age/"), "{bounds}");
        assert!(matches!(bounds.problem, Problem::Contradiction(_)));

        let external = failure(
            &json!({"properties": {"a": {"$ref": "https://other.example/a.json"}},
                                       "required": ["a"]}),
        );
        assert_eq!(external.pointer, "/properties/a/$ref");
        assert_eq!(
            external.problem,
            Problem::ExternalRef("https://other.example/a.json".to_owned())
        );
        assert_eq!(
            external.to_string(),
            "`$ref` `https://other.example/a.json` points outside this schema; only references \
             inside it (`#/$defs/…`) are followed, at schema location `#/properties/a/$ref`"
        );

        let missing = failure(&json!({"$ref": "#/$defs/nowhere"}));
        assert_eq!(
            missing.problem,
            Problem::UnresolvedRef("#/$defs/nowhere".to_owned())
        );

        let lengths = failure(&json!({"type": "string", "minLength": 5, "maxLength": 2}));
        assert_eq!(lengths.pointer, "/maxLength");

        let conflict = failure(&json!({"allOf": [{"const": 1}, {"const": 2}]}));
        assert_eq!(conflict.pointer, "/allOf/1/const");

        let pattern = failure(&json!({"type": "string", "pattern": "^(?=a)b$"}));
        assert!(
            matches!(pattern.problem, Problem::Pattern { .. }),
            "{pattern}"
        );
        assert_eq!(pattern.pointer, "/pattern");

        let tuple = failure(&json!({"type": "array", "items": [{"type": "string"}]}));
        assert_eq!(tuple.pointer, "/items");

        let dynamic = failure(&json!({"$dynamicRef": "#node"}));
        assert_eq!(
            dynamic.problem,
            Problem::Unsupported("$dynamicRef".to_owned())
        );
    }

    #[test]
    fn oddly_shaped_schemas_are_errors_not_panics() {
        for schema in [
            json!(3),
            json!({"type": "strin"}),
            json!({"allOf": []}),
            json!({"minLength": -1}),
            json!({"multipleOf": 0}),
            json!({"type": "integer", "minimum": 1e300}),
            json!({"required": "id"}),
            json!({"enum": "red"}),
            json!({"type": "string", "minLength": 1_000_000_000_000u64}),
            json!({"type": "array", "minItems": 1_000_000_000u64}),
            json!({"type": "object", "minProperties": 1_000_000_000u64}),
        ] {
            assert!(sample_from_schema(&schema, 1, NOW).is_err(), "{schema}");
        }
    }

    #[test]
    fn decimals_read_json_numbers_exactly() {
        let parse = |text: &str| Decimal::parse(text).unwrap();
        assert_eq!(
            parse("0.10"),
            Decimal {
                mantissa: 1,
                decimals: 1
            }
        );
        assert_eq!(
            parse("-2.5e-3"),
            Decimal {
                mantissa: -25,
                decimals: 4
            }
        );
        assert_eq!(
            parse("1e3"),
            Decimal {
                mantissa: 1000,
                decimals: 0
            }
        );
        assert_eq!(decimal_text(-12345, 2), "-123.45");
        assert_eq!(decimal_text(5, 3), "0.005");
    }
}
