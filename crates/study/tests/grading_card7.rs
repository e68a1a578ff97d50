//! Card 7 (normalizing flows): a flow's map is a diffeomorphism, so its inverse must be
//! differentiable too. u -> u^3 is a smooth bijection whose inverse is not differentiable at 0,
//! so "a bijection" (or a Gaussian base) must not earn the diffeomorphism key point, and an
//! answer resting on it must not be graded correct (issue 16).

mod common;

use gentutor_study::grading::{grade_answer, Verdict};

fn card7() -> gentutor_content::cards::Card {
    common::deck()
        .into_iter()
        .find(|c| c.id == 7)
        .expect("card 7 in the deck")
}

#[test]
fn a_bijection_alone_is_not_a_correct_flow_answer() {
    let card = card7();
    for answer in [
        "a bijection",
        "A flow is a bijection.",
        "A bijection of a base Gaussian",
        "an invertible and differentiable map of a base gaussian",
        "A bijection of a base Gaussian, which gives the exact likelihood.",
    ] {
        let g = grade_answer(&card, answer);
        assert_ne!(g.verdict, Verdict::Correct, "{answer:?} graded {g:?}");
        assert!(
            !g.found.contains(&0),
            "{answer:?} earned the diffeomorphism point: {g:?}"
        );
    }
}

#[test]
fn a_diffeomorphism_earns_the_point_a_bijection_does_not() {
    let card = card7();
    let with = |map: &str| {
        format!(
            "A flow maps a base variable of the same dimension through {map}; the change of \
             variables with the Jacobian determinant gives the exact log-likelihood, trained by \
             maximum likelihood, while a GAN gives no density."
        )
    };
    let right = grade_answer(&card, &with("a diffeomorphism"));
    assert!(right.found.contains(&0), "{right:?}");
    assert_eq!(right.verdict, Verdict::Correct, "{right:?}");
    let wrong = grade_answer(&card, &with("a bijection"));
    assert!(!wrong.found.contains(&0), "{wrong:?}");
}
