//! USN Lab: a deterministic simulator of Exchange Server directory replication (and, for
//! comparison, Active Directory's fix for the restore problem). Plain Rust: no wasm, DOM or JS
//! types here; `wasm` is a thin binding compiled only for the browser.
pub mod budget;
pub mod ceilings;
pub mod commands;
pub mod directory;
pub mod excerpt;
pub mod ids;
#[cfg(not(target_arch = "wasm32"))]
pub mod lessons;
pub mod log;
pub mod messages;
pub mod names;
pub mod objects;
pub mod reading;
pub mod report;
pub mod restore;
pub mod scenario;
pub mod servers;
pub mod session;
pub mod sites;
pub mod world;
pub mod vecmap;
pub mod views;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
