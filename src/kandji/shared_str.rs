//! Interned, immutable strings for the values Kandji repeats on every device.
//!
//! A fleet's app lists and library item statuses repeat a few hundred distinct strings (app
//! names, bundle ids, versions, paths, item names, statuses, blueprint references) across
//! hundreds of thousands of rows. Kept as `String`s, each row owns its own copy, and the
//! per-device caches hold a 5,000-device fleet in some 110 MB; interned, a repeated value costs
//! one pointer per use.
//!
//! [`SharedStr::new`] looks the text up in one process-wide set and hands out a clone of the
//! stored value, so equal strings share one allocation. The set keeps every value alive, but is
//! swept whenever it has doubled since the last sweep: values that nothing outside the set
//! holds any more are dropped then, so it stays within about twice the distinct values in use.
//!
//! The pointer is thin (an `Arc` of a boxed `str`, 8 bytes; an `Option` of it too) rather than
//! an `Arc<str>` (16 bytes): each distinct value pays one more small block, once, and each of
//! its many uses saves 8 bytes.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use serde::de::{Deserialize, Deserializer, Error, Visitor};
use serde::{Serialize, Serializer};

/// Text that equal values share: it derefs to `str`, compares, hashes and serialises as the
/// string it holds, and clones by bumping a count.
#[derive(Clone)]
pub struct SharedStr(Arc<Box<str>>);

impl SharedStr {
    /// The interned copy of `text`: the one already in use when there is one.
    pub fn new(text: &str) -> Self {
        INTERNER.intern(text)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        Self::new("")
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> Self {
        text.as_str().to_owned()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl Visitor<'_> for Text {
            type Value = SharedStr;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: Error>(self, text: &str) -> Result<SharedStr, E> {
                Ok(SharedStr::new(text))
            }
        }

        deserializer.deserialize_str(Text)
    }
}

/// Shards of the set, so that parallel deserialisation rarely waits on one lock.
const SHARDS: usize = 16;

/// A shard is not swept before it holds this many values.
const FIRST_SWEEP: usize = 1024;

static INTERNER: LazyLock<Interner> = LazyLock::new(Interner::default);

#[derive(Default)]
struct Interner {
    hasher: RandomState,
    shards: [Mutex<Shard>; SHARDS],
}

#[derive(Default)]
struct Shard {
    values: HashSet<SharedStr>,
    /// Sweep when the shard holds this many values (0: not yet set).
    sweep_at: usize,
}

impl Interner {
    fn intern(&self, text: &str) -> SharedStr {
        let shard = self.hasher.hash_one(text) as usize % SHARDS;
        // A panic elsewhere cannot leave the set inconsistent: keep using it.
        let mut shard = self.shards[shard]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = shard.values.get(text) {
            return value.clone();
        }
        shard.sweep_if_grown();
        let value = SharedStr(Arc::new(Box::from(text)));
        shard.values.insert(value.clone());
        value
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                s.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .values
                    .len()
            })
            .sum()
    }
}

impl Shard {
    /// Drops the values only the set still holds, once the shard has doubled since the last
    /// sweep. Nothing else can clone a value the set alone holds, so none comes back to life.
    fn sweep_if_grown(&mut self) {
        if self.values.len() < self.sweep_at.max(FIRST_SWEEP) {
            return;
        }
        self.values.retain(|value| Arc::strong_count(&value.0) > 1);
        self.values.shrink_to_fit();
        self.sweep_at = (self.values.len() * 2).max(FIRST_SWEEP);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let parsed: SharedStr = serde_json::from_str(r#""com.1password.1password""#).unwrap();
        let built = SharedStr::new(&String::from("com.1password.1password"));
        assert!(Arc::ptr_eq(&parsed.0, &built.0));
        assert_eq!(parsed, "com.1password.1password");
    }

    #[test]
    fn serialises_as_the_plain_string() {
        let texts = vec![Some(SharedStr::new("Say \"hi\"")), None];
        assert_eq!(
            serde_json::to_string(&texts).unwrap(),
            r#"["Say \"hi\"",null]"#
        );
        let back: Vec<Option<SharedStr>> = serde_json::from_str(r#"["Say \"hi\"",null]"#).unwrap();
        assert_eq!(back, texts);
    }

    #[test]
    fn values_nothing_holds_any_more_are_swept_and_held_ones_stay_shared() {
        let interner = Interner::default();
        let held: Vec<SharedStr> = (0..5)
            .map(|i| interner.intern(&format!("kept {i}")))
            .collect();
        for i in 0..100_000 {
            drop(interner.intern(&format!("passing {i}")));
        }

        // Each shard is swept at FIRST_SWEEP values at the latest once it keeps nothing else.
        assert!(interner.len() <= SHARDS * FIRST_SWEEP, "{}", interner.len());
        for (i, value) in held.iter().enumerate() {
            assert!(Arc::ptr_eq(
                &interner.intern(&format!("kept {i}")).0,
                &value.0
            ));
        }
    }

    #[test]
    fn an_option_of_it_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Option<SharedStr>>(), 8);
    }
}
