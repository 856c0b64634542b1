//! The model always converges (issue 12): conflict resolution is a total order on copies, and
//! every server comes to hold every naming context its site holds (docs/model-choices.md).
use usnlab::scenario::Scenario;
use usnlab::session::{run_scenario, Session};
use usnlab::model::world::World;

fn play(json: &str) -> Session {
    run_scenario(Scenario::from_json(json).expect("test scenario parses"))
}

/// One copy as (Object-Version, DSA-Signature, When-Changed, attributes).
type Copy = (u32, String, u64, Vec<(String, String)>);

/// Every server's copy of `name`, by server.
fn copies(w: &World, name: &str) -> Vec<(String, Option<Copy>)> {
    w.servers
        .iter()
        .map(|s| {
            let o = s.ncs.values().flat_map(|r| r.iter()).find(|o| o.name() == name);
            (s.name.clone(), o.map(|o| (o.object_version, o.dsa_signature.clone(), o.when_changed, o.attrs.iter().map(|(k, v)| (k.clone(), v.clone())).collect())))
        })
        .collect()
}

const TWO_SITES: &str = r#"
  "sites": [
    { "name": "East", "servers": [ { "name": "E1" }, { "name": "E2" } ] },
    { "name": "West", "servers": [ { "name": "W1" } ] }
  ],
  "connectors": [ { "kind": "site", "sites": ["East", "West"], "cost": 1 } ],
  "drcs": [ { "sites": ["East", "West"], "bridgeheads": ["E1", "W1"] } ]"#;

/// AUTHREST with objver 1 on one bridgehead and a newer change on the other leave two copies
/// with equal Object-Version and DSA-Signature; they must settle on one, not swap forever.
#[test]
fn authrest_objver_and_a_newer_change_settle_on_one_copy() {
    let json = format!(
        r#"{{ "org": "O", {TWO_SITES}, "steps": [
        {{ "do": "create", "server": "E1", "name": "Ann", "attrs": {{ "City": "Paris" }} }},
        {{ "do": "run", "until": "quiet" }},
        {{ "do": "stop", "server": "W1" }},
        {{ "do": "authrest", "server": "W1", "objver": 1, "usn": 1000 }},
        {{ "do": "run", "for_s": 60 }},
        {{ "do": "modify", "server": "E1", "name": "Ann", "attrs": {{ "City": "Rome" }} }},
        {{ "do": "start", "server": "W1" }},
        {{ "do": "run", "for_s": 864000 }}
    ]}}"#
    );
    let s = play(&json);
    let w = s.world();
    let all = copies(w, "Ann");
    assert!(all.iter().all(|(_, c)| c.is_some() && *c == all[0].1), "one copy everywhere: {all:?}");
    let late = w.journal.messages.iter().filter(|m| m.kind == "write" && m.objects > 0 && m.time_s > 5 * 86_400).count();
    assert_eq!(late, 0, "replication went quiet: no writes after day 5");
    assert!(w.quiet(), "quiet at the end");
}

/// Copies equal in Object-Version, DSA-Signature and When-Changed but not in their attributes
/// (only an Authrest with objver can make them) are ordered by their values: one wins everywhere.
#[test]
fn copies_equal_but_for_their_values_settle_on_one() {
    let json = r#"{ "org": "O", "sites": [ { "name": "S", "servers": [ { "name": "A" }, { "name": "B" } ] } ],
      "steps": [
        { "do": "create", "server": "A", "name": "Ann", "attrs": { "City": "Paris" } },
        { "do": "run", "until": "quiet" },
        { "do": "link", "between": ["A", "B"], "up": false },
        { "do": "modify", "server": "A", "name": "Ann", "attrs": { "City": "Rome" } },
        { "do": "stop", "server": "B" },
        { "do": "authrest", "server": "B", "objver": 1, "usn": 0 },
        { "do": "start", "server": "B" },
        { "do": "link", "between": ["A", "B"], "up": true },
        { "do": "update_now", "server": "A", "refresh_all": true },
        { "do": "update_now", "server": "B", "refresh_all": true },
        { "do": "run", "until": "quiet" }
    ]}"#;
    let s = play(json);
    let w = s.world();
    let all = copies(w, "Ann");
    assert!(all.iter().all(|(_, c)| c.is_some() && *c == all[0].1), "one copy everywhere: {all:?}");
    assert!(w.quiet());
}

/// The path inside a site is cut while the bridgehead first receives the other site's naming
/// context: after mending, the other server must come to hold it (its periodic sync asks).
#[test]
fn a_naming_context_missed_while_the_path_was_cut_is_learned_after_mending() {
    let json = format!(
        r#"{{ "org": "O", {TWO_SITES}, "steps": [
        {{ "do": "link", "between": ["E1", "E2"], "up": false }},
        {{ "do": "create", "server": "W1", "name": "Wes" }},
        {{ "do": "run", "for_s": 3600 }},
        {{ "do": "link", "between": ["E1", "E2"], "up": true }},
        {{ "do": "run", "for_s": 259200 }},
        {{ "do": "run", "until": "quiet" }}
    ]}}"#
    );
    let s = play(&json);
    let w = s.world();
    assert!(copies(w, "Wes").iter().all(|(_, c)| c.is_some()), "every server holds Wes: {:?}", copies(w, "Wes"));
    assert!(w.quiet());
}

/// The same, mended and then repaired by Refresh All Items only (no time for a periodic sync).
#[test]
fn refresh_all_brings_a_naming_context_the_partner_holds() {
    let json = format!(
        r#"{{ "org": "O", "settings": {{ "periodic_sync_s": 2592000 }}, {TWO_SITES}, "steps": [
        {{ "do": "link", "between": ["E1", "E2"], "up": false }},
        {{ "do": "create", "server": "W1", "name": "Wes" }},
        {{ "do": "run", "for_s": 3600 }},
        {{ "do": "link", "between": ["E1", "E2"], "up": true }},
        {{ "do": "update_now", "server": "E2", "refresh_all": true }},
        {{ "do": "run", "for_s": 600 }}
    ]}}"#
    );
    let s = play(&json);
    let w = s.world();
    assert!(copies(w, "Wes").iter().all(|(_, c)| c.is_some()), "every server holds Wes: {:?}", copies(w, "Wes"));
}

/// Quiet means nothing is owed: a server lacking a naming context its reachable site partner
/// holds is not quiet.
#[test]
fn a_missing_naming_context_is_not_quiet() {
    let json = format!(
        r#"{{ "org": "O", {TWO_SITES}, "steps": [
        {{ "do": "link", "between": ["E1", "E2"], "up": false }},
        {{ "do": "create", "server": "W1", "name": "Wes" }},
        {{ "do": "run", "for_s": 3600 }},
        {{ "do": "link", "between": ["E1", "E2"], "up": true }}
    ]}}"#
    );
    let s = play(&json);
    let w = s.world();
    let e2_lacks = copies(w, "Wes").iter().any(|(n, c)| n == "E2" && c.is_none());
    assert!(e2_lacks, "the setup: E2 has not learned West's naming context yet");
    assert!(!w.quiet(), "E2 still owes itself West's naming context");
}
