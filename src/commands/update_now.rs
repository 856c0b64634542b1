//! `update_now`: the Update Now button (and Refresh All Items) on a server: it asks its partners,
//! or the one named `from`, for their changes.
use super::Spec;
use crate::model::messages::Trigger;
use crate::model::world::World;
use crate::narration::commands as say;
use crate::scenario::Known;

command! {
    UpdateNow "update_now" {
        server: String,
        from: Option<String>,
        refresh_all: bool = false,
    }
    servers: server, from
    help: "press Update Now on a server: it asks its partners for their changes (server, from, refresh_all)"
}

impl Spec for UpdateNow {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.has_server(&self.server)?;
        if let Some(f) = &self.from {
            known.has_server(f)?;
        }
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let (server, from) = (self.server.as_str(), self.from.as_deref());
        if !w.server(server).replicates() {
            let state = w.server(server).state.as_str();
            w.refuse(server, "DS_E_UNAVAILABLE", say::unavailable(server, state));
            return String::new();
        }
        let trigger = if self.refresh_all { Trigger::RefreshAll } else { Trigger::UpdateNow };
        let n = w.pull_from_partners(server, from, u32::MAX, trigger);
        if n == 0 {
            w.refuse(server, "NO_PARTNER", say::no_partner(server, from));
            return String::new();
        }
        say::updated_now(server, self.refresh_all)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!(
            "Update Now on {}{}{}",
            self.server,
            self.from.as_ref().map_or(String::new(), |f| format!(" from {f}")),
            if self.refresh_all { ": Refresh All Items" } else { ": new and modified items" }
        )
    }
}
