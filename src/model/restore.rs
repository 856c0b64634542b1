//! Backup and restore of one server, the backsync that follows, the 1224 stall it can leave,
//! and the repairs Q201414 describes: measuring the gap, Authrest, and export/import.
use crate::model::replica::INIT_SYNC;
use crate::model::log;
use crate::model::messages::Trigger;
use crate::scenario::Model;
use crate::model::server::{Backsync, ServerState};
use crate::model::world::{mailbox_dn, World}; use crate::model::originate::WriteKind; 
use crate::vecmap::VecSet;

impl World {
    pub fn backup(&mut self, server: &str, label: &str) -> String {
        if let Some((code, text)) = self.backup_refusal(server, label) {
            self.refuse(server, code, text);
            return String::new();
        }
        let now = self.time;
        let srv = self.server_mut(server);
        let copy = srv.backup(now);
        let usn = copy.usn;
        srv.backups.insert(label.into(), copy);
        crate::narration::repair::backed_up(server, label, usn)
    }

    /// Puts the backup back (directory, USN counter, replica links) and starts the directory
    /// service again. Under Exchange 5.5 the Invocation-ID stays; with `new_id` (a supported
    /// Active Directory restore) the server takes a new one.
    pub fn restore(&mut self, server: &str, label: &str, backsync: Option<bool>, new_id: Option<bool>, start: bool) -> String {
        let ad = self.model() == Model::ActiveDirectory;
        let new_id = new_id.unwrap_or(ad);
        let backsync = !ad && backsync.unwrap_or(true);
        self.forget_in_flight(server, false);
        let srv = self.server_mut(server);
        let Some(copy) = srv.backups.get(label).cloned() else {
            self.refuse(server, "NO_SUCH_BACKUP", crate::narration::repair::no_backup(server, label));
            return String::new();
        };
        let copies = copy.object_count() as u64;
        srv.ncs = copy.ncs;
        srv.usn = copy.usn;
        srv.epoch += 1;
        srv.backsync = None;
        srv.state = ServerState::Stopped;
        srv.backsync_at_start = backsync;
        self.work.charge(copies);
        let srv = self.server_mut(server);
        let kept_id = srv.invocation_id.clone();
        let new_id = new_id.then(|| crate::ids::derive_invocation_id(&format!("{server}#restore{}", srv.epoch)));
        if let Some(id) = &new_id {
            srv.invocation_id = id.clone();
        }
        if start {
            self.start_ds(server);
        }
        crate::narration::repair::restored(server, label, copy.usn, new_id.as_deref(), &kept_id, start)
    }

    /// Starts a stopped directory service: a backsync first if a restore asked for one, then
    /// Init sync from every partner.
    pub(crate) fn start_ds(&mut self, server: &str) {
        let srv = self.server_mut(server);
        srv.state = if srv.backsync.is_some() { ServerState::Backsync } else { ServerState::Running };
        if std::mem::take(&mut srv.backsync_at_start) {
            self.begin_backsync(server);
        }
        self.pull_from_partners(server, None, INIT_SYNC, Trigger::Init);
        self.init_sync_by_mail(server);
    }

    pub(super) fn begin_backsync(&mut self, server: &str) {
        let mut partners: VecSet<String> = VecSet::new();
        for rep in self.server(server).ncs.values() {
            for p in rep.reps_from.keys() {
                partners.add(p.clone());
            }
        }
        let deadline = self.time + self.settings.backsync_timeout_s();
        let list = self.servers_among(&partners);
        let e = log::e1107(server, self.time, &list, &crate::narration::log::duration(self.settings.backsync_timeout_s()));
        self.log(e);
        let epoch = self.server(server).epoch;
        let srv = self.server_mut(server);
        srv.state = ServerState::Backsync;
        srv.backsync = Some(Backsync { waiting_on: partners, deadline_s: deadline });
        self.push_backsync_timeout(server, deadline, epoch);
        if list.is_empty() {
            self.end_backsync(server, "no partner to ask");
            return;
        }
        for p in &list {
            let mut ncs = Vec::new();
            for (nc, rep) in &self.server(server).ncs {
                if rep.reps_from.contains_key(p) {
                    ncs.push(nc.clone());
                }
            }
            self.send_request(server, p, ncs, Trigger::Backsync);
        }
    }

    /// A partner answered the backsync: the restored server's counter rises to at least that
    /// partner's watermark for it (model choice: this is why a complete backsync leaves no
    /// stall), and once every partner has answered the backsync ends.
    pub(crate) fn backsync_answered(&mut self, server: &str, partner: &str, watermark: u64) {
        let srv = self.server_mut(server);
        srv.usn = srv.usn.max(watermark);
        let done = srv.backsync.as_mut().is_some_and(|b| {
            b.waiting_on.remove(partner);
            b.waiting_on.is_empty()
        });
        if done {
            self.end_backsync(server, "every partner has answered");
        }
    }

    pub(crate) fn end_backsync(&mut self, server: &str, how: &str) {
        let srv = self.server_mut(server);
        srv.backsync = None;
        if srv.state == ServerState::Backsync {
            srv.state = ServerState::Running;
        }
        let e = log::e1108(server, self.time, how);
        self.log(e);
    }

    pub(crate) fn on_backsync_timeout(&mut self, server: &str, epoch: u64) {
        let srv = self.server(server);
        if srv.epoch != epoch || srv.backsync.is_none() {
            return;
        }
        let mut waiting = Vec::new();
        for p in srv.backsync.iter().flat_map(|b| b.waiting_on.keys()) {
            waiting.push(p.clone());
        }
        let how = crate::narration::repair::backsync_expired(&crate::narration::log::duration(self.settings.backsync_timeout_s()), &waiting);
        self.end_backsync(server, &how);
    }

    /// Q160850: an administrator forces the backsync to expire at once.
    pub fn expire_backsync(&mut self, server: &str) -> String {
        if self.server(server).backsync.is_none() {
            self.refuse(server, "NO_BACKSYNC", crate::narration::repair::no_backsync(server));
            return String::new();
        }
        self.end_backsync(server, crate::narration::repair::BACKSYNC_FORCED);
        crate::narration::repair::backsync_forced(server, self.server(server).usn)
    }

    /// `AUTHREST <objver> <usn>`: adds `objver` to every Object-Version and `usn` to every
    /// USN-Changed and to the counter. Only while the directory service is stopped.
    pub fn authrest(&mut self, server: &str, objver: u32, usn: u64) -> String {
        if self.server(server).state != ServerState::Stopped {
            let text = crate::narration::repair::authrest_needs_stop(server);
            self.refuse(server, "DS_RUNNING", text);
            return String::new();
        }
        let refusal = self.usn_refusal(server, usn).or_else(|| self.objver_refusal(server, None, objver.into()));
        if self.refused_by(server, refusal) {
            return String::new();
        }
        let srv = self.server_mut(server);
        let mut count = 0;
        for rep in srv.ncs.values_mut() {
            count += rep.len();
            rep.rewrite_all(|o| {
                o.object_version += objver;
                o.usn_changed += usn;
            });
        }
        srv.usn += usn;
        self.work.charge(count as u64);
        crate::narration::repair::authrest(server, objver, usn, count, self.server(server).usn)
    }

    /// Re-imports one mailbox `times` times: that many originating writes on one object. The
    /// result equals `times` single writes; it is computed at once so a large import is instant.
    pub fn import(&mut self, server: &str, name: &str, times: u64) -> String {
        let dn = mailbox_dn(&self.org, &self.server(server).site, name);
        let nc = crate::model::world::nc_of_dn(&dn);
        let exists = self.server(server).object(&nc, &dn).is_some();
        let kind = if exists { WriteKind::Modify } else { WriteKind::Create };
        let refusal = self.usn_refusal(server, times).or_else(|| self.objver_refusal(server, Some(&dn), times));
        if self.refused_by(server, refusal) {
            return String::new();
        }
        let attrs = Default::default();
        let Some(first) = self.originate(server, &dn, kind, &attrs) else { return String::new() };
        let rest = times - 1;
        let srv = self.server_mut(server);
        srv.usn += rest;
        let usn = srv.usn;
        let rep = srv.ncs.get_mut(nc.as_str()).expect("written above");
        let mut obj = rep.get(&dn).cloned().expect("written above");
        obj.object_version += rest as u32;
        obj.usn_changed = usn;
        obj.originating_usn = usn;
        rep.put(obj);
        let id = srv.invocation_id.clone();
        rep.utd.insert(id, usn);
        crate::narration::repair::imported(name, times, server, first, usn)
    }
}
