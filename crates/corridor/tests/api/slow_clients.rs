//! Slow and silent clients cannot hold a connection open: the headers of every request —
//! the first one and the next one on a kept-alive connection — must arrive within
//! `header_read_timeout_secs`. Not a storage matter, so these run on SQLite only.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

async fn app_with_one_second_header_timeout() -> TestApp {
    let settings = corridor::config::Settings {
        header_read_timeout_secs: 1,
        ..Default::default()
    };
    TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .expect("sqlite")
}

/// Reads until the server closes the connection; fails if it is still open after 5 s.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection is still open after 5 s");
    seen
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let app = app_with_one_second_header_timeout().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    read_until_closed(&mut stream).await;
}

#[tokio::test]
async fn a_connection_that_sends_half_a_request_line_is_closed() {
    let app = app_with_one_second_header_timeout().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET /healt").await.unwrap();
    read_until_closed(&mut stream).await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_its_answer() {
    let app = app_with_one_second_header_timeout().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let seen = read_until_closed(&mut stream).await;
    assert!(
        seen.starts_with(b"HTTP/1.1 200"),
        "the complete request was answered first: {}",
        String::from_utf8_lossy(&seen)
    );
}
