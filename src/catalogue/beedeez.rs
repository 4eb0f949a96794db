//! Sample builders for Beedeez's certificate events: the whole BadgeUser document (MongoDB
//! ObjectIds, `__v` version key), no envelope.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::sample_data::{SampleRng, rfc3339_millis};

const DAY: SignedDuration = SignedDuration::from_hours(24);

const CERTIFICATES: &[(&str, &str)] = &[
    (
        "Safety Certified",
        "Completed every lesson of the Safety Training track",
    ),
    ("First Aid", "Passed the first aid certification"),
    ("Food Hygiene", "Completed the HACCP food hygiene course"),
    ("Customer Care", "Completed the customer service essentials"),
    ("Data Protection", "Completed the GDPR awareness module"),
];

const VALIDITY_DAYS: &[u64] = &[90, 180, 365, 730];

/// A BadgeUser document completed at `completed`, valid for `validity_days` (None: forever).
fn badge_user(
    rng: &mut SampleRng,
    completed: Timestamp,
    validity_days: Option<u64>,
    reminder_sent: bool,
    updated: Timestamp,
    version: u64,
) -> Value {
    let owner_created = rng.before(completed, DAY * 200, DAY * 2000);
    let user_created = rng.before(completed, DAY * 10, DAY * 600);
    let badge_created = rng.before(completed, DAY * 10, DAY * 900);
    let lessons = rng.number(1..=4);
    let lesson_ids: Vec<String> = (0..lessons)
        .map(|_| {
            let started = rng.before(completed, SignedDuration::from_hours(1), DAY * 9);
            rng.object_id(started)
        })
        .collect();
    let (name, description) = *rng.pick(CERTIFICATES);
    let expires = validity_days.map(|days| rfc3339_millis(completed + DAY * days as i32));
    json!({
        "_id": rng.object_id(completed),
        "_userId": rng.object_id(user_created),
        "_ownerId": rng.object_id(owner_created),
        "_badgeId": rng.object_id(badge_created),
        "creationDate": rfc3339_millis(completed),
        "expires": expires,
        "disabled": false,
        "expiryReminderSent": reminder_sent,
        "_lessonActiveIds": lesson_ids,
        "ruleData": {
            "type": "lessons",
            "name": name,
            "description": description,
            "validityDurationDays": validity_days,
        },
        "createdAt": rfc3339_millis(completed),
        "updatedAt": rfc3339_millis(updated),
        "__v": version,
    })
}

/// Completed moments ago; most certificates expire, some are valid forever.
pub fn certificate_completed(rng: &mut SampleRng) -> Value {
    let now = rng.now();
    let completed = rng.before(
        now,
        SignedDuration::from_secs(1),
        SignedDuration::from_secs(60),
    );
    let validity = if rng.chance(0.8) {
        Some(*rng.pick(VALIDITY_DAYS))
    } else {
        None
    };
    badge_user(rng, completed, validity, false, completed, 0)
}

/// Expired moments ago, after its reminder was sent (assumed shape: as completed, `expires` past).
pub fn certificate_expired(rng: &mut SampleRng) -> Value {
    let now = rng.now();
    let validity = *rng.pick(VALIDITY_DAYS);
    let expired = rng.before(
        now,
        SignedDuration::from_secs(1),
        SignedDuration::from_secs(3600),
    );
    let completed = expired - DAY * validity as i32;
    let processed = rng.before(now, SignedDuration::ZERO, SignedDuration::from_secs(1));
    let processed = processed.max(expired);
    badge_user(rng, completed, Some(validity), true, processed, 1)
}
