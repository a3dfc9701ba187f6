//! Street-scale search timing: 150,000 residents, keys built once, queries per keystroke.
//!
//! Run with `cargo bench --bench search_street`. Budget: building all keys well under a
//! second, one query over all keys under 30 ms (release).

use std::hint::black_box;
use std::time::Instant;

use louzu::search::{Query, SearchKey};

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国文辉玲红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳琳晨阳雪婷倩颖长行乐重朝";

fn names(n: usize) -> Vec<String> {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..n)
        .map(|i| {
            let mut name = String::new();
            name.push(s[next() % s.len()]);
            for _ in 0..1 + next() % 2 {
                name.push(g[next() % g.len()]);
            }
            format!("{name} {}-{}室 独居老人", 1 + i % 40, 101 + next() % 1800)
        })
        .collect()
}

fn main() {
    let names = names(150_000);
    let t = Instant::now();
    let keys: Vec<SearchKey> = names.iter().map(|n| SearchKey::new(n)).collect();
    println!("build 150000 keys: {:?}", t.elapsed());
    let bare: Vec<&str> = names.iter().filter_map(|n| n.split(' ').next()).collect();
    let t = Instant::now();
    let bare_keys: Vec<SearchKey> = bare.iter().map(|n| SearchKey::new(n)).collect();
    println!("build 150000 name-only keys: {:?}", t.elapsed());
    drop(bare_keys);

    for input in ["zs", "zhangsan", "张", "zhangs", "wjg 302", "ｚｓ", "xyz"] {
        let q = Query::new(input);
        let t = Instant::now();
        let hits = keys.iter().filter(|k| k.matches(black_box(&q))).count();
        println!("query {input:>10}: {hits:>6} hits in {:?}", t.elapsed());
    }
}
