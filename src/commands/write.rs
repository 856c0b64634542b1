//! `create`, `modify`, `delete`: an originating write on one server, to a mailbox named by
//! `name` (in the server's site) or by `dn` (docs/scenarios.md, "Steps"). The object takes the
//! server's next USN: the hot potato.
use crate::model::object::Attrs;
use super::Spec;
use crate::model::originate::WriteKind;
use crate::model::world::{mailbox_dn, World};
use crate::narration::commands as say;
use crate::scenario::names;
use crate::scenario::{Known, MAX_IMPORT};

command! {
    /// With `count`, creates `<name> 1` … `<name> count`.
    Create "create" {
        server: String,
        name: Option<String>,
        dn: Option<String>,
        attrs: Attrs,
        count: Option<u64>,
    }
    servers: server
    help: "create a mailbox on a server (server, name or dn, attrs; count makes name 1 … name N)"
}

command! {
    Modify "modify" {
        server: String,
        name: Option<String>,
        dn: Option<String>,
        attrs: Attrs,
    }
    servers: server
    help: "change a mailbox's attributes on a server (server, name or dn, attrs)"
}

command! {
    Delete "delete" {
        server: String,
        name: Option<String>,
        dn: Option<String>,
    }
    servers: server
    help: "delete a mailbox on a server, leaving a tombstone (server, name or dn)"
}

/// The checks of the three writes, in this order: the mailbox's name and DN as names
/// (docs/scenarios.md: names go into DNs), the attributes, `create`'s `count`, the server, and
/// the mailbox named by its `name` or its `dn`.
fn check_write(known: &Known, server: &str, name: &Option<String>, dn: &Option<String>, attrs: Option<&Attrs>, count: Option<u64>) -> Result<(), String> {
    name.as_deref().map_or(Ok(()), |n| names::check("the mailbox name", n))?;
    dn.as_deref().map_or(Ok(()), names::dn)?;
    attrs.map_or(Ok(()), names::attrs)?;
    match (count, name) {
        (Some(n), None) if n > 0 => return Err(format!("create with count {n} needs a \"name\" to number")),
        (Some(n), _) if n == 0 || n > MAX_IMPORT => return Err(format!("count must be 1 to {MAX_IMPORT}")),
        _ => {}
    }
    known.has_server(server)?;
    match (name, dn) {
        (Some(n), None) if !n.trim().is_empty() && !n.contains('/') => Ok(()),
        (Some(_), None) => Err("a mailbox name must be non-empty and contain no '/'".into()),
        (None, Some(d)) if d.starts_with("/o=") => Ok(()),
        (None, Some(_)) => Err("a dn starts with /o=".into()),
        _ => Err("give the mailbox's \"name\" or its \"dn\", not both or neither".into()),
    }
}

fn who(name: &Option<String>, dn: &Option<String>) -> String {
    name.clone().or_else(|| dn.clone()).unwrap_or_default()
}

/// " (City = London)", or nothing.
fn attrs_text(a: &Attrs) -> String {
    if a.is_empty() { String::new() } else { format!(" ({})", crate::narration::attrs(a)) }
}

impl Spec for Create {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        check_write(known, &self.server, &self.name, &self.dn, Some(&self.attrs), self.count)
    }
    #[inline(always)]
    fn mailboxes(&self) -> u64 {
        self.count.unwrap_or(1)
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        match (&self.name, self.count) {
            (Some(name), Some(n)) => create_many(w, &self.server, name, n, &self.attrs),
            _ => write(w, &self.server, &self.name, &self.dn, WriteKind::Create, &self.attrs),
        }
    }
    #[inline(always)]
    fn describe(&self) -> String {
        match self.count {
            Some(n) => format!("create {n} mailboxes \"{} 1\"… on {}{}", who(&self.name, &self.dn), self.server, attrs_text(&self.attrs)),
            None => format!("create {} on {}{}", who(&self.name, &self.dn), self.server, attrs_text(&self.attrs)),
        }
    }
}

impl Spec for Modify {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        check_write(known, &self.server, &self.name, &self.dn, Some(&self.attrs), None)
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        write(w, &self.server, &self.name, &self.dn, WriteKind::Modify, &self.attrs)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("modify {} on {}{}", who(&self.name, &self.dn), self.server, attrs_text(&self.attrs))
    }
}

impl Spec for Delete {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        check_write(known, &self.server, &self.name, &self.dn, None, None)
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        write(w, &self.server, &self.name, &self.dn, WriteKind::Delete, &Attrs::new())
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("delete {} on {}", who(&self.name, &self.dn), self.server)
    }
}

fn dn_for(w: &World, server: &str, name: &Option<String>, dn: &Option<String>) -> String {
    match (name, dn) {
        (_, Some(dn)) => dn.clone(),
        (Some(name), None) => mailbox_dn(&w.org, &w.server(server).site, name),
        (None, None) => unreachable!("checked when the scenario was read"),
    }
}

fn write(w: &mut World, server: &str, name: &Option<String>, dn: &Option<String>, kind: WriteKind, attrs: &Attrs) -> String {
    let dn = dn_for(w, server, name, dn);
    let Some(usn) = w.originate(server, &dn, kind, attrs) else { return String::new() };
    say::written(crate::model::object::common_name(&dn), kind, attrs, server, usn)
}

fn create_many(w: &mut World, server: &str, name: &str, n: u64, attrs: &Attrs) -> String {
    if let Some((code, text)) = w.create_refusal(n) {
        w.refuse(server, code, text);
        return String::new();
    }
    let mut usns = Vec::new();
    for i in 1..=n {
        let dn = mailbox_dn(&w.org, &w.server(server).site, &format!("{name} {i}"));
        match w.originate(server, &dn, WriteKind::Create, attrs) {
            Some(usn) => usns.push(usn),
            None => break,
        }
    }
    match (usns.first(), usns.last()) {
        (Some(a), Some(b)) => say::created_many(usns.len(), name, server, *a, *b),
        _ => String::new(),
    }
}
