//! The few browser services the page uses beyond Leptos: the location's fragment, the
//! clipboard, downloading a file, reading a chosen file and media preferences. Failures
//! are reported as values, never panics.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The location's fragment (`#scenario=...`), if any.
pub fn fragment() -> Option<String> {
    window()?.location().hash().ok().filter(|h| !h.is_empty())
}

/// The location's query (`?embed&speed=2`) as decoded `(name, value)` pairs.
pub fn query_pairs() -> Vec<(String, String)> {
    let search = window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    js_sys::try_iter(&params)
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.ok()?.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The full page's address (this page without its query) with `fragment`.
pub fn full_page_url(fragment: &str) -> String {
    let Some(loc) = window().map(|w| w.location()) else {
        return String::from(fragment);
    };
    let mut url = loc.origin().unwrap_or_default();
    url.push_str(&loc.pathname().unwrap_or_default());
    url.push_str(fragment);
    url
}

/// Sets an attribute of the document's root element (`data-theme`), or removes it.
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Says `text` once in the browser's console, as a warning.
pub fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(text));
}

/// Puts `fragment` into the address bar without reloading or adding a history entry;
/// returns the whole URL.
pub fn replace_fragment(fragment: &str) -> Option<String> {
    let w = window()?;
    let mut url = address_without_fragment();
    url.push_str(fragment);
    w.history()
        .ok()?
        .replace_state_with_url(&JsValue::NULL, "", Some(&url))
        .ok()?;
    Some(url)
}

/// The page's address up to its fragment (origin, path and query).
pub fn address_without_fragment() -> String {
    let Some(loc) = window().map(|w| w.location()) else {
        return String::new();
    };
    let mut url = loc.origin().unwrap_or_default();
    url.push_str(&loc.pathname().unwrap_or_default());
    url.push_str(&loc.search().unwrap_or_default());
    url
}

/// Copies `text` to the clipboard; `done(true)` once it is there.
pub fn copy_text(text: String, done: impl FnOnce(bool) + 'static) {
    let Some(w) = window() else {
        done(false);
        return;
    };
    let promise = w.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        done(ok);
    });
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> bool {
    let go = || -> Option<()> {
        let w = window()?;
        let doc = w.document()?;
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        web_sys::Url::revoke_object_url(&url).ok()?;
        Some(())
    };
    go().is_some()
}

/// Reads the first file chosen in `input` as text.
pub fn read_chosen_file(
    input: &web_sys::HtmlInputElement,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let Ok(reader) = web_sys::FileReader::new() else {
        done(Err("this browser cannot read files".into()));
        return;
    };
    let r = reader.clone();
    let onload = Closure::once_into_js(move || {
        let text = r.result().ok().and_then(|v| v.as_string());
        done(text.ok_or_else(|| "the file could not be read as text".into()));
    });
    reader.set_onloadend(Some(onload.unchecked_ref()));
    if reader.read_as_text(&file).is_err() {
        reader.set_onloadend(None);
    }
}

/// The system's motion preference, as a query that tells when it changes.
pub fn reduced_motion_query() -> Option<web_sys::MediaQueryList> {
    window()?
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
}

/// Whether the user asked the system for less motion.
pub fn prefers_reduced_motion() -> bool {
    reduced_motion_query().is_some_and(|m| m.matches())
}
