//! The catalogue against its fixtures: every sample validates for many seeds, the providers'
//! documented examples validate, every invalid fixture fails, and the samples tell consistent
//! stories (mirrors, badges, date order).

use std::path::{Path, PathBuf};

use hooktool::domain::catalogue::{self, Event};
use hooktool::domain::pack::{self, Manifest};
use hooktool::domain::sample_data::SampleRng;
use hooktool::domain::schema;
use jiff::Timestamp;
use serde_json::Value;

const SEEDS: u64 = 300;

/// The built-in manifests parsed ahead of time, which hooktool starts from, are what the shipped
/// TOML files parse to, for every folder under `providers/`. After editing a
/// `providers/*/provider.toml`, rewrite them with
/// `HOOKTOOL_WRITE_BUILT_IN_MANIFESTS=1 cargo test built_in_manifests`.
#[test]
fn built_in_manifests_are_the_provider_files_parsed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders: Vec<String> = std::fs::read_dir(root.join("providers"))
        .unwrap()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut ids = catalogue::BUILT_IN_IDS.map(str::to_string).to_vec();
    ids.sort();
    assert_eq!(
        folders, ids,
        "every folder under providers/ is a built-in pack"
    );
    let parsed: Vec<Manifest> = catalogue::BUILT_IN_IDS
        .iter()
        .map(|id| {
            let file = format!("providers/{id}/{}", pack::MANIFEST);
            let text = std::fs::read_to_string(root.join(&file)).unwrap();
            pack::parse_manifest(&file, &text).unwrap()
        })
        .collect();
    let embedded_path = root.join("src/domain/catalogue/built_in_manifests.json");
    let embedded = std::fs::read_to_string(&embedded_path).unwrap();
    let embedded = serde_json::from_str::<Vec<Manifest>>(&embedded);
    if embedded.as_ref().is_ok_and(|embedded| *embedded == parsed) {
        return;
    }
    if std::env::var_os("HOOKTOOL_WRITE_BUILT_IN_MANIFESTS").is_some() {
        let json = serde_json::to_string_pretty(&parsed).unwrap() + "\n";
        std::fs::write(embedded_path, json).unwrap();
    } else {
        let why = match embedded {
            Ok(_) => "is not".to_string(),
            Err(error) => format!("cannot be read ({error}) as"),
        };
        panic!(
            "src/domain/catalogue/built_in_manifests.json {why} what providers/*/provider.toml \
             parse to: rewrite it with `HOOKTOOL_WRITE_BUILT_IN_MANIFESTS=1 cargo test \
             built_in_manifests`"
        );
    }
}

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
    // Beedeez's example fills its ids with placeholders: it is among the invalid fixtures.
    assert_eq!(documented, 2, "Cativa's and Wix's documented examples");
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
fn generated_fixtures_are_what_generate_prints_for_seed_1() {
    let now = Timestamp::from_second(1_700_000_000).unwrap();
    for (path, event) in fixture_files(&fixtures().join("valid")) {
        if !path.ends_with("generated.json") {
            continue;
        }
        let mut expected = event
            .sample_json(&mut SampleRng::new(1, now))
            .unwrap()
            .bytes;
        expected.push(b'\n');
        assert!(
            std::fs::read(&path).unwrap() == expected,
            "{} is not `hooktool generate {} --seed 1 --now 1700000000 --format payload`",
            path.display(),
            event.name
        );
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
            "documented-placeholders" => "matching",
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
fn beedeezs_documented_example_fails_only_on_its_placeholder_ids() {
    let path =
        fixtures().join("invalid/beedeez/certificate_completed/documented-placeholders.json");
    let document = read_json(&path);
    assert_eq!(
        document["_id"], "badge_user_id",
        "the seed's own placeholders"
    );
    let event = catalogue::find("certificate_completed").unwrap();
    let violations = schema::validate(event, &document);
    for violation in &violations {
        assert!(
            violation.message.contains("^[0-9a-f]{24}$"),
            "only ObjectIds fail: {violation}"
        );
    }
    let mut pointers: Vec<&str> = violations.iter().map(|v| v.pointer.as_str()).collect();
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        [
            "/_badgeId",
            "/_id",
            "/_lessonActiveIds/0",
            "/_lessonActiveIds/1",
            "/_ownerId",
            "/_userId",
        ]
    );
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
    let mut post_kinds = std::collections::BTreeSet::new();
    let mut without_phone = 0;
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

        // A phone number is a string "when provided": without one, the field is left out
        // (assumed), never null, and the top-level mirror goes with it.
        assert_eq!(
            doc.get("PhoneNumber").is_some(),
            user.get("PhoneNumber").is_some(),
            "seed {seed}"
        );
        match user.get("PhoneNumber") {
            Some(phone) => assert!(phone.is_string(), "seed {seed}: {phone}"),
            None => without_phone += 1,
        }

        let doc = sample(received, seed);
        let badges = doc["User"]["Badges"].as_array().unwrap();
        assert!(
            badges.contains(&doc["BadgeId"]),
            "seed {seed}: User.Badges holds BadgeId"
        );
        assert!(time(&doc["User"]["CreatedAt"]) < time(&doc["ReceivedAt"]));
        assert!(doc["User"].get("PhoneNumber").is_none_or(Value::is_string));

        let doc = sample(post, seed);
        assert!(time(&doc["User"]["CreatedAt"]) < time(&doc["CreatedAt"]));
        post_kinds.insert((doc["Content"].is_string(), doc["ImageUrl"].is_string()));
    }
    assert!(without_phone > 0, "some users gave no phone number");
    // Text only (or with a video), text and image, image only, and video only: Cativa leaves
    // `Content` null for media-only posts and `ImageUrl` null for videos.
    assert_eq!(
        post_kinds.into_iter().collect::<Vec<_>>(),
        [(false, false), (false, true), (true, false), (true, true)]
    );
}

#[test]
fn wix_and_beedeez_samples_are_internally_consistent() {
    let (mut expired_on_expiry, mut sent_with_reminder) = (0, 0);
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
        // Sent on expiry, or when the expiry reminder email goes out, before it.
        if time(&expired["expires"]) < now {
            expired_on_expiry += 1;
            assert!(time(&expired["updatedAt"]) >= time(&expired["expires"]));
        } else {
            sent_with_reminder += 1;
        }
        assert_eq!(expired["expiryReminderSent"], true, "seed {seed}");
        assert!(time(&expired["updatedAt"]) <= now, "seed {seed}");
        assert!(time(&expired["creationDate"]) < time(&expired["expires"]));
    }
    assert!(expired_on_expiry > 0 && sent_with_reminder > 0);
}
