//! What a command says when it runs (src/commands/, docs/scenarios.md "Steps"): the sentence of
//! a step's report, and the sentences of the refusals the command itself makes. The protocol's
//! own sentences (a restore, a backsync, the MTA, the workbench) are beside it, in `protocol`,
//! `repair` and `organization`. Each is
//! `#[inline]`: most have one caller, where the sentence was written before (docs/performance.md).
use crate::model::object::Attrs;
use crate::model::originate::WriteKind;

/// A refused command's report.
#[inline]
pub fn refused(error: &str, text: &str) -> String {
    format!("Refused ({error}): {text}")
}

#[inline]
pub fn no_such_server(server: &str) -> String {
    format!("There is no server named {server} (now).")
}

#[inline]
pub fn no_such_site(site: &str) -> String {
    format!("There is no site named {site} (now).")
}

/// `run` with `for_s`.
#[inline]
pub fn clock_ran(seconds: u64, messages: usize) -> String {
    format!("The clock runs for {seconds} s: {messages} messages.")
}

/// `run` until quiet.
#[inline]
pub fn ran_until_quiet(messages: usize, quiet: bool) -> String {
    let quiet = if quiet { "all quiet" } else { "stopped at the event limit, not yet quiet" };
    format!("Replication runs until quiet: {messages} messages, {quiet}.")
}

/// A `run` played step by step that reached the event limit.
pub fn run_limit(events: usize) -> String {
    format!("This run stopped after {events} events without going quiet.")
}

/// `step`.
#[inline]
pub fn events_processed(n: usize) -> String {
    format!("{n} events processed.")
}

/// An originating write: the object takes the server's next USN, the hot potato.
#[inline]
pub(crate) fn written(who: &str, kind: WriteKind, attrs: &Attrs, server: &str, usn: u64) -> String {
    let what = match kind {
        WriteKind::Create => "is created".to_string(),
        WriteKind::Delete => "is deleted (a tombstone remains)".to_string(),
        WriteKind::Modify => {
            if attrs.is_empty() { "is modified".into() } else { format!("is modified ({})", super::attrs(attrs)) }
        }
    };
    format!("{who} {what} on {server} at USN {usn}: the hot potato.")
}

/// `create` with `count`: `made` mailboxes, USNs `first` to `last`.
#[inline]
pub fn created_many(made: usize, name: &str, server: &str, first: u64, last: u64) -> String {
    format!("{made} mailboxes \"{name} 1\" to \"{name} {made}\" are created on {server}, USN {first} to {last}.")
}

#[inline]
pub fn usn_goes_up(server: &str, usn: u64) -> String {
    format!("{server}'s USN is already {usn}; a USN never goes down (except by a restore).")
}

#[inline]
pub fn bumped(server: &str, changes: u64, usn: u64) -> String {
    format!("{server} makes {changes} unrelated changes elsewhere: its USN is now {usn}.")
}

/// A directory service that cannot replicate, in its state's word.
#[inline]
pub fn unavailable(server: &str, state: &str) -> String {
    format!("{server}'s directory service is {state}.")
}

#[inline]
pub fn no_partner(server: &str, from: Option<&str>) -> String {
    let who = from.map_or("any partner".to_string(), |f| format!("{f} (not a partner in its site)"));
    format!("{server} has no replica link to {who}.")
}

#[inline]
pub fn updated_now(server: &str, refresh_all: bool) -> String {
    let how = if refresh_all { "Refresh All Items: asks as if every watermark were 0" } else { "asks for new and modified items" };
    format!("Update Now on {server}: it {how}.")
}

#[inline]
pub fn already_stopped(server: &str) -> String {
    format!("{server}'s directory service is already stopped.")
}

#[inline]
pub fn quarantined(server: &str) -> String {
    format!("{server} is quarantined; only a supported restore (new Invocation-ID) brings it back.")
}

#[inline]
pub fn stops(server: &str) -> String {
    format!("{server}'s directory service stops.")
}

#[inline]
pub fn not_stopped(server: &str, state: &str) -> String {
    format!("{server}'s directory service is not stopped (it is {state}).")
}

#[inline]
pub fn starts(server: &str) -> String {
    format!("{server}'s directory service starts and asks its partners for their changes (Init sync).")
}

/// `link`: the path between two servers mended (`up`) or cut.
#[inline]
pub fn link(a: &str, b: &str, up: bool) -> String {
    if up {
        format!("The path between {a} and {b} is mended; replication resumes at the next trigger.")
    } else {
        format!("The path between {a} and {b} is cut.")
    }
}

#[inline]
pub fn drc_redundant(a: &str, b: &str) -> String {
    format!("{a} and {b} already know each other through directory replication connectors; a second path is refused (N sites need N-1 connectors).")
}

#[inline]
pub fn drc_wont_initialize(sites: &[String; 2], bridgeheads: &[String; 2], through: &[String]) -> String {
    format!(
        "A directory replication connector joins {} ({}) and {} ({}), but directory replication over it won't initialize: it was installed before Exchange in {} knew about all the replication paths, and connectors already join the two sites through {}.",
        sites[0], bridgeheads[0], sites[1], bridgeheads[1], sites[0], super::and_list(through)
    )
}

#[inline]
pub fn drc_added(sites: &[String; 2], bridgeheads: &[String; 2]) -> String {
    format!("A directory replication connector joins {} ({}) and {} ({}).", sites[0], bridgeheads[0], sites[1], bridgeheads[1])
}
