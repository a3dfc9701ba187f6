//! config.toml: good files load, and each bad line is one warning while the rest applies.

use super::*;

fn load(text: &[u8]) -> (Config, Vec<ConfigWarning>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE), text).unwrap();
    let (c, w) = Config::load(Some(dir.path()));
    (c, w, dir)
}

fn lines(w: &[ConfigWarning]) -> Vec<Option<usize>> {
    w.iter().map(|w| w.line).collect()
}

#[test]
fn a_good_file_loads_without_warnings() {
    let text = "lang = \"en\"\ntheme = \"light\"\ncheckin_items = [\"照明\", \"卫生\"]\n[cadence]\n\"独居老人\" = \"weekly\"\n\"租户\" = \"none\"\n";
    let (c, w, _d) = load(text.as_bytes());
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(c.lang(), Some(Lang::En));
    assert_eq!(c.theme.as_deref(), Some("light"));
    assert_eq!(c.checkin_items(), vec!["照明", "卫生"]);
    assert!(!c.cadences().0.contains_key("租户"));
    let (c, w) = Config::load(None);
    assert!(w.is_empty() && c.lang.is_none());
    let empty = tempfile::tempdir().unwrap();
    assert!(
        Config::load(Some(empty.path())).1.is_empty(),
        "a missing file is fine"
    );
}

#[test]
fn the_readme_example_with_bare_chinese_keys_loads() {
    let text = "[cadence]            # 默认：独居老人 每周\n独居老人 = \"weekly\"\n  租户 = \"quarterly\"   # 也可写 14d\n";
    let (c, w, _d) = load(text.as_bytes());
    assert_eq!(lines(&w), vec![Some(2), Some(3)], "{w:?}");
    assert!(w[0].zh.contains("独居老人") && w[0].en.contains("\"独居老人\""));
    let cad = c.cadences();
    assert_eq!(cad.0.get("独居老人"), Some(&Cadence::Days(7)));
    assert_eq!(cad.0.get("租户"), Some(&Cadence::Months(3)));
}

#[test]
fn each_bad_line_is_its_own_warning_and_the_rest_still_loads() {
    let text = "lang = \"en\"\ntheme = 3\ncolour = \"red\"\n[cadence]\n\"高龄\" = \"sometimes\"\n\"低保\" = 14\n\"纯老\" = \"2w\"\n";
    let (c, w, _d) = load(text.as_bytes());
    let mut got = lines(&w);
    got.sort();
    assert_eq!(got, vec![Some(2), Some(3), Some(5), Some(6)], "{w:?}");
    assert_eq!(
        c.lang(),
        Some(Lang::En),
        "the good line before still applies"
    );
    assert!(c.theme.is_none());
    assert_eq!(c.cadences().0.get("纯老"), Some(&Cadence::Days(14)));
    let on = |l| w.iter().find(|w| w.line == Some(l)).unwrap();
    assert!(
        on(2).en.contains("theme should be a theme name"),
        "{}",
        on(2).en
    );
    assert!(on(3).zh.contains("colour") && on(3).en.contains("unknown setting"));
    assert!(on(5).en.contains("sometimes") && on(6).zh.contains("整数"));
    let shown = on(3).message(Lang::En);
    assert!(shown.starts_with("config file ") && shown.contains("config.toml line 3:"));
    assert!(!crate::text::has_cjk(&on(2).message(Lang::En)));
    assert!(on(2).message(Lang::Zh).contains("第 2 行"));
}

#[test]
fn broken_toml_skips_the_line_not_the_file() {
    let (c, w, _d) = load(b"lang = \"en\"\ntheme = \"light\nbroken line\n");
    assert!(!w.is_empty());
    assert!(w.iter().all(|w| w.line.is_some()), "{w:?}");
    assert_eq!(c.lang(), Some(Lang::En));
}

#[test]
fn an_unknown_language_is_warned_about() {
    let (c, w, _d) = load(b"lang = \"fr\"\n");
    assert_eq!(c.lang(), None);
    assert_eq!(lines(&w), vec![Some(1)]);
    assert!(w[0].zh.contains("fr") && w[0].en.contains("(zh)") && w[0].en.contains("(en)"));
    let (_, w, _d) = load(b"lang = 1\n");
    assert_eq!(w.len(), 1);
}

#[test]
fn a_gbk_file_is_read_and_the_user_told_to_save_utf8() {
    let (bytes, _, _) =
        encoding_rs::GBK.encode("lang = \"en\"\n[cadence]\n\"高龄\" = \"monthly\"\n");
    assert!(std::str::from_utf8(&bytes).is_err());
    let (c, w, _d) = load(&bytes);
    assert_eq!(c.lang(), Some(Lang::En));
    assert_eq!(c.cadences().0.get("高龄"), Some(&Cadence::Months(1)));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].zh.contains("GBK") && w[0].en.contains("UTF-8"));
    // Neither UTF-8 nor GBK: said, and the defaults used.
    let (c, w, _d) = load(b"lang = \"en\"\n\xff\xff\xff\n");
    assert!(c.lang.is_none());
    assert_eq!(w.len(), 1);
    // A UTF-8 byte-order mark (Notepad adds one) is no problem.
    let (c, w, _d) = load(b"\xEF\xBB\xBFlang = \"en\"\n");
    assert!(w.is_empty() && c.lang() == Some(Lang::En), "{w:?}");
}

#[test]
fn a_folder_named_config_toml_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(FILE)).unwrap();
    let (c, w) = Config::load(Some(dir.path()));
    assert!(c.lang.is_none());
    assert_eq!(w.len(), 1);
    assert!(w[0].zh.contains("文件夹") && w[0].en.contains("folder"));
    assert!(w[0].message(Lang::En).contains(FILE));
}

#[test]
fn checkin_items_of_the_wrong_kind() {
    let (c, w, _d) = load("checkin_items = [\"照明\", 3]\n".as_bytes());
    assert_eq!(c.checkin_items(), vec!["照明"]);
    assert_eq!(w.len(), 1);
    let (c, w, _d) = load("checkin_items = \"照明\"\n".as_bytes());
    assert_eq!(
        c.checkin_items().len(),
        crate::domain::checkin::DEFAULT_ITEMS.len()
    );
    assert_eq!(w.len(), 1);
}

#[test]
fn multiline_strings_are_not_mistaken_for_keys() {
    let mut w = Vec::new();
    let text = "theme = \"\"\"\n高龄 = x\n\"\"\"\n";
    assert_eq!(quote_bare_keys(text, Path::new("c"), &mut w), text);
    assert!(w.is_empty());
}

#[test]
fn the_output_folder_is_a_setting() {
    let (c, w, _d) = load("output_dir = \"~/文档/楼组\"\n".as_bytes());
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(c.output_dir, Some(PathBuf::from("~/文档/楼组")));
    let (c, w, _d) = load(b"output_dir = 3\n");
    assert!(c.output_dir.is_none());
    assert_eq!(lines(&w), vec![Some(1)]);
    assert!(
        w[0].zh.contains("文件夹") && w[0].en.contains("folder"),
        "{w:?}"
    );
}
