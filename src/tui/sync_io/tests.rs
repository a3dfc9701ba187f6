//! The driver's sync work on real stores and a temporary folder: exporting into a folder
//! that does not exist yet, trusting a device from its card, and importing what the
//! chooser picked, passphrase included.

use serde_json::json;

use super::*;
use crate::domain::EntityKind as K;
use crate::tui::action::Action;
use crate::tui::dialogs::sync::{Secret, Step};

struct Side {
    store: Store,
    _dir: tempfile::TempDir,
}

fn side(name: &str) -> Side {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("louzu.db")).unwrap();
    Identity::rename(&store, name).unwrap();
    Side { store, _dir: dir }
}

fn ask(s: &mut Side, req: Request, out_dir: &Path) -> Reply {
    let ctx = Ctx {
        lang: Lang::Zh,
        out_dir,
    };
    run(&mut s.store, req, &ctx, &crate::progress::Progress::none()).0
}

/// The requests a dialog step asks for.
fn asked(step: Step) -> Vec<Request> {
    match step {
        Step::Stay(effects) => effects
            .into_iter()
            .filter_map(|e| match e {
                crate::tui::effect::Effect::Sync(r) => Some(r),
                _ => None,
            })
            .collect(),
        Step::Close => Vec::new(),
    }
}

/// Feeds an action to the dialog and performs what it asks, as the driver does.
fn press(s: &mut Side, d: &mut SyncDialog, action: Action, out_dir: &Path) -> Vec<Reply> {
    let mut replies = Vec::new();
    for req in asked(d.update(action, Lang::Zh)) {
        let reply = ask(s, req, out_dir);
        replies.push(reply.clone());
        d.reply(reply);
    }
    replies
}

/// `to` trusts `from` from the card `from` wrote into `out`.
fn befriend(from: &mut Side, to: &mut Side, out: &Path) {
    let folder = out.display().to_string();
    let Reply::Note(n) = ask(from, Request::WriteCard { folder }, out) else {
        panic!("no card")
    };
    let name = Identity::load_or_create(&from.store).unwrap().name;
    let card = out.join(format!("louzu-名片-{name}.txt"));
    assert!(
        n.contains(&card.display().to_string()),
        "the full path: {n}"
    );
    let input = card.display().to_string();
    let Reply::KeyRead { key, name, .. } = ask(to, Request::ReadKey { input }, out) else {
        panic!("no key")
    };
    let name = name.expect("the card carries the name");
    assert!(matches!(
        ask(to, Request::Trust { key, name }, out),
        Reply::Trusted { .. }
    ));
}

/// 组长 with a building and a household, and 副组长; each trusts the other by card.
fn pair(out: &Path) -> (Side, Side, String) {
    let (mut a, mut b) = (side("组长"), side("副组长"));
    befriend(&mut a, &mut b, out);
    befriend(&mut b, &mut a, out);
    let bld = a
        .store
        .create(K::Building, vec![("name", json!("7号楼"))])
        .unwrap();
    a.store.set_local_setting("building", &bld).unwrap();
    let h = a
        .store
        .create(
            K::Household,
            vec![("building_id", json!(bld)), ("room", json!("301"))],
        )
        .unwrap();
    (a, b, h)
}

#[test]
fn trusting_from_a_card_file_or_pasted_text_uses_the_name_it_carries() {
    let out = tempfile::tempdir().unwrap();
    let (a, b, _) = pair(out.path());
    let names: Vec<String> = trust::list(&b.store)
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, vec!["组长"]);
    // The card's text pasted on one line reads the same.
    let me = Identity::load_or_create(&a.store).unwrap();
    let pasted = me.card().replace('\n', " ");
    let mut c = side("居委会");
    let Reply::KeyRead { key, name, .. } =
        ask(&mut c, Request::ReadKey { input: pasted }, out.path())
    else {
        panic!()
    };
    assert_eq!(key, me.key());
    assert_eq!(name.as_deref(), Some("组长"));
    // Its own key is refused, said in words.
    let own = Identity::load_or_create(&c.store).unwrap().key();
    let Reply::Failed(e) = ask(
        &mut c,
        Request::Trust {
            key: own,
            name: "我".into(),
        },
        out.path(),
    ) else {
        panic!()
    };
    assert!(e.contains("本设备自己的密钥"), "{e}");
}

#[test]
fn export_makes_the_folder_and_import_goes_through_the_chooser() {
    let out = tempfile::tempdir().unwrap();
    let (mut a, mut b, h) = pair(out.path());
    let usb = out.path().join("U盘");
    let Reply::Finished(msg) = ask(
        &mut a,
        Request::Export {
            folder: usb.display().to_string(),
            file: "7号楼.louzu".into(),
            to: Recipient::Device("副组长".into()),
        },
        out.path(),
    ) else {
        panic!("not exported")
    };
    let file = usb.join("7号楼.louzu");
    assert!(file.exists(), "the folder was made on the first write");
    assert!(msg.contains(&file.display().to_string()), "{msg}");

    // 副组长 opens the import on the output folder and walks into U盘 with the chooser.
    let Reply::Open(d) = ask(&mut b, Request::OpenImport, out.path()) else {
        panic!()
    };
    let mut d = *d;
    for c in "U盘".chars() {
        press(&mut b, &mut d, Action::Type(c), out.path());
    }
    press(&mut b, &mut d, Action::Open, out.path());
    let SyncDialog::Import(i) = &d else { panic!() };
    assert!(
        i.chooser.input.value.ends_with("U盘/"),
        "{}",
        i.chooser.input.value
    );
    let replies = press(&mut b, &mut d, Action::Open, out.path());
    let [Reply::Previewed { lines, .. }] = &replies[..] else {
        panic!("{replies:?}")
    };
    assert!(lines.iter().any(|l| l.contains("新记录 2")), "{lines:?}");
    assert!(
        b.store.record(K::Household, &h).unwrap().is_none(),
        "only a preview"
    );
    let replies = press(&mut b, &mut d, Action::Open, out.path());
    let [Reply::Finished(msg)] = &replies[..] else {
        panic!("{replies:?}")
    };
    assert!(msg.contains("已从「组长」导入"), "{msg}");
    assert!(b.store.record(K::Household, &h).unwrap().is_some());
}

#[test]
fn a_passphrase_bundle_is_asked_for_its_passphrase() {
    let out = tempfile::tempdir().unwrap();
    let (mut a, mut b, h) = pair(out.path());
    let Reply::Finished(msg) = ask(
        &mut a,
        Request::Export {
            folder: out.path().display().to_string(),
            file: "口令.louzu".into(),
            to: Recipient::Passphrase(Secret("楼组 2026".into())),
        },
        out.path(),
    ) else {
        panic!()
    };
    assert!(msg.contains("凭口令打开"), "{msg}");
    let path = out.path().join("口令.louzu").display().to_string();
    let preview = |passphrase: Option<&str>| Request::Preview {
        path: path.clone(),
        passphrase: passphrase.map(|p| Secret(p.into())),
    };
    assert!(matches!(
        ask(&mut b, preview(None), out.path()),
        Reply::NeedsPassphrase
    ));
    let Reply::Failed(e) = ask(&mut b, preview(Some("猜")), out.path()) else {
        panic!()
    };
    assert!(e.contains("口令不对"), "{e}");
    let Reply::Previewed { bundle, .. } = ask(&mut b, preview(Some("楼组 2026")), out.path())
    else {
        panic!()
    };
    let import = Request::Import { bundle };
    assert!(matches!(
        ask(&mut b, import, out.path()),
        Reply::Finished(_)
    ));
    assert!(b.store.record(K::Household, &h).unwrap().is_some());
}

#[test]
fn the_confirmation_applies_the_previewed_bundle_without_checking_it_again() {
    use crate::progress::{Stage, Step};
    use std::cell::Cell;
    use std::sync::atomic::AtomicBool;
    let out = tempfile::tempdir().unwrap();
    let (mut a, mut b, h) = pair(out.path());
    let Reply::Finished(_) = ask(
        &mut a,
        Request::Export {
            folder: out.path().display().to_string(),
            file: "7号楼.louzu".into(),
            to: Recipient::Passphrase(Secret("楼组 2026".into())),
        },
        out.path(),
    ) else {
        panic!()
    };
    let file = out.path().join("7号楼.louzu");
    let (opened, applied) = (Cell::new(0), Cell::new(0));
    let count = |s: Step| match s.stage {
        Stage::Checking => opened.set(opened.get() + 1),
        Stage::Applying if s.done == s.total => applied.set(applied.get() + 1),
        _ => {}
    };
    let never = AtomicBool::new(false);
    let progress = Progress::new(&count, &never);
    let ctx = Ctx {
        lang: Lang::Zh,
        out_dir: out.path(),
    };
    let preview = Request::Preview {
        path: file.display().to_string(),
        passphrase: Some(Secret("楼组 2026".into())),
    };
    let (Reply::Previewed { bundle, .. }, _) = run(&mut b.store, preview, &ctx, &progress) else {
        panic!()
    };
    assert_eq!(
        (opened.get(), applied.get()),
        (1, 1),
        "the preview checks and tries it"
    );
    // The file is gone (the USB stick pulled out): the confirmation does not need it.
    std::fs::remove_file(&file).unwrap();
    let (reply, changed) = run(&mut b.store, Request::Import { bundle }, &ctx, &progress);
    assert!(matches!(reply, Reply::Finished(_)) && changed, "{reply:?}");
    assert_eq!(
        (opened.get(), applied.get()),
        (1, 2),
        "applied again for real, but never read, verified or decrypted again"
    );
    assert!(b.store.record(K::Household, &h).unwrap().is_some());
}

#[test]
fn a_refusal_is_said_in_the_interface_language_only() {
    let e = "已取消，数据包「a.louzu」没有导入任何内容。 / cancelled: nothing of bundle a.louzu was imported";
    assert_eq!(
        one_language(e, Lang::En),
        "cancelled: nothing of bundle a.louzu was imported"
    );
    assert!(
        one_language(e, Lang::Zh).starts_with("已取消")
            && !one_language(e, Lang::Zh).contains("cancelled")
    );
    assert_eq!(one_language("磁盘已满", Lang::En), "磁盘已满");
}
