//! Originating writes: a change a server makes itself takes its next USN (the hot potato).
use crate::model::object::Attrs;
use crate::model::object::DirObject;
use crate::model::server::ServerState;
use crate::model::budget::MAX_COPIES;
use crate::model::world::{nc_of_dn, Originated, World};

impl World {
    // ----- originating writes --------------------------------------------------------------

    /// Why `server` cannot originate a write now, if it cannot.
    pub(crate) fn write_refusal(&self, server: &str) -> Option<(&'static str, String)> {
        match self.server(server).state {
            ServerState::Running => None,
            ServerState::Backsync => Some(("DS_E_BUSY", crate::narration::log::DS_E_BUSY.to_string())),
            ServerState::Stopped => Some(("DS_E_UNAVAILABLE", crate::narration::refusals::stopped(server))),
            ServerState::Quarantined => Some((
                "DS_E_UNWILLING_TO_PERFORM",
                crate::narration::refusals::quarantined(server),
            )),
        }
    }

    /// An originating write: the server's USN goes up by one and the object carries it.
    /// `change` edits the object; `None` means create. Returns the USN given, or refuses.
    pub(crate) fn originate(&mut self, server: &str, dn: &str, kind: WriteKind, attrs: &Attrs) -> Option<u64> {
        if let Some((code, text)) = self.write_refusal(server) {
            self.refuse(server, code, text);
            return None;
        }
        if let Some((code, text)) = self.work_refusal(if kind == WriteKind::Create { 1 } else { 0 }) {
            self.refuse(server, code, text);
            return None;
        }
        let nc = nc_of_dn(dn);
        if let Some((code, text)) = self.target_problem(server, &nc, dn, kind) {
            self.refuse(server, code, text);
            return None;
        }
        let now = self.time;
        self.work.charge(1);
        self.work.created += (kind == WriteKind::Create) as u64;
        let keeps = self.journal.keeps_originated;
        let srv = self.server_mut(server);
        srv.usn += 1;
        let (usn, id) = (srv.usn, srv.invocation_id.clone());
        let rep = srv.ncs.get_mut(nc.as_str()).expect("checked");
        let base = rep.get(dn).cloned();
        let kept_base = if keeps { base.clone() } else { None };
        let mut obj = base.unwrap_or(DirObject {
            dn: dn.into(),
            object_version: 0,
            usn_created: usn,
            usn_changed: usn,
            usn_source: usn,
            dsa_signature: id.clone(),
            when_changed: now,
            deleted: false,
            attrs: Attrs::new(),
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
                obj.attrs = Attrs::new();
            }
            _ => {
                for (k, v) in attrs {
                    obj.attrs.insert(k.clone(), v.clone());
                }
            }
        }
        let copy = keeps.then(|| obj.clone());
        rep.put(obj);
        rep.utd.insert(id, usn);
        if let Some(copy) = copy {
            self.journal.originated.get_or_insert_with(dn.to_string(), Vec::new).push(Originated { base: kept_base, copy });
        }
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
            return Some(("WORK_BUDGET", crate::model::budget::copies_refusal(self.step, creates, self.servers.len())));
        }
        None
    }

    /// Why `server` cannot make this write to `dn`, if it cannot: the error code and its sentence.
    pub(super) fn target_problem(&self, server: &str, nc: &str, dn: &str, kind: WriteKind) -> Option<(&'static str, String)> {
        let missing = if kind == WriteKind::Create { "DS_E_ALREADY_EXISTS" } else { "DS_E_NO_SUCH_OBJECT" };
        let Some(rep) = self.server(server).ncs.get(nc) else {
            return Some((missing, crate::narration::refusals::no_naming_context(server, nc)));
        };
        if !rep.writable {
            return Some(("DS_E_UNWILLING_TO_PERFORM", crate::narration::refusals::read_only(server, nc)));
        }
        let name = crate::model::object::common_name(dn);
        let text = match (kind, rep.get(dn)) {
            (WriteKind::Create, Some(o)) if o.deleted => crate::narration::refusals::tombstone_keeps_name(name),
            (WriteKind::Create, Some(_)) => crate::narration::refusals::exists(server, name),
            (WriteKind::Create, None) => return None,
            (_, None) => crate::narration::refusals::no_object(server, name),
            (_, Some(o)) if o.deleted => crate::narration::refusals::is_tombstone(server, name),
            _ => return None,
        };
        Some((missing, text))
    }
}


#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WriteKind {
    Create,
    Modify,
    Delete,
}
