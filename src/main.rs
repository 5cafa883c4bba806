//! The page's entry point: Trunk builds this binary to wasm and loads it from `index.html`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kafka_playground::App);
}
