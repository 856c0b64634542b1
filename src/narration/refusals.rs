//! Why the directory refused a step: a server that cannot write, a target that is not there,
//! and the lab's own ceilings (the work budget, USN and Object-Version ceilings).
use crate::model::budget::grouped;

// ----- originating writes ---------------------------------------------------------------------

pub fn stopped(server: &str) -> String {
    format!("{server}'s directory service is stopped; start it first.")
}

pub fn quarantined(server: &str) -> String {
    format!("{server} is quarantined after a USN rollback (event 2095): it accepts no changes.")
}

pub fn no_naming_context(server: &str, nc: &str) -> String {
    format!("{server} holds no naming context {nc}.")
}

pub fn read_only(server: &str, nc: &str) -> String {
    format!("{nc} is a read-only replica on {server}: change it on a server of its own site.")
}

pub fn tombstone_keeps_name(name: &str) -> String {
    format!("\"{name}\" was deleted; its tombstone keeps the name.")
}

pub fn exists(server: &str, name: &str) -> String {
    format!("\"{name}\" already exists on {server}.")
}

pub fn no_object(server: &str, name: &str) -> String {
    format!("{server} holds no object \"{name}\".")
}

pub fn is_tombstone(server: &str, name: &str) -> String {
    format!("\"{name}\" is deleted (a tombstone) on {server}.")
}

// ----- the work budget (docs/model-choices.md) ------------------------------------------------

/// "Step 3" or "This command".
pub fn who(step: Option<usize>) -> String {
    step.map_or_else(|| "This command".to_string(), |i| format!("Step {i}"))
}

pub fn budget_used(step: Option<usize>, total: u64) -> String {
    format!("{} stopped: the session has used its whole work budget of {} units (events of every kind and object copies).", who(step), grouped(total))
}

pub fn step_budget_used(step: Option<usize>, units: u64) -> String {
    format!("{} stopped after {} units of work (events of every kind and object copies), the most one step may use.", who(step), grouped(units))
}

pub fn journal_full(step: Option<usize>, most: u64) -> String {
    format!("{} stopped: the lab has recorded {} messages and events, the most it keeps.", who(step), grouped(most))
}

pub fn clock_full(step: Option<usize>, most_s: u64) -> String {
    format!("{} stopped: the simulated clock may run for at most 100 years ({} s).", who(step), grouped(most_s))
}

pub fn session_spent(step: Option<usize>, total: u64) -> String {
    format!("{} is refused: the session has used its whole work budget of {} units.", who(step), grouped(total))
}

pub fn too_many_copies(step: Option<usize>, more: u64, servers: usize, most: u64) -> String {
    format!(
        "{} is refused: {} more objects on {servers} servers would exceed the {} object copies (objects × servers, plus backups) the lab holds.",
        who(step),
        grouped(more),
        grouped(most)
    )
}

pub fn too_many_creates(step: Option<usize>, n: u64, left: u64) -> String {
    format!("{} is refused: {} creates would take more than the {} units of work left to it.", who(step), grouped(n), grouped(left))
}

pub fn backup_too_big(step: Option<usize>, copies: u64, most: u64) -> String {
    format!(
        "{} is refused: this backup's {} copies would take the lab over the {} object copies (objects × servers, plus backups) it holds.",
        who(step),
        grouped(copies),
        grouped(most)
    )
}

// ----- ceilings -------------------------------------------------------------------------------

pub fn usn_ceiling(server: &str, usn: u64, by: u64, ceiling: u64) -> String {
    format!("{server}'s USN is {}; adding {} would pass the lab's ceiling of {} (2^60).", grouped(usn), grouped(by), grouped(ceiling))
}

pub fn objver_ceiling(server: &str, top: u64, by: u64, ceiling: u64) -> String {
    format!("an Object-Version on {server} is {}; adding {} would pass the lab's ceiling of {} (2^31).", grouped(top), grouped(by), grouped(ceiling))
}
