//! Turning received requests into capture records: verification, then, in one writer thread so
//! that lines never interleave, the sequence number, the scripted status, duplicate detection,
//! and the append-and-flush that must finish before the request is answered.

use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::Arc;
use std::thread::JoinHandle;

use jiff::Timestamp;
use tokio::sync::{mpsc, oneshot};

use crate::domain::capture::{self, CaptureRecord, ResponseScript};
use crate::domain::sample_data::rfc3339_millis;
use crate::domain::verification::{Failure, LiveJudge};
use crate::io::http_server::{Incoming, Incomplete, Refusal};

/// The status answered to a body past the size limit, whatever the script says.
pub const PAYLOAD_TOO_LARGE: u16 = 413;

/// The status answered to a body that did not arrive whole, whatever the script says.
pub const BAD_REQUEST: u16 = 400;

/// A record as written, with why it did not verify (for people; the file holds only the verdict).
#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    pub record: CaptureRecord,
    /// `record.received_at`, unformatted.
    pub received_at: Timestamp,
    pub failure: Option<Failure>,
}

/// What the handlers hold: cheap to clone, one per request in flight.
#[derive(Clone)]
pub struct Recorder {
    judge: Arc<LiveJudge>,
    jobs: mpsc::UnboundedSender<Job>,
}

/// The writer thread; it ends once every `Recorder` clone is gone.
pub struct Writer(JoinHandle<()>);

impl Writer {
    /// Waits until every queued record is written.
    pub fn finish(self) {
        let _ = self.0.join();
    }
}

struct Job {
    captured: Captured,
    arrival: Arrival,
    ack: oneshot::Sender<io::Result<u16>>,
}

/// How a record's request arrived, which decides its status.
enum Arrival {
    /// Whole: answered as the script says.
    Whole,
    /// Its body was past the size limit.
    TooLarge,
    Incomplete(Incomplete),
    /// Refused by the HTTP layer, which already answered (the record holds the status).
    Refused,
}

impl Recorder {
    /// Starts the writer on `sink`; `judge` verifies each request (a request it does not judge
    /// is recorded `verified: null`). `on_written` sees each batch of records once it is
    /// written, in `seq` order.
    pub fn start(
        sink: Box<dyn Write + Send>,
        script: ResponseScript,
        judge: LiveJudge,
        on_written: impl FnMut(&[Captured]) + Send + 'static,
    ) -> (Recorder, Writer) {
        let (jobs, queue) = mpsc::unbounded_channel();
        let thread = std::thread::spawn(move || write_records(queue, sink, script, on_written));
        let recorder = Recorder {
            judge: Arc::new(judge),
            jobs,
        };
        (recorder, Writer(thread))
    }

    /// Captures `incoming` and returns the status to answer, once the record is flushed.
    /// An error means the record could not be written: the request must not be acknowledged.
    pub async fn record(&self, mut incoming: Incoming) -> io::Result<u16> {
        let now = Timestamp::now();
        let headers = incoming.take_text_headers();
        let text_headers = &headers.text;
        // A body past the limit was not read, and one cut short is not the one signed: neither
        // can verify; the 413 or the incomplete mark says why.
        let verdict = if incoming.body_too_large || incoming.incomplete.is_some() {
            self.judge.judges_unread_bodies().then_some(Err(None))
        } else {
            self.judge
                .judge(text_headers, &incoming.body, now.as_second())
                .map(|verdict| verdict.result.map_err(Some))
        };
        let verified = verdict.as_ref().map(Result::is_ok);
        let failure = verdict.and_then(Result::err).flatten();
        let event_id = capture::event_id(text_headers, &incoming.body);
        let assumed_event_key = match event_id {
            Some(_) => None,
            None => capture::assumed_event_key(text_headers, &incoming.body),
        };
        let mut record = CaptureRecord::new(
            rfc3339_millis(now),
            incoming.method,
            incoming.path,
            &incoming.body,
        );
        record.set_headers(headers.into_received());
        record.verified = verified;
        record.event_id = event_id;
        record.assumed_event_key = assumed_event_key;
        let (ack, acked) = oneshot::channel();
        let job = Job {
            captured: Captured {
                record,
                received_at: now,
                failure,
            },
            arrival: match incoming.incomplete {
                Some(incomplete) => Arrival::Incomplete(incomplete),
                None if incoming.body_too_large => Arrival::TooLarge,
                None => Arrival::Whole,
            },
            ack,
        };
        self.submit(job, acked).await
    }

    /// Records a request the HTTP layer refused before it could be read (a malformed head,
    /// headers too large): not a delivery, never verified, counted apart.
    pub async fn refused(&self, refusal: Refusal) -> io::Result<()> {
        let now = Timestamp::now();
        let mut record = CaptureRecord::new(rfc3339_millis(now), String::new(), String::new(), b"");
        record.status = refusal.status;
        record.complete = false;
        record.refused = Some(refusal.refused.to_string());
        record.problem = Some(refusal.problem);
        record.verified = self.judge.keys_given().then_some(false);
        let (ack, acked) = oneshot::channel();
        let job = Job {
            captured: Captured {
                record,
                received_at: now,
                failure: None,
            },
            arrival: Arrival::Refused,
            ack,
        };
        self.submit(job, acked).await.map(|_| ())
    }

    async fn submit(&self, job: Job, acked: oneshot::Receiver<io::Result<u16>>) -> io::Result<u16> {
        let stopped = || io::Error::other("the capture writer has stopped");
        self.jobs.send(job).map_err(|_| stopped())?;
        acked.await.map_err(|_| stopped())?
    }
}

/// The largest number of records written with one flush. Batching what is already queued keeps
/// one flush per record's worth of latency while sparing a system call per record under load.
const MAX_BATCH: usize = 512;

/// The most room kept between batches for their lines.
const KEPT_LINE_BYTES: usize = 1 << 20;

fn write_records(
    mut queue: mpsc::UnboundedReceiver<Job>,
    mut sink: Box<dyn Write + Send>,
    script: ResponseScript,
    mut on_written: impl FnMut(&[Captured]),
) {
    let mut seq = 0u64;
    let mut answered_by_script = 0usize;
    let mut seen_ids = HashSet::new();
    let mut seen_assumed_keys = HashSet::new();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut lines = Vec::new();
    let mut written_batch = Vec::with_capacity(MAX_BATCH);
    while queue.blocking_recv_many(&mut batch, MAX_BATCH) > 0 {
        lines.clear();
        for job in &mut batch {
            seq += 1;
            let record = &mut job.captured.record;
            record.seq = seq;
            // Only whole requests are deliveries: the others neither use up the script nor
            // count as duplicates.
            record.status = match &job.arrival {
                Arrival::Whole => {
                    answered_by_script += 1;
                    script.status(answered_by_script - 1)
                }
                Arrival::TooLarge => PAYLOAD_TOO_LARGE,
                Arrival::Incomplete(incomplete) => {
                    record.complete = false;
                    record.problem = Some(incomplete.problem.clone());
                    if incomplete.client_gone {
                        0
                    } else {
                        BAD_REQUEST
                    }
                }
                Arrival::Refused => record.status,
            };
            record.duplicate = record.complete
                && match (&record.event_id, &record.assumed_event_key) {
                    (Some(id), _) => !seen_ids.insert(id.clone()),
                    (None, Some(key)) => !seen_assumed_keys.insert(key.clone()),
                    (None, None) => false,
                };
            record.write_json_line(&mut lines);
        }
        let written = sink.write_all(&lines).and_then(|()| sink.flush());
        // Escaping reserves room for the worst case, six bytes for each: a batch holding one
        // large body would otherwise keep many times its size reserved for the rest of the run.
        if lines.capacity() > KEPT_LINE_BYTES {
            lines = Vec::new();
        }
        for job in batch.drain(..) {
            let outcome = match &written {
                // A 400 is still sent when the client may only have half-closed.
                Ok(()) if matches!(job.arrival, Arrival::Incomplete(_)) => Ok(BAD_REQUEST),
                Ok(()) => Ok(job.captured.record.status),
                Err(error) => Err(io::Error::new(error.kind(), error.to_string())),
            };
            let _ = job.ack.send(outcome);
            written_batch.push(job.captured);
        }
        if written.is_ok() {
            on_written(&written_batch);
        }
        written_batch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    use crate::domain::secret::Secret;
    use crate::domain::signature::cativa;
    use crate::domain::verification::Keys;

    /// What listen judges with when given no key.
    fn no_keys() -> LiveJudge {
        LiveJudge {
            keys: Keys::default(),
            scheme: None,
        }
    }

    /// A sink tests can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn incoming(headers: &[(&str, &str)], body: &[u8]) -> Incoming {
        Incoming {
            method: "POST".into(),
            path: "/hook".into(),
            headers: headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
                .collect(),
            body: body.to_vec(),
            body_too_large: false,
            incomplete: None,
        }
    }

    fn records(sink: &Shared) -> Vec<CaptureRecord> {
        String::from_utf8(sink.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    #[tokio::test]
    async fn records_follow_the_script_and_flag_repeated_event_ids() {
        let sink = Shared::default();
        let script = ResponseScript::new(vec![503, 200]).unwrap();
        let (recorder, writer) = Recorder::start(
            Box::new(sink.clone()),
            script,
            no_keys(),
            |_: &[Captured]| {},
        );
        let id = [("x-cativa-execution-id", "E1")];
        assert_eq!(recorder.record(incoming(&id, b"{}")).await.unwrap(), 503);
        assert_eq!(recorder.record(incoming(&id, b"{}")).await.unwrap(), 200);
        let mut oversized = incoming(&[], b"");
        oversized.body_too_large = true;
        assert_eq!(recorder.record(oversized).await.unwrap(), 413);
        assert_eq!(recorder.record(incoming(&[], b"\xff")).await.unwrap(), 200);
        drop(recorder);
        writer.finish();
        let records = records(&sink);
        assert_eq!(
            records.iter().map(|r| r.seq).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert_eq!(
            records.iter().map(|r| r.duplicate).collect::<Vec<_>>(),
            [false, true, false, false]
        );
        assert_eq!(records[0].event_id.as_deref(), Some("E1"));
        assert_eq!(records[0].verified, None);
        assert_eq!(records[3].body_bytes().unwrap(), b"\xff");
    }

    #[tokio::test]
    async fn beedeez_retries_are_flagged_duplicate_by_the_assumed_key() {
        let sink = Shared::default();
        let script = ResponseScript::new(vec![500, 200]).unwrap();
        let (recorder, writer) = Recorder::start(
            Box::new(sink.clone()),
            script,
            no_keys(),
            |_: &[Captured]| {},
        );
        let source = [("x-webhook-source", "beedeez")];
        let completed =
            br#"{"_id":"6746f4a8e1b2c3d4e5f60718","updatedAt":"2024-11-27T10:30:00.000Z"}"#;
        let expired =
            br#"{"_id":"6746f4a8e1b2c3d4e5f60718","updatedAt":"2025-11-27T10:30:00.000Z"}"#;
        for body in [&completed[..], completed, expired, expired] {
            recorder.record(incoming(&source, body)).await.unwrap();
        }
        drop(recorder);
        writer.finish();
        let records = records(&sink);
        assert_eq!(
            records.iter().map(|r| r.duplicate).collect::<Vec<_>>(),
            [false, true, false, true],
            "a retry is a duplicate; the expiry of the same certificate is not"
        );
        assert_eq!(records[0].event_id, None, "Beedeez sends no event id");
        assert_eq!(
            records[0].assumed_event_key.as_deref(),
            Some("6746f4a8e1b2c3d4e5f60718@2024-11-27T10:30:00.000Z")
        );
    }

    #[tokio::test]
    async fn incomplete_bodies_are_marked_answered_400_and_leave_the_script_alone() {
        let sink = Shared::default();
        let script = ResponseScript::new(vec![503, 200]).unwrap();
        let (recorder, writer) = Recorder::start(
            Box::new(sink.clone()),
            script,
            no_keys(),
            |_: &[Captured]| {},
        );
        let id = [("x-cativa-execution-id", "E1")];
        let mut cut = incoming(&id, b"{\"a\"");
        cut.incomplete = Some(Incomplete {
            problem: "the client ended the connection before the end of the body".into(),
            client_gone: true,
        });
        assert_eq!(recorder.record(cut).await.unwrap(), BAD_REQUEST);
        let mut malformed = incoming(&id, b"");
        malformed.incomplete = Some(Incomplete {
            problem: "malformed body (Invalid chunk size line)".into(),
            client_gone: false,
        });
        assert_eq!(recorder.record(malformed).await.unwrap(), BAD_REQUEST);
        assert_eq!(recorder.record(incoming(&id, b"{}")).await.unwrap(), 503);
        drop(recorder);
        writer.finish();
        let records = records(&sink);
        let summary: Vec<_> = records
            .iter()
            .map(|r| (r.status, r.complete, r.duplicate))
            .collect();
        assert_eq!(
            summary,
            [(0, false, false), (400, false, false), (503, true, false)]
        );
        assert!(
            records[0]
                .problem
                .as_deref()
                .unwrap()
                .contains("ended the connection")
        );
        assert_eq!(records[0].body_bytes().unwrap(), b"{\"a\"");
        assert_eq!(records[2].problem, None);
    }

    #[tokio::test]
    async fn refused_requests_are_numbered_but_leave_the_script_alone() {
        let sink = Shared::default();
        let script = ResponseScript::new(vec![503, 200]).unwrap();
        let (recorder, writer) = Recorder::start(
            Box::new(sink.clone()),
            script,
            no_keys(),
            |_: &[Captured]| {},
        );
        recorder
            .refused(Refusal {
                refused: "headers too large",
                problem: "message head is too large".into(),
                status: 431,
            })
            .await
            .unwrap();
        assert_eq!(recorder.record(incoming(&[], b"{}")).await.unwrap(), 503);
        drop(recorder);
        writer.finish();
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let first = text.lines().next().unwrap();
        assert!(
            !first.contains("\"method\"") && !first.contains("\"path\""),
            "nothing of the request was read: {first}"
        );
        let records = records(&sink);
        let refused = &records[0];
        assert_eq!(
            (refused.seq, refused.status, refused.complete),
            (1, 431, false)
        );
        assert_eq!(refused.refused.as_deref(), Some("headers too large"));
        assert_eq!(
            refused.problem.as_deref(),
            Some("message head is too large")
        );
        assert_eq!((records[1].seq, records[1].status), (2, 503));
    }

    #[tokio::test]
    async fn verification_uses_the_exact_bytes_received() {
        let secret = "whsec_test";
        let now = Timestamp::now().as_second();
        let signature = cativa::signature_header(secret, now, b"{\"a\":1}");
        let keys = Keys {
            secrets: vec![Secret::new(secret)],
            ..Keys::default()
        };
        let sink = Shared::default();
        let failures = Arc::new(Mutex::new(Vec::new()));
        let seen = failures.clone();
        let (recorder, writer) = Recorder::start(
            Box::new(sink.clone()),
            ResponseScript::new(vec![200]).unwrap(),
            LiveJudge { keys, scheme: None },
            move |batch: &[Captured]| {
                let mut seen = seen.lock().unwrap();
                seen.extend(batch.iter().map(|captured| captured.failure.clone()));
            },
        );
        let header = [("x-cativa-signature", signature.as_str())];
        recorder
            .record(incoming(&header, b"{\"a\":1}"))
            .await
            .unwrap();
        recorder
            .record(incoming(&header, b"{\"a\":2}"))
            .await
            .unwrap();
        drop(recorder);
        writer.finish();
        let verdicts: Vec<_> = records(&sink).iter().map(|r| r.verified).collect();
        assert_eq!(verdicts, [Some(true), Some(false)]);
        assert_eq!(
            *failures.lock().unwrap(),
            [None, Some(Failure::SignatureMismatch)]
        );
    }

    #[tokio::test]
    async fn a_record_that_cannot_be_written_is_not_acknowledged() {
        let (recorder, writer) = Recorder::start(
            Box::new(Broken),
            ResponseScript::new(vec![200]).unwrap(),
            no_keys(),
            |_: &[Captured]| panic!("nothing was written"),
        );
        assert!(recorder.record(incoming(&[], b"{}")).await.is_err());
        drop(recorder);
        writer.finish();
    }
}
