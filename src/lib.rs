//! louzu — a terminal notebook for a residential building's party-group leader (楼组长).

pub mod search;
pub mod text;
pub mod tui;
