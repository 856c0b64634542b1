//! The Application Log: the events the directory service writes. Their wording is
//! `narration::log`.
use crate::narration::log as narration;
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

fn event(server: &str, time_s: u64, id: u32, kind: &'static str, category: &'static str, text: String) -> LogEvent {
    LogEvent { time_s, server: server.into(), id, source: "MSExchangeDS", kind, category, text, params: VecMap::new() }
}

pub fn e1224(server: &str, time_s: u64, requester: &str, nc: &str, asked: u64, usn: u64) -> LogEvent {
    let text = narration::e1224(requester, nc, asked, usn);
    let mut e = event(server, time_s, 1224, "error", "Replication", text);
    e.params.insert("requester", requester.into());
    e.params.insert("naming_context", nc.into());
    e.params.insert("requested_usn", asked.to_string());
    e.params.insert("highest_usn", usn.to_string());
    e
}

pub fn e1074(server: &str, time_s: u64, dn: &str, loser: &str) -> LogEvent {
    let text = narration::e1074(dn, loser);
    let mut e = event(server, time_s, 1074, "warning", "Replication", text);
    e.params.insert("object", dn.into());
    e.params.insert("lost_guid", loser.into());
    e
}

pub fn e1107(server: &str, time_s: u64, partners: &[String], timeout: &str) -> LogEvent {
    let text = narration::e1107(partners, timeout);
    event(server, time_s, 1107, "information", "Backup", text)
}

pub fn e1108(server: &str, time_s: u64, how: &str) -> LogEvent {
    let text = narration::e1108(how);
    event(server, time_s, 1108, "information", "Backup", text)
}

pub fn e2095(server: &str, time_s: u64, partner: &str, partner_usn: u64, usn: u64) -> LogEvent {
    let text = narration::e2095(partner, partner_usn, usn);
    let mut e = event(server, time_s, 2095, "error", "Replication", text);
    e.params.insert("partner", partner.into());
    e.params.insert("partner_usn", partner_usn.to_string());
    e.params.insert("local_usn", usn.to_string());
    e
}
