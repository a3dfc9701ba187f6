//! The sync dialogs' `update` as plain data (no files, no store), and how they look at
//! 80×24 in both languages.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::sync::import::Checked;
use crate::text::width;
use crate::tui::dialogs::chooser::{Entry, EntryKind, Listing, Root, RootKind};
use crate::tui::strings::sync::{fill, text};

fn listing(dir: &str) -> Listing {
    Listing {
        dir: dir.into(),
        entries: vec![
            Entry {
                name: "U盘备份".into(),
                kind: EntryKind::Folder,
            },
            Entry {
                name: "7号楼-2026-11-26.louzu".into(),
                kind: EntryKind::Bundle,
            },
            Entry {
                name: "louzu-名片-居委会.txt".into(),
                kind: EntryKind::Other,
            },
        ],
        roots: vec![Root {
            kind: RootKind::Drive,
            path: "/media/zeng/U盘".into(),
        }],
        missing: false,
    }
}

fn export() -> ExportDialog {
    ExportDialog::new(
        vec![Device {
            name: "居委会".into(),
            fingerprint: "1a2b-3c4d-5e6f-7a8b-9c0d".into(),
        }],
        Device {
            name: "曾国华".into(),
            fingerprint: "aaaa-bbbb-cccc-dddd-eeee".into(),
        },
        "/home/zeng/文档/",
        listing("/home/zeng/文档/"),
        "7号楼-2026-12-01.louzu".into(),
    )
}

fn requests(step: Step) -> Vec<Request> {
    match step {
        Step::Stay(effects) => effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Sync(r) => Some(r),
                _ => None,
            })
            .collect(),
        Step::Close => panic!("closed"),
    }
}

fn send(d: &mut SyncDialog, action: Action) -> Vec<Request> {
    requests(d.update(action, Lang::Zh))
}

fn typed(d: &mut SyncDialog, text: &str) {
    for c in text.chars() {
        send(d, Action::Type(c));
    }
}

fn key() -> DeviceKey {
    DeviceKey {
        sign: [7; 32],
        dh: [9; 32],
    }
}

#[test]
fn enter_on_a_device_exports_for_it_into_the_folder_shown() {
    let mut d = SyncDialog::Export(Box::new(export()));
    assert_eq!(
        send(&mut d, Action::Open),
        vec![Request::Export {
            folder: "/home/zeng/文档/".into(),
            file: "7号楼-2026-12-01.louzu".into(),
            to: Recipient::Device("居委会".into()),
        }]
    );
    assert!(d.pending());
    assert!(
        send(&mut d, Action::Open).is_empty(),
        "one export at a time"
    );
    assert!(d.reply(Reply::Failed("磁盘已满".into())));
    let SyncDialog::Export(e) = &d else { panic!() };
    assert_eq!(e.error.as_deref(), Some("磁盘已满"));
    assert!(!e.pending);
}

#[test]
fn a_passphrase_is_typed_twice_and_must_match() {
    let mut d = SyncDialog::Export(Box::new(export()));
    send(&mut d, Action::Down);
    assert!(
        send(&mut d, Action::Open).is_empty(),
        "Enter goes to the passphrase"
    );
    typed(&mut d, "楼组2026");
    send(&mut d, Action::Open);
    typed(&mut d, "楼组2027");
    assert!(send(&mut d, Action::Open).is_empty());
    let SyncDialog::Export(e) = &d else { panic!() };
    assert_eq!(e.error.as_deref(), Some(text(Lang::Zh).pass_differ));
    assert_eq!(e.focus, ExportFocus::Again);
    assert!(e.again.value.is_empty(), "the second one is typed again");
    typed(&mut d, "楼组2026");
    let asked = send(&mut d, Action::Open);
    assert_eq!(
        asked,
        vec![Request::Export {
            folder: "/home/zeng/文档/".into(),
            file: "7号楼-2026-12-01.louzu".into(),
            to: Recipient::Passphrase(Secret("楼组2026".into())),
        }]
    );
    assert!(!format!("{asked:?}").contains("楼组2026"), "never printed");
}

#[test]
fn tab_reaches_the_folder_whose_chooser_picks_where_to_save() {
    let mut d = SyncDialog::Export(Box::new(export()));
    send(&mut d, Action::NextField);
    let SyncDialog::Export(e) = &d else { panic!() };
    assert_eq!(e.focus, ExportFocus::Folder);
    // Down to the USB stick (past "save here"), Enter walks into it.
    send(&mut d, Action::Down);
    assert_eq!(
        send(&mut d, Action::Open),
        vec![Request::List {
            dir: crate::tui::dialogs::chooser::as_dir("/media/zeng/U盘")
        }]
    );
    d.reply(Reply::Listing(Listing {
        dir: crate::tui::dialogs::chooser::as_dir("/media/zeng/U盘"),
        ..Listing::default()
    }));
    let asked = send(&mut d, Action::Open);
    assert!(
        matches!(&asked[..], [Request::Export { folder, .. }] if folder.starts_with("/media/zeng/U盘")),
        "{asked:?}"
    );
    // Esc from the folder goes back to the list first, then closes.
    let mut d = SyncDialog::Export(Box::new(export()));
    send(&mut d, Action::NextField);
    send(&mut d, Action::Back);
    assert!(matches!(d.update(Action::Back, Lang::Zh), Step::Close));
}

#[test]
fn with_no_device_yet_the_list_offers_trust_and_says_so() {
    let mut e = export();
    e.devices.clear();
    let mut d = SyncDialog::Export(Box::new(e));
    send(&mut d, Action::Down);
    send(&mut d, Action::Save);
    let SyncDialog::Export(e) = &d else { panic!() };
    assert_eq!(e.error.as_deref(), Some(text(Lang::Zh).no_device_yet));
    send(&mut d, Action::Down);
    assert_eq!(
        send(&mut d, Action::Open),
        vec![Request::WriteCard {
            folder: "/home/zeng/文档/".into()
        }]
    );
    d.reply(Reply::Note(
        "本机名片已写入 /home/zeng/文档/louzu-名片-曾国华.txt".into(),
    ));
    let SyncDialog::Export(e) = &d else { panic!() };
    assert!(e.note.as_deref().unwrap().contains("名片"));
}

#[test]
fn trusting_reads_the_card_names_it_and_asks_before_trusting() {
    let mut d = SyncDialog::Export(Box::new(export()));
    send(&mut d, Action::Down);
    send(&mut d, Action::Down);
    send(&mut d, Action::Open);
    assert!(matches!(&d, SyncDialog::Trust(_)));
    // Pasted card text replaces the folder shown and is read as a key.
    let card = format!("{} 居委会", key().to_text());
    send(&mut d, Action::Paste(card.clone()));
    assert_eq!(
        send(&mut d, Action::Open),
        vec![Request::ReadKey { input: card }]
    );
    d.reply(Reply::KeyRead {
        key: key(),
        fingerprint: key().fingerprint(),
        name: Some("居委会".into()),
    });
    let SyncDialog::Trust(t) = &d else { panic!() };
    assert!(matches!(&t.stage, TrustStage::Name { name, .. } if name.value == "居委会"));
    // A name is needed.
    for _ in 0..3 {
        send(&mut d, Action::Backspace);
    }
    send(&mut d, Action::Open);
    let SyncDialog::Trust(t) = &d else { panic!() };
    assert_eq!(t.error.as_deref(), Some(text(Lang::Zh).name_needed));
    typed(&mut d, "副组长");
    assert!(send(&mut d, Action::Open).is_empty());
    assert!(d.asks_yes_no());
    // n goes back to the name; y trusts.
    send(&mut d, Action::No);
    assert!(!d.asks_yes_no());
    send(&mut d, Action::Open);
    assert!(
        send(&mut d, Action::Type('y')).is_empty(),
        "only the yes key answers"
    );
    assert_eq!(
        send(&mut d, Action::Yes),
        vec![Request::Trust {
            key: key(),
            name: "副组长".into()
        }]
    );
    d.reply(Reply::Trusted {
        devices: vec![
            Device {
                name: "副组长".into(),
                fingerprint: key().fingerprint(),
            },
            Device {
                name: "居委会".into(),
                fingerprint: "1a2b".into(),
            },
        ],
        name: "副组长".into(),
        message: "已信任「副组长」".into(),
    });
    let SyncDialog::Export(e) = &d else {
        panic!("back to the export")
    };
    assert_eq!(e.chosen, 0, "the new device is chosen");
    assert_eq!(e.note.as_deref(), Some("已信任「副组长」"));
}

#[test]
fn a_refused_trust_goes_back_to_the_name_and_esc_back_to_the_export() {
    let mut d = SyncDialog::Trust(Box::new(TrustDialog::new(export())));
    send(&mut d, Action::Type('x'));
    d.reply(Reply::KeyRead {
        key: key(),
        fingerprint: "fp".into(),
        name: None,
    });
    typed(&mut d, "居委会");
    send(&mut d, Action::Open);
    send(&mut d, Action::Yes);
    d.reply(Reply::Failed("「居委会」已用另一把密钥受信任".into()));
    let SyncDialog::Trust(t) = &d else { panic!() };
    assert!(matches!(t.stage, TrustStage::Name { .. }));
    assert!(t.error.is_some());
    send(&mut d, Action::Back);
    send(&mut d, Action::Back);
    assert!(matches!(&d, SyncDialog::Export(_)));
}

fn previewed() -> Reply {
    Reply::Previewed {
        lines: vec!["来自「组长」".into()],
        bundle: Kept::new(Checked::nothing("x.louzu")),
    }
}

fn import() -> SyncDialog {
    SyncDialog::Import(Box::new(ImportDialog::new(
        "/home/zeng/文档/",
        listing("/home/zeng/文档/"),
    )))
}

#[test]
fn import_picks_in_the_chooser_previews_then_imports() {
    let mut d = import();
    let path = "/home/zeng/文档/7号楼-2026-11-26.louzu".to_string();
    send(&mut d, Action::Down);
    assert_eq!(
        send(&mut d, Action::Open),
        vec![Request::Preview {
            path: path.clone(),
            passphrase: None
        }]
    );
    let bundle = Kept::new(Checked::nothing(&path));
    d.reply(Reply::Previewed {
        lines: vec!["来自「组长」".into()],
        bundle: bundle.clone(),
    });
    assert_eq!(
        send(&mut d, Action::Open),
        vec![Request::Import { bundle }],
        "the bundle the preview checked, not the file again"
    );
    // Esc on a preview goes back to the chooser; Esc there closes.
    let mut d = import();
    send(&mut d, Action::Down);
    send(&mut d, Action::Open);
    d.reply(previewed());
    send(&mut d, Action::Back);
    let SyncDialog::Import(i) = &d else { panic!() };
    assert_eq!(i.stage, ImportStage::Choose);
    assert!(matches!(d.update(Action::Back, Lang::Zh), Step::Close));
}

#[test]
fn a_locked_bundle_asks_for_its_passphrase() {
    let mut d = import();
    send(&mut d, Action::Down);
    send(&mut d, Action::Open);
    d.reply(Reply::NeedsPassphrase);
    let SyncDialog::Import(i) = &d else { panic!() };
    assert!(matches!(i.stage, ImportStage::Passphrase { .. }));
    assert!(send(&mut d, Action::Open).is_empty(), "nothing typed yet");
    typed(&mut d, "guess");
    let asked = send(&mut d, Action::Open);
    assert!(
        matches!(&asked[..], [Request::Preview { passphrase: Some(Secret(p)), .. }] if p == "guess")
    );
    d.reply(Reply::Failed("口令不对".into()));
    let SyncDialog::Import(i) = &d else { panic!() };
    let ImportStage::Passphrase { input, .. } = &i.stage else {
        panic!()
    };
    assert!(input.value.is_empty(), "a wrong passphrase is typed again");
    assert_eq!(i.error.as_deref(), Some("口令不对"));
    typed(&mut d, "楼组2026");
    send(&mut d, Action::Open);
    d.reply(previewed());
    let asked = send(&mut d, Action::Open);
    assert!(matches!(&asked[..], [Request::Import { .. }]), "{asked:?}");
}

/// The dialog drawn over an 80×24 screen, as rows of text (wide characters once).
fn screen(d: &SyncDialog, lang: Lang) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (theme, _) = Theme::load("default", None, true);
    let keys = Keymap::default();
    t.draw(|f| d.draw(f, Rect::new(0, 1, 80, 22), &theme, lang, &keys))
        .unwrap();
    let buf = t.backend().buffer().clone();
    (0..24)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < 80 {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += width(sym).max(1) as u16;
            }
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_field_of_the_export_shows_at_80x24_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let t = text(lang);
        let mut d = SyncDialog::Export(Box::new(export()));
        let s = screen(&d, lang);
        for want in [
            t.export_title,
            t.for_whom.trim(),
            t.save_in.trim(),
            t.file_name.trim(),
            "7号楼-2026-12-01.louzu",
            "居委会",
            "1a2b-3c4d-5e6f-7a8b-9c0d",
            "aaaa-bbbb-cccc-dddd-eeee",
            t.trust_new,
        ] {
            assert!(s.contains(want), "{lang:?} lacks {want}:\n{s}");
        }
        assert!(s.contains("Ctrl-s"), "hints come from the keymap:\n{s}");
        // The passphrase row, masked.
        requests(d.update(Action::Down, lang));
        requests(d.update(Action::Open, lang));
        for c in "楼组".chars() {
            requests(d.update(Action::Type(c), lang));
        }
        let s = screen(&d, lang);
        assert!(s.contains(t.again.trim()) && s.contains("**"), "{s}");
        assert!(!s.contains("楼组"), "a passphrase is never shown:\n{s}");
        // The folder's chooser.
        requests(d.update(Action::NextField, lang));
        requests(d.update(Action::NextField, lang));
        let s = screen(&d, lang);
        assert!(s.contains(t.save_here) && s.contains("U盘备份"), "{s}");
    }
}

#[test]
fn trust_and_import_fit_at_80x24_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let t = text(lang);
        let mut d = SyncDialog::Trust(Box::new(TrustDialog::new(export())));
        let s = screen(&d, lang);
        assert!(
            s.contains(t.trust_title) && s.contains(t.card_or_bundle.trim()),
            "{s}"
        );
        assert!(
            s.contains("louzu-名片-居委会.txt"),
            "every file is offered:\n{s}"
        );
        d.reply(Reply::KeyRead {
            key: key(),
            fingerprint: key().fingerprint(),
            name: Some("居委会".into()),
        });
        requests(d.update(Action::Open, lang));
        let s = screen(&d, lang);
        assert!(s.contains(&key().fingerprint()), "{s}");
        assert!(
            s.contains(&fill(t.trust_question, &[("name", "居委会")])),
            "{s}"
        );
        let yes = Keymap::default().hint("trust").unwrap();
        assert!(s.contains(&format!("{yes} {}", t.h_trust)), "{s}");

        let mut d = import();
        let s = screen(&d, lang);
        assert!(
            s.contains(t.import_title) && s.contains("7号楼-2026-11-26.louzu"),
            "{s}"
        );
        assert!(s.contains(t.root_drive), "{s}");
        requests(d.update(Action::Down, lang));
        requests(d.update(Action::Open, lang));
        d.reply(Reply::NeedsPassphrase);
        let s = screen(&d, lang);
        assert!(
            s.contains(t.pass_asked) && s.contains(t.passphrase.trim()),
            "{s}"
        );
    }
}
