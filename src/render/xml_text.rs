//! Text made safe to place in XML 1.0. The characters XML 1.0 forbids (control characters
//! other than tab, line feed and carriage return, and U+FFFE, U+FFFF) cannot be written even as
//! character references, so a report holding one would not parse at all; they are written as
//! visible escapes instead, `\u{1b}` for ESC.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with each character XML 1.0 forbids written as `\u{..}`.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(forbidden) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if forbidden(character) {
            write!(safe, "\\u{{{:x}}}", u32::from(character)).expect("writing to a String");
        } else {
            safe.push(character);
        }
    }
    Cow::Owned(safe)
}

/// Whether XML 1.0's `Char` production leaves `character` out (surrogates cannot occur in a
/// Rust string).
fn forbidden(character: char) -> bool {
    matches!(character, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_visible_escapes_and_the_rest_is_kept() {
        assert_eq!(xml_safe("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(
            xml_safe("\0\u{8}\u{b}\u{c}\u{1f}"),
            "\\u{0}\\u{8}\\u{b}\\u{c}\\u{1f}"
        );
        assert_eq!(xml_safe("x\u{fffe}\u{ffff}"), "x\\u{fffe}\\u{ffff}");
        let allowed = "tab\there\nline\r\u{7f}\u{85}é\u{fffd}\u{10000}<&>";
        assert!(matches!(xml_safe(allowed), Cow::Borrowed(text) if text == allowed));
    }
}
