//! The workbench's commands: sites and servers added and removed while the lab runs, and the
//! timers changed (docs/scenarios.md, "The workbench"). Each is a guard and an action, like the
//! other commands: a refusal is recorded with a sentence and nothing changes.
use crate::ids::derive_invocation_id;
use crate::model::messages::Trigger;
use crate::model::queue::Event;
use crate::model::replica::{RepsFrom, INIT_SYNC, PERIODIC_SYNC, WRITEABLE};
use crate::model::server::Server;
use crate::model::world::{nc_of_site, World};

impl World {
    fn site_index(&self, site: &str) -> Option<usize> {
        self.sites.iter().position(|(s, _)| s == site)
    }

    pub(crate) fn add_site(&mut self, name: &str) -> String {
        if self.sites.iter().any(|(s, _)| s.eq_ignore_ascii_case(name)) {
            self.refuse("-", "SITE_EXISTS", format!("There is already a site named {name}."));
            return String::new();
        }
        self.sites.push((name.to_string(), Vec::new()));
        format!("The site {name} is added; it has no servers yet.")
    }

    /// A new server: it holds every naming context its site's servers hold, is linked with each
    /// of them both ways (Reps-From and Reps-To), and asks them for everything (Init sync).
    pub(crate) fn add_server(&mut self, site: &str, name: &str, usn: u64) -> String {
        let Some(at) = self.site_index(site) else {
            self.refuse("-", "NO_SUCH_SITE", format!("There is no site named {site}."));
            return String::new();
        };
        if self.servers.iter().any(|s| s.name.eq_ignore_ascii_case(name)) {
            self.refuse(name, "SERVER_EXISTS", format!("There is already a server named {name}."));
            return String::new();
        }
        let invocation_id = derive_invocation_id(name);
        if self.servers.iter().any(|s| s.invocation_id == invocation_id) {
            self.refuse(name, "SERVER_EXISTS", format!("Another server already has {name}'s Invocation-ID."));
            return String::new();
        }
        let partners = self.sites[at].1.clone();
        let mut ncs: Vec<String> = partners.iter().flat_map(|p| self.server(p).ncs.keys().cloned().collect::<Vec<_>>()).collect();
        self.sites[at].1.push(name.to_string());
        self.index.insert(name.to_string(), self.servers.len());
        self.servers.push(Server::new(name, site, invocation_id.clone(), usn));
        ncs.push(nc_of_site(&self.org, site));
        ncs.sort();
        ncs.dedup();
        for nc in &ncs {
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
        match partners.len() {
            0 => format!("{name} joins {site} at USN {usn}, its first server."),
            n => format!("{name} joins {site} at USN {usn}, linked with its {n} other server(s), and asks them for everything (Init sync)."),
        }
    }

    /// Takes a server out: its partners forget it (Reps-From, Reps-To), and its timers stop.
    pub(crate) fn remove_server(&mut self, server: &str) -> String {
        let refusal = if !self.quiet() {
            Some(("REPLICATION_BUSY", format!("{server} cannot be removed while replication is under way: run until quiet first.")))
        } else if self.drcs.iter().any(|d| d.bridgeheads.iter().any(|b| b == server)) {
            Some(("BRIDGEHEAD", format!("{server} is a bridgehead of a directory replication connector, which needs it.")))
        } else if self.servers.len() == 1 {
            Some(("LAST_SERVER", format!("{server} is the organization's last server.")))
        } else {
            None
        };
        if let Some((code, text)) = refusal {
            self.refuse(server, code, text);
            return String::new();
        }
        self.drop_queued(|from, to| from == server || to == server);
        self.drop_pending_notify(server);
        self.queue.retain(|q| !matches!(q.event(), Event::Periodic { server: s } | Event::BacksyncTimeout { server: s, .. } if s == server));
        self.queue.retain(|q| !matches!(q.event(), Event::Intersite { local, remote } if local == server || remote == server));
        for (_, names) in &mut self.sites {
            names.retain(|n| n != server);
        }
        self.servers.retain(|s| s.name != server);
        self.index = self.servers.iter().enumerate().map(|(i, s)| (s.name.clone(), i)).collect();
        for s in &mut self.servers {
            for rep in s.ncs.values_mut() {
                rep.reps_from.remove(server);
                rep.reps_to.remove(server);
            }
        }
        self.links_down.retain(|(a, b), _| a != server && b != server);
        format!("{server} is removed from the organization; its partners forget it. The objects it replicated stay on the others.")
    }

    pub(crate) fn remove_site(&mut self, name: &str) -> String {
        let Some(at) = self.site_index(name) else {
            self.refuse("-", "NO_SUCH_SITE", format!("There is no site named {name}."));
            return String::new();
        };
        let joined = self.connectors.iter().any(|c| c.sites.iter().any(|s| s == name)) || self.drcs.iter().any(|d| d.sites.iter().any(|s| s == name));
        let refusal = if !self.sites[at].1.is_empty() {
            Some(("SITE_NOT_EMPTY", format!("{name} still has servers: remove them first.")))
        } else if joined {
            Some(("SITE_CONNECTED", format!("A connector still joins {name} to another site.")))
        } else {
            None
        };
        if let Some((code, text)) = refusal {
            self.refuse("-", code, text);
            return String::new();
        }
        self.sites.remove(at);
        format!("The site {name} is removed.")
    }

    /// New notify pause and intervals; timers already set keep their time, the next ones use
    /// the new interval.
    pub(crate) fn set(&mut self, notify_pause_s: Option<u64>, periodic_sync_s: Option<u64>, intersite_sync_s: Option<u64>) -> String {
        let s = &mut self.settings;
        let mut said = Vec::new();
        if let Some(v) = notify_pause_s {
            s.notify_pause_s = v;
            said.push(format!("the notify pause is {v} s"));
        }
        if let Some(v) = periodic_sync_s {
            s.periodic_sync_s = v;
            said.push(format!("periodic sync within a site every {v} s"));
        }
        if let Some(v) = intersite_sync_s {
            s.intersite_sync_s = v;
            said.push(format!("the directory replication connectors' schedule every {v} s"));
        }
        format!("From now on {} (timers already set keep their time).", said.join(", "))
    }
}
