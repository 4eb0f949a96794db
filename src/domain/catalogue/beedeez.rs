//! Sample builders for Beedeez's certificate events: the whole BadgeUser document (MongoDB
//! ObjectIds, `__v` version key), no envelope.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::Sample;
use crate::domain::sample_data::{SampleRng, rfc3339_millis};

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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BadgeUser {
    #[serde(rename = "_id")]
    id: String,
    #[serde(rename = "_userId")]
    user_id: String,
    #[serde(rename = "_ownerId")]
    owner_id: String,
    #[serde(rename = "_badgeId")]
    badge_id: String,
    creation_date: String,
    expires: Option<String>,
    disabled: bool,
    expiry_reminder_sent: bool,
    #[serde(rename = "_lessonActiveIds")]
    lesson_active_ids: Vec<String>,
    rule_data: RuleData,
    created_at: String,
    updated_at: String,
    #[serde(rename = "__v")]
    version: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleData {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    description: &'static str,
    validity_duration_days: Option<u64>,
}

/// A BadgeUser document completed at `completed`, valid for `validity_days` (None: forever).
fn badge_user(
    rng: &mut SampleRng,
    completed: Timestamp,
    validity_days: Option<u64>,
    reminder_sent: bool,
    updated: Timestamp,
    version: u64,
) -> Sample {
    let owner_created = rng.before(completed, DAY * 200, DAY * 2000);
    let user_created = rng.before(completed, DAY * 10, DAY * 600);
    let badge_created = rng.before(completed, DAY * 10, DAY * 900);
    let lessons = rng.number(1..=4);
    let lesson_active_ids = (0..lessons)
        .map(|_| {
            let started = rng.before(completed, SignedDuration::from_hours(1), DAY * 9);
            rng.object_id(started)
        })
        .collect();
    let (name, description) = *rng.pick(CERTIFICATES);
    let expires = validity_days.map(|days| rfc3339_millis(completed + DAY * days as i32));
    let completed_text = rfc3339_millis(completed);
    Sample::new(BadgeUser {
        id: rng.object_id(completed),
        user_id: rng.object_id(user_created),
        owner_id: rng.object_id(owner_created),
        badge_id: rng.object_id(badge_created),
        creation_date: completed_text.clone(),
        expires,
        disabled: false,
        expiry_reminder_sent: reminder_sent,
        lesson_active_ids,
        rule_data: RuleData {
            kind: "lessons",
            name,
            description,
            validity_duration_days: validity_days,
        },
        created_at: completed_text,
        updated_at: rfc3339_millis(updated),
        version,
    })
}

/// Completed moments ago; most certificates expire, some are valid forever.
pub(super) fn certificate_completed(rng: &mut SampleRng) -> Sample {
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

/// Beedeez sends `certificate_expired` when a certificate reaches its expiry date, and also
/// when the expiry reminder email goes out (seed 004 lists both), `expires` then still ahead.
/// Either way `expiryReminderSent` is true and the document has been updated once (the shape is
/// assumed: as `certificate_completed`).
pub(super) fn certificate_expired(rng: &mut SampleRng) -> Sample {
    let now = rng.now();
    let validity = *rng.pick(VALIDITY_DAYS);
    let expires = if rng.chance(0.4) {
        // How long before expiry the reminder goes out is not documented: 1 to 30 days here.
        rng.before(now + DAY * 30, SignedDuration::ZERO, DAY * 29)
    } else {
        rng.before(
            now,
            SignedDuration::from_secs(1),
            SignedDuration::from_secs(3600),
        )
    };
    let completed = expires - DAY * validity as i32;
    let processed = rng.before(now, SignedDuration::ZERO, SignedDuration::from_secs(1));
    // An expiry is processed once it has passed; a reminder before it.
    let processed = if expires <= now {
        processed.max(expires)
    } else {
        processed
    };
    badge_user(rng, completed, Some(validity), true, processed, 1)
}
