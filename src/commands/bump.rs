//! `bump`: unrelated changes elsewhere on a server raise its USN counter (`to` or `by`).
use super::Spec;
use crate::model::world::World;
use crate::narration::commands as say;
use crate::scenario::{Known, MAX_USN};

command! {
    Bump "bump" {
        server: String,
        to: Option<u64>,
        by: Option<u64>,
    }
    servers: server
    help: "raise a server's USN counter, as changes elsewhere would (server, to or by)"
}

impl Spec for Bump {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.has_server(&self.server)?;
        match (self.to, self.by) {
            (Some(n), None) | (None, Some(n)) if n <= MAX_USN => Ok(()),
            (Some(_), None) | (None, Some(_)) => Err("that USN is too large".into()),
            _ => Err("bump takes \"to\" or \"by\"".into()),
        }
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let (server, to, by) = (self.server.as_str(), self.to, self.by);
        if let Some((code, text)) = w.write_refusal(server) {
            w.refuse(server, code, text);
            return String::new();
        }
        let usn = w.server(server).usn;
        if w.refused_by(server, w.usn_refusal(server, by.unwrap_or(0))) {
            return String::new();
        }
        let target = to.unwrap_or_else(|| usn.saturating_add(by.unwrap_or(0)));
        if target < usn {
            w.refuse(server, "USN_GOES_UP", say::usn_goes_up(server, usn));
            return String::new();
        }
        w.server_mut(server).usn = target;
        say::bumped(server, target - usn, target)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        match self.to {
            Some(t) => format!("raise {}'s USN to {t} (changes elsewhere)", self.server),
            None => format!("raise {}'s USN by {} (changes elsewhere)", self.server, self.by.unwrap_or(0)),
        }
    }
}
