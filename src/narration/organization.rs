//! What the workbench and the messaging connectors did to the organization, or why not.

pub fn site_exists(name: &str) -> String {
    format!("There is already a site named {name}.")
}

pub fn no_site(name: &str) -> String {
    format!("There is no site named {name}.")
}

pub fn site_added(name: &str) -> String {
    format!("The site {name} is added; it has no servers yet.")
}

pub fn server_exists(name: &str) -> String {
    format!("There is already a server named {name}.")
}

pub fn id_taken(name: &str) -> String {
    format!("Another server already has {name}'s Invocation-ID.")
}

/// A new server joins its site; with partners it asks them for everything.
pub fn server_added(name: &str, site: &str, usn: u64, partners: usize) -> String {
    match partners {
        0 => format!("{name} joins {site} at USN {usn}, its first server."),
        n => format!("{name} joins {site} at USN {usn}, linked with its {n} other server(s), and asks them for everything (Init sync)."),
    }
}

pub fn busy_replicating(server: &str) -> String {
    format!("{server} cannot be removed while replication is under way: run until quiet first.")
}

pub fn bridgehead(server: &str) -> String {
    format!("{server} is a bridgehead of a directory replication connector, which needs it.")
}

pub fn last_server(server: &str) -> String {
    format!("{server} is the organization's last server.")
}

pub fn server_removed(server: &str) -> String {
    format!("{server} is removed from the organization; its partners forget it. The objects it replicated stay on the others.")
}

pub fn site_not_empty(name: &str) -> String {
    format!("{name} still has servers: remove them first.")
}

pub fn site_connected(name: &str) -> String {
    format!("A connector still joins {name} to another site.")
}

pub fn site_removed(name: &str) -> String {
    format!("The site {name} is removed.")
}

/// The `set` step: which timers change from now on.
pub fn timers_set(notify_pause_s: Option<u64>, periodic_s: Option<u64>, intersite_s: Option<u64>) -> String {
    let mut said = Vec::new();
    if let Some(v) = notify_pause_s {
        said.push(format!("the notify pause is {v} s"));
    }
    if let Some(v) = periodic_s {
        said.push(format!("periodic sync within a site every {v} s"));
    }
    if let Some(v) = intersite_s {
        said.push(format!("the directory replication connectors' schedule every {v} s"));
    }
    format!("From now on {} (timers already set keep their time).", said.join(", "))
}

// ----- messaging connectors -------------------------------------------------------------------

pub fn no_connector(a: &str, b: &str, kind: Option<&str>) -> String {
    format!("no {}messaging connector joins {a} and {b}", kind.map_or(String::new(), |k| format!("{k} ")))
}

pub fn connector_ambiguous(a: &str, b: &str, kinds: &[&str]) -> String {
    format!("{a} and {b} share more than one kind of messaging connector ({}): say which with \"kind\"", kinds.join(", "))
}

/// "The x400 connector between Site 1 and Site 2".
pub fn connector(kind: &str, a: &str, b: &str) -> String {
    format!("The {kind} connector between {a} and {b}")
}

pub fn connector_already(what: &str, up: bool) -> String {
    format!("{what} is already {}.", if up { "up" } else { "down" })
}

pub fn connector_up(what: &str, released: usize) -> String {
    format!("{what} is up again; {released} directory message(s) waiting in the MTA queue go on the cheapest route now up.")
}

pub fn connector_down(what: &str, rerouted: usize, held: usize) -> String {
    format!("{what} goes down: the MTA routes mail over the cheapest route still up. {rerouted} message(s) in transit re-routed; {held} wait in the MTA queue for a route.")
}

pub fn connector_added(kind: &str, cost: u32, a: &str, b: &str) -> String {
    format!("A {kind} connector (cost {cost}) joins {a} and {b}.")
}
