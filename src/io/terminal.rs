//! What people see on the terminal: the colour decision (made once), notes and warnings on
//! stderr, progress bars that exist only on a terminal, and stdout writes that end quietly on a
//! broken pipe. The one place that talks to `colored` and `indicatif`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use colored::Colorize;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ColorChoice;

static COLOR: AtomicBool = AtomicBool::new(false);

/// Decides colour once: `always`, `never`, or `auto` = stderr is a terminal and `NO_COLOR` is
/// unset or empty.
pub fn init_color(choice: ColorChoice) {
    let enabled = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    };
    COLOR.store(enabled, Ordering::Relaxed);
    colored::control::set_override(enabled);
}

pub fn color_enabled() -> bool {
    COLOR.load(Ordering::Relaxed)
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// `hooktool: <message>` on stderr, for facts the user should know (a generated secret).
pub fn note(message: &str) {
    eprintln!("{} {message}", "hooktool:".dimmed());
}

/// `hooktool: warning: <message>` on stderr.
pub fn warn(message: &str) {
    eprintln!(
        "{} {} {message}",
        "hooktool:".dimmed(),
        "warning:".yellow().bold()
    );
}

/// `hooktool: error: <message>` and its hints on stderr.
pub fn error(message: &str, hints: &[String]) {
    eprintln!(
        "{} {} {message}",
        "hooktool:".dimmed(),
        "error:".red().bold()
    );
    for hint in hints {
        eprintln!("{} {hint}", "hint:".cyan());
    }
}

/// Text styles for the commands' own lines.
pub mod style {
    use colored::{ColoredString, Colorize};

    pub fn good(text: &str) -> ColoredString {
        text.green().bold()
    }

    pub fn bad(text: &str) -> ColoredString {
        text.red().bold()
    }

    pub fn caution(text: &str) -> ColoredString {
        text.yellow()
    }

    pub fn strong(text: &str) -> ColoredString {
        text.bold()
    }

    pub fn dim(text: &str) -> ColoredString {
        text.dimmed()
    }

    /// Appends `text` to `line` in the style `paint` gives it; with colour off, just the text,
    /// without the copy a styled string makes (it matters at thousands of lines a second).
    pub fn push(line: &mut String, text: &str, paint: fn(&str) -> ColoredString) {
        if super::color_enabled() {
            use std::fmt::Write;
            let _ = write!(line, "{}", paint(text));
        } else {
            line.push_str(text);
        }
    }
}

/// A progress bar on stderr counting to `len`; hidden (and free) when stderr is not a terminal.
pub fn progress_bar(len: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), draw_target());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A spinner on stderr; hidden when stderr is not a terminal.
pub fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, draw_target());
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

fn draw_target() -> ProgressDrawTarget {
    if stderr_is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    }
}

/// Writes `bytes` to stdout and flushes. A broken pipe comes back as an error the caller maps
/// to a quiet exit.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()
}

/// Pretty JSON plus a newline on stdout.
pub fn print_json(value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    write_stdout(text.as_bytes())
}
