//! Any bytes as a scenario file: refused in words or read, and what is read plays under the work
//! budget, without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use usnlab::scenario::Scenario;
use usnlab::session::Session;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sc) = Scenario::from_json(text) else { return };
    let mut s = Session::new(sc);
    for _ in 0..200 {
        if s.advance().is_none() {
            break;
        }
    }
});
