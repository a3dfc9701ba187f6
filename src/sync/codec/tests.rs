//! The body codec: what is written is read back, in format 3 and in format 2.

use super::*;

#[test]
fn ops_round_trip_with_ids_and_links() {
    let id = uuid::Uuid::now_v7().to_string();
    let mut w = Writer::default();
    w.push(
        "dev",
        "shared",
        1,
        100,
        &id,
        "setting",
        &id,
        "key",
        "\"a\"",
        None,
        None,
        &[],
    );
    w.push(
        "dev",
        "shared",
        2,
        90,
        &id,
        "setting",
        &id,
        "key",
        "\"b\"",
        Some(("dev", 1)),
        Some(("other", 7)),
        &[],
    );
    w.push(
        "dev",
        "shared",
        3,
        95,
        &id,
        "setting",
        &id,
        "deleted",
        "true",
        None,
        Some(("other", 8)),
        &[("other", 8), ("dev", 2)],
    );
    let header = Header {
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
    };
    let bytes = w.finish(header, &[]).unwrap();
    let h = read_header(&bytes).unwrap();
    assert_eq!((h.ops, h.hlc_min, h.hlc_max), (3, 90, 100));
    assert!(h.causal);
    let (_, ops, journal) = decode(&bytes).unwrap();
    assert!(journal.is_empty());
    assert_eq!(ops[1].entity_id, id);
    assert_eq!(ops[1].hlc, 90);
    assert_eq!(ops[1].prev, Some(("dev".into(), 1)));
    assert_eq!(ops[1].merged, Some(("other".into(), 7)));
    assert!(ops[1].seen.is_empty());
    assert_eq!(ops[0].value, "\"a\"");
    assert_eq!(ops[2].merged, Some(("other".into(), 8)));
    assert_eq!(ops[2].seen, vec![("other".into(), 8), ("dev".into(), 2)]);
    // The streaming reader agrees.
    let body = Body::open(&bytes).unwrap();
    let read: Vec<_> = body
        .index()
        .unwrap()
        .iter()
        .map(|at| {
            let o = body.op(at).unwrap();
            (o.seq, o.merged, o.seen.len())
        })
        .collect();
    assert_eq!(
        read,
        vec![
            (1, None, 0),
            (2, Some(("other", 7)), 0),
            (3, Some(("other", 8)), 2)
        ]
    );
}

#[test]
fn a_format_2_body_reads_as_before_and_ops_without_a_context_hash_as_before() {
    let id = uuid::Uuid::now_v7().to_string();
    let mut w = Writer {
        format2: true,
        ..Writer::default()
    };
    for (seq, merged) in [(1, None), (2, Some(("other", 70))), (3, None)] {
        w.push(
            "dev",
            "shared",
            seq,
            100 + seq,
            &id,
            "setting",
            &id,
            "key",
            "\"a\"",
            (seq > 1).then_some(("dev", seq - 1)),
            merged,
            &[],
        );
    }
    let hash = w.take_range_hash();
    let header: Header = serde_json::from_str(
        r#"{"sender_device":"dev","sender_name":"x","created":"","recipients":[],
            "full":true,"ranges":[],"clock":[],"ops":0,"hlc_min":0,"hlc_max":0,
            "sha256":""}"#,
    )
    .unwrap();
    assert!(!header.causal, "a format 2 header has no causal flag");
    let bytes = w.finish(header, &[]).unwrap();
    assert!(!read_header(&bytes).unwrap().causal);
    let (_, ops, _) = decode(&bytes).unwrap();
    assert_eq!(ops[1].merged, Some(("other".into(), 70)));
    assert_eq!(ops[2].prev, Some(("dev".into(), 2)));
    let body = Body::open(&bytes).unwrap();
    let at = body.index().unwrap();
    assert_eq!(body.op(&at[1]).unwrap().merged, Some(("other", 70)));
    // An op without a context digests exactly as format 2 did (its formula, spelled out).
    let format2 = |o: &RawOp| -> [u8; 32] {
        let mut h = Sha256::new();
        for s in [
            &o.origin,
            &o.scope,
            &o.change_id,
            &o.entity,
            &o.entity_id,
            &o.field,
            &o.value,
        ] {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
        h.update(o.seq.to_le_bytes());
        h.update(o.hlc.to_le_bytes());
        for l in [&o.prev, &o.merged] {
            match l {
                None => h.update([0]),
                Some((origin, s)) => {
                    h.update([1]);
                    h.update((origin.len() as u64).to_le_bytes());
                    h.update(origin.as_bytes());
                    h.update(s.to_le_bytes());
                }
            }
        }
        h.finalize().into()
    };
    let mut again = RangeHash::default();
    for o in &ops {
        assert_eq!(o.digest(), format2(o));
        again.add(&format2(o));
    }
    assert_eq!(again.take(), hash, "the range hash a format 2 sender sends");
}
