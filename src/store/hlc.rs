//! Hybrid logical clock: wall-clock milliseconds in the high bits, a counter in the low 16,
//! so timestamps order like time yet never repeat or run backwards on one device, even when
//! the laptop's clock is wrong.

use std::time::{SystemTime, UNIX_EPOCH};

/// One HLC reading, comparable as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc(pub i64);

/// Milliseconds in a day: how far ahead of the importer's wall clock an op may be.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl Hlc {
    /// The next timestamp after `last`, at least the wall clock now. Checked arithmetic:
    /// at the very end of the range (only a database poisoned by a far-future clock, which
    /// imports now refuse, gets there) it stays at `i64::MAX` rather than wrapping to a
    /// negative reading that would lose to everything.
    pub fn tick(last: Hlc) -> Hlc {
        let now = Hlc::from_millis(wall_millis());
        Hlc(now.0.max(last.0.saturating_add(1)))
    }

    /// The reading for a wall-clock time (its counter at 0), clamped to the range.
    pub fn from_millis(ms: i64) -> Hlc {
        Hlc(ms.clamp(0, i64::MAX >> 16) << 16)
    }

    /// The reading `ms` milliseconds after the wall clock now (saturating).
    pub fn now_plus(ms: i64) -> Hlc {
        Hlc::from_millis(wall_millis().saturating_add(ms))
    }

    /// Wall-clock milliseconds since 1970 this reading stands for.
    pub fn millis(self) -> i64 {
        self.0 >> 16
    }
}

/// This computer's clock in milliseconds since 1970. `LOUZU_TEST_CLOCK_SKEW_SECS` shifts it
/// (tests only: a laptop whose clock is hours or years off).
pub fn wall_millis() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let skew = std::env::var("LOUZU_TEST_CLOCK_SKEW_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    now.saturating_add(skew.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_goes_backwards_even_if_last_is_in_the_future() {
        let future = Hlc((i64::from(u32::MAX) * 1000) << 16);
        let next = Hlc::tick(future);
        assert!(next > future);
        let a = Hlc::tick(Hlc(0));
        let b = Hlc::tick(a);
        assert!(b > a);
        assert!(a.millis() > 1_700_000_000_000);
    }

    #[test]
    fn the_end_of_time_saturates_instead_of_wrapping() {
        let end = Hlc(i64::MAX);
        assert_eq!(Hlc::tick(end), end);
        assert!(Hlc::tick(Hlc(i64::MAX - 1)) == end);
        assert!(Hlc::now_plus(i64::MAX).0 > 0);
        assert_eq!(Hlc::from_millis(i64::MAX).millis(), i64::MAX >> 16);
        assert_eq!(Hlc::from_millis(-5), Hlc(0));
    }
}
