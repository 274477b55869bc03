//! The machinery that makes CG-1's rules fast without changing a result: trust in
//! fixed point for exact running sums, the logistic table that decides most dialogues
//! without `exp`, four-lane sums, masked means, the participant bitset, and reading the
//! memory of a block of dialogues ahead of playing it. `mod.rs` holds the rules.

use collabgov_core::RelationGraph;

use super::{Drawn, State};

/// 2^52: trust in the units of [`State::trust_sums`].
pub(super) const FIXED_ONE: f64 = (1u64 << 52) as f64;

/// `value` (in [0, 1]) in units of 2^-52, rounded to nearest: `1 + value` lies in [1, 2],
/// where doubles are spaced 2^-52 apart, so its bits minus those of 1.0 count the steps
/// (2.0 gives 2^52). Cheaper than a float-to-integer cast, and exact integer arithmetic.
#[inline]
pub(super) fn fixed(value: f64) -> i128 {
    ((1.0 + value).to_bits() - 1f64.to_bits()) as i128
}

/// Lowest `z` of the logistic table.
pub(super) const LOGISTIC_MIN: f64 = -16.0;

/// Table entries per unit of `z` (a power of two).
pub(super) const LOGISTIC_STEPS: f64 = 16.0;

/// Table entries: `z` from -16 to 16.
pub(super) const LOGISTIC_LEN: usize = 513;

/// Slack between a table value and the chance it bounds: far above the few units in the
/// last place by which `1 / (1 + exp(-z))` could fail to be monotone in `z`.
pub(super) const LOGISTIC_MARGIN: f64 = 1e-12;

/// The chance of a productive dialogue, `1 / (1 + exp(-z))`, as docs/model.md writes it.
#[inline]
pub(super) fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// [`logistic`] at `z = LOGISTIC_MIN + k / LOGISTIC_STEPS`, computed once.
pub(super) fn logistic_table() -> &'static [f64; LOGISTIC_LEN] {
    static TABLE: std::sync::OnceLock<[f64; LOGISTIC_LEN]> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| std::array::from_fn(|k| logistic(LOGISTIC_MIN + k as f64 / LOGISTIC_STEPS)))
}

/// Whether `u < logistic(z)`, decided exactly as that formula decides it, but calling
/// `exp` only when `u` is near the chance (about 5 % of dialogues). The formula grows with
/// `z`, so the table values at grid points on either side of `z` bound it: a `u` below the
/// lower bound (less a margin) is below the chance, one above the upper bound (plus the
/// margin) is not. The grid cell of `z` is widened by one on each side against rounding.
#[inline]
pub fn below_logistic(u: f64, z: f64) -> bool {
    let x = (z - LOGISTIC_MIN) * LOGISTIC_STEPS;
    if (1.0..(LOGISTIC_LEN - 3) as f64).contains(&x) {
        let table = logistic_table();
        let k = x as usize;
        if u < table[k - 1] - LOGISTIC_MARGIN {
            return true;
        }
        if u >= table[k + 2] + LOGISTIC_MARGIN {
            return false;
        }
    }
    u < logistic(z)
}

/// Reads the row bounds and the first and last neighbour of each speaker, in independent
/// loads, so that drawing the partners finds them in cache.
pub(super) fn warm_rows(graph: &RelationGraph, same_sector: &[bool], speakers: &[u32]) {
    let mut sink = 0u32;
    for &i in speakers {
        let neighbors = graph.neighbors(i as usize);
        if let (Some(first), Some(last)) = (neighbors.first(), neighbors.last()) {
            let start = graph.slots(i as usize).start;
            sink = sink.wrapping_add(first ^ last ^ same_sector[start] as u32);
        }
    }
    std::hint::black_box(sink);
}

/// Reads the trust slots, powers, views and productive marks a block of dialogues will use,
/// in independent loads, so that playing them in order finds them in cache.
pub(super) fn warm_dialogues(drawn: &[Drawn], state: &State, productive_bits: &[u64]) {
    let issues = state.issues;
    let mut sink = 0.0f64;
    let mut marks = 0u64;
    for d in drawn {
        marks ^= productive_bits[d.slot_ij.min(d.slot_ji) as usize / 64];
        let (i, j) = (d.i as usize, d.j as usize);
        sink += state.trust[d.slot_ij as usize]
            + state.trust[d.slot_ji as usize]
            + state.power[i]
            + state.power[j]
            + state.culture[i]
            + state.culture[j]
            + state.views[i * issues]
            + state.views[j * issues];
    }
    std::hint::black_box((sink, marks));
}

#[inline]
pub(super) fn takes_part(bits: &[u64], actor: usize) -> bool {
    (bits[actor / 64] >> (actor % 64)) & 1 == 1
}

/// How many of the bits `start..end` of `bits` are set.
pub(super) fn count_bits(bits: &[u64], start: usize, end: usize) -> usize {
    if start >= end {
        return 0;
    }
    let (first, last) = (start / 64, (end - 1) / 64);
    let low = u64::MAX << (start % 64);
    let high = u64::MAX >> (63 - (end - 1) % 64);
    if first == last {
        return (bits[first] & low & high).count_ones() as usize;
    }
    let middle: u32 = bits[first + 1..last].iter().map(|w| w.count_ones()).sum();
    ((bits[first] & low).count_ones() + middle + (bits[last] & high).count_ones()) as usize
}

/// Sum and count of the trusts of a row towards neighbours that take part: four lanes
/// (neighbour k in lane k mod 4, added as in [`lane_sum`]), masked instead of branching.
#[inline]
pub(super) fn participants_trust(
    neighbors: &[u32],
    trusts: &[f64],
    taking_part: &[u64],
) -> (f64, usize) {
    let mut lanes = [0.0f64; 4];
    let mut count = 0usize;
    let (js, ts) = (neighbors.chunks_exact(4), trusts.chunks_exact(4));
    let (j_rest, t_rest) = (js.remainder(), ts.remainder());
    for (j4, t4) in js.zip(ts) {
        for lane in 0..4 {
            let part = takes_part(taking_part, j4[lane] as usize);
            lanes[lane] += masked(t4[lane], part);
            count += part as usize;
        }
    }
    let mut rest = 0.0;
    for (&j, &trust) in j_rest.iter().zip(t_rest) {
        let part = takes_part(taking_part, j as usize);
        rest += masked(trust, part);
        count += part as usize;
    }
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + rest, count)
}

/// Sums `value(0) + ... + value(n - 1)` in four interleaved lanes (k mod 4), added at the
/// end as `(l0 + l1) + (l2 + l3)`, then the remainder: four independent chains of additions
/// instead of one, with a fixed order, so the result never depends on threads.
#[inline(always)]
pub fn lane_sum(n: usize, value: impl Fn(usize) -> f64) -> f64 {
    let mut lanes = [0.0f64; 4];
    let full = n - n % 4;
    for k in (0..full).step_by(4) {
        lanes[0] += value(k);
        lanes[1] += value(k + 1);
        lanes[2] += value(k + 2);
        lanes[3] += value(k + 3);
    }
    let mut rest = 0.0;
    for k in full..n {
        rest += value(k);
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + rest
}

/// `value` when `keep`, else 0.0, by masking its bits (the compiler may still choose a
/// branch where it sees a select; the hot loops were checked with cachegrind).
#[inline(always)]
pub(super) fn masked(value: f64, keep: bool) -> f64 {
    f64::from_bits(value.to_bits() & u64::from(keep).wrapping_neg())
}

/// `sum / count`, or NaN (an empty value) when `count` is 0.
pub(super) fn mean(sum: f64, count: usize) -> f64 {
    if count == 0 {
        f64::NAN
    } else {
        sum / count as f64
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::{below_logistic, count_bits, logistic};

    #[test]
    fn count_bits_counts_each_range_as_a_loop_would() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let bits: Vec<u64> = (0..5).map(|_| rng.random()).collect();
        let set = |i: usize| (bits[i / 64] >> (i % 64)) & 1 == 1;
        for start in 0..320 {
            for end in start..=320 {
                let by_loop = (start..end).filter(|&i| set(i)).count();
                assert_eq!(count_bits(&bits, start, end), by_loop, "{start}..{end}");
            }
        }
    }

    fn formula(u: f64, z: f64) -> bool {
        u < logistic(z)
    }

    #[test]
    fn logistic_shortcut_decides_as_the_formula() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut near = 0;
        for _ in 0..2_000_000 {
            let z: f64 = rng.random_range(-20.0..20.0);
            let chance = logistic(z);
            // Uniform draws, and draws within a few units in the last place of the chance.
            let u = if rng.random::<bool>() {
                rng.random::<f64>()
            } else {
                near += 1;
                let ulps = rng.random_range(-4i64..=4);
                f64::from_bits((chance.to_bits() as i64 + ulps) as u64)
            };
            assert_eq!(below_logistic(u, z), formula(u, z), "u = {u}, z = {z}");
        }
        assert!(near > 900_000);
        // Grid points, cell edges and the ends of the table.
        for k in -600..=600 {
            let z = f64::from(k) / 32.0;
            for u in [0.0, 0.5, logistic(z), 0.999_999] {
                assert_eq!(below_logistic(u, z), formula(u, z), "u = {u}, z = {z}");
            }
        }
    }
}
