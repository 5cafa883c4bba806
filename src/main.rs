//! The page's entry point: Trunk builds this binary to wasm and loads it from `index.html`.

use kafka_playground::{App, Opening};
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // Leptos sets up its executor when it mounts: until then, the browser's.
    wasm_bindgen_futures::spawn_local(async {
        // A share link's scenario is read before the page is drawn.
        let opening = Opening::from_address().await;
        // The still picture index.html shows until now.
        if let Some(p) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("placeholder"))
        {
            p.remove();
        }
        leptos::mount::mount_to_body(move || view! { <App opening/> });
    });
}
