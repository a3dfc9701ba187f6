//! Command implementations behind `louzu`'s subcommands; `main.rs` only parses and picks.

pub mod demo;
pub mod report;
pub mod roster;
pub mod visits;
