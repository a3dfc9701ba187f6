//! The status-bar hints, made from the keymap for the context in focus: after a rebind
//! they show the new keys, and each pane names what its keys do there (Enter completes a
//! visit in the visits pane, opens a household in the roster). Symbols the roster uses
//! are explained at the end of its hints.

use super::app::{App, Pane};
use crate::i18n::Lang;

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Roster,
    Household,
    Visits,
    Needs,
    Duties,
    Checklist,
    Log,
    Entry,
}

impl Context {
    /// The context of the pane in focus.
    pub fn of(app: &App) -> Context {
        match app.focus {
            Pane::Roster if app.roster.open.is_some() => Context::Household,
            Pane::Roster => Context::Roster,
            Pane::Visits if app.visits.needs => Context::Needs,
            Pane::Visits => Context::Visits,
            Pane::Duties if app.duty.open.is_some() => Context::Checklist,
            Pane::Duties => Context::Duties,
            Pane::Log if app.log.open.is_some() => Context::Entry,
            Pane::Log => Context::Log,
        }
    }

    /// (action, what it does here in Chinese, in English), most used first.
    fn actions(self) -> &'static [(&'static str, &'static str, &'static str)] {
        match self {
            Context::Roster => &[
                ("open", "打开", "open"),
                ("add", "新增住户", "add household"),
                ("add_member", "新增党员", "add member"),
                ("edit", "修改", "edit"),
                ("delete", "删除", "delete"),
                ("search", "搜索", "search"),
                ("filter_tag", "标签", "tag"),
                ("undo", "撤销", "undo"),
                ("help", "帮助", "help"),
                ("quit", "退出", "quit"),
            ],
            Context::Household => &[
                ("add", "加居民", "add resident"),
                ("add_member", "加党员", "add member"),
                ("pair", "结对", "pair"),
                ("edit", "修改", "edit"),
                ("delete", "删除", "delete"),
                ("back", "返回", "back"),
                ("help", "帮助", "help"),
            ],
            Context::Visits => &[
                ("open", "完成走访", "complete visit"),
                ("add", "计划走访", "plan visit"),
                ("edit", "修改", "edit"),
                ("overdue_only", "只看逾期", "overdue only"),
                ("add_member", "按党员", "by member"),
                ("filter_tag", "按标签", "by tag"),
                ("toggle_needs", "诉求", "needs"),
                ("help", "帮助", "help"),
            ],
            Context::Needs => &[
                ("advance", "推进状态", "advance"),
                ("open", "修改", "edit"),
                ("add", "登记诉求", "add need"),
                ("toggle_needs", "走访", "visits"),
                ("help", "帮助", "help"),
            ],
            Context::Duties => &[
                ("open", "打开清单/四个无", "checklist / attest"),
                ("add", "分配职责", "assign roles"),
                ("prev_period", "上月", "prev month"),
                ("next_period", "下月", "next month"),
                ("help", "帮助", "help"),
            ],
            Context::Checklist => &[
                ("open", "打勾/取消", "tick / untick"),
                ("edit", "日期和备注", "date and note"),
                ("back", "返回", "back"),
                ("help", "帮助", "help"),
            ],
            Context::Log => &[
                ("open", "详情", "details"),
                ("add", "新增活动", "add activity"),
                ("toggle_view", "日志/活动", "journal / activities"),
                ("filter_tag", "类别", "kind"),
                ("filter_dates", "日期", "dates"),
                ("search", "搜索", "search"),
                ("restore", "恢复已删除", "restore deleted"),
                ("help", "帮助", "help"),
            ],
            Context::Entry => &[
                ("restore", "恢复", "restore"),
                ("back", "返回", "back"),
                ("help", "帮助", "help"),
            ],
        }
    }

    /// What the symbols on this context's screen mean.
    fn legend(self, lang: Lang) -> &'static str {
        match self {
            Context::Roster => lang.pick("∞ 已结对 ↻ 下次走访", "∞ paired ↻ next visit"),
            _ => "",
        }
    }
}

/// The hint line for the focused context: `Enter 打开 · a 新增住户 · …`, keys from the
/// keymap (an unbound action is left out), the symbol legend last.
pub fn status_line(app: &App) -> String {
    let ctx = Context::of(app);
    // An opened entry offers restore only when its record is deleted now.
    let restorable = app.data.entry.as_ref().is_some_and(|e| e.deleted_now);
    let mut parts: Vec<String> = ctx
        .actions()
        .iter()
        .filter(|(action, _, _)| ctx != Context::Entry || *action != "restore" || restorable)
        .filter_map(|(action, zh, en)| {
            let key = app.keymap.hint(action)?;
            Some(format!("{key} {}", app.lang.pick(zh, en)))
        })
        .collect();
    let legend = ctx.legend(app.lang);
    if !legend.is_empty() {
        parts.push(legend.to_string());
    }
    parts.join(" · ")
}
