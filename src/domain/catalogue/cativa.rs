//! Sample builders for Cativa's four events: PascalCase documents with no envelope, sharing the
//! `User` object, with ids in the ULID style of Cativa's own examples.

use jiff::{SignedDuration, Timestamp};
use serde::{Serialize, Serializer};

use super::Sample;
use crate::domain::sample_data::{Locale, SampleRng, rfc3339_seconds};

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
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct User {
    id: String,
    email: String,
    first_name: &'static str,
    last_name: &'static str,
    display_name: String,
    username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    created_at: String,
    badge_id: Option<String>,
    badges: Vec<String>,
}

fn user(
    rng: &mut SampleRng,
    story: &Story,
    primary_badge: Option<String>,
    badges: Vec<String>,
) -> User {
    let person = rng.person(Locale::Brazil);
    // Cativa types `PhoneNumber` a string, "when provided", where nullable fields say `| null`:
    // a user without one is sent without the field (assumed: no example shows it).
    let phone_number = rng.chance(0.8).then_some(person.phone);
    User {
        id: rng.ulid(story.user_created_at),
        email: person.email,
        first_name: person.first_name,
        last_name: person.last_name,
        display_name: person.display_name,
        username: person.username,
        phone_number,
        created_at: rfc3339_seconds(story.user_created_at),
        badge_id: primary_badge,
        badges,
    }
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

/// The top-level fields mirror `User` (parity with v1 of the platform); they are written from
/// `user` when serialized rather than stored twice.
struct UserCreated {
    customer_id: String,
    user: User,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UserCreatedFields<'a> {
    customer_id: &'a str,
    user_id: &'a str,
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    display_name: &'a str,
    username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<&'a str>,
    created_at: &'a str,
    user: &'a User,
}

impl Serialize for UserCreated {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let user = &self.user;
        UserCreatedFields {
            customer_id: &self.customer_id,
            user_id: &user.id,
            email: &user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            display_name: &user.display_name,
            username: &user.username,
            phone_number: user.phone_number.as_deref(),
            created_at: &user.created_at,
            user,
        }
        .serialize(serializer)
    }
}

pub(super) fn user_created(rng: &mut SampleRng) -> Sample {
    let story = Story::new(rng, true);
    let user = user(rng, &story, None, Vec::new());
    Sample::new(UserCreated {
        customer_id: story.customer_id,
        user,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UserJoinedGroup {
    customer_id: String,
    group_id: String,
    group_name: &'static str,
    user: User,
    joined_at: String,
}

pub(super) fn user_joined_group(rng: &mut SampleRng) -> Sample {
    let story = Story::new(rng, false);
    let badges = earlier_badges(rng, &story);
    let primary = badges.first().cloned();
    let user = user(rng, &story, primary, badges);
    let group_created = rng.before(story.occurred_at, DAY, DAY * 900);
    let group_id = rng.ulid(group_created);
    let group_name = *rng.pick(GROUP_NAMES);
    Sample::new(UserJoinedGroup {
        customer_id: story.customer_id,
        group_id,
        group_name,
        user,
        joined_at: rfc3339_seconds(story.occurred_at),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UserReceivedBadge {
    customer_id: String,
    badge_id: String,
    badge_name: &'static str,
    user: User,
    received_at: String,
}

/// `User.Badges` lists the badges at event time, so it includes the one just received.
pub(super) fn user_received_badge(rng: &mut SampleRng) -> Sample {
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
    let user = user(rng, &story, Some(primary), badges);
    let badge_name = *rng.pick(BADGE_NAMES);
    Sample::new(UserReceivedBadge {
        customer_id: story.customer_id,
        badge_id,
        badge_name,
        user,
        received_at: rfc3339_seconds(story.occurred_at),
    })
}

/// `GroupId` null means the main feed; `Content` is null only for media-only posts; `ImageUrl`
/// is the first image, null for posts without one, videos included.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PostCreated {
    customer_id: String,
    post_id: String,
    group_id: Option<String>,
    user: User,
    content: Option<&'static str>,
    image_url: Option<String>,
    created_at: String,
}

/// What a post carries besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    None,
    Image,
    Video,
}

pub(super) fn post_created(rng: &mut SampleRng) -> Sample {
    let story = Story::new(rng, false);
    let badges = earlier_badges(rng, &story);
    let primary = badges.first().cloned();
    let user = user(rng, &story, primary, badges);
    let post_id = rng.ulid(story.occurred_at);
    let group_id = rng.chance(0.7).then(|| {
        let group_created = rng.before(story.occurred_at, DAY, DAY * 900);
        rng.ulid(group_created)
    });
    let media = *rng.pick(&[
        Media::None,
        Media::None,
        Media::Image,
        Media::Image,
        Media::Video,
    ]);
    let image_url = (media == Media::Image)
        .then(|| format!("https://cdn.cativalab.digital/posts/{post_id}/original.jpg"));
    // A media-only post has no text: an image-only post shows only `ImageUrl`, and a video-only
    // post neither `Content` nor `ImageUrl` (Cativa does not populate it for videos).
    let content = if media != Media::None && rng.chance(0.3) {
        None
    } else {
        Some(*rng.pick(POST_TEXTS))
    };
    Sample::new(PostCreated {
        customer_id: story.customer_id,
        post_id,
        group_id,
        user,
        content,
        image_url,
        created_at: rfc3339_seconds(story.occurred_at),
    })
}
