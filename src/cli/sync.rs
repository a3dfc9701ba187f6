//! `louzu device`, `trust`, `export`, `import`, `conflicts`, `resolve`: the sync commands,
//! printing what happened in words a leader can act on.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::store::Store;
use crate::sync::conflicts::{self, Resolution, show_value};
use crate::sync::export::{ExportOptions, export};
use crate::sync::import::{ImportOptions, Preview, import_file, import_files};
use crate::sync::{Identity, SyncError, trust};

/// `louzu device [--name N] [--card FILE]`.
pub fn device(store: &Store, name: Option<&str>, card: Option<&Path>) -> anyhow::Result<()> {
    let me = match name {
        Some(n) => Identity::rename(store, n)?,
        None => Identity::load_or_create(store)?,
    };
    let key = me.key();
    crate::out!("设备名称 / name:        {}", me.name);
    crate::out!("指纹 / fingerprint:     {}", key.fingerprint());
    crate::out!("设备密钥 / device key:  {}", key.to_text());
    if let Some(card) = card {
        std::fs::write(card, format!("{}\n{}\n", key.to_text(), me.name))
            .with_context(|| format!("无法写入 {}", card.display()))?;
        crate::out!(
            "名片已写入 {}：对方运行 `louzu trust {} --name {}` / device card written",
            card.display(),
            card.display(),
            me.name
        );
    }
    let trusted = trust::list(store)?;
    if !trusted.is_empty() {
        crate::out!("\n受信任的设备 / trusted devices:");
        for d in trusted {
            let scope = match &d.buildings {
                None => "全部楼组 / all buildings".to_string(),
                Some(b) => b
                    .iter()
                    .map(|id| crate::sync::import::scope_label(store, id))
                    .collect::<Vec<_>>()
                    .join("、"),
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
) -> anyhow::Result<()> {
    let key = trust::read_key(input)?;
    let buildings = if buildings.is_empty() {
        None
    } else {
        Some(trust::resolve_buildings(store, buildings)?)
    };
    let d = trust::trust(store, key, name, buildings, replace)?;
    crate::out!(
        "已信任「{}」，指纹 {}。请与对方 `louzu device` 显示的指纹核对。 / trusted {} ({})",
        d.name,
        d.key.fingerprint(),
        d.name,
        d.key.fingerprint()
    );
    Ok(())
}

fn read_passphrase(file: Option<&Path>) -> anyhow::Result<Option<String>> {
    let Some(f) = file else { return Ok(None) };
    let text = std::fs::read_to_string(f).with_context(|| {
        format!(
            "无法读取口令文件 {} / cannot read passphrase file",
            f.display()
        )
    })?;
    let p = text.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        return Err(SyncError::EmptyPassphrase(f.to_path_buf()).into());
    }
    Ok(Some(p))
}

/// `louzu export --to FILE [--for NAME…] [--passphrase-file F] [--full]`.
pub fn export_cmd(
    store: &Store,
    to: &Path,
    for_names: Vec<String>,
    passphrase_file: Option<&Path>,
    full: bool,
) -> anyhow::Result<()> {
    let opts = ExportOptions {
        for_names,
        passphrase: read_passphrase(passphrase_file)?,
        full,
    };
    let s = export(store, to, &opts)?;
    let who = if s.recipients.is_empty() {
        "口令 / passphrase".to_string()
    } else {
        s.recipients.join("、")
    };
    crate::out!(
        "已导出 {} 项更改（{} 个楼组）到 {}，给 {who}，{} 字节 / exported {} ops to {}",
        s.ops,
        s.scopes,
        s.path.display(),
        s.bytes,
        s.ops,
        s.path.display()
    );
    Ok(())
}

fn describe(p: &Preview) -> String {
    let mut s = describe_counts(p);
    for note in p.notes() {
        s.push_str("\n  ");
        s.push_str(&note);
    }
    s
}

fn describe_counts(p: &Preview) -> String {
    if p.already_held {
        return format!(
            "{}：来自「{}」，已经导入过，没有任何改动。 / already imported: nothing changed",
            p.file.display(),
            p.sender
        );
    }
    let dates = p.date_range();
    let mut s = format!(
        "{}：来自「{}」（指纹 {}），制作于 {}，覆盖 {dates}：新记录 {}，修改 {}，冲突 {}（共 {} 项更改） / from {}: {} new, {} changed, {} conflicts",
        p.file.display(),
        p.sender,
        p.fingerprint,
        p.created,
        p.new_records,
        p.changed_records,
        p.conflicts,
        p.new_ops,
        p.sender,
        p.new_records,
        p.changed_records,
        p.conflicts
    );
    if p.out_of_scope > 0 {
        s.push_str(&format!(
            "\n  另有 {} 项属于「{}」无权修改的楼组，已忽略。",
            p.out_of_scope, p.sender
        ));
    }
    if p.conflicts > 0 && p.applied {
        s.push_str("\n  运行 `louzu conflicts` 查看冲突。 / run `louzu conflicts`");
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
) -> anyhow::Result<()> {
    let passphrase = read_passphrase(passphrase_file)?;
    let ask = !dry_run && !yes && std::io::stdin().is_terminal();
    let mut failed = 0;
    if dry_run || ask {
        let preview_opts = ImportOptions {
            passphrase: passphrase.clone(),
            dry_run: true,
        };
        for f in files {
            match import_file(store, f, &preview_opts) {
                Ok(p) => {
                    crate::out!("{}", describe(&p));
                    if ask && !p.already_held && confirm()? {
                        let opts = ImportOptions {
                            passphrase: passphrase.clone(),
                            dry_run: false,
                        };
                        let done = import_file(store, f, &opts)?;
                        crate::out!("已导入 / imported: {}", describe(&done));
                    }
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("louzu: {e}");
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
                Ok(p) => crate::out!("{}", describe(&p)),
                Err(e) => {
                    failed += 1;
                    eprintln!("louzu: {e}");
                }
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} 个数据包没有导入 / {failed} bundle(s) not imported");
    }
    Ok(())
}

fn confirm() -> anyhow::Result<bool> {
    print!("导入吗？(y/N) / import? ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "是"))
}

/// `louzu conflicts [--json] [--all]`.
pub fn conflicts_cmd(store: &Store, json: bool, all: bool) -> anyhow::Result<()> {
    let list = conflicts::list(store, all)?;
    if json {
        crate::out!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    if list.is_empty() {
        crate::out!("没有待处理的冲突 / no open conflicts");
        return Ok(());
    }
    for c in &list {
        let kind = crate::domain::EntityKind::parse(&c.kind);
        let field_label = kind
            .and_then(|k| k.field(&c.field))
            .map(|f| f.zh)
            .unwrap_or(&c.field);
        let kind_zh = kind.map(|k| k.zh()).unwrap_or(&c.kind);
        let done = if c.resolved { "（已解决）" } else { "" };
        if c.edit_vs_delete {
            let bf = kind
                .and_then(|k| k.field(&c.b.field))
                .map(|f| f.zh)
                .unwrap_or(&c.b.field);
            crate::out!(
                "{}{done}  {kind_zh}「{}」：A 已被 {}（{}，{}）删除；B {}（{}，{}）之后改了{bf}为「{}」\n    保留删除：louzu resolve {} --keep a    恢复记录：louzu resolve {} --keep b",
                c.id,
                c.record,
                c.a.author,
                c.a.device,
                c.a.at,
                c.b.author,
                c.b.device,
                c.b.at,
                show_value(&c.b.value),
                c.id,
                c.id
            );
        } else {
            crate::out!(
                "{}{done}  {kind_zh}「{}」的{field_label}：A「{}」（{}，{}，{}） B「{}」（{}，{}，{}）\n    louzu resolve {} --keep a|b 或 --value 新值",
                c.id,
                c.record,
                show_value(&c.a.value),
                c.a.author,
                c.a.device,
                c.a.at,
                show_value(&c.b.value),
                c.b.author,
                c.b.device,
                c.b.at,
                c.id
            );
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
) -> anyhow::Result<()> {
    let how = match (keep, value) {
        (Some("a" | "A"), None) => Resolution::KeepA,
        (Some("b" | "B"), None) => Resolution::KeepB,
        (None, Some(v)) => Resolution::Value(v.to_string()),
        _ => anyhow::bail!(
            "请用 --keep a、--keep b 或 --value 新值 其中之一 / use one of --keep a, --keep b, --value V"
        ),
    };
    conflicts::resolve(store, id, how)?;
    crate::out!(
        "冲突 {id} 已解决；这个决定会随下次导出同步。 / resolved; it syncs with the next export"
    );
    Ok(())
}
