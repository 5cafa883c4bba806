//! The page's entry point: Trunk builds this binary to wasm and loads it from `index.html`.

fn main() {
    console_error_panic_hook::set_once();
    // The still picture index.html shows until now.
    if let Some(p) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("placeholder"))
    {
        p.remove();
    }
    leptos::mount::mount_to_body(kafka_playground::App);
}
