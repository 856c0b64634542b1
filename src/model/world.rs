//! The organization on a simulated clock: servers, the queue of events, and the replication
//! cycle Notify → Request → Response → Write, one event at a time.
//!
//! Each rule is a small method: a guard (can this happen?) and an action. Time only moves by
//! taking events off the queue by time, in the order queued at one time, so a scenario gives
//! the same result every run.
use crate::model::log::{LogEvent, Refusal};
use crate::model::messages::*;
use crate::scenario::{ConnectorSpec, DrcSpec, Model, Scenario, Settings};
use crate::model::replica::Replica;
use crate::model::server::Server;
use crate::model::object::DirObject;
use crate::model::budget::Work;
use crate::vecmap::{VecMap, VecSet};
use crate::model::queue::{Event, Queued};
use crate::model::gap::Gap;


/// Everything the lab has recorded so far, in order.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    pub messages: Vec<Message>,
    pub events: Vec<LogEvent>,
    pub refused: Vec<Refusal>,
    pub measurements: Vec<Gap>,
    /// Every originating write to each DN, in order: what a goal's `kept` checks
    /// (docs/scenarios.md). A restore does not undo it. Kept only when the scenario's goal asks
    /// `kept` (`keeps_originated`): at 40 servers × 5,000 mailboxes it would hold a copy of every
    /// object for nothing.
    pub originated: VecMap<String, Vec<Originated>>,
    pub keeps_originated: bool,
}

/// One originating write: the copy the writing server held before (`None` for a create) and the
/// copy it made.
#[derive(Clone, Debug)]
pub struct Originated {
    pub base: Option<DirObject>,
    pub copy: DirObject,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Trace {
    pub(super) written: Vec<Written>,
    pub(super) written_total: u64,
    pub(super) discarded: Vec<Discarded>,
    pub(super) discarded_total: u64,
    /// Sentences about what happened off the message list (mail held in the MTA queue).
    pub(super) notes: Vec<String>,
    /// A directory replication connector refused as redundant (the map shows it for the step).
    pub(super) drc_refused: Option<crate::model::messages::DrcRefused>,
}

#[derive(Clone, Debug)]
pub struct World {
    pub settings: Settings,
    pub org: String,
    /// (site, its servers in file order)
    pub sites: Vec<(String, Vec<String>)>,
    pub connectors: Vec<ConnectorSpec>,
    pub drcs: Vec<DrcSpec>,
    /// For each of `drcs`, the sites that know of it: its own two at once, the others when
    /// directory replication between sites brings it (docs/model-choices.md, "Between sites").
    pub drc_known_by: Vec<VecSet<String>>,
    /// Indices into `drcs` of connectors installed before their site knew every replication
    /// path: directory replication over them won't initialize.
    pub drcs_idle: VecSet<usize>,
    pub time: u64,
    pub servers: Vec<Server>,
    /// Each server's position in `servers`. A `u64`, not a `usize`: the map then shares its code
    /// in the wasm with the up-to-dateness vectors' `VecMap<String, u64>`.
    pub(super) index: VecMap<String, u64>,
    /// The events to come, latest first (`push`, src/model/queue.rs).
    pub(super) queue: Vec<Queued>,
    pub(super) in_flight: usize,
    pub links_down: VecSet<(String, String)>,
    /// Indices into `connectors` of the messaging connectors a step has taken down.
    pub connectors_down: VecSet<usize>,
    /// Directory mail waiting in the MTA queue: no route is up (see `mta.rs`).
    pub(super) mta_held: Vec<Event>,
    pub journal: Journal,
    /// The scenario step being carried out, stamped on what it records.
    pub step: Option<usize>,
    /// Actions taken so far (the session's playhead), stamped on each message.
    pub actions: usize,
    pub(super) trace: Trace,
    /// What the session has used of its work budget (src/model/budget.rs).
    pub work: Work,
}


pub fn nc_of_site(org: &str, site: &str) -> String {
    format!("/o={org}/ou={site}")
}

pub fn mailbox_dn(org: &str, site: &str, name: &str) -> String {
    format!("/o={org}/ou={site}/cn=Recipients/cn={name}")
}

/// The naming context a DN belongs to: its first two parts.
pub fn nc_of_dn(dn: &str) -> String {
    // `get`, not `&dn[..at]`: the same text ('/' is one byte, so `at` is always a character
    // boundary), without the panic path of a bad slice, which brings core's Unicode tables and
    // Debug printing into the wasm (4.1 KB gzipped).
    dn.match_indices('/').nth(2).and_then(|(at, _)| dn.get(..at)).unwrap_or(dn).to_string()
}

pub(super) fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b { (a.into(), b.into()) } else { (b.into(), a.into()) }
}

impl World {
    pub fn new(sc: &Scenario) -> World {
        let mut w = World {
            settings: sc.settings.clone(),
            org: sc.org.clone(),
            sites: Vec::with_capacity(sc.sites.len()),
            connectors: sc.connectors.clone(),
            drcs: Vec::new(),
            drc_known_by: Vec::new(),
            drcs_idle: VecSet::new(),
            time: 0,
            servers: Vec::new(),
            index: VecMap::new(),
            queue: Vec::new(),
            in_flight: 0,
            links_down: VecSet::new(),
            connectors_down: VecSet::new(),
            mta_held: Vec::new(),
            journal: Journal { keeps_originated: sc.goal.as_ref().is_some_and(crate::goal::Goal::asks_kept), ..Journal::default() },
            step: None,
            actions: 0,
            trace: Trace::default(),
            work: Work::default(),
        };
        for s in &sc.sites {
            let mut names = Vec::with_capacity(s.servers.len());
            for v in &s.servers {
                names.push(v.name.clone());
            }
            w.sites.push((s.name.clone(), names));
        }
        for (site, spec) in sc.servers() {
            w.index.insert(spec.name.clone(), w.servers.len() as u64);
            w.servers.push(Server::new(&spec.name, site, Scenario::invocation_id(spec), spec.usn));
        }
        for i in 0..w.servers.len() {
            let (name, site) = (w.servers[i].name.clone(), w.servers[i].site.clone());
            w.ensure_replica(&name, &nc_of_site(&w.org, &site));
            w.push(w.settings.periodic_sync_s, Event::Periodic { server: name });
        }
        for d in &sc.drcs {
            w.install_drc(d.clone(), true);
        }
        // The file's connectors stand in an established organization: every site knows them.
        let mut everyone = VecSet::new();
        for (s, _) in &w.sites {
            everyone.add(s.clone());
        }
        for k in &mut w.drc_known_by {
            *k = everyone.clone();
        }
        w
    }

    // ----- lookups -------------------------------------------------------------------------

    pub fn server(&self, name: &str) -> &Server {
        &self.servers[*self.index.get(name).expect("a known server") as usize]
    }

    pub(crate) fn server_mut(&mut self, name: &str) -> &mut Server {
        let i = *self.index.get(name).expect("a known server") as usize;
        &mut self.servers[i]
    }

    /// Objects held by every server, backups included: what a copy of the world costs.
    pub fn object_total(&self) -> usize {
        let mut total = 0;
        for s in &self.servers {
            total += s.object_count();
            for b in s.backups.values() {
                total += b.object_count();
            }
        }
        total
    }

    pub fn has_server(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The servers named in `names`, in the organization's order.
    pub(super) fn servers_among(&self, names: &VecSet<String>) -> Vec<String> {
        let mut among = Vec::new();
        for s in &self.servers {
            if names.contains_key(&s.name) {
                among.push(s.name.clone());
            }
        }
        among
    }

    pub fn home_nc(&self, server: &str) -> String {
        nc_of_site(&self.org, &self.server(server).site)
    }

    pub fn model(&self) -> Model {
        self.settings.model
    }

    // ----- recording -----------------------------------------------------------------------

    pub(super) fn record(&mut self, mut m: Message) {
        m.index = self.journal.messages.len();
        m.action = self.actions;
        m.step = self.step;
        m.time_s = self.time;
        if let Some(failed) = &m.failed {
            m.text = crate::narration::protocol::failed(&m.text, failed);
        }
        self.journal.messages.push(m);
    }

    pub(crate) fn log(&mut self, e: LogEvent) {
        self.journal.events.push(e);
    }

    pub(crate) fn refuse(&mut self, server: &str, error: &'static str, text: String) {
        let r = Refusal { step: self.step, time_s: self.time, server: server.into(), error, text };
        self.journal.refused.push(r);
    }

    pub(super) fn message(kind: &'static str, from: &str, to: &str, nc: &str, usn: u64, objects: u64, text: String) -> Message {
        Message {
            index: 0,
            action: 0,
            step: None,
            time_s: 0,
            sent_s: None,
            kind,
            from: from.into(),
            to: to.into(),
            nc: nc.into(),
            usn,
            objects,
            carries: None,
            route: None,
            queued_s: None,
            trigger: None,
            failed: None,
            event: None,
            text,
            via: Vec::new(),
        }
    }

}

/// Is `nc` (`rep` on `p`) a naming context site partner `p` holds (with objects) and `b` does
/// not: one a pull from `p` must bring `b` (docs/model-choices.md, "A server comes to hold every
/// naming context its site holds")?
pub(super) fn lacking(b: &Server, p: &Server, nc: &str, rep: &Replica) -> bool {
    b.site == p.site && !rep.is_empty() && !b.ncs.contains_key(nc)
}
