//! The HTTP server behind `listen`: accepts connections itself (backing off when the process is
//! out of file descriptors, never giving up), hands each request's exact bytes to a receiver
//! that decides the status, tells it about requests hyper refused before they reached it (a
//! malformed head, headers too large), and shuts down gracefully. The one module that talks to
//! hyper's server side.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use http_body_util::{BodyExt, Empty, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper::header::{CONTENT_LENGTH, HeaderValue};
use hyper::server::conn::http1;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How long accepting pauses after a failure that is not one connection's (out of file
/// descriptors): connections ending in the meantime free what the next accept needs.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// One request as it arrived. The body is never decoded or re-encoded: it is what was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Header names as hyper gives them (lowercase), values byte for byte.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Empty when the body was larger than the limit; as far as it arrived when it is incomplete.
    pub body: Vec<u8>,
    /// The body was larger than the limit and was not read to its end.
    pub body_too_large: bool,
    /// Why the body did not arrive whole, when it did not.
    pub incomplete: Option<Incomplete>,
}

impl Incoming {
    /// The headers as text, bytes that are not UTF-8 replaced (for matching, never for storing),
    /// taken out of the request with what gives them back as received. Nearly every value is
    /// UTF-8 and is moved as it is, both ways, never copied.
    pub fn take_text_headers(&mut self) -> TextHeaders {
        let mut not_text = Vec::new();
        let text = std::mem::take(&mut self.headers)
            .into_iter()
            .enumerate()
            .map(|(index, (name, value))| match String::from_utf8(value) {
                Ok(text) => (name, text),
                Err(error) => {
                    let bytes = error.into_bytes();
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    not_text.push((index, bytes));
                    (name, text)
                }
            })
            .collect();
        TextHeaders { text, not_text }
    }
}

/// A request's headers as text, from [`Incoming::take_text_headers`].
pub struct TextHeaders {
    pub text: Vec<(String, String)>,
    /// By position: the values that are not UTF-8, as received.
    not_text: Vec<(usize, Vec<u8>)>,
}

impl TextHeaders {
    /// The headers as received, bytes and all.
    pub fn into_received(self) -> Vec<(String, Vec<u8>)> {
        let mut not_text = self.not_text.into_iter().peekable();
        self.text
            .into_iter()
            .enumerate()
            .map(
                |(index, (name, text))| match not_text.next_if(|(at, _)| *at == index) {
                    Some((_, bytes)) => (name, bytes),
                    None => (name, text.into_bytes()),
                },
            )
            .collect()
    }
}

/// A body that did not arrive whole: it must never be acknowledged as delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// What happened, for people.
    pub problem: String,
    /// The client ended (or lost) the connection before the body's end, so whether an answer
    /// reaches it cannot be known; otherwise it is still there to be answered 400.
    pub client_gone: bool,
}

/// A request hyper refused while reading its head, before any receiver saw it: never a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What was refused, in a few words: `malformed request`, `headers too large`.
    pub refused: &'static str,
    /// What hyper found, for people.
    pub problem: String,
    /// The status hyper answered; 0 when it sent none.
    pub status: u16,
}

/// What a server does with what arrives.
pub trait Receiver: Send + Sync + 'static {
    /// The status to answer `incoming` with, once whatever must happen before the sender hears
    /// back has happened.
    fn request(&self, incoming: Incoming) -> impl Future<Output = u16> + Send;

    /// A request hyper refused (and answered, unless `status` is 0) before it reached
    /// [`Receiver::request`].
    fn refused(&self, refusal: Refusal) -> impl Future<Output = ()> + Send;

    /// Accepting a connection on `address` failed for a reason that is not that connection's
    /// (out of file descriptors). The server pauses briefly and keeps accepting.
    fn accept_failed(&self, address: SocketAddr, error: &io::Error);
}

/// A running server. Dropping it without `stop` stops accepting connections at once.
pub struct Server {
    address: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Server {
    /// The bound address (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops accepting connections and returns once every request in flight has been answered
    /// and every refusal reported.
    pub async fn stop(self) -> io::Result<()> {
        let _ = self.stop.send(true);
        self.task.await.map_err(io::Error::other)
    }
}

/// Binds `address` and serves every connection: each request goes to `receiver`, which returns
/// the status to answer. Bodies longer than `max_body` bytes reach it as `body_too_large`.
pub async fn serve<R: Receiver>(
    address: SocketAddr,
    max_body: usize,
    receiver: Arc<R>,
) -> io::Result<Server> {
    Ok(bind(address).await?.serve(max_body, receiver))
}

/// Binds `address` without accepting yet: connections wait in the backlog until
/// [`Bound::serve`], so that whatever must come first (the announced address) does.
pub async fn bind(address: SocketAddr) -> io::Result<Bound> {
    let listener = TcpListener::bind(address).await?;
    let address = listener.local_addr()?;
    Ok(Bound { listener, address })
}

/// A bound socket, not accepting connections yet.
pub struct Bound {
    listener: TcpListener,
    address: SocketAddr,
}

impl Bound {
    /// The bound address (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Starts accepting: each request goes to `receiver`, which returns the status to answer.
    /// Bodies longer than `max_body` bytes reach it as `body_too_large`.
    pub fn serve<R: Receiver>(self, max_body: usize, receiver: Arc<R>) -> Server {
        let (stop, stopping) = watch::channel(false);
        let (listener, address) = (self.listener, self.address);
        let task = tokio::spawn(accept_loop(listener, address, max_body, receiver, stopping));
        Server {
            address,
            stop,
            task,
        }
    }
}

/// Accepts connections until told to stop (or until the [`Server`] is dropped), then waits for
/// every connection to finish.
async fn accept_loop<R: Receiver>(
    listener: TcpListener,
    address: SocketAddr,
    max_body: usize,
    receiver: Arc<R>,
    mut stopping: watch::Receiver<bool>,
) {
    // Each connection holds a receiver of `open`: once they are all dropped, all are done.
    let (open, _) = watch::channel(());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopping.changed() => break,
        };
        match accepted {
            Ok((stream, _)) => {
                let connection =
                    serve_connection(stream, max_body, receiver.clone(), stopping.clone());
                let open = open.subscribe();
                tokio::spawn(async move {
                    connection.await;
                    drop(open);
                });
            }
            // Only that connection is lost (its client gave up before it was accepted).
            Err(error) if is_connection_error(&error) => {}
            Err(error) => {
                receiver.accept_failed(address, &error);
                // The pending connections wait in the backlog; retrying at once would spin.
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                    _ = stopping.changed() => break,
                }
            }
        }
    }
    drop(listener);
    open.closed().await;
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection's requests until it ends (gracefully once `stopping` turns), then
/// reports the request hyper refused, if that is how it ended.
async fn serve_connection<R: Receiver>(
    stream: TcpStream,
    max_body: usize,
    receiver: Arc<R>,
    mut stopping: watch::Receiver<bool>,
) {
    // Answers go out as soon as they are written, as the provider's would.
    let _ = stream.set_nodelay(true);
    let state = Arc::new(ConnectionState::default());
    let service = {
        let (state, receiver) = (state.clone(), receiver.clone());
        hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
            state.request_started();
            let (state, receiver) = (state.clone(), receiver.clone());
            let head = request.method() == Method::HEAD;
            async move {
                let incoming = read(request, max_body).await;
                if incoming.body_too_large || incoming.incomplete.is_some() {
                    state.body_failed();
                }
                let status = receiver.request(incoming).await;
                state.request_finished();
                let mut response = Response::new(Empty::<Bytes>::new());
                *response.status_mut() =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                if head {
                    // hyper says nothing of the length of a HEAD answer's body; every answer
                    // here has none, and says so.
                    response
                        .headers_mut()
                        .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
                Ok::<_, Infallible>(response)
            }
        })
    };
    // A client that half-closes once its request is sent still gets its answer: without this,
    // hyper would drop the request mid-way, after its capture may have been written.
    let connection = http1::Builder::new()
        .half_close(true)
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    let ended = loop {
        tokio::select! {
            ended = connection.as_mut() => break ended,
            changed = stopping.changed() => {
                connection.as_mut().graceful_shutdown();
                if changed.is_err() {
                    // The server is gone: no further signal will come.
                    break connection.as_mut().await;
                }
            }
        }
    };
    if let Err(error) = ended
        && let Some(refusal) = refusal(&error, state.stage())
    {
        receiver.refused(refusal).await;
    }
}

/// Where a connection stands: a request being handled, or one whose body failed, owns whatever
/// error ends the connection; only between requests does an error mean a refused request.
#[derive(Debug, Default)]
struct ConnectionState(AtomicU8);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    BetweenRequests,
    InRequest,
    /// A body was cut short, malformed or too large: what follows on the connection belongs to
    /// that request, already recorded.
    BodyFailed,
}

impl ConnectionState {
    const BETWEEN: u8 = 0;
    const IN_REQUEST: u8 = 1;
    const BODY_FAILED: u8 = 2;

    fn request_started(&self) {
        let _ = self.0.compare_exchange(
            Self::BETWEEN,
            Self::IN_REQUEST,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }

    fn request_finished(&self) {
        let _ = self.0.compare_exchange(
            Self::IN_REQUEST,
            Self::BETWEEN,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }

    fn body_failed(&self) {
        self.0.store(Self::BODY_FAILED, Ordering::Release);
    }

    fn stage(&self) -> Stage {
        match self.0.load(Ordering::Acquire) {
            Self::BETWEEN => Stage::BetweenRequests,
            Self::IN_REQUEST => Stage::InRequest,
            _ => Stage::BodyFailed,
        }
    }
}

/// The request hyper refused, when `error` ended the connection while reading a request's
/// head; `None` for anything else (a request the receiver already has, a client gone while
/// idle). hyper answers 400 to a malformed head, 431 to headers past its limits and 414 to a
/// URI past 64 KiB; HTTP/2 spoken without upgrade and a head cut short get no answer.
fn refusal(error: &hyper::Error, stage: Stage) -> Option<Refusal> {
    let (refused, status) = if error.is_parse_version_h2() {
        ("HTTP/2 without upgrade (this listener speaks HTTP/1.1)", 0)
    } else if error.is_parse_too_large() {
        // hyper's message is its one public sign telling the two apart.
        if error.to_string().contains("URI") {
            ("URI too long", 414)
        } else {
            ("headers too large", 431)
        }
    } else if error.is_parse() {
        ("malformed request", 400)
    } else if error.is_incomplete_message() && stage == Stage::BetweenRequests {
        return Some(Refusal {
            refused: "request head cut short",
            problem: "the client ended the connection before the end of the request head"
                .to_string(),
            status: 0,
        });
    } else {
        return None;
    };
    Some(Refusal {
        refused,
        problem: error.to_string(),
        status,
    })
}

async fn read(request: Request<hyper::body::Incoming>, max_body: usize) -> Incoming {
    let (parts, body) = request.into_parts();
    let headers: Vec<(String, Vec<u8>)> = parts
        .headers
        .iter()
        .map(|(name, value)| (name.as_str().to_string(), value.as_bytes().to_vec()))
        .collect();
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
    let body = read_body(body, max_body).await;
    let (body, body_too_large, incomplete) = match body {
        ReadBody::Whole(bytes) => (bytes, false, None),
        ReadBody::TooLarge => (Vec::new(), true, None),
        ReadBody::Incomplete(bytes, incomplete) => (bytes, false, Some(incomplete)),
    };
    Incoming {
        method: parts.method.as_str().to_string(),
        path,
        headers,
        body,
        body_too_large,
        incomplete,
    }
}

enum ReadBody {
    Whole(Vec<u8>),
    TooLarge,
    /// As far as it arrived, and why it stopped there.
    Incomplete(Vec<u8>, Incomplete),
}

/// The body bytes, `TooLarge` past the limit, or what arrived of a body cut short or malformed,
/// with what went wrong: the capture then shows what was really received, marked incomplete.
async fn read_body(body: hyper::body::Incoming, max_body: usize) -> ReadBody {
    let mut limited = Limited::new(body, max_body);
    let mut bytes = Vec::new();
    while let Some(frame) = limited.frame().await {
        match frame {
            Ok(frame) => {
                if let Some(data) = frame.data_ref() {
                    bytes.extend_from_slice(data);
                }
            }
            Err(error) if error.is::<LengthLimitError>() => return ReadBody::TooLarge,
            Err(error) => return ReadBody::Incomplete(bytes, incomplete(error.as_ref())),
        }
    }
    ReadBody::Whole(bytes)
}

/// What a body read error says about the request: the I/O error hyper found in its source chain
/// tells a connection ended early from a malformed body.
fn incomplete(error: &(dyn std::error::Error + 'static)) -> Incomplete {
    let mut source = Some(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            let client_gone = !matches!(
                io.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
            );
            let problem = match io.kind() {
                io::ErrorKind::UnexpectedEof => {
                    "the client ended the connection before the end of the body".to_string()
                }
                _ if client_gone => format!("the connection failed mid-body ({io})"),
                _ => format!("malformed body ({io})"),
            };
            return Incomplete {
                problem,
                client_gone,
            };
        }
        source = cause.source();
    }
    Incomplete {
        problem: format!("the body could not be read ({error})"),
        client_gone: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

    #[test]
    fn text_headers_give_back_the_bytes_received() {
        let received: Vec<(String, Vec<u8>)> = vec![
            ("a".into(), b"text".to_vec()),
            ("b".into(), b"\xff\xfe".to_vec()),
            ("c".into(), b"caf\xc3\xa9".to_vec()),
            ("d".into(), b"x\x80y".to_vec()),
            ("e".into(), Vec::new()),
        ];
        let mut incoming = Incoming {
            method: "POST".into(),
            path: "/".into(),
            headers: received.clone(),
            body: Vec::new(),
            body_too_large: false,
            incomplete: None,
        };
        let headers = incoming.take_text_headers();
        assert!(incoming.headers.is_empty());
        let text: Vec<(&str, &str)> = headers
            .text
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            text,
            [
                ("a", "text"),
                ("b", "\u{fffd}\u{fffd}"),
                ("c", "café"),
                ("d", "x\u{fffd}y"),
                ("e", "")
            ]
        );
        assert_eq!(headers.into_received(), received);
    }

    /// Answers with `answer`'s status and hands over everything it hears about.
    struct Recording {
        answer: fn(&Incoming) -> u16,
        requests: UnboundedSender<Incoming>,
        refusals: UnboundedSender<Refusal>,
    }

    impl Receiver for Recording {
        async fn request(&self, incoming: Incoming) -> u16 {
            let status = (self.answer)(&incoming);
            self.requests.send(incoming).unwrap();
            status
        }

        async fn refused(&self, refusal: Refusal) {
            self.refusals.send(refusal).unwrap();
        }

        fn accept_failed(&self, _: SocketAddr, error: &io::Error) {
            panic!("no accept fails here: {error}");
        }
    }

    struct Running {
        server: Server,
        requests: UnboundedReceiver<Incoming>,
        refusals: UnboundedReceiver<Refusal>,
    }

    async fn start(max_body: usize, answer: fn(&Incoming) -> u16) -> Running {
        let (requests, requests_heard) = unbounded_channel();
        let (refusals, refusals_heard) = unbounded_channel();
        let receiver = Arc::new(Recording {
            answer,
            requests,
            refusals,
        });
        let server = serve(([127, 0, 0, 1], 0).into(), max_body, receiver)
            .await
            .unwrap();
        Running {
            server,
            requests: requests_heard,
            refusals: refusals_heard,
        }
    }

    /// Writes `request`, half-closes when asked, and reads until the server closes.
    async fn exchange(address: SocketAddr, request: &[u8], half_close: bool) -> String {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.write_all(request).await.unwrap();
        if half_close {
            stream.shutdown().await.unwrap();
        }
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        String::from_utf8_lossy(&response).into_owned()
    }

    #[tokio::test]
    async fn every_answer_says_its_body_is_empty_head_included() {
        let mut running = start(16, |_| 200).await;
        for method in ["POST", "HEAD"] {
            let request = format!("{method} / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            let response = exchange(running.server.address(), request.as_bytes(), false).await;
            assert!(response.starts_with("HTTP/1.1 200"), "{response}");
            assert!(
                response.contains("content-length: 0\r\n"),
                "{method}: {response}"
            );
            assert_eq!(running.requests.recv().await.unwrap().method, method);
        }
    }

    #[tokio::test]
    async fn any_method_and_path_reach_the_handler_byte_for_byte() {
        let mut running = start(16, |_| 202).await;
        let response = exchange(
            running.server.address(),
            b"PATCH /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Sig: v\xff\r\nContent-Length: 3\r\nConnection: close\r\n\r\n\xff\x00{",
            false,
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 202"), "{response}");
        let incoming = running.requests.recv().await.unwrap();
        assert_eq!(incoming.method, "PATCH");
        assert_eq!(incoming.path, "/a/b?x=1");
        assert_eq!(incoming.body, b"\xff\x00{");
        assert!(!incoming.body_too_large);
        assert!(incoming.incomplete.is_none());
        assert!(
            incoming
                .headers
                .contains(&("x-sig".into(), b"v\xff".to_vec()))
        );
        running.server.stop().await.unwrap();
        assert!(running.refusals.try_recv().is_err(), "nothing was refused");
    }

    #[tokio::test]
    async fn every_byte_a_header_value_may_hold_is_kept_exactly() {
        let mut running = start(16, |_| 200).await;
        // Tab, space, visible ASCII and every byte from 0x80: what HTTP allows in a field value
        // (whitespace only inside it: around it, it is not part of the value).
        let value: Vec<u8> = [b'<', b'\t', b' ']
            .into_iter()
            .chain(0x21..=0x7e)
            .chain(0x80..=0xff)
            .collect();
        let mut request = b"POST / HTTP/1.1\r\nHost: h\r\nX-All: ".to_vec();
        request.extend_from_slice(&value);
        request.extend_from_slice(b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        let response = exchange(running.server.address(), &request, false).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        let incoming = running.requests.recv().await.unwrap();
        let kept = incoming
            .headers
            .iter()
            .find(|(name, _)| name == "x-all")
            .map(|(_, value)| value.clone());
        assert_eq!(kept, Some(value));
        running.server.stop().await.unwrap();
    }

    /// Serves one request whose body does not arrive whole; the status answered (if any) and
    /// what the handler saw.
    async fn incomplete_exchange(request: &[u8], half_close: bool) -> (String, Incoming) {
        let mut running = start(1024, |incoming| {
            if incoming.incomplete.is_some() {
                400
            } else {
                200
            }
        })
        .await;
        let response = exchange(running.server.address(), request, half_close).await;
        let incoming = running.requests.recv().await.unwrap();
        running.server.stop().await.unwrap();
        assert!(
            running.refusals.try_recv().is_err(),
            "a body that failed is the request's, not a refusal"
        );
        (response, incoming)
    }

    #[tokio::test]
    async fn a_body_shorter_than_its_content_length_is_incomplete() {
        let (response, incoming) = incomplete_exchange(
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12345",
            true,
        )
        .await;
        assert_eq!(incoming.body, b"12345");
        let incomplete = incoming.incomplete.unwrap();
        assert!(incomplete.client_gone, "{incomplete:?}");
        assert!(incomplete.problem.contains("before the end of the body"));
        assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    }

    #[tokio::test]
    async fn a_malformed_chunked_body_is_incomplete() {
        let (response, incoming) = incomplete_exchange(
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n",
            false,
        )
        .await;
        assert_eq!(incoming.body, b"abc");
        let incomplete = incoming.incomplete.unwrap();
        assert!(!incomplete.client_gone, "{incomplete:?}");
        assert!(
            incomplete.problem.starts_with("malformed body"),
            "{incomplete:?}"
        );
        assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    }

    #[tokio::test]
    async fn bodies_past_the_limit_are_flagged_not_read() {
        let mut running = start(
            4,
            |incoming| {
                if incoming.body_too_large { 413 } else { 200 }
            },
        )
        .await;
        let response = exchange(
            running.server.address(),
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\n12345",
            false,
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 413"), "{response}");
        let incoming = running.requests.recv().await.unwrap();
        assert!(incoming.body_too_large);
        assert!(incoming.body.is_empty());
        running.server.stop().await.unwrap();
        assert!(running.refusals.try_recv().is_err());
    }

    /// Sends `request` (half-closing when asked) to a fresh server; the answer and the refusal
    /// the receiver heard of. No request may reach it.
    async fn refused_exchange(request: &[u8], half_close: bool) -> (String, Refusal) {
        let mut running = start(1024, |_| 200).await;
        let response = exchange(running.server.address(), request, half_close).await;
        running.server.stop().await.unwrap();
        assert!(
            running.requests.try_recv().is_err(),
            "no request got through"
        );
        let refusal = running
            .refusals
            .try_recv()
            .expect("the refusal is reported");
        assert!(running.refusals.try_recv().is_err(), "one refusal");
        (response, refusal)
    }

    #[tokio::test]
    async fn a_malformed_header_line_is_answered_400_and_reported() {
        let (response, refusal) = refused_exchange(
            b"POST / HTTP/1.1\r\nHost: h\r\nNo colon here\r\n\r\n",
            false,
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 400"), "{response}");
        assert_eq!(
            (refusal.refused, refusal.status),
            ("malformed request", 400)
        );
        assert_eq!(refusal.problem, "invalid HTTP header parsed");
    }

    #[tokio::test]
    async fn a_malformed_request_line_is_answered_400_and_reported() {
        let (response, refusal) = refused_exchange(b"P\x01ST / HTTP/1.1\r\n\r\n", false).await;
        assert!(response.starts_with("HTTP/1.1 400"), "{response}");
        assert_eq!(
            (refusal.refused, refusal.status),
            ("malformed request", 400)
        );
    }

    #[tokio::test]
    async fn too_many_headers_are_answered_431_and_reported() {
        let mut request = b"POST / HTTP/1.1\r\nHost: h\r\n".to_vec();
        for n in 0..120 {
            request.extend_from_slice(format!("X-{n}: v\r\n").as_bytes());
        }
        request.extend_from_slice(b"\r\n");
        let (response, refusal) = refused_exchange(&request, false).await;
        assert!(response.starts_with("HTTP/1.1 431"), "{response}");
        assert_eq!(
            (refusal.refused, refusal.status),
            ("headers too large", 431)
        );
    }

    #[tokio::test]
    async fn a_head_larger_than_hyper_reads_is_reported_431() {
        let mut request = b"POST / HTTP/1.1\r\nHost: h\r\nX-Big: ".to_vec();
        request.resize(request.len() + (512 << 10), b'a');
        request.extend_from_slice(b"\r\n\r\n");
        let mut running = start(1024, |_| 200).await;
        // The server stops reading past its limit: the write may fail, the answer may be lost.
        let address = running.server.address();
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let _ = stream.write_all(&request).await;
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        running.server.stop().await.unwrap();
        let refusal = running.refusals.try_recv().unwrap();
        assert_eq!(
            (refusal.refused, refusal.status),
            ("headers too large", 431)
        );
        assert_eq!(refusal.problem, "message head is too large");
    }

    #[tokio::test]
    async fn a_uri_past_64_kib_is_answered_414_and_reported() {
        let mut request = b"GET /".to_vec();
        request.resize(request.len() + (70 << 10), b'a');
        request.extend_from_slice(b" HTTP/1.1\r\nHost: h\r\n\r\n");
        let (response, refusal) = refused_exchange(&request, false).await;
        assert!(response.starts_with("HTTP/1.1 414"), "{response}");
        assert_eq!((refusal.refused, refusal.status), ("URI too long", 414));
    }

    #[tokio::test]
    async fn a_head_cut_short_is_reported_without_an_answer() {
        let (response, refusal) =
            refused_exchange(b"POST /hook HTTP/1.1\r\nHost: h\r\nContent-Le", true).await;
        assert_eq!(response, "");
        assert_eq!(
            (refusal.refused, refusal.status),
            ("request head cut short", 0)
        );
    }

    #[tokio::test]
    async fn http2_without_upgrade_is_reported_without_an_answer() {
        let (response, refusal) =
            refused_exchange(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false).await;
        assert_eq!(response, "");
        assert_eq!(refusal.status, 0);
        assert!(refusal.refused.starts_with("HTTP/2"), "{refusal:?}");
    }

    #[tokio::test]
    async fn a_connection_closed_between_requests_is_no_refusal() {
        let mut running = start(1024, |_| 200).await;
        let address = running.server.address();
        // Opened and closed without a byte; then one request and a close while idle.
        drop(tokio::net::TcpStream::connect(address).await.unwrap());
        let response = exchange(
            address,
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}",
            true,
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        running.server.stop().await.unwrap();
        assert!(running.requests.try_recv().is_ok());
        assert!(running.refusals.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_refusal_after_a_whole_request_on_the_same_connection_is_reported() {
        let mut running = start(1024, |_| 200).await;
        let response = exchange(
            running.server.address(),
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}POST / HTTP/1.1\r\nBad\r\n\r\n",
            false,
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("HTTP/1.1 400"), "{response}");
        running.server.stop().await.unwrap();
        assert!(running.requests.try_recv().is_ok());
        assert_eq!(running.refusals.try_recv().unwrap().status, 400);
    }
}
