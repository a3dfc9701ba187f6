//! End to end: the real `louzu` binary in a tmux pseudo-terminal, driven by keys as a
//! leader would, asserting what appears on the screen.

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

struct Tmux {
    name: String,
}

impl Tmux {
    fn start(name: &str, cmd: &str, w: u16, h: u16) -> Option<Tmux> {
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                cmd,
            ])
            .status()
            .ok()?
            .success();
        ok.then(|| Tmux {
            name: name.to_string(),
        })
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .expect("tmux send-keys");
            sleep(Duration::from_millis(60));
        }
    }

    /// Literal text, as an IME would commit it.
    fn text(&self, text: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .expect("tmux send-keys");
        sleep(Duration::from_millis(60));
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `pred`, failing with the screen after 60 s (a
    /// loaded CI machine can take long to write the demo in a debug build).
    fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(60) {
                panic!("waited for {what}; screen was:\n{s}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["has-session", "-t", &self.name])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

fn tmux_available() -> bool {
    Command::new("tmux").arg("-V").output().is_ok()
}

fn louzu_cmd(dir: &Path, args: &str) -> String {
    format!(
        "env LOUZU_CONFIG_DIR={cfg} LOUZU_DB={db} TERM=xterm-256color {bin} {args}",
        cfg = dir.join("config").display(),
        db = dir.join("real.db").display(),
        bin = env!("CARGO_BIN_EXE_louzu"),
    )
}

#[test]
fn demo_panes_pinyin_search_help_and_quit() {
    if !tmux_available() {
        panic!("tmux is required for the end-to-end test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let cmd = louzu_cmd(dir.path(), &format!("demo --db {}", db.display()));
    let name = format!("louzu-e2e-{}", std::process::id());
    let t = Tmux::start(&name, &cmd, 140, 40).expect("tmux session");

    let s = t.wait("the four panes", |s| {
        s.contains("楼组名册") && s.contains("活动记录")
    });
    assert!(s.contains("待走访") && s.contains("六个员"), "{s}");
    assert!(s.contains("▶ 1 楼组名册"), "roster focused first:\n{s}");

    t.keys(&["2"]);
    t.wait("visits focused", |s| s.contains("▶ 2 待走访"));
    t.keys(&["Tab"]);
    t.wait("duties focused", |s| s.contains("▶ 3 六个员"));
    t.keys(&["1"]);
    t.wait("roster focused", |s| s.contains("▶ 1 楼组名册"));

    // 曾国华 by the initials of either reading of 曾 (zeng / ceng).
    t.keys(&["/"]);
    t.text("zgh");
    let s = t.wait("search results", |s| s.contains("曾国华"));
    t.keys(&["Enter"]);
    let s2 = t.wait("search applied", |s| s.contains("/zgh"));
    assert!(
        !s2.contains("党 单丽萍"),
        "search narrows the list:\n{s2}\n---\n{s}"
    );

    t.keys(&["Escape"]);
    t.wait("search cleared", |s| {
        !s.contains("/zgh") && s.contains("党 单丽萍")
    });

    // Help, with a full-width question mark as an IME in Chinese mode types it.
    t.text("？");
    t.wait("help", |s| s.contains("按键帮助") && s.contains("退出"));
    t.keys(&["Escape"]);
    t.wait("help closed", |s| !s.contains("按键帮助"));

    t.keys(&["q"]);
    let start = Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(100));
    }
    assert!(!t.alive(), "louzu did not quit on q");
    assert!(
        !dir.path().join("real.db").exists(),
        "the demo never touches the real database"
    );
}

#[test]
fn a_tiny_terminal_shows_a_message_and_survives() {
    if !tmux_available() {
        panic!("tmux is required for the end-to-end test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let cmd = louzu_cmd(dir.path(), &format!("demo --db {}", db.display()));
    let name = format!("louzu-small-{}", std::process::id());
    let t = Tmux::start(&name, &cmd, 20, 6).expect("tmux session");
    t.wait("too-small message", |s| s.contains("窗口太小"));
    Command::new("tmux")
        .args(["resize-window", "-t", &name, "-x", "100", "-y", "30"])
        .status()
        .unwrap();
    t.wait("full layout after resize", |s| s.contains("1 楼组名册"));
    t.keys(&["C-c"]);
}

/// Reads the number after `label` in the header line.
fn header_count(screen: &str, label: &str) -> i64 {
    let line = screen.lines().next().unwrap_or("");
    let rest = &line[line
        .find(label)
        .unwrap_or_else(|| panic!("{label} not in {line}"))
        + label.len()..];
    rest.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label} in {line}"))
}

#[test]
fn complete_an_overdue_visit_with_a_need_then_check_in() {
    if !tmux_available() {
        panic!("tmux is required for the end-to-end test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let cmd = louzu_cmd(dir.path(), &format!("demo --db {}", db.display()));
    let name = format!("louzu-visit-{}", std::process::id());
    let t = Tmux::start(&name, &cmd, 140, 40).expect("tmux session");
    let s = t.wait("the demo", |s| {
        s.contains("楼组名册") && s.contains("未办结诉求")
    });
    let overdue = header_count(&s, "逾期");
    let needs = header_count(&s, "未办结诉求");
    assert!(overdue >= 1, "{s}");

    t.keys(&["2"]);
    t.wait("visits focused", |s| s.contains("▶ 2 待走访"));
    t.keys(&["Enter"]);
    t.wait("completion form", |s| s.contains("完成走访"));
    t.keys(&["Enter", "Enter", "Enter"]);
    t.text("老人反映楼道灯坏");
    t.keys(&["Enter"]);
    t.text("设施维修:五楼楼道灯坏");
    t.keys(&["C-s"]);
    let s = t.wait("visit recorded", |s| s.contains("走访已记录"));
    assert_eq!(header_count(&s, "逾期"), overdue - 1, "{s}");
    assert_eq!(header_count(&s, "未办结诉求"), needs + 1, "{s}");

    // The check-in from anywhere, with the IME typing the note, one key to open a need.
    t.keys(&["1", "c"]);
    t.wait("check-in dialog", |s| {
        s.contains("今日巡楼") && s.contains("今天要走访")
    });
    t.text("三楼纸箱");
    t.keys(&["C-n", "C-s"]);
    let s = t.wait("check-in recorded", |s| s.contains("巡楼已记录"));
    assert!(s.contains("今日已巡楼"), "{s}");
    assert_eq!(header_count(&s, "未办结诉求"), needs + 2, "{s}");

    // What the TUI wrote is what the CLI reads.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(["needs", "--open", "--json", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = list.to_string();
    assert!(
        text.contains("五楼楼道灯坏") && text.contains("三楼纸箱"),
        "{text}"
    );
    t.keys(&["q"]);
}

#[test]
fn tick_a_duty_record_an_activity_and_find_both_in_the_log() {
    if !tmux_available() {
        panic!("tmux is required for the end-to-end test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let cmd = louzu_cmd(dir.path(), &format!("demo --db {}", db.display()));
    let name = format!("louzu-duties-{}", std::process::id());
    let t = Tmux::start(&name, &cmd, 140, 45).expect("tmux session");
    t.wait("the four panes", |s| s.contains("活动记录"));

    // 六个员: past the four targets to 曾国华, open the checklist, tick the first item.
    t.keys(&["3"]);
    t.wait("duties focused", |s| s.contains("▶ 3 六个员"));
    t.keys(&["Down", "Down", "Down", "Down", "Enter"]);
    t.wait("checklist", |s| s.contains("曾国华 · 政策宣传员"));
    t.keys(&["Enter"]);
    t.wait("ticked", |s| s.contains("已打勾"));

    // 活动记录: record an activity (date preset; Tab past place and type to the title).
    t.keys(&["4", "a"]);
    t.wait("activity form", |s| s.contains("新增 活动"));
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("楼道消防演练");
    t.keys(&["C-s"]);
    t.wait("saved", |s| s.contains("已保存"));

    // Both are in the log, and a search narrows to the activity.
    let s = t.wait("both entries", |s| {
        s.contains("新增活动 楼道消防演练") && s.contains("新增六个员打勾 张贴宣传材料")
    });
    assert!(s.contains("曾国华"), "{s}");
    t.keys(&["/"]);
    t.text("消防演练");
    let s = t.wait("search", |s| s.contains("/ 消防演练"));
    assert!(!s.contains("新增六个员打勾"), "{s}");
    t.keys(&["Enter", "Enter"]);
    t.wait("entry details", |s| s.contains("主题：— → 楼道消防演练"));
    t.keys(&["q"]);
}

#[test]
fn first_run_cannot_be_escaped_and_esc_asks_before_dropping_typed_text() {
    if !tmux_available() {
        panic!("tmux is required for the end-to-end test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    let cmd = louzu_cmd(dir.path(), "");
    let name = format!("louzu-esc-{}", std::process::id());
    let t = Tmux::start(&name, &cmd, 80, 24).expect("tmux session");
    t.wait("first-run setup", |s| s.contains("第一次使用"));
    // Esc halfway through setup: the form stays and says what it needs.
    t.text("新成路12号");
    t.keys(&["Escape"]);
    let s = t.wait("setup stays", |s| s.contains("请先填好楼组名称"));
    assert!(s.contains("新成路12号"), "typed text kept: {s}");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("王秀英");
    t.keys(&["C-s"]);
    t.wait("the roster", |s| {
        s.contains("新成路12号") && !s.contains("第一次使用")
    });

    // A resident's name typed, then Esc: asked, Enter keeps editing, the text is there.
    t.keys(&["a"]);
    t.wait("add form", |s| s.contains("新增"));
    t.text("605");
    t.keys(&["Escape"]);
    t.wait("the question", |s| s.contains("放弃已输入的内容"));
    t.keys(&["Enter"]);
    let s = t.wait("back in the form", |s| !s.contains("放弃已输入的内容"));
    assert!(s.contains("605"), "{s}");
    t.keys(&["C-s"]);
    t.wait("saved", |s| s.contains("已保存"));
    let out = Command::new(env!("CARGO_BIN_EXE_louzu"))
        .args(["dump"])
        .env("LOUZU_DB", dir.path().join("real.db"))
        .env("LOUZU_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    let dump: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dump["household"][0]["room"], "605", "{dump}");
    t.keys(&["q"]);
}
