//! Shared by the end-to-end suites: the real `louzu` binary in a tmux pseudo-terminal, keys
//! in, screen text out, and `louzu dump` to read back what was stored.
//!
//! Each [`Tmux`] runs its own tmux server on a socket in a temporary folder, so the suites
//! never see (or kill) anyone else's sessions, and dropping it ends everything it started.
//! Nothing here sleeps for a fixed time to let the app "catch up": keys are queued in order
//! on the terminal, and every check polls the screen until what it waits for appears.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long a wait may take before the test fails with the screen it saw (generous: a
/// loaded CI machine runs the debug build slowly; a passing wait returns at once).
const PATIENCE: Duration = Duration::from_secs(60);
/// How often the screen is read while waiting.
const POLL: Duration = Duration::from_millis(25);

/// Whether tmux can be run here. Suites that need it say why they skip when it cannot.
pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True (after saying why on stderr) when tmux is missing, so the caller returns early:
/// a machine without tmux cannot drive the interface, which is not a failure of louzu.
pub fn skip_without_tmux() -> bool {
    if tmux_available() {
        return false;
    }
    eprintln!(
        "SKIPPED: tmux is not installed, so the terminal interface cannot be driven \
         (apt-get install tmux; .ci/run installs it)"
    );
    true
}

/// A private tmux server with one window per started program.
pub struct Tmux {
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

/// One program running in a tmux session of a [`Tmux`] server.
pub struct Session<'a> {
    tmux: &'a Tmux,
    name: String,
}

impl Tmux {
    /// A server of its own (started with its first session).
    pub fn new() -> Tmux {
        let dir = tempfile::tempdir().expect("temp dir for the tmux socket");
        Tmux {
            socket: dir.path().join("tmux.sock"),
            _dir: dir,
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S").arg(&self.socket);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Starts `cmd` (a shell command line) in a `w`×`h` session named `name`, in `cwd`.
    pub fn start(&self, name: &str, cwd: &Path, cmd: &str, w: u16, h: u16) -> Session<'_> {
        let cwd = cwd.to_str().expect("an UTF-8 path");
        let (w, h) = (w.to_string(), h.to_string());
        self.run(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-c",
            cwd,
            "-x",
            &w,
            "-y",
            &h,
            cmd,
        ]);
        // A window keeps the size it was made with, whatever clients attach.
        self.run(&["set-option", "-t", name, "window-size", "manual"]);
        Session {
            tmux: self,
            name: name.to_string(),
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

impl Session<'_> {
    /// Named keys, in order (`Enter`, `Tab`, `Down`, `C-s`, a letter…). Esc is refused here:
    /// a key right behind it would arrive as Alt+key; use [`Session::esc`].
    pub fn keys(&self, keys: &[&str]) {
        assert!(
            !keys.contains(&"Escape"),
            "send Escape with esc(), which waits for its effect"
        );
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        self.tmux.run(&args);
    }

    /// The same key `n` times.
    pub fn repeat(&self, key: &str, n: usize) {
        let n = n.to_string();
        self.tmux
            .run(&["send-keys", "-t", &self.name, "-N", &n, key]);
    }

    /// Literal text, as an IME would commit it.
    pub fn text(&self, text: &str) {
        self.tmux.run(&["send-keys", "-t", &self.name, "-l", text]);
    }

    /// Esc, then waits until `what` is true of the screen (so no key follows too closely).
    pub fn esc(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.tmux.run(&["send-keys", "-t", &self.name, "Escape"]);
        self.wait(what, pred)
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let out = self.tmux.run(&["capture-pane", "-p", "-t", &self.name]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The terminal cursor: column, row, and whether it is shown.
    pub fn cursor(&self) -> (usize, usize, bool) {
        let out = self.tmux.run(&[
            "display-message",
            "-p",
            "-t",
            &self.name,
            "#{cursor_x} #{cursor_y} #{cursor_flag}",
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        let mut it = text.split_whitespace().map(|n| n.parse::<usize>().unwrap());
        let (x, y, shown) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
        (x, y, shown == 1)
    }

    /// The row the cursor is on.
    pub fn cursor_line(&self) -> String {
        let (_, y, _) = self.cursor();
        self.screen().lines().nth(y).unwrap_or("").to_string()
    }

    /// Resizes the window, as a leader dragging the terminal's corner would.
    pub fn resize(&self, w: u16, h: u16) {
        let (w, h) = (w.to_string(), h.to_string());
        self.tmux
            .run(&["resize-window", "-t", &self.name, "-x", &w, "-y", &h]);
    }

    /// Waits until the screen satisfies `pred`, failing with the screen after a while.
    pub fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("waited for {what}; the screen was:\n{s}");
            }
            sleep(POLL);
        }
    }

    /// Waits until `text` is on the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait(text, |s| s.contains(text))
    }

    /// Whether the program is still running.
    pub fn alive(&self) -> bool {
        self.tmux
            .cmd()
            .args(["has-session", "-t", &self.name])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Presses `q` and waits until the program has gone.
    pub fn quit(&self) {
        self.keys(&["q"]);
        let start = Instant::now();
        while self.alive() {
            assert!(start.elapsed() < PATIENCE, "louzu did not quit on q");
            sleep(POLL);
        }
    }
}

/// A folder for one test's databases, config and files, and the louzu commands on it.
pub struct Place {
    pub dir: tempfile::TempDir,
    /// The date every louzu run here takes as today.
    pub today: &'static str,
}

impl Place {
    pub fn new(today: &'static str) -> Place {
        Place {
            dir: tempfile::tempdir().expect("temp dir"),
            today,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The shell command line that runs the interface with `args` in a tmux session: its
    /// own config folder and home, today pinned, a real database that must stay untouched.
    pub fn tui(&self, args: &str) -> String {
        format!(
            "env LOUZU_CONFIG_DIR='{cfg}' LOUZU_OUTPUT_DIR='{out}' LOUZU_DB='{real}' \
             HOME='{home}' LOUZU_TODAY={today} TERM=xterm-256color '{bin}' {args}",
            cfg = self.path("config").display(),
            out = self.path("输出").display(),
            real = self.path("real.db").display(),
            home = self.dir.path().display(),
            today = self.today,
            bin = env!("CARGO_BIN_EXE_louzu"),
        )
    }

    /// Runs a louzu command on `db` and insists it succeeds; returns what it printed.
    pub fn louzu(&self, db: &str, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_louzu"))
            .arg("--db")
            .arg(self.path(db))
            .args(args)
            .env("LOUZU_CONFIG_DIR", self.path("config"))
            .env("LOUZU_TODAY", self.today)
            .current_dir(self.dir.path())
            .output()
            .expect("run louzu");
        assert!(
            out.status.success(),
            "louzu {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Everything `db` holds, as `louzu dump` prints it.
    pub fn dump(&self, db: &str) -> serde_json::Value {
        serde_json::from_str(&self.louzu(db, &["dump"])).expect("dump is JSON")
    }
}
