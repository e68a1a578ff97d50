//! Browser entry point: install the panic screen, then mount the app. Nothing else lives here.

#[cfg(target_arch = "wasm32")]
fn main() {
    gentutor_web::panic::install();
    leptos::mount::mount_to_body(gentutor::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gentutor runs in the browser: use `make serve` (see README.md).");
}
