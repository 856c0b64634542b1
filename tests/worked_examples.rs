//! The sources' worked examples, as exact assertions, and the timing and conflict rules.
use usnlab::scenario::builtins as lessons;
use usnlab::model::messages::Message;
use usnlab::model::object::DirObject;
use usnlab::scenario::Scenario;
use usnlab::session::{run_scenario, Session};
use usnlab::model::world::{mailbox_dn, World};

const BOSTON01: &str = "EE6CF383865BD1118CFB00C04FB169AC";
const NEWYORK01: &str = "52D4C132F161D111B1B900C04FB169F3";

/// Plays a built-in scenario's steps 0..=last (the whole script when `last` is None).
fn play(id: &str, last: Option<usize>) -> Session {
    let mut sc = lessons::load(id).expect("built-in scenarios parse");
    if let Some(n) = last {
        sc.steps.truncate(n + 1);
    }
    run_scenario(sc)
}

fn play_json(json: &str) -> Session {
    run_scenario(Scenario::from_json(json).expect("test scenario parses"))
}

fn obj<'a>(w: &'a World, server: &str, name: &str) -> &'a DirObject {
    let site = &w.server(server).site;
    let dn = mailbox_dn(&w.org, site, name);
    w.server(server).ncs.values().find_map(|r| r.get(&dn)).unwrap_or_else(|| panic!("{server} holds no {name}"))
}

fn has(w: &World, server: &str, name: &str) -> bool {
    w.server(server).ncs.values().any(|r| r.iter().any(|o| o.name() == name))
}

fn usns(o: &DirObject) -> (u64, u64, u64) {
    (o.usn_created, o.usn_changed, o.usn_source)
}

fn messages_of<'a>(w: &'a World, step: usize) -> Vec<&'a Message> {
    w.journal.messages.iter().filter(|m| m.step == Some(step)).collect()
}

fn event_ids(w: &World, server: &str) -> Vec<u32> {
    w.journal.events.iter().filter(|e| e.server == server).map(|e| e.id).collect()
}

// ----- replication-within-a-site.txt: Bill Lee ------------------------------------------------

#[test]
fn bill_lee_created_on_boston01_at_1946() {
    let s = play("bill-lee", Some(0));
    let b = obj(s.world(), "Boston01", "Bill Lee");
    assert_eq!(usns(b), (1946, 1946, 1946));
    assert_eq!(b.dsa_signature, BOSTON01);
    assert_eq!(b.object_version, 1);
}

#[test]
fn bill_lee_replicates_to_newyork01_at_1157_with_source_1946() {
    let s = play("bill-lee", Some(1));
    let n = obj(s.world(), "NewYork01", "Bill Lee");
    assert_eq!(usns(n), (1157, 1157, 1946));
    assert_eq!(n.dsa_signature, BOSTON01, "the last directory to originate a change was Boston01");
}

#[test]
fn bill_lee_modified_on_newyork01_at_1220_keeps_source_1946() {
    let s = play("bill-lee", Some(3));
    let n = obj(s.world(), "NewYork01", "Bill Lee");
    assert_eq!(usns(n), (1157, 1220, 1946));
    assert_eq!(n.dsa_signature, NEWYORK01);
    assert_eq!(n.attrs["City"], "London");
    assert_eq!(n.object_version, 2);
}

#[test]
fn bill_lee_replicates_back_to_boston01_at_1966_with_source_1220() {
    let s = play("bill-lee", None);
    let b = obj(s.world(), "Boston01", "Bill Lee");
    assert_eq!(usns(b), (1946, 1966, 1220));
    assert_eq!(b.dsa_signature, NEWYORK01);
    assert_eq!(b.attrs["City"], "London");
    assert_eq!(s.world().server("Boston01").usn, 1966);
    assert!(s.world().quiet());
}

#[test]
fn one_cycle_is_notify_request_response_write_after_the_notify_pause() {
    let s = play("bill-lee", Some(1));
    let kinds: Vec<_> = messages_of(s.world(), 1).iter().map(|m| (m.kind, m.from.as_str(), m.to.as_str(), m.time_s)).collect();
    assert_eq!(
        kinds[..4],
        [
            ("notify", "Boston01", "NewYork01", 300),
            ("request", "NewYork01", "Boston01", 300),
            ("response", "Boston01", "NewYork01", 300),
            ("write", "Boston01", "NewYork01", 300),
        ]
    );
    let m = messages_of(s.world(), 1);
    assert_eq!((m[0].usn, m[2].usn, m[2].objects, m[3].usn, m[3].objects), (1946, 1946, 1, 1157, 1));
}

#[test]
fn the_echo_of_bill_lee_writes_nothing_and_replication_goes_quiet() {
    let s = play("bill-lee", Some(1));
    let w = s.world();
    let echo: Vec<_> = messages_of(w, 1).into_iter().filter(|m| m.kind == "write" && m.to == "Boston01").collect();
    assert_eq!(echo.len(), 1);
    assert_eq!(echo[0].objects, 0, "Boston01 already holds its own change");
    assert_eq!(w.server("Boston01").usn, 1946);
    assert_eq!(w.server("Boston01").ncs.values().next().unwrap().reps_from["NewYork01"].usn, 1157);
    assert!(w.quiet());
}

// ----- Q201414: Mailbox A and Mailbox B, the hot potato ----------------------------------------

#[test]
fn the_hot_potato_passes_from_object_to_object() {
    let hot = |n: usize| {
        let s = play("hot-potato", Some(n));
        let h = s.world().server("ServerA").hot_potato().unwrap().clone();
        (h.name().to_string(), h.usn_changed)
    };
    assert_eq!(hot(0), ("Mailbox A".to_string(), 1000));
    assert_eq!(hot(2), ("Mailbox B".to_string(), 1001));
    assert_eq!(hot(3), ("Mailbox A".to_string(), 1002));
    let s = play("hot-potato", Some(3));
    assert_eq!(obj(s.world(), "ServerA", "Mailbox B").usn_changed, 1001, "Mailbox B still shows 1,001");
}

#[test]
fn server_b_asks_for_greater_than_1000_and_gets_1001_and_1002() {
    let s = play("hot-potato", None);
    let w = s.world();
    let req = messages_of(w, 4).into_iter().find(|m| m.kind == "request" && m.from == "ServerB").unwrap().clone();
    assert_eq!(req.usn, 1000, "B's Reps-From for A lists 1,000");
    let resp = messages_of(w, 4).into_iter().find(|m| m.kind == "response" && m.from == "ServerA").unwrap().clone();
    assert_eq!((resp.objects, resp.usn), (2, 1002));
    let rep = w.server("ServerB").ncs.values().next().unwrap();
    assert_eq!(rep.reps_from["ServerA"].usn, 1002, "Reps-From is set to 1,002");
    let b_copies: Vec<_> = ["Mailbox B", "Mailbox A"].iter().map(|n| obj(w, "ServerB", n).usn_source).collect();
    assert_eq!(b_copies, [1001, 1002]);
}

// ----- Q201414: the restore, Reps-From 1500 vs USN 1002, event 1224 ---------------------------

#[test]
fn the_kb_case_b_holds_1500_for_a_whose_usn_is_1002() {
    let s = play("restore-stall", Some(11));
    let g = &s.world().journal.measurements[0];
    assert_eq!((g.server.as_str(), g.usn, g.gap, g.stalled), ("ServerA", 1002, 498, true));
    assert_eq!(g.partners.len(), 1);
    assert_eq!((g.partners[0].partner.as_str(), g.partners[0].watermark), ("ServerB", 1500));
    let link = &s.world().server("ServerB").ncs.values().next().unwrap().reps_from["ServerA"];
    assert_eq!(link.viewer_string("ServerA"), "0,112,16,1500,22C3A9375FF7D1118FB700C04FB94608,SERVERA");
    assert_eq!(s.world().server("ServerA").invocation_id, "22C3A9375FF7D1118FB700C04FB94608", "Exchange 5.5 keeps the ID");
}

#[test]
fn a_request_above_the_restored_usn_logs_1224_and_sends_nothing() {
    let s = play("restore-stall", Some(13));
    let w = s.world();
    let e = w.journal.events.iter().find(|e| e.id == 1224).expect("event 1224");
    assert_eq!((e.server.as_str(), e.source, e.kind, e.category), ("ServerA", "MSExchangeDS", "error", "Replication"));
    assert!(e.text.starts_with("Fatal replication error"), "{}", e.text);
    assert!(e.text.contains("1500") && e.text.contains("1003"), "{}", e.text);
    let params: Vec<(&str, &str)> = e.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(params, [("highest_usn", "1003"), ("naming_context", "/o=Contoso/ou=Redmond"), ("requested_usn", "1500"), ("requester", "ServerB")]);
    assert!(!messages_of(w, 13).iter().any(|m| m.kind == "response" && m.from == "ServerA"), "nothing was sent");
    let stalled: Vec<_> = messages_of(w, 13).into_iter().filter(|m| m.event == Some(1224)).collect();
    assert_eq!((stalled.len(), stalled[0].kind, stalled[0].from.as_str(), stalled[0].usn), (1, "request", "ServerB", 1500));
    assert!(!has(w, "ServerB", "New Hire"), "A's own change does not replicate out");
    assert_eq!(w.server("ServerB").ncs.values().next().unwrap().reps_from["ServerA"].usn, 1500, "the watermark stays");
}

#[test]
fn the_restored_server_still_receives_changes_each_raising_its_usn_by_one() {
    let s = play("restore-stall", Some(15));
    let w = s.world();
    assert_eq!(obj(w, "ServerA", "Visitor").usn_changed, 1004);
    assert_eq!(w.server("ServerA").usn, 1004);
    let whole = play("restore-stall", None);
    let g = &whole.world().journal.measurements[1];
    assert_eq!((g.probe.as_deref(), g.usn, g.gap), (Some("USN probe"), 1005, 495));
}

#[test]
fn restore_logs_1107_and_forced_expiry_logs_1108() {
    let s = play("restore-stall", Some(9));
    assert_eq!(event_ids(s.world(), "ServerA"), [1107, 1108]);
    let text = &s.world().journal.events[1].text;
    assert!(text.contains("Q160850"), "{text}");
}

// ----- Q201414: AUTHREST 0 1600 -----------------------------------------------------------------

#[test]
fn the_discrepancy_is_1000_before_the_100_mailboxes() {
    let s = play("repairs", Some(15));
    let g = &s.world().journal.measurements[0];
    assert_eq!((g.usn, g.partners[0].watermark, g.gap), (2002, 3002, 1000));
}

#[test]
fn authrest_0_1600_raises_every_usn_by_1600_and_leaves_versions_alone() {
    let before = play("repairs", Some(18));
    let after = play("repairs", Some(19));
    let (wb, wa) = (before.world(), after.world());
    assert_eq!(wb.server("ServerA").usn, 2102, "100 mailboxes after the restore");
    assert_eq!(wa.server("ServerA").usn, 3702, "2,102 + 1,600");
    for name in ["Alice", "Dave", "Erin", "New Hire 1", "New Hire 100"] {
        let (b, a) = (obj(wb, "ServerA", name), obj(wa, "ServerA", name));
        assert_eq!(a.usn_changed, b.usn_changed + 1600, "{name}");
        assert_eq!(a.object_version, b.object_version, "{name}: AUTHREST 0 leaves Object-Version alone");
    }
    assert_eq!(obj(wa, "ServerA", "Alice").usn_changed, 2600);
}

#[test]
fn authrest_is_refused_while_the_directory_runs() {
    let mut sc = lessons::load("repairs").unwrap();
    sc.steps.retain(|st| !matches!(*st.command, usnlab::scenario::Command::Stop { .. }));
    let s = run_scenario(sc);
    let r = s.world().journal.refused.iter().find(|r| r.error == "DS_RUNNING").expect("refused");
    assert_eq!(r.server, "ServerA");
    assert_eq!(s.world().server("ServerA").usn, 2102, "nothing changed");
}

#[test]
fn after_authrest_b_receives_102_objects_and_writes_the_100_new_ones() {
    let s = play("repairs", Some(21));
    let w = s.world();
    let resp: Vec<_> = messages_of(w, 21).into_iter().filter(|m| m.kind == "response" && m.from == "ServerA" && m.objects > 0).collect();
    assert_eq!(resp.len(), 1);
    assert_eq!((resp[0].objects, resp[0].usn), (102, 3702));
    let write = messages_of(w, 21).into_iter().find(|m| m.kind == "write" && m.to == "ServerB" && m.from == "ServerA").unwrap().clone();
    assert_eq!(write.objects, 100);
    assert!((1..=100).all(|i| has(w, "ServerB", &format!("New Hire {i}"))));
    let stalls = |s: &Session| s.world().journal.events.iter().filter(|e| e.id == 1224).count();
    assert!(stalls(&play("repairs", Some(17))) > 0, "the 100 mailboxes stalled");
    assert_eq!(stalls(&s), stalls(&play("repairs", Some(17))), "no 1224 after AUTHREST 0 1600");
    let g = play("repairs", None).world().journal.measurements.last().cloned().unwrap();
    assert_eq!((g.gap, g.stalled), (0, false));
}

#[test]
fn a_large_authrest_causes_a_replication_storm_of_every_object() {
    let s = play("storm", None);
    let w = s.world();
    let step = w.journal.messages.iter().filter(|m| m.step == Some(14)).collect::<Vec<_>>();
    let sent: u64 = step.iter().filter(|m| m.kind == "response" && m.from == "ServerA").map(|m| m.objects).sum();
    assert_eq!(sent, 100, "50 objects to each of B and C");
    let written: u64 = step.iter().filter(|m| m.kind == "write" && m.from == "ServerA").map(|m| m.objects).sum();
    assert_eq!(written, 0, "they already hold every one");
}

#[test]
fn an_authoritative_restore_overwrites_newer_data_elsewhere() {
    let s = play("authoritative", None);
    let n = obj(s.world(), "NewYork01", "Bill Lee");
    assert_eq!((n.attrs["City"].as_str(), n.object_version, n.dsa_signature.as_str()), ("Boston", 101, BOSTON01));
}

#[test]
fn export_import_writes_one_object_n_times() {
    let s = play("import-fix", Some(9));
    let w = s.world();
    let g = &w.journal.measurements[0];
    assert_eq!(g.gap, 299);
    let fixer = obj(w, "ServerA", "USN Fixer");
    assert_eq!(fixer.object_version, 300, "created once, imported 299 times");
    assert_eq!(fixer.usn_changed, g.usn + 299);
    let s = play("import-fix", None);
    assert!(has(s.world(), "ServerB", "New Hire"));
    assert!(!has(s.world(), "ServerB", "USN Fixer"), "at 1,300 it is not above B's watermark");
}

// ----- backsync ---------------------------------------------------------------------------------

#[test]
fn writes_during_backsync_are_refused_with_ds_e_busy() {
    let s = play("backsync-busy", Some(10));
    let r = &s.world().journal.refused[0];
    assert_eq!((r.step, r.server.as_str(), r.error), (Some(10), "ServerA", "DS_E_BUSY"));
    assert!(r.text.starts_with("The directory is busy"));
    assert!(!has(s.world(), "ServerA", "New Hire"));
}

#[test]
fn a_completed_backsync_brings_back_lost_changes_and_leaves_no_stall() {
    let s = play("backsync-busy", None);
    let w = s.world();
    assert_eq!(event_ids(w, "ServerA"), [1107, 1108]);
    assert!(w.journal.events[1].text.contains("every partner has answered"));
    assert!(has(w, "ServerA", "Mailbox C"), "backsync returned what A originated after the backup");
    assert_eq!(obj(w, "ServerA", "New Hire").usn_changed, 1501);
    assert!(has(w, "ServerB", "New Hire"));
    let s = play("backsync-complete", None);
    assert!(!s.world().journal.events.iter().any(|e| e.id == 1224));
    assert!(has(s.world(), "ServerC", "New Hire"));
}

#[test]
fn a_partner_that_is_down_keeps_backsync_waiting_16_hours() {
    let s = play("backsync-partner-down", None);
    let w = s.world();
    let restored_at = w.journal.events.iter().find(|e| e.id == 1107).unwrap().time_s;
    let end = w.journal.events.iter().find(|e| e.id == 1108).unwrap();
    assert_eq!(end.time_s - restored_at, 16 * 3600);
    assert!(end.text.contains("16 hours") && end.text.contains("ServerC"), "{}", end.text);
    assert_eq!(w.journal.refused.iter().filter(|r| r.error == "DS_E_BUSY").count(), 1);
    assert!(has(w, "ServerC", "New Hire"));
}

// ----- Active Directory -------------------------------------------------------------------------

#[test]
fn under_active_directory_the_same_restore_does_not_stall() {
    let s = play("active-directory", Some(11));
    let w = s.world();
    assert!(!w.journal.events.iter().any(|e| e.id == 1224));
    assert_ne!(w.server("ServerA").invocation_id, "22C3A9375FF7D1118FB700C04FB94608", "a new Invocation-ID");
    let sent: Vec<_> = messages_of(w, 11).into_iter().filter(|m| m.kind == "response" && m.from == "ServerA").collect();
    assert_eq!(sent.iter().map(|m| m.objects).sum::<u64>(), 1, "only New Hire: the rest is filtered by the vector");
    assert!(has(w, "ServerB", "New Hire"));
}

#[test]
fn a_rollback_that_keeps_the_id_is_caught_by_2095_and_quarantined() {
    let s = play("active-directory", None);
    let w = s.world();
    let e = w.journal.events.iter().find(|e| e.id == 2095).expect("2095");
    assert_eq!((e.server.as_str(), e.kind), ("ServerA", "error"));
    assert_eq!(w.server("ServerA").state.as_str(), "quarantined");
    assert_eq!(w.journal.refused.last().unwrap().error, "DS_E_UNWILLING_TO_PERFORM");
    let s = play("ad-rollback", None);
    assert!(s.world().journal.events.iter().any(|e| e.id == 2095));
    assert_eq!(s.world().server("ServerA").state.as_str(), "running", "a supported restore lifts the quarantine");
    assert!(has(s.world(), "ServerB", "New Hire"));
}

// ----- between sites: Figures 2, 3 and 4 ---------------------------------------------------------

#[test]
fn directory_mail_takes_figure_3s_route_of_cost_7() {
    let s = play("sites", Some(2));
    let w = s.world();
    let m = w.journal.messages.iter().find(|m| m.kind == "mail" && m.from == "ServerX" && m.to == "ServerA" && m.objects > 0).expect("a reply");
    assert_eq!(m.route.as_deref().unwrap(), ["Site 2", "Site 5", "Site 3", "Site 4", "Site 1"]);
    assert_eq!(m.carries, Some("response"));
}

#[test]
fn what_arrives_by_mail_spreads_inside_the_site_and_sites_learn_transitively() {
    let s = play("sites", Some(2));
    let w = s.world();
    for server in ["ServerA", "ServerB", "ServerC"] {
        assert!(has(w, server, "Yuki Tanaka"), "{server}");
        assert!(has(w, server, "Dana Fox"), "{server} learns of Site 4 with no connector to it");
    }
    let link = w.server("ServerA").ncs.get("/o=Beyond Help/ou=Site 2").unwrap().reps_from["ServerX"].clone();
    assert_eq!(link.flags & 0x80, 0x80, "a mail replica link");
}

#[test]
fn a_redundant_directory_replication_connector_is_refused() {
    let s = play("sites", None);
    let r = s.world().journal.refused.last().unwrap();
    assert_eq!((r.step, r.error), (Some(3), "DRC_REDUNDANT"));
    assert_eq!(s.world().drcs.len(), 3);
}

// ----- conflicts (Q195911) ----------------------------------------------------------------------

#[test]
fn equal_versions_go_to_the_later_change_and_log_1074() {
    let s = play("conflicts", Some(7));
    let w = s.world();
    for server in ["Boston01", "NewYork01"] {
        assert_eq!(obj(w, server, "Ann Ames").attrs["Phone"], "555-0222", "{server}");
    }
    let e = w.journal.events.iter().find(|e| e.id == 1074 && e.server == "Boston01").expect("1074 on Boston01");
    assert!(e.text.contains(BOSTON01) && e.text.contains("were lost"), "{}", e.text);
    assert_eq!(e.kind, "warning");
}

#[test]
fn a_higher_object_version_wins_even_when_older() {
    let s = play("conflicts", Some(14));
    let a = obj(s.world(), "NewYork01", "Ann Ames");
    assert_eq!((a.object_version, a.attrs["Phone"].as_str(), a.attrs["Office"].as_str()), (4, "555-0222", "12/1140"));
}

#[test]
fn a_tie_at_the_same_moment_goes_to_the_higher_invocation_id() {
    let s = play("conflicts", None);
    for server in ["Boston01", "NewYork01"] {
        assert_eq!(obj(s.world(), server, "Ann Ames").attrs["City"], "Boston");
    }
}

// ----- timing and triggers ----------------------------------------------------------------------

const THREE: &str = r#"{ "org": "O", "settings": SETTINGS, "sites": [ { "name": "S", "servers": [
    { "name": "A", "usn": 100 }, { "name": "B", "usn": 200 }, { "name": "C", "usn": 300 } ] } ], "steps": STEPS }"#;

fn three(settings: &str, steps: &str) -> Session {
    play_json(&THREE.replace("SETTINGS", settings).replace("STEPS", steps))
}

#[test]
fn partners_are_notified_after_the_pause_30_seconds_apart_and_writes_in_the_pause_join_one_batch() {
    let s = three("{}", r#"[ { "do": "create", "server": "A", "name": "x" }, { "do": "run", "for_s": 100 },
                          { "do": "create", "server": "A", "name": "y" }, { "do": "run" } ]"#);
    let notes: Vec<_> = s.world().journal.messages.iter().filter(|m| m.kind == "notify" && m.from == "A").map(|m| (m.to.as_str(), m.time_s, m.usn)).collect();
    assert_eq!(notes, [("B", 300, 102), ("C", 330, 102)], "one batch carries both writes");
    let s = three(r#"{ "notify_pause_s": 60, "notify_stagger_s": 5 }"#, r#"[ { "do": "create", "server": "A", "name": "x" }, { "do": "run" } ]"#);
    let times: Vec<_> = s.world().journal.messages.iter().filter(|m| m.kind == "notify" && m.from == "A").map(|m| m.time_s).collect();
    assert_eq!(times, [60, 65]);
}

#[test]
fn a_stopped_server_catches_up_by_init_sync_when_it_starts() {
    let s = three("{}", r#"[ { "do": "stop", "server": "B" }, { "do": "create", "server": "A", "name": "x" }, { "do": "run" },
                          { "do": "start", "server": "B" }, { "do": "run" } ]"#);
    let w = s.world();
    assert!(w.journal.messages.iter().any(|m| m.kind == "notify" && m.to == "B" && m.failed.as_deref() == Some("B's directory service is stopped")));
    let init: Vec<_> = messages_of(w, 4).into_iter().filter(|m| m.kind == "request" && m.from == "B").collect();
    assert_eq!(init[0].trigger, Some("init"));
    assert!(has(w, "B", "x"));
}

#[test]
fn a_request_across_a_cut_path_fails_and_is_tried_again_at_the_next_periodic_sync() {
    let s = three(r#"{ "periodic_sync_s": 3600 }"#, r#"[ { "do": "link", "between": ["A", "B"], "up": false }, { "do": "create", "server": "A", "name": "x" },
                          { "do": "run" }, { "do": "link", "between": ["A", "B"], "up": true }, { "do": "run" } ]"#);
    let w = s.world();
    assert!(w.journal.messages.iter().any(|m| m.to == "B" && m.failed.as_deref() == Some("the path between A and B is cut")));
    let retry = messages_of(w, 4).into_iter().find(|m| m.kind == "request" && m.from == "B").expect("a retry");
    assert_eq!((retry.trigger, retry.time_s), (Some("periodic"), 3600));
    assert!(has(w, "B", "x"));
    assert!(w.quiet());
}

#[test]
fn changes_relayed_through_a_third_server_reach_a_cut_off_one() {
    let s = three("{}", r#"[ { "do": "link", "between": ["A", "B"], "up": false }, { "do": "create", "server": "A", "name": "x" }, { "do": "run" } ]"#);
    let x = obj(s.world(), "B", "x");
    assert_eq!(x.dsa_signature, s.world().server("A").invocation_id);
    let c_usn = obj(s.world(), "C", "x").usn_changed;
    assert_eq!(x.usn_source, c_usn, "B got it from C: USN-Source is C's USN-Changed");
}

#[test]
fn update_now_asks_from_the_watermark_and_refresh_all_from_zero() {
    let s = three("{}", r#"[ { "do": "create", "server": "A", "name": "x" }, { "do": "run" },
                          { "do": "update_now", "server": "B", "from": "A" }, { "do": "run" },
                          { "do": "update_now", "server": "B", "from": "A", "refresh_all": true }, { "do": "run" } ]"#);
    let w = s.world();
    let asked: Vec<_> = [3, 5].iter().map(|&i| messages_of(w, i).into_iter().find(|m| m.kind == "request").map(|m| (m.usn, m.trigger)).unwrap()).collect();
    assert_eq!(asked, [(101, Some("update_now")), (0, Some("refresh_all"))]);
    let resend = messages_of(w, 5).into_iter().find(|m| m.kind == "response").unwrap();
    assert_eq!(resend.objects, 1, "Refresh All Items sends every object again");
}

#[test]
fn a_delete_leaves_a_tombstone_that_replicates() {
    let s = three("{}", r#"[ { "do": "create", "server": "A", "name": "x" }, { "do": "run" }, { "do": "delete", "server": "B", "name": "x" }, { "do": "run" } ]"#);
    for server in ["A", "B", "C"] {
        let x = obj(s.world(), server, "x");
        assert!(x.deleted && x.object_version == 2, "{server}");
    }
}

// ----- the scenario contract and the runner -----------------------------------------------------

#[test]
fn a_scenario_that_cannot_be_understood_names_the_step_and_the_problem() {
    let bad = |steps: &str| Scenario::from_json(&THREE.replace("SETTINGS", "{}").replace("STEPS", steps)).unwrap_err().to_string();
    assert_eq!(bad(r#"[ { "do": "run" }, { "do": "create", "server": "D", "name": "x" } ]"#), "step 1: unknown server \"D\" (the servers are A, B, C)");
    assert!(bad(r#"[ { "do": "crate", "server": "A" } ]"#).starts_with("step 0: unknown action \"crate\""));
    assert!(bad(r#"[ { "do": "create", "server": "A" } ]"#).starts_with("step 0: give the mailbox's \"name\""));
    assert_eq!(bad(r#"[ { "do": "restore", "server": "A", "label": "monday" } ]"#), "step 0: A has no backup labelled \"monday\" made by an earlier step");
    assert!(bad(r#"[ { "do": "create", "sever": "A", "name": "x" } ]"#).contains("unknown field \"sever\""));
    let json = Scenario::from_json("{ \"sites\": [ }").unwrap_err().to_string();
    assert!(json.starts_with("this is not valid JSON (line 1, column"), "{json}");
    assert!(Scenario::from_json("[]").unwrap_err().to_string().contains("JSON object"));
}

#[test]
fn refused_steps_are_recorded_and_the_run_goes_on() {
    let s = three("{}", r#"[ { "do": "authrest", "server": "A", "objver": 0, "usn": 10 }, { "do": "modify", "server": "A", "name": "nobody" },
                          { "do": "create", "server": "A", "name": "x" }, { "do": "run" } ]"#);
    let errors: Vec<_> = s.world().journal.refused.iter().map(|r| (r.step, r.error)).collect();
    assert_eq!(errors, [(Some(0), "DS_RUNNING"), (Some(1), "DS_E_NO_SUCH_OBJECT")]);
    assert!(has(s.world(), "C", "x"));
}

#[test]
fn the_runner_prints_identical_json_twice_and_exits_2_on_a_bad_scenario() {
    let run = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_usnlab")).args(args).output().unwrap();
    let (a, b) = (run(&["run", "restore-stall", "--json"]), run(&["run", "restore-stall", "--json"]));
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let doc: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(doc["servers"]["ServerA"]["usn"], 1005);
    assert_eq!(doc["events"].as_array().unwrap().iter().filter(|e| e["id"] == 1224).count(), 2);
    let dir = std::env::temp_dir().join(format!("usnlab-bad-{}.json", std::process::id()));
    std::fs::write(&dir, r#"{ "sites": [ { "name": "S", "servers": [ { "name": "A" } ] } ], "steps": [ { "do": "stop", "server": "Z" } ] }"#).unwrap();
    let bad = run(&["run", dir.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("step 0: unknown server \"Z\""));
    let gap = run(&["gap", "restore-stall", "ServerA"]);
    assert!(String::from_utf8_lossy(&gap.stdout).contains("ServerB holds 1500 for it"));
    let text = String::from_utf8_lossy(&run(&["run", "restore-stall"]).stdout).to_string();
    assert!(text.contains("! ServerA event 1224 (error, Replication): Fatal replication error"), "the transcript tells the story");
}

/// The runner streams its report through the terminal guard (src/excerpt.rs `Terminal`): UTF-8
/// throughout, a bidi override escaped, and the document the one made whole.
#[test]
fn the_runners_streamed_report_is_the_whole_one_with_hazards_escaped() {
    let doc = serde_json::json!({
        "title": "Zoë \u{202e}😀",
        "sites": [ { "name": "S", "servers": [ { "name": "A" }, { "name": "B" } ] } ],
        "steps": [ { "do": "create", "server": "A", "name": "Zoë 😀 Ünal", "count": 300 }, { "do": "run" } ]
    });
    let path = std::env::temp_dir().join(format!("usnlab-streamed-{}.json", std::process::id()));
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usnlab")).args(["run", path.to_str().unwrap(), "--json"]).output().unwrap();
    std::fs::remove_file(&path).ok();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("whole characters");
    assert!(!text.contains('\u{202e}') && text.contains("\\u202e"));
    let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sc = Scenario::from_value(doc).unwrap();
    assert_eq!(printed, usnlab::report::report_json(&run_scenario(sc)));
}

#[test]
fn the_page_lesson_index_matches_the_built_in_scenarios() {
    let index: serde_json::Value = serde_json::from_str(include_str!("../www/scenarios/index.json")).unwrap();
    assert_eq!(index, serde_json::to_value(lessons::catalogue()).unwrap(), "run `usnlab index > www/scenarios/index.json`");
    assert_eq!(lessons::catalogue().len(), lessons::BUILTINS.len(), "every built-in scenario parses");
}

#[test]
fn seeking_back_and_branching_replays_the_same_world() {
    let sc = lessons::load("bill-lee").unwrap();
    let mut s = Session::new(sc.clone());
    let reports: Vec<_> = (0..6).map(|_| s.advance().unwrap()).collect();
    s.seek(2).unwrap();
    assert_eq!(s.advance().unwrap(), reports[2], "replay from a checkpoint gives the same step");
    assert_eq!(s.actions().len(), 3, "the old future was dropped");
    let replayed = Session::replay(sc, s.actions().to_vec(), 3).unwrap();
    let look = usnlab::frame::Look::default();
    assert_eq!(usnlab::frame::frame(&replayed, &look), usnlab::frame::frame(&s, &look));
}

#[test]
fn a_restore_that_drops_a_partners_first_notification_still_goes_quiet() {
    // Found by the property tests: the partner's batch must end with its dropped notification.
    let s = play_json(r#"{ "org": "O", "sites": [ { "name": "S", "servers": [ { "name": "S0", "usn": 2758 }, { "name": "S1", "usn": 234 } ] } ],
        "steps": [ { "do": "backup", "server": "S0", "label": "L1" }, { "do": "create", "server": "S1", "name": "M3" },
                   { "do": "restore", "server": "S0", "label": "L1" }, { "do": "run" } ] }"#);
    assert!(s.world().quiet());
    assert!(has(s.world(), "S0", "M3"), "the restored server's Init sync still brings M3");
}

#[test]
fn every_built_in_scenario_narrates_every_step_and_lessons_ask_questions() {
    for b in lessons::BUILTINS {
        let sc = lessons::load(b.id).unwrap();
        let silent: Vec<usize> = sc.steps.iter().enumerate().filter(|(_, s)| s.narration.is_none()).map(|(i, _)| i).collect();
        assert!(silent.is_empty(), "{}: steps {silent:?} have no narration", b.id);
        assert!(!b.lesson || sc.steps.iter().any(|s| s.question.is_some()), "{} asks no question", b.id);
    }
}

#[test]
fn the_readme_scenario_example_runs_as_written() {
    let readme = include_str!("../README.md");
    let from = readme.find("## Writing a scenario").expect("the section");
    let block = &readme[from..];
    let start = block.find("```json\n").expect("a json block") + 8;
    let end = start + block[start..].find("```").expect("its end");
    let s = play_json(&block[start..end]);
    assert_eq!(usns(obj(s.world(), "NewYork01", "Bill Lee")), (1157, 1158, 1946));
    assert_eq!(s.world().journal.refused.len(), 0);
}

#[test]
fn seeking_to_a_messages_action_shows_that_message_last() {
    let mut s = Session::new(lessons::load("bill-lee").unwrap());
    while s.advance().is_some() {}
    let messages = s.world().journal.messages.clone();
    for m in messages.iter().step_by(3) {
        s.seek(m.action).unwrap();
        let shown = s.world().journal.messages.last().unwrap();
        assert_eq!((shown.index, shown.text.as_str()), (m.index, m.text.as_str()));
    }
}
