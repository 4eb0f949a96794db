//! Seeded fake data for sample payloads: people, ids in each provider's style, dates and words.
//! The one place that talks to the `fake`, `rand`, `ulid` and `uuid` crates.

use fake::Fake;
use fake::faker::name::raw::{FirstName, LastName};
use fake::faker::phone_number::raw::CellNumber;
use fake::locales::{EN, FR_FR, PT_BR};
use jiff::{SignedDuration, Timestamp};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::digits::push_zero_padded;

/// The language a provider's users are sampled from, so names and phone numbers look local.
#[derive(Debug, Clone, Copy)]
pub enum Locale {
    /// Cativa communities are Brazilian.
    Brazil,
    /// Beedeez is a French learning platform.
    France,
    /// Wix sites are worldwide; English names.
    English,
}

/// A sample person with mutually consistent name, username, email and phone.
#[derive(Debug, Clone)]
pub struct Person {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub display_name: String,
    pub username: String,
    pub email: String,
    pub phone: String,
}

/// A deterministic source of sample data: the same seed and `now` give the same values on every
/// machine (ChaCha8 is portable and `Cargo.lock` pins the data tables).
pub struct SampleRng {
    rng: ChaCha8Rng,
    now: Timestamp,
    seed: u64,
}

impl SampleRng {
    pub fn new(seed: u64, now: Timestamp) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            now,
            seed,
        }
    }

    /// The delivery time the sample is built around.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// `len` random characters from `0-9A-Za-z`.
    pub fn base62(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..len).map(|_| char::from(*self.pick(ALPHABET))).collect()
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.rng.random_bool(probability)
    }

    pub fn number(&mut self, range: std::ops::RangeInclusive<u64>) -> u64 {
        self.rng.random_range(range)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    /// A moment between `min` and `max` before `anchor`, at millisecond precision.
    pub fn before(
        &mut self,
        anchor: Timestamp,
        min: SignedDuration,
        max: SignedDuration,
    ) -> Timestamp {
        let span = self
            .rng
            .random_range(min.as_millis() as i64..=max.as_millis() as i64);
        round_to_millisecond(anchor - SignedDuration::from_millis(span))
    }

    pub fn person(&mut self, locale: Locale) -> Person {
        let (first_name, last_name, phone): (&'static str, &'static str, String) = match locale {
            Locale::Brazil => (
                FirstName(PT_BR).fake_with_rng(&mut self.rng),
                LastName(PT_BR).fake_with_rng(&mut self.rng),
                e164(
                    "+55",
                    &CellNumber(PT_BR).fake_with_rng::<String, _>(&mut self.rng),
                ),
            ),
            Locale::France => (
                FirstName(FR_FR).fake_with_rng(&mut self.rng),
                LastName(FR_FR).fake_with_rng(&mut self.rng),
                e164(
                    "+33",
                    &CellNumber(FR_FR).fake_with_rng::<String, _>(&mut self.rng),
                ),
            ),
            Locale::English => (
                FirstName(EN).fake_with_rng(&mut self.rng),
                LastName(EN).fake_with_rng(&mut self.rng),
                format!("+1555{:07}", self.rng.random_range(0..10_000_000u32)),
            ),
        };
        // The email starts with "first.last", which is also one of the two username shapes, so
        // both are cut from one buffer instead of slugging each name into a string of its own.
        let mut email = String::with_capacity(
            first_name.len() + ".".len() + last_name.len() + "@example.com".len(),
        );
        push_ascii_slug(&mut email, first_name, "");
        let first_end = email.len();
        email.push('.');
        push_ascii_slug(&mut email, last_name, "");
        let username = if self.chance(0.5) {
            email.clone()
        } else {
            let number = self.rng.random_range(1..100u32);
            let mut username = String::with_capacity(first_end + 2);
            username.push_str(&email[..first_end]);
            username.push_str(itoa::Buffer::new().format(number));
            username
        };
        let domain = *self.pick(&["example.com", "example.org", "example.net"]);
        email.push('@');
        email.push_str(domain);
        let mut display_name = String::with_capacity(first_name.len() + 1 + last_name.len());
        display_name.push_str(first_name);
        display_name.push(' ');
        display_name.push_str(last_name);
        Person {
            display_name,
            email,
            first_name,
            last_name,
            username,
            phone,
        }
    }

    /// A ULID created at `at`, as Cativa's examples use (26 upper-case Crockford characters).
    pub fn ulid(&mut self, at: Timestamp) -> String {
        let millis = u64::try_from(at.as_millisecond()).unwrap_or(0);
        ulid::Ulid::from_parts(millis, self.rng.random()).to_string()
    }

    /// A random (version 4) GUID, as Wix uses.
    pub fn guid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.random())
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer())
            .to_owned()
    }

    /// The source of the ids of the event named `event_name` (Cativa's execution id, the Wix
    /// event's `id`): a stream of its own for that name under this seed. Its ids never depend on
    /// how many values the sample drew, so two events generated with one seed and `now` never
    /// share one, which a receiver deduplicating by id would take for a retry.
    pub fn event_ids(&self, event_name: &str) -> SampleRng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(stable_hash(event_name));
        SampleRng {
            rng,
            now: self.now,
            seed: self.seed,
        }
    }

    /// A MongoDB ObjectId created at `at`, as Beedeez uses: 4 bytes of Unix seconds, 8 random.
    pub fn object_id(&mut self, at: Timestamp) -> String {
        let seconds = u32::try_from(at.as_second()).unwrap_or(0);
        let random: u64 = self.rng.random();
        let mut id = [0; 12];
        id[..4].copy_from_slice(&seconds.to_be_bytes());
        id[4..].copy_from_slice(&random.to_be_bytes());
        lower_hex(&id)
    }

    /// Lower-case hex of `bytes` random bytes.
    pub fn hex(&mut self, bytes: usize) -> String {
        let random: Vec<u8> = (0..bytes).map(|_| self.rng.random::<u8>()).collect();
        lower_hex(&random)
    }

    /// A `#RRGGBB` colour.
    pub fn colour(&mut self) -> String {
        format!("#{:06X}", self.rng.random_range(0..0x0100_0000u32))
    }
}

/// FNV-1a of `text`: the same number on every machine and Rust release, which std's hashers do
/// not promise, so that a seed gives the same ids everywhere.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Like `hex::encode`, which builds its string a `char` at a time.
fn lower_hex(bytes: &[u8]) -> String {
    let mut digits = vec![0; bytes.len() * 2];
    hex::encode_to_slice(bytes, &mut digits).expect("two digits per byte");
    String::from_utf8(digits).expect("hex digits are ASCII")
}

/// Lower-case ASCII words joined by `separator`: "Édith Piaf!" → "edith-piaf" with "-".
pub fn ascii_slug(text: &str, separator: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    push_ascii_slug(&mut slug, text, separator);
    slug
}

/// Appends the slug of `text` to `out` without a string per word.
fn push_ascii_slug(out: &mut String, text: &str, separator: &str) {
    // Borrows instead of copying when `text` is already ASCII, as most names are.
    let ascii = deunicode::deunicode_with_tofu_cow(text, "[?]");
    // Split between bytes: any byte of a character outside ASCII separates words too.
    let mut words = ascii
        .as_bytes()
        .split(|byte| !byte.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty());
    if let Some(first) = words.next() {
        push_lowercase(out, first);
        for word in words {
            out.push_str(separator);
            push_lowercase(out, word);
        }
    }
}

fn push_lowercase(out: &mut String, ascii_word: &[u8]) {
    let start = out.len();
    out.push_str(std::str::from_utf8(ascii_word).expect("split between ASCII bytes"));
    out[start..].make_ascii_lowercase();
}

/// `"(11) 91234-5678"` → `"+5511912345678"`: local formats to E.164 with the country code.
fn e164(country_code: &str, local: &str) -> String {
    let mut number = String::with_capacity(country_code.len() + local.len());
    number.push_str(country_code);
    number.extend(
        local
            .chars()
            .filter(char::is_ascii_digit)
            .skip_while(|digit| *digit == '0'),
    );
    number
}

/// `at` rounded to the nearest millisecond, halves away from zero, as jiff's `round` does: the
/// same result without its general machinery, which every sample pays a few times.
fn round_to_millisecond(at: Timestamp) -> Timestamp {
    const MILLISECOND: i128 = 1_000_000;
    let nanos = at.as_nanosecond();
    let below = nanos.rem_euclid(MILLISECOND);
    let down = nanos - below;
    let up = below * 2 > MILLISECOND || (below * 2 == MILLISECOND && nanos > 0);
    let rounded = if up { down + MILLISECOND } else { down };
    Timestamp::from_nanosecond(rounded).unwrap_or(at)
}

/// RFC 3339 in UTC with milliseconds, as the providers' examples write times.
pub fn rfc3339_millis(at: Timestamp) -> String {
    format!("{at:.3}")
}

/// RFC 3339 in UTC with whole seconds (`2026-04-12T14:32:01Z`), as Cativa's examples write times.
pub fn rfc3339_seconds(at: Timestamp) -> String {
    let at = at.round(jiff::Unit::Second).unwrap_or(at);
    let time = jiff::tz::TimeZone::UTC.to_datetime(at);
    if !(1000..=9999).contains(&time.year()) {
        return format!("{at:.0}");
    }
    // Every Cativa sample carries two or three of these.
    let mut text = String::with_capacity("2026-04-12T14:32:01Z".len());
    let fields = [
        (time.year(), 4, '-'),
        (i16::from(time.month()), 2, '-'),
        (i16::from(time.day()), 2, 'T'),
        (i16::from(time.hour()), 2, ':'),
        (i16::from(time.minute()), 2, ':'),
        (i16::from(time.second()), 2, 'Z'),
    ];
    for (value, width, after) in fields {
        push_zero_padded(&mut text, value.unsigned_abs(), width);
        text.push(after);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng() -> SampleRng {
        SampleRng::new(1, Timestamp::from_second(1_700_000_000).unwrap())
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let a = rng().person(Locale::Brazil);
        let b = rng().person(Locale::Brazil);
        assert_eq!(a.email, b.email);
        assert_eq!(a.phone, b.phone);
    }

    #[test]
    fn ids_have_each_providers_shape() {
        let mut rng = rng();
        let now = rng.now();
        assert_eq!(rng.ulid(now).len(), 26);
        let guid = rng.guid();
        assert_eq!(guid.len(), 36);
        assert_eq!(&guid[14..15], "4");
        let object_id = rng.object_id(now);
        assert_eq!(object_id.len(), 24);
        assert!(object_id.starts_with(&format!("{:08x}", 1_700_000_000u32)));
    }

    #[test]
    fn event_ids_depend_on_seed_and_event_name_only() {
        let mut drawn = rng();
        let now = drawn.now();
        let before = drawn.event_ids("post_created").ulid(now);
        drawn.person(Locale::Brazil);
        assert_eq!(drawn.event_ids("post_created").ulid(now), before);
        assert_ne!(drawn.event_ids("user_received_badge").ulid(now), before);
        let other_seed = SampleRng::new(2, now);
        assert_ne!(other_seed.event_ids("post_created").ulid(now), before);
        assert_ne!(drawn.event_ids("a").guid(), drawn.event_ids("b").guid());
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn phone_numbers_are_e164() {
        let mut rng = rng();
        for locale in [Locale::Brazil, Locale::France, Locale::English] {
            let phone = rng.person(locale).phone;
            assert!(phone.starts_with('+'), "{phone}");
            assert!(phone[1..].chars().all(|c| c.is_ascii_digit()), "{phone}");
            assert!((11..=15).contains(&phone.len()), "{phone}");
        }
    }

    #[test]
    fn emails_and_usernames_are_plain_ascii() {
        let mut rng = rng();
        for _ in 0..200 {
            let person = rng.person(Locale::France);
            assert!(person.email.is_ascii() && !person.email.contains(' '));
            assert!(person.username.is_ascii() && !person.username.contains(' '));
        }
    }

    #[test]
    fn times_round_to_the_millisecond_as_jiff_rounds_them() {
        let mut nanos: i128 = -377_705_023_201 * 1_000_000_000;
        let step = 12_345_678_901_234_567;
        while nanos < 253_402_207_200 * 1_000_000_000 {
            for offset in [
                0, 1, 499_999, 500_000, 500_001, 999_999, -1, -500_000, -500_001,
            ] {
                let Ok(at) = Timestamp::from_nanosecond(nanos + offset) else {
                    continue;
                };
                let expected = at.round(jiff::Unit::Millisecond).unwrap_or(at);
                assert_eq!(round_to_millisecond(at), expected, "{}", nanos + offset);
            }
            nanos += step;
        }
    }

    #[test]
    fn whole_second_times_print_as_jiff_prints_them() {
        let mut second: i64 = -62_135_596_800; // 0001-01-01
        while second < 253_402_207_200 {
            for nanos in [0, 1, 499_999_999, 500_000_000, 999_999_999] {
                let at = Timestamp::new(second, nanos).unwrap();
                let expected = format!("{:.0}", at.round(jiff::Unit::Second).unwrap_or(at));
                assert_eq!(rfc3339_seconds(at), expected, "{second}.{nanos}");
            }
            second += 7_777_777;
        }
    }

    #[test]
    fn slugs_are_the_lower_case_ascii_words_of_the_transliterated_text() {
        // The words as a split on characters finds them.
        let by_characters = |text: &str| -> String {
            deunicode::deunicode_with_tofu(text, "[?]")
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
                .join("-")
        };
        for name in [
            "Édith Piaf!",
            "João  da Conceição",
            "O'Brien-Smith 3rd",
            "",
            "!!",
            "Zoë 🎉 Ünal",
            "北京",
            "\u{10FFFF}x\u{0}y",
        ] {
            assert_eq!(ascii_slug(name, "-"), by_characters(name), "{name}");
        }
        assert_eq!(ascii_slug("Édith Piaf!", "-"), "edith-piaf");
    }

    #[test]
    fn times_print_as_rfc3339() {
        let at = Timestamp::from_millisecond(1_700_000_000_123).unwrap();
        assert_eq!(rfc3339_millis(at), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339_seconds(at), "2023-11-14T22:13:20Z");
    }
}
