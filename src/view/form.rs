//! Form helpers: errors shown beside the field they concern (`role="alert"`, referenced by
//! the field's `aria-describedby`), with the engine's own words.

use leptos::prelude::*;

/// The errors of one form, by field.
#[derive(Clone, Copy, Debug)]
pub struct FormErrors(RwSignal<Vec<(&'static str, String)>>);

impl FormErrors {
    /// No errors.
    pub fn new() -> FormErrors {
        FormErrors(RwSignal::new(Vec::new()))
    }

    /// Forgets every error.
    pub fn clear(&self) {
        if self.0.with_untracked(|v| !v.is_empty()) {
            self.0.set(Vec::new());
        }
    }

    /// Sets the error of `field` (`""` for the form as a whole).
    pub fn set(&self, field: &'static str, message: impl Into<String>) {
        let message = message.into();
        self.0.update(|v| {
            v.retain(|(f, _)| *f != field);
            v.push((field, message));
        });
    }

    /// The error of `field` (tracked).
    pub fn get(&self, field: &'static str) -> Option<String> {
        self.0
            .with(|v| v.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()))
    }

    /// Whether `field` has an error (tracked).
    pub fn has(&self, field: &'static str) -> bool {
        self.0.with(|v| v.iter().any(|(f, _)| *f == field))
    }
}

impl Default for FormErrors {
    fn default() -> Self {
        FormErrors::new()
    }
}

/// What an input takes: free text, or a whole number no smaller than `min`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Text.
    Text,
    /// A whole number (a number keypad on phones).
    Number {
        /// The smallest value the browser's spinner offers.
        min: &'static str,
    },
}

/// A labelled input bound to `value`, whose error (`errors` under `key`) shows beside it
/// and is announced with it (`aria-describedby`).
pub fn labelled_input(
    errors: FormErrors,
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    key: &'static str,
    input: Input,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let min = match input {
        Input::Number { min } => Some(min),
        Input::Text => None,
    };
    view! {
        <div class="field" class:invalid=move || errors.has(key)>
            <label for=id>{label}</label>
            <input
                id=id
                type=if min.is_some() { "number" } else { "text" }
                min=min
                inputmode=min.map(|_| "numeric")
                autocomplete="off"
                spellcheck="false"
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
                aria-invalid=move || if errors.has(key) { "true" } else { "false" }
                aria-describedby=err_id.clone()
            />
            <ErrorFor errors field=key id=err_id/>
        </div>
    }
}

/// The error of `field`, if any, as an alert with the id the field refers to.
#[component]
pub fn ErrorFor(
    errors: FormErrors,
    field: &'static str,
    #[prop(into)] id: String,
) -> impl IntoView {
    move || {
        errors.get(field).map(|message| {
            view! {
                <p class="field-error" id=id.clone() role="alert">
                    <span aria-hidden="true">"⚠ "</span>
                    {message}
                </p>
            }
        })
    }
}

/// Parses a whole number typed in a field, or says why not.
pub fn whole_number(text: &str, what: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("{what}: enter a number"));
    }
    t.parse::<u64>()
        .map_err(|_| format!("{what}: '{t}' is not a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_whole_or_refused_with_a_reason() {
        assert_eq!(whole_number(" 3 ", "Partitions"), Ok(3));
        assert!(whole_number("", "Partitions").is_err());
        assert!(
            whole_number("2.5", "Partitions")
                .err()
                .is_some_and(|e| e.contains("not a whole number"))
        );
    }
}
