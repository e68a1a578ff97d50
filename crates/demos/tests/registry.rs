//! Natively: the demo registry's block options (in `gentutor_content::registry`, which cannot
//! depend on the models) accept exactly the names and ranges the models and components accept,
//! so a preset added to a model, or renamed, fails here until the registry line follows.

use gentutor_content::registry::{demo, OptionKind};
use gentutor_models::datasets2d::BUILTIN_NAMES;
use gentutor_models::density_ratio::Scoring;
use gentutor_models::diffusion::config::LossKind as DiffusionLoss;
use gentutor_models::diffusion::ScheduleKind;
use gentutor_models::divergences::FAMILIES;
use gentutor_models::gan1d::{LossKind as GanLoss, Preset, MODES};

fn one_of(demo_name: &str, key: &str) -> Vec<&'static str> {
    let spec = demo(demo_name).unwrap_or_else(|| panic!("demo `{demo_name}` is registered"));
    match spec.options.iter().find(|o| o.key == key).map(|o| o.kind) {
        Some(OptionKind::OneOf(values)) => values.to_vec(),
        other => panic!("`{demo_name}` option `{key}` should be a list of names, is {other:?}"),
    }
}

fn int(demo_name: &str, key: &str) -> (i64, i64) {
    let spec = demo(demo_name).unwrap_or_else(|| panic!("demo `{demo_name}` is registered"));
    match spec.options.iter().find(|o| o.key == key).map(|o| o.kind) {
        Some(OptionKind::Int { min, max }) => (min, max),
        other => panic!("`{demo_name}` option `{key}` should be a whole number, is {other:?}"),
    }
}

#[test]
fn gan_options_are_the_models_presets_losses_and_mode_range() {
    let presets: Vec<&str> = Preset::all().into_iter().map(Preset::name).collect();
    assert_eq!(one_of("gan1d", "preset"), presets);
    let losses: Vec<&str> = GanLoss::ALL.into_iter().map(GanLoss::name).collect();
    assert_eq!(one_of("gan1d", "loss"), losses);
    assert_eq!(
        int("gan1d", "modes"),
        (*MODES.start() as i64, *MODES.end() as i64)
    );
}

#[test]
fn flow_and_diffusion_options_are_the_models_names() {
    assert_eq!(one_of("flow2d", "dataset"), BUILTIN_NAMES.to_vec());
    let schedules: Vec<&str> = ScheduleKind::ALL
        .into_iter()
        .map(ScheduleKind::name)
        .collect();
    assert_eq!(one_of("diffusion-forward", "schedule"), schedules);
    let losses: Vec<&str> = DiffusionLoss::ALL
        .into_iter()
        .map(DiffusionLoss::name)
        .collect();
    assert_eq!(one_of("diffusion-reverse", "loss"), losses);
}

#[test]
fn divergence_families_are_the_models_names() {
    assert_eq!(one_of("divergences", "family"), FAMILIES.to_vec());
}

#[test]
fn density_ratio_losses_are_the_models_scoring_rules() {
    let names: Vec<&str> = Scoring::ALL.into_iter().map(Scoring::name).collect();
    assert_eq!(one_of("density-ratio", "loss"), names);
}

#[test]
fn vae_decoders_are_the_models_names() {
    use gentutor_models::vae::config::DecoderKind;
    let names: Vec<&str> = [DecoderKind::Bernoulli, DecoderKind::Gaussian]
        .into_iter()
        .map(DecoderKind::name)
        .collect();
    assert_eq!(one_of("vae", "decoder"), names);
}

#[test]
fn digits_gan_presets_are_the_models_names() {
    use gentutor_models::digits_gan::config::Preset;
    let names: Vec<&str> = Preset::ALL.into_iter().map(Preset::name).collect();
    assert_eq!(one_of("digits-gan", "preset"), names);
    assert_eq!(one_of("digits-gan", "start"), vec!["checkpoint", "scratch"]);
}

#[test]
fn adversarial_options_are_the_models_ranges() {
    use gentutor_models::adversarial::{EPS_MAX, GREY_STEP};
    use gentutor_models::digits::Digits;
    assert_eq!(
        int("adversarial", "levels"),
        (0, (EPS_MAX / GREY_STEP).round() as i64)
    );
    assert_eq!(int("adversarial", "target"), (0, 9));
    let held_out = Digits::parse(include_bytes!("../../../assets/data/digits-8x8.bin"))
        .expect("shipped digits")
        .standard_split()
        .test
        .len();
    assert_eq!(int("adversarial", "image"), (0, held_out as i64 - 1));
}

#[test]
fn ssgan_options_are_the_models_names_and_ranges() {
    use gentutor_models::ssgan::config::LABELS;
    use gentutor_models::ssgan::LabelledSet;
    let names: Vec<&str> = LabelledSet::ALL
        .into_iter()
        .map(LabelledSet::name)
        .collect();
    assert_eq!(one_of("ssgan", "data"), names);
    assert_eq!(
        int("ssgan", "labels"),
        (*LABELS.start() as i64, *LABELS.end() as i64)
    );
}
