//! `louzu import`: check a bundle (format, signer, signature, recipient, ranges), then
//! apply every op it brings in one transaction through the store's apply step, record an
//! "import" journal entry, and learn what the sender holds. A preview is the same apply
//! rolled back.
//!
//! Checking and applying are two steps ([`check_bytes`] → [`Checked::apply`]) so that a
//! preview's confirmation applies the bundle it checked, without reading, verifying or
//! decrypting it again (the passphrase's key derivation alone takes a while). Applying
//! also re-plans the households the bundle touched (`usecase::cadence::after_import`), in
//! the same transaction.

mod apply;
mod preview;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use self::apply::{Pending, owned, plan, to_ops};
pub use self::preview::{ForkNote, Preview};
use super::SyncError;
use super::bundle::MAX_FILE;
use super::bundle::Outer;
use super::codec::{self, Body, DecodeError, Header, RawOp};
use super::fork;
use super::identity::Identity;
use super::trust::{self, TrustedDevice};
use crate::domain::EntityKind;
use crate::progress::{Progress, Stage};
use crate::store::{DAY_MS, Hlc, SHARED_SCOPE, Store};
use crate::usecase::Rules;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Opens bundles exported with `--passphrase-file`.
    pub passphrase: Option<String>,
    /// Work out what would change, then roll back.
    pub dry_run: bool,
}

/// A bundle read, verified, opened and planned against this database, not yet applied:
/// kept between a preview and its confirmation so the bundle is decoded once.
pub struct Checked {
    /// What it brings, as far as checking tells (the counts come from applying).
    preview: Preview,
    sender: TrustedDevice,
    file_hash: String,
    header: Header,
    /// `None` when everything in it is already here.
    body: Option<Body>,
    wanted: HashMap<(String, String), (i64, i64)>,
    found: Vec<fork::Fork>,
    pending: Pending,
    /// This database's clock when checked: applying refuses if it moved since.
    held: HashMap<(String, String), i64>,
    renumber: bool,
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("file", &self.preview.file)
            .field("sender", &self.sender.name)
            .field("ops", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl Checked {
    /// The file it was read from.
    pub fn file(&self) -> &Path {
        &self.preview.file
    }

    /// How many changes applying it goes through (for a gauge's total).
    pub fn ops(&self) -> usize {
        self.pending.len()
    }

    /// A bundle that brings nothing, for tests of dialogs that only pass one along.
    #[cfg(test)]
    pub(crate) fn nothing(file: &str) -> Checked {
        Checked {
            preview: Preview {
                file: PathBuf::from(file),
                already_held: true,
                ..Preview::default()
            },
            sender: TrustedDevice {
                key: super::DeviceKey {
                    sign: [0; 32],
                    dh: [0; 32],
                },
                name: String::new(),
                buildings: None,
            },
            file_hash: String::new(),
            header: Header::default(),
            body: None,
            wanted: HashMap::new(),
            found: Vec::new(),
            pending: Pending::Body(Vec::new()),
            held: HashMap::new(),
            renumber: false,
        }
    }
}

/// Imports one file.
pub fn import_file(
    store: &mut Store,
    file: &Path,
    opts: &ImportOptions,
) -> Result<Preview, SyncError> {
    check_file(store, file, opts, &Progress::none())?.apply(store, opts.dry_run, &Progress::none())
}

/// Reads and checks one file (see [`check_bytes`]).
pub fn check_file(
    store: &Store,
    file: &Path,
    opts: &ImportOptions,
    progress: &Progress,
) -> Result<Checked, SyncError> {
    let io = |source| SyncError::Io {
        path: file.to_path_buf(),
        source,
    };
    progress.step(Stage::Reading, 0, 0);
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > MAX_FILE {
        return Err(SyncError::TooLarge {
            file: file.to_path_buf(),
            detail: format!("{} MiB, more than {} MiB", size >> 20, MAX_FILE >> 20),
        });
    }
    let bytes = std::fs::read(file).map_err(io)?;
    check_bytes(store, file, &bytes, opts, progress)
}

/// Imports several files given together, in whatever order they apply: a bundle that
/// needs another one of the set first is retried after it. Results are in input order.
pub fn import_files(
    store: &mut Store,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> Vec<Result<Preview, SyncError>> {
    let mut results: Vec<Option<Result<Preview, SyncError>>> = files.iter().map(|_| None).collect();
    loop {
        let mut progress = false;
        for (i, f) in files.iter().enumerate() {
            let retry = match &results[i] {
                None => true,
                Some(Err(SyncError::Missing { .. })) => true,
                Some(_) => false,
            };
            if !retry {
                continue;
            }
            let r = import_file(store, f, opts);
            if r.is_ok() {
                progress = true;
            }
            results[i] = Some(r);
        }
        if !progress || opts.dry_run {
            break;
        }
    }
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(SyncError::NotBundle {
                    file: PathBuf::new(),
                })
            })
        })
        .collect()
}

/// Imports a bundle's bytes (`file` names it in messages), re-planning visits by the
/// rules in the leader's config (`Rules::configured`) as of today.
pub fn import_bytes(
    store: &mut Store,
    file: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Preview, SyncError> {
    check_bytes(store, file, bytes, opts, &Progress::none())?.apply(
        store,
        opts.dry_run,
        &Progress::none(),
    )
}

/// [`import_bytes`] with the rules and the day the households it touches are re-planned
/// by ([`Checked::apply_with`]).
pub fn import_bytes_with(
    store: &mut Store,
    file: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
    rules: &Rules,
    today: jiff::civil::Date,
) -> Result<Preview, SyncError> {
    check_bytes(store, file, bytes, opts, &Progress::none())?.apply_with(
        store,
        opts.dry_run,
        &Progress::none(),
        rules,
        today,
    )
}

/// Checks a bundle's bytes (`file` names it in messages): its format, sender, signature
/// and recipient, opens it, and works out what it brings against this database. Nothing
/// is written; [`Checked::apply`] does that.
pub fn check_bytes(
    store: &Store,
    file: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: &Progress,
) -> Result<Checked, SyncError> {
    progress.step(Stage::Checking, 0, 0);
    let outer = Outer::parse(bytes, file)?;
    let me = Identity::load_or_create(store)?;
    let fingerprint = outer.sender.fingerprint();
    let sender: TrustedDevice = if outer.sender.sign == me.key().sign {
        TrustedDevice {
            key: me.key(),
            name: me.name.clone(),
            buildings: None,
        }
    } else {
        trust::by_sign_key(store, &outer.sender.sign)?.ok_or_else(|| SyncError::UnknownSender {
            file: file.to_path_buf(),
            fingerprint: fingerprint.clone(),
        })?
    };
    if !outer.verify() {
        return Err(SyncError::Damaged {
            file: file.to_path_buf(),
            sender: sender.name.clone(),
        });
    }
    let payload = match outer.open(&me, opts.passphrase.as_deref()) {
        Some(p) => p,
        None if opts.passphrase.is_some() && outer.has_passphrase() => {
            return Err(SyncError::WrongPassphrase {
                file: file.to_path_buf(),
            });
        }
        None if outer.has_passphrase() => {
            return Err(SyncError::NeedsPassphrase {
                file: file.to_path_buf(),
                sender: sender.name.clone(),
            });
        }
        None => {
            return Err(SyncError::NotForUs {
                file: file.to_path_buf(),
                sender: sender.name.clone(),
                fingerprint: me.key().fingerprint(),
            });
        }
    };
    let malformed = |detail: String| SyncError::Malformed {
        file: file.to_path_buf(),
        sender: sender.name.clone(),
        detail,
    };
    let undecodable = |e: DecodeError| match e {
        DecodeError::TooLarge(detail) => SyncError::TooLarge {
            file: file.to_path_buf(),
            detail,
        },
        DecodeError::Malformed(detail) => malformed(detail),
    };
    let header = codec::read_header(&payload).map_err(undecodable)?;
    let mut preview = Preview {
        file: file.to_path_buf(),
        sender: sender.name.clone(),
        fingerprint,
        created: header.created.clone(),
        ..Preview::default()
    };
    // Which ranges bring something new, and are they contiguous with what we hold?
    let held = our_clock(store)?;
    let allowed = |scope: &str| {
        scope == SHARED_SCOPE
            || sender
                .buildings
                .as_ref()
                .is_none_or(|b| b.iter().any(|x| x == scope))
    };
    let mut wanted: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for r in &header.ranges {
        if r.first < 1 || r.last < r.first {
            return Err(malformed(format!("bad range {}–{}", r.first, r.last)));
        }
        if !allowed(&r.scope) {
            preview.out_of_scope += (r.last - r.first + 1) as u64;
            continue;
        }
        let h = held
            .get(&(r.origin.clone(), r.scope.clone()))
            .copied()
            .unwrap_or(0);
        if r.first > h + 1 {
            return Err(SyncError::Missing {
                file: file.to_path_buf(),
                sender: sender.name.clone(),
                scope: scope_label(store, &r.scope),
                from: h + 1,
                to: r.first - 1,
            });
        }
        if r.last > h {
            wanted.insert((r.origin.clone(), r.scope.clone()), (h, r.last));
        }
    }
    let file_hash = codec::hex(&Sha256::digest(bytes));
    // A bundle received before was checked then; re-importing it stays cheap.
    let seen_before = store
        .conn()
        .query_row(
            "SELECT 1 FROM bundle_received WHERE hash = ?1",
            [&file_hash],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    // Ranges both sides hold are checked, not trusted: the ones held in full against the
    // bundle's hash, the rest (and those that fail) op by op after decoding.
    let mut suspect: Vec<(String, String, i64, i64)> = Vec::new();
    if !seen_before {
        for r in header.ranges.iter().filter(|r| allowed(&r.scope)) {
            let h = held
                .get(&(r.origin.clone(), r.scope.clone()))
                .copied()
                .unwrap_or(0);
            let end = r.last.min(h);
            if end < r.first || (end == r.last && fork::held_matches(store.conn(), r)?) {
                continue;
            }
            suspect.push((r.origin.clone(), r.scope.clone(), r.first, end));
        }
    }
    // The sender holds more of this device's own ops than it does: restored from a backup
    // (or a copy whose twin went on). Its next edits must not reuse those numbers.
    let me_origin = store.device_id().to_string();
    for (origin, scope, seq) in header
        .clock
        .iter()
        .map(|(o, s, q)| (o, s, *q))
        .chain(header.ranges.iter().map(|r| (&r.origin, &r.scope, r.last)))
    {
        let h = held
            .get(&(origin.clone(), scope.clone()))
            .copied()
            .unwrap_or(0);
        if *origin == me_origin && allowed(scope) && seq > h {
            let e = preview.own_ahead.get_or_insert((h + 1, seq));
            e.1 = e.1.max(seq);
        }
    }
    // A peer found this device's own numbers in two versions.
    let known: HashSet<String> = fork::known(store.conn())?
        .into_iter()
        .map(|f| f.0)
        .collect();
    for (kept_as, origin, scope, from) in &header.forks {
        if *origin == me_origin && !known.contains(kept_as) {
            preview.forks.push(ForkNote {
                device: me.name.clone(),
                scope: scope_label(store, scope),
                from: *from,
                to: *from,
                ours: true,
            });
        }
    }
    if wanted.is_empty()
        && suspect.is_empty()
        && preview.own_ahead.is_none()
        && preview.forks.is_empty()
    {
        preview.already_held = true;
        return Ok(Checked {
            preview,
            sender,
            file_hash,
            header,
            body: None,
            wanted,
            found: Vec::new(),
            pending: Pending::Body(Vec::new()),
            held,
            renumber: false,
        });
    }
    let body = Body::open(&payload).map_err(undecodable)?;
    drop(payload);
    // Ranges both sides hold that may differ are compared op by op, which needs the ops
    // as values (rare: a restored or copied database); otherwise the ops stay in the
    // body and are read one at a time as they apply.
    let mut found: Vec<fork::Fork> = Vec::new();
    let pending = if suspect.is_empty() {
        Pending::Body(plan(&body, &wanted, &malformed)?)
    } else {
        let mut raw = body
            .index()
            .map_err(&malformed)?
            .iter()
            .map(|at| body.op(at).map(|r| owned(&r)))
            .collect::<Result<Vec<RawOp>, String>>()
            .map_err(&malformed)?;
        for (origin, scope, first, end) in &suspect {
            if let Some(f) = fork::split(store.conn(), &mut raw, origin, scope, *first, *end)? {
                found.push(f.clone());
                let len = f.to - f.from + 1;
                let h = held
                    .get(&(f.kept_as.clone(), f.scope.clone()))
                    .copied()
                    .unwrap_or(0);
                if len > h {
                    wanted.insert((f.kept_as.clone(), f.scope.clone()), (h, len));
                }
                preview.forks.push(ForkNote {
                    device: if f.origin == me_origin {
                        me.name.clone()
                    } else if f.origin == body.header.sender_device
                        || body.header.former_origins.contains(&f.origin)
                    {
                        sender.name.clone()
                    } else {
                        trust::origin_name(store, &f.origin)?
                            .unwrap_or_else(|| f.origin.chars().take(8).collect())
                    },
                    scope: scope_label(store, &f.scope),
                    from: f.from,
                    to: f.to,
                    ours: f.origin == me_origin,
                });
            }
        }
        Pending::Raw(to_ops(file, &raw, &wanted, &malformed)?)
    };
    let renumber = preview.own_ahead.is_some() || preview.forks.iter().any(|f| f.ours);
    let (first, last) = pending.clocks();
    let any = pending.len() > 0;
    if any && first < 0 {
        return Err(malformed(format!("a change has clock {first}")));
    }
    // A clock far ahead would win every later edit made here (and freeze the field): the
    // whole bundle is refused before anything is written.
    if any && last > Hlc::now_plus(DAY_MS).0 {
        return Err(SyncError::ClockAhead {
            file: file.to_path_buf(),
            sender: sender.name.clone(),
            clock: datetime_of(last),
            now: datetime_of(Hlc::now_plus(0).0),
        });
    }
    if any {
        preview.dates = Some((date_of(first), date_of(last)));
    }
    Ok(Checked {
        preview,
        sender,
        file_hash,
        header,
        body: Some(body),
        wanted,
        found,
        pending,
        held,
        renumber,
    })
}

fn our_clock(store: &Store) -> Result<HashMap<(String, String), i64>, SyncError> {
    let mut stmt = store
        .conn()
        .prepare("SELECT origin, scope, seq FROM clock")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn scopes_of(h: &Header) -> Vec<String> {
    let mut s: Vec<String> = h.ranges.iter().map(|r| r.scope.clone()).collect();
    s.sort();
    s.dedup();
    s
}

/// A scope as people know it: the building's name, or 共享设置 for shared settings.
pub fn scope_label(store: &Store, scope: &str) -> String {
    if scope == SHARED_SCOPE {
        return "共享设置".to_string();
    }
    store
        .record(EntityKind::Building, scope)
        .ok()
        .flatten()
        .map(|b| b.label())
        .filter(|n| !n.is_empty())
        .map(|n| format!("楼组「{n}」"))
        .unwrap_or_else(|| format!("楼组 {scope}"))
}

/// The Shanghai date and time of an HLC reading, for messages: `2100-01-01 08:00`.
pub fn datetime_of(hlc: i64) -> String {
    jiff::Timestamp::from_millisecond(hlc >> 16)
        .map(|t| {
            t.to_zoned(crate::domain::date::shanghai())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| format!("公元 {} 年以后 / after year 9999", 9999))
}

/// The Shanghai date of an HLC reading.
pub fn date_of(hlc: i64) -> String {
    jiff::Timestamp::from_millisecond(hlc >> 16)
        .map(|t| {
            crate::domain::date::format_date(t.to_zoned(crate::domain::date::shanghai()).date())
        })
        .unwrap_or_default()
}
