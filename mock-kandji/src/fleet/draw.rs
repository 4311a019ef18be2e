//! Small helpers for drawing from seeded generators: weighted picks, coin
//! flips and "decks" that deal exact proportions.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::seed::SeededRng;

/// Picks one element with probability proportional to `weight`.
pub fn weighted<'a, T>(rng: &mut SeededRng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for item in items {
        let w = weight(item);
        if ticket < w {
            return item;
        }
        ticket -= w;
    }
    &items[items.len() - 1]
}

/// True with probability `p`.
pub fn chance(rng: &mut SeededRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// Deals `n` cards: each `(card, share)` appears `round(n * share)` times
/// (at least once when `n >= guarantee_from`, so small proportions still
/// show up in a default fleet), `rest` fills the remainder, and the deck
/// is shuffled. Exact counts keep every situation present for any seed.
pub fn deck<T: Copy>(
    rng: &mut SeededRng,
    n: usize,
    shares: &[(T, f64)],
    rest: T,
    guarantee_from: usize,
) -> Vec<T> {
    let mut cards = Vec::with_capacity(n);
    for &(card, share) in shares {
        let mut count = (n as f64 * share).round() as usize;
        if count == 0 && share > 0.0 && n >= guarantee_from {
            count = 1;
        }
        let room = n - cards.len();
        cards.extend(std::iter::repeat_n(card, count.min(room)));
    }
    cards.resize(n, rest);
    cards.shuffle(rng);
    cards
}

/// A number in `low..=high` drawn uniformly.
pub fn between(rng: &mut SeededRng, low: i64, high: i64) -> i64 {
    rng.random_range(low..=high)
}

/// `len` characters from `alphabet`.
pub fn chars(rng: &mut SeededRng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::rng_for;

    #[test]
    fn a_deck_deals_exact_counts_and_guarantees_rare_cards() {
        let mut rng = rng_for(1, 1);
        let cards = deck(&mut rng, 100, &[('a', 0.25), ('b', 0.001)], 'z', 50);
        assert_eq!(cards.iter().filter(|c| **c == 'a').count(), 25);
        assert_eq!(cards.iter().filter(|c| **c == 'b').count(), 1);
        assert_eq!(cards.len(), 100);
        let tiny = deck(&mut rng, 3, &[('a', 0.01)], 'z', 50);
        assert_eq!(tiny, vec!['z'; 3]);
    }
}
