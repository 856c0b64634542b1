//! What backups, restores, backsyncs and the repairs of Q201414 did (Authrest, import, the gap).
use std::fmt::Write;
use crate::model::gap::Gap;

pub fn backed_up(server: &str, label: &str, usn: u64) -> String {
    format!("{server} is backed up as \"{label}\" at USN {usn}.")
}

pub fn no_backup(server: &str, label: &str) -> String {
    format!("{server} has no backup labelled \"{label}\".")
}

/// The restore's sentence: the USN goes back; the Invocation-ID is `new_id` (a new one) or stays
/// `kept_id`; a directory service left stopped (for Authrest) says so.
pub fn restored(server: &str, label: &str, usn: u64, new_id: Option<&str>, kept_id: &str, started: bool) -> String {
    let mut text = format!("{server} is restored from \"{label}\": its USN goes back to {usn}.");
    let _ = match new_id {
        Some(id) => write!(text, " It takes a new Invocation-ID, {id}."),
        None => write!(text, " Its Invocation-ID stays {kept_id}."),
    };
    if !started {
        text.push_str(" Its directory service stays stopped.");
    }
    text
}

/// Event 1108's reason when the backsync timed out.
pub fn backsync_expired(after: &str, waiting: &[String]) -> String {
    format!("it expired after {after}; no answer from {}", waiting.join(", "))
}

pub const BACKSYNC_FORCED: &str = "forced to expire by the administrator (Q160850)";

pub fn no_backsync(server: &str) -> String {
    format!("{server} is not in a backsync.")
}

pub fn backsync_forced(server: &str, usn: u64) -> String {
    format!("{server}'s backsync is forced to expire; the directory is writable, but its USN stays {usn}.")
}

pub fn authrest_needs_stop(server: &str) -> String {
    format!("Authrest runs only while the directory service is stopped: stop {server} first.")
}

pub fn authrest(server: &str, objver: u32, usn: u64, count: usize, highest: u64) -> String {
    let kind = if objver > 0 { "an authoritative restore: these copies will win everywhere" } else { "Object-Versions unchanged" };
    format!("AUTHREST {objver} {usn} on {server}: {count} objects rewritten ({kind}); its highest USN is now {highest}.")
}

pub fn imported(name: &str, times: u64, server: &str, first: u64, usn: u64) -> String {
    format!("{name} is imported {times} times on {server}: USN {first} to {usn}.")
}

/// The measurement in words, as Q201414's step 10 reads it.
pub fn gap(g: &Gap) -> String {
    let what = if g.probe.is_some() { "the new mailbox's USN-Changed" } else { "its highest USN" };
    let mut each = Vec::new();
    for p in &g.partners {
        each.push(format!("{} holds {} for it", p.partner, p.watermark));
    }
    let verdict = if g.gap > 0 {
        format!("{} changes must reach {} before its own changes replicate out again", g.gap, g.server)
    } else {
        "no partner is ahead: replication out of it flows".to_string()
    };
    format!("{}: {what} is {}; {}. Gap: {} ({verdict}).", g.server, g.usn, if each.is_empty() { "no partner holds a watermark for it".into() } else { each.join(", ") }, g.gap)
}
