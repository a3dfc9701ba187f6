//! Sync by exported files (数据包): device keys and trust, the bundle format, export,
//! import and conflicts. See `docs/bundle-format.md` and `docs/sync-design.md`.
//!
//! Bundles carry ops from the append-only log; import applies them through the store's one
//! apply step in one transaction, so the same edits reach the same state on every device.

pub mod bundle;
pub mod codec;
pub mod conflicts;
mod error;
pub mod export;
mod fork;
pub mod identity;
pub mod import;
pub mod office;
pub mod trust;

pub use error::SyncError;
pub use identity::{DeviceKey, Identity};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_causal;
#[cfg(test)]
mod tests_guard;
#[cfg(test)]
mod tests_replan;
