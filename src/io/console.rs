//! The delivery console: what people see while events are delivered. It hears every step of a
//! run, prints one line per attempt as it happens, counts down to the next attempt and counts
//! deliveries on a terminal, and keeps the run's log. `send` writes it on stderr; the demo
//! narrates on stdout, indented under its story.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use jiff::tz::TimeZone;

use crate::domain::delivery_log::{AttemptRecord, AttemptResult, DeliveryLog, EventOutcome};
use crate::domain::duration;
use crate::domain::message::Message;
use crate::domain::schedule::{Schedule, Step, Wait};
use crate::io::delivery::Observer;
use crate::io::terminal;
use crate::render::delivery::AttemptLines;

/// Off a terminal, attempt lines gather up to this many bytes before one write to stderr.
const GATHERED_LINES_BYTES: usize = 64 * 1024;
/// The log is kept in this many parts, each event in one by its index: the threads delivering
/// a run then rarely wait for each other to note a step.
const LOG_PARTS: u64 = 16;
/// The most events each part of the log makes room for before the run starts.
const MOST_EVENTS_PLANNED_FOR: u64 = 1 << 16;

/// Where the console's lines go.
enum Stream {
    /// `send`: stderr, with progress bars on a terminal and lines gathered off one.
    Stderr {
        /// Lines not yet written, off a terminal only: thousands of attempts a second would
        /// otherwise cost a system call each. On a terminal every line is written at once.
        gathered: Option<Mutex<String>>,
    },
    /// The demo: stdout, each line indented, the event id announced first.
    Narration { indent: &'static str },
}

pub struct Console {
    log: Box<[Mutex<DeliveryLog>]>,
    lines: AttemptLines,
    stream: Stream,
    /// Several events: a bar counts deliveries.
    delivered_bar: ProgressBar,
    /// The bar is drawn (on a terminal): a hidden one is not kept counting.
    counts_deliveries: bool,
    countdown: Mutex<Option<ProgressBar>>,
    /// A countdown is shown between attempts: one event, on a terminal.
    counts_down: bool,
}

impl Console {
    /// `send`'s console for `count` events on `schedule`.
    pub fn on_stderr(schedule: &Schedule, count: u64) -> Console {
        let several = count > 1;
        let on_terminal = terminal::stderr_is_terminal();
        Console {
            log: new_log(count),
            lines: AttemptLines {
                max_attempts: schedule.max_attempts(),
                scaled: schedule.time_scale != 1.0,
                several,
                time_zone: TimeZone::system(),
                palette: terminal::stderr_palette(),
            },
            stream: Stream::Stderr {
                gathered: (!on_terminal)
                    .then(|| Mutex::new(String::with_capacity(GATHERED_LINES_BYTES))),
            },
            delivered_bar: if several {
                terminal::progress_bar(
                    count,
                    "{bar:40} {pos}/{len} delivered  {per_sec}  {elapsed_precise}",
                )
            } else {
                ProgressBar::hidden()
            },
            counts_deliveries: several && on_terminal,
            countdown: Mutex::new(None),
            counts_down: !several && on_terminal,
        }
    }

    /// The demo's console for one event on `schedule`, indented by `indent` on stdout.
    pub fn narrating(schedule: &Schedule, indent: &'static str) -> Console {
        Console {
            log: new_log(1),
            lines: AttemptLines {
                max_attempts: schedule.max_attempts(),
                scaled: schedule.time_scale != 1.0,
                several: false,
                time_zone: TimeZone::system(),
                palette: terminal::stdout_palette(),
            },
            stream: Stream::Narration { indent },
            delivered_bar: ProgressBar::hidden(),
            counts_deliveries: false,
            countdown: Mutex::new(None),
            counts_down: false,
        }
    }

    /// The run's log so far, taken out of the console.
    pub fn take_log(&self) -> DeliveryLog {
        DeliveryLog::gather(self.log.iter().map(|part| std::mem::take(&mut *lock(part))))
    }

    /// The part of the log that event `index` is kept in.
    fn log_of(&self, index: u64) -> MutexGuard<'_, DeliveryLog> {
        lock(&self.log[(index % LOG_PARTS) as usize])
    }

    /// Ends the bars and writes every line still gathered.
    pub fn finish(&self) {
        self.clear_countdown();
        self.delivered_bar.finish_and_clear();
        self.flush();
    }

    /// Prints `line` (one line or several) and a newline, above the progress bar.
    fn print(&self, line: &str) {
        self.print_with(|out| out.push_str(line));
    }

    /// Prints what `write` writes (one line or several) and a newline, above the progress bar.
    /// Off a terminal it is written straight among the gathered lines.
    fn print_with(&self, write: impl FnOnce(&mut String)) {
        match &self.stream {
            Stream::Narration { indent } => {
                let mut line = String::new();
                write(&mut line);
                let indented = line.replace('\n', &format!("\n{indent}"));
                // A closed stdout only cuts the narration short; the outcome is the exit code.
                let _ = terminal::write_stdout(format!("{indent}{indented}\n").as_bytes());
            }
            Stream::Stderr { gathered: None } => {
                let mut line = String::new();
                write(&mut line);
                self.delivered_bar.suspend(|| terminal::stderr_line(&line));
            }
            Stream::Stderr {
                gathered: Some(gathered),
            } => {
                let mut gathered = lock(gathered);
                write(&mut gathered);
                gathered.push('\n');
                if gathered.len() >= GATHERED_LINES_BYTES {
                    terminal::write_stderr(gathered.as_bytes());
                    gathered.clear();
                }
            }
        }
    }

    /// Writes the lines gathered so far.
    fn flush(&self) {
        if let Stream::Stderr {
            gathered: Some(gathered),
        } = &self.stream
        {
            let mut gathered = lock(gathered);
            terminal::write_stderr(gathered.as_bytes());
            gathered.clear();
        }
    }

    fn clear_countdown(&self) {
        if !self.counts_down {
            return;
        }
        let bar = lock(&self.countdown).take();
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Console {
    fn event_started(&self, index: u64, message: &Message) {
        if let (Stream::Narration { .. }, Some(id)) = (&self.stream, &message.event_id) {
            self.print(&format!("event id {id}"));
        }
        self.log_of(index).start(index, message.event_id.clone());
    }

    fn attempt_finished(
        &self,
        index: u64,
        record: AttemptRecord,
        result: &AttemptResult,
        step: Step,
    ) {
        self.clear_countdown();
        // Written in one piece: another thread's line must not come between an attempt and its
        // response.
        self.print_with(|out| self.lines.push_attempt(out, index, &record, result, step));
        self.log_of(index).record(index, record);
    }

    fn waiting(&self, _index: u64, wait: Wait) {
        // The attempt just printed should be readable while the next one is awaited.
        self.flush();
        if !self.counts_down || wait.scaled.is_zero() {
            return;
        }
        let total_ms = wait.scaled.as_millis() as u64;
        let bar = terminal::progress_bar(total_ms, "  next attempt in {msg} {bar:30}");
        *lock(&self.countdown) = Some(bar.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            while !bar.is_finished() {
                let elapsed = started.elapsed();
                if elapsed >= wait.scaled {
                    break;
                }
                let left = wait.scaled - elapsed;
                bar.set_position(elapsed.as_millis() as u64);
                bar.set_message(duration::format(Duration::from_secs(left.as_secs() + 1)));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
    }

    fn event_finished(&self, index: u64, outcome: EventOutcome, error: Option<String>) {
        if let Some(error) = &error {
            let shown = self.lines.palette.bad(error);
            self.print(&format!("event {}: {shown}", index + 1));
        }
        if outcome.is_delivered() && self.counts_deliveries {
            self.delivered_bar.inc(1);
        }
        self.log_of(index).finish(index, outcome, error);
    }
}

/// A log for `count` events, each part with room for its share up front (a run's log otherwise
/// grows by copying itself, in the middle of the run), within reason for a large `--count`.
fn new_log(count: u64) -> Box<[Mutex<DeliveryLog>]> {
    let share = (count / LOG_PARTS + 1).min(MOST_EVENTS_PLANNED_FOR) as usize;
    (0..LOG_PARTS)
        .map(|_| Mutex::new(DeliveryLog::with_capacity(share)))
        .collect()
}

/// A lock held by a thread that panicked guards data still whole: each step is one insertion.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
