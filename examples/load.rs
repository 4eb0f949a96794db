//! A small HTTP load generator for the benchmarks (used when `oha` is not installed): sends
//! TOTAL POST requests with a webhook-sized JSON body over CONCURRENCY keep-alive connections
//! and prints the rate and how many were answered 2xx.
//!
//! `cargo run --release --example load -- URL [TOTAL] [CONCURRENCY]`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: load URL [TOTAL] [CONCURRENCY]");
    let total: u64 = args.next().map_or(20_000, |n| n.parse().expect("TOTAL"));
    let concurrency: u64 = args.next().map_or(50, |n| n.parse().expect("CONCURRENCY"));
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency as usize)
        .build()
        .expect("a plain HTTP client builds");
    let next = Arc::new(AtomicU64::new(0));
    let succeeded = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, next, succeeded) =
                (client.clone(), url.clone(), next.clone(), succeeded.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    let body = format!(
                        r#"{{"CustomerId":"01JCF6PY19552A3G5QXVNARFBT","Event":"user_created","Sequence":{n},"User":{{"Id":"01JCF6PY19552A3G5QXVNARFBT","Name":"Ana Souza","Email":"ana.souza@example.com","CreatedAt":"2026-11-22T13:04:15.304Z","Groups":["Sales","Onboarding"],"Badges":[]}},"Padding":"{}"}}"#,
                        "x".repeat(300)
                    );
                    let answer = client
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .body(body)
                        .send()
                        .await;
                    if answer.is_ok_and(|response| response.status().is_success()) {
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
