//! The chooser as a leader uses it, without a disk: listings are handed in as the driver
//! would answer them.

use super::*;

fn entry(name: &str, kind: EntryKind) -> Entry {
    Entry {
        name: name.into(),
        kind,
    }
}

fn usb() -> Listing {
    Listing {
        dir: "/media/zeng/U盘/".into(),
        entries: vec![
            entry("2026年", EntryKind::Folder),
            entry("7号楼-2026-11-26.louzu", EntryKind::Bundle),
            entry("8号楼-2026-11-20.louzu", EntryKind::Bundle),
            entry("照片.jpg", EntryKind::Other),
        ],
        roots: vec![
            Root {
                kind: RootKind::Output,
                path: "/home/zeng/文档".into(),
            },
            Root {
                kind: RootKind::Home,
                path: "/home/zeng".into(),
            },
        ],
        missing: false,
    }
}

fn on_usb(mode: Mode) -> Chooser {
    let mut c = Chooser::new("/media/zeng/U盘", mode);
    c.listed(usb());
    c
}

fn names(c: &Chooser) -> Vec<String> {
    c.rows()
        .iter()
        .map(|r| match r {
            Row::Here => "✓".to_string(),
            Row::Root(r) => format!("⇱{}", r.path),
            Row::Entry(e) => e.name.clone(),
        })
        .collect()
}

#[test]
fn the_field_splits_at_its_last_separator() {
    assert_eq!(split("/media/zeng/7号"), ("/media/zeng/", "7号"));
    assert_eq!(split("/media/"), ("/media/", ""));
    assert_eq!(split("7号"), ("", "7号"));
    assert_eq!(parent("/media/zeng/"), "/media/");
    assert_eq!(parent("/media/"), "/");
    assert_eq!(parent("/"), "/");
    assert_eq!(parent("a/"), "");
    assert_eq!(
        as_dir("/media"),
        format!("/media{}", std::path::MAIN_SEPARATOR)
    );
    assert_eq!(as_dir("/media/"), "/media/");
}

#[test]
fn jump_targets_head_the_list_and_the_eye_starts_at_the_folder() {
    let c = on_usb(Mode::Bundle);
    assert_eq!(
        names(&c),
        vec![
            "⇱/home/zeng/文档",
            "⇱/home/zeng",
            "2026年",
            "7号楼-2026-11-26.louzu",
            "8号楼-2026-11-20.louzu",
            "照片.jpg",
        ]
    );
    assert_eq!(
        c.selected, 2,
        "the first name of the folder, not a jump target"
    );
}

#[test]
fn typing_filters_by_name_and_enter_picks_the_bundle() {
    let mut c = on_usb(Mode::Bundle);
    for ch in "7号".chars() {
        assert_eq!(c.update(Action::Type(ch)), Step::Nothing, "same folder");
    }
    assert_eq!(names(&c), vec!["7号楼-2026-11-26.louzu"]);
    assert_eq!(
        c.update(Action::Open),
        Step::File("/media/zeng/U盘/7号楼-2026-11-26.louzu".into())
    );
    // Case does not matter; nothing matching shows nothing.
    c.input = LineInput::new("/media/zeng/U盘/LOUZU");
    assert_eq!(names(&c).len(), 2);
    c.input = LineInput::new("/media/zeng/U盘/九号楼");
    assert!(names(&c).is_empty());
}

#[test]
fn enter_opens_a_folder_and_backspace_goes_back_up() {
    let mut c = on_usb(Mode::Bundle);
    assert_eq!(
        c.update(Action::Open),
        Step::List("/media/zeng/U盘/2026年/".into())
    );
    assert_eq!(c.input.value, "/media/zeng/U盘/2026年/");
    assert!(
        c.rows().is_empty(),
        "nothing shown until the folder is read"
    );
    // An answer for another folder (late) is ignored.
    c.listed(usb());
    assert!(c.rows().is_empty());
    assert_eq!(
        c.update(Action::Backspace),
        Step::List("/media/zeng/U盘/".into())
    );
    assert_eq!(c.input.value, "/media/zeng/U盘/");
    c.listed(usb());
    // With a filter typed, Backspace deletes a character instead.
    c.update(Action::Type('7'));
    assert_eq!(c.update(Action::Backspace), Step::Nothing);
    assert_eq!(c.input.value, "/media/zeng/U盘/");
}

#[test]
fn a_jump_target_moves_the_field_there() {
    let mut c = on_usb(Mode::Bundle);
    c.update(Action::Home);
    assert_eq!(c.selected, 0);
    let step = c.update(Action::Open);
    assert_eq!(step, Step::List(as_dir("/home/zeng/文档")));
    assert_eq!(c.input.value, as_dir("/home/zeng/文档"));
}

#[test]
fn list_keys_move_and_stop_at_the_ends() {
    let mut c = on_usb(Mode::Bundle);
    c.update(Action::End);
    assert_eq!(c.selected, 5);
    c.update(Action::Down);
    assert_eq!(c.selected, 5);
    c.update(Action::PageUp);
    assert_eq!(c.selected, 0);
    c.update(Action::PageDown);
    assert_eq!(c.selected, 5);
    c.update(Action::Up);
    assert_eq!(c.selected, 4);
}

#[test]
fn a_typed_or_pasted_path_still_works() {
    let mut c = on_usb(Mode::Bundle);
    // A whole path pasted replaces the field and asks for its folder.
    let step = c.update(Action::Paste("/tmp/收到的/7号楼.louzu\n".into()));
    assert_eq!(step, Step::List("/tmp/收到的/".into()));
    assert_eq!(c.input.value, "/tmp/收到的/7号楼.louzu");
    // Its folder could not be read (or lists nothing like it): Enter takes what is typed.
    c.listed(Listing {
        dir: "/tmp/收到的/".into(),
        missing: true,
        ..Listing::default()
    });
    assert_eq!(
        c.update(Action::Open),
        Step::File("/tmp/收到的/7号楼.louzu".into())
    );
    // A relative name pasted is inserted at the cursor.
    let mut c = on_usb(Mode::Bundle);
    c.update(Action::Paste("8号".into()));
    assert_eq!(names(&c), vec!["8号楼-2026-11-20.louzu"]);
}

#[test]
fn folder_mode_lists_folders_and_picks_the_folder_shown() {
    let mut c = on_usb(Mode::Folder);
    assert_eq!(
        names(&c),
        vec!["✓", "⇱/home/zeng/文档", "⇱/home/zeng", "2026年"]
    );
    assert_eq!(c.selected, 0, "the folder shown is the first choice");
    assert_eq!(
        c.update(Action::Open),
        Step::Folder("/media/zeng/U盘/".into())
    );
    c.update(Action::End);
    assert_eq!(
        c.update(Action::Open),
        Step::List("/media/zeng/U盘/2026年/".into())
    );
}
