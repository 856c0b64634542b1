//! The workbench's commands: sites and servers added and removed while the lab runs, and the
//! timers changed (docs/scenarios.md, "The workbench"). Each is a guard and an action, like the
//! other commands: a refusal is recorded with a sentence and nothing changes.
use crate::ids::derive_invocation_id;
use crate::model::messages::Trigger;
use crate::model::queue::Event;
use crate::model::replica::{RepsFrom, INIT_SYNC, PERIODIC_SYNC, WRITEABLE};
use crate::model::server::Server;
use crate::model::world::{nc_of_site, World};
use crate::vecmap::{VecMap, VecSet};

impl World {
    fn site_index(&self, site: &str) -> Option<usize> {
        self.sites.iter().position(|(s, _)| s == site)
    }

    pub(crate) fn add_site(&mut self, name: &str) -> String {
        if self.sites.iter().any(|(s, _)| s.eq_ignore_ascii_case(name)) {
            self.refuse("-", "SITE_EXISTS", crate::narration::organization::site_exists(name));
            return String::new();
        }
        self.sites.push((name.to_string(), Vec::new()));
        crate::narration::organization::site_added(name)
    }

    /// A new server: it holds every naming context its site's servers hold, is linked with each
    /// of them both ways (Reps-From and Reps-To), and asks them for everything (Init sync).
    pub(crate) fn add_server(&mut self, site: &str, name: &str, usn: u64) -> String {
        let Some(at) = self.site_index(site) else {
            self.refuse("-", "NO_SUCH_SITE", crate::narration::organization::no_site(site));
            return String::new();
        };
        if self.servers.iter().any(|s| s.name.eq_ignore_ascii_case(name)) {
            self.refuse(name, "SERVER_EXISTS", crate::narration::organization::server_exists(name));
            return String::new();
        }
        let invocation_id = derive_invocation_id(name);
        if self.servers.iter().any(|s| s.invocation_id == invocation_id) {
            self.refuse(name, "SERVER_EXISTS", crate::narration::organization::id_taken(name));
            return String::new();
        }
        let partners = self.sites[at].1.clone();
        // The naming contexts its partners hold, each once and in order (a set: no sort in the wasm).
        let mut ncs: VecSet<String> = VecSet::new();
        for p in &partners {
            for nc in self.server(p).ncs.keys() {
                ncs.add(nc.clone());
            }
        }
        self.sites[at].1.push(name.to_string());
        self.index.insert(name.to_string(), self.servers.len() as u64);
        self.servers.push(Server::new(name, site, invocation_id.clone(), usn));
        ncs.add(nc_of_site(&self.org, site));
        for nc in ncs.keys() {
            self.ensure_replica(name, nc);
            for p in &partners {
                let writable = self.home_nc(p) == *nc;
                if let Some(rep) = self.server_mut(p).ncs.get_mut(nc.as_str()) {
                    let flags = INIT_SYNC | PERIODIC_SYNC | if writable { WRITEABLE } else { 0 };
                    rep.reps_from.insert(name.to_string(), RepsFrom { uuid: invocation_id.clone(), usn: 0, flags });
                    rep.reps_to.add(name.to_string());
                }
            }
        }
        self.push(self.time + self.settings.periodic_sync_s, Event::Periodic { server: name.to_string() });
        self.pull_from_partners(name, None, INIT_SYNC, Trigger::Init);
        crate::narration::organization::server_added(name, site, usn, partners.len())
    }

    /// Takes a server out: its partners forget it (Reps-From, Reps-To), and its timers stop.
    pub(crate) fn remove_server(&mut self, server: &str) -> String {
        let refusal = if !self.quiet() {
            Some(("REPLICATION_BUSY", crate::narration::organization::busy_replicating(server)))
        } else if self.drcs.iter().any(|d| d.bridgeheads.iter().any(|b| b == server)) {
            Some(("BRIDGEHEAD", crate::narration::organization::bridgehead(server)))
        } else if self.servers.len() == 1 {
            Some(("LAST_SERVER", crate::narration::organization::last_server(server)))
        } else {
            None
        };
        if let Some((code, text)) = refusal {
            self.refuse(server, code, text);
            return String::new();
        }
        self.forget_in_flight(server, true);
        let gone = self.servers.remove(self.index[server] as usize);
        if let Some((_, names)) = self.sites.iter_mut().find(|(s, _)| *s == gone.site) {
            if let Some(at) = names.iter().position(|n| n == server) {
                names.remove(at);
            }
        }
        self.index = VecMap::new();
        for (i, s) in self.servers.iter().enumerate() {
            self.index.insert(s.name.clone(), i as u64);
        }
        for s in &mut self.servers {
            for rep in s.ncs.values_mut() {
                rep.reps_from.remove(server);
                rep.reps_to.remove(server);
            }
        }
        self.links_down.retain(|(a, b), _| a != server && b != server);
        crate::narration::organization::server_removed(server)
    }

    pub(crate) fn remove_site(&mut self, name: &str) -> String {
        let Some(at) = self.site_index(name) else {
            self.refuse("-", "NO_SUCH_SITE", crate::narration::organization::no_site(name));
            return String::new();
        };
        let joined = self.connectors.iter().any(|c| c.sites.iter().any(|s| s == name)) || self.drcs.iter().any(|d| d.sites.iter().any(|s| s == name));
        let refusal = if !self.sites[at].1.is_empty() {
            Some(("SITE_NOT_EMPTY", crate::narration::organization::site_not_empty(name)))
        } else if joined {
            Some(("SITE_CONNECTED", crate::narration::organization::site_connected(name)))
        } else {
            None
        };
        if let Some((code, text)) = refusal {
            self.refuse("-", code, text);
            return String::new();
        }
        self.sites.remove(at);
        crate::narration::organization::site_removed(name)
    }

    /// New notify pause and intervals; timers already set keep their time, the next ones use
    /// the new interval.
    pub(crate) fn set(&mut self, notify_pause_s: Option<u64>, periodic_sync_s: Option<u64>, intersite_sync_s: Option<u64>) -> String {
        let s = &mut self.settings;
        if let Some(v) = notify_pause_s {
            s.notify_pause_s = v;
        }
        if let Some(v) = periodic_sync_s {
            s.periodic_sync_s = v;
        }
        if let Some(v) = intersite_sync_s {
            s.intersite_sync_s = v;
        }
        crate::narration::organization::timers_set(notify_pause_s, periodic_sync_s, intersite_sync_s)
    }
}
