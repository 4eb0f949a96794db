//! The benchmark's baseline: an axum server on the same stack as `hooktool listen` that reads
//! each body and answers 200, capturing nothing. Prints `listening on http://ADDR/` like listen.
//!
//! `cargo run --release --example bare_server -- [PORT]`

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .map_or(0, |port| port.parse().expect("PORT is a number"));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("listening on http://{}/", listener.local_addr()?);
    let app = Router::new().fallback(|_body: Bytes| async { StatusCode::OK });
    axum::serve(listener, app).await
}
