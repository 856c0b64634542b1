//! Every sentence the lab says lives under src/narration/, beside the log's wording
//! (docs/architecture.md): here a command's words can be read, and changed, in one place.
pub mod commands;
