//! The providers' rules beyond what their documented schemas state, checked on an event
//! document. A rule the provider documents (one field equal to another) is an error when broken;
//! a rule that rests on hooktool's assumption where the documents are silent (no undocumented
//! fields, dates in order) is a warning that says "assumed", an error only under `--strict`.
//! Pure functions, no I/O.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt::Write;

use serde_json::Value;

use crate::domain::catalogue::{Basis, BuiltIn, Event};
use crate::domain::json_position::{self, member};
use crate::domain::schema;

/// How a broken rule is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The document is invalid.
    Error,
    /// Suspicious, not invalid: an assumption is broken.
    Warning,
}

impl Severity {
    /// Breaking what the provider documents (or shows in its examples) is an error; breaking an
    /// assumption is a warning, or an error when `strict`.
    pub fn of(basis: Basis, strict: bool) -> Severity {
        if basis.is_assumed() && !strict {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// The events a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every event of these built-in providers (or of packs replacing them).
    Providers(&'static [BuiltIn]),
    /// These built-in events, by full name.
    Events(&'static [&'static str]),
}

impl Scope {
    pub fn includes(self, event: &Event) -> bool {
        match self {
            Scope::Providers(providers) => event
                .provider
                .built_in
                .is_some_and(|kind| providers.contains(&kind)),
            Scope::Events(names) => {
                event.provider.built_in.is_some() && names.contains(&event.name)
            }
        }
    }
}

type Check = fn(&'static Event, &Value, &mut Vec<Finding>);

/// One rule, as `--help`, `events` and the README list it.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    /// Documented (an error when broken) or assumed (a warning, an error under `--strict`).
    pub basis: Basis,
    pub scope: Scope,
    pub summary: &'static str,
    /// What hooktool assumes, for an assumed rule: each of its findings ends with
    /// `(assumed: ...)`, and `events` lists it. Empty for a documented rule.
    pub assumption: &'static str,
    check: Check,
}

/// By id: function pointers compare unreliably, and ids are unique.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

const CATIVA_USER_EVENTS: &[&str] = &["user_joined_group", "user_received_badge", "post_created"];

/// Every rule, in the order they are checked.
pub static RULES: [Rule; 10] = [
    Rule {
        id: "user-mirror",
        basis: Basis::Documented,
        scope: Scope::Events(&["user_created"]),
        summary: "user_created: UserId, Email, FirstName, LastName, DisplayName, Username, \
                  PhoneNumber and CreatedAt equal their User.* mirrors (Cativa states the parity)",
        assumption: "",
        check: user_mirror,
    },
    Rule {
        id: "unknown-field",
        basis: Basis::Assumed,
        scope: Scope::Providers(&[BuiltIn::Cativa]),
        summary: "Cativa events: no field beyond those Cativa documents (a typo, drift, or a \
                  field added since)",
        assumption: "Cativa sends no fields beyond those it documents",
        check: unknown_fields,
    },
    Rule {
        id: "unique-badges",
        basis: Basis::Assumed,
        scope: Scope::Providers(&[BuiltIn::Cativa]),
        summary: "Cativa events: User.Badges lists each badge once",
        assumption: "User.Badges lists each badge once",
        check: unique_badges,
    },
    Rule {
        id: "badge-listed",
        basis: Basis::Assumed,
        scope: Scope::Events(&["user_received_badge"]),
        summary: "user_received_badge: User.Badges, the badges at event time, contains BadgeId",
        assumption: "the badges at event time include the one just received",
        check: badge_listed,
    },
    Rule {
        id: "user-exists-first",
        basis: Basis::Assumed,
        scope: Scope::Events(CATIVA_USER_EVENTS),
        summary: "user_joined_group, user_received_badge, post_created: User.CreatedAt is not \
                  after the event's own time (JoinedAt, ReceivedAt, CreatedAt)",
        assumption: "a user is created before its own events",
        check: user_exists_first,
    },
    Rule {
        id: "wix-entity-id",
        basis: Basis::Documented,
        scope: Scope::Providers(&[BuiltIn::Wix]),
        summary: "Wix created/updated events: entityId equals the entity's id",
        assumption: "",
        check: wix_entity_id,
    },
    Rule {
        id: "wix-event-name",
        basis: Basis::Documented,
        scope: Scope::Providers(&[BuiltIn::Wix]),
        summary: "Wix events: slug is the event's own and names the body present (createdEvent, \
                  updatedEvent or deletedEvent); badge events' entityFqdn is wix.badges.v4.badge",
        assumption: "",
        check: wix_event_name,
    },
    Rule {
        id: "wix-assignment-fqdn",
        basis: Basis::Assumed,
        scope: Scope::Events(&[
            "wix.badges.v4.badge_assignment_created",
            "wix.badges.v4.badge_assignment_deleted",
        ]),
        summary: "Wix badge-assignment events: entityFqdn is wix.badges.v4.badge_assignment",
        assumption: "badge-assignment events carry entityFqdn wix.badges.v4.badge_assignment",
        check: wix_entity_fqdn,
    },
    Rule {
        id: "dates-in-order",
        basis: Basis::Assumed,
        scope: Scope::Providers(&[BuiltIn::Wix, BuiltIn::Beedeez]),
        summary: "Wix entities: createdDate is not after updatedDate; Beedeez: createdAt is \
                  not after updatedAt, and creationDate is not after expires",
        assumption: "a record is created before it is updated or expires",
        check: dates_in_order,
    },
    Rule {
        id: "expired-has-expiry",
        basis: Basis::Assumed,
        scope: Scope::Events(&["certificate_expired"]),
        summary: "certificate_expired: expires is set (the BadgeUser document allows null)",
        assumption: "a certificate_expired event sets `expires`, to when the certificate expires",
        check: expired_has_expiry,
    },
];

impl Rule {
    /// Whether a broken rule is a warning rather than an error (without `--strict`).
    pub fn is_assumed(&self) -> bool {
        self.basis.is_assumed()
    }
}

/// The assumed rules that apply to `event`: what `events` lists as assumed about its payload.
pub fn assumptions_of(event: &Event) -> impl Iterator<Item = &'static Rule> {
    RULES
        .iter()
        .filter(move |rule| rule.is_assumed() && rule.scope.includes(event))
}

/// One broken rule, at the pointer of the value that breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub pointer: String,
    pub message: String,
}

/// Every rule `document` breaks as an `event`. Values the schema itself rejects (absent, or of
/// the wrong type) are left to the schema: a rule only judges values it can read.
pub fn check(event: &'static Event, document: &Value) -> Vec<Finding> {
    check_rules(event, document, |_| true)
}

/// As [`check`], for a document already known to carry only the fields its schema lists: the
/// unknown-field rule, which would find nothing, is skipped.
pub fn check_listed(event: &'static Event, document: &Value) -> Vec<Finding> {
    check_rules(event, document, |rule| rule.id != UNKNOWN_FIELD)
}

/// Whether `event`'s documents are searched for fields their schema does not list.
pub fn looks_for_unknown_fields(event: &'static Event) -> bool {
    rule(UNKNOWN_FIELD).scope.includes(event)
}

/// The rule that reports fields a schema does not list.
const UNKNOWN_FIELD: &str = "unknown-field";

fn check_rules(
    event: &'static Event,
    document: &Value,
    applies: impl Fn(&Rule) -> bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in RULES
        .iter()
        .filter(|rule| rule.scope.includes(event) && applies(rule))
    {
        (rule.check)(event, document, &mut findings);
    }
    findings
}

fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|rule| rule.id == id)
        .expect("rule ids are in RULES")
}

/// A finding of rule `id`; an assumed rule's message says what it assumes.
fn finding(id: &str, pointer: &str, message: String) -> Finding {
    let rule = rule(id);
    let message = if rule.is_assumed() {
        format!("{message} (assumed: {})", rule.assumption)
    } else {
        message
    };
    Finding {
        rule,
        pointer: pointer.to_string(),
        message,
    }
}

const USER_MIRRORS: [(&str, &str); 8] = [
    ("UserId", "Id"),
    ("Email", "Email"),
    ("FirstName", "FirstName"),
    ("LastName", "LastName"),
    ("DisplayName", "DisplayName"),
    ("Username", "Username"),
    ("PhoneNumber", "PhoneNumber"),
    ("CreatedAt", "CreatedAt"),
];

fn user_mirror(_: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let Some(user) = member(document, "User").filter(|user| user.is_object()) else {
        return;
    };
    for (top, mirrored) in USER_MIRRORS {
        let (top_value, user_value) = (member(document, top), member(user, mirrored));
        if top_value == user_value {
            continue;
        }
        let (pointer, message) = match (top_value, user_value) {
            (Some(top_value), Some(user_value)) => (
                format!("/{top}"),
                format!(
                    "expected {user_value}, the value of `/User/{mirrored}`, found {top_value}"
                ),
            ),
            (Some(_), None) => (
                format!("/{top}"),
                format!("`/User/{mirrored}` is missing, but this top-level mirror of it is set"),
            ),
            _ => (
                format!("/User/{mirrored}"),
                format!("the top-level mirror `/{top}` is missing, but this field is set"),
            ),
        };
        findings.push(finding("user-mirror", &pointer, message));
    }
}

/// Fields the event's schema does not list, each at its own pointer so that its line and column
/// lead to the field rather than to the object holding it.
fn unknown_fields(event: &'static Event, document: &Value, findings: &mut Vec<Finding>) {
    for field in schema::undocumented_fields(event, document) {
        findings.push(finding(
            UNKNOWN_FIELD,
            &field.pointer,
            format!("unknown field `{}`", field.name),
        ));
    }
}

fn unique_badges(_: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let Some(badges) = json_position::lookup(document, "/User/Badges").and_then(Value::as_array)
    else {
        return;
    };
    // Each badge is found among the earlier ones by a key equal values share, not by comparing
    // it with every earlier badge, which grew with the square of the list's length.
    let mut first_of: HashMap<Identity<'_>, usize> = HashMap::new();
    for (index, badge) in badges.iter().enumerate() {
        let first = match first_of.entry(identity(badge)) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(index);
                None
            }
        };
        if let Some(first) = first {
            findings.push(finding(
                "unique-badges",
                &format!("/User/Badges/{index}"),
                format!("badge {badge} is listed again (first at `/User/Badges/{first}`)"),
            ));
        }
    }
}

/// A key two values share exactly when they are equal as `serde_json` compares them.
#[derive(PartialEq, Eq, Hash)]
enum Identity<'a> {
    /// A string is its own key: badges are strings.
    Text(&'a str),
    /// Any other value written out with its kind: numbers as the kind of number they are (`1`
    /// and `1.0` differ, `0.0` and `-0.0` do not), object members in name order, as equal
    /// objects may list them in any order.
    Written(String),
}

fn identity(value: &Value) -> Identity<'_> {
    fn write(value: &Value, key: &mut String) {
        match value {
            Value::Null => key.push('n'),
            Value::Bool(true) => key.push('t'),
            Value::Bool(false) => key.push('f'),
            Value::Number(number) => {
                let _ = match (number.as_u64(), number.as_i64(), number.as_f64()) {
                    (Some(whole), _, _) => write!(key, "u{whole};"),
                    (None, Some(negative), _) => write!(key, "i{negative};"),
                    // `+ 0.0` turns -0.0 into 0.0, which it equals.
                    (None, None, float) => {
                        write!(key, "f{};", (float.unwrap_or_default() + 0.0).to_bits())
                    }
                };
            }
            Value::String(text) => {
                let _ = write!(key, "s{}:{text}", text.len());
            }
            Value::Array(items) => {
                key.push('[');
                items.iter().for_each(|item| write(item, key));
                key.push(']');
            }
            Value::Object(members) => {
                let mut sorted: Vec<_> = members.iter().collect();
                sorted.sort_unstable_by_key(|(name, _)| *name);
                key.push('{');
                for (name, member) in sorted {
                    let _ = write!(key, "{}:{name}", name.len());
                    write(member, key);
                }
                key.push('}');
            }
        }
    }
    match value {
        Value::String(text) => Identity::Text(text),
        other => {
            let mut key = String::new();
            write(other, &mut key);
            Identity::Written(key)
        }
    }
}

fn badge_listed(_: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let (Some(badge), Some(badges)) = (
        member(document, "BadgeId").and_then(Value::as_str),
        json_position::lookup(document, "/User/Badges").and_then(Value::as_array),
    ) else {
        return;
    };
    if !badges.iter().any(|listed| listed.as_str() == Some(badge)) {
        findings.push(finding(
            "badge-listed",
            "/User/Badges",
            format!(
                "expected the badges at event time to include the received badge \"{badge}\" (`/BadgeId`)"
            ),
        ));
    }
}

fn user_exists_first(event: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let event_time = match event.name {
        "user_joined_group" => "/JoinedAt",
        "user_received_badge" => "/ReceivedAt",
        _ => "/CreatedAt",
    };
    if let Some((created, at)) = instants(document, "/User/CreatedAt", event_time)
        && created > at
    {
        findings.push(finding(
            "user-exists-first",
            event_time,
            format!("expected a time not before the user's creation (`/User/CreatedAt`, {created}), found {at}"),
        ));
    }
}

fn wix_entity_id(_: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let Some(entity_id) = member(document, "entityId").and_then(Value::as_str) else {
        return;
    };
    for entity in ["/createdEvent/entity/id", "/updatedEvent/currentEntity/id"] {
        if let Some(id) = json_position::lookup(document, entity).and_then(Value::as_str)
            && id != entity_id
        {
            findings.push(finding(
                "wix-entity-id",
                "/entityId",
                format!("expected \"{id}\", the entity's id (`{entity}`), found \"{entity_id}\""),
            ));
        }
    }
}

const WIX_BODIES: [(&str, &str); 3] = [
    ("createdEvent", "created"),
    ("updatedEvent", "updated"),
    ("deletedEvent", "deleted"),
];

/// The entity FQDN and slug an event's name is made of:
/// `wix.badges.v4.badge_created` is entity `wix.badges.v4.badge`, slug `created`.
fn wix_name_parts(event: &Event) -> Option<(&'static str, &'static str)> {
    event.name.rsplit_once('_')
}

fn wix_event_name(event: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let Some((_, slug)) = wix_name_parts(event) else {
        return;
    };
    // Where the FQDN is only assumed, its own rule judges it, as a warning.
    if !rule("wix-assignment-fqdn").scope.includes(event) {
        entity_fqdn("wix-event-name", event, document, findings);
    }
    let Some(found) = member(document, "slug").and_then(Value::as_str) else {
        return;
    };
    if found != slug {
        findings.push(finding(
            "wix-event-name",
            "/slug",
            format!("expected \"{slug}\" for {}, found \"{found}\"", event.name),
        ));
    }
    for (body, body_slug) in WIX_BODIES {
        if member(document, body).is_some() && body_slug != found {
            findings.push(finding(
                "wix-event-name",
                "/slug",
                format!(
                    "expected \"{body_slug}\", as the document carries `{body}`, found \"{found}\""
                ),
            ));
        }
    }
}

fn wix_entity_fqdn(event: &Event, document: &Value, findings: &mut Vec<Finding>) {
    entity_fqdn("wix-assignment-fqdn", event, document, findings);
}

fn entity_fqdn(rule_id: &str, event: &Event, document: &Value, findings: &mut Vec<Finding>) {
    if let Some((fqdn, _)) = wix_name_parts(event)
        && let Some(found) = member(document, "entityFqdn").and_then(Value::as_str)
        && found != fqdn
    {
        findings.push(finding(
            rule_id,
            "/entityFqdn",
            format!("expected \"{fqdn}\" for {}, found \"{found}\"", event.name),
        ));
    }
}

fn dates_in_order(event: &Event, document: &Value, findings: &mut Vec<Finding>) {
    match event.provider.built_in {
        Some(BuiltIn::Wix) => {
            not_after(
                document,
                "/createdEvent/entity/createdDate",
                "/createdEvent/entity/updatedDate",
                findings,
            );
            not_after(
                document,
                "/updatedEvent/currentEntity/createdDate",
                "/updatedEvent/currentEntity/updatedDate",
                findings,
            );
        }
        Some(BuiltIn::Beedeez) => {
            not_after(document, "/createdAt", "/updatedAt", findings);
            not_after(document, "/creationDate", "/expires", findings);
        }
        Some(BuiltIn::Cativa) | None => {}
    }
}

fn expired_has_expiry(_: &Event, document: &Value, findings: &mut Vec<Finding>) {
    if member(document, "expires") == Some(&Value::Null) {
        findings.push(finding(
            "expired-has-expiry",
            "/expires",
            "expected the date the certificate expires, found null".to_string(),
        ));
    }
}

fn not_after(document: &Value, earlier: &str, later: &str, findings: &mut Vec<Finding>) {
    if let Some((first, second)) = instants(document, earlier, later)
        && first > second
    {
        findings.push(finding(
            "dates-in-order",
            later,
            format!("expected a time not before `{earlier}` ({first}), found {second}"),
        ));
    }
}

/// The two RFC 3339 times at `first` and `second`, when both are present and readable.
fn instants(
    document: &Value,
    first: &str,
    second: &str,
) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
    let read = |pointer: &str| {
        json_position::lookup(document, pointer)?
            .as_str()?
            .parse::<jiff::Timestamp>()
            .ok()
    };
    Some((read(first)?, read(second)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;
    use crate::domain::sample_data::SampleRng;

    fn sample(name: &str) -> (&'static Event, Value) {
        let event = catalogue::find(name).unwrap();
        (
            event,
            event
                .sample(&mut SampleRng::new(
                    7,
                    jiff::Timestamp::from_second(1_700_000_000).unwrap(),
                ))
                .unwrap(),
        )
    }

    fn rule_ids(findings: &[Finding]) -> Vec<(&str, &str)> {
        findings
            .iter()
            .map(|f| (f.rule.id, f.pointer.as_str()))
            .collect()
    }

    #[test]
    fn generated_samples_break_no_rule() {
        for event in catalogue::events() {
            for seed in 0..20 {
                let document = event
                    .sample(&mut SampleRng::new(
                        seed,
                        jiff::Timestamp::from_second(1_700_000_000).unwrap(),
                    ))
                    .unwrap();
                assert_eq!(check(event, &document), [], "{} seed {seed}", event.name);
            }
        }
    }

    #[test]
    fn user_created_top_level_fields_mirror_user() {
        let (event, mut document) = sample("user_created");
        document["Email"] = "other@example.com".into();
        document["User"].as_object_mut().unwrap().remove("Username");
        let findings = check(event, &document);
        assert_eq!(
            rule_ids(&findings),
            [("user-mirror", "/Email"), ("user-mirror", "/Username")]
        );
        assert!(
            findings[0].message.contains("`/User/Email`"),
            "{}",
            findings[0].message
        );
        assert!(!findings[0].rule.is_assumed());
        assert!(!findings[0].message.contains("assumed"));
    }

    #[test]
    fn received_badge_must_be_listed() {
        let (event, mut document) = sample("user_received_badge");
        document["User"]["Badges"] = serde_json::json!([]);
        let findings = check(event, &document);
        assert_eq!(rule_ids(&findings), [("badge-listed", "/User/Badges")]);
        assert!(findings[0].rule.is_assumed());
        assert!(
            findings[0]
                .message
                .ends_with("(assumed: the badges at event time include the one just received)"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn a_user_exists_before_its_events() {
        let (event, mut document) = sample("post_created");
        document["User"]["CreatedAt"] = "2999-01-01T00:00:00Z".into();
        assert_eq!(
            rule_ids(&check(event, &document)),
            [("user-exists-first", "/CreatedAt")]
        );
        let (event, mut document) = sample("user_joined_group");
        document["JoinedAt"] = "1999-01-01T00:00:00+02:00".into();
        assert_eq!(
            rule_ids(&check(event, &document)),
            [("user-exists-first", "/JoinedAt")]
        );
    }

    #[test]
    fn wix_entity_id_and_names_match_the_event() {
        let (event, mut document) = sample("badge_created");
        document["entityId"] = "00000000-0000-0000-0000-000000000000".into();
        document["slug"] = "updated".into();
        document["entityFqdn"] = "wix.badges.v4.badge_assignment".into();
        assert_eq!(
            rule_ids(&check(event, &document)),
            [
                ("wix-entity-id", "/entityId"),
                ("wix-event-name", "/entityFqdn"),
                ("wix-event-name", "/slug"),
                ("wix-event-name", "/slug"),
            ]
        );
    }

    #[test]
    fn unknown_cativa_fields_are_assumed_away_and_named() {
        let (event, mut document) = sample("post_created");
        document["Locale"] = "pt-BR".into();
        document["User"]["Nickname"] = "mary".into();
        let findings = check(event, &document);
        assert_eq!(
            rule_ids(&findings),
            [
                ("unknown-field", "/Locale"),
                ("unknown-field", "/User/Nickname")
            ]
        );
        assert_eq!(
            findings[0].message,
            "unknown field `Locale` (assumed: Cativa sends no fields beyond those it documents)"
        );
        assert!(findings.iter().all(|finding| finding.rule.is_assumed()));
        // Wix and Beedeez documents may carry fields their schemas do not list.
        let (event, mut document) = sample("badge_created");
        document["newField"] = true.into();
        assert_eq!(check(event, &document), []);
    }

    #[test]
    fn a_badge_listed_twice_is_an_assumed_warning_at_the_repeat() {
        let (event, mut document) = sample("user_created");
        document["User"]["Badges"] =
            serde_json::json!(["01HQ4ABCDEF1234567890XYZ", "01HQ4ABCDEF1234567890XYZ"]);
        let findings = check(event, &document);
        assert_eq!(rule_ids(&findings), [("unique-badges", "/User/Badges/1")]);
        assert!(findings[0].message.contains("first at `/User/Badges/0`"));
        assert!(findings[0].message.contains("(assumed: "));
    }

    #[test]
    fn repeated_badges_are_the_values_serde_json_holds_equal() {
        let (event, mut document) = sample("user_created");
        let badges = serde_json::json!([
            "a", "b", "a", "\u{0}n", null, "\u{0}n", null, true, false, true, 1, 1.0, -0.0, 0.0,
            0, -1, -1, 1.0, 18446744073709551615u64, 18446744073709551615u64, "1", [1, "a"],
            [1, "a"], ["a", 1], {"x": 1, "y": [2]}, {"y": [2], "x": 1}, {"x": 1}, {"x": 1.0},
            {"": {"a": null}}, {"": {"a": null}}, "s1:a", [], {}, [], {}
        ]);
        let items = badges.as_array().unwrap().clone();
        document["User"]["Badges"] = badges;
        // Each repeat at its place, pointing at the first copy, as comparing each badge with
        // every earlier one finds them.
        let expected: Vec<String> = (0..items.len())
            .filter_map(|index| {
                let first = items[..index]
                    .iter()
                    .position(|earlier| *earlier == items[index])?;
                Some(format!(
                    "/User/Badges/{index} first at `/User/Badges/{first}`"
                ))
            })
            .collect();
        let found: Vec<String> = check(event, &document)
            .into_iter()
            .filter(|finding| finding.rule.id == "unique-badges")
            .map(|finding| {
                let first = finding.message.split("(first at ").nth(1).unwrap();
                format!(
                    "{} first at {}",
                    finding.pointer,
                    &first[..first.find(')').unwrap()]
                )
            })
            .collect();
        assert_eq!(found, expected);
        assert_eq!(expected.len(), 13, "{expected:#?}");
    }

    #[test]
    fn the_badge_assignment_fqdn_is_assumed_the_badge_fqdn_documented() {
        let (event, mut document) = sample("badge_assignment_created");
        document["entityFqdn"] = "wix.badges.v4.member_badge".into();
        let findings = check(event, &document);
        assert_eq!(
            rule_ids(&findings),
            [("wix-assignment-fqdn", "/entityFqdn")]
        );
        assert!(findings[0].rule.is_assumed());
        assert!(
            findings[0]
                .message
                .contains("(assumed: badge-assignment events carry")
        );
        let (event, mut document) = sample("badge_deleted");
        document["entityFqdn"] = "wix.badges.v4.member_badge".into();
        let findings = check(event, &document);
        assert_eq!(rule_ids(&findings), [("wix-event-name", "/entityFqdn")]);
        assert!(!findings[0].rule.is_assumed());
    }

    #[test]
    fn assumptions_are_warnings_unless_strict_and_say_so() {
        for rule in &RULES {
            let strict = Severity::of(rule.basis, true);
            let lenient = Severity::of(rule.basis, false);
            assert_eq!(strict, Severity::Error, "{}", rule.id);
            if rule.is_assumed() {
                assert_eq!(lenient, Severity::Warning, "{}", rule.id);
                assert!(!rule.assumption.is_empty(), "{}", rule.id);
            } else {
                assert_eq!(lenient, Severity::Error, "{}", rule.id);
                assert!(rule.assumption.is_empty(), "{}", rule.id);
            }
        }
    }

    #[test]
    fn dates_out_of_order_are_warnings() {
        let (event, mut document) = sample("badge_updated");
        document["updatedEvent"]["currentEntity"]["updatedDate"] = "2000-01-01T00:00:00Z".into();
        assert_eq!(
            rule_ids(&check(event, &document)),
            [("dates-in-order", "/updatedEvent/currentEntity/updatedDate")]
        );
        let (event, mut document) = sample("certificate_completed");
        document["createdAt"] = "2999-01-01T00:00:00.000Z".into();
        assert_eq!(
            rule_ids(&check(event, &document)),
            [("dates-in-order", "/updatedAt")]
        );
    }

    #[test]
    fn an_expired_certificate_has_an_expiry() {
        let (event, mut document) = sample("certificate_expired");
        document["expires"] = Value::Null;
        assert_eq!(
            rule_ids(&check(event, &document)),
            [("expired-has-expiry", "/expires")]
        );
    }

    #[test]
    fn unreadable_values_are_left_to_the_schema() {
        let (event, _) = sample("user_created");
        assert_eq!(
            check(event, &serde_json::json!({"User": 3, "Email": null})),
            []
        );
        let (event, _) = sample("badge_created");
        assert_eq!(check(event, &serde_json::json!({"entityId": 3})), []);
    }
}
