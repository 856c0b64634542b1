//! One scenario step carried out on the world: each command is a guard (may the directory do
//! this now?) and an action. A refused command is recorded and the run goes on.
use crate::model::messages::{StepReport, Trigger};
use crate::scenario::Command;
use crate::model::server::ServerState;
use crate::model::sites;
use crate::model::world::{mailbox_dn, World};
use crate::model::originate::WriteKind;
use crate::model::queue::RUN_LIMIT;
use std::collections::BTreeMap;

impl World {
    /// Carries out `cmd` and reports what it did. `run` and `step` run their events here at once;
    /// the page's step-by-step playback goes through `Session::advance` instead.
    pub fn execute(&mut self, cmd: &Command) -> StepReport {
        let mark = self.mark();
        let text = match self.total_refusal() {
            Some(why) => {
                self.refuse("-", "WORK_BUDGET", why);
                String::new()
            }
            None => self.dispatch(cmd),
        };
        let mut r = self.report_since(mark, "action", text);
        r.message = None;
        if let Some(refusal) = &r.refused {
            r.text = format!("Refused ({}): {}", refusal.error, refusal.text);
        }
        r
    }

    fn dispatch(&mut self, cmd: &Command) -> String {
        use Command::*;
        // A step may name a server or site a workbench step removed (or one a later step adds).
        if let Some(gone) = cmd.servers().into_iter().find(|s| !self.has_server(s)) {
            self.refuse(gone, "NO_SUCH_SERVER", format!("There is no server named {gone} (now)."));
            return String::new();
        }
        if let Some(gone) = cmd.sites().into_iter().find(|s| !self.sites.iter().any(|(n, _)| n == s)) {
            self.refuse("-", "NO_SUCH_SITE", format!("There is no site named {gone} (now)."));
            return String::new();
        }
        match cmd {
            Create { server, name: Some(name), count: Some(n), attrs, .. } => self.create_many(server, name, *n, attrs),
            Create { server, name, dn, attrs, .. } => self.write(server, name, dn, WriteKind::Create, attrs),
            Modify { server, name, dn, attrs } => self.write(server, name, dn, WriteKind::Modify, attrs),
            Delete { server, name, dn } => self.write(server, name, dn, WriteKind::Delete, &BTreeMap::new()),
            Bump { server, to, by } => self.bump(server, *to, *by),
            Run { for_s: Some(s), .. } => {
                let n = self.run_for(*s, RUN_LIMIT);
                format!("The clock runs for {s} s: {n} messages.")
            }
            Run { .. } => {
                let n = self.run_until_quiet(RUN_LIMIT);
                let quiet = if self.quiet() { "all quiet" } else { "stopped at the event limit, not yet quiet" };
                format!("Replication runs until quiet: {n} messages, {quiet}.")
            }
            Step { count } => {
                let n = (0..count.unwrap_or(1)).take_while(|_| self.next_event().is_some()).count();
                format!("{n} events processed.")
            }
            UpdateNow { server, from, refresh_all } => self.update_now(server, from.as_deref(), *refresh_all),
            Backup { server, label } => self.backup(server, label),
            Restore { server, label, backsync, new_invocation_id, start } => {
                self.restore(server, label, *backsync, *new_invocation_id, start.unwrap_or(true))
            }
            ExpireBacksync { server } => self.expire_backsync(server),
            Stop { server } => self.stop(server),
            Start { server } => self.start(server),
            Authrest { server, objver, usn } => self.authrest(server, *objver, *usn),
            Import { server, name, times } => self.import(server, name, *times),
            Link { between, up } => self.link(between, *up),
            AddDrc { sites, bridgeheads } => self.add_drc(sites, bridgeheads),
            AddConnector { kind, sites, cost, schedule, one_way } => self.add_connector(crate::scenario::ConnectorSpec {
                kind: kind.clone(),
                sites: sites.clone(),
                cost: *cost,
                schedule: schedule.clone(),
                one_way: *one_way,
            }),
            Connector { sites, kind, up } => self.set_connector(sites, kind.as_deref(), *up),
            Measure { server, probe } => self.measure(server, probe.as_deref()),
            AddSite { name } => self.add_site(name),
            AddServer { site, name, usn } => self.add_server(site, name, usn.unwrap_or(0)),
            RemoveServer { server } => self.remove_server(server),
            RemoveSite { name } => self.remove_site(name),
            Set { notify_pause_s, periodic_sync_s, intersite_sync_s } => self.set(*notify_pause_s, *periodic_sync_s, *intersite_sync_s),
        }
    }

    fn dn_for(&self, server: &str, name: &Option<String>, dn: &Option<String>) -> String {
        match (name, dn) {
            (_, Some(dn)) => dn.clone(),
            (Some(name), None) => mailbox_dn(&self.org, &self.server(server).site, name),
            (None, None) => unreachable!("checked when the scenario was read"),
        }
    }

    fn write(&mut self, server: &str, name: &Option<String>, dn: &Option<String>, kind: WriteKind, attrs: &BTreeMap<String, String>) -> String {
        let dn = self.dn_for(server, name, dn);
        let Some(usn) = self.originate(server, &dn, kind, attrs) else { return String::new() };
        let who = crate::model::object::common_name(&dn).to_string();
        let what = match kind {
            WriteKind::Create => "is created".to_string(),
            WriteKind::Delete => "is deleted (a tombstone remains)".to_string(),
            WriteKind::Modify => {
                let list: Vec<String> = attrs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                if list.is_empty() { "is modified".into() } else { format!("is modified ({})", list.join(", ")) }
            }
        };
        format!("{who} {what} on {server} at USN {usn}: the hot potato.")
    }

    fn create_many(&mut self, server: &str, name: &str, n: u64, attrs: &BTreeMap<String, String>) -> String {
        if let Some((code, text)) = self.create_refusal(n) {
            self.refuse(server, code, text);
            return String::new();
        }
        let mut usns = Vec::new();
        for i in 1..=n {
            let dn = mailbox_dn(&self.org, &self.server(server).site, &format!("{name} {i}"));
            match self.originate(server, &dn, WriteKind::Create, attrs) {
                Some(usn) => usns.push(usn),
                None => break,
            }
        }
        match (usns.first(), usns.last()) {
            (Some(a), Some(b)) => format!("{} mailboxes \"{name} 1\" to \"{name} {}\" are created on {server}, USN {a} to {b}.", usns.len(), usns.len()),
            _ => String::new(),
        }
    }

    fn bump(&mut self, server: &str, to: Option<u64>, by: Option<u64>) -> String {
        if let Some((code, text)) = self.write_refusal(server) {
            self.refuse(server, code, text);
            return String::new();
        }
        let usn = self.server(server).usn;
        if self.refused_by(server, self.usn_refusal(server, by.unwrap_or(0))) {
            return String::new();
        }
        let target = to.unwrap_or_else(|| usn.saturating_add(by.unwrap_or(0)));
        if target < usn {
            self.refuse(server, "USN_GOES_UP", format!("{server}'s USN is already {usn}; a USN never goes down (except by a restore)."));
            return String::new();
        }
        self.server_mut(server).usn = target;
        format!("{server} makes {} unrelated changes elsewhere: its USN is now {target}.", target - usn)
    }

    fn update_now(&mut self, server: &str, from: Option<&str>, refresh_all: bool) -> String {
        if !self.server(server).replicates() {
            let state = self.server(server).state.as_str();
            self.refuse(server, "DS_E_UNAVAILABLE", format!("{server}'s directory service is {state}."));
            return String::new();
        }
        let trigger = if refresh_all { Trigger::RefreshAll } else { Trigger::UpdateNow };
        let n = self.pull_from_partners(server, from, u32::MAX, trigger);
        if n == 0 {
            let who = from.map_or("any partner".to_string(), |f| format!("{f} (not a partner in its site)"));
            self.refuse(server, "NO_PARTNER", format!("{server} has no replica link to {who}."));
            return String::new();
        }
        let how = if refresh_all { "Refresh All Items: asks as if every watermark were 0" } else { "asks for new and modified items" };
        format!("Update Now on {server}: it {how}.")
    }

    fn stop(&mut self, server: &str) -> String {
        match self.server(server).state {
            ServerState::Stopped => {
                self.refuse(server, "ALREADY_STOPPED", format!("{server}'s directory service is already stopped."));
                String::new()
            }
            ServerState::Quarantined => {
                self.refuse(server, "QUARANTINED", format!("{server} is quarantined; only a supported restore (new Invocation-ID) brings it back."));
                String::new()
            }
            _ => {
                self.server_mut(server).state = ServerState::Stopped;
                format!("{server}'s directory service stops.")
            }
        }
    }

    fn start(&mut self, server: &str) -> String {
        if self.server(server).state != ServerState::Stopped {
            let state = self.server(server).state.as_str();
            self.refuse(server, "ALREADY_RUNNING", format!("{server}'s directory service is not stopped (it is {state})."));
            return String::new();
        }
        self.start_ds(server);
        format!("{server}'s directory service starts and asks its partners for their changes (Init sync).")
    }

    fn link(&mut self, between: &[String; 2], up: bool) -> String {
        let pair = if between[0] <= between[1] { (between[0].clone(), between[1].clone()) } else { (between[1].clone(), between[0].clone()) };
        if up {
            self.links_down.remove(&pair);
            format!("The path between {} and {} is mended; replication resumes at the next trigger.", between[0], between[1])
        } else {
            self.links_down.add(pair);
            format!("The path between {} and {} is cut.", between[0], between[1])
        }
    }

    fn add_drc(&mut self, sites: &[String; 2], bridgeheads: &[String; 2]) -> String {
        if sites::drc_is_redundant(&self.drcs, &sites[0], &sites[1]) {
            let text = format!(
                "{} and {} already know each other through directory replication connectors; a second path is refused (N sites need N-1 connectors).",
                sites[0], sites[1]
            );
            self.refuse(&bridgeheads[0], "DRC_REDUNDANT", text);
            return String::new();
        }
        self.install_drc(crate::scenario::DrcSpec { sites: sites.clone(), bridgeheads: bridgeheads.clone() });
        format!("A directory replication connector joins {} ({}) and {} ({}).", sites[0], bridgeheads[0], sites[1], bridgeheads[1])
    }
}
