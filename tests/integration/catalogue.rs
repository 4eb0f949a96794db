//! The catalogue against its fixtures: every sample validates for many seeds, the providers'
//! documented examples validate, every invalid fixture fails, and the samples tell consistent
//! stories (mirrors, badges, date order).

use std::path::{Path, PathBuf};

use hooktool::domain::catalogue::{self, Event};
use hooktool::domain::sample_data::SampleRng;
use hooktool::domain::schema;
use jiff::Timestamp;
use serde_json::Value;

const SEEDS: u64 = 300;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn sample(event: &Event, seed: u64) -> Value {
    let now = Timestamp::from_second(1_700_000_000 + seed as i64 * 7919).unwrap();
    event.sample(&mut SampleRng::new(seed, now)).unwrap()
}

/// JSON files under `dir`, with the event named by their parent directory.
fn fixture_files(dir: &Path) -> Vec<(PathBuf, &'static Event)> {
    let mut files = Vec::new();
    for provider in std::fs::read_dir(dir).unwrap() {
        for event_dir in std::fs::read_dir(provider.unwrap().path()).unwrap() {
            let event_dir = event_dir.unwrap().path();
            let name = event_dir.file_name().unwrap().to_str().unwrap().to_string();
            let event = catalogue::find(&name).unwrap_or_else(|_| panic!("{name} is an event"));
            for file in std::fs::read_dir(&event_dir).unwrap() {
                files.push((file.unwrap().path(), event));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn every_sample_of_every_event_validates_for_many_seeds() {
    for &event in catalogue::events() {
        for seed in 0..SEEDS {
            let document = sample(event, seed);
            let violations = schema::validate(event, &document);
            assert!(
                violations.is_empty(),
                "{} seed {seed}: {violations:?}\n{document:#}",
                event.name
            );
        }
    }
}

#[test]
fn documented_and_generated_fixtures_validate() {
    let files = fixture_files(&fixtures().join("valid"));
    let documented = files
        .iter()
        .filter(|(path, _)| path.ends_with("documented.json"))
        .count();
    assert_eq!(documented, 3, "one documented example per provider");
    for &event in catalogue::events() {
        assert!(
            files.iter().any(|(_, e)| std::ptr::eq(*e, event)),
            "{} has a valid fixture",
            event.name
        );
    }
    for (path, event) in files {
        let violations = schema::validate(event, &read_json(&path));
        assert!(violations.is_empty(), "{}: {violations:?}", path.display());
    }
}

#[test]
fn invalid_fixtures_fail_with_the_mistake_their_name_says() {
    let files = fixture_files(&fixtures().join("invalid"));
    for kind in [
        "missing-required-field",
        "wrong-type",
        "bad-date-time",
        "null-not-allowed",
        "wrong-id-shape",
    ] {
        for &provider in catalogue::providers() {
            assert!(
                files
                    .iter()
                    .any(|(path, event)| event.provider == provider
                        && path.file_stem().unwrap() == kind),
                "{provider} has a {kind} fixture"
            );
        }
    }
    for (path, event) in files {
        let violations = schema::validate(event, &read_json(&path));
        assert!(
            !violations.is_empty(),
            "{} should be invalid",
            path.display()
        );
        let messages: String = violations.iter().map(|v| format!("{v}\n")).collect();
        let expected = match path.file_stem().unwrap().to_str().unwrap() {
            "missing-required-field" | "mirror-field-misspelled" => "missing required field",
            "wrong-type" => "expected a",
            "null-not-allowed" => "found null",
            "bad-date-time" => "date-time",
            "wrong-id-shape" => "matching",
            "wrong-slug" => "expected \"deleted\"",
            other => panic!("unexpected fixture {other}"),
        };
        assert!(
            messages.contains(expected),
            "{}: {messages}",
            path.display()
        );
    }
}

#[test]
fn schema_files_are_exactly_the_catalogues() {
    let providers = Path::new(env!("CARGO_MANIFEST_DIR")).join("providers");
    for &provider in catalogue::providers() {
        let folder = providers.join(provider.id).join("events");
        let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        on_disk.sort();
        let mut expected: Vec<String> = catalogue::events_of(provider)
            .map(Event::schema_file_name)
            .collect();
        expected.sort();
        assert_eq!(on_disk, expected, "{}", folder.display());
        for event in catalogue::events_of(provider) {
            let on_disk = std::fs::read_to_string(folder.join(event.schema_file)).unwrap();
            assert_eq!(
                on_disk, event.schema,
                "{} is embedded as shipped",
                event.name
            );
        }
    }
    let users: Vec<Value> = catalogue::events_of(catalogue::provider("cativa").unwrap())
        .map(|event| serde_json::from_str::<Value>(event.schema).unwrap()["$defs"].clone())
        .collect();
    assert!(
        users.windows(2).all(|pair| pair[0] == pair[1]),
        "Cativa events share one User"
    );
}

fn time(value: &Value) -> Timestamp {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn cativa_samples_are_internally_consistent() {
    let user_created = catalogue::find("user_created").unwrap();
    let received = catalogue::find("user_received_badge").unwrap();
    let post = catalogue::find("post_created").unwrap();
    for seed in 0..SEEDS {
        let doc = sample(user_created, seed);
        let user = &doc["User"];
        assert_eq!(doc["UserId"], user["Id"]);
        for field in [
            "Email",
            "FirstName",
            "LastName",
            "DisplayName",
            "Username",
            "PhoneNumber",
            "CreatedAt",
        ] {
            assert_eq!(doc[field], user[field], "seed {seed}: {field}");
        }
        assert_eq!(user["Badges"], Value::Array(vec![]));

        let doc = sample(received, seed);
        let badges = doc["User"]["Badges"].as_array().unwrap();
        assert!(
            badges.contains(&doc["BadgeId"]),
            "seed {seed}: User.Badges holds BadgeId"
        );
        assert!(time(&doc["User"]["CreatedAt"]) < time(&doc["ReceivedAt"]));

        let doc = sample(post, seed);
        assert!(time(&doc["User"]["CreatedAt"]) < time(&doc["CreatedAt"]));
        assert!(
            !(doc["Content"].is_null() && doc["ImageUrl"].is_null()),
            "a post has text or an image"
        );
    }
}

#[test]
fn wix_and_beedeez_samples_are_internally_consistent() {
    for seed in 0..SEEDS {
        for name in ["badge_created", "badge_updated", "badge_assignment_created"] {
            let doc = sample(catalogue::find(name).unwrap(), seed);
            let entity = doc
                .get("createdEvent")
                .map(|b| &b["entity"])
                .unwrap_or(&doc["updatedEvent"]["currentEntity"]);
            assert_eq!(doc["entityId"], entity["id"], "{name} seed {seed}");
            assert!(time(&entity["createdDate"]) <= time(&entity["updatedDate"]));
        }
        let completed = sample(catalogue::find("certificate_completed").unwrap(), seed);
        if !completed["expires"].is_null() {
            assert!(time(&completed["creationDate"]) < time(&completed["expires"]));
        }
        let expired = sample(catalogue::find("certificate_expired").unwrap(), seed);
        let now = Timestamp::from_second(1_700_000_000 + seed as i64 * 7919).unwrap();
        assert!(
            time(&expired["expires"]) < now,
            "seed {seed}: expired in the past"
        );
        assert!(time(&expired["creationDate"]) < time(&expired["expires"]));
    }
}
