//! Hybrid logical clock: wall-clock milliseconds in the high bits, a counter in the low 16,
//! so timestamps order like time yet never repeat or run backwards on one device, even when
//! the laptop's clock is wrong.

use std::time::{SystemTime, UNIX_EPOCH};

/// One HLC reading, comparable as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc(pub i64);

impl Hlc {
    /// The next timestamp after `last`, at least the wall clock now.
    pub fn tick(last: Hlc) -> Hlc {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Hlc((now << 16).max(last.0 + 1))
    }

    /// Wall-clock milliseconds since 1970 this reading stands for.
    pub fn millis(self) -> i64 {
        self.0 >> 16
    }
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
}
