//! The Application Log: the events the directory service writes, in the sources' wording.
use crate::vecmap::VecMap;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogEvent {
    pub time_s: u64,
    pub server: String,
    pub id: u32,
    pub source: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub category: &'static str,
    pub text: String,
    /// The event's parameters by name (e.g. 1224's requester, requested and highest USN).
    #[serde(skip_serializing_if = "VecMap::is_empty")]
    pub params: VecMap<&'static str, String>,
}

/// A step the directory refused: recorded, and the run goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub step: Option<usize>,
    pub time_s: u64,
    pub server: String,
    pub error: &'static str,
    pub text: String,
}

pub const DS_E_BUSY_TEXT: &str =
    "The directory is busy. It cannot complete the operation now: a backsync after a restore \
     is in progress, and the directory is not writable until it ends.";

fn event(server: &str, time_s: u64, id: u32, kind: &'static str, category: &'static str, text: String) -> LogEvent {
    LogEvent { time_s, server: server.into(), id, source: "MSExchangeDS", kind, category, text, params: VecMap::new() }
}

/// A duration in words ("16 hours", "90 minutes"), without float formatting.
pub fn duration(secs: u64) -> String {
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s % 3600 == 0 => plural(s / 3600, "hour"),
        s if s % 60 == 0 => plural(s / 60, "minute"),
        s => plural(s, "second"),
    }
}

pub fn e1224(server: &str, time_s: u64, requester: &str, nc: &str, asked: u64, usn: u64) -> LogEvent {
    let text = format!(
        "Fatal replication error. {requester} asked for changes in {nc} above USN {asked}, a USN \
         value higher than the most current USN value on this server ({usn}). Nothing was sent. \
         Until this server's USN reaches {asked}, none of its changes will replicate to {requester}."
    );
    let mut e = event(server, time_s, 1224, "error", "Replication", text);
    e.params = [("requester", requester.into()), ("naming_context", nc.into()), ("requested_usn", asked.to_string()), ("highest_usn", usn.to_string())].into_iter().collect();
    e
}

pub fn e1074(server: &str, time_s: u64, dn: &str, loser: &str) -> LogEvent {
    let text = format!(
        "Modifications made to object {dn} by directory with GUID {loser} were lost. Another \
         modification of the object at the same Object-Version won the tie."
    );
    let mut e = event(server, time_s, 1074, "warning", "Replication", text);
    e.params = [("object", dn.into()), ("lost_guid", loser.into())].into_iter().collect();
    e
}

pub fn e1107(server: &str, time_s: u64, partners: &[String], timeout: &str) -> LogEvent {
    let text = format!(
        "The directory was restored from a backup and is beginning a backsync: it asks {} for \
         the changes it originated that the backup does not hold. Until every partner answers, \
         or {timeout} pass, the directory is not writable.",
        if partners.is_empty() { "no partner".to_string() } else { partners.join(", ") }
    );
    event(server, time_s, 1107, "information", "Backup", text)
}

pub fn e1108(server: &str, time_s: u64, how: &str) -> LogEvent {
    let text = format!("The backsync has ended ({how}). The directory is writable again.");
    event(server, time_s, 1108, "information", "Backup", text)
}

pub fn e2095(server: &str, time_s: u64, partner: &str, partner_usn: u64, usn: u64) -> LogEvent {
    let text = format!(
        "During a replication request, this domain controller found that {partner} has already \
         received replication data from it up to USN {partner_usn}, above this domain \
         controller's current USN {usn}: its database was rolled back (USN rollback) without a \
         new Invocation-ID. Replication is stopped and the directory is not writable (quarantined)."
    );
    let mut e = event(server, time_s, 2095, "error", "Replication", text);
    e.params = [("partner", partner.into()), ("partner_usn", partner_usn.to_string()), ("local_usn", usn.to_string())].into_iter().collect();
    e
}
