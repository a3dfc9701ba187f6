//! `louzu device`, `trust`, `export`, `import`, `conflicts`, `resolve`: the sync commands,
//! printing what happened in words a leader can act on, in the interface language.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::said;
use crate::domain::EntityKind;
use crate::i18n::Lang;
use crate::progress::Progress;
use crate::store::Store;
use crate::sync::conflicts::{self, Resolution};
use crate::sync::export::{ExportOptions, export, suggested_name};
use crate::sync::import::{ImportOptions, Preview, check_file, import_files};
use crate::sync::{Identity, SyncError, trust};

/// A bundle scope (a building, or the shared settings) as the interface names it.
fn scope_label(store: &Store, scope: &str, lang: Lang) -> String {
    if scope == crate::store::SHARED_SCOPE {
        return lang.pick("共享设置", "shared settings").to_string();
    }
    let name = store
        .record(EntityKind::Building, scope)
        .ok()
        .flatten()
        .map(|b| b.label())
        .filter(|n| !n.is_empty());
    match (name, lang) {
        (Some(n), Lang::Zh) => format!("楼组「{n}」"),
        (Some(n), Lang::En) => format!("building \"{n}\""),
        (None, Lang::Zh) => format!("楼组 {scope}"),
        (None, Lang::En) => format!("building {scope}"),
    }
}

/// A stored value in a conflict, as a form would show it.
fn show_value(v: &serde_json::Value, lang: Lang) -> String {
    match v {
        serde_json::Value::String(s) => crate::domain::entity::word_label(s, lang).to_string(),
        other => crate::domain::value::edit_text(other, lang),
    }
}

/// `louzu device [--name N] [--card FILE]`.
pub fn device(
    store: &Store,
    name: Option<&str>,
    card: Option<&Path>,
    lang: Lang,
) -> anyhow::Result<()> {
    let me = match name {
        Some(n) => Identity::rename(store, n)?,
        None => Identity::load_or_create(store)?,
    };
    let key = me.key();
    let (l_name, l_fp, l_key) = match lang {
        Lang::Zh => ("设备名称：", "指纹：    ", "设备密钥："),
        Lang::En => ("name:        ", "fingerprint: ", "device key:  "),
    };
    crate::out!("{l_name}{}", me.name);
    crate::out!("{l_fp}{}", key.fingerprint());
    crate::out!("{l_key}{}", key.to_text());
    if let Some(card) = card {
        std::fs::write(card, me.card()).map_err(|e| {
            said(
                format!("无法写入名片 {}：{e}", card.display()),
                format!("cannot write the device card {}: {e}", card.display()),
            )
        })?;
        match lang {
            Lang::Zh => crate::out!(
                "名片已写入 {}：请对方运行 `louzu trust {} --name {}`",
                card.display(),
                card.display(),
                me.name
            ),
            Lang::En => crate::out!(
                "device card written to {}: on the other device run `louzu trust {} --name {}`",
                card.display(),
                card.display(),
                me.name
            ),
        }
    }
    let trusted = trust::list(store)?;
    if !trusted.is_empty() {
        crate::out!("\n{}", lang.pick("受信任的设备：", "trusted devices:"));
        for d in trusted {
            let scope = match &d.buildings {
                None => lang.pick("全部楼组", "all buildings").to_string(),
                Some(b) => b
                    .iter()
                    .map(|id| scope_label(store, id, lang))
                    .collect::<Vec<_>>()
                    .join(lang.pick("、", ", ")),
            };
            crate::out!("  {}  {}  {scope}", d.name, d.key.fingerprint());
        }
    }
    Ok(())
}

/// `louzu trust FILE|KEY --name N [--buildings B…] [--replace]`.
pub fn trust_cmd(
    store: &Store,
    input: &str,
    name: &str,
    buildings: &[String],
    replace: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let key = trust::read_key(input)?;
    let buildings = if buildings.is_empty() {
        None
    } else {
        Some(trust::resolve_buildings(store, buildings)?)
    };
    let d = trust::trust(store, key, name, buildings, replace)?;
    match lang {
        Lang::Zh => crate::out!(
            "已信任「{}」，指纹 {}。请与对方 `louzu device` 显示的指纹核对。",
            d.name,
            d.key.fingerprint()
        ),
        Lang::En => crate::out!(
            "trusted \"{}\", fingerprint {}. Compare it with the fingerprint `louzu device` shows on that device.",
            d.name,
            d.key.fingerprint()
        ),
    }
    Ok(())
}

fn read_passphrase(file: Option<&Path>) -> anyhow::Result<Option<String>> {
    let Some(f) = file else { return Ok(None) };
    let text = std::fs::read_to_string(f).map_err(|e| {
        said(
            format!("无法读取口令文件 {}：{e}", f.display()),
            format!("cannot read the passphrase file {}: {e}", f.display()),
        )
    })?;
    let p = text.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        return Err(SyncError::EmptyPassphrase(f.to_path_buf()).into());
    }
    Ok(Some(p))
}

/// `louzu export [--to FILE|FOLDER] [--for NAME…] [--passphrase-file F] [--full]`: without
/// `--to`, or given a folder, the bundle gets its dated name in that folder (the output
/// folder by default).
#[allow(clippy::too_many_arguments)]
pub fn export_cmd(
    store: &Store,
    to: Option<&Path>,
    out_dir: &Path,
    for_names: Vec<String>,
    passphrase_file: Option<&Path>,
    full: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let opts = ExportOptions {
        for_names,
        passphrase: read_passphrase(passphrase_file)?,
        full,
    };
    let to = match to {
        Some(p) if !p.is_dir() => p.to_path_buf(),
        Some(dir) => dir.join(suggested_name(store)),
        None => {
            crate::config::output::prepare(out_dir).map_err(|e| {
                said(
                    format!("无法建立输出文件夹 {}：{e}", out_dir.display()),
                    format!("cannot make the output folder {}: {e}", out_dir.display()),
                )
            })?;
            out_dir.join(suggested_name(store))
        }
    };
    let s = export(store, &to, &opts)?;
    let who = if s.recipients.is_empty() {
        lang.pick("口令", "the passphrase").to_string()
    } else {
        s.recipients.join(lang.pick("、", ", "))
    };
    let path = crate::config::output::shown(&s.path);
    match lang {
        Lang::Zh => crate::out!(
            "已导出 {} 项更改（{} 个楼组）到 {path}，给 {who}，{} 字节",
            s.ops,
            s.scopes,
            s.bytes
        ),
        Lang::En => crate::out!(
            "exported {} changes ({} buildings) to {path}, for {who}, {} bytes",
            s.ops,
            s.scopes,
            s.bytes
        ),
    }
    Ok(())
}

/// The dates a bundle's changes span, in the interface language.
fn date_range(p: &Preview, lang: Lang) -> String {
    match &p.dates {
        Some((a, b)) if a == b => a.clone(),
        Some((a, b)) => format!("{a} {} {b}", lang.pick("至", "to")),
        None => String::new(),
    }
}

fn describe(p: &Preview, lang: Lang) -> String {
    // What import noticed (a restored or copied database, versions kept side by side).
    let mut s = describe_counts(p, lang);
    for note in p.notes() {
        s.push_str("\n  ");
        s.push_str(&note);
    }
    s
}

fn describe_counts(p: &Preview, lang: Lang) -> String {
    let file = p.file.display();
    if p.already_held {
        return match lang {
            Lang::Zh => format!("{file}：来自「{}」，已经导入过，没有任何改动。", p.sender),
            Lang::En => format!(
                "{file}: from \"{}\", already imported; nothing changed.",
                p.sender
            ),
        };
    }
    let dates = date_range(p, lang);
    let mut s = match lang {
        Lang::Zh => format!(
            "{file}：来自「{}」（指纹 {}），制作于 {}，覆盖 {dates}：新记录 {}，修改 {}，冲突 {}（共 {} 项更改）",
            p.sender,
            p.fingerprint,
            p.created,
            p.new_records,
            p.changed_records,
            p.conflicts,
            p.new_ops
        ),
        Lang::En => format!(
            "{file}: from \"{}\" (fingerprint {}), made {}, covering {dates}: {} new records, {} changed, {} conflicts ({} changes in all)",
            p.sender,
            p.fingerprint,
            p.created,
            p.new_records,
            p.changed_records,
            p.conflicts,
            p.new_ops
        ),
    };
    if p.out_of_scope > 0 {
        s.push_str(&match lang {
            Lang::Zh => format!(
                "\n  另有 {} 项属于「{}」无权修改的楼组，已忽略。",
                p.out_of_scope, p.sender
            ),
            Lang::En => format!(
                "\n  {} more changes are for buildings \"{}\" may not change; left out.",
                p.out_of_scope, p.sender
            ),
        });
    }
    if p.conflicts > 0 && p.applied {
        s.push_str(lang.pick(
            "\n  运行 `louzu conflicts` 查看冲突。",
            "\n  run `louzu conflicts` to review them.",
        ));
    }
    s
}

/// `louzu import FILE… [--dry-run] [--yes] [--passphrase-file F]`. On a terminal without
/// `--yes`, each bundle's preview is shown and applied only when confirmed.
pub fn import_cmd(
    store: &mut Store,
    files: &[PathBuf],
    dry_run: bool,
    yes: bool,
    passphrase_file: Option<&Path>,
    lang: Lang,
) -> anyhow::Result<()> {
    let passphrase = read_passphrase(passphrase_file)?;
    let ask = !dry_run && !yes && std::io::stdin().is_terminal();
    let mut failed = 0;
    let fail = |e: &dyn std::fmt::Display| eprintln!("louzu: {e}");
    if dry_run || ask {
        let preview_opts = ImportOptions {
            passphrase: passphrase.clone(),
            dry_run: true,
        };
        let none = Progress::none();
        for f in files {
            // Checked once: the confirmation applies the bundle the preview showed.
            let previewed = check_file(store, f, &preview_opts, &none)
                .and_then(|c| c.apply(store, true, &none).map(|p| (c, p)));
            match previewed {
                Ok((checked, p)) => {
                    crate::out!("{}", describe(&p, lang));
                    if ask && !p.already_held && confirm(lang)? {
                        let done = checked.apply(store, false, &none)?;
                        crate::out!(
                            "{}{}",
                            lang.pick("已导入：", "imported: "),
                            describe(&done, lang)
                        );
                    }
                }
                Err(e) => {
                    failed += 1;
                    fail(&e);
                }
            }
        }
    } else {
        let opts = ImportOptions {
            passphrase,
            dry_run: false,
        };
        for r in import_files(store, files, &opts) {
            match r {
                Ok(p) => crate::out!("{}", describe(&p, lang)),
                Err(e) => {
                    failed += 1;
                    fail(&e);
                }
            }
        }
    }
    if failed > 0 {
        return Err(said(
            format!("{failed} 个数据包没有导入（原因见上）"),
            format!("{failed} bundle(s) not imported (see above)"),
        ));
    }
    Ok(())
}

fn confirm(lang: Lang) -> anyhow::Result<bool> {
    print!("{}", lang.pick("导入吗？(y/N) ", "import it? (y/N) "));
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "是"))
}

/// `louzu conflicts [--json] [--all]`.
pub fn conflicts_cmd(store: &Store, json: bool, all: bool, lang: Lang) -> anyhow::Result<()> {
    let list = conflicts::list(store, all)?;
    if json {
        crate::out!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    if list.is_empty() {
        crate::out!("{}", lang.pick("没有待处理的冲突", "no open conflicts"));
        return Ok(());
    }
    for c in &list {
        let kind = EntityKind::parse(&c.kind);
        let label = |field: &str| {
            kind.and_then(|k| k.field(field))
                .map(|f| f.label(lang).to_string())
                .unwrap_or_else(|| field.to_string())
        };
        let kind_label = kind.map(|k| k.label(lang)).unwrap_or(&c.kind);
        let done = if c.resolved {
            lang.pick("（已解决）", " (resolved)")
        } else {
            ""
        };
        let (a, b) = (&c.a, &c.b);
        match (c.edit_vs_delete, lang) {
            (true, Lang::Zh) => crate::out!(
                "{}{done}  {kind_label}「{}」：A 已被 {}（{}，{}）删除；B {}（{}，{}）不知道已删除，改了{}为「{}」\n    保留删除：louzu resolve {} --keep a    恢复记录：louzu resolve {} --keep b",
                c.id,
                c.record,
                a.author,
                a.device,
                a.at,
                b.author,
                b.device,
                b.at,
                label(&b.field),
                show_value(&b.value, lang),
                c.id,
                c.id
            ),
            (true, Lang::En) => crate::out!(
                "{}{done}  {kind_label} \"{}\": A deleted it ({}, {}, {}); B, not knowing of the deletion, changed {} to \"{}\" ({}, {}, {})\n    keep the deletion: louzu resolve {} --keep a    restore the record: louzu resolve {} --keep b",
                c.id,
                c.record,
                a.author,
                a.device,
                a.at,
                label(&b.field),
                show_value(&b.value, lang),
                b.author,
                b.device,
                b.at,
                c.id,
                c.id
            ),
            (false, Lang::Zh) => crate::out!(
                "{}{done}  {kind_label}「{}」的{}：A「{}」（{}，{}，{}） B「{}」（{}，{}，{}）\n    louzu resolve {} --keep a|b 或 --value 新值",
                c.id,
                c.record,
                label(&c.field),
                show_value(&a.value, lang),
                a.author,
                a.device,
                a.at,
                show_value(&b.value, lang),
                b.author,
                b.device,
                b.at,
                c.id
            ),
            (false, Lang::En) => crate::out!(
                "{}{done}  {} of {kind_label} \"{}\": A \"{}\" ({}, {}, {})  B \"{}\" ({}, {}, {})\n    louzu resolve {} --keep a|b or --value NEW",
                c.id,
                label(&c.field),
                c.record,
                show_value(&a.value, lang),
                a.author,
                a.device,
                a.at,
                show_value(&b.value, lang),
                b.author,
                b.device,
                b.at,
                c.id
            ),
        }
    }
    Ok(())
}

/// `louzu resolve ID --keep a|b | --value V`.
pub fn resolve_cmd(
    store: &mut Store,
    id: &str,
    keep: Option<&str>,
    value: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    let how = match (keep, value) {
        (Some("a" | "A"), None) => Resolution::KeepA,
        (Some("b" | "B"), None) => Resolution::KeepB,
        (None, Some(v)) => Resolution::Value(v.to_string()),
        _ => {
            return Err(said(
                "请用 --keep a、--keep b 或 --value 新值 其中之一",
                "use one of --keep a, --keep b or --value NEW",
            ));
        }
    };
    conflicts::resolve(store, id, how)?;
    crate::out!(
        "{}",
        match lang {
            Lang::Zh => format!("冲突 {id} 已解决；这个决定会随下次导出同步。"),
            Lang::En => format!("conflict {id} resolved; the decision syncs with the next export."),
        }
    );
    Ok(())
}
