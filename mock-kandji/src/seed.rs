//! Stable seeds, so that one `--seed` gives the same fleet byte for byte.
//!
//! Every generated value descends from the run's seed through [`mix`]: the
//! tenant from (seed, region, subdomain), a device from (tenant, index), a
//! device's apps from (device, [`salt::APPS`]) and so on. Deriving instead of
//! storing lets an endpoint rebuild one device's details without touching
//! the rest of the fleet. The mixer is written out here (SplitMix64 and
//! FNV-1a) rather than taken from `std::hash`, whose output may change
//! between Rust releases.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random number generator behind every generated value.
pub type SeededRng = ChaCha8Rng;

/// Purposes that keep the random streams of one device apart.
pub mod salt {
    /// The device record itself.
    pub const DEVICE: u64 = 0x0101;
    /// The device's installed applications.
    pub const APPS: u64 = 0x0202;
    /// The device's library item statuses.
    pub const LIBRARY: u64 = 0x0303;
    /// The device's details (hardware, volumes, network).
    pub const DETAILS: u64 = 0x0404;
    /// The device's blueprint parameter statuses.
    pub const PARAMETERS: u64 = 0x0505;
    /// Prism-only facts (firewall options and the like).
    pub const PRISM: u64 = 0x0606;
}

/// One SplitMix64 step: a fast, well-spread bijection on `u64`.
pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Combines two seeds into a third; order matters.
pub fn mix(a: u64, b: u64) -> u64 {
    splitmix(a ^ splitmix(b))
}

/// FNV-1a over the bytes of `text`, for seeding from names.
pub fn hash_str(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A generator for one purpose of one seeded thing.
pub fn rng_for(seed: u64, purpose: u64) -> SeededRng {
    ChaCha8Rng::seed_from_u64(mix(seed, purpose))
}

/// A version-4 UUID in Kandji's lowercase hyphenated form, drawn from `rng`.
pub fn uuid(rng: &mut SeededRng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixing_is_stable_across_runs() {
        // Published reference values: a change here changes every fleet.
        assert_eq!(hash_str(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash_str("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(splitmix(0), 0xe220_a839_7b1d_cdaf);
        assert_ne!(mix(42, 1), mix(1, 42));
    }

    #[test]
    fn uuids_are_version_4_and_repeatable() {
        let a = uuid(&mut rng_for(7, salt::DEVICE));
        let b = uuid(&mut rng_for(7, salt::DEVICE));
        assert_eq!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }
}
