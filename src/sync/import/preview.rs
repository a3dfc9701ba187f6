//! What a bundle brings (or brought), in words a leader reads before confirming.

use std::path::PathBuf;

/// What a bundle brings (or brought): the preview shown before applying, and the summary
/// after.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub file: PathBuf,
    /// The sender, by the name this device trusts it under.
    pub sender: String,
    pub fingerprint: String,
    /// When the sender made the bundle.
    pub created: String,
    /// Dates (Shanghai) of the earliest and latest change it brings.
    pub dates: Option<(String, String)>,
    /// Ops not held before.
    pub new_ops: u64,
    /// Records that did not exist here.
    pub new_records: u64,
    /// Existing records with at least one field changed.
    pub changed_records: u64,
    /// Conflicts found (concurrent edits kept for review).
    pub conflicts: u64,
    /// Ops for buildings the sender is not trusted with, left out.
    pub out_of_scope: u64,
    /// Everything in it was already here: nothing changed.
    pub already_held: bool,
    /// Whether the changes were written (false for a dry run).
    pub applied: bool,
    /// This device's own op numbers the sender holds and it does not (`from..=to`): the
    /// database was restored from a backup or copied.
    pub own_ahead: Option<(i64, i64)>,
    /// Op numbers held here and in the bundle with different content; both kept.
    pub forks: Vec<ForkNote>,
    /// This device took a new origin for its future edits (restored or copied).
    pub new_origin: bool,
    /// Households (by room) whose planned visits were brought in line with their merged
    /// tags, in one change of this device's own (`usecase::cadence::after_import`).
    pub replanned: Vec<String>,
}

/// One device's ops found in two versions, as the import's result names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkNote {
    /// The device, by its trusted name.
    pub device: String,
    /// The building (or shared settings), as people know it.
    pub scope: String,
    pub from: i64,
    pub to: i64,
    /// Whether they are this device's own.
    pub ours: bool,
}

impl Preview {
    /// What the import found about restored or copied databases and did about it, one
    /// sentence each (Chinese / English), for the result message.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.new_origin || self.own_ahead.is_some() {
            let mut s = "本机数据库是从备份恢复的，或是从另一台电脑复制来的".to_string();
            if let Some((a, b)) = self.own_ahead {
                s.push_str(&format!(
                    "：「{}」手里有本机第 {a}–{b} 条更改，本机却没有",
                    self.sender
                ));
            }
            s.push_str(if self.applied {
                "。本机今后的修改已改用新的编号记录，不会和已经发出的更改混淆；已有的内容全部保留。"
            } else {
                "。导入时本机今后的修改会改用新的编号记录，已有的内容全部保留。"
            });
            if self.own_ahead.is_some() || self.forks.iter().any(|f| f.ours) {
                s.push_str(&format!(
                    "要取回恢复时丢掉的更改，请让「{}」运行 `louzu export --full --for 本机名称`，再导入。",
                    self.sender
                ));
            }
            s.push_str(" / This database was restored from a backup or copied: its future edits use a new origin; nothing was lost.");
            if self.own_ahead.is_some() || self.forks.iter().any(|f| f.ours) {
                s.push_str(" Ask the sender for `louzu export --full` to get back the changes the restore dropped.");
            }
            out.push(s);
        }
        for f in &self.forks {
            let nums = if f.from == f.to {
                format!("{} 条起", f.from)
            } else {
                format!("{}–{} 条", f.from, f.to)
            };
            out.push(format!(
                "「{}」在{}的第 {nums}更改有两个版本（{}的数据库被恢复或复制过）：两个版本都保留了，同一项上不同的值列入冲突，请用 `louzu conflicts` 查看。 / {}'s changes {}–{} exist in two versions (a restored or copied database): both were kept; differing values are conflicts to review",
                f.device,
                f.scope,
                if f.ours { "本机" } else { "那边" },
                f.device,
                f.from,
                f.to
            ));
        }
        out.extend(self.replan_note());
        out
    }

    /// What re-planning visits after the merge did, one sentence (Chinese / English).
    fn replan_note(&self) -> Option<String> {
        let n = self.replanned.len();
        if n == 0 {
            return None;
        }
        let mut rooms: Vec<&str> = self.replanned.iter().take(5).map(String::as_str).collect();
        if n > 5 {
            rooms.push("…");
        }
        let rooms = rooms.join("、");
        let households = if n == 1 {
            "1 household".to_string()
        } else {
            format!("{n} households")
        };
        Some(if self.applied {
            format!(
                "合并后按各户现在的标签调整了 {n} 户（{rooms}）的例行走访计划：去掉了已没有的标签的计划，补上了缺的；这是本机的一项更改，可以撤销。 / The routine visits of {households} were brought in line with their merged tags (one change of this device's, which can be undone)."
            )
        } else {
            format!(
                "导入后会按各户合并后的标签调整 {n} 户（{rooms}）的例行走访计划。 / Importing will bring the routine visits of {households} in line with their merged tags."
            )
        })
    }

    /// The dates it covers as a person reads them: one day, or `from 至 to`.
    pub fn date_range(&self) -> String {
        match &self.dates {
            Some((a, b)) if a == b => a.clone(),
            Some((a, b)) => format!("{a} 至 {b}"),
            None => String::new(),
        }
    }
}
