//! What travels between directories (Notify, Request, Response, Write, and mail between sites),
//! the record the lab keeps of each, and the report of one step.
use crate::model::log::{LogEvent, Refusal};
use crate::model::object::DirObject;
use crate::model::sites::Route;
use serde::Serialize;
use crate::vecmap::VecMap;

/// Why a server asks a partner for changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Notify,
    Periodic,
    Init,
    UpdateNow,
    RefreshAll,
    Backsync,
    Intersite,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Notify => "notify",
            Trigger::Periodic => "periodic",
            Trigger::Init => "init",
            Trigger::UpdateNow => "update_now",
            Trigger::RefreshAll => "refresh_all",
            Trigger::Backsync => "backsync",
            Trigger::Intersite => "intersite",
        }
    }
}

/// An up-to-dateness vector per naming context (Active Directory model only).
pub type Utd = VecMap<String, VecMap<String, u64>>;

/// "Send me every object in these naming contexts with USN-Changed above these watermarks."
#[derive(Clone, Debug)]
pub struct Request {
    pub from: String,
    pub to: String,
    pub wants: Vec<(String, u64)>,
    pub trigger: Trigger,
    pub utd: Utd,
    pub epoch: u64,
    pub route: Option<Route>,
    pub sent_s: u64,
}

/// The source's answer: copies in USN order, and its highest USN (the new watermark).
#[derive(Clone, Debug)]
pub struct Response {
    pub from: String,
    pub to: String,
    pub parts: Vec<(String, Vec<DirObject>)>,
    pub usn: u64,
    pub uuid: String,
    pub trigger: Trigger,
    /// For a backsync: the source's watermark for the restored server.
    pub backsync_watermark: Option<u64>,
    pub utd: Utd,
    pub epoch: u64,
    pub route: Option<Route>,
    pub sent_s: u64,
}

impl Response {
    /// The first naming context it carries ("" with none): the one the message list shows.
    pub fn first_nc(&self) -> &str {
        self.parts.first().map_or("", |(nc, _)| nc)
    }

    pub fn object_count(&self) -> u64 {
        self.parts.iter().map(|(_, o)| o.len() as u64).sum()
    }
}

/// One entry of the message list (docs/scenarios.md, the report's `messages`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub index: usize,
    /// The playhead just after the action that recorded it: seeking there shows this message.
    pub action: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    pub time_s: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_s: Option<u64>,
    pub kind: &'static str,
    pub from: String,
    pub to: String,
    pub nc: String,
    pub usn: u64,
    pub objects: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carries: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued_s: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
    /// The event the message made its receiver log (1224 for a stalled request, 2095 for a
    /// rollback found), so a diagram can mark it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<u32>,
    /// One sentence that says what happened, for the transcript and the live region.
    pub text: String,
    /// The messaging connectors a mail took, one per hop of its `route`: indices into the
    /// organization's connectors. Not in the report; the frame shows it as the last step's `via`.
    #[serde(skip)]
    pub via: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Written {
    pub server: String,
    pub dn: String,
    pub usn: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Discarded {
    pub server: String,
    pub dn: String,
    pub reason: String,
}

/// What one step did: the message it processed, the objects written and discarded, the events
/// logged and any refusal. Lists of objects are cut at `TRACE_LIMIT`; the totals are exact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StepReport {
    pub time_s: u64,
    pub kind: &'static str,
    pub from: String,
    pub to: String,
    pub nc: String,
    pub usn: u64,
    pub objects: u64,
    pub text: String,
    pub script_step: Option<usize>,
    pub message: Option<Message>,
    pub written: Vec<Written>,
    pub written_total: u64,
    pub discarded: Vec<Discarded>,
    pub discarded_total: u64,
    pub events: Vec<LogEvent>,
    pub refused: Option<Refusal>,
    /// The messaging connectors the message's mail took, one per hop of its route: indices
    /// into the frame's `connectors`, so the page lights the one taken, not its neighbours.
    pub via: Vec<usize>,
    /// A directory replication connector this step refused as redundant, and why.
    pub drc_refused: Option<DrcRefused>,
}

/// An `add_drc` refused (DRC_REDUNDANT): the two sites it would have joined, and the sites the
/// directory replication connectors already join them through (none when joined directly).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DrcRefused {
    pub sites: [String; 2],
    pub through: Vec<String>,
}

pub const TRACE_LIMIT: usize = 200;
