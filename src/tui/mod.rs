//! Terminal user interface: presentation data (themes, keymap) shared by all panes.

pub mod keymap;
pub mod theme;
