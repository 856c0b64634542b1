//! What each message of the protocol says (Notify, Request, Response, Write), why one failed,
//! and why a replicated copy was discarded (Q195911's conflict rules).
use std::fmt::Write;
use crate::model::messages::Trigger;

/// "Boston01 notifies NewYork01: changes up to USN 1966."
pub fn notify(from: &str, to: &str, usn: u64) -> String {
    format!("{from} notifies {to}: changes up to USN {usn}.")
}

/// `b` asks `s` for changes above its watermark `w`; `s_usn` is `s`'s highest USN, and a
/// watermark above it is the 1224 condition, said before the answer fails.
pub fn request(b: &str, s: &str, trigger: Trigger, mail: bool, w: u64, s_usn: u64) -> String {
    match trigger {
        Trigger::Backsync if mail => format!("{b} (restored) asks {s} by mail for every object it originated (backsync)."),
        Trigger::Backsync => format!("{b} (restored) asks {s} for every object it originated (backsync)."),
        Trigger::RefreshAll => format!("{b} asks {s} for every object (Refresh All Items)."),
        Trigger::Intersite => format!("{b} asks {s} by mail for the changes in the naming contexts of sites other than its own."),
        Trigger::Init if mail => format!("{b} starts and asks {s} by mail for the changes in the naming contexts of sites other than its own (Init sync)."),
        _ if w > s_usn => format!("{b} asks {s} for changes above USN {w}, but {s}'s highest USN is {s_usn}."),
        _ => format!("{b} asks {s} for changes above USN {w}."),
    }
}

/// "Boston01 answers NewYork01 with 1 object; its highest USN is 1946."
pub fn response(s: &str, b: &str, objects: u64, usn: u64) -> String {
    format!("{s} answers {b} with {}; its highest USN is {usn}.", super::count(objects, "object", "objects"))
}

/// "NewYork01 writes 1 object from Boston01 at USN 1157; its watermark for Boston01 is now 1946."
/// `discarded` is how many copies were not taken and the first one's reason.
pub fn write(b: &str, s: &str, (wrote, dropped, why): (u64, u64, Option<String>), (before, after): (u64, u64), watermark: Option<u64>) -> String {
    let mut t = match wrote {
        0 => format!("{b} writes nothing from {s}"),
        1 => format!("{b} writes 1 object from {s} at USN {after}"),
        n => format!("{b} writes {n} objects from {s}, USN {} to {after}", before + 1),
    };
    let _ = match (dropped, why) {
        (0, _) => Ok(()),
        (1, Some(why)) => write!(t, "; 1 copy discarded: {why}"),
        (n, Some(why)) => write!(t, "; {n} copies discarded (the first: {why})"),
        (n, None) => write!(t, "; {n} copies discarded"),
    };
    if let Some(usn) = watermark {
        let _ = write!(t, "; its watermark for {s} is now {usn}");
    }
    t.push('.');
    t
}

pub fn cannot_write(b: &str, s: &str) -> String {
    format!("{b} cannot write what {s} sent.")
}

/// A message that could not be delivered: its sentence, then why.
pub fn failed(text: &str, why: &str) -> String {
    format!("{text} Failed: {why}.")
}

// ----- why a message fails ----------------------------------------------------------------

pub fn ds_state(server: &str, state: &str) -> String {
    format!("{server}'s directory service is {state}")
}

pub fn quarantined(server: &str) -> String {
    format!("{server} is quarantined (USN rollback)")
}

pub fn path_cut(a: &str, b: &str) -> String {
    format!("the path between {a} and {b} is cut")
}

pub fn no_mail_route(sa: &str, sb: &str) -> String {
    format!("no route of messaging connectors carries mail from {sa} to {sb}, and between sites the directory sends only mail")
}

pub fn restored_since_asked(b: &str) -> String {
    format!("{b} was restored since it asked")
}

pub fn backsync_over(b: &str) -> String {
    format!("{b}'s backsync has already ended")
}

/// The lab carries at most so many copies at once; past it a request is answered "busy".
pub fn busy(in_flight: &str) -> String {
    format!("{in_flight} object copies are already in flight, the most the lab carries at once (a later pull asks again)")
}

/// Mail with no route up waits in the sending site's MTA queue.
pub fn mta_waits(from: &str, request: bool, to: &str, sa: &str, sb: &str) -> String {
    let what = if request { "request" } else { "answer" };
    format!("{from}'s {what} to {to} waits in {sa}'s MTA queue: no route of messaging connectors from {sa} to {sb} is up.")
}

// ----- why a copy is discarded (Q195911) ----------------------------------------------------

pub fn lower_version(theirs: u32, mine: u32) -> String {
    format!("lower Object-Version ({theirs} < {mine})")
}

pub fn tie_earlier(mine: u32) -> String {
    format!("lost the tie at Object-Version {mine}: earlier When-Changed")
}

pub fn tie_lower_id(mine: u32) -> String {
    format!("lost the tie at Object-Version {mine}: same When-Changed, lower Invocation-ID")
}

pub fn already_held(mine: u32) -> String {
    format!("already held (same Object-Version {mine}, DSA-Signature and When-Changed)")
}

pub fn older_copy(mine: u32) -> String {
    format!("an older copy of the same change (same Object-Version {mine} and DSA-Signature, earlier When-Changed)")
}

pub fn lower_values(mine: u32) -> String {
    format!("lost the tie at Object-Version {mine}: same DSA-Signature and When-Changed, lower values")
}

/// A tie lost against a copy sent by `s`.
pub fn from_sender(reason: &str, s: &str) -> String {
    format!("{reason} (from {s})")
}
