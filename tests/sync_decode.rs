//! The bundle decoder on hostile input: arbitrary bytes, mutated valid bundles and
//! decompression bombs never panic, and memory never grows past what the header declares
//! (measured by a counting allocator; this file holds one test so nothing else allocates
//! while it measures).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::Compression;
use flate2::write::DeflateEncoder;
use proptest::prelude::*;

use louzu::sync::bundle::Outer;
use louzu::sync::codec::{self, DecodeError, Header, Writer};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = NOW.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(n, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        NOW.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            let n = NOW.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
            PEAK.fetch_max(n, Ordering::Relaxed);
        } else {
            NOW.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Bytes allocated at the peak of `f` beyond what was live before it.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = NOW.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

fn header() -> Header {
    Header {
        sender_device: "dev".into(),
        sender_name: "本机".into(),
        created: "2026-01-01T00:00:00+08:00".into(),
        recipients: vec![],
        full: true,
        ranges: vec![],
        clock: vec![],
        ops: 0,
        hlc_min: 0,
        hlc_max: 0,
        sha256: String::new(),
        body_len: 0,
        former_origins: vec![],
        forks: vec![],
        causal: false,
    }
}

fn valid_body() -> Vec<u8> {
    let mut w = Writer::default();
    for i in 1..=20 {
        w.push(
            "0190a0b0-0000-7000-8000-000000000001",
            "shared",
            i,
            i << 20,
            "0190a0b0-0000-7000-8000-000000000002",
            "setting",
            "0190a0b0-0000-7000-8000-000000000003",
            "value",
            &format!("\"v{i}\""),
            (i > 1).then_some(("0190a0b0-0000-7000-8000-000000000001", i - 1)),
            None,
            &[],
        );
    }
    w.finish(header(), &[]).unwrap()
}

/// A compressed body whose header declares `declared` bytes but which inflates to `real`.
fn bomb(declared: u64, real: usize) -> Vec<u8> {
    let mut h = header();
    h.body_len = declared;
    let h = serde_json::to_vec(&h).unwrap();
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&(h.len() as u32).to_le_bytes()).unwrap();
    enc.write_all(&h).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..real >> 20 {
        enc.write_all(&zeros).unwrap();
    }
    enc.finish().unwrap()
}

fn check_decoders(bytes: &[u8]) -> usize {
    let ((), peak) = peak_of(|| {
        let _ = codec::read_header(bytes);
        let _ = codec::decode(bytes);
        let _ = Outer::parse(bytes, Path::new("x.louzu"));
    });
    peak
}

#[test]
fn hostile_bodies_never_panic_nor_outgrow_their_declared_size() {
    // A 64 MiB bomb that declares 4 KiB: refused after inflating at most 4 KiB + 1.
    let b = bomb(4096, 64 << 20);
    assert!(b.len() < 1 << 20, "the bomb is small on disk");
    let (r, peak) = peak_of(|| codec::decode(&b));
    assert!(matches!(r, Err(DecodeError::TooLarge(_))), "{r:?}");
    assert!(peak < 2 << 20, "decoding a bomb peaked at {peak} bytes");
    // Declaring more than the absolute cap is refused before inflating anything.
    let b = bomb(codec::MAX_BODY + 1, 1 << 20);
    let (r, peak) = peak_of(|| codec::decode(&b));
    assert!(matches!(r, Err(DecodeError::TooLarge(_))), "{r:?}");
    assert!(peak < 1 << 20, "peaked at {peak} bytes");

    let valid = valid_body();
    assert_eq!(codec::decode(&valid).unwrap().1.len(), 20);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    });
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..4096), |bytes| {
            let peak = check_decoders(&bytes);
            prop_assert!(peak < 32 << 20, "arbitrary bytes peaked at {peak}");
            Ok(())
        })
        .unwrap();
    let n = valid.len();
    runner
        .run(&prop::collection::vec((0..n, any::<u8>()), 1..8), |edits| {
            let mut bytes = valid.clone();
            for (at, b) in edits {
                bytes[at] = b;
            }
            let peak = check_decoders(&bytes);
            prop_assert!(peak < 32 << 20, "a mutated body peaked at {peak}");
            Ok(())
        })
        .unwrap();
    // Mutated and cut sealed bundles: the outer layer too.
    let sealed = {
        let mut b = louzu::sync::bundle::MAGIC.to_vec();
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&[7u8; 64]);
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&[0u8; 24]);
        b.extend_from_slice(&(valid.len() as u64).to_le_bytes());
        b.extend_from_slice(&valid);
        b.extend_from_slice(&[0u8; 64]);
        b
    };
    assert!(Outer::parse(&sealed, Path::new("x")).is_ok());
    let m = sealed.len();
    runner
        .run(
            &(prop::collection::vec((0..m, any::<u8>()), 0..6), 0..=m),
            |(edits, cut)| {
                let mut bytes = sealed.clone();
                for (at, b) in edits {
                    bytes[at] = b;
                }
                bytes.truncate(cut);
                let peak = check_decoders(&bytes);
                prop_assert!(peak < 32 << 20, "a mutated bundle peaked at {peak}");
                Ok(())
            },
        )
        .unwrap();
}
