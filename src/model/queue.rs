//! The event queue: everything that will happen, by time, and in the order queued at one time.
//! Time only moves by taking events off it, so a scenario gives the same result every run.
use crate::model::replica::{MAIL_REPLICA, PERIODIC_SYNC};
use crate::model::messages::*;
use crate::narration::protocol as narration;
use crate::scenario::Model;
use crate::model::server::ServerState;
use crate::model::sites::{self, Route};
use crate::model::world::{ordered, Trace, World};

/// A ceiling on the events one `run` may take, so no scenario can freeze a tab.
pub const RUN_LIMIT: usize = 200_000;

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

/// A queued event. The queue is a `Vec` sorted latest first, events due at the same time in
/// the order they were queued, so the next event is its last: insertion is a binary search and
/// a shift, and no heap's code is in the wasm.
#[derive(Clone, Debug)]
pub(crate) struct Queued {
    pub(crate) at: u64,
    pub(crate) ev: Event,
}

impl Event {
    pub(super) fn is_message(&self) -> bool {
        matches!(self, Event::Notify { .. } | Event::Request(_) | Event::Response(_) | Event::Write(_))
    }
}

impl World {
    // ----- the queue -----------------------------------------------------------------------

    pub(crate) fn push(&mut self, at: u64, ev: Event) {
        if ev.is_message() {
            self.in_flight += 1;
        }
        // After every event due later, and before those due at `at` too: they came earlier.
        let i = self.queue.partition_point(|q| q.at > at);
        self.queue.insert(i, Queued { at, ev });
    }

    /// When the next queued event (timers included) is due.
    pub fn next_due(&self) -> Option<u64> {
        self.queue.last().map(|q| q.at)
    }

    /// The next few queued events, for the page.
    pub fn pending(&self, limit: usize) -> Vec<(u64, &'static str, String, String)> {
        let mut next = Vec::new();
        for q in self.queue.iter().rev() {
            if next.len() == limit {
                break;
            }
            let (kind, from, to) = match &q.ev {
                Event::Notify { from, to, .. } => ("notify", from, to),
                Event::Request(r) => (if self.between_sites(&r.from, &r.to) { "mail" } else { "request" }, &r.from, &r.to),
                Event::Response(r) => (if self.between_sites(&r.from, &r.to) { "mail" } else { "response" }, &r.from, &r.to),
                Event::Write(r) => ("write", &r.from, &r.to),
                _ => continue,
            };
            next.push((q.at, kind, from.clone(), to.clone()));
        }
        next
    }

    /// Quiet: no message in flight, no notification pending, no backsync running, and no
    /// partner holding changes that a periodic or scheduled pull could fetch now. Timers alone
    /// do not keep a run going.
    pub fn quiet(&self) -> bool {
        self.in_flight == 0
            && self.servers.iter().all(|s| s.backsync.is_none())
            && !self.owed()
    }

    /// No message in flight and no notification pending: only `owed` can keep it from quiet.
    pub(crate) fn settled(&self) -> bool {
        self.in_flight == 0
    }

    /// Is some reachable partner holding objects above a watermark that a timer will pull?
    pub(super) fn owed(&self) -> bool {
        for b in &self.servers {
            if !b.replicates() {
                continue;
            }
            for (nc, rep) in &b.ncs {
                for (partner, link) in &rep.reps_from {
                    let due = link.flags & PERIODIC_SYNC != 0 && link.flags & MAIL_REPLICA == 0;
                    if due
                        && self.reachable(&b.name, partner, false)
                        && self.server(partner).ncs.get(nc).is_some_and(|r| r.max_usn() > self.watermark_for(&b.name, partner, nc))
                    {
                        return true;
                    }
                }
            }
            // The bridgeheads it pulls from by mail (over connectors that initialized).
            for (i, d) in self.drcs.iter().enumerate() {
                let [x, y] = &d.bridgeheads;
                let r = if *x == b.name { y } else if *y == b.name { x } else { continue };
                if !self.drcs_idle.contains(&i) && self.reachable(&b.name, r, true) && self.owes_by_mail(&b.name, r) {
                    return true;
                }
            }
            if self.lacks_a_site_partners_nc(&b.name) {
                return true;
            }
        }
        false
    }

    /// The watermark `b` would ask `s` from (0 under AD when `s` has a new Invocation-ID).
    pub(crate) fn watermark_for(&self, b: &str, s: &str, nc: &str) -> u64 {
        let Some(link) = self.server(b).ncs.get(nc).and_then(|r| r.reps_from.get(s)) else { return 0 };
        if self.model() == Model::ActiveDirectory && link.uuid != self.server(s).invocation_id {
            return 0;
        }
        link.usn
    }

    /// Tested without writing `path_failure`'s sentence: `quiet` asks this of every partner.
    pub(crate) fn reachable(&self, a: &str, b: &str, mail: bool) -> bool {
        self.blocked(a, b, mail).is_none()
    }

    /// Why a message from `a` to `b` cannot go now, if it cannot.
    pub(super) fn path_failure(&self, a: &str, b: &str, mail: bool) -> Option<String> {
        Some(match self.blocked(a, b, mail)? {
            Blocked::Stopped(s) => narration::ds_state(s, "stopped"),
            Blocked::Quarantined(s) => narration::quarantined(s),
            Blocked::Cut => narration::path_cut(a, b),
            Blocked::NoMailRoute => narration::no_mail_route(&self.server(a).site, &self.server(b).site),
        })
    }

    fn blocked<'a>(&self, a: &'a str, b: &'a str, mail: bool) -> Option<Blocked<'a>> {
        for s in [a, b] {
            match self.server(s).state {
                ServerState::Stopped => return Some(Blocked::Stopped(s)),
                ServerState::Quarantined => return Some(Blocked::Quarantined(s)),
                _ => {}
            }
        }
        if self.links_down.contains(&ordered(a, b)) {
            return Some(Blocked::Cut);
        }
        if mail && self.mail_route(a, b).is_none() {
            return Some(Blocked::NoMailRoute);
        }
        None
    }

    /// The MTA's cheapest route over the messaging connectors that are up.
    pub(crate) fn mail_route(&self, a: &str, b: &str) -> Option<Route> {
        sites::route(&self.up_connectors(), &self.server(a).site, &self.server(b).site)
    }

    /// Removes queued messages to or from `server`, and the notifications it has pending; with
    /// `timers`, its timers too (the server is removed). A dropped first notification of a batch
    /// ends that batch, as processing it would have.
    pub(crate) fn forget_in_flight(&mut self, server: &str, timers: bool) {
        let which = |from: &str, to: &str| from == server || to == server;
        let (mut copies, mut dropped) = (0, 0);
        // Kept by pushing them back in order, as `reroute_broken` does.
        let mut kept = Vec::new();
        for q in std::mem::take(&mut self.queue) {
            let keep = match &q.ev {
                Event::Notify { from, to, .. } => !which(from, to),
                Event::Request(r) => !which(&r.from, &r.to),
                Event::Response(r) | Event::Write(r) => {
                    let keep = !which(&r.from, &r.to);
                    copies += if keep { 0 } else { r.object_count() };
                    keep
                }
                Event::Periodic { server: s } | Event::BacksyncTimeout { server: s, .. } => !timers || s != server,
                Event::Intersite { local, remote } => !timers || !which(local, remote),
            };
            dropped += usize::from(!keep && q.ev.is_message());
            if keep {
                kept.push(q);
            }
        }
        self.queue = kept;
        self.work.land(copies);
        self.in_flight -= dropped;
        self.drop_held(server);
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
        // The message handled, if any, gives the report its kind, ends and sentence.
        let mut r = match self.journal.messages.get(mark.0) {
            Some(m) => StepReport {
                kind: m.kind,
                from: m.from.clone(),
                to: m.to.clone(),
                nc: m.nc.clone(),
                usn: m.usn,
                objects: m.objects,
                text: m.text.clone(),
                via: m.via.clone(),
                message: Some(m.clone()),
                ..Default::default()
            },
            None => StepReport { kind, text, ..Default::default() },
        };
        r.time_s = self.time;
        r.script_step = self.step;
        r.written = trace.written;
        r.written_total = trace.written_total;
        r.discarded = trace.discarded;
        r.discarded_total = trace.discarded_total;
        r.events = self.journal.events[mark.1..].to_vec();
        r.refused = self.journal.refused.get(mark.2).cloned();
        r.drc_refused = trace.drc_refused;
        for note in trace.notes {
            if note.is_empty() {
                continue;
            }
            if !r.text.is_empty() {
                r.text.push(' ');
            }
            r.text.push_str(&note);
        }
        r
    }

    /// Adds a sentence to the report of the event or step being carried out.
    pub(crate) fn note(&mut self, text: String) {
        self.trace.notes.push(text);
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
            match self.queue.last() {
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
            if !self.trace.notes.is_empty() {
                break;
            }
        }
        let logged = self.journal.events.len() > mark.1 || !self.trace.notes.is_empty();
        (timers && logged).then(|| {
            let mut text = String::new();
            for (i, e) in self.journal.events[mark.1..].iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(&e.text);
            }
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

    pub(super) fn process(&mut self, ev: Event) {
        match ev {
            Event::Notify { from, to, nc, .. } => self.on_notify(&from, &to, &nc),
            Event::Request(r) => self.on_request(*r),
            Event::Response(r) => self.on_response(*r),
            Event::Write(r) => self.on_write(*r),
            Event::Periodic { server } => self.on_periodic(&server),
            Event::Intersite { local, remote } => self.on_intersite(&local, &remote),
            Event::BacksyncTimeout { server, epoch } => self.on_backsync_timeout(&server, epoch),
        }
    }

}

/// What stops a message between two servers (`path_failure` words it).
enum Blocked<'a> {
    Stopped(&'a str),
    Quarantined(&'a str),
    Cut,
    NoMailRoute,
}
