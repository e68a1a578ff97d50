//! Browser entry point: install the panic screen, mount the app, register the service worker
//! (offline copy). Nothing else lives here.

#[cfg(target_arch = "wasm32")]
fn main() {
    gentutor_web::panic::install();
    leptos::mount::mount_to_body(gentutor::ui::App);
    gentutor_web::service_worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gentutor runs in the browser: use `make serve` (see README.md).");
}
