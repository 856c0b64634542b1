//! The organization on a simulated clock: servers, the queue of events, and the replication
//! cycle Notify → Request → Response → Write, one event at a time.
//!
//! Each rule is a small method: a guard (can this happen?) and an action. Time only moves by
//! taking events off the queue in (time, sequence) order, so a scenario gives the same result
//! every run.
use crate::directory::{Replica, RepsFrom, INIT_SYNC, MAIL_REPLICA, PERIODIC_SYNC, WRITEABLE};
use crate::log::{self, LogEvent, Refusal};
use crate::messages::*;
use crate::objects::{decide, Decision, DirObject};
use crate::scenario::{ConnectorSpec, DrcSpec, Model, Scenario, Settings};
use crate::servers::{Server, ServerState};
use crate::sites::{self, Route};
use crate::vecmap::{VecMap, VecSet};
use crate::budget::{Work, MAX_COPIES};
use std::collections::{BTreeMap, BinaryHeap};

#[derive(Clone, Debug)]
pub(crate) enum Event {
    Notify { from: String, to: String, nc: String, first: bool },
    Request(Box<Request>),
    Response(Box<Response>),
    Write(Box<Response>),
    Periodic { server: String },
    Intersite { local: String, remote: String },
    BacksyncTimeout { server: String, epoch: u64 },
}

/// A queued event; the heap yields the earliest (time, then sequence) first.
#[derive(Clone, Debug)]
pub(crate) struct Queued {
    at: u64,
    seq: u64,
    ev: Event,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl Event {
    fn is_message(&self) -> bool {
        matches!(self, Event::Notify { .. } | Event::Request(_) | Event::Response(_) | Event::Write(_))
    }
}

/// Q201414 steps 1–10 for one server.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    pub time_s: u64,
    pub server: String,
    /// The USN-Changed of the probe mailbox, or the server's highest USN without one.
    pub usn: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
    pub partners: Vec<PartnerGap>,
    /// The largest watermark minus `usn` (0 when no partner is ahead).
    pub gap: u64,
    pub stalled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PartnerGap {
    pub partner: String,
    pub watermark: u64,
    pub gap: i64,
}

/// Everything the lab has recorded so far, in order.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    pub messages: Vec<Message>,
    pub events: Vec<LogEvent>,
    pub refused: Vec<Refusal>,
    pub measurements: Vec<Gap>,
}

#[derive(Clone, Debug, Default)]
struct Trace {
    written: Vec<Written>,
    written_total: u64,
    discarded: Vec<Discarded>,
    discarded_total: u64,
}

#[derive(Clone, Debug)]
pub struct World {
    pub settings: Settings,
    pub org: String,
    /// (site, its servers in file order)
    pub sites: Vec<(String, Vec<String>)>,
    pub connectors: Vec<ConnectorSpec>,
    pub drcs: Vec<DrcSpec>,
    pub time: u64,
    pub servers: Vec<Server>,
    index: VecMap<String, usize>,
    queue: BinaryHeap<Queued>,
    seq: u64,
    in_flight: usize,
    pending_notify: VecSet<(String, String)>,
    pub links_down: VecSet<(String, String)>,
    pub journal: Journal,
    /// The scenario step being carried out, stamped on what it records.
    pub step: Option<usize>,
    /// Actions taken so far (the session's playhead), stamped on each message.
    pub actions: usize,
    trace: Trace,
    /// What the session has used of its work budget (src/budget.rs).
    pub work: Work,
}

/// A ceiling on the events one `run` may take, so no scenario can freeze a tab.
pub const RUN_LIMIT: usize = 200_000;

pub fn nc_of_site(org: &str, site: &str) -> String {
    format!("/o={org}/ou={site}")
}

pub fn mailbox_dn(org: &str, site: &str, name: &str) -> String {
    format!("/o={org}/ou={site}/cn=Recipients/cn={name}")
}

/// The naming context a DN belongs to: its first two parts.
pub fn nc_of_dn(dn: &str) -> String {
    dn.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b { (a.into(), b.into()) } else { (b.into(), a.into()) }
}

impl World {
    pub fn new(sc: &Scenario) -> World {
        let mut w = World {
            settings: sc.settings.clone(),
            org: sc.org.clone(),
            sites: sc.sites.iter().map(|s| (s.name.clone(), s.servers.iter().map(|v| v.name.clone()).collect())).collect(),
            connectors: sc.connectors.clone(),
            drcs: Vec::new(),
            time: 0,
            servers: Vec::new(),
            index: VecMap::new(),
            queue: BinaryHeap::new(),
            seq: 0,
            in_flight: 0,
            pending_notify: VecSet::new(),
            links_down: VecSet::new(),
            journal: Journal::default(),
            step: None,
            actions: 0,
            trace: Trace::default(),
            work: Work::default(),
        };
        for (site, spec) in sc.servers() {
            w.index.insert(spec.name.clone(), w.servers.len());
            w.servers.push(Server {
                name: spec.name.clone(),
                site: site.to_string(),
                invocation_id: Scenario::invocation_id(spec),
                usn: spec.usn,
                state: ServerState::Running,
                ncs: VecMap::new(),
                backups: VecMap::new(),
                backsync: None,
                epoch: 0,
                backsync_at_start: false,
            });
        }
        for i in 0..w.servers.len() {
            let (name, site) = (w.servers[i].name.clone(), w.servers[i].site.clone());
            w.ensure_replica(&name, &nc_of_site(&w.org, &site));
            w.push(w.settings.periodic_sync_s, Event::Periodic { server: name });
        }
        for d in &sc.drcs {
            w.install_drc(d.clone());
        }
        w
    }

    // ----- lookups -------------------------------------------------------------------------

    pub fn server(&self, name: &str) -> &Server {
        &self.servers[*self.index.get(name).expect("a known server")]
    }

    pub(crate) fn server_mut(&mut self, name: &str) -> &mut Server {
        let i = *self.index.get(name).expect("a known server");
        &mut self.servers[i]
    }

    pub fn has_server(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    fn site_partners(&self, name: &str) -> Vec<String> {
        let site = &self.server(name).site;
        self.sites.iter().find(|(s, _)| s == site).map(|(_, v)| v.iter().filter(|n| *n != name).cloned().collect()).unwrap_or_default()
    }

    pub fn home_nc(&self, server: &str) -> String {
        nc_of_site(&self.org, &self.server(server).site)
    }

    pub fn model(&self) -> Model {
        self.settings.model
    }

    // ----- the queue -----------------------------------------------------------------------

    fn push(&mut self, at: u64, ev: Event) {
        if ev.is_message() {
            self.in_flight += 1;
        }
        self.seq += 1;
        self.queue.push(Queued { at, seq: self.seq, ev });
    }

    /// When the next queued event (timers included) is due.
    pub fn next_due(&self) -> Option<u64> {
        self.queue.peek().map(|q| q.at)
    }

    /// The next few queued events, for the page.
    pub fn pending(&self, limit: usize) -> Vec<(u64, &'static str, String, String)> {
        // The first `limit` messages in (time, sequence) order, picked without sorting the heap.
        let mut rest: Vec<&Queued> = self.queue.iter().filter(|q| q.ev.is_message()).collect();
        let mut next = Vec::new();
        while next.len() < limit {
            let Some(i) = (0..rest.len()).min_by_key(|&i| (rest[i].at, rest[i].seq)) else { break };
            next.push(rest.swap_remove(i));
        }
        next.into_iter()
            .map(|q| (&q.at, &q.ev))
            .map(|(t, e)| match e {
                Event::Notify { from, to, .. } => (*t, "notify", from.clone(), to.clone()),
                Event::Request(r) => (*t, if r.route.is_some() { "mail" } else { "request" }, r.from.clone(), r.to.clone()),
                Event::Response(r) => (*t, if r.route.is_some() { "mail" } else { "response" }, r.from.clone(), r.to.clone()),
                Event::Write(r) => (*t, "write", r.from.clone(), r.to.clone()),
                _ => unreachable!("filtered to messages"),
            })
            .collect()
    }

    /// Quiet: no message in flight, no notification pending, no backsync running, and no
    /// partner holding changes that a periodic or scheduled pull could fetch now. Timers alone
    /// do not keep a run going.
    pub fn quiet(&self) -> bool {
        self.in_flight == 0
            && self.pending_notify.is_empty()
            && self.servers.iter().all(|s| s.backsync.is_none())
            && !self.owed()
    }

    /// No message in flight and no notification pending: only `owed` can keep it from quiet.
    pub(crate) fn settled(&self) -> bool {
        self.in_flight == 0 && self.pending_notify.is_empty()
    }

    /// Is some reachable partner holding objects above a watermark that a timer will pull?
    fn owed(&self) -> bool {
        self.servers.iter().filter(|b| b.replicates()).any(|b| {
            b.ncs.iter().any(|(nc, rep)| {
                rep.reps_from.iter().any(|(partner, link)| {
                    let due = link.flags & PERIODIC_SYNC != 0 && link.flags & MAIL_REPLICA == 0;
                    due && self.reachable(&b.name, partner, false)
                        && (self.server(partner).ncs.get(nc).is_some_and(|r| r.max_usn() > self.watermark_for(&b.name, partner, nc))
                            || lacking(b, self.server(partner)).next().is_some())
                })
            }) || self.drc_partners(&b.name).iter().any(|r| {
                self.reachable(&b.name, r, true)
                    && self.server(r).ncs.iter().any(|(nc, rep)| rep.max_usn() > self.watermark_for(&b.name, r, nc))
            })
        })
    }

    /// The watermark `b` would ask `s` from (0 under AD when `s` has a new Invocation-ID).
    fn watermark_for(&self, b: &str, s: &str, nc: &str) -> u64 {
        let Some(link) = self.server(b).ncs.get(nc).and_then(|r| r.reps_from.get(s)) else { return 0 };
        if self.model() == Model::ActiveDirectory && link.uuid != self.server(s).invocation_id {
            return 0;
        }
        link.usn
    }

    fn drc_partners(&self, name: &str) -> Vec<String> {
        self.drcs
            .iter()
            .filter_map(|d| match () {
                _ if d.bridgeheads[0] == name => Some(d.bridgeheads[1].clone()),
                _ if d.bridgeheads[1] == name => Some(d.bridgeheads[0].clone()),
                _ => None,
            })
            .collect()
    }

    fn reachable(&self, a: &str, b: &str, mail: bool) -> bool {
        self.path_failure(a, b, mail).is_none()
    }

    /// Why a message from `a` to `b` cannot go now, if it cannot.
    fn path_failure(&self, a: &str, b: &str, mail: bool) -> Option<String> {
        for s in [a, b] {
            match self.server(s).state {
                ServerState::Stopped => return Some(format!("{s}'s directory service is stopped")),
                ServerState::Quarantined => return Some(format!("{s} is quarantined (USN rollback)")),
                _ => {}
            }
        }
        if self.links_down.contains(&ordered(a, b)) {
            return Some(format!("the path between {a} and {b} is cut"));
        }
        if mail && self.mail_route(a, b).is_none() {
            let (sa, sb) = (&self.server(a).site, &self.server(b).site);
            return Some(format!("no messaging connector carries mail from {sa} to {sb}"));
        }
        None
    }

    fn mail_route(&self, a: &str, b: &str) -> Option<Route> {
        sites::route(&self.connectors, &self.server(a).site, &self.server(b).site)
    }

    /// Removes queued messages that match `which(from, to)`. A dropped first notification of a
    /// batch ends that batch, as processing it would have.
    pub(crate) fn drop_queued(&mut self, which: impl Fn(&str, &str) -> bool) {
        let before = self.queue.len();
        let mut ended = Vec::new();
        let mut copies = 0;
        self.queue.retain(|q| match &q.ev {
            Event::Notify { from, to, nc, first } => {
                let keep = !which(from, to);
                if !keep && *first {
                    ended.push((from.clone(), nc.clone()));
                }
                keep
            }
            Event::Request(r) => !which(&r.from, &r.to),
            Event::Response(r) | Event::Write(r) => {
                let keep = !which(&r.from, &r.to);
                copies += if keep { 0 } else { r.object_count() };
                keep
            }
            _ => true,
        });
        self.work.land(copies);
        self.in_flight -= before - self.queue.len();
        for batch in ended {
            self.pending_notify.remove(&batch);
        }
    }

    pub(crate) fn drop_pending_notify(&mut self, server: &str) {
        self.pending_notify.retain(|(s, _), _| s != server);
    }

    pub(crate) fn push_backsync_timeout(&mut self, server: &str, at: u64, epoch: u64) {
        self.push(at, Event::BacksyncTimeout { server: server.into(), epoch });
    }

    // ----- stepping ------------------------------------------------------------------------

    /// Starts a step's trace; returns where the journal stood, for `report_since`.
    pub(crate) fn mark(&mut self) -> (usize, usize, usize) {
        self.trace = Trace::default();
        (self.journal.messages.len(), self.journal.events.len(), self.journal.refused.len())
    }

    /// Builds the report of what happened since `begin`.
    pub(crate) fn report_since(&mut self, mark: (usize, usize, usize), kind: &'static str, text: String) -> StepReport {
        let trace = std::mem::take(&mut self.trace);
        let message = self.journal.messages.get(mark.0).cloned();
        let mut r = StepReport {
            time_s: self.time,
            kind,
            text,
            script_step: self.step,
            written: trace.written,
            written_total: trace.written_total,
            discarded: trace.discarded,
            discarded_total: trace.discarded_total,
            events: self.journal.events[mark.1..].to_vec(),
            refused: self.journal.refused.get(mark.2).cloned(),
            ..Default::default()
        };
        if let Some(m) = &message {
            r.kind = m.kind;
            r.from = m.from.clone();
            r.to = m.to.clone();
            r.nc = m.nc.clone();
            r.usn = m.usn;
            r.objects = m.objects;
            r.text = m.text.clone();
        }
        r.message = message;
        r
    }

    /// Processes queued events until one message has been handled (timers on the way are
    /// handled too) and reports it; `None` when the directory is quiet.
    pub fn next_event(&mut self) -> Option<StepReport> {
        self.next_event_before(u64::MAX, true)
    }

    /// Like `next_event`, but only events at or before `until`; with `stop_when_quiet` false,
    /// timers run even when nothing is owed (a `run` for a fixed time).
    pub fn next_event_before(&mut self, until: u64, stop_when_quiet: bool) -> Option<StepReport> {
        let mark = self.mark();
        let mut timers = false;
        loop {
            if stop_when_quiet && self.quiet_charged() {
                break;
            }
            match self.queue.peek() {
                Some(q) if q.at <= until => {}
                _ => break,
            }
            if self.out_of_budget() {
                return self.budget_report(mark);
            }
            let Some(Queued { at: t, ev, .. }) = self.queue.pop() else { break };
            self.work.charge(1);
            self.time = self.time.max(t);
            let message = ev.is_message();
            if message {
                self.in_flight -= 1;
            }
            self.process(ev);
            if message {
                return Some(self.report_since(mark, "timer", String::new()));
            }
            timers = true;
        }
        let logged = self.journal.events.len() > mark.1;
        (timers && logged).then(|| {
            let text = self.journal.events[mark.1..].iter().map(|e| e.text.clone()).collect::<Vec<_>>().join(" ");
            self.report_since(mark, "timer", text)
        })
    }

    /// Runs until quiet; returns the number of messages handled.
    pub fn run_until_quiet(&mut self, limit: usize) -> usize {
        let mut n = 0;
        while n < limit && self.next_event().is_some() {
            n += 1;
        }
        n
    }

    /// Advances the clock by `secs`, handling every event due, timers included.
    pub fn run_for(&mut self, secs: u64, limit: usize) -> usize {
        let end = self.time.saturating_add(secs);
        let mut n = 0;
        while n < limit && self.next_event_before(end, false).is_some() {
            n += 1;
        }
        if self.work.stopped.is_none() {
            self.time = self.time.max(end);
        }
        n
    }

    fn process(&mut self, ev: Event) {
        match ev {
            Event::Notify { from, to, nc, first } => self.on_notify(&from, &to, &nc, first),
            Event::Request(r) => self.on_request(*r),
            Event::Response(r) => self.on_response(*r),
            Event::Write(r) => self.on_write(*r),
            Event::Periodic { server } => self.on_periodic(&server),
            Event::Intersite { local, remote } => self.on_intersite(&local, &remote),
            Event::BacksyncTimeout { server, epoch } => self.on_backsync_timeout(&server, epoch),
        }
    }

    // ----- recording -----------------------------------------------------------------------

    fn record(&mut self, mut m: Message) {
        m.index = self.journal.messages.len();
        m.action = self.actions;
        m.step = self.step;
        m.time_s = self.time;
        if let Some(failed) = &m.failed {
            m.text = format!("{} Failed: {failed}.", m.text);
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

    fn message(kind: &'static str, from: &str, to: &str, nc: &str, usn: u64, objects: u64, text: String) -> Message {
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
        }
    }

    // ----- replicas and links --------------------------------------------------------------

    /// Makes sure `server` holds a replica of `nc`, linked with every server of its site.
    pub(crate) fn ensure_replica(&mut self, server: &str, nc: &str) {
        if self.server(server).ncs.contains_key(nc) {
            return;
        }
        let writable = self.home_nc(server) == nc;
        let partners = self.site_partners(server);
        let uuids: Vec<String> = partners.iter().map(|p| self.server(p).invocation_id.clone()).collect();
        let flags = INIT_SYNC | PERIODIC_SYNC | if writable { WRITEABLE } else { 0 };
        let mut rep = Replica::new(writable);
        for (p, uuid) in partners.iter().zip(uuids) {
            rep.reps_from.insert(p.clone(), RepsFrom { uuid, usn: 0, flags });
            rep.reps_to.add(p.clone());
        }
        self.server_mut(server).ncs.insert(nc.to_string(), rep);
    }

    /// Schedules the notifications that follow a write: after the notify pause, each partner on
    /// the Reps-To list, `notify_stagger_s` apart. Writes during the pause join this batch.
    pub(crate) fn schedule_notify(&mut self, server: &str, nc: &str) {
        if !self.pending_notify.add((server.into(), nc.into())) {
            return;
        }
        let order: Vec<String> = self.servers.iter().map(|s| s.name.clone()).collect();
        let reps_to = &self.server(server).ncs[nc].reps_to;
        let partners: Vec<String> = order.into_iter().filter(|n| reps_to.contains(n.as_str())).collect();
        if partners.is_empty() {
            self.pending_notify.remove(&(server.into(), nc.into()));
            return;
        }
        let start = self.time + self.settings.notify_pause_s;
        for (i, p) in partners.into_iter().enumerate() {
            let at = start + self.settings.notify_stagger_s * i as u64;
            self.push(at, Event::Notify { from: server.into(), to: p, nc: nc.into(), first: i == 0 });
        }
    }

    // ----- Notify --------------------------------------------------------------------------

    fn on_notify(&mut self, from: &str, to: &str, nc: &str, first: bool) {
        if first {
            self.pending_notify.remove(&(from.to_string(), nc.to_string()));
        }
        let usn = self.server(from).usn;
        let mut m = Self::message("notify", from, to, nc, usn, 0, format!("{from} notifies {to}: changes up to USN {usn}."));
        m.failed = self.path_failure(from, to, false);
        let ok = m.failed.is_none();
        self.record(m);
        if ok {
            self.ensure_replica(to, nc);
            self.send_request(to, from, vec![nc.to_string()], Trigger::Notify);
        }
    }

    // ----- Request -------------------------------------------------------------------------

    /// `b` asks `s` for the changes in `ncs` above its watermarks (0 for Refresh All Items and
    /// backsync). Under AD, a partner with a new Invocation-ID is asked from 0.
    pub(crate) fn send_request(&mut self, b: &str, s: &str, ncs: Vec<String>, trigger: Trigger) {
        let from_zero = matches!(trigger, Trigger::RefreshAll | Trigger::Backsync);
        let wants: Vec<(String, u64)> = ncs
            .into_iter()
            .map(|nc| {
                let w = if from_zero { 0 } else { self.watermark_for(b, s, &nc) };
                (nc, w)
            })
            .collect();
        let utd = self.utd_for(b, &wants);
        let route = (trigger == Trigger::Intersite).then(|| self.mail_route(b, s)).flatten();
        let at = match &route {
            Some(r) => sites::travel(&self.connectors, r, self.time, self.settings.mail_hop_s).0,
            None => self.time,
        };
        let epoch = self.server(b).epoch;
        let req = Request { from: b.into(), to: s.into(), wants, trigger, utd, epoch, route, sent_s: self.time };
        self.push(at, Event::Request(Box::new(req)));
    }

    fn utd_for(&self, b: &str, wants: &[(String, u64)]) -> Utd {
        if self.model() != Model::ActiveDirectory {
            return Utd::new();
        }
        let srv = self.server(b);
        wants.iter().filter_map(|(nc, _)| srv.ncs.get(nc).map(|r| (nc.clone(), self.own_utd(srv, r)))).collect()
    }

    /// A replica's up-to-dateness vector, with its own directory at its highest USN.
    fn own_utd(&self, srv: &Server, rep: &Replica) -> VecMap<String, u64> {
        let mut utd = rep.utd.clone();
        utd.insert(srv.invocation_id.clone(), srv.usn);
        utd
    }

    fn request_text(req: &Request, s_usn: u64) -> String {
        let (b, s) = (&req.from, &req.to);
        let w = req.wants.first().map_or(0, |(_, w)| *w);
        match req.trigger {
            Trigger::Backsync => format!("{b} (restored) asks {s} for every object it originated (backsync)."),
            Trigger::RefreshAll => format!("{b} asks {s} for every object (Refresh All Items)."),
            Trigger::Intersite => format!("{b} asks {s} by mail for the changes in every naming context it holds."),
            _ if w > s_usn => format!("{b} asks {s} for changes above USN {w}, but {s}'s highest USN is {s_usn}."),
            _ => format!("{b} asks {s} for changes above USN {w}."),
        }
    }

    fn on_request(&mut self, req: Request) {
        let (b, s) = (req.from.clone(), req.to.clone());
        let mail = req.route.is_some();
        let s_usn = self.server(s.as_str()).usn;
        let first_nc = req.wants.first().map(|(nc, _)| nc.clone()).unwrap_or_default();
        let w = req.wants.iter().map(|(_, w)| *w).max().unwrap_or(0);
        let mut m = Self::message(if mail { "mail" } else { "request" }, &b, &s, &first_nc, w, 0, Self::request_text(&req, s_usn));
        m.trigger = Some(req.trigger.as_str());
        self.mail_fields(&mut m, req.route.as_ref(), req.sent_s, "request");
        m.failed = self.path_failure(&b, &s, mail).or_else(|| self.busy_failure());
        let ok = m.failed.is_none();
        self.record(m);
        if !ok {
            return;
        }
        let caused = if self.rollback_detected(&req) { Some(2095) } else if self.stalled(&req) { Some(1224) } else { None };
        if caused.is_some() {
            self.journal.messages.last_mut().expect("just recorded").event = caused;
            return;
        }
        let resp = self.answer(req);
        self.work.charge(resp.object_count());
        self.work.in_flight_copies += resp.object_count();
        let at = match &resp.route {
            Some(r) => sites::travel(&self.connectors, r, self.time, self.settings.mail_hop_s).0,
            None => self.time,
        };
        self.push(at, Event::Response(Box::new(resp)));
    }

    /// AD: a partner's up-to-dateness vector says it holds our changes beyond our USN, so this
    /// directory was rolled back without a new Invocation-ID: event 2095, quarantine.
    fn rollback_detected(&mut self, req: &Request) -> bool {
        if self.model() != Model::ActiveDirectory {
            return false;
        }
        let (id, usn) = (self.server(&req.to).invocation_id.clone(), self.server(&req.to).usn);
        let seen = req.utd.values().filter_map(|v| v.get(&id)).max().copied().unwrap_or(0);
        if seen <= usn {
            return false;
        }
        let e = log::e2095(&req.to, self.time, &req.from, seen, usn);
        self.log(e);
        self.server_mut(&req.to).state = ServerState::Quarantined;
        true
    }

    /// The stall: a watermark above the source's highest USN logs 1224 and sends nothing; the
    /// requester's watermark stays where it was.
    fn stalled(&mut self, req: &Request) -> bool {
        let usn = self.server(&req.to).usn;
        let Some((nc, w)) = req.wants.iter().find(|(_, w)| *w > usn).cloned() else { return false };
        let e = log::e1224(&req.to, self.time, &req.from, &nc, w, usn);
        self.log(e);
        true
    }

    /// Builds the response: per naming context, the objects above the watermark, read from the
    /// USN index (a backsync instead gets the objects the requester originated).
    fn answer(&self, req: Request) -> Response {
        let src = self.server(&req.to);
        let requester_id = self.server(&req.from).invocation_id.clone();
        let mut wants = req.wants.clone();
        if req.trigger == Trigger::Intersite {
            for nc in src.ncs.keys() {
                if !wants.iter().any(|(n, _)| n == nc) {
                    wants.push((nc.clone(), 0));
                }
            }
        }
        let parts = wants
            .iter()
            .map(|(nc, w)| {
                let objs = src.ncs.get(nc).map_or_else(Vec::new, |rep| match req.trigger {
                    Trigger::Backsync => rep.iter().filter(|o| o.dsa_signature == requester_id).cloned().collect(),
                    _ => {
                        let utd = req.utd.get(nc);
                        rep.above(*w)
                            .filter(|o| utd.and_then(|u| u.get(&o.dsa_signature)).is_none_or(|held| *held < o.originating_usn))
                            .cloned()
                            .collect()
                    }
                });
                (nc.clone(), objs)
            })
            .collect();
        let backsync_watermark = (req.trigger == Trigger::Backsync).then(|| {
            req.wants.iter().filter_map(|(nc, _)| src.ncs.get(nc)?.reps_from.get(&req.from).map(|l| l.usn)).max().unwrap_or(0)
        });
        let utd = if self.model() == Model::ActiveDirectory {
            wants.iter().filter_map(|(nc, _)| src.ncs.get(nc).map(|r| (nc.clone(), self.own_utd(src, r)))).collect()
        } else {
            Utd::new()
        };
        Response {
            from: req.to.clone(),
            to: req.from.clone(),
            parts,
            usn: src.usn,
            uuid: src.invocation_id.clone(),
            trigger: req.trigger,
            backsync_watermark,
            utd,
            epoch: req.epoch,
            route: req.route.as_ref().and_then(|_| self.mail_route(&req.to, &req.from)),
            sent_s: self.time,
        }
    }

    fn mail_fields(&self, m: &mut Message, route: Option<&Route>, sent_s: u64, carries: &'static str) {
        if let Some(r) = route {
            m.carries = Some(carries);
            m.route = Some(r.sites.clone());
            m.sent_s = Some(sent_s);
            m.queued_s = Some(sites::travel(&self.connectors, r, sent_s, self.settings.mail_hop_s).1);
        }
    }

    // ----- Response ------------------------------------------------------------------------

    fn on_response(&mut self, resp: Response) {
        let (s, b) = (resp.from.clone(), resp.to.clone());
        let mail = resp.route.is_some();
        let n = resp.object_count();
        let nc = resp.parts.first().map(|(nc, _)| nc.clone()).unwrap_or_default();
        let plural = if n == 1 { "object" } else { "objects" };
        let text = format!("{s} answers {b} with {n} {plural}; its highest USN is {}.", resp.usn);
        let mut m = Self::message(if mail { "mail" } else { "response" }, &s, &b, &nc, resp.usn, n, text);
        m.trigger = Some(resp.trigger.as_str());
        self.mail_fields(&mut m, resp.route.as_ref(), resp.sent_s, "response");
        m.failed = self.path_failure(&s, &b, mail);
        let ok = m.failed.is_none();
        self.record(m);
        if ok {
            self.push(self.time, Event::Write(Box::new(resp)));
        } else {
            self.work.land(n);
        }
    }

    // ----- Write ---------------------------------------------------------------------------

    fn on_write(&mut self, resp: Response) {
        self.work.land(resp.object_count());
        let (s, b) = (resp.from.clone(), resp.to.clone());
        let nc0 = resp.parts.first().map(|(nc, _)| nc.clone()).unwrap_or_default();
        let mut m = Self::message("write", &s, &b, &nc0, 0, 0, String::new());
        m.trigger = Some(resp.trigger.as_str());
        m.failed = self.write_failure(&resp);
        if m.failed.is_some() {
            m.text = format!("{b} cannot write what {s} sent.");
            m.usn = self.server(&b).usn;
            self.record(m);
            return;
        }
        let before = self.server(&b).usn;
        self.work.charge(resp.object_count());
        let (written, discarded) = (self.trace.written_total, self.trace.discarded_total);
        for (nc, objs) in &resp.parts {
            self.ensure_replica(&b, nc);
            let applied = objs.iter().fold(false, |any, o| self.apply(&b, &s, nc, o) || any);
            if resp.trigger != Trigger::Backsync {
                self.advance_watermark(&b, &s, nc, &resp);
            }
            if applied {
                self.schedule_notify(&b, nc);
            }
        }
        let wrote = self.trace.written_total - written;
        let dropped = self.trace.discarded_total - discarded;
        let why = self.trace.discarded.get(discarded as usize).map(|d| d.reason.clone());
        let after = self.server(&b).usn;
        m.usn = after;
        m.objects = wrote;
        m.text = write_text(&b, &s, (wrote, dropped, why), (before, after), resp.trigger != Trigger::Backsync, resp.usn);
        self.record(m);
        if let Some(watermark) = resp.backsync_watermark {
            self.backsync_answered(&b, &s, watermark);
        }
    }

    fn write_failure(&self, resp: &Response) -> Option<String> {
        let b = self.server(&resp.to);
        if !b.replicates() {
            return Some(format!("{}'s directory service is {}", b.name, b.state.as_str()));
        }
        if b.epoch != resp.epoch {
            return Some(format!("{} was restored since it asked", b.name));
        }
        if resp.trigger == Trigger::Backsync && b.backsync.is_none() {
            return Some(format!("{}'s backsync has already ended", b.name));
        }
        None
    }

    /// Q195911 for one incoming copy; a replicated write takes the next USN and keeps the
    /// sender's USN-Changed as USN-Source.
    fn apply(&mut self, b: &str, s: &str, nc: &str, incoming: &DirObject) -> bool {
        let local = self.server(b).object(nc, &incoming.dn);
        let decision = decide(local, incoming);
        let usn_created = local.map(|l| l.usn_created);
        match decision {
            Decision::Discard(reason) => {
                self.discard(b, &incoming.dn, reason);
                false
            }
            Decision::DiscardTie { loser, reason } => {
                let e = log::e1074(b, self.time, &incoming.dn, &loser);
                self.log(e);
                self.discard(b, &incoming.dn, format!("{reason} (from {s})"));
                false
            }
            Decision::Take | Decision::TakeOverTie { .. } => {
                if let Decision::TakeOverTie { loser } = decision {
                    let e = log::e1074(b, self.time, &incoming.dn, &loser);
                    self.log(e);
                }
                let srv = self.server_mut(b);
                srv.usn += 1;
                let mut obj = incoming.clone();
                obj.usn_changed = srv.usn;
                obj.usn_source = incoming.usn_changed;
                obj.usn_created = usn_created.unwrap_or(srv.usn);
                let usn = srv.usn;
                srv.ncs.get_mut(nc).expect("replica ensured").put(obj);
                self.note_written(b, &incoming.dn, usn);
                true
            }
        }
    }

    pub(crate) fn note_written(&mut self, server: &str, dn: &str, usn: u64) {
        self.trace.written_total += 1;
        if self.trace.written.len() < TRACE_LIMIT {
            self.trace.written.push(Written { server: server.into(), dn: dn.into(), usn });
        }
    }

    fn discard(&mut self, server: &str, dn: &str, reason: String) {
        self.trace.discarded_total += 1;
        if self.trace.discarded.len() < TRACE_LIMIT {
            self.trace.discarded.push(Discarded { server: server.into(), dn: dn.into(), reason });
        }
    }

    /// The watermark moves to the source's highest USN whether or not anything was applied.
    fn advance_watermark(&mut self, b: &str, s: &str, nc: &str, resp: &Response) {
        let mail = resp.route.is_some();
        let writable = self.server(b).ncs[nc].writable;
        let ad = self.model() == Model::ActiveDirectory;
        let rep = self.server_mut(b).ncs.get_mut(nc).expect("replica ensured");
        let flags = if mail { MAIL_REPLICA | INIT_SYNC | PERIODIC_SYNC } else { INIT_SYNC | PERIODIC_SYNC | if writable { WRITEABLE } else { 0 } };
        let link = rep.reps_from.get_or_insert_with(s.to_string(), || RepsFrom { uuid: resp.uuid.clone(), usn: 0, flags });
        link.uuid = resp.uuid.clone();
        link.usn = resp.usn;
        if ad {
            if let Some(theirs) = resp.utd.get(nc) {
                for (id, usn) in theirs {
                    let mine = rep.utd.get_or_insert_with(id.clone(), || 0);
                    *mine = (*mine).max(*usn);
                }
            }
        }
    }

    // ----- timers --------------------------------------------------------------------------

    fn on_periodic(&mut self, server: &str) {
        self.push(self.time + self.settings.periodic_sync_s, Event::Periodic { server: server.into() });
        if self.server(server).replicates() {
            self.pull_from_partners(server, None, PERIODIC_SYNC, Trigger::Periodic);
        }
    }

    /// `b` asks each RPC partner whose link has `flag` (or only `only`) for its changes.
    pub(crate) fn pull_from_partners(&mut self, b: &str, only: Option<&str>, flag: u32, trigger: Trigger) -> usize {
        let mut asks: VecMap<String, Vec<String>> = VecMap::new();
        for (nc, rep) in &self.server(b).ncs {
            for (p, link) in &rep.reps_from {
                if link.flags & flag != 0 && link.flags & MAIL_REPLICA == 0 && only.is_none_or(|o| o == p) {
                    asks.get_or_insert_with(p.clone(), Vec::new).push(nc.clone());
                }
            }
        }
        if asks.is_empty() {
            return 0; // a server alone in its site: a timer with nothing to ask, kept cheap
        }
        let order: Vec<String> = self.servers.iter().filter(|s| asks.contains_key(&s.name)).map(|s| s.name.clone()).collect();
        for p in &order {
            for nc in asks[p.as_str()].clone() {
                self.send_request(b, p, vec![nc], trigger);
            }
            let missing = self.missing_ncs(b, p);
            if !missing.is_empty() {
                self.send_request(b, p, missing, trigger);
            }
        }
        order.len()
    }

    /// The naming contexts site partner `p` holds (with objects) and `b` does not: a request to a
    /// site partner covers every naming context the partner holds, so a notification lost to a
    /// cut path is made good by the next pull (docs/model-choices.md). Asked apart from the rest,
    /// from USN 0, so a stalled request for another naming context does not hold them back.
    fn missing_ncs(&self, b: &str, p: &str) -> Vec<String> {
        lacking(self.server(b), self.server(p)).cloned().collect()
    }

    fn on_intersite(&mut self, local: &str, remote: &str) {
        self.push(self.time + self.settings.intersite_sync_s, Event::Intersite { local: local.into(), remote: remote.into() });
        if self.server(local).replicates() {
            let ncs: Vec<String> = self.server(local).ncs.iter().filter(|(_, r)| r.reps_from.get(remote).is_some_and(|l| l.flags & MAIL_REPLICA != 0)).map(|(nc, _)| nc.clone()).collect();
            self.send_request(local, remote, ncs, Trigger::Intersite);
        }
    }

    /// A DRC: each bridgehead pulls from the other by mail, now and on the schedule.
    pub(crate) fn install_drc(&mut self, d: DrcSpec) {
        let [a, b] = d.bridgeheads.clone();
        self.drcs.push(d);
        self.push(self.time, Event::Intersite { local: a.clone(), remote: b.clone() });
        self.push(self.time, Event::Intersite { local: b, remote: a });
    }

    // ----- originating writes --------------------------------------------------------------

    /// Why `server` cannot originate a write now, if it cannot.
    pub(crate) fn write_refusal(&self, server: &str) -> Option<(&'static str, String)> {
        match self.server(server).state {
            ServerState::Running => None,
            ServerState::Backsync => Some(("DS_E_BUSY", log::DS_E_BUSY_TEXT.to_string())),
            ServerState::Stopped => Some(("DS_E_UNAVAILABLE", format!("{server}'s directory service is stopped; start it first."))),
            ServerState::Quarantined => Some((
                "DS_E_UNWILLING_TO_PERFORM",
                format!("{server} is quarantined after a USN rollback (event 2095): it accepts no changes."),
            )),
        }
    }

    /// An originating write: the server's USN goes up by one and the object carries it.
    /// `change` edits the object; `None` means create. Returns the USN given, or refuses.
    pub(crate) fn originate(&mut self, server: &str, dn: &str, kind: WriteKind, attrs: &BTreeMap<String, String>) -> Option<u64> {
        if let Some((code, text)) = self.write_refusal(server) {
            self.refuse(server, code, text);
            return None;
        }
        if let Some((code, text)) = self.work_refusal(if kind == WriteKind::Create { 1 } else { 0 }) {
            self.refuse(server, code, text);
            return None;
        }
        let nc = nc_of_dn(dn);
        if let Some(text) = self.target_problem(server, &nc, dn, kind) {
            let code = if kind == WriteKind::Create { "DS_E_ALREADY_EXISTS" } else { "DS_E_NO_SUCH_OBJECT" };
            let code = if text.contains("read-only") { "DS_E_UNWILLING_TO_PERFORM" } else { code };
            self.refuse(server, code, text);
            return None;
        }
        let now = self.time;
        self.work.charge(1);
        self.work.created += (kind == WriteKind::Create) as u64;
        let srv = self.server_mut(server);
        srv.usn += 1;
        let (usn, id) = (srv.usn, srv.invocation_id.clone());
        let rep = srv.ncs.get_mut(&nc).expect("checked");
        let mut obj = rep.get(dn).cloned().unwrap_or(DirObject {
            dn: dn.into(),
            object_version: 0,
            usn_created: usn,
            usn_changed: usn,
            usn_source: usn,
            dsa_signature: id.clone(),
            when_changed: now,
            deleted: false,
            attrs: BTreeMap::new(),
            originating_usn: usn,
        });
        obj.object_version += 1;
        obj.usn_changed = usn;
        obj.dsa_signature = id.clone();
        obj.when_changed = now;
        obj.originating_usn = usn;
        match kind {
            WriteKind::Delete => {
                obj.deleted = true;
                obj.attrs.clear();
            }
            _ => obj.attrs.extend(attrs.iter().map(|(k, v)| (k.clone(), v.clone()))),
        }
        rep.put(obj);
        rep.utd.insert(id, usn);
        self.note_written(server, dn, usn);
        self.schedule_notify(server, &nc);
        Some(usn)
    }

    /// Why a write that creates `creates` objects would exceed the work budget, if it would.
    pub(crate) fn work_refusal(&self, creates: u64) -> Option<(&'static str, String)> {
        if let Some(why) = self.work.exhausted(self.step, self.journal.messages.len() + self.journal.events.len(), self.time) {
            return Some(("WORK_BUDGET", why));
        }
        if creates > 0 && self.work.copies_with(creates, self.servers.len()) > MAX_COPIES {
            return Some(("WORK_BUDGET", crate::budget::copies_refusal(self.step, creates, self.servers.len())));
        }
        None
    }

    fn target_problem(&self, server: &str, nc: &str, dn: &str, kind: WriteKind) -> Option<String> {
        let Some(rep) = self.server(server).ncs.get(nc) else {
            return Some(format!("{server} holds no naming context {nc}."));
        };
        if !rep.writable {
            return Some(format!("{nc} is a read-only replica on {server}: change it on a server of its own site."));
        }
        let name = crate::objects::common_name(dn);
        match (kind, rep.get(dn)) {
            (WriteKind::Create, Some(o)) if o.deleted => Some(format!("\"{name}\" was deleted; its tombstone keeps the name.")),
            (WriteKind::Create, Some(_)) => Some(format!("\"{name}\" already exists on {server}.")),
            (WriteKind::Create, None) => None,
            (_, None) => Some(format!("{server} holds no object \"{name}\".")),
            (_, Some(o)) if o.deleted => Some(format!("\"{name}\" is deleted (a tombstone) on {server}.")),
            _ => None,
        }
    }
}

/// The naming contexts site partner `p` holds (with objects) and `b` does not.
fn lacking<'a>(b: &'a Server, p: &'a Server) -> impl Iterator<Item = &'a String> + 'a {
    let same_site = b.site == p.site;
    p.ncs.iter().filter(move |(nc, rep)| same_site && !rep.is_empty() && !b.ncs.contains_key(nc.as_str())).map(|(nc, _)| nc)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WriteKind {
    Create,
    Modify,
    Delete,
}

/// "NewYork01 writes 1 object from Boston01 at USN 1157; its watermark for Boston01 is now 1946."
fn write_text(b: &str, s: &str, (wrote, dropped, why): (u64, u64, Option<String>), (before, after): (u64, u64), watermark: bool, resp_usn: u64) -> String {
    let mut t = match wrote {
        0 => format!("{b} writes nothing from {s}"),
        1 => format!("{b} writes 1 object from {s} at USN {after}"),
        n => format!("{b} writes {n} objects from {s}, USN {} to {after}", before + 1),
    };
    match (dropped, why) {
        (0, _) => {}
        (1, Some(why)) => t.push_str(&format!("; 1 copy discarded: {why}")),
        (n, Some(why)) => t.push_str(&format!("; {n} copies discarded (the first: {why})")),
        (n, None) => t.push_str(&format!("; {n} copies discarded")),
    }
    if watermark {
        t.push_str(&format!("; its watermark for {s} is now {resp_usn}"));
    }
    t.push('.');
    t
}
