//! Sample builders for Wix Members Badges V4 events: the innermost event document (`id`,
//! `entityFqdn`, `slug`, `entityId`, `eventTime`, and the created/updated/deleted body).
//! The JWT layers around it are built by the signature module.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::Sample;
use crate::domain::sample_data::{SampleRng, ascii_slug, rfc3339_millis};

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
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WixEvent {
    id: String,
    entity_fqdn: &'static str,
    slug: &'static str,
    entity_id: String,
    event_time: String,
    triggered_by_anonymize_request: bool,
    /// Last, under a key named after the kind of change (`createdEvent`, ...).
    #[serde(flatten)]
    body: Body,
}

// Newtype variants, because serde buffers a flattened struct variant before writing it.
#[derive(Serialize)]
enum Body {
    #[serde(rename = "createdEvent")]
    Created(Created),
    #[serde(rename = "updatedEvent")]
    Updated(Updated),
    #[serde(rename = "deletedEvent")]
    Deleted(Deleted),
}

impl Body {
    /// The event's `slug`: which kind of change it reports.
    fn slug(&self) -> &'static str {
        match self {
            Body::Created(_) => "created",
            Body::Updated(_) => "updated",
            Body::Deleted(_) => "deleted",
        }
    }
}

#[derive(Serialize)]
struct Created {
    entity: Entity,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Updated {
    current_entity: Entity,
}

/// Serialized as `{}`: a deleted entity's body carries nothing.
#[derive(Serialize)]
struct Deleted {}

#[derive(Serialize)]
#[serde(untagged)]
enum Entity {
    Badge(Badge),
    Assignment(Assignment),
}

/// The event named `name` around `body`.
fn event(
    rng: &mut SampleRng,
    name: &str,
    fqdn: &'static str,
    entity_id: String,
    at: Timestamp,
    body: Body,
) -> Sample {
    let id = rng.event_ids(name).guid();
    let event = WixEvent {
        id: id.clone(),
        entity_fqdn: fqdn,
        slug: body.slug(),
        entity_id,
        event_time: rfc3339_millis(at),
        triggered_by_anonymize_request: false,
        body,
    };
    Sample::with_event_id(event, id)
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Badge {
    id: String,
    revision: String,
    title: &'static str,
    description: &'static str,
    background_color: String,
    text_color: &'static str,
    icon: Icon,
    permissions_enabled: bool,
    slug: String,
    created_date: String,
    updated_date: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Icon {
    id: String,
    url: String,
    height: u32,
    width: u32,
    alt_text: &'static str,
    filename: String,
}

/// A Badge entity as it stands at `updated`, created at `created`, at `revision`.
fn badge(
    rng: &mut SampleRng,
    id: String,
    created: Timestamp,
    updated: Timestamp,
    revision: u64,
) -> Entity {
    let (title, description) = *rng.pick(BADGE_TITLES);
    let icon_id = format!("{}_{}~mv2.png", rng.hex(3), rng.hex(16));
    let slug = ascii_slug(title, "-");
    Entity::Badge(Badge {
        id,
        revision: revision.to_string(),
        title,
        description,
        background_color: rng.colour(),
        text_color: "#FFFFFF",
        icon: Icon {
            url: format!("https://static.wixstatic.com/media/{icon_id}"),
            id: icon_id,
            height: 64,
            width: 64,
            alt_text: title,
            filename: format!("{slug}.png"),
        },
        permissions_enabled: rng.chance(0.3),
        slug,
        created_date: rfc3339_millis(created),
        updated_date: rfc3339_millis(updated),
    })
}

pub(super) fn badge_created(rng: &mut SampleRng) -> Sample {
    let at = event_time(rng);
    let id = rng.guid();
    let entity = badge(rng, id.clone(), at, at, 1);
    event(
        rng,
        "wix.badges.v4.badge_created",
        BADGE_FQDN,
        id,
        at,
        Body::Created(Created { entity }),
    )
}

pub(super) fn badge_updated(rng: &mut SampleRng) -> Sample {
    let at = event_time(rng);
    let created = rng.before(at, SignedDuration::from_hours(1), DAY * 500);
    let id = rng.guid();
    let revision = rng.number(2..=9);
    let current_entity = badge(rng, id.clone(), created, at, revision);
    event(
        rng,
        "wix.badges.v4.badge_updated",
        BADGE_FQDN,
        id,
        at,
        Body::Updated(Updated { current_entity }),
    )
}

pub(super) fn badge_deleted(rng: &mut SampleRng) -> Sample {
    let at = event_time(rng);
    let id = rng.guid();
    event(
        rng,
        "wix.badges.v4.badge_deleted",
        BADGE_FQDN,
        id,
        at,
        Body::Deleted(Deleted {}),
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Assignment {
    id: String,
    badge_id: String,
    member_id: String,
    created_date: String,
    updated_date: String,
}

pub(super) fn badge_assignment_created(rng: &mut SampleRng) -> Sample {
    let at = event_time(rng);
    let id = rng.guid();
    let assignment = Assignment {
        id: id.clone(),
        badge_id: rng.guid(),
        member_id: rng.guid(),
        created_date: rfc3339_millis(at),
        updated_date: rfc3339_millis(at),
    };
    let entity = Entity::Assignment(assignment);
    event(
        rng,
        "wix.badges.v4.badge_assignment_created",
        ASSIGNMENT_FQDN,
        id,
        at,
        Body::Created(Created { entity }),
    )
}

pub(super) fn badge_assignment_deleted(rng: &mut SampleRng) -> Sample {
    let at = event_time(rng);
    let id = rng.guid();
    event(
        rng,
        "wix.badges.v4.badge_assignment_deleted",
        ASSIGNMENT_FQDN,
        id,
        at,
        Body::Deleted(Deleted {}),
    )
}
