//! Every built-in scenario's transcript and JSON report, kept byte for byte in `tests/golden/`.
//! A refactor must leave them as they are; a change of behaviour regenerates them on purpose
//! (`USNLAB_BLESS=1 cargo test --test golden`) and the diff shows what the learner now sees.
use usnlab::scenario::builtins as lessons;
use usnlab::{report, session};

fn check(path: &str, actual: &str, problems: &mut Vec<String>) {
    if std::env::var_os("USNLAB_BLESS").is_some() {
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => {
            let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).map_or(expected.lines().count().min(actual.lines().count()), |i| i) + 1;
            problems.push(format!("{path}: differs from line {line}"));
        }
        Err(e) => problems.push(format!("{path}: {e} (run with USNLAB_BLESS=1 to write it)")),
    }
}

#[test]
fn every_builtin_transcript_and_report_is_unchanged() {
    let mut problems = Vec::new();
    for b in lessons::BUILTINS {
        let sc = lessons::load(b.id).expect("built-in scenarios load");
        check(&format!("tests/golden/{}.txt", b.id), &report::transcript(&sc), &mut problems);
        let s = session::run_scenario(sc);
        // As the runner writes it, streamed; the same text as the report made whole.
        let mut json = Vec::new();
        report::write_report(&s, &mut json).expect("plain JSON");
        let json = String::from_utf8(json).expect("UTF-8");
        assert_eq!(json, serde_json::to_string_pretty(&report::report_json(&s)).expect("plain JSON"), "{}", b.id);
        check(&format!("tests/golden/{}.json", b.id), &(json + "\n"), &mut problems);
    }
    assert!(problems.is_empty(), "golden files differ:\n{}", problems.join("\n"));
}
