//! Between sites: messaging connectors (the pipe), the MTA's lowest-cost route over them, and
//! directory replication connectors (which bridgeheads pull from which).
use crate::scenario::{ConnectorSpec, DrcSpec, Schedule};
use serde::Serialize;
use crate::vecmap::{VecMap, VecSet};

/// One hop of a route: which connector carried the message from one site to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub cost: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The sites the message passes through, sender's first.
    pub sites: Vec<String>,
    pub hops: Vec<Hop>,
    pub cost: u32,
}

/// Lowest total cost from `from` to `to`; ties go to fewer hops, then to the alphabetically
/// first path, so the choice is the same every run. `None` when no connector path exists.
pub fn route(connectors: &[ConnectorSpec], from: &str, to: &str) -> Option<Route> {
    // Dijkstra over (cost, hops, path); a handful of sites, so the queue is a plain list.
    let mut done: VecSet<String> = VecSet::new();
    let mut queue = vec![(0u32, 1usize, vec![from.to_string()])];
    let mut found = None;
    while !queue.is_empty() {
        let mut first = 0;
        for i in 1..queue.len() {
            if queue[i] < queue[first] {
                first = i;
            }
        }
        let (cost, hops, path) = queue.swap_remove(first);
        let here = path.last().map_or("", String::as_str);
        if !done.add(here.to_string()) {
            continue;
        }
        if here == to {
            found = Some((cost, path));
            break;
        }
        for c in connectors {
            let next = if c.sites[0] == here {
                &c.sites[1]
            } else if c.sites[1] == here && !c.one_way {
                &c.sites[0]
            } else {
                continue;
            };
            if !done.contains(next) {
                let mut p = path.clone();
                p.push(next.clone());
                queue.push((cost + c.cost, hops + 1, p));
            }
        }
    }
    let (cost, sites) = found?;
    let mut hops = Vec::with_capacity(sites.len().saturating_sub(1));
    for w in sites.windows(2) {
        hops.push(cheapest(connectors, &w[0], &w[1]));
    }
    Some(Route { sites, hops, cost })
}

/// The cheapest connector that carries a message from `a` to `b`.
fn cheapest(connectors: &[ConnectorSpec], a: &str, b: &str) -> Hop {
    let mut best: Option<&ConnectorSpec> = None;
    for c in connectors {
        let joins = (c.sites[0] == a && c.sites[1] == b) || (!c.one_way && c.sites[1] == a && c.sites[0] == b);
        if joins && best.is_none_or(|k| (c.cost, &c.kind) < (k.cost, &k.kind)) {
            best = Some(c);
        }
    }
    let c = best.expect("a route only uses existing connectors");
    Hop { from: a.into(), to: b.into(), kind: c.kind.clone(), cost: c.cost }
}

/// When a message handed to the MTA at `start` arrives: each hop waits for its connector's
/// schedule to open, then takes `hop_s`. Returns (arrival, seconds spent queued).
pub fn travel(connectors: &[ConnectorSpec], route: &Route, start: u64, hop_s: u64) -> (u64, u64) {
    let mut t = start;
    let mut queued = 0;
    for hop in &route.hops {
        let schedule = connectors
            .iter()
            .find(|c| c.kind == hop.kind && c.cost == hop.cost && c.sites.contains(&hop.from) && c.sites.contains(&hop.to))
            .and_then(|c| c.schedule.as_ref());
        let open = schedule.map_or(t, |s| next_open(s, t));
        queued += open - t;
        t = open + hop_s;
    }
    (t, queued)
}

fn next_open(s: &Schedule, t: u64) -> u64 {
    if t % s.every_s < s.open_s {
        t
    } else {
        (t / s.every_s + 1) * s.every_s
    }
}

/// The connectors a `connector` step names: those joining the two sites (of `kind` if given).
/// Refused with a code and a sentence when there is none, or several kinds and no `kind`.
pub fn named_connectors(connectors: &[ConnectorSpec], pair: &[String; 2], kind: Option<&str>) -> Result<Vec<usize>, (&'static str, String)> {
    let mut matching = Vec::new();
    // Each kind once, in order: inserted in place (a sort would add its code to the wasm,
    // docs/performance.md).
    let mut kinds: Vec<&str> = Vec::new();
    for (i, c) in connectors.iter().enumerate() {
        if c.sites.contains(&pair[0]) && c.sites.contains(&pair[1]) && kind.is_none_or(|k| c.kind == k) {
            matching.push(i);
            if let Err(at) = kinds.binary_search(&c.kind.as_str()) {
                kinds.insert(at, &c.kind);
            }
        }
    }
    let (a, b) = (&pair[0], &pair[1]);
    match kinds.len() {
        0 => Err(("NO_SUCH_CONNECTOR", crate::narration::organization::no_connector(a, b, kind))),
        1 => Ok(matching),
        _ => Err(("CONNECTOR_AMBIGUOUS", crate::narration::organization::connector_ambiguous(a, b, &kinds))),
    }
}

/// Sites learn of each other transitively, so a DRC between two sites already joined (directly
/// or through others) is refused: N sites need N−1 DRCs.
pub fn drc_is_redundant(drcs: &[DrcSpec], a: &str, b: &str) -> bool {
    drc_path(drcs, a, b).is_some()
}

/// The sites between the ends of a path of sites.
pub fn between(path: &[String]) -> Vec<String> {
    path.get(1..path.len().saturating_sub(1)).unwrap_or_default().to_vec()
}

/// The sites the directory replication connectors join `a` to `b` through, `a` first and `b`
/// last (the fewest hops, the first found in file order); `None` when they are not joined.
pub fn drc_path(drcs: &[DrcSpec], a: &str, b: &str) -> Option<Vec<String>> {
    // Each site reached, with the site it was reached from.
    let mut from: VecMap<String, String> = VecMap::new();
    from.insert(a.to_string(), String::new());
    // Breadth first: a list read from its front (no VecDeque's code in the wasm).
    let mut frontier = vec![a.to_string()];
    let mut next = 0;
    while let Some(site) = frontier.get(next).cloned() {
        next += 1;
        if site == b {
            let mut path = vec![site];
            while let Some(prev) = from.get(path.last()?.as_str()).filter(|p| !p.is_empty()) {
                path.push(prev.clone());
            }
            path.reverse();
            return Some(path);
        }
        for d in drcs {
            let other = if d.sites[0] == site { &d.sites[1] } else if d.sites[1] == site { &d.sites[0] } else { continue };
            if !from.contains_key(other) {
                from.insert(other.clone(), site.clone());
                frontier.push(other.clone());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(kind: &str, a: &str, b: &str, cost: u32) -> ConnectorSpec {
        ConnectorSpec { kind: kind.into(), sites: [a.into(), b.into()], cost, schedule: None, one_way: true }
    }

    /// Figure 3: direct 9; via 5 and 4 costs 8; via 5, 3 and 4 costs 7. The MTA takes the 7.
    #[test]
    fn figure_3_takes_the_cheapest_indirect_route() {
        let cs = vec![
            conn("x400", "Site 2", "Site 1", 9),
            conn("x400", "Site 2", "Site 5", 2),
            conn("x400", "Site 5", "Site 4", 3),
            conn("x400", "Site 4", "Site 1", 3),
            conn("x400", "Site 5", "Site 3", 1),
            conn("x400", "Site 3", "Site 4", 1),
        ];
        let r = route(&cs, "Site 2", "Site 1").unwrap();
        assert_eq!(r.sites, ["Site 2", "Site 5", "Site 3", "Site 4", "Site 1"]);
        assert_eq!(r.cost, 7);
        let without_3: Vec<_> = cs.iter().filter(|c| !c.sites.contains(&"Site 3".to_string())).cloned().collect();
        assert_eq!(route(&without_3, "Site 2", "Site 1").unwrap().cost, 8);
        assert_eq!(route(&cs[..1], "Site 2", "Site 1").unwrap().cost, 9);
        assert!(route(&cs, "Site 1", "Site 2").is_none(), "one-way arrows carry nothing back");
    }

    /// Figure 4: an X.400 connector (cost 2) and a Site Connector (cost 1) join the same sites.
    #[test]
    fn figure_4_prefers_the_site_connector() {
        let mut cs = vec![conn("x400", "Site 1", "Site 2", 2), conn("site", "Site 1", "Site 2", 1)];
        cs.iter_mut().for_each(|c| c.one_way = false);
        let r = route(&cs, "Site 2", "Site 1").unwrap();
        assert_eq!(r.hops[0].kind, "site");
        assert_eq!(r.cost, 1);
    }

    #[test]
    fn a_message_waits_for_the_schedule() {
        let mut c = conn("x400", "A", "B", 1);
        c.schedule = Some(Schedule { every_s: 3600, open_s: 600 });
        let cs = vec![c];
        let r = route(&cs, "A", "B").unwrap();
        assert_eq!(travel(&cs, &r, 100, 60), (160, 0));
        assert_eq!(travel(&cs, &r, 700, 60), (3660, 2900));
    }

    #[test]
    fn n_sites_need_n_minus_1_drcs() {
        let d = |a: &str, b: &str| DrcSpec { sites: [a.into(), b.into()], bridgeheads: ["x".into(), "y".into()] };
        let drcs = vec![d("Site 1", "Site 2"), d("Site 2", "Site 3"), d("Site 3", "Site 4")];
        assert!(drc_is_redundant(&drcs, "Site 1", "Site 4"));
        assert!(!drc_is_redundant(&drcs, "Site 1", "Site 5"));
        assert_eq!(drc_path(&drcs, "Site 1", "Site 4").unwrap(), ["Site 1", "Site 2", "Site 3", "Site 4"]);
        assert_eq!(drc_path(&drcs, "Site 3", "Site 2").unwrap(), ["Site 3", "Site 2"]);
    }
}
