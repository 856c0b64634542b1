//! A challenge's goal in words: what each condition asks, why it is not met yet, and the
//! verdict the transcript ends with (docs/scenarios.md, "Goals").
use std::fmt::Write;
use super::{and_list, clock};
use crate::goal::{Condition, GoalReport};

/// What a condition asks, in one sentence (without the full stop).
pub fn asks(c: &Condition) -> String {
    match c {
        Condition::Converged => "Every server holds the same copy of every object (Object-Version, DSA-Signature, When-Changed, deleted, attributes) and nothing is left to replicate".into(),
        Condition::NoStall => "No server's USN is below a partner's watermark for it, so no request would log event 1224".into(),
        Condition::Holds { server, name, dn, attrs } => {
            let who = name.as_deref().or(dn.as_deref()).unwrap_or_default();
            let mut text = format!("{server} holds {who}, not deleted");
            if !attrs.is_empty() {
                let _ = write!(text, ", with {}", super::attrs(attrs));
            }
            text
        }
        Condition::MaxActions(k) => format!("At most {k} move{} (run, step and measure without a probe are free)", if *k == 1 { "" } else { "s" }),
        Condition::BeforeS(t) => format!("Done by {} ({t} s) on the simulated clock", clock(*t)),
        Condition::Kept(names) => format!("No change to {} is lost, and every server holds the newest: nothing the repair overwrote", and_list(names)),
        Condition::Only(actions) => format!("Only these moves: {} (run, step and measure without a probe are always allowed)", actions.join(", ")),
        Condition::UsnAtMost { server, usn } => format!("{server}'s highest USN is at most {usn}: no larger increment than needed"),
        Condition::Writable(server) => format!("{server} accepts changes (not stopped, not in backsync, not quarantined)"),
    }
}

/// A condition's line: what it asks, and why not yet when it is not met.
pub fn condition(ask: &str, why_not: Option<&str>) -> String {
    match why_not {
        None => format!("{ask}."),
        Some(why) => format!("{ask}. Not yet: {why}."),
    }
}

// ----- why a condition is not met yet ---------------------------------------------------------

pub fn server_gone(server: &str) -> String {
    format!("{server} is no longer in the organization (a workbench step removed it)")
}

pub fn too_many_moves(made: u64, most: u64) -> String {
    format!("{made} moves were made, more than {most}")
}

pub fn past_time(now: u64, by: u64) -> String {
    format!("the clock is at {} ({now} s), past {}", clock(now), clock(by))
}

pub fn move_not_allowed(name: &str) -> String {
    format!("the move \"{name}\" is not one of them")
}

pub fn usn_above(server: &str, usn: u64, most: u64) -> String {
    format!("{server}'s USN is {usn}, {} more than needed", usn - most)
}

/// The refusal a write would meet now, as a reason ("DS_E_BUSY: The directory is busy…").
pub fn not_writable(code: &str, text: &str) -> String {
    format!("{code}: {text}").trim_end_matches('.').to_string()
}

/// "by ServerB at 600 s": who made the change a copy carries, and when.
pub fn made_by(by: &str, when_s: u64, deleted: bool) -> String {
    format!("by {by} at {when_s} s{}", if deleted { ", deleted" } else { "" })
}

/// "version 3 by ServerB at 600 s".
pub fn copy(version: u32, made_by: &str) -> String {
    format!("version {version} {made_by}")
}

pub fn copies_differ(a: &str, name: &str, a_copy: &str, b: &str, b_copy: &str) -> String {
    format!("{a} holds {name} as {a_copy}, {b} as {b_copy}")
}

pub fn lacks(server: &str, name: &str, holder: &str) -> String {
    format!("{server} does not hold {name} ({holder} does)")
}

pub fn backsync_running(server: &str) -> String {
    format!("{server}'s backsync is still running")
}

pub const NOT_SETTLED: &str =
    "replication has not settled: messages or notifications are still queued, or a partner holds changes a pull would fetch";

/// The first stall found, and how many more there are.
pub fn stall(server: &str, usn: u64, partner: &str, watermark: u64, more: usize) -> String {
    let mut text = format!("{server}'s USN {usn} is below {partner}'s watermark {watermark} for it");
    if more > 0 {
        let _ = write!(text, " (and {more} more)");
    }
    text
}

pub fn not_held(server: &str, who: &str) -> String {
    format!("{server} does not hold {who}")
}

pub fn deleted_on(who: &str, server: &str) -> String {
    format!("{who} is deleted on {server}")
}

pub fn no_attr(server: &str, who: &str, attr: &str) -> String {
    format!("{server}'s copy of {who} has no {attr}")
}

pub fn attr_differs(server: &str, who: &str, attr: &str, has: &str, want: &str) -> String {
    format!("{server}'s copy of {who} has {attr} = {has}, not {want}")
}

pub fn lacks_newest(server: &str, name: &str, made: &str) -> String {
    format!("{server} does not hold {name}, whose newest change was made {made}")
}

pub fn holds_older(server: &str, name: &str, copy: &str, made: &str) -> String {
    format!("{server} holds {name} as {copy}, not its newest change (made {made})")
}

pub fn change_lost(name: &str, lost_made: &str, kept_made: &str) -> String {
    format!("the change to {name} made {lost_made} is lost: the copy every server holds (made {kept_made}) was made on a copy without it")
}

pub fn no_change(name: &str) -> String {
    format!("no change to {name} has been made")
}

/// The verdict as the transcript's closing lines.
pub fn verdict(r: &GoalReport) -> String {
    let mut out = format!("\nGoal: {}\n", r.text);
    for c in &r.require {
        let _ = writeln!(out, "  [{}] {}", if c.met { "met" } else { "not met" }, c.text);
    }
    match (&r.met_at, r.met) {
        (Some(at), _) => {
            let step = at.step.map_or(String::new(), |i| format!(", step {i}"));
            let _ = writeln!(out, "Goal met at {} ({} s){step}.", clock(at.time_s), at.time_s);
        }
        (None, true) => out.push_str("Goal met.\n"),
        (None, false) => out.push_str("Goal not met.\n"),
    }
    out
}
