//! Sample builders for Wix Members Badges V4 events: the innermost event document (`id`,
//! `entityFqdn`, `slug`, `entityId`, `eventTime`, and the created/updated/deleted body).
//! The JWT layers around it are built by the signature module.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::sample_data::{SampleRng, ascii_slug, rfc3339_millis};

const DAY: SignedDuration = SignedDuration::from_hours(24);

const BADGE_FQDN: &str = "wix.badges.v4.badge";
/// Not documented: Wix names assignment events but not their entity's FQDN.
const ASSIGNMENT_FQDN: &str = "wix.badges.v4.badge_assignment";

const BADGE_TITLES: &[(&str, &str)] = &[
    (
        "Top Contributor",
        "Awarded for being a top contributor in the community",
    ),
    ("Early Adopter", "Joined the community in its first month"),
    ("Event Host", "Hosted a community event"),
    (
        "Helpful Member",
        "Answered ten questions from other members",
    ),
    ("Premium Member", "Holds an active premium plan"),
    ("Moderator", "Keeps the forum friendly and on topic"),
];

/// The fields every Wix event carries around its body.
fn envelope(rng: &mut SampleRng, fqdn: &str, slug: &str, entity_id: &str, at: Timestamp) -> Value {
    json!({
        "id": rng.guid(),
        "entityFqdn": fqdn,
        "slug": slug,
        "entityId": entity_id,
        "eventTime": rfc3339_millis(at),
        "triggeredByAnonymizeRequest": false,
    })
}

fn with_body(mut event: Value, key: &str, body: Value) -> Value {
    event
        .as_object_mut()
        .expect("envelope is an object")
        .insert(key.to_string(), body);
    event
}

/// When the event happened: moments before delivery.
fn event_time(rng: &mut SampleRng) -> Timestamp {
    let now = rng.now();
    rng.before(
        now,
        SignedDuration::from_millis(200),
        SignedDuration::from_secs(60),
    )
}

/// A Badge entity as it stands at `updated`, created at `created`, at `revision`.
fn badge(
    rng: &mut SampleRng,
    id: &str,
    created: Timestamp,
    updated: Timestamp,
    revision: u64,
) -> Value {
    let (title, description) = *rng.pick(BADGE_TITLES);
    let icon_id = format!("{}_{}~mv2.png", rng.hex(3), rng.hex(16));
    json!({
        "id": id,
        "revision": revision.to_string(),
        "title": title,
        "description": description,
        "backgroundColor": rng.colour(),
        "textColor": "#FFFFFF",
        "icon": {
            "id": icon_id,
            "url": format!("https://static.wixstatic.com/media/{icon_id}"),
            "height": 64,
            "width": 64,
            "altText": title,
            "filename": format!("{}.png", ascii_slug(title, "-")),
        },
        "permissionsEnabled": rng.chance(0.3),
        "slug": ascii_slug(title, "-"),
        "createdDate": rfc3339_millis(created),
        "updatedDate": rfc3339_millis(updated),
    })
}

pub fn badge_created(rng: &mut SampleRng) -> Value {
    let at = event_time(rng);
    let id = rng.guid();
    let entity = badge(rng, &id, at, at, 1);
    let event = envelope(rng, BADGE_FQDN, "created", &id, at);
    with_body(event, "createdEvent", json!({ "entity": entity }))
}

pub fn badge_updated(rng: &mut SampleRng) -> Value {
    let at = event_time(rng);
    let created = rng.before(at, SignedDuration::from_hours(1), DAY * 500);
    let id = rng.guid();
    let revision = rng.number(2..=9);
    let entity = badge(rng, &id, created, at, revision);
    let event = envelope(rng, BADGE_FQDN, "updated", &id, at);
    with_body(event, "updatedEvent", json!({ "currentEntity": entity }))
}

pub fn badge_deleted(rng: &mut SampleRng) -> Value {
    let at = event_time(rng);
    let id = rng.guid();
    let event = envelope(rng, BADGE_FQDN, "deleted", &id, at);
    with_body(event, "deletedEvent", json!({}))
}

pub fn badge_assignment_created(rng: &mut SampleRng) -> Value {
    let at = event_time(rng);
    let id = rng.guid();
    let assignment = json!({
        "id": id,
        "badgeId": rng.guid(),
        "memberId": rng.guid(),
        "createdDate": rfc3339_millis(at),
        "updatedDate": rfc3339_millis(at),
    });
    let event = envelope(rng, ASSIGNMENT_FQDN, "created", &id, at);
    with_body(event, "createdEvent", json!({ "entity": assignment }))
}

pub fn badge_assignment_deleted(rng: &mut SampleRng) -> Value {
    let at = event_time(rng);
    let id = rng.guid();
    let event = envelope(rng, ASSIGNMENT_FQDN, "deleted", &id, at);
    with_body(event, "deletedEvent", json!({}))
}
