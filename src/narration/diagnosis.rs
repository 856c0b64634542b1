//! "Why is this server stalled?": the answers the page's Tools give, one sentence per cause.

pub fn stopped(server: &str) -> String {
    format!("{server}'s directory service is stopped: it neither sends nor receives changes.")
}

pub fn quarantined(server: &str) -> String {
    format!(
        "{server} is quarantined: a partner had already received its changes up to a USN above its own (event 2095), so its database was rolled back. Only a supported restore, with a new Invocation-ID, brings it back."
    )
}

pub fn in_backsync(server: &str, waiting: &[String], deadline_s: u64) -> String {
    format!(
        "{server} is in a backsync after a restore, waiting for {}. It refuses changes (DS_E_BUSY) until they answer or the backsync expires at {deadline_s} s.",
        waiting.join(", ")
    )
}

/// A partner's watermark above the server's USN: the 1224 condition, and how it ends.
pub fn stalled(server: &str, usn: u64, partner: &str, watermark: u64) -> String {
    format!(
        "{partner} asks for changes above {watermark}, but {server}'s highest USN is {usn}, so the reply is empty (event 1224). {server} must make {} more changes, or be repaired with Authrest or import, before its changes reach {partner}.",
        watermark - usn
    )
}

pub fn path_cut(server: &str, other: &str) -> String {
    format!("The path between {server} and {other} is cut: requests between them fail until it is mended.")
}

pub fn healthy(server: &str, usn: u64) -> String {
    format!("{server} replicates normally: no partner's watermark for it is above its highest USN ({usn}).")
}
