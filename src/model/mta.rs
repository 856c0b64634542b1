//! The MTA between sites: every directory message between servers of two sites is mail over the
//! cheapest route of messaging connectors that are up (docs/model-choices.md, "Between sites").
//! Mail with no route up waits in the MTA queue and goes when a connector comes up; mail between
//! sites no connector joins at all fails with the reason. Connectors can be taken down and up.
use crate::model::replica::INIT_SYNC;
use crate::model::messages::{Request, Trigger};
use crate::scenario::ConnectorSpec;
use crate::model::sites::{self, Route};
use crate::model::queue::Event;
use crate::model::world::{lacking, World};

/// The two ends of a Request or Response and its route; `None` for any other event.
fn mail_parts(ev: &Event) -> Option<(&str, &str, Option<&Route>)> {
    match ev {
        Event::Request(r) => Some((&r.from, &r.to, r.route.as_ref())),
        Event::Response(r) => Some((&r.from, &r.to, r.route.as_ref())),
        _ => None,
    }
}

/// Sets a Request's or Response's route.
fn set_route(ev: &mut Event, route: Option<Route>) {
    match ev {
        Event::Request(r) => r.route = route,
        Event::Response(r) => r.route = route,
        _ => {}
    }
}

/// Does connector `c` carry hop `h` (its kind and cost, between its sites, in its direction)?
fn carries(c: &ConnectorSpec, h: &sites::Hop) -> bool {
    c.kind == h.kind && c.cost == h.cost && ((c.sites[0] == h.from && c.sites[1] == h.to) || (!c.one_way && c.sites[1] == h.from && c.sites[0] == h.to))
}

impl World {
    pub fn between_sites(&self, a: &str, b: &str) -> bool {
        self.server(a).site != self.server(b).site
    }

    /// The messaging connectors that are up, in file order.
    pub fn up_connectors(&self) -> Vec<ConnectorSpec> {
        let mut up = Vec::new();
        for (i, c) in self.connectors.iter().enumerate() {
            if !self.connectors_down.contains(&i) {
                up.push(c.clone());
            }
        }
        up
    }

    /// Mail waiting in the MTA queue for a connector to come up, as (from, to, what it carries).
    pub fn mta_queue(&self) -> Vec<(String, String, &'static str)> {
        let mut queue = Vec::new();
        for ev in &self.mta_held {
            if let Some((from, to, _)) = mail_parts(ev) {
                let carries = if matches!(ev, Event::Request(_)) { "request" } else { "response" };
                queue.push((from.to_string(), to.to_string(), carries));
            }
        }
        queue
    }

    /// The MTA queue as the report and the page show it.
    pub fn mta_queue_json(&self) -> crate::json::Json {
        use crate::json::{Json, Obj};
        let mut queue = Vec::new();
        for (from, to, carries) in self.mta_queue() {
            let mut o = Obj::new();
            o.insert("from".into(), from.into());
            o.insert("to".into(), to.into());
            o.insert("carries".into(), carries.into());
            queue.push(Json::Object(o));
        }
        Json::Array(queue)
    }

    /// Sends a Request or Response on its way: inside a site by RPC at once; between sites as
    /// mail over the cheapest route up now, arriving when the route's schedules and hops allow.
    /// With no route up it waits in the MTA queue; with no connector path at all it is delivered
    /// at once as a failure that says so.
    pub(crate) fn hand_off(&mut self, mut ev: Event) {
        let Some((from, to, _)) = mail_parts(&ev) else { return };
        if !self.between_sites(from, to) {
            self.push(self.time, ev);
            return;
        }
        if let Some(r) = self.mail_route(from, to) {
            let at = sites::travel(&self.up_connectors(), &r, self.time, self.settings.mail_hop_s).0;
            set_route(&mut ev, Some(r));
            self.push(at, ev);
            return;
        }
        let (sa, sb) = (&self.server(from).site, &self.server(to).site);
        let held = sites::route(&self.connectors, sa, sb).is_some();
        let note = held.then(|| crate::narration::protocol::mta_waits(from, matches!(ev, Event::Request(_)), to, sa, sb));
        set_route(&mut ev, None);
        match note {
            Some(note) => {
                self.mta_held.push(ev);
                self.note(note);
            }
            None => self.push(self.time, ev),
        }
    }

    /// Forgets held mail to or from `server` (a restore replaces the server).
    pub(crate) fn drop_held(&mut self, server: &str) {
        // Kept by pushing them back, not by `retain`: one less copy of `Vec` code for `Event`.
        for ev in std::mem::take(&mut self.mta_held) {
            if mail_parts(&ev).is_none_or(|(from, to, _)| from != server && to != server) {
                self.mta_held.push(ev);
            }
        }
    }

    /// Hands every held message to the MTA again (a connector came up or was added).
    pub(crate) fn release_held(&mut self) -> usize {
        let held = std::mem::take(&mut self.mta_held);
        let n = held.len();
        for ev in held {
            self.hand_off(ev);
        }
        n - self.mta_held.len()
    }

    /// The connectors up now that carry a route's hops, one per hop: indices into `connectors`.
    pub(crate) fn connectors_taken(&self, route: &Route) -> Vec<usize> {
        let mut taken = Vec::new();
        for h in &route.hops {
            if let Some(i) = self.connector_for(h) {
                taken.push(i);
            }
        }
        taken
    }

    /// The first connector up now that carries hop `h`: an index into `connectors`.
    fn connector_for(&self, h: &sites::Hop) -> Option<usize> {
        (0..self.connectors.len()).find(|&i| !self.connectors_down.contains(&i) && carries(&self.connectors[i], h))
    }

    /// `add_drc` refused as redundant: `path` is the sites the connectors `sites[0]` knows of
    /// join the two through.
    pub(crate) fn refuse_drc(&mut self, sites: &[String; 2], bridgehead: &str, path: &[String]) {
        let through = sites::between(path);
        self.refuse(bridgehead, "DRC_REDUNDANT", crate::narration::commands::drc_redundant(&sites[0], &sites[1]));
        self.trace.drc_refused = Some(crate::model::messages::DrcRefused { sites: sites.clone(), through });
    }

    fn route_is_up(&self, route: &Route) -> bool {
        route.hops.iter().all(|h| self.connector_for(h).is_some())
    }

    /// Mail in transit over a connector that went down is routed again from its sender's site,
    /// now (model choice: the lab does not track where along its route a message is).
    fn reroute_broken(&mut self) -> usize {
        // Both kept in the queue's order, latest first: popped, the broken go earliest first.
        let mut broken = Vec::new();
        let mut keep = Vec::new();
        for q in std::mem::take(&mut self.queue) {
            if mail_parts(&q.ev).and_then(|(_, _, route)| route).is_some_and(|r| !self.route_is_up(r)) {
                broken.push(q);
            } else {
                keep.push(q);
            }
        }
        self.queue = keep;
        self.in_flight -= broken.len();
        let n = broken.len();
        while let Some(q) = broken.pop() {
            self.hand_off(q.ev);
        }
        n
    }

    /// The `connector` step: takes down or brings up the messaging connectors joining two sites
    /// (of one `kind` when they share several kinds).
    pub(crate) fn set_connector(&mut self, pair: &[String; 2], kind: Option<&str>, up: bool) -> String {
        let (a, b) = (&pair[0], &pair[1]);
        let matching = match sites::named_connectors(&self.connectors, pair, kind) {
            Ok(m) => m,
            Err((code, why)) => {
                self.refuse("-", code, format!("{why}."));
                return String::new();
            }
        };
        let what = crate::narration::organization::connector(&self.connectors[matching[0]].kind, a, b);
        if matching.iter().all(|i| self.connectors_down.contains(i) != up) {
            let code = if up { "ALREADY_UP" } else { "ALREADY_DOWN" };
            self.refuse("-", code, crate::narration::organization::connector_already(&what, up));
            return String::new();
        }
        if up {
            for i in &matching {
                self.connectors_down.remove(i);
            }
            let n = self.release_held();
            crate::narration::organization::connector_up(&what, n)
        } else {
            for &i in &matching {
                self.connectors_down.add(i);
            }
            let n = self.reroute_broken();
            let held = self.mta_held.len();
            crate::narration::organization::connector_down(&what, n, held)
        }
    }

    /// `add_connector`: a new messaging connector, which may give held mail a route.
    pub(crate) fn add_connector(&mut self, spec: ConnectorSpec) -> String {
        let text = crate::narration::organization::connector_added(&spec.kind, spec.cost, &spec.sites[0], &spec.sites[1]);
        self.connectors.push(spec);
        self.release_held();
        text
    }

    /// The naming contexts an answer carries beyond those asked for, from 0. Between sites:
    /// every one the source holds except the requester's own site's (Q201414 step 6: a site's
    /// naming context lists only its own servers) and those it gets from the requester. Inside a
    /// site, to a notified request for the requester's own naming context: every one the
    /// requester lacks (docs/model-choices.md: a request to a site partner covers every naming
    /// context the partner holds).
    pub(crate) fn ncs_to_offer(&self, req: &Request) -> Vec<(String, u64)> {
        let own = self.home_nc(&req.from);
        let (src, asker) = (self.server(&req.to), self.server(&req.from));
        let inside = !self.between_sites(&req.from, &req.to);
        // A pull (periodic, Init, Update Now) asks for the naming contexts it lacks in a request
        // of their own (`pull_from_partners`), so only a notified request is offered them here.
        if inside && (req.trigger != Trigger::Notify || !req.wants.iter().any(|(n, _)| *n == own)) {
            return Vec::new();
        }
        let mut offer = Vec::new();
        for (nc, rep) in &src.ncs {
            let offered = match inside {
                true => !asker.ncs.contains_key(nc),
                false => *nc != own && !rep.reps_from.contains_key(&req.from) && !req.wants.iter().any(|(n, _)| n == nc),
            };
            if offered {
                offer.push((nc.clone(), 0));
            }
        }
        offer
    }

    /// Does a reachable site partner of `b` hold a naming context `b` lacks (which its next
    /// periodic pull would bring)?
    pub(crate) fn lacks_a_site_partners_nc(&self, b: &str) -> bool {
        let me = self.server(b);
        for p in &self.servers {
            if p.site != me.site || p.name == b || !self.reachable(b, &p.name, false) {
                continue;
            }
            for (nc, rep) in &p.ncs {
                if lacking(me, p, nc, rep) {
                    return true;
                }
            }
        }
        false
    }

    /// Does remote bridgehead `r` hold, in a naming context it would send `b`, objects above
    /// `b`'s watermark, with a route for the answer and no stall (so the next scheduled pull
    /// would fetch something)?
    pub(crate) fn owes_by_mail(&self, b: &str, r: &str) -> bool {
        if self.mail_route(r, b).is_none() {
            return false; // the answer could not come back (one-way connectors): a pull fetches nothing
        }
        if self.mail_pull_stalls(b, r) {
            return false;
        }
        let own = self.home_nc(b);
        for (nc, rep) in &self.server(r).ncs {
            if *nc != own && !rep.reps_from.contains_key(b) && rep.max_usn() > self.watermark_for(b, r, nc) {
                return true;
            }
        }
        false
    }

    /// Would `b`'s scheduled pull by mail from `r` stall? It asks for all its naming contexts in
    /// one request (`on_intersite`), so one watermark above `r`'s highest USN makes `r` log 1224
    /// and send nothing (`stalled`), however much it holds in the others: that pull fetches
    /// nothing and keeps no run from going quiet. (A pull by RPC asks one naming context a
    /// request, so there a stall never hides a change that is owed.)
    fn mail_pull_stalls(&self, b: &str, r: &str) -> bool {
        let usn = self.server(r).usn;
        self.mail_ncs(b, r).iter().any(|nc| self.watermark_for(b, r, nc) > usn)
    }

    /// Init sync over mail links: a starting bridgehead asks each remote partner on a link with
    /// the Init flag, by mail, for every naming context it holds from it.
    pub(crate) fn init_sync_by_mail(&mut self, server: &str) {
        for (p, ncs) in self.links_with(server, INIT_SYNC, true, None) {
            self.send_request(server, &p, ncs, Trigger::Init);
        }
    }
}
