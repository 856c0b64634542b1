//! USN Lab: a deterministic simulator of Exchange Server directory replication (and, for
//! comparison, Active Directory's fix for the restore problem). Plain Rust: no wasm, DOM or JS
//! types here; `wasm` is a thin binding compiled only for the browser. docs/architecture.md is
//! the map of these modules.
pub mod commands;
pub mod excerpt;
pub mod frame;
pub mod goal;
pub mod ids;
pub mod json;
pub mod model;
pub mod narration;
pub mod report;
pub mod scenario;
pub mod session;
pub mod to_json;
pub mod vecmap;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
