//! HMAC, the primitive under Cativa, Stripe, GitHub and Standard Webhooks signatures and under a
//! provider pack's `hmac` scheme. The one place that talks to the `hmac`, `sha1` and `sha2` crates.

use std::cell::RefCell;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

type HmacSha256 = Hmac<Sha256>;

/// The hash functions a provider pack may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// The HMAC of the concatenation of `parts` under `key` with `algorithm`.
pub fn digest_with(algorithm: Algorithm, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        Algorithm::Sha1 => run::<Hmac<Sha1>>(key, parts),
        Algorithm::Sha256 => digest(key, parts).to_vec(),
        Algorithm::Sha512 => run::<Hmac<Sha512>>(key, parts),
    }
}

/// How many keys each thread keeps keyed: the secrets of a rotation, and the keys a pack
/// derives from them.
const KEYED_KEYS: usize = 4;

thread_local! {
    /// The HMAC states once keyed, for the keys this thread used last. Checking a capture signs
    /// every request with the same few secrets, and keying costs two compressions, four for a
    /// key longer than a block (`whsec_` secrets are): a fifth of signing a 1 KiB body.
    static KEYED: RefCell<Vec<(Vec<u8>, HmacSha256)>> = const { RefCell::new(Vec::new()) };
}

/// HMAC-SHA256 keyed with `key`.
fn keyed(key: &[u8]) -> HmacSha256 {
    KEYED.with_borrow_mut(|keyed| {
        if let Some((_, mac)) = keyed.iter().find(|(known, _)| known.as_slice() == key) {
            return mac.clone();
        }
        let mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
        if keyed.len() == KEYED_KEYS {
            keyed.remove(0);
        }
        keyed.push((key.to_vec(), mac.clone()));
        mac
    })
}

/// The HMAC-SHA256 of the concatenation of `parts` under `key`.
pub fn digest(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = keyed(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Whether `expected` is the HMAC-SHA256 of `parts` under `key`, compared in constant time.
pub fn matches(key: &[u8], parts: &[&[u8]], expected: &[u8]) -> bool {
    matches_any(key, parts, [expected])
}

/// Whether any of `candidates` is the HMAC-SHA256 of `parts` under `key`, each compared in
/// constant time. The HMAC is computed once, however many signatures a header carries.
pub fn matches_any<'a>(
    key: &[u8],
    parts: &[&[u8]],
    candidates: impl IntoIterator<Item = &'a [u8]>,
) -> bool {
    use subtle::ConstantTimeEq;
    let expected = digest(key, parts);
    candidates
        .into_iter()
        .any(|candidate| bool::from(candidate.ct_eq(&expected)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4231_test_case_2() {
        let mac = digest(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(matches(b"Jefe", &[b"what do ya want for nothing?"], &mac));
        assert!(!matches(b"jefe", &[b"what do ya want for nothing?"], &mac));
        assert_eq!(
            digest_with(
                Algorithm::Sha256,
                b"Jefe",
                &[b"what do ya want for nothing?"]
            ),
            mac.to_vec()
        );
    }

    /// Keys kept keyed give what keys keyed afresh give, however they alternate and however
    /// many there are.
    #[test]
    fn digests_under_alternating_keys_are_those_of_fresh_keys() {
        let keys: Vec<Vec<u8>> = (0..KEYED_KEYS + 2)
            .map(|index| vec![b'k'; 60 + index])
            .collect();
        for round in 0..3 {
            for key in keys.iter().chain(keys.iter().rev()) {
                let message: &[&[u8]] = &[b"round ", &[round]];
                let mut fresh = HmacSha256::new_from_slice(key).unwrap();
                fresh.update(b"round ");
                fresh.update(&[round]);
                let fresh: [u8; 32] = fresh.finalize().into_bytes().into();
                assert_eq!(digest(key, message), fresh);
            }
        }
    }

    #[test]
    fn any_of_several_signatures_matches_and_none_of_the_wrong_ones() {
        let message: &[&[u8]] = &[b"what do ya want ", b"for nothing?"];
        let right = digest(b"Jefe", message);
        let wrong = [0u8; 32];
        let short = [0u8; 3];
        assert!(matches_any(
            b"Jefe",
            message,
            [&wrong[..], &short[..], &right[..]]
        ));
        assert!(!matches_any(b"Jefe", message, [&wrong[..], &short[..]]));
        assert!(!matches_any(b"Jefe", message, []));
    }

    #[test]
    fn rfc_4231_and_2202_other_hashes() {
        let message: &[&[u8]] = &[b"what do ya want for nothing?"];
        assert_eq!(
            hex::encode(digest_with(Algorithm::Sha512, b"Jefe", message)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
        assert_eq!(
            hex::encode(digest_with(Algorithm::Sha1, b"Jefe", message)),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }
}
