//! `authrest` and `import`: two of Q201414's repairs, raising USNs and versions so that changes
//! flow out again. The work is the model's (`model/restore.rs`).
use super::Spec;
use crate::model::world::World;
use crate::scenario::names;
use crate::scenario::{Known, MAX_IMPORT, MAX_OBJVER, MAX_USN};

command! {
    Authrest "authrest" {
        server: String,
        objver: u32,
        usn: u64,
    }
    servers: server
    help: "AUTHREST: raise every object's version and the USN counter, only while stopped (server, objver, usn)"
}

command! {
    Import "import" {
        server: String,
        name: String,
        times: u64,
    }
    servers: server
    help: "re-import one mailbox that many times, raising its version (server, name, times)"
}

impl Spec for Authrest {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.has_server(&self.server)?;
        if self.usn > MAX_USN || self.objver > MAX_OBJVER {
            Err(format!("Authrest takes an Object-Version increment up to {MAX_OBJVER} and a USN increment up to {MAX_USN}"))
        } else {
            Ok(())
        }
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.authrest(&self.server, self.objver, self.usn)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("AUTHREST {} {} on {}", self.objver, self.usn, self.server)
    }
}

impl Spec for Import {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        names::check("the mailbox name", &self.name)?;
        known.has_server(&self.server)?;
        if self.name.trim().is_empty() || self.name.contains('/') {
            return Err("a mailbox name must be non-empty and contain no '/'".into());
        }
        if self.times == 0 || self.times > MAX_IMPORT {
            return Err(format!("times must be 1 to {MAX_IMPORT}"));
        }
        Ok(())
    }
    #[inline(always)]
    fn mailboxes(&self) -> u64 {
        1
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.import(&self.server, &self.name, self.times)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("import {} {} times on {}", self.name, self.times, self.server)
    }
}
