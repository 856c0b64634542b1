//! The protocol, one function per rule, in the manner of RaftScope's handlers: Notify, Request,
//! Response and Write (docs/model-choices.md and docs/scenarios.md say what each one does), the
//! periodic and intersite timers, and the replica links they keep.
use crate::model::replica::{Replica, RepsFrom, INIT_SYNC, MAIL_REPLICA, PERIODIC_SYNC, WRITEABLE};
use crate::model::log::{self};
use crate::narration::protocol as narration;
use crate::model::messages::*;
use crate::model::object::{decide, Decision, DirObject};
use crate::scenario::{DrcSpec, Model};
use crate::model::server::{Server, ServerState};
use crate::model::sites::Route;
use crate::vecmap::{VecMap, VecSet};
use crate::model::world::{lacking, World};
use crate::model::queue::{Event, Queued};

impl World {
    // ----- replicas and links --------------------------------------------------------------

    /// Makes sure `server` holds a replica of `nc`, linked with every server of its site.
    pub(crate) fn ensure_replica(&mut self, server: &str, nc: &str) {
        if self.server(server).ncs.contains_key(nc) {
            return;
        }
        let writable = self.home_nc(server) == nc;
        let flags = INIT_SYNC | PERIODIC_SYNC | if writable { WRITEABLE } else { 0 };
        let mut rep = Replica::new(writable);
        let site = &self.server(server).site;
        for (s, names) in &self.sites {
            if s != site {
                continue;
            }
            // Linked with every other server of its site.
            for p in names {
                if p == server {
                    continue;
                }
                let uuid = self.server(p).invocation_id.clone();
                rep.reps_from.insert(p.clone(), RepsFrom { uuid, usn: 0, flags });
                rep.reps_to.add(p.clone());
            }
            break;
        }
        self.server_mut(server).ncs.insert(nc.to_string(), rep);
    }

    /// Schedules the notifications that follow a write: after the notify pause, each partner on
    /// the Reps-To list, `notify_stagger_s` apart. Writes during the pause join this batch: it is
    /// pending while its first notification is queued (no set of batches to keep in step).
    pub(crate) fn schedule_notify(&mut self, server: &str, nc: &str) {
        let pending = |q: &Queued| matches!(&q.ev, Event::Notify { from, nc: n, first: true, .. } if from == server && n == nc);
        if self.queue.iter().any(pending) {
            return;
        }
        let partners = self.servers_among(&self.server(server).ncs[nc].reps_to);
        let start = self.time + self.settings.notify_pause_s;
        for (i, p) in partners.into_iter().enumerate() {
            let at = start + self.settings.notify_stagger_s * i as u64;
            self.push(at, Event::Notify { from: server.into(), to: p, nc: nc.into(), first: i == 0 });
        }
    }

    // ----- Notify --------------------------------------------------------------------------

    pub(super) fn on_notify(&mut self, from: &str, to: &str, nc: &str) {
        let usn = self.server(from).usn;
        let mut m = Self::message("notify", from, to, nc, usn, 0, narration::notify(from, to, usn));
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
        let mut wants = Vec::with_capacity(ncs.len());
        for nc in ncs {
            let w = if from_zero { 0 } else { self.watermark_for(b, s, &nc) };
            wants.push((nc, w));
        }
        let utd = self.utd_for(b, &wants);
        let epoch = self.server(b).epoch;
        let req = Request { from: b.into(), to: s.into(), wants, trigger, utd, epoch, route: None, sent_s: self.time };
        self.hand_off(Event::Request(Box::new(req)));
    }

    /// `b`'s up-to-dateness vectors for the naming contexts of `wants` it holds (AD only).
    pub(super) fn utd_for(&self, b: &str, wants: &[(String, u64)]) -> Utd {
        let mut utd = Utd::new();
        if self.model() != Model::ActiveDirectory {
            return utd;
        }
        let srv = self.server(b);
        for (nc, _) in wants {
            if let Some(rep) = srv.ncs.get(nc) {
                utd.insert(nc.clone(), self.own_utd(srv, rep));
            }
        }
        utd
    }

    /// A replica's up-to-dateness vector, with its own directory at its highest USN.
    pub(super) fn own_utd(&self, srv: &Server, rep: &Replica) -> VecMap<String, u64> {
        let mut utd = rep.utd.clone();
        utd.insert(srv.invocation_id.clone(), srv.usn);
        utd
    }

    pub(super) fn request_text(req: &Request, s_usn: u64, mail: bool) -> String {
        let w = req.wants.first().map_or(0, |(_, w)| *w);
        narration::request(&req.from, &req.to, req.trigger, mail, w, s_usn)
    }

    pub(super) fn on_request(&mut self, req: Request) {
        let (b, s) = (req.from.as_str(), req.to.as_str());
        let mail = self.between_sites(b, s);
        let s_usn = self.server(s).usn;
        let mut w = 0;
        for (_, asked) in &req.wants {
            w = w.max(*asked);
        }
        let mut m = Self::message(if mail { "mail" } else { "request" }, b, s, req.wants.first().map_or("", |(nc, _)| nc), w, 0, Self::request_text(&req, s_usn, mail));
        m.trigger = Some(req.trigger.as_str());
        self.mail_fields(&mut m, req.route.as_ref(), req.sent_s, "request");
        m.failed = self.path_failure(b, s, mail && req.route.is_none()).or_else(|| self.busy_failure());
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
        self.hand_off(Event::Response(Box::new(resp)));
    }

    /// AD: a partner's up-to-dateness vector says it holds our changes beyond our USN, so this
    /// directory was rolled back without a new Invocation-ID: event 2095, quarantine.
    pub(super) fn rollback_detected(&mut self, req: &Request) -> bool {
        if self.model() != Model::ActiveDirectory {
            return false;
        }
        let srv = self.server(&req.to);
        let usn = srv.usn;
        let mut seen = 0;
        for utd in req.utd.values() {
            seen = seen.max(utd.get(&srv.invocation_id).copied().unwrap_or(0));
        }
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
    pub(super) fn stalled(&mut self, req: &Request) -> bool {
        let usn = self.server(&req.to).usn;
        let Some((nc, w)) = req.wants.iter().find(|(_, w)| *w > usn) else { return false };
        let e = log::e1224(&req.to, self.time, &req.from, nc, *w, usn);
        self.log(e);
        true
    }

    /// Builds the response: per naming context, the objects above the watermark, read from the
    /// USN index (a backsync instead gets the objects the requester originated).
    pub(super) fn answer(&self, req: Request) -> Response {
        let src = self.server(&req.to);
        let requester_id = self.server(&req.from).invocation_id.clone();
        let mut wants = req.wants.clone();
        if req.trigger != Trigger::Backsync {
            wants.extend(self.ncs_to_offer(&req));
        }
        let backsync = req.trigger == Trigger::Backsync;
        let mut parts = Vec::with_capacity(wants.len());
        for (nc, w) in &wants {
            let mut objs = Vec::new();
            if let Some(rep) = src.ncs.get(nc) {
                if backsync {
                    for o in rep.iter() {
                        if o.dsa_signature == requester_id {
                            objs.push(o.clone());
                        }
                    }
                } else {
                    let utd = req.utd.get(nc);
                    for o in rep.above(*w) {
                        if utd.and_then(|u| u.get(&o.dsa_signature)).is_none_or(|held| *held < o.originating_usn) {
                            objs.push(o.clone());
                        }
                    }
                }
            }
            parts.push((nc.clone(), objs));
        }
        let backsync_watermark = backsync.then(|| {
            let mut top = 0;
            for (nc, _) in &req.wants {
                if let Some(link) = src.ncs.get(nc).and_then(|rep| rep.reps_from.get(&req.from)) {
                    top = top.max(link.usn);
                }
            }
            top
        });
        let utd = self.utd_for(&req.to, &wants);
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
            route: None,
            sent_s: self.time,
        }
    }

    pub(super) fn mail_fields(&self, m: &mut Message, route: Option<&Route>, sent_s: u64, carries: &'static str) {
        if let Some(r) = route {
            m.carries = Some(carries);
            m.route = Some(r.sites.clone());
            m.via = self.connectors_taken(r);
            m.sent_s = Some(sent_s);
            m.queued_s = Some(self.time.saturating_sub(sent_s + self.settings.mail_hop_s * r.hops.len() as u64));
        }
    }

    // ----- Response ------------------------------------------------------------------------

    pub(super) fn on_response(&mut self, resp: Response) {
        let (s, b) = (resp.from.as_str(), resp.to.as_str());
        let mail = self.between_sites(s, b);
        let n = resp.object_count();
        let text = narration::response(s, b, n, resp.usn);
        let mut m = Self::message(if mail { "mail" } else { "response" }, s, b, resp.first_nc(), resp.usn, n, text);
        m.trigger = Some(resp.trigger.as_str());
        self.mail_fields(&mut m, resp.route.as_ref(), resp.sent_s, "response");
        m.failed = self.path_failure(s, b, mail && resp.route.is_none());
        let ok = m.failed.is_none();
        self.record(m);
        if ok {
            self.push(self.time, Event::Write(Box::new(resp)));
        } else {
            self.work.land(n);
        }
    }

    // ----- Write ---------------------------------------------------------------------------

    pub(super) fn on_write(&mut self, resp: Response) {
        self.work.land(resp.object_count());
        let (s, b) = (resp.from.as_str(), resp.to.as_str());
        let mut m = Self::message("write", s, b, resp.first_nc(), 0, 0, String::new());
        m.trigger = Some(resp.trigger.as_str());
        m.failed = self.write_failure(&resp);
        if m.failed.is_some() {
            m.text = narration::cannot_write(b, s);
            m.usn = self.server(b).usn;
            self.record(m);
            return;
        }
        let before = self.server(b).usn;
        self.work.charge(resp.object_count());
        let (written, discarded) = (self.trace.written_total, self.trace.discarded_total);
        for (nc, objs) in &resp.parts {
            self.ensure_replica(b, nc);
            let mut applied = false;
            for o in objs {
                applied |= self.apply(b, s, nc, o);
            }
            if resp.trigger != Trigger::Backsync {
                self.advance_watermark(b, s, nc, &resp);
            }
            if applied {
                self.schedule_notify(b, nc);
            }
        }
        if self.between_sites(s, b) {
            self.learn_drcs(s, b);
        }
        let wrote = self.trace.written_total - written;
        let dropped = self.trace.discarded_total - discarded;
        let why = self.trace.discarded.get(discarded as usize).map(|d| d.reason.clone());
        let after = self.server(b).usn;
        m.usn = after;
        m.objects = wrote;
        let watermark = (resp.trigger != Trigger::Backsync).then_some(resp.usn);
        m.text = narration::write(b, s, (wrote, dropped, why), (before, after), watermark);
        self.record(m);
        if let Some(watermark) = resp.backsync_watermark {
            self.backsync_answered(b, s, watermark);
        }
    }

    pub(super) fn write_failure(&self, resp: &Response) -> Option<String> {
        let b = self.server(&resp.to);
        if !b.replicates() {
            return Some(narration::ds_state(&b.name, b.state.as_str()));
        }
        if b.epoch != resp.epoch {
            return Some(narration::restored_since_asked(&b.name));
        }
        if resp.trigger == Trigger::Backsync && b.backsync.is_none() {
            return Some(narration::backsync_over(&b.name));
        }
        None
    }

    /// Q195911 for one incoming copy; a replicated write takes the next USN and keeps the
    /// sender's USN-Changed as USN-Source.
    pub(super) fn apply(&mut self, b: &str, s: &str, nc: &str, incoming: &DirObject) -> bool {
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
                self.discard(b, &incoming.dn, narration::from_sender(&reason, s));
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

    pub(super) fn discard(&mut self, server: &str, dn: &str, reason: String) {
        self.trace.discarded_total += 1;
        if self.trace.discarded.len() < TRACE_LIMIT {
            self.trace.discarded.push(Discarded { server: server.into(), dn: dn.into(), reason });
        }
    }

    /// The watermark moves to the source's highest USN whether or not anything was applied.
    pub(super) fn advance_watermark(&mut self, b: &str, s: &str, nc: &str, resp: &Response) {
        let mail = self.between_sites(b, s);
        let writable = self.server(b).ncs[nc].writable;
        let ad = self.model() == Model::ActiveDirectory;
        let rep = self.server_mut(b).ncs.get_mut(nc).expect("replica ensured");
        let new_flags = if mail { MAIL_REPLICA | INIT_SYNC | PERIODIC_SYNC } else { INIT_SYNC | PERIODIC_SYNC | if writable { WRITEABLE } else { 0 } };
        // A link already there keeps its flags.
        let flags = rep.reps_from.get(s).map_or(new_flags, |link| link.flags);
        rep.reps_from.insert(s.to_string(), RepsFrom { uuid: resp.uuid.clone(), usn: resp.usn, flags });
        if ad {
            if let Some(theirs) = resp.utd.get(nc) {
                for (id, usn) in theirs {
                    let mine = rep.utd.get(id).copied().unwrap_or(0);
                    rep.utd.insert(id.clone(), mine.max(*usn));
                }
            }
        }
    }

    // ----- timers --------------------------------------------------------------------------

    pub(super) fn on_periodic(&mut self, server: &str) {
        self.push(self.time + self.settings.periodic_sync_s, Event::Periodic { server: server.into() });
        if self.server(server).replicates() {
            self.pull_from_partners(server, None, PERIODIC_SYNC, Trigger::Periodic);
        }
    }

    /// `b` asks each RPC partner whose link has `flag` (or only `only`) for its changes.
    pub(crate) fn pull_from_partners(&mut self, b: &str, only: Option<&str>, flag: u32, trigger: Trigger) -> usize {
        let asks = self.links_with(b, flag, false, only);
        if asks.is_empty() {
            return 0; // a server alone in its site: a timer with nothing to ask, kept cheap
        }
        for (p, ncs) in &asks {
            for nc in ncs {
                self.send_request(b, p, vec![nc.clone()], trigger);
            }
            let missing = self.missing_ncs(b, p);
            if !missing.is_empty() {
                self.send_request(b, p, missing, trigger);
            }
        }
        asks.len()
    }

    /// The naming contexts site partner `p` holds (with objects) and `b` does not: a request to a
    /// site partner covers every naming context the partner holds, so a notification lost to a
    /// cut path is made good by the next pull (docs/model-choices.md). Asked apart from the rest,
    /// from USN 0, so a stalled request for another naming context does not hold them back.
    pub(super) fn missing_ncs(&self, b: &str, p: &str) -> Vec<String> {
        let (b, p) = (self.server(b), self.server(p));
        let mut missing = Vec::new();
        for (nc, rep) in &p.ncs {
            if lacking(b, p, nc, rep) {
                missing.push(nc.clone());
            }
        }
        missing
    }

    /// The partners `b` pulls from over links with `flag`, by mail or by RPC (only `only` when
    /// given), in the organization's order, each with the naming contexts it pulls from it.
    pub(super) fn links_with(&self, b: &str, flag: u32, mail: bool, only: Option<&str>) -> Vec<(String, Vec<String>)> {
        let me = self.server(b);
        let mut asks = Vec::new();
        for p in &self.servers {
            if only.is_some_and(|o| o != p.name) {
                continue;
            }
            let mut ncs = Vec::new();
            for (nc, rep) in &me.ncs {
                let pulls = |link: &RepsFrom| link.flags & flag != 0 && (link.flags & MAIL_REPLICA != 0) == mail;
                if rep.reps_from.get(p.name.as_str()).is_some_and(pulls) {
                    ncs.push(nc.clone());
                }
            }
            if !ncs.is_empty() {
                asks.push((p.name.clone(), ncs));
            }
        }
        asks
    }

    pub(super) fn on_intersite(&mut self, local: &str, remote: &str) {
        self.push(self.time + self.settings.intersite_sync_s, Event::Intersite { local: local.into(), remote: remote.into() });
        if self.server(local).replicates() {
            let ncs = self.mail_ncs(local, remote);
            self.send_request(local, remote, ncs, Trigger::Intersite);
        }
    }

    /// The naming contexts `local` asks `remote` for on the intersite schedule, all in one
    /// request: those it pulls from it by mail (never its own site's).
    pub(super) fn mail_ncs(&self, local: &str, remote: &str) -> Vec<String> {
        let own = self.home_nc(local);
        let mut ncs = Vec::new();
        for (nc, rep) in &self.server(local).ncs {
            if *nc != own && rep.reps_from.get(remote).is_some_and(|l| l.flags & MAIL_REPLICA != 0) {
                ncs.push(nc.clone());
            }
        }
        ncs
    }

    /// A DRC, known at first to its own two sites: each bridgehead pulls from the other by mail,
    /// now and on the schedule, unless it is installed idle (it won't initialize).
    pub(crate) fn install_drc(&mut self, d: DrcSpec, initialize: bool) {
        let [a, b] = d.bridgeheads.clone();
        let mut known = VecSet::new();
        for s in &d.sites {
            known.add(s.clone());
        }
        self.drc_known_by.push(known);
        self.drcs.push(d);
        if !initialize {
            self.drcs_idle.add(self.drcs.len() - 1);
            return;
        }
        self.push(self.time, Event::Intersite { local: a.clone(), remote: b.clone() });
        self.push(self.time, Event::Intersite { local: b, remote: a });
    }

    /// The replication paths: the directory replication connectors that initialized, those
    /// `site` knows of when it is given (docs/model-choices.md, "Between sites").
    pub(crate) fn drc_paths(&self, site: Option<&str>) -> Vec<DrcSpec> {
        let mut paths = Vec::new();
        for (i, d) in self.drcs.iter().enumerate() {
            if !self.drcs_idle.contains(&i) && site.is_none_or(|s| self.drc_known_by[i].contains(s)) {
                paths.push(d.clone());
            }
        }
        paths
    }

    /// Directory replication from `from`'s site into `to`'s brings the connectors `from`'s site
    /// knows of: they are objects of its directory.
    fn learn_drcs(&mut self, from: &str, to: &str) {
        let (a, b) = (self.server(from).site.clone(), self.server(to).site.clone());
        for k in &mut self.drc_known_by {
            if k.contains(&a) {
                k.add(b.clone());
            }
        }
    }

}
