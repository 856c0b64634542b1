//! Any bytes as a learner's command (JSON) on a built-in scenario: parsed, checked and carried
//! out, or refused in words, without a panic; then replayed as a link's history.
#![no_main]
use libfuzzer_sys::fuzz_target;
use usnlab::scenario::builtins::BUILTINS;
use usnlab::scenario::{parse_command, Scenario};
use usnlab::session::{Action, Session};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return };
    let sc = Scenario::from_json(BUILTINS[pick as usize % BUILTINS.len()].json).expect("built-ins are read");
    let Ok(cmd) = parse_command(v) else { return };
    if sc.known_after_script().check_live(&cmd).is_err() {
        return;
    }
    let mut s = Session::new(sc.clone());
    s.act(cmd.clone());
    for _ in 0..50 {
        if s.advance().is_none() {
            break;
        }
    }
    let _ = Session::replay(sc, vec![Action::Advance, Action::Act { cmd: cmd.into() }, Action::Advance], 2);
});
