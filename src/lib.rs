//! louzu (楼组) — the building party-group leader's roster, visits, duties and log.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod duty_config;
pub mod i18n;
pub mod progress;
pub mod report;
pub mod search;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
pub mod usecase;
