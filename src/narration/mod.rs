//! Every sentence the lab says about the directory, in one place (docs/architecture.md,
//! "Narration"): what each message of the protocol says, what a command (`commands`), a repair
//! or a workbench step did, why the directory refused a step, and how far a challenge's goal is
//! met. The Application
//! Log's own wording is `log`, beside them. The model decides what happened and calls these
//! functions only to word it, so a sentence can be found, reviewed and changed here without
//! reading the rules. (A malformed scenario's messages stay with the reader that finds the
//! problem: they name a field, not something the directory did.)
pub mod commands;
pub mod diagnosis;
pub mod goals;
pub mod log;
pub mod organization;
pub mod protocol;
pub mod refusals;
pub mod repair;

/// "1 object" or "3 objects".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "A, B and C".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "City = London, Title = Manager": attributes as a sentence lists them.
pub fn attrs(attrs: &crate::model::object::Attrs) -> String {
    let mut pairs = Vec::new();
    for (k, v) in attrs {
        pairs.push(format!("{k} = {v}"));
    }
    pairs.join(", ")
}

/// A time of the simulated clock, "01:30:00".
pub fn clock(t: u64) -> String {
    format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}
