//! Colour and weight for text, per output stream: each stream has its own `Palette`, on or off
//! as decided for that stream alone, so a redirected stream never receives escape codes.

use colored::{ColoredString, Colorize};

/// How text for one stream is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    /// Plain text.
    pub const PLAIN: Palette = Palette { enabled: false };

    /// A palette that paints when `enabled`. colored's own switch must be on for painting to
    /// show (the stream decides, not colored): see `io::terminal::init`.
    pub fn new(enabled: bool) -> Palette {
        Palette { enabled }
    }

    pub fn good(self, text: &str) -> String {
        self.paint(text, |text| text.green().bold())
    }

    pub fn bad(self, text: &str) -> String {
        self.paint(text, |text| text.red().bold())
    }

    pub fn caution(self, text: &str) -> String {
        self.paint(text, |text| text.yellow())
    }

    pub fn strong(self, text: &str) -> String {
        self.paint(text, |text| text.bold())
    }

    pub fn dim(self, text: &str) -> String {
        self.paint(text, |text| text.dimmed())
    }

    pub fn hint(self, text: &str) -> String {
        self.paint(text, |text| text.cyan())
    }

    /// Appends `text` to `line` as `style` paints it; with colour off, just the text, without
    /// the copies a styled string makes (it matters at thousands of lines a second).
    pub fn push(self, line: &mut String, text: &str, style: fn(Palette, &str) -> String) {
        self.push_written(line, style, |line| line.push_str(text));
    }

    /// Appends what `write` writes to `line`, as `style` paints it; with colour off, written
    /// straight into `line`.
    pub fn push_written(
        self,
        line: &mut String,
        style: fn(Palette, &str) -> String,
        write: impl FnOnce(&mut String),
    ) {
        if self.enabled {
            let mut text = String::new();
            write(&mut text);
            line.push_str(&style(self, &text));
        } else {
            write(line);
        }
    }

    fn paint(self, text: &str, style: fn(&str) -> ColoredString) -> String {
        if self.enabled {
            style(text).to_string()
        } else {
            text.to_string()
        }
    }
}
