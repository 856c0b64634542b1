//! Ceilings on the counters a learner can raise (issue 12): a USN counter, an Object-Version.
//! Every operation that adds a learner's number to one is checked first; what would pass the
//! ceiling is refused with a sentence, so no counter wraps, in a debug or a release build.
//!
//! The ceilings leave room below the types' own limits for the +1 of ordinary writes, of which
//! a session's work budget (src/budget.rs) allows far fewer than that room.
use crate::model::world::World;

/// The highest a server's USN counter (and so any USN-Changed) may be raised to: 2^60.
pub const USN_CEILING: u64 = 1 << 60;
/// The highest an Object-Version may be raised to: 2^31.
pub const OBJVER_CEILING: u32 = 1 << 31;

impl World {
    /// Why raising `server`'s USN counter by `by` would pass `USN_CEILING`, if it would.
    pub(crate) fn usn_refusal(&self, server: &str, by: u64) -> Option<(&'static str, String)> {
        let usn = self.server(server).usn;
        match usn.checked_add(by) {
            Some(n) if n <= USN_CEILING => None,
            _ => Some((
                "USN_CEILING",
                crate::narration::refusals::usn_ceiling(server, usn, by, USN_CEILING),
            )),
        }
    }

    /// Why adding `by` to the Object-Version of `server`'s objects (all of them, or the one named
    /// `dn`) would pass `OBJVER_CEILING`, if it would.
    pub(crate) fn objver_refusal(&self, server: &str, dn: Option<&str>, by: u64) -> Option<(&'static str, String)> {
        let mut top = 0;
        for rep in self.server(server).ncs.values() {
            for o in rep.iter() {
                if dn.is_none_or(|d| o.dn == d) {
                    top = top.max(o.object_version);
                }
            }
        }
        match u64::from(top).checked_add(by) {
            Some(n) if n <= u64::from(OBJVER_CEILING) => None,
            _ => Some((
                "OBJVER_CEILING",
                crate::narration::refusals::objver_ceiling(server, top.into(), by, OBJVER_CEILING.into()),
            )),
        }
    }

    /// Refuses on behalf of `server` when `refusal` is some; true when it did.
    pub(crate) fn refused_by(&mut self, server: &str, refusal: Option<(&'static str, String)>) -> bool {
        let Some((code, text)) = refusal else { return false };
        self.refuse(server, code, text);
        true
    }
}
