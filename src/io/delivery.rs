//! Delivery over HTTP, and the one module that talks to HTTP client libraries. An attempt is
//! one POST of the exact signed bytes, with a per-attempt timeout and no redirect followed
//! (providers do not follow them). [`Delivering`] runs a whole `send`: each event's attempts
//! on its schedule, several events in flight on every core, every step reported to an
//! [`Observer`].
//!
//! Plain-HTTP targets, every loopback receiver among them, are spoken to directly
//! ([`plain_http`]): each request slot keeps one keep-alive connection, as load generators do,
//! so that a delivery costs no connection pool, no middleware and no task of its own. HTTPS
//! targets (the default `tls` feature) go through reqwest and rustls, trusting the system's
//! certificate store and whatever [`Trust`] adds.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use jiff::{SignedDuration, Timestamp};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::JoinSet;

use crate::domain::delivery_log::{AttemptRecord, AttemptResult, EventOutcome, Response};
use crate::domain::message::Message;
use crate::domain::request::WebhookRequest;
use crate::domain::schedule::{Answer, Schedule, Step, Wait, retry_after_delay};
use crate::domain::target::Target;
use crate::error::{DESCRIPTOR_HINT, out_of_descriptors};
use crate::io::plain_http::{self, LiveConnection, RequestBase};

/// What an attempt that outlived its timeout is reported as.
const TIMED_OUT: &str = "timed out";
const USER_AGENT_VALUE: &str = concat!("hooktool/", env!("CARGO_PKG_VERSION"));

/// How HTTPS targets are authenticated; plain-HTTP targets ignore it.
#[derive(Debug, Default, Clone, Copy)]
// A build without TLS refuses HTTPS targets before trust matters.
#[cfg_attr(not(feature = "tls"), allow(dead_code))]
pub struct Trust<'a> {
    /// A PEM file of CA certificates trusted besides the system's store (`--cacert`).
    pub cacert: Option<&'a Path>,
    /// Accept any certificate (`--insecure`).
    pub insecure: bool,
}

/// Where and how a run's attempts are sent, over [`Connection`]s opened on it.
pub struct Sender {
    endpoint: Endpoint,
    timeout: Duration,
    /// `Basic …` when the target's URL has `user:password@`: added to every request.
    authorization: Option<String>,
}

enum Endpoint {
    Plain(PlainEndpoint),
    #[cfg(feature = "tls")]
    Tls {
        client: reqwest::Client,
        url: reqwest::Url,
    },
}

struct PlainEndpoint {
    host: String,
    port: u16,
    base: RequestBase,
    /// The host's addresses, looked up once for the whole run (`localhost` would otherwise
    /// cost a resolver call per connection).
    addresses: tokio::sync::OnceCell<Vec<SocketAddr>>,
    /// Which of them the last connection reached: `localhost` is often `::1` first, where
    /// receivers listening on 127.0.0.1 refuse every connection.
    reachable: AtomicUsize,
}

impl PlainEndpoint {
    async fn connect(&self) -> std::io::Result<TcpStream> {
        let addresses = self
            .addresses
            .get_or_try_init(|| async {
                let found: Vec<SocketAddr> =
                    tokio::net::lookup_host((self.host.as_str(), self.port))
                        .await?
                        .collect();
                if found.is_empty() {
                    Err(std::io::Error::other(format!(
                        "{} has no address",
                        self.host
                    )))
                } else {
                    Ok(found)
                }
            })
            .await?;
        let first = self.reachable.load(Ordering::Relaxed) % addresses.len();
        let mut last_error = None;
        for (index, address) in addresses
            .iter()
            .enumerate()
            .cycle()
            .skip(first)
            .take(addresses.len())
        {
            match TcpStream::connect(address).await {
                Ok(stream) => {
                    self.reachable.store(index, Ordering::Relaxed);
                    return Ok(stream);
                }
                // Not the receiver's doing: this process cannot open one more socket.
                Err(error) if out_of_descriptors(&error) => {
                    return Err(out_of_sockets(*address, &error));
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.expect("at least one address was tried"))
    }
}

/// A socket that could not be opened for lack of file descriptors, naming where it was for.
fn out_of_sockets(address: SocketAddr, error: &std::io::Error) -> std::io::Error {
    std::io::Error::new(
        error.kind(),
        format!(
            "cannot open a connection to {address}: {}; {DESCRIPTOR_HINT}",
            crate::error::io_reason(error).to_lowercase()
        ),
    )
}

impl Sender {
    /// `timeout` bounds each attempt from connecting to the last body byte.
    pub fn new(target: &Target, timeout: Duration, trust: Trust<'_>) -> anyhow::Result<Sender> {
        let endpoint = if target.is_https() {
            https_endpoint(target, trust)?
        } else {
            let (host, port) = target.host_and_port();
            Endpoint::Plain(PlainEndpoint {
                host,
                port,
                base: RequestBase {
                    host: target.host_header(),
                    path: target.path_and_query(),
                    user_agent: USER_AGENT_VALUE,
                },
                addresses: tokio::sync::OnceCell::new(),
                reachable: AtomicUsize::new(0),
            })
        };
        Ok(Sender {
            endpoint,
            timeout,
            authorization: target.authorization(),
        })
    }

    /// A connection of its own: opened at its first attempt, kept alive between attempts,
    /// and replaced whenever the receiver closes it or an attempt leaves it unusable.
    pub fn connection(&self) -> Connection<'_> {
        Connection {
            sender: self,
            live: None,
        }
    }
}

#[cfg(feature = "tls")]
fn https_endpoint(target: &Target, trust: Trust<'_>) -> anyhow::Result<Endpoint> {
    use crate::error::UserError;
    // reqwest comes without a crypto provider of its own (its default, aws-lc, needs a C
    // toolchain to build) and panics when building a client before one is installed. A
    // provider installed earlier in the process is as good, hence the ignored result.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .user_agent(USER_AGENT_VALUE)
        .tls_danger_accept_invalid_certs(trust.insecure);
    if let Some(path) = trust.cacert {
        builder = builder.tls_certs_merge(extra_roots(path)?);
    }
    // Building loads the system's store, or fails on a certificate `--cacert` read but cannot
    // use, such as a malformed one.
    let client = builder.build().map_err(|error| {
        let cause = describe_reqwest(&error);
        match trust.cacert {
            Some(path) => UserError::new(format!(
                "cannot use the certificates in {} ({cause}), --cacert",
                path.display()
            )),
            None => UserError::new(format!("cannot set up HTTPS for {target} ({cause}), --to"))
                .hint("install the system's CA certificates, or pass --cacert FILE or --insecure"),
        }
    })?;
    Ok(Endpoint::Tls {
        client,
        url: reqwest::Url::parse(&target.request_url())?,
    })
}

/// The certificates of a `--cacert` file. Text around them is skipped, as in CA bundles; a file
/// without any is a mistake (reqwest's single-certificate parser would take it silently).
#[cfg(feature = "tls")]
fn extra_roots(path: &Path) -> Result<Vec<reqwest::Certificate>, crate::error::UserError> {
    use crate::error::UserError;
    let pem = crate::io::files::read_key_file(path, "--cacert")?;
    match reqwest::Certificate::from_pem_bundle(&pem) {
        Ok(certificates) if !certificates.is_empty() => Ok(certificates),
        Ok(_) => Err(UserError::new(format!(
            "no PEM certificate in {}, --cacert",
            path.display()
        ))
        .hint("expected -----BEGIN CERTIFICATE----- blocks, such as mkcert's rootCA.pem")),
        Err(error) => Err(UserError::new(format!(
            "malformed PEM certificate in {} ({}), --cacert",
            path.display(),
            describe(&error, false)
        ))),
    }
}

#[cfg(not(feature = "tls"))]
fn https_endpoint(target: &Target, _trust: Trust<'_>) -> anyhow::Result<Endpoint> {
    Err(crate::error::UserError::new(format!(
        "{target} needs HTTPS, which this build of hooktool leaves out, --to"
    ))
    .hint("it was built without its default `tls` feature; rebuild it with default features")
    .into())
}

/// One way to the target, used by one request at a time.
pub struct Connection<'a> {
    sender: &'a Sender,
    live: Option<LiveConnection>,
}

impl Connection<'_> {
    pub async fn attempt(&mut self, request: WebhookRequest) -> AttemptResult {
        let started = Instant::now();
        // An exchange takes the live connection out while it runs and puts it back only when
        // the answer was read to its end: a connection an attempt timed out on is dropped
        // with the exchange, never reused with a late answer still on the way.
        let answer = match tokio::time::timeout(self.sender.timeout, self.exchange(request)).await {
            Ok(answer) => answer,
            Err(_) => Err(TIMED_OUT.to_string()),
        };
        AttemptResult {
            latency: started.elapsed(),
            answer,
        }
    }

    async fn exchange(&mut self, request: WebhookRequest) -> Result<Response, String> {
        let request = request.with_credentials(self.sender.authorization.as_deref());
        match &self.sender.endpoint {
            Endpoint::Plain(endpoint) => self.exchange_plain(endpoint, request).await,
            #[cfg(feature = "tls")]
            Endpoint::Tls { client, url } => exchange_tls(client, url, request)
                .await
                .map_err(|error| describe_reqwest(&error)),
        }
    }

    async fn exchange_plain(
        &mut self,
        endpoint: &PlainEndpoint,
        request: WebhookRequest,
    ) -> Result<Response, String> {
        // A kept-alive connection the receiver closed while idle is not the receiver's answer:
        // the request goes out on a fresh one.
        let kept = self.live.take().filter(|live| live.is_open());
        let mut live = match kept {
            Some(live) => live,
            None => open(endpoint).await?,
        };
        let (response, reusable) =
            live.exchange(&endpoint.base, &request)
                .await
                .map_err(|failure| match failure {
                    plain_http::Failure::Unsendable(why) => why,
                    plain_http::Failure::Io(error) => describe(&error, false),
                    plain_http::Failure::Protocol(why) => why.to_string(),
                })?;
        if reusable {
            self.live = Some(live);
        }
        Ok(response)
    }
}

async fn open(endpoint: &PlainEndpoint) -> Result<LiveConnection, String> {
    let stream = endpoint
        .connect()
        .await
        .map_err(|error| describe(&error, true))?;
    // Requests are single writes waiting for an answer: Nagle's algorithm would only delay them.
    stream
        .set_nodelay(true)
        .map_err(|error| describe(&error, true))?;
    Ok(LiveConnection::new(stream))
}

/// Why an attempt got no answer, in a few words: the innermost cause is the telling one
/// (`connection refused`, `connection reset by peer`).
fn describe(error: &(dyn std::error::Error + 'static), connecting: bool) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let cause = match innermost.downcast_ref::<std::io::Error>() {
        Some(io) => crate::error::io_reason(io).to_lowercase(),
        None => innermost.to_string(),
    };
    if connecting && !cause.contains("connect") {
        format!("cannot connect: {cause}")
    } else {
        cause
    }
}

#[cfg(feature = "tls")]
async fn exchange_tls(
    client: &reqwest::Client,
    url: &reqwest::Url,
    request: WebhookRequest,
) -> Result<Response, reqwest::Error> {
    let method =
        reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
    let mut builder = client.request(method, url.clone());
    for (name, value) in request.headers {
        builder = builder.header(name, value);
    }
    let mut response = builder.body(request.body).send().await?;
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
    };
    let status = response.status();
    let mut answer = Response {
        status: status.as_u16(),
        reason: status.canonical_reason(),
        retry_after: header(reqwest::header::RETRY_AFTER),
        location: header(reqwest::header::LOCATION),
        body_excerpt: Vec::new(),
        body_len: 0,
    };
    while answer.body_len < plain_http::BODY_DRAIN_BYTES
        && let Some(chunk) = response.chunk().await?
    {
        answer.take_body(&chunk);
    }
    Ok(answer)
}

#[cfg(feature = "tls")]
fn describe_reqwest(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return TIMED_OUT.to_string();
    }
    match tls_error(error) {
        Some(tls) => describe_tls(tls),
        None => describe(error, error.is_connect()),
    }
}

/// The rustls error under a reqwest error, which itself only says "error sending request".
/// hyper-util wraps it in `io::Error`s, whose `source()` skips the error they carry, so those
/// are opened with `get_ref()`.
#[cfg(feature = "tls")]
fn tls_error(error: &reqwest::Error) -> Option<&rustls::Error> {
    let mut current = std::error::Error::source(error);
    while let Some(error) = current {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        current = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// A failed handshake in a few words, with the way out when there is one.
#[cfg(feature = "tls")]
fn describe_tls(error: &rustls::Error) -> String {
    use rustls::{CertificateError, Error, InvalidMessage};
    let Error::InvalidCertificate(certificate) = error else {
        return match error {
            // A plain-HTTP server answers a ClientHello with text, which is no TLS record.
            Error::InvalidMessage(
                InvalidMessage::InvalidContentType | InvalidMessage::UnknownProtocolVersion,
            )
            | Error::PeerSentOversizedRecord => "the target does not speak TLS".to_string(),
            Error::AlertReceived(alert) => {
                format!("the target refused the TLS handshake ({alert:?})")
            }
            // Such as "No CA certificates were loaded from the system", when building.
            Error::General(text) => lowercase_first(text),
            other => format!("TLS: {other}"),
        };
    };
    match certificate {
        CertificateError::UnknownIssuer => {
            "certificate not trusted (unknown issuer): pass --cacert FILE or --insecure".to_string()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "certificate not valid for this host name".to_string()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "certificate expired".to_string()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "certificate not valid yet".to_string()
        }
        CertificateError::Revoked => "certificate revoked".to_string(),
        CertificateError::BadEncoding => "certificate malformed".to_string(),
        // The verifier's own error type (webpki's) is not one this crate can name: only its
        // name tells apart this common case, a self-signed `openssl req -x509` certificate,
        // marked as a CA's, served as the server's own.
        other if format!("{other:?}").contains("CaUsedAsEndEntity") => {
            "certificate is a CA's, not a server's (as `openssl req -x509` makes them): \
             serve one the CA signed, or pass --insecure"
                .to_string()
        }
        other => format!("certificate rejected: {other}"),
    }
}

#[cfg(feature = "tls")]
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// Hears about every step of a run; it prints and keeps the log.
pub trait Observer: Send + Sync {
    fn event_started(&self, index: u64, message: &Message);
    fn attempt_finished(
        &self,
        index: u64,
        record: AttemptRecord,
        result: &AttemptResult,
        step: Step,
    );
    fn waiting(&self, index: u64, wait: Wait);
    fn event_finished(&self, index: u64, outcome: EventOutcome, error: Option<String>);
}

/// Builds the message of each event of a run.
pub type MessageSource = dyn Fn(u64) -> Result<Message, String> + Send + Sync;

/// One `send` run.
pub struct Run {
    pub sender: Sender,
    pub schedule: Schedule,
    pub messages: Box<MessageSource>,
    pub count: u64,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The time the first attempt is signed for; later attempts add the time elapsed since.
    pub signing_start: Timestamp,
}

/// A run delivered on threads of its own, each a single-threaded runtime with its share of the
/// run's request slots, all taking events from one counter. Tasks on one thread wake each other
/// without crossing threads, which costs less than a work-stealing runtime, and several cores
/// sign and send. An event's attempts all go out from the thread that started it, within that
/// thread's slots, so threads are only added for runs with [`MIN_SHARE_PER_THREAD`] slots and
/// events each: few slots then stay idle while another thread's events wait. Dropping it stops
/// everything in flight (Ctrl-C) and waits for the threads: the observer has then seen every
/// step it will ever see.
pub struct Delivering {
    phase: watch::Sender<Phase>,
    threads: Vec<std::thread::JoinHandle<()>>,
    /// One per thread, completed when its events are all done (or dropped if it panicked): the
    /// caller waits on them while it listens for Ctrl-C, which joining the threads would not let
    /// it do.
    finished: Vec<oneshot::Receiver<()>>,
}

/// Where a run stands, as every delivery thread sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The threads are started and wait for the go; nothing is sent yet.
    Waiting,
    Delivering,
    /// The run is over, done or interrupted: each thread drops whatever it still has in flight,
    /// and its runtime, which until then kept serving the HTTPS connections it opened to the
    /// other threads.
    Stopping,
}

/// The fewest request slots, and the fewest events, a delivery thread is started for.
const MIN_SHARE_PER_THREAD: usize = 8;

/// The most delivery threads: each holds a few file descriptors of its own (its event queue and
/// waker), which a run near the limit of open files needs for connections.
const MAX_THREADS: usize = 8;

impl Delivering {
    /// Starts the threads that will deliver every event of `run`, with at most
    /// `run.concurrency` requests in flight in all: one per core, fewer when there would be
    /// fewer than [`MIN_SHARE_PER_THREAD`] slots or events each, and one at least. Nothing is
    /// sent before [`Delivering::deliver`]. Fails when a thread or its runtime cannot be
    /// started.
    pub fn start(run: Arc<Run>, observer: Arc<dyn Observer>) -> std::io::Result<Delivering> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let count = usize::try_from(run.count).unwrap_or(usize::MAX);
        let concurrency = run.concurrency.max(1);
        let thread_count = cores
            .min(concurrency / MIN_SHARE_PER_THREAD)
            .min(count / MIN_SHARE_PER_THREAD)
            .clamp(1, MAX_THREADS);
        // Every runtime first: a failure then leaves no thread to stop.
        let runtimes = (0..thread_count)
            .map(|_| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        let events = Arc::new(EventCounter::new(run.count));
        let started = Instant::now();
        let (phase, phases) = watch::channel(Phase::Waiting);
        let mut delivering = Delivering {
            phase,
            threads: Vec::with_capacity(thread_count),
            finished: Vec::with_capacity(thread_count),
        };
        for (thread, runtime) in runtimes.into_iter().enumerate() {
            let share = Share {
                events: Arc::clone(&events),
                slots: split(concurrency, thread_count, thread),
                max_in_progress: split(MAX_EVENTS_IN_PROGRESS, thread_count, thread),
                started,
            };
            let (run, observer, phase) = (run.clone(), observer.clone(), phases.clone());
            let (finished, finished_heard) = oneshot::channel();
            // On an error, `delivering` is dropped, which stops and joins the threads started,
            // before any of them has sent anything.
            let handle = std::thread::Builder::new()
                .name(format!("delivery-{thread}"))
                .spawn(move || {
                    deliver_on_thread(&runtime, run, observer, share, phase, finished);
                    // Tasks still in flight are dropped with the runtime; a name lookup left
                    // on its blocking pool is not waited for.
                    runtime.shutdown_background();
                })?;
            delivering.threads.push(handle);
            delivering.finished.push(finished_heard);
        }
        Ok(delivering)
    }

    /// Gives the threads the go, then resolves when every event has an outcome; called once.
    /// A caller listening for Ctrl-C starts listening before it polls this, so that no request
    /// goes out before an interruption can be heard.
    pub async fn deliver(&mut self) {
        self.phase.send_replace(Phase::Delivering);
        for finished in &mut self.finished {
            // An error means the thread is gone without saying so: it is done either way.
            let _ = finished.await;
        }
    }
}

impl Drop for Delivering {
    fn drop(&mut self) {
        self.phase.send_replace(Phase::Stopping);
        for thread in self.threads.drain(..) {
            if let Err(panic) = thread.join()
                && !std::thread::panicking()
            {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

/// One delivery thread's life: wait for the go, deliver its share, say so, then keep its runtime
/// running until the whole run stops. HTTPS connections are pooled for the whole run (one
/// client), so those this thread opened may be carrying the other threads' requests.
fn deliver_on_thread(
    runtime: &tokio::runtime::Runtime,
    run: Arc<Run>,
    observer: Arc<dyn Observer>,
    share: Share,
    mut phase: watch::Receiver<Phase>,
    finished: oneshot::Sender<()>,
) {
    runtime.block_on(async {
        let go = phase
            .wait_for(|phase| *phase != Phase::Waiting)
            .await
            .map(|phase| *phase);
        match go {
            Ok(Phase::Delivering) => {}
            // Stopped before the go: nothing was sent.
            _ => return,
        }
        let delivered = tokio::select! {
            () = deliver_share(run, observer, share) => true,
            _ = phase.wait_for(|phase| *phase == Phase::Stopping) => false,
        };
        if delivered {
            let _ = finished.send(());
            let _ = phase.wait_for(|phase| *phase == Phase::Stopping).await;
        }
    });
}

/// Thread `index`'s part of `total` shared by `parts` threads: the parts differ by one at most
/// and add up to `total`.
fn split(total: usize, parts: usize, index: usize) -> usize {
    total / parts + usize::from(index < total % parts)
}

/// The index of the next event to start, shared by every thread delivering a run.
struct EventCounter {
    next: AtomicU64,
    count: u64,
}

impl EventCounter {
    fn new(count: u64) -> EventCounter {
        EventCounter {
            next: AtomicU64::new(0),
            count,
        }
    }

    /// The next event's index, or None once every event has been taken.
    fn take(&self) -> Option<u64> {
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        (index < self.count).then_some(index)
    }
}

/// What one thread delivering a run owns of it.
struct Share {
    events: Arc<EventCounter>,
    /// Requests this thread may have in flight.
    slots: usize,
    max_in_progress: usize,
    /// When the run began, for the time each attempt is signed for.
    started: Instant,
}

/// Delivers every event of `run` on the current runtime, with at most `run.concurrency`
/// requests in flight. Dropping the future stops everything in flight; the observer has seen
/// every step until then.
pub async fn deliver_all(run: Arc<Run>, observer: Arc<dyn Observer>) {
    let share = Share {
        events: Arc::new(EventCounter::new(run.count)),
        slots: run.concurrency,
        max_in_progress: MAX_EVENTS_IN_PROGRESS,
        started: Instant::now(),
    };
    deliver_share(run, observer, share).await;
}

/// Delivers events taken from `share` until there are none left, with at most `share.slots`
/// requests in flight.
///
/// The limit is on requests, not events, as Beedeez documents its "concurrency of 5 parallel
/// requests": an event holds a slot only while one of its attempts runs, and none while it
/// waits for its next retry, so failing events never keep the others from starting.
async fn deliver_share(run: Arc<Run>, observer: Arc<dyn Observer>, share: Share) {
    tokio::select! {
        biased;
        () = deliver_events(run, observer, share) => {}
        () = keep_a_timer_pending() => {}
    }
}

/// How often the timer [`keep_a_timer_pending`] keeps is set again.
const KEPT_TIMER_PERIOD: Duration = Duration::from_secs(1);

/// Keeps a timer pending on the current runtime, forever. Tokio wakes its thread through a
/// system call whenever a timer is set earlier than the earliest it planned to wake for, or
/// when it planned none: measured on a fast receiver, each attempt's time limit did so, one
/// system call per request. A timer due sooner than those limits is always planned for.
async fn keep_a_timer_pending() {
    loop {
        tokio::time::sleep(KEPT_TIMER_PERIOD).await;
    }
}

/// The deliveries of [`deliver_share`].
async fn deliver_events(run: Arc<Run>, observer: Arc<dyn Observer>, share: Share) {
    let started = share.started;
    let slots = Arc::new(Slots::new(share.slots));
    let in_progress = Arc::new(Semaphore::new(share.max_in_progress.max(1)));
    let mut events = JoinSet::new();
    loop {
        let event_permit = Arc::clone(&in_progress)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        // An event starts once a slot is free, and its first attempt takes that slot: events
        // are composed no faster than they can be sent. Slots go out in the order asked for,
        // so new events and retries take turns.
        let slot = slots.acquire().await;
        let Some(index) = share.events.take() else {
            break;
        };
        let (run, observer, slots) = (run.clone(), observer.clone(), slots.clone());
        // On the heap: an event's future holds its message and its attempt's (kilobytes for an
        // HTTPS target), which the runtime would otherwise copy into the task and again over
        // it when the event ends.
        events.spawn(Box::pin(async move {
            deliver_one(&run, &slots, slot, observer.as_ref(), index, started).await;
            drop(event_permit);
        }));
        while events.try_join_next().is_some() {}
    }
    while events.join_next().await.is_some() {}
}

/// Events started and not finished at once, at most: each waiting event keeps its message in
/// memory, so a large `--count` against a failing receiver must not start them all.
const MAX_EVENTS_IN_PROGRESS: usize = 10_000;

/// The requests a run may have in flight: one permit each, and the keep-alive connections that
/// are idle between attempts (at most one per permit).
struct Slots {
    permits: Arc<Semaphore>,
    idle: std::sync::Mutex<Vec<LiveConnection>>,
}

/// The right to send one request, and a connection to send it on; given back when dropped.
struct Slot {
    slots: Arc<Slots>,
    _permit: OwnedSemaphorePermit,
    live: Option<LiveConnection>,
}

impl Slots {
    fn new(concurrency: usize) -> Self {
        Slots {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    async fn acquire(self: &Arc<Self>) -> Slot {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let live = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        Slot {
            slots: Arc::clone(self),
            _permit: permit,
            live,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        // The connection is back in the pool before the permit is released (fields drop after
        // this), so that the next holder finds it.
        if let Some(live) = self.live.take() {
            self.slots
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(live);
        }
    }
}

async fn deliver_one(
    run: &Run,
    slots: &Arc<Slots>,
    first_slot: Slot,
    observer: &dyn Observer,
    index: u64,
    started: Instant,
) {
    let message = match (run.messages)(index) {
        Ok(message) => message,
        Err(error) => {
            observer.event_finished(index, EventOutcome::NotComposed, Some(error));
            return;
        }
    };
    observer.event_started(index, &message);
    let mut first_slot = Some(first_slot);
    for n in 1.. {
        let mut slot = match first_slot.take() {
            Some(slot) => slot,
            None => slots.acquire().await,
        };
        let elapsed = SignedDuration::try_from(started.elapsed()).unwrap_or(SignedDuration::ZERO);
        let at = run
            .signing_start
            .checked_add(elapsed)
            .unwrap_or(run.signing_start);
        // Each attempt is signed for its own time; body and event id never change.
        let request = message.request_at(at.as_second());
        let mut connection = Connection {
            sender: &run.sender,
            live: slot.live.take(),
        };
        let result = connection.attempt(request).await;
        slot.live = connection.live.take();
        // Released before the wait: a slot is a request in flight, not an event.
        drop(slot);
        let answer = match &result.answer {
            Ok(response) => Answer::Status {
                status: response.status,
                retry_after: response
                    .retry_after
                    .as_deref()
                    .and_then(|value| retry_after_delay(value, SystemTime::now())),
            },
            Err(_) => Answer::NoAnswer,
        };
        let step = run.schedule.next_step(n, answer);
        let wait = match step {
            Step::Retry(wait) => Some(wait),
            _ => None,
        };
        let record = AttemptRecord {
            n,
            at,
            status: result.answer.as_ref().ok().map(|response| response.status),
            error: result.answer.as_ref().err().cloned(),
            latency_ms: millis(result.latency),
            next_delay_ms: wait.map(|wait| millis(wait.scaled)),
            next_delay_unscaled_ms: wait.map(|wait| millis(wait.real)),
        };
        observer.attempt_finished(index, record, &result, step);
        let outcome = match step {
            Step::Retry(wait) => {
                observer.waiting(index, wait);
                tokio::time::sleep(wait.scaled).await;
                continue;
            }
            Step::Delivered => EventOutcome::Delivered,
            Step::PermanentFailure => EventOutcome::PermanentFailure,
            Step::RetriesExhausted => EventOutcome::RetriesExhausted,
        };
        observer.event_finished(index, outcome, None);
        return;
    }
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn shares_differ_by_one_at_most_and_add_up_to_the_whole() {
        for (total, parts) in [(50, 2), (5, 2), (7, 3), (1, 1), (10_000, 4)] {
            let shares: Vec<usize> = (0..parts).map(|index| split(total, parts, index)).collect();
            assert_eq!(shares.iter().sum::<usize>(), total, "{shares:?}");
            let (least, most) = (shares.iter().min(), shares.iter().max());
            assert!(most.unwrap() - least.unwrap() <= 1, "{shares:?}");
        }
    }

    #[test]
    fn a_shortage_of_sockets_names_the_address_and_the_way_out() {
        let exhausted = crate::error::descriptor_shortage();
        let error = out_of_sockets(([127, 0, 0, 1], 3000).into(), &exhausted);
        assert_eq!(
            describe(&error, true),
            "cannot open a connection to 127.0.0.1:3000: too many open files; \
             raise the limit of open files, e.g. `ulimit -n 4096`"
        );
    }
}
