//! The process's stdout and stderr: whether each is a terminal, the palette each was given,
//! notes, warnings and errors on stderr, progress bars that exist only on a terminal, and writes
//! that never panic (a closed stderr loses lines, never the run; a broken stdout comes back as
//! an error the caller maps to a quiet exit). The one place that talks to `indicatif`.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::render::style::Palette;

/// Whether colour is wanted on each stream, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamColors {
    pub stdout: bool,
    pub stderr: bool,
}

static PALETTES: OnceLock<(Palette, Palette)> = OnceLock::new();

/// Whether stdout was closed when the process started (`>&-`). The Rust runtime reopens a closed
/// standard stream on `/dev/null` before `main`, where results would vanish unnoticed, so this is
/// read earlier, by a constructor the loader runs before the runtime starts.
static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_STDOUT_AT_START: extern "C" fn() = record_stdout_at_start;

#[cfg(target_os = "linux")]
extern "C" fn record_stdout_at_start() {
    // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF when fd 1 is closed.
    if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
        STDOUT_CLOSED_AT_START.store(true, Ordering::Relaxed);
    }
}

/// Whether the shell closed stdout (`>&-`): results written there would be lost.
pub fn stdout_was_closed() -> bool {
    // Referenced here so that the constructor is always linked in with the writers that need it.
    #[cfg(target_os = "linux")]
    std::hint::black_box(&RECORD_STDOUT_AT_START);
    STDOUT_CLOSED_AT_START.load(Ordering::Relaxed)
}

fn closed_stdout_error() -> std::io::Error {
    std::io::Error::other("cannot write to stdout: it is closed (`>&-`); redirect it instead")
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Whether `NO_COLOR` asks for no colour (set and not empty).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

/// Gives each stream its palette. colored is told to paint whenever asked: whether it is asked
/// is each stream's own decision, taken here once.
pub fn init(colors: StreamColors) {
    if colors.stdout || colors.stderr {
        colored::control::set_override(true);
    }
    let _ = PALETTES.set((Palette::new(colors.stdout), Palette::new(colors.stderr)));
}

/// How text for stdout is styled.
pub fn stdout_palette() -> Palette {
    PALETTES.get().map_or(Palette::PLAIN, |palettes| palettes.0)
}

/// How text for stderr is styled.
pub fn stderr_palette() -> Palette {
    PALETTES.get().map_or(Palette::PLAIN, |palettes| palettes.1)
}

/// Writes `bytes` to stderr in one call. A closed or full stderr loses them, never the run.
pub fn write_stderr(bytes: &[u8]) {
    let _ = std::io::stderr().lock().write_all(bytes);
}

/// `line` and a newline on stderr.
pub fn stderr_line(line: &str) {
    let mut bytes = String::with_capacity(line.len() + 1);
    bytes.push_str(line);
    bytes.push('\n');
    write_stderr(bytes.as_bytes());
}

/// `hooktool: <message>` on stderr, for facts the user should know (a generated secret).
pub fn note(message: &str) {
    write_stderr(note_line(message).as_bytes());
}

/// The line [`note`] writes, newline included, for writers of their own.
pub fn note_line(message: &str) -> String {
    let palette = stderr_palette();
    format!("{} {message}\n", palette.dim("hooktool:"))
}

/// `hooktool: warning: <message>` on stderr.
pub fn warn(message: &str) {
    write_stderr(warning_line(message).as_bytes());
}

/// The line [`warn`] writes, newline included, for writers of their own.
pub fn warning_line(message: &str) -> String {
    let palette = stderr_palette();
    format!(
        "{} {} {message}\n",
        palette.dim("hooktool:"),
        palette.caution("warning:")
    )
}

/// `hooktool: error: <message>` and its hints on stderr.
pub fn error(message: &str, hints: &[String]) {
    let palette = stderr_palette();
    let mut text = format!(
        "{} {} {message}\n",
        palette.dim("hooktool:"),
        palette.bad("error:")
    );
    for hint in hints {
        text.push_str(&format!("{} {hint}\n", palette.hint("hint:")));
    }
    write_stderr(text.as_bytes());
}

/// A progress bar on stderr counting to `len`; hidden (and free) when stderr is not a terminal.
pub fn progress_bar(len: u64, template: &str) -> ProgressBar {
    let target = if stderr_is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Writes `bytes` to stdout and flushes. A broken pipe comes back as itself, which the caller
/// maps to a quiet exit; any other failure (a full disk) as an error naming stdout.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    if stdout_was_closed() {
        return Err(closed_stdout_error());
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::BrokenPipe => error,
            kind => std::io::Error::new(
                kind,
                format!(
                    "cannot write to stdout ({})",
                    crate::error::io_reason(&error)
                ),
            ),
        })
}

/// Pretty JSON plus a newline on stdout.
pub fn print_json(value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut text = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    text.push(b'\n');
    write_stdout(&text)
}
