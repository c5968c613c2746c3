//! The benchmark's HTTP client: keep-alive latencies, streamed large transfers, many small uploads.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::Frame;
use sha2::{Digest, Sha256};
use tokio::net::TcpStream;

use super::*;

// ---------------------------------------------------------------------------------------------
// The client.

pub(super) type Sender<B> = hyper::client::conn::http1::SendRequest<B>;

pub(super) async fn connect<B>(addr: SocketAddr) -> anyhow::Result<Sender<B>>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

/// Sequential GETs on one keep-alive connection after a short warm-up; latencies in ms,
/// sorted, and the `total` of the last answer.
pub(super) async fn latencies(
    addr: SocketAddr,
    path: &str,
    token: &str,
    requests: usize,
) -> anyhow::Result<(i64, Vec<f64>)> {
    let mut sender = connect::<Empty<Bytes>>(addr).await?;
    let mut lat = Vec::with_capacity(requests);
    let mut total = 0;
    for n in 0..requests + 10.min(requests) {
        let request = hyper::Request::get(path)
            .header("host", "bench")
            .header("authorization", format!("Bearer {token}"))
            .body(Empty::new())?;
        sender.ready().await?;
        let start = Instant::now();
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        anyhow::ensure!(
            status.is_success(),
            "GET {path}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        if n >= 10.min(requests) {
            lat.push(elapsed);
        }
        if n == 0 {
            let page: serde_json::Value = serde_json::from_slice(&body)?;
            total = page["total"].as_i64().unwrap_or(0);
            anyhow::ensure!(
                page["items"].as_array().is_some_and(|a| !a.is_empty()),
                "GET {path}: no items"
            );
        }
    }
    lat.sort_by(f64::total_cmp);
    Ok((total, lat))
}

/// 1 MiB of deterministic pseudo-random bytes (xorshift); the file repeats it.
pub(super) fn pattern_block() -> Bytes {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut block = Vec::with_capacity(1 << 20);
    while block.len() < 1 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        block.extend_from_slice(&x.to_le_bytes());
    }
    Bytes::from(block)
}

/// The SHA-256 the server must report (computed before the clock starts).
pub(super) fn expected_sha256(block: &Bytes, size: u64) -> String {
    let mut hasher = Sha256::new();
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        hasher.update(&block[..n]);
        left -= n as u64;
    }
    hex::encode(hasher.finalize())
}

pub(super) fn multipart_head(file_name: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\ndocument\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
}

pub(super) fn multipart_tail() -> String {
    format!("\r\n--{BOUNDARY}--\r\n")
}

pub(super) fn upload_request<B>(
    matter: &str,
    token: &str,
    length: u64,
    body: B,
) -> anyhow::Result<hyper::Request<B>> {
    Ok(
        hyper::Request::post(format!("/api/v1/matters/{matter}/documents"))
            .header("host", "bench")
            .header("authorization", format!("Bearer {token}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("content-length", length)
            .body(body)?,
    )
}

/// Posts the document answer's (id, sha256).
pub(super) async fn filed(
    response: hyper::Response<hyper::body::Incoming>,
) -> anyhow::Result<(String, String)> {
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    anyhow::ensure!(
        status == hyper::StatusCode::CREATED,
        "upload: {status} {}",
        String::from_utf8_lossy(&body)
    );
    let doc: serde_json::Value = serde_json::from_slice(&body)?;
    Ok((
        doc["id"].as_str().unwrap_or_default().to_string(),
        doc["sha256"].as_str().unwrap_or_default().to_string(),
    ))
}

/// Streams `size` bytes of the repeated block as a multipart upload; nothing larger than the
/// block is ever held.
pub(super) async fn upload_large(
    addr: SocketAddr,
    token: &str,
    matter: &str,
    block: &Bytes,
    size: u64,
) -> anyhow::Result<(String, String)> {
    const CHUNK: usize = 256 * 1024;
    let head = Bytes::from(multipart_head("bench.bin"));
    let tail = Bytes::from(multipart_tail());
    let length = head.len() as u64 + size + tail.len() as u64;
    let block = block.clone();
    let chunks = futures_util::stream::unfold(0u64, move |sent| {
        let block = block.clone();
        async move {
            if sent >= size {
                return None;
            }
            let offset = (sent % block.len() as u64) as usize;
            let n = ((size - sent) as usize)
                .min(CHUNK)
                .min(block.len() - offset);
            Some((block.slice(offset..offset + n), sent + n as u64))
        }
    });
    let frames = futures_util::stream::once(async move { head })
        .chain(chunks)
        .chain(futures_util::stream::once(async move { tail }))
        .map(|b| Ok::<_, Infallible>(Frame::data(b)));
    let mut sender = connect::<StreamBody<_>>(addr).await?;
    let request = upload_request(matter, token, length, StreamBody::new(frames))?;
    sender.ready().await?;
    filed(sender.send_request(request).await?).await
}

/// Downloads the content and checks every byte against the pattern as it arrives.
pub(super) async fn download_large(
    addr: SocketAddr,
    token: &str,
    matter: &str,
    doc: &str,
    block: &Bytes,
    size: u64,
) -> anyhow::Result<()> {
    let mut sender = connect::<Empty<Bytes>>(addr).await?;
    let request = hyper::Request::get(format!("/api/v1/matters/{matter}/documents/{doc}/content"))
        .header("host", "bench")
        .header("authorization", format!("Bearer {token}"))
        .body(Empty::new())?;
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    anyhow::ensure!(
        response.status().is_success(),
        "download: {}",
        response.status()
    );
    let mut body = response.into_body();
    let mut at: u64 = 0;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        let mut rest = &data[..];
        while !rest.is_empty() {
            let offset = (at % block.len() as u64) as usize;
            let n = rest.len().min(block.len() - offset);
            anyhow::ensure!(
                rest[..n] == block[offset..offset + n],
                "download: content differs near byte {at}"
            );
            rest = &rest[n..];
            at += n as u64;
        }
    }
    anyhow::ensure!(at == size, "download: {at} bytes of {size}");
    Ok(())
}

/// `documents` small uploads (1 KiB, each different) from `clients` keep-alive connections,
/// spread over the user's matters; latencies in ms, sorted.
pub(super) async fn anchor_many(
    addr: SocketAddr,
    seeded: &Seeded,
    documents: usize,
    clients: usize,
) -> anyhow::Result<Vec<f64>> {
    let next = Arc::new(AtomicUsize::new(0));
    let matters = Arc::new(seeded.my_matters.clone());
    let token = Arc::new(seeded.me_token.clone());
    let run = crate::ids::new_id();
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let next = next.clone();
        let matters = matters.clone();
        let token = token.clone();
        let run = run.clone();
        tasks.push(tokio::spawn(async move {
            let mut sender = connect::<Full<Bytes>>(addr).await?;
            let mut lat = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= documents {
                    break;
                }
                let mut body = multipart_head(&format!("note-{n}.txt")).into_bytes();
                let line = format!("bench run {run}, document {n}\n");
                while body.len() < 1024 {
                    body.extend_from_slice(line.as_bytes());
                }
                body.extend_from_slice(multipart_tail().as_bytes());
                let matter = &matters[n % matters.len()];
                let request = upload_request(
                    matter,
                    &token,
                    body.len() as u64,
                    Full::new(Bytes::from(body)),
                )?;
                let start = Instant::now();
                sender.ready().await?;
                filed(sender.send_request(request).await?).await?;
                lat.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = Vec::with_capacity(documents);
    for task in tasks {
        all.extend(task.await??);
    }
    all.sort_by(f64::total_cmp);
    Ok(all)
}
