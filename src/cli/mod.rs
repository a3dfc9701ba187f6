//! Command implementations behind `louzu`'s subcommands; `main.rs` only parses and picks.

pub mod demo;
pub mod script;
pub mod sync;
