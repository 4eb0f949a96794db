//! Human lines on stderr that never hold up their producer: a thread writes them, fed through a
//! bounded queue. When stderr is not being read and the queue is full, lines are dropped and
//! counted; the next line that gets through is preceded by how many were lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::Duration;

use crate::io::terminal;

/// Batches of lines waiting for stderr.
const CAPACITY: usize = 256;

/// The producer's end: cheap to push to, never blocks.
pub struct StderrLines {
    sender: SyncSender<String>,
    /// Lines dropped and not reported yet.
    dropped: Arc<AtomicU64>,
}

/// The writing thread, to wait for once every line is queued.
pub struct Drained {
    done: Receiver<()>,
    dropped: Arc<AtomicU64>,
}

/// Starts the thread that writes queued lines to stderr.
pub fn start() -> (StderrLines, Drained) {
    let (sender, queue) = mpsc::sync_channel::<String>(CAPACITY);
    let (finished, done) = mpsc::channel();
    std::thread::spawn(move || {
        for text in queue {
            terminal::write_stderr(text.as_bytes());
        }
        let _ = finished.send(());
    });
    let dropped = Arc::new(AtomicU64::new(0));
    let lines = StderrLines {
        sender,
        dropped: dropped.clone(),
    };
    (lines, Drained { done, dropped })
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
        match self.sender.try_send(queued) {
            Ok(()) => self.dropped.fetch_sub(dropped, Ordering::Relaxed),
            Err(_) => self
                .dropped
                .fetch_add(text.lines().count() as u64, Ordering::Relaxed),
        };
    }
}

impl Drained {
    /// Once every `StderrLines` is gone: waits up to `grace` for the queued lines to be written
    /// (a stderr nobody reads must not keep the process from ending), then says how many lines
    /// were dropped and not reported yet.
    pub fn finish(self, grace: Duration) {
        let _ = self.done.recv_timeout(grace);
        let dropped = self.dropped.load(Ordering::Relaxed);
        if dropped > 0 {
            terminal::write_stderr(dropped_line(dropped).as_bytes());
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
