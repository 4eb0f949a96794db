//! A receiver that answers every request `200 OK` at once, as the fast local endpoint the
//! `benches/send.sh` benchmark fires at. Usage: `bench_receiver PORT`.

use axum::Router;
use axum::body::Bytes;

#[tokio::main]
async fn main() {
    let port = std::env::args().nth(1).unwrap_or_else(|| "0".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .expect("the port is free");
    eprintln!(
        "listening on http://{}/",
        listener.local_addr().expect("bound")
    );
    // Reading the body keeps the connection reusable, as a real receiver's would.
    let app = Router::new().fallback(|_body: Bytes| async { "ok" });
    axum::serve(listener, app).await.expect("serving");
}
