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
    /// Header names as hyper gives them (lowercase), values as sent (non-UTF-8 bytes replaced).
    pub headers: Vec<(String, String)>,
    /// Empty when the body was larger than the limit.
    pub body: Vec<u8>,
    /// The body was larger than the limit and was not read to its end.
    pub body_too_large: bool,
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
    let mut headers: Vec<(String, String)> = Vec::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        headers.push((
            name.as_str().to_string(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        ));
    }
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
    let (body, body_too_large) = read_body(body, max_body).await;
    Incoming {
        method: parts.method.as_str().to_string(),
        path,
        headers,
        body,
        body_too_large,
    }
}

/// The body bytes, or `(empty, true)` past the limit. A body cut short by the client is kept as
/// far as it arrived: the capture then shows what was really received.
async fn read_body(body: Body, max_body: usize) -> (Vec<u8>, bool) {
    let mut limited = Limited::new(body, max_body);
    let mut bytes = Vec::new();
    while let Some(frame) = limited.frame().await {
        match frame {
            Ok(frame) => {
                if let Some(data) = frame.data_ref() {
                    bytes.extend_from_slice(data);
                }
            }
            Err(error) if error.is::<LengthLimitError>() => return (Vec::new(), true),
            Err(_) => break,
        }
    }
    (bytes, false)
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
        assert!(
            incoming
                .headers
                .contains(&("x-sig".into(), "v\u{fffd}".into()))
        );
        server.stop().await.unwrap();
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
