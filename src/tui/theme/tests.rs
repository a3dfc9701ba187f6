use super::*;

/// A config dir with the given user theme files.
fn user_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("themes")).expect("themes dir");
    for (name, text) in files {
        std::fs::write(dir.path().join("themes").join(name), text).expect("write theme");
    }
    dir
}

fn load_user(name: &str, files: &[(&str, &str)]) -> (Theme, Vec<ThemeWarning>) {
    let dir = user_dir(files);
    Theme::load(name, Some(dir.path()), false)
}

#[test]
fn bundled_themes_load_cleanly() {
    for name in Theme::builtin_names() {
        let (theme, warnings) = Theme::load(name, None, false);
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        assert_eq!(theme.name(), name);
    }
}

#[test]
fn default_theme_defines_every_role() {
    let layer =
        resolve(DEFAULT_THEME, None, &mut Vec::new(), true).unwrap_or_else(|w| panic!("{w:?}"));
    for role in Role::ALL {
        assert!(layer.styles[*role as usize].is_some(), "{}", role.name());
    }
}

#[test]
fn role_names_round_trip() {
    for role in Role::ALL {
        assert_eq!(Role::from_name(role.name()), Some(*role));
    }
    assert_eq!(Role::from_name("tab-active"), Some(Role::TabActive));
    assert_eq!(Role::from_name("sparkle"), None);
}

#[test]
fn bundled_themes_look_different() {
    let default = Theme::default();
    let red = Theme::load("dangjian-red", None, false).0;
    assert_eq!(
        red.style(Role::Title).fg,
        Some(Color::Rgb(0xff, 0xd7, 0x00))
    );
    assert_ne!(default.style(Role::Selection), red.style(Role::Selection));
    // not overridden in dangjian-red: inherited from default
    assert_eq!(red.style(Role::Overdue), default.style(Role::Overdue));
}

#[test]
fn user_theme_inherits_and_falls_back() {
    let (theme, warnings) = load_user(
        "mine",
        &[(
            "mine.toml",
            "inherits = \"dangjian-red\"\n[palette]\nsky = \"#87ceeb\"\n\
             [roles]\ntitle = { fg = \"sky\", modifiers = [\"italic\"] }\n\
             muted = { fg = \"gold\" }\n",
        )],
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let red = Theme::load("dangjian-red", None, false).0;
    assert_eq!(
        theme.style(Role::Title),
        Style::new()
            .fg(Color::Rgb(0x87, 0xce, 0xeb))
            .add_modifier(Modifier::ITALIC)
    );
    // palette names are inherited too: dangjian-red's gold
    assert_eq!(
        theme.style(Role::Muted).fg,
        Some(Color::Rgb(0xff, 0xd7, 0x00))
    );
    assert_eq!(theme.style(Role::Selection), red.style(Role::Selection));
    assert_eq!(
        theme.style(Role::Error),
        Theme::default().style(Role::Error)
    );
}

#[test]
fn theme_without_inherits_falls_back_to_default_per_role() {
    let (theme, warnings) = load_user(
        "bare",
        &[("bare.toml", "[roles]\ntag = { fg = \"green\" }\n")],
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(theme.style(Role::Tag), Style::new().fg(Color::Green));
    assert_eq!(
        theme.style(Role::Header),
        Theme::default().style(Role::Header)
    );
}

#[test]
fn user_file_overrides_bundled_theme_of_same_name() {
    let (theme, warnings) = load_user(
        "default",
        &[(
            "default.toml",
            "inherits = \"default\"\n[roles]\nselection = { modifiers = [\"reversed\"] }\n",
        )],
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        theme.style(Role::Selection),
        Style::new().add_modifier(Modifier::REVERSED)
    );
    assert_eq!(
        theme.style(Role::Title),
        Theme::default().style(Role::Title)
    );
}

/// Loads one broken user theme and returns its single warning, checking the default
/// theme was used.
fn broken(text: &str) -> ThemeWarning {
    let (theme, mut warnings) = load_user("mine", &[("mine.toml", text)]);
    assert_eq!(theme, Theme::default());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings.remove(0);
    assert!(
        w.file
            .as_ref()
            .is_some_and(|f| f.ends_with("themes/mine.toml")),
        "{w:?}"
    );
    w
}

#[test]
fn unknown_colour_is_reported_with_line() {
    let w = broken("[roles]\ntitle = { fg = \"blue\" }\nborder = { fg = \"blurple\" }\n");
    assert_eq!(w.line, Some(3));
    assert_eq!(w.problem, ThemeProblem::UnknownColour("blurple".into()));
    let zh = w.to_string();
    assert!(zh.starts_with("主题文件 "), "{zh}");
    assert!(
        zh.contains("mine.toml 第 3 行: 未知颜色 \"blurple\""),
        "{zh}"
    );
    assert!(zh.ends_with("；已使用默认主题"), "{zh}");
    let en = w.message_en();
    assert!(
        en.contains("mine.toml line 3: unknown colour \"blurple\""),
        "{en}"
    );
    assert!(en.ends_with("using the default theme"), "{en}");
}

#[test]
fn unknown_palette_colour_is_reported_with_line() {
    let w = broken("[palette]\n\nink = \"#12345\"\n");
    assert_eq!(w.line, Some(3));
    assert_eq!(w.problem, ThemeProblem::UnknownColour("#12345".into()));
}

#[test]
fn unknown_role_is_reported_with_line() {
    let w = broken("[roles]\ntitle = { fg = \"blue\" }\n\nsparkle = { fg = \"red\" }\n");
    assert_eq!(w.line, Some(4));
    assert_eq!(w.problem, ThemeProblem::UnknownRole("sparkle".into()));
    assert!(w.to_string().contains("未知角色 \"sparkle\""));
}

#[test]
fn unknown_modifier_is_reported_with_line() {
    let w = broken("[roles]\ntitle = { modifiers = [\"bold\", \"shiny\"] }\n");
    assert_eq!(w.line, Some(2));
    assert_eq!(w.problem, ThemeProblem::UnknownModifier("shiny".into()));
}

#[test]
fn bad_toml_is_reported_with_line() {
    let w = broken("[roles]\ntitle = { fg = \"blue\" }\nborder = { fg = \n");
    assert_eq!(w.line, Some(3));
    assert!(matches!(w.problem, ThemeProblem::Syntax(_)), "{w:?}");
    assert!(w.to_string().contains("TOML 格式错误"));
}

#[test]
fn wrong_type_and_unknown_key_are_syntax_errors_with_line() {
    let w = broken("[roles]\n\ntitle = { fg = 3 }\n");
    assert_eq!(w.line, Some(3));
    assert!(matches!(w.problem, ThemeProblem::Syntax(_)), "{w:?}");
    let w = broken("inherit = \"default\"\n");
    assert_eq!(w.line, Some(1));
    assert!(matches!(w.problem, ThemeProblem::Syntax(_)), "{w:?}");
}

#[test]
fn inheritance_cycle_is_reported_with_line() {
    let (theme, warnings) = load_user(
        "a",
        &[
            ("a.toml", "inherits = \"b\"\n"),
            ("b.toml", "# b\n\ninherits = \"a\"\n"),
        ],
    );
    assert_eq!(theme, Theme::default());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(w.file.as_ref().is_some_and(|f| f.ends_with("b.toml")));
    assert_eq!(w.line, Some(3));
    assert_eq!(
        w.problem,
        ThemeProblem::InheritanceCycle(vec!["a".into(), "b".into(), "a".into()])
    );
    assert!(w.to_string().contains("继承形成循环：a → b → a"), "{w}");
}

#[test]
fn unknown_parent_points_at_inherits_line() {
    let w = broken("# mine\ninherits = \"nope\"\n");
    assert_eq!(w.line, Some(2));
    assert_eq!(w.problem, ThemeProblem::UnknownTheme("nope".into()));
}

#[test]
fn unknown_theme_name_falls_back() {
    let (theme, warnings) = Theme::load("solarized", None, false);
    assert_eq!(theme, Theme::default());
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].file, None);
    assert!(warnings[0].to_string().contains("找不到主题 \"solarized\""));
    assert!(
        warnings[0]
            .message_en()
            .contains("no theme named \"solarized\"")
    );
    // a path is never a theme name
    let (_, warnings) = Theme::load("../themes/default", None, false);
    assert_eq!(warnings.len(), 1);
}

#[test]
fn several_problems_are_all_reported_in_line_order() {
    let (_, warnings) = load_user(
        "mine",
        &[(
            "mine.toml",
            "[roles]\nwarning = { fg = \"nope\" }\ntitle = { modifiers = [\"x\"] }\n",
        )],
    );
    let lines: Vec<_> = warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(2), Some(3)]);
}

#[test]
fn no_color_keeps_focus_visible() {
    for name in Theme::builtin_names() {
        let (theme, warnings) = Theme::load(name, None, true);
        assert!(warnings.is_empty());
        for role in Role::ALL {
            let style = theme.style(*role);
            assert_eq!((style.fg, style.bg), (None, None), "{name} {}", role.name());
        }
        assert!(
            theme
                .style(Role::Selection)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(
            theme
                .style(Role::Title)
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert!(
            theme
                .style(Role::FocusBorder)
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }
    // warnings still reported without colour
    let dir = user_dir(&[("mine.toml", "[roles]\ntitle = { fg = \"blurple\" }\n")]);
    let (theme, warnings) = Theme::load("mine", Some(dir.path()), true);
    assert_eq!(warnings.len(), 1);
    assert_eq!(theme.style(Role::Title).fg, None);
}

#[test]
fn available_lists_user_themes() {
    let dir = user_dir(&[("mine.toml", ""), ("notes.txt", "")]);
    let names = Theme::available(Some(dir.path()));
    assert!(names.contains(&"mine".to_string()));
    assert!(names.contains(&"dangjian-red".to_string()));
    assert!(!names.iter().any(|n| n == "notes"));
}
