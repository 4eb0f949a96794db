//! Human lines on stderr that never hold up their producer: a thread writes them, fed through a
//! bounded queue. When stderr is not being read and the queue is full, lines are dropped and
//! counted; the next line that gets through is preceded by how many were lost. The last lines
//! (a summary) wait for the queued ones, but only as long as stderr is being read.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use crate::io::terminal;

/// Batches of lines waiting for stderr.
const CAPACITY: usize = 256;

/// How long the last lines wait for a stderr write to finish before stderr is taken as not
/// being read: a reader that keeps up finishes a batch far sooner.
const STALLED_AFTER: Duration = Duration::from_secs(1);

enum Item {
    Lines(String),
    /// The last lines, written after the queued ones; the writer ends with them.
    Last(String),
}

/// The producer's end: cheap to clone and to push to, never blocks.
#[derive(Clone)]
pub struct StderrLines {
    sender: SyncSender<Item>,
    /// Lines dropped and not reported yet.
    dropped: Arc<AtomicU64>,
}

/// The writing thread, to hand the last lines to.
pub struct Drained {
    sender: SyncSender<Item>,
    done: Receiver<()>,
    /// Writes finished so far: how the last lines tell a slow stderr from one nobody reads.
    writes: Arc<AtomicU64>,
}

/// Starts the thread that writes queued lines to stderr.
pub fn start() -> (StderrLines, Drained) {
    let (sender, queue) = mpsc::sync_channel::<Item>(CAPACITY);
    let (finished, done) = mpsc::channel();
    let dropped = Arc::new(AtomicU64::new(0));
    let writes = Arc::new(AtomicU64::new(0));
    {
        let (dropped, writes) = (dropped.clone(), writes.clone());
        std::thread::spawn(move || {
            for item in queue {
                match item {
                    Item::Lines(text) => terminal::write_stderr(text.as_bytes()),
                    Item::Last(text) => {
                        let mut last = String::new();
                        let unreported = dropped.swap(0, Ordering::Relaxed);
                        if unreported > 0 {
                            last.push_str(&dropped_line(unreported));
                        }
                        last.push_str(&text);
                        terminal::write_stderr(last.as_bytes());
                        break;
                    }
                }
                writes.fetch_add(1, Ordering::Relaxed);
            }
            let _ = finished.send(());
        });
    }
    let lines = StderrLines {
        sender: sender.clone(),
        dropped,
    };
    (
        lines,
        Drained {
            sender,
            done,
            writes,
        },
    )
}

impl StderrLines {
    /// Queues `text` (whole lines), or drops and counts its lines when the queue is full.
    pub fn push(&self, text: &str) {
        let dropped = self.dropped.load(Ordering::Relaxed);
        let mut queued = String::with_capacity(text.len());
        if dropped > 0 {
            queued.push_str(&dropped_line(dropped));
        }
        queued.push_str(text);
        match self.sender.try_send(Item::Lines(queued)) {
            Ok(()) => self.dropped.fetch_sub(dropped, Ordering::Relaxed),
            Err(_) => self
                .dropped
                .fetch_add(text.lines().count() as u64, Ordering::Relaxed),
        };
    }
}

impl Drained {
    /// Writes `last` (whole lines, preceded by how many lines were dropped and not reported
    /// yet) after every line queued before it. Returns once it is written, or once stderr has
    /// taken nothing for a while (nobody reads it: the lines are then given up on, and the
    /// process can end), and at the latest after `grace`.
    pub fn finish(self, last: String, grace: Duration) {
        let sender = self.sender;
        // Waits for room in the queue; left behind, blocked, when stderr is never read again.
        std::thread::spawn(move || {
            let _ = sender.send(Item::Last(last));
        });
        let deadline = Instant::now() + grace;
        let mut writes = self.writes.load(Ordering::Relaxed);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match self.done.recv_timeout(STALLED_AFTER.min(left)) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {
                    let now = self.writes.load(Ordering::Relaxed);
                    if now == writes {
                        return;
                    }
                    writes = now;
                }
            }
        }
    }
}

fn dropped_line(count: u64) -> String {
    let lines = if count == 1 { "line" } else { "lines" };
    format!("hooktool: {count} {lines} dropped (stderr was not being read)\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_lines_are_counted_and_reported() {
        assert_eq!(
            dropped_line(3),
            "hooktool: 3 lines dropped (stderr was not being read)\n"
        );
        assert_eq!(
            dropped_line(1),
            "hooktool: 1 line dropped (stderr was not being read)\n"
        );
    }
}
