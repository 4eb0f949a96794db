//! The providers' rules that a JSON Schema cannot state (one field equal to another, dates in
//! order), checked on an event document. Errors where the provider states the rule, warnings
//! where its documentation only implies it. Pure functions, no I/O.

use serde_json::Value;

use crate::domain::catalogue::{Event, Provider};

/// How firmly the provider commits to a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The provider states the rule: breaking it is an invalid document.
    Error,
    /// The provider only implies the rule: breaking it is suspicious, not invalid.
    Warning,
}

/// One rule, as `--help` and the README list it.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// Every rule, in the order they are checked.
pub static RULES: [Rule; 7] = [
    Rule {
        id: "user-mirror",
        severity: Severity::Error,
        summary: "user_created: UserId, Email, FirstName, LastName, DisplayName, Username, \
                  PhoneNumber and CreatedAt equal their User.* mirrors (Cativa states the parity)",
    },
    Rule {
        id: "badge-listed",
        severity: Severity::Warning,
        summary: "user_received_badge: User.Badges, the badges at event time, contains BadgeId",
    },
    Rule {
        id: "user-exists-first",
        severity: Severity::Warning,
        summary: "user_joined_group, user_received_badge, post_created: User.CreatedAt is not \
                  after the event's own time (JoinedAt, ReceivedAt, CreatedAt)",
    },
    Rule {
        id: "wix-entity-id",
        severity: Severity::Error,
        summary: "Wix created/updated events: entityId equals the entity's id",
    },
    Rule {
        id: "wix-event-name",
        severity: Severity::Error,
        summary: "Wix events: entityFqdn and slug are the event's own (wix.badges.v4.badge / \
                  created for badge_created), and slug names the body present \
                  (createdEvent, updatedEvent or deletedEvent)",
    },
    Rule {
        id: "dates-in-order",
        severity: Severity::Warning,
        summary: "Wix entities: createdDate is not after updatedDate; Beedeez: createdAt is \
                  not after updatedAt, and creationDate is not after expires",
    },
    Rule {
        id: "expired-has-expiry",
        severity: Severity::Warning,
        summary: "certificate_expired: expires is set (assumed: the certificate reached its end)",
    },
];

/// One broken rule, at the pointer of the value that breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub pointer: String,
    pub message: String,
}

/// Every rule `document` breaks as an `event`. Values the schema itself rejects (absent, or of
/// the wrong type) are left to the schema: a rule only judges values it can read.
pub fn check(event: &Event, document: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    match (event.provider, event.name) {
        (Provider::Cativa, "user_created") => user_mirror(document, &mut findings),
        (Provider::Cativa, "user_received_badge") => {
            badge_listed(document, &mut findings);
            user_exists_first(document, "/ReceivedAt", &mut findings);
        }
        (Provider::Cativa, "user_joined_group") => {
            user_exists_first(document, "/JoinedAt", &mut findings)
        }
        (Provider::Cativa, "post_created") => {
            user_exists_first(document, "/CreatedAt", &mut findings)
        }
        (Provider::Wix, _) => {
            wix_entity_id(document, &mut findings);
            wix_event_name(event, document, &mut findings);
            for entity in ["/createdEvent/entity", "/updatedEvent/currentEntity"] {
                not_after(
                    document,
                    &format!("{entity}/createdDate"),
                    &format!("{entity}/updatedDate"),
                    &mut findings,
                );
            }
        }
        (Provider::Beedeez, name) => {
            not_after(document, "/createdAt", "/updatedAt", &mut findings);
            not_after(document, "/creationDate", "/expires", &mut findings);
            if name == "certificate_expired" && document.get("expires") == Some(&Value::Null) {
                findings.push(finding(
                    "expired-has-expiry",
                    "/expires",
                    "a certificate_expired event has `expires` set to when it expired, found null"
                        .to_string(),
                ));
            }
        }
        _ => {}
    }
    findings
}

fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|rule| rule.id == id)
        .expect("rule ids are in RULES")
}

fn finding(id: &str, pointer: &str, message: String) -> Finding {
    Finding {
        rule: rule(id),
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

fn user_mirror(document: &Value, findings: &mut Vec<Finding>) {
    let Some(user) = document.get("User").filter(|user| user.is_object()) else {
        return;
    };
    for (top, mirrored) in USER_MIRRORS {
        let (top_value, user_value) = (document.get(top), user.get(mirrored));
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

fn badge_listed(document: &Value, findings: &mut Vec<Finding>) {
    let (Some(badge), Some(badges)) = (
        document.get("BadgeId").and_then(Value::as_str),
        document.pointer("/User/Badges").and_then(Value::as_array),
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

fn user_exists_first(document: &Value, event_time: &str, findings: &mut Vec<Finding>) {
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

fn wix_entity_id(document: &Value, findings: &mut Vec<Finding>) {
    let Some(entity_id) = document.get("entityId").and_then(Value::as_str) else {
        return;
    };
    for entity in ["/createdEvent/entity/id", "/updatedEvent/currentEntity/id"] {
        if let Some(id) = document.pointer(entity).and_then(Value::as_str)
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

fn wix_event_name(event: &Event, document: &Value, findings: &mut Vec<Finding>) {
    let Some((fqdn, slug)) = event.name.rsplit_once('_') else {
        return;
    };
    if let Some(found) = document.get("entityFqdn").and_then(Value::as_str)
        && found != fqdn
    {
        findings.push(finding(
            "wix-event-name",
            "/entityFqdn",
            format!("expected \"{fqdn}\" for {}, found \"{found}\"", event.name),
        ));
    }
    let Some(found) = document.get("slug").and_then(Value::as_str) else {
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
        if document.get(body).is_some() && body_slug != found {
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
        document
            .pointer(pointer)?
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
            event.sample(&mut SampleRng::new(
                7,
                jiff::Timestamp::from_second(1_700_000_000).unwrap(),
            )),
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
        for event in &catalogue::EVENTS {
            for seed in 0..20 {
                let document = event.sample(&mut SampleRng::new(
                    seed,
                    jiff::Timestamp::from_second(1_700_000_000).unwrap(),
                ));
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
        assert_eq!(findings[0].rule.severity, Severity::Error);
    }

    #[test]
    fn received_badge_must_be_listed() {
        let (event, mut document) = sample("user_received_badge");
        document["User"]["Badges"] = serde_json::json!([]);
        let findings = check(event, &document);
        assert_eq!(rule_ids(&findings), [("badge-listed", "/User/Badges")]);
        assert_eq!(findings[0].rule.severity, Severity::Warning);
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
