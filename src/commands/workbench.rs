//! The workbench's commands (docs/scenarios.md, "The workbench"): `add_site`, `add_server`,
//! `remove_server`, `remove_site` and `set`, changing the organization while it runs. A later
//! step may name what an earlier one adds. The work is the model's (`model/workbench.rs`).
use super::Spec;
use std::fmt::Write;
use crate::model::world::World;
use crate::scenario::{Known, MAX_SERVERS, MAX_USN};

command! {
    /// A new, empty site.
    AddSite "add_site" {
        name: String,
    }
    help: "add a site with no servers (name)"
}

command! {
    /// A new server in a site: it links with every server of its site and pulls their
    /// naming contexts (an Init sync).
    AddServer "add_server" {
        site: String,
        name: String,
        usn: Option<u64>,
    }
    sites: site
    help: "add a server to a site: it links with the site's servers and pulls their naming contexts (site, name, usn)"
}

command! {
    /// Takes a server out of the organization; refused while replication is busy, or for a
    /// bridgehead.
    RemoveServer "remove_server" {
        server: String,
    }
    servers: server
    help: "take a server out of the organization; its partners forget it (server)"
}

command! {
    /// Removes a site that has no servers and no connectors.
    RemoveSite "remove_site" {
        name: String,
    }
    sites: name
    help: "remove a site with no servers and no connectors (name)"
}

command! {
    /// Changes the notify pause and the periodic intervals from now on.
    Set "set" {
        notify_pause_s: Option<u64>,
        periodic_sync_s: Option<u64>,
        intersite_sync_s: Option<u64>,
    }
    help: "change the notify pause and the sync intervals from now on (notify_pause_s, periodic_sync_s, intersite_sync_s)"
}

impl Spec for AddSite {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.fresh_name(&self.name, "site")?;
        known.learn_site(&self.name);
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.add_site(&self.name)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("add the site {}", self.name)
    }
}

impl Spec for AddServer {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.has_site(&self.site)?;
        known.fresh_name(&self.name, "server")?;
        if self.usn.is_some_and(|u| u > MAX_USN) {
            return Err(format!("usn must be at most {MAX_USN}"));
        }
        if known.servers.len() >= MAX_SERVERS {
            return Err(format!("the lab holds at most {MAX_SERVERS} servers"));
        }
        known.learn_server(&self.name, &self.site);
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.add_server(&self.site, &self.name, self.usn.unwrap_or(0))
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("add the server {} to {}{}", self.name, self.site, self.usn.map_or(String::new(), |u| format!(" at USN {u}")))
    }
}

impl Spec for RemoveServer {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.has_server(&self.server)?;
        known.forget("server", &self.server);
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.remove_server(&self.server)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("remove the server {}", self.server)
    }
}

impl Spec for RemoveSite {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.has_site(&self.name)?;
        known.forget("site", &self.name);
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.remove_site(&self.name)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("remove the site {}", self.name)
    }
}

impl Spec for Set {
    #[inline(always)]
    fn check(&self, _known: &mut Known) -> Result<(), String> {
        const MONTH: u64 = 30 * 86_400;
        if self.notify_pause_s.is_none() && self.periodic_sync_s.is_none() && self.intersite_sync_s.is_none() {
            return Err("set takes notify_pause_s, periodic_sync_s or intersite_sync_s".into());
        }
        if self.notify_pause_s.is_some_and(|s| s > MONTH) {
            return Err("the notify pause must be under 30 days".into());
        }
        if [self.periodic_sync_s, self.intersite_sync_s].iter().any(|v| v.is_some_and(|s| s == 0 || s > MONTH)) {
            return Err("an interval must be from 1 second to 30 days".into());
        }
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.set(self.notify_pause_s, self.periodic_sync_s, self.intersite_sync_s)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        // A plain loop: iterator adapters cost code per closure in the wasm (docs/performance.md).
        let mut parts = String::new();
        for (k, v) in [("notify pause", self.notify_pause_s), ("periodic sync", self.periodic_sync_s), ("intersite sync", self.intersite_sync_s)] {
            if let Some(v) = v {
                if !parts.is_empty() {
                    parts.push_str(", ");
                }
                let _ = write!(parts, "{k} {v} s");
            }
        }
        format!("set the {parts}")
    }
}
