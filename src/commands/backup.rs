//! `backup`, `restore` and `expire_backsync`: a server's backup, putting it back (the backsync,
//! the 1224 stall it can leave), and forcing the backsync to end (Q160850). The work is the
//! model's (`model/restore.rs`).
use super::Spec;
use crate::excerpt::quoted;
use crate::model::world::World;
use crate::scenario::names;
use crate::scenario::Known;

command! {
    Backup "backup" {
        server: String,
        label: String,
    }
    servers: server
    help: "back up a server's directory under a label (server, label)"
}

command! {
    /// With `start: false` the directory service stays stopped (for Authrest) and the backsync
    /// begins when it is started.
    Restore "restore" {
        server: String,
        label: String,
        backsync: Option<bool>,
        new_invocation_id: Option<bool>,
        start: Option<bool>,
    }
    servers: server
    help: "restore a server from a backup made earlier (server, label, backsync, new_invocation_id, start)"
}

command! {
    ExpireBacksync "expire_backsync" {
        server: String,
    }
    servers: server
    help: "force a server's backsync to end now, as if its time were up (server; Q160850)"
}

impl Spec for Backup {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        names::check("the backup label", &self.label)?;
        known.has_server(&self.server)?;
        known.add_backup(&self.server, &self.label);
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.backup(&self.server, &self.label)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("back up {} as \"{}\"", self.server, self.label)
    }
}

impl Spec for Restore {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        names::check("the backup label", &self.label)?;
        known.has_server(&self.server)?;
        if known.has_backup(&self.server, &self.label) {
            Ok(())
        } else {
            Err(format!("{} has no backup labelled {} made by an earlier step", self.server, quoted(&self.label)))
        }
    }
    /// A learner's restore names a backup by label: one that is not there is refused when it runs.
    #[inline(always)]
    fn assume_live(&self, known: &mut Known) {
        known.add_backup(&self.server, &self.label);
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.restore(&self.server, &self.label, self.backsync, self.new_invocation_id, self.start.unwrap_or(true))
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!(
            "restore {} from \"{}\"{}{}{}",
            self.server,
            self.label,
            if self.backsync == Some(false) { " without backsync" } else { "" },
            match self.new_invocation_id { Some(true) => " with a new Invocation-ID", Some(false) => " keeping its Invocation-ID", None => "" },
            if self.start == Some(false) { ", leaving the directory service stopped" } else { "" }
        )
    }
}

impl Spec for ExpireBacksync {
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.expire_backsync(&self.server)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("force {}'s backsync to expire (Q160850)", self.server)
    }
}
