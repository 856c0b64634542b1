//! A server's directory service: its Invocation-ID, its highest committed USN, its naming
//! contexts, its backups and its state.
use crate::model::replica::Replica;
use crate::model::object::DirObject;
use serde::Serialize;
use crate::vecmap::{VecMap, VecSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerState {
    Running,
    Stopped,
    Backsync,
    Quarantined,
}

impl ServerState {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerState::Running => "running",
            ServerState::Stopped => "stopped",
            ServerState::Backsync => "backsync",
            ServerState::Quarantined => "quarantined",
        }
    }
}

/// A copy of one server's whole directory: objects, USN counter, replica links.
#[derive(Clone, Debug)]
pub struct Backup {
    pub usn: u64,
    pub ncs: VecMap<String, Replica>,
    pub time_s: u64,
}

impl Backup {
    pub fn object_count(&self) -> usize {
        objects_in(&self.ncs)
    }
}

/// The objects held in these naming contexts (tombstones included).
fn objects_in(ncs: &VecMap<String, Replica>) -> usize {
    let mut n = 0;
    for rep in ncs.values() {
        n += rep.len();
    }
    n
}

/// A backsync in progress after a restore (Q201414, Q160850).
#[derive(Clone, Debug)]
pub struct Backsync {
    pub waiting_on: VecSet<String>,
    pub deadline_s: u64,
}

#[derive(Clone, Debug)]
pub struct Server {
    pub name: String,
    pub site: String,
    pub invocation_id: String,
    pub usn: u64,
    pub state: ServerState,
    pub ncs: VecMap<String, Replica>,
    pub backups: VecMap<String, Backup>,
    pub backsync: Option<Backsync>,
    /// Bumped at each restore, so answers to an older backsync are recognised and ignored.
    pub epoch: u64,
    /// A restore asked for a backsync when the directory service next starts.
    pub backsync_at_start: bool,
}

impl Server {
    /// A running server holding nothing yet.
    pub fn new(name: &str, site: &str, invocation_id: String, usn: u64) -> Server {
        Server {
            name: name.to_string(),
            site: site.to_string(),
            invocation_id,
            usn,
            state: ServerState::Running,
            ncs: VecMap::new(),
            backups: VecMap::new(),
            backsync: None,
            epoch: 0,
            backsync_at_start: false,
        }
    }

    /// Serves requests and writes replicated changes (a backsync still replicates).
    pub fn replicates(&self) -> bool {
        matches!(self.state, ServerState::Running | ServerState::Backsync)
    }

    pub fn object(&self, nc: &str, dn: &str) -> Option<&DirObject> {
        self.ncs.get(nc)?.get(dn)
    }

    /// The object carrying the highest USN-Changed on this server: the hot potato.
    pub fn hot_potato(&self) -> Option<&DirObject> {
        let mut hot: Option<&DirObject> = None;
        for top in self.ncs.values().filter_map(Replica::top) {
            // The last of equal USNs, as `max_by_key` gives.
            if hot.is_none_or(|h| top.usn_changed >= h.usn_changed) {
                hot = Some(top);
            }
        }
        hot
    }

    pub fn object_count(&self) -> usize {
        objects_in(&self.ncs)
    }

    pub fn backup(&self, time_s: u64) -> Backup {
        Backup { usn: self.usn, ncs: self.ncs.clone(), time_s }
    }
}
