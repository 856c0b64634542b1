//! A lesson's questions as a learner meets them: whenever the frame asks a question, the session
//! takes its answer at that very playhead (a question right after a `run` included), and a
//! lesson's end is reached without an extra Step.
use usnlab::frame::{frame, Look};
use usnlab::scenario::builtins::{self as lessons, BUILTINS};
use usnlab::session::{Session, Stepped};

/// Plays lesson `id` as a learner who answers every question with its first choice; returns
/// the steps whose questions were asked.
fn play(id: &str) -> Vec<usize> {
    let mut s = Session::new(lessons::load(id).expect("a built-in reads"));
    let look = Look::default();
    let mut asked = Vec::new();
    for _ in 0..100_000 {
        if let Some(q) = frame(&s, &look).question {
            let step = q.step;
            assert_eq!(s.pending_question(), Some(step), "{id}: the frame asks step {step}'s question, so the session waits for it");
            let choice = q.choices[0].to_string();
            assert_eq!(s.answer(&choice), Ok(step), "{id}: the answer to step {step}'s question is taken where it is asked");
            asked.push(step);
        }
        match s.forward() {
            Stepped::Finished => {
                assert!(s.script_done(), "{id}: finished means the script is done");
                return asked;
            }
            Stepped::Question(i) => panic!("{id}: Step stopped at step {i}'s question, which the frame did not ask"),
            Stepped::Moved(_) => {}
        }
    }
    panic!("{id}: the lesson did not finish");
}

#[test]
fn every_question_of_every_lesson_is_answered_where_it_is_asked() {
    for b in BUILTINS.iter().filter(|b| b.lesson) {
        let sc = lessons::load(b.id).unwrap();
        let want: Vec<usize> = sc.steps.iter().enumerate().filter(|(_, st)| st.question.is_some() && !st.learner).map(|(i, _)| i).collect();
        assert_eq!(play(b.id), want, "{}: every question asked once, in order", b.id);
    }
}

#[test]
fn a_lesson_that_ends_with_a_run_is_done_at_its_last_event() {
    let mut s = Session::new(lessons::load("hot-potato").unwrap());
    while !s.script_done() {
        if let Some(i) = s.pending_question() {
            let c = s.scenario.steps[i].question.as_ref().unwrap().choices[0].clone();
            s.answer(&c).unwrap();
        }
        assert!(!matches!(s.forward(), Stepped::Finished), "the script is done before Step says finished");
    }
    assert!(s.running_step().is_none());
}
