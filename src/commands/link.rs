//! `link`: cut (`up: false`) or mend the path between two servers.
use super::Spec;
use crate::model::world::World;
use crate::narration::commands as say;
use crate::scenario::Known;

command! {
    Link "link" {
        between: [String; 2],
        up: bool = required,
    }
    servers: between
    help: "cut or mend the path between two servers (between, up)"
}

impl Spec for Link {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        self.between.iter().try_for_each(|s| known.has_server(s))?;
        if self.between[0] == self.between[1] { Err("a path joins two different servers".into()) } else { Ok(()) }
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let [a, b] = &self.between;
        let pair = if a <= b { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
        if self.up {
            w.links_down.remove(&pair);
        } else {
            w.links_down.add(pair);
        }
        say::link(a, b, self.up)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("{} the path between {} and {}", if self.up { "mend" } else { "cut" }, self.between[0], self.between[1])
    }
}
