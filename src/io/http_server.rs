//! The HTTP server behind `listen`: accepts any method on any path, hands each request's exact
//! bytes to a handler that decides the status, and shuts down gracefully. The one module that
//! talks to axum (and hyper's body types).

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
    /// The headers as text, bytes that are not UTF-8 replaced (for matching, never for storing).
    pub fn text_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
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

/// A running server. Dropping it without `stop` leaves the server running until the runtime ends.
pub struct Server {
    address: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl Server {
    /// The bound address (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops accepting connections and returns once every request in flight has been answered.
    pub async fn stop(self) -> io::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.map_err(io::Error::other)?
    }
}

/// Binds `address` and serves every request with `handler`, which returns the status to answer
/// (after it has done whatever must happen before the sender hears back). Bodies longer than
/// `max_body` bytes reach the handler as `body_too_large`.
pub async fn serve<H, F>(address: SocketAddr, max_body: usize, handler: H) -> io::Result<Server>
where
    H: Fn(Incoming) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = u16> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind(address).await?;
    let address = listener.local_addr()?;
    let app = Router::new().fallback(move |request: Request| {
        let handler = handler.clone();
        async move {
            let incoming = read(request, max_body).await;
            let status = handler(incoming).await;
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
    });
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async {
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move { server.await });
    Ok(Server {
        address,
        shutdown,
        task,
    })
}

async fn read(request: Request, max_body: usize) -> Incoming {
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
async fn read_body(body: Body, max_body: usize) -> ReadBody {
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

    async fn exchange(address: SocketAddr, request: &[u8]) -> String {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        String::from_utf8_lossy(&response).into_owned()
    }

    #[tokio::test]
    async fn any_method_and_path_reach_the_handler_byte_for_byte() {
        let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
        let server = serve(([127, 0, 0, 1], 0).into(), 16, move |incoming| {
            let sender = sender.clone();
            async move {
                sender.send(incoming).unwrap();
                202
            }
        })
        .await
        .unwrap();
        let response = exchange(
            server.address(),
            b"PATCH /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Sig: v\xff\r\nContent-Length: 3\r\nConnection: close\r\n\r\n\xff\x00{",
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 202"), "{response}");
        let incoming = received.recv().await.unwrap();
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
        server.stop().await.unwrap();
    }

    /// Serves one request whose body does not arrive whole; the status answered (if any) and
    /// what the handler saw.
    async fn incomplete_exchange(request: &[u8], half_close: bool) -> (String, Incoming) {
        let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
        let server = serve(
            ([127, 0, 0, 1], 0).into(),
            1024,
            move |incoming: Incoming| {
                let sender = sender.clone();
                async move {
                    let status = if incoming.incomplete.is_some() {
                        400
                    } else {
                        200
                    };
                    sender.send(incoming).unwrap();
                    status
                }
            },
        )
        .await
        .unwrap();
        let mut stream = tokio::net::TcpStream::connect(server.address())
            .await
            .unwrap();
        stream.write_all(request).await.unwrap();
        if half_close {
            stream.shutdown().await.unwrap();
        }
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        let incoming = received.recv().await.unwrap();
        server.stop().await.unwrap();
        (String::from_utf8_lossy(&response).into_owned(), incoming)
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
        let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
        let server = serve(([127, 0, 0, 1], 0).into(), 4, move |incoming: Incoming| {
            let sender = sender.clone();
            async move {
                let status = if incoming.body_too_large { 413 } else { 200 };
                sender.send(incoming).unwrap();
                status
            }
        })
        .await
        .unwrap();
        let response = exchange(
            server.address(),
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\n12345",
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 413"), "{response}");
        let incoming = received.recv().await.unwrap();
        assert!(incoming.body_too_large);
        assert!(incoming.body.is_empty());
        server.stop().await.unwrap();
    }
}
