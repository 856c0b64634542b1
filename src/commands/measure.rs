//! `measure`: Q201414 steps 1–10. Optionally create a probe mailbox, then compare the server's USN
//! with each partner's watermark for it (the model's `model/gap.rs`).
use super::Spec;
use crate::model::world::World;
use crate::scenario::names;
use crate::scenario::Known;

command! {
    /// Q201414 steps 1–10: optionally create a probe mailbox, then compare the server's USN with
    /// each partner's watermark for it.
    Measure "measure" {
        server: String,
        probe: Option<String>,
    }
    servers: server
    help: "measure the USN gap: a server's USN against its partners' watermarks for it (server, probe)"
}

impl Spec for Measure {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        if let Some(p) = &self.probe {
            names::check("the probe mailbox name", p)?;
        }
        known.has_server(&self.server)?;
        match &self.probe {
            Some(p) if p.trim().is_empty() || p.contains('/') => Err("a probe mailbox name must be non-empty and contain no '/'".into()),
            _ => Ok(()),
        }
    }
    /// A probe is a mailbox created.
    #[inline(always)]
    fn mailboxes(&self) -> u64 {
        u64::from(self.probe.is_some())
    }
    /// Looking is free; a probe writes a mailbox, so it counts.
    #[inline(always)]
    fn free(&self) -> bool {
        self.probe.is_none()
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.measure(&self.server, self.probe.as_deref())
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("measure {}'s USN gap{}", self.server, self.probe.as_ref().map_or(String::new(), |p| format!(" with the probe mailbox {p}")))
    }
}
