//! Fetching a file that lies beside the page (a lesson, a preset), as text.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn js_error(e: wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the request failed".into())
}

/// The text of `url` (relative to the page), or why not.
pub async fn text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{url}: {}", js_error(e)))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{url}: not a response"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let body = response
        .text()
        .map_err(|e| format!("{url}: {}", js_error(e)))?;
    JsFuture::from(body)
        .await
        .map_err(|e| format!("{url}: {}", js_error(e)))?
        .as_string()
        .ok_or_else(|| format!("{url}: not text"))
}
