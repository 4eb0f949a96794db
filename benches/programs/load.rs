//! A small HTTP load generator for the benchmarks (used when `oha` is not installed): sends
//! TOTAL POST requests with a webhook-sized JSON body over CONCURRENCY keep-alive connections
//! (one per worker, as oha keeps them) and prints the rate and how many were answered 2xx.
//!
//! `cargo run --release --example load -- URL [TOTAL] [CONCURRENCY]`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: load URL [TOTAL] [CONCURRENCY]");
    let total: u64 = args.next().map_or(20_000, |n| n.parse().expect("TOTAL"));
    let concurrency: u64 = args.next().map_or(50, |n| n.parse().expect("CONCURRENCY"));
    let target: hyper::Uri = url.parse().expect("URL is an http:// address");
    let address = format!(
        "{}:{}",
        target.host().expect("URL has a host"),
        target.port_u16().unwrap_or(80)
    );
    let host = target.authority().expect("URL has a host").to_string();
    let path = target.path().to_string();
    let next = Arc::new(AtomicU64::new(0));
    let succeeded = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (address, host, path, next, succeeded) = (
                address.clone(),
                host.clone(),
                path.clone(),
                next.clone(),
                succeeded.clone(),
            );
            tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(&address)
                    .await
                    .expect("the receiver accepts connections");
                stream.set_nodelay(true).expect("a TCP socket option");
                let (mut requests, connection) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream))
                        .await
                        .expect("an HTTP/1.1 connection");
                tokio::spawn(connection);
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    let body = format!(
                        r#"{{"CustomerId":"01JCF6PY19552A3G5QXVNARFBT","Event":"user_created","Sequence":{n},"User":{{"Id":"01JCF6PY19552A3G5QXVNARFBT","Name":"Ana Souza","Email":"ana.souza@example.com","CreatedAt":"2026-11-22T13:04:15.304Z","Groups":["Sales","Onboarding"],"Badges":[]}},"Padding":"{}"}}"#,
                        "x".repeat(300)
                    );
                    if requests.ready().await.is_err() {
                        break;
                    }
                    let request = hyper::Request::post(path.as_str())
                        .header("host", host.as_str())
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(body)))
                        .expect("a well-formed request");
                    let Ok(response) = requests.send_request(request).await else {
                        break;
                    };
                    let status = response.status();
                    if response.into_body().collect().await.is_ok() && status.is_success() {
                        succeeded.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a load worker panicked");
    }
    let seconds = started.elapsed().as_secs_f64();
    let ok = succeeded.load(Ordering::Relaxed);
    println!(
        "{total} requests in {seconds:.2} s: {:.0} requests/s, {ok} answered 2xx",
        total as f64 / seconds
    );
}
