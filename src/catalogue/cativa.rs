//! Sample builders for Cativa's four events: PascalCase documents with no envelope, sharing the
//! `User` object, with ids in the ULID style of Cativa's own examples.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::sample_data::{Locale, SampleRng, rfc3339_seconds};

const DAY: SignedDuration = SignedDuration::from_hours(24);

const BADGE_NAMES: &[&str] = &[
    "Premium",
    "Founding Member",
    "VIP",
    "Mentor",
    "Course Graduate",
    "Early Bird",
    "Community Star",
    "Pro",
];

const GROUP_NAMES: &[&str] = &[
    "Iniciantes",
    "Marketing Digital",
    "Mentoria Premium",
    "Networking",
    "Avisos",
    "Desafio 30 Dias",
    "Perguntas e Respostas",
];

const POST_TEXTS: &[&str] = &[
    "Just finished module 3 of the course — highly recommend!",
    "Alguém mais vai no encontro de sábado?",
    "Compartilhando meu progresso da semana 🚀",
    "Qual a melhor forma de começar o módulo 2?",
    "Obrigado pela aula de hoje, muito conteúdo bom.",
];

/// Everything one sample needs to stay consistent: when things happened and who did them.
struct Story {
    customer_id: String,
    occurred_at: Timestamp,
    user_created_at: Timestamp,
}

impl Story {
    /// The event happened moments before delivery; the user joined the tenant earlier.
    fn new(rng: &mut SampleRng, user_is_new: bool) -> Self {
        let now = rng.now();
        let occurred_at = rng.before(
            now,
            SignedDuration::from_secs(1),
            SignedDuration::from_secs(90),
        );
        let user_created_at = if user_is_new {
            occurred_at
        } else {
            rng.before(occurred_at, SignedDuration::from_hours(1), DAY * 720)
        };
        let tenant_created_at = rng.before(user_created_at, DAY, DAY * 1500);
        Story {
            customer_id: rng.ulid(tenant_created_at),
            occurred_at,
            user_created_at,
        }
    }
}

/// The `User` object shared by every Cativa event; `badges` are the ids held at event time.
fn user(
    rng: &mut SampleRng,
    story: &Story,
    primary_badge: Option<&str>,
    badges: &[String],
) -> Value {
    let person = rng.person(Locale::Brazil);
    let phone = if rng.chance(0.8) {
        Value::String(person.phone)
    } else {
        Value::Null
    };
    json!({
        "Id": rng.ulid(story.user_created_at),
        "Email": person.email,
        "FirstName": person.first_name,
        "LastName": person.last_name,
        "DisplayName": person.display_name,
        "Username": person.username,
        "PhoneNumber": phone,
        "CreatedAt": rfc3339_seconds(story.user_created_at),
        "BadgeId": primary_badge,
        "Badges": badges,
    })
}

/// Badge ids the user already held before the event, each created before it was assigned.
fn earlier_badges(rng: &mut SampleRng, story: &Story) -> Vec<String> {
    let count = rng.number(0..=2);
    (0..count)
        .map(|_| {
            let created = rng.before(story.user_created_at, DAY, DAY * 400);
            rng.ulid(created)
        })
        .collect()
}

/// The top-level fields mirror `User` (parity with v1 of the platform).
pub fn user_created(rng: &mut SampleRng) -> Value {
    let story = Story::new(rng, true);
    let user = user(rng, &story, None, &[]);
    json!({
        "CustomerId": story.customer_id,
        "UserId": user["Id"],
        "Email": user["Email"],
        "FirstName": user["FirstName"],
        "LastName": user["LastName"],
        "DisplayName": user["DisplayName"],
        "Username": user["Username"],
        "PhoneNumber": user["PhoneNumber"],
        "CreatedAt": user["CreatedAt"],
        "User": user,
    })
}

pub fn user_joined_group(rng: &mut SampleRng) -> Value {
    let story = Story::new(rng, false);
    let badges = earlier_badges(rng, &story);
    let primary = badges.first().cloned();
    let user = user(rng, &story, primary.as_deref(), &badges);
    let group_created = rng.before(story.occurred_at, DAY, DAY * 900);
    json!({
        "CustomerId": story.customer_id,
        "GroupId": rng.ulid(group_created),
        "GroupName": rng.pick(GROUP_NAMES),
        "User": user,
        "JoinedAt": rfc3339_seconds(story.occurred_at),
    })
}

/// `User.Badges` lists the badges at event time, so it includes the one just received.
pub fn user_received_badge(rng: &mut SampleRng) -> Value {
    let story = Story::new(rng, false);
    let badge_created = rng.before(story.occurred_at, DAY, DAY * 900);
    let badge_id = rng.ulid(badge_created);
    let mut badges = earlier_badges(rng, &story);
    badges.push(badge_id.clone());
    let primary = if rng.chance(0.7) {
        badge_id.clone()
    } else {
        badges[0].clone()
    };
    let user = user(rng, &story, Some(&primary), &badges);
    json!({
        "CustomerId": story.customer_id,
        "BadgeId": badge_id,
        "BadgeName": rng.pick(BADGE_NAMES),
        "User": user,
        "ReceivedAt": rfc3339_seconds(story.occurred_at),
    })
}

/// `GroupId` null means the main feed; `Content` is null only for media-only posts.
pub fn post_created(rng: &mut SampleRng) -> Value {
    let story = Story::new(rng, false);
    let badges = earlier_badges(rng, &story);
    let primary = badges.first().cloned();
    let user = user(rng, &story, primary.as_deref(), &badges);
    let post_id = rng.ulid(story.occurred_at);
    let group_id = if rng.chance(0.7) {
        let group_created = rng.before(story.occurred_at, DAY, DAY * 900);
        Value::String(rng.ulid(group_created))
    } else {
        Value::Null
    };
    let has_image = rng.chance(0.5);
    let image_url = if has_image {
        Value::String(format!(
            "https://cdn.cativalab.digital/posts/{post_id}/original.jpg"
        ))
    } else {
        Value::Null
    };
    let content = if has_image && rng.chance(0.3) {
        Value::Null
    } else {
        Value::String(rng.pick(POST_TEXTS).to_string())
    };
    json!({
        "CustomerId": story.customer_id,
        "PostId": post_id,
        "GroupId": group_id,
        "User": user,
        "Content": content,
        "ImageUrl": image_url,
        "CreatedAt": rfc3339_seconds(story.occurred_at),
    })
}
