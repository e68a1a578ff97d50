//! Spoken forms of the formulas the cards use, and what cannot be spoken.

use super::*;

fn l(tex: &str) -> String {
    speak_latex(tex).unwrap_or_else(|e| panic!("{tex}: {e}"))
}

#[test]
fn the_issue_examples_read_as_asked() {
    assert_eq!(l("x_{t-1}"), "x sub t minus one");
    assert_eq!(l(r"\bar{\alpha}_t"), "alpha bar t");
    assert_eq!(
        l(r"\sqrt{1-\bar{\alpha}_t}"),
        "the square root of one minus alpha bar t"
    );
}

#[test]
fn scripts_fractions_and_operators() {
    assert_eq!(l("x_0"), "x zero");
    assert_eq!(l("x_t"), "x sub t");
    assert_eq!(l(r"\sigma_t^2"), "sigma t squared");
    assert_eq!(l(r"p^*(x)"), "p star of x");
    assert_eq!(l(r"\frac{1}{2}"), "one half");
    assert_eq!(l(r"\frac{a}{b}"), "a over b");
    assert_eq!(
        l(r"q(x_t \mid x_{t-1})"),
        "q of x sub t given x sub t minus one"
    );
    assert_eq!(
        l(r"\mathbb{E}_{x\sim p^*}[\log D(x)]"),
        "the expectation over x drawn from p star of log D of x"
    );
    assert_eq!(
        l(r"\sum_{i=1}^{n} x_i"),
        "the sum from i equals one to n of x sub i"
    );
    assert_eq!(
        l(r"\min_{G} {\max_{D}} V(D, G)"),
        "the minimum over G of the maximum over D of V of D, G"
    );
    assert_eq!(l(r"\mathcal{N}(0, I)"), "N of zero, I");
    assert_eq!(l(r"L_{\text{simple}}"), "L sub simple");
    assert_eq!(l(r"\epsilon_\theta(x_t, t)"), "epsilon theta of x sub t, t");
    assert_eq!(
        l(r"2\,\mathrm{JSD}(p^* \| q_\theta) - \log 4"),
        "two JSD of p star norm q theta minus log four"
    );
    assert_eq!(l(r"\tilde{\mu}_t"), "mu tilde t");
}

#[test]
fn prose_with_ascii_maths() {
    let p = |s: &str| speak_prose(s).expect("speaks");
    assert_eq!(
        p("mean is sqrt(1 - beta_t) times x_{t-1}"),
        "mean is the square root of one minus beta t, times x sub t minus one"
    );
    assert_eq!(
        p("beta_t is the variance of the added noise"),
        "beta t is the variance of the added noise"
    );
    assert_eq!(p("u-net predicts epsilon"), "u-net predicts epsilon");
    assert_eq!(
        p("optimum q = p*, D = 1/2, V = -log 4"),
        "optimum q equals p star, D equals one over two, V equals minus log four"
    );
    assert_eq!(
        p("1-Lipschitz class gives Wasserstein-1, e.g. x_{t-1}; Bayes' rule, 99.3 %"),
        "one Lipschitz class gives Wasserstein one, for example x sub t minus one; Bayes rule, 99.3 percent"
    );
    assert_eq!(
        p("image spectra fall as 1/f^2"),
        "image spectra fall as one over f squared"
    );
}

#[test]
fn markdown_mixes_prose_and_maths() {
    assert_eq!(
        speak_markdown(
            r"Why predict the noise $\epsilon$ instead of **the mean** $\tilde{\mu}_t$?"
        )
        .expect("speaks"),
        "Why predict the noise epsilon instead of the mean mu tilde t?"
    );
}

#[test]
fn unknown_commands_and_broken_maths_have_no_spoken_form() {
    assert!(speak_latex(r"\notacommand{x}")
        .unwrap_err()
        .contains("notacommand"));
    assert!(speak_latex(r"\frac{1}{2").is_err());
    assert!(speak_markdown("an $unclosed formula").is_err());
}
