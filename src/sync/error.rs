//! What can go wrong moving bundles, each said so a leader knows what to do next.

use std::path::PathBuf;

use crate::store::StoreError;

/// Every sync failure. Each names the file, the device or the fingerprint involved and the
/// command that fixes it; none of them leaves anything half-written.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("无法读写「{path}」：{source} / cannot read or write {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("「{file}」不是 louzu 数据包 / {file} is not a louzu bundle")]
    NotBundle { file: PathBuf },
    #[error(
        "数据包「{file}」不完整（应有 {expected} 字节，只有 {found}），可能复制时中断。没有导入任何内容；请重新复制，或让对方重新导出。 / bundle {file} is truncated ({found} of {expected} bytes): nothing was imported; copy it again"
    )]
    Truncated {
        file: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error(
        "数据包「{file}」已损坏（{detail}），可能复制时出错或被改动过。没有导入任何内容；请重新复制，或让对方重新导出。 / bundle {file} is damaged ({detail}): nothing was imported; copy it again or ask for a new export"
    )]
    Corrupt { file: PathBuf, detail: String },
    #[error(
        "数据包「{file}」是更新的格式（版本 {found}，本程序只支持到 {supported}）。没有导入任何内容；请升级 louzu。 / bundle {file} uses format {found}, newer than this louzu ({supported}): upgrade louzu"
    )]
    TooNew {
        file: PathBuf,
        found: u16,
        supported: u16,
    },
    #[error(
        "数据包「{file}」太大（{detail}），在占用内存之前就拒绝了，没有导入任何内容。文件可能已损坏或是伪造的；请让对方重新导出，楼组很多时可分几次导出。 / bundle {file} is too large ({detail}); it was refused before using the memory, nothing was imported"
    )]
    TooLarge { file: PathBuf, detail: String },
    #[error(
        "数据包「{file}」要求的口令计算量（内存 {m} KiB、{t} 轮、{p} 路）不是 louzu 使用的设置（内存 {want_m} KiB、{want_t} 轮、{want_p} 路），已拒绝，没有导入任何内容。它可能是伪造的，或由别的程序生成；请让对方用 louzu 重新导出。 / bundle {file} asks for a passphrase cost (m={m} KiB, t={t}, p={p}) louzu never writes (m={want_m}, t={want_t}, p={want_p}): refused"
    )]
    PassphraseCost {
        file: PathBuf,
        m: u32,
        t: u32,
        p: u32,
        want_m: u32,
        want_t: u32,
        want_p: u32,
    },
    #[error(
        "数据包「{file}」的收件人不对（{detail}），louzu 不会这样写，已拒绝，没有导入任何内容。请让对方重新导出。 / bundle {file} has recipients louzu never writes ({detail}): refused"
    )]
    BadRecipients { file: PathBuf, detail: String },
    #[error(
        "数据包「{file}」来自「{sender}」，其中有更改的时间是 {clock}，比本机现在（{now}）晚了一天以上，那台电脑的日期或时间多半设错了。整个数据包都没有导入（否则这里以后的修改都会被它压住）。请「{sender}」把电脑的日期和时间调对；本机的日期和时间也请核对一下。 / bundle {file} from {sender} holds a change dated {clock}, more than a day after this computer's time ({now}); its clock is probably wrong. Nothing was imported"
    )]
    ClockAhead {
        file: PathBuf,
        sender: String,
        clock: String,
        now: String,
    },
    #[error(
        "数据包「{file}」来自未受信任的设备（指纹 {fingerprint}）。没有导入任何内容。如果你认识这台设备，请先与对方 `louzu device` 显示的指纹核对，再运行 `louzu trust {file} --name 名称`。 / bundle {file} is from an unknown device (fingerprint {fingerprint}); run `louzu trust {file} --name NAME` if you expect it"
    )]
    UnknownSender { file: PathBuf, fingerprint: String },
    #[error(
        "数据包「{file}」已损坏或被改动（签名不符，设备「{sender}」）。没有导入任何内容；请让对方重新导出。 / bundle {file} is damaged or was altered (its signature does not match {sender}): nothing was imported"
    )]
    Damaged { file: PathBuf, sender: String },
    #[error(
        "数据包「{file}」不是发给本设备的（本设备指纹 {fingerprint}）。没有导入任何内容；请让「{sender}」用 `louzu export --for 本设备名称` 重新导出，或用 --passphrase-file 提供口令。 / bundle {file} is not encrypted for this device (fingerprint {fingerprint}); ask {sender} to export --for this device, or give --passphrase-file"
    )]
    NotForUs {
        file: PathBuf,
        sender: String,
        fingerprint: String,
    },
    #[error(
        "数据包「{file}」是用口令加密的（来自「{sender}」）。没有导入任何内容；请输入对方告诉您的口令（命令行：--passphrase-file 口令文件）。 / bundle {file} from {sender} is locked with a passphrase: give it (--passphrase-file on the command line)"
    )]
    NeedsPassphrase { file: PathBuf, sender: String },
    #[error(
        "数据包「{file}」的口令不对。没有导入任何内容；请检查 --passphrase-file 的内容。 / wrong passphrase for bundle {file}"
    )]
    WrongPassphrase { file: PathBuf },
    #[error(
        "数据包「{file}」含有本版本不认识的数据（{detail}）。没有导入任何内容；请升级 louzu。 / bundle {file} holds data this louzu does not know ({detail}): upgrade louzu"
    )]
    Unknown { file: PathBuf, detail: String },
    #[error(
        "数据包「{file}」内容有误（{detail}）。没有导入任何内容；请让「{sender}」重新导出。 / bundle {file} is malformed ({detail}); ask {sender} to export again"
    )]
    Malformed {
        file: PathBuf,
        sender: String,
        detail: String,
    },
    #[error(
        "数据包「{file}」（来自「{sender}」）缺少更早的记录：{scope} 的第 {from}–{to} 条本机还没有。没有导入任何内容；请先导入「{sender}」更早的数据包，或让对方用 `louzu export --full` 导出。 / bundle {file} from {sender} is missing ops {from}–{to} of {scope}: import the earlier bundle first, or ask for `louzu export --full`"
    )]
    Missing {
        file: PathBuf,
        sender: String,
        scope: String,
        from: i64,
        to: i64,
    },
    #[error(
        "「{name}」已用另一把密钥受信任（指纹 {old}），这把是 {new}。如果对方确实换了设备或重装了 louzu，请核对后运行 `louzu trust … --name {name} --replace`。 / {name} is trusted with another key ({old}); this one is {new}: check, then use --replace"
    )]
    ChangedKey {
        name: String,
        old: String,
        new: String,
    },
    #[error(
        "这台设备（指纹 {fingerprint}）已以「{name}」受信任。 / this device ({fingerprint}) is already trusted as {name}"
    )]
    AlreadyTrusted { name: String, fingerprint: String },
    #[error(
        "没有名为「{name}」的受信任设备（已信任：{known}）。请先运行 `louzu trust 文件 --name {name}`。 / no trusted device named {name} (trusted: {known})"
    )]
    UnknownDevice { name: String, known: String },
    #[error(
        "「{input}」既不是数据包、设备名片文件，也不是 `louzu device` 显示的设备密钥。 / {input} is neither a bundle, a device card nor a device key"
    )]
    NotAKey { input: String },
    #[error(
        "这是本设备自己的密钥，不需要信任。 / that is this device's own key; it needs no trust"
    )]
    OwnKey,
    #[error(
        "请指明数据包给谁：--for 设备名（已信任：{known}），或 --passphrase-file 口令文件。 / say who the bundle is for: --for NAME (trusted: {known}) or --passphrase-file FILE"
    )]
    NoRecipient { known: String },
    #[error("口令文件「{0}」是空的 / passphrase file {0} is empty")]
    EmptyPassphrase(PathBuf),
    #[error("没有找到楼组「{0}」（可用楼组名称或 id） / no building {0}")]
    UnknownBuilding(String),
    #[error(
        "没有编号为「{0}」的冲突；运行 `louzu conflicts` 查看 / no conflict {0}: run `louzu conflicts`"
    )]
    NoConflict(String),
    #[error("冲突编号「{0}」不唯一，请多写几位 / conflict id {0} is ambiguous")]
    AmbiguousConflict(String),
    #[error(
        "无法加密数据包（{detail}），没有写出任何文件。请重试；如果一再出现，请把这段话告诉维护 louzu 的人。 / could not encrypt the bundle ({detail}); nothing was written"
    )]
    Seal { detail: String },
    #[error(
        "已取消，数据包「{file}」没有导入任何内容。 / cancelled: nothing of bundle {file} was imported"
    )]
    Cancelled { file: PathBuf },
    #[error(
        "预览数据包「{file}」之后，本机数据有了变化（可能同时在另一个 louzu 里导入了数据包）。没有导入任何内容；请重新预览再导入。 / this database changed after bundle {file} was previewed: nothing was imported; preview it again"
    )]
    Stale { file: PathBuf },
    #[error("已取消，没有写出数据包「{file}」。 / cancelled: bundle {file} was not written")]
    ExportCancelled { file: PathBuf },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> SyncError {
        SyncError::Store(StoreError::Sql(e))
    }
}
