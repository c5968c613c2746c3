//! `corridor bench notary --sessions N`: WebRTC signalling for N concurrent remote notarization
//! sessions on one node (target: 200 sessions, p99 message relay ≤ 20 ms). Each session's two
//! browsers are WebSocket clients of [`super::signal::Hub`], served over loopback by axum as in
//! `corridor serve`; each side sends offers, answers and ICE candidates (2 KiB of JSON, the
//! size of an SDP offer) at the pace a browser trickles candidates, and the time from one
//! side's send to the other side's receipt is measured. Clients and server share this
//! machine's cores, so the numbers include the load generator's own work.
//!
//! Two runs: sessions that started at independent moments (each browser's first message at
//! its own offset within the 20 ms gap, as when people join over a morning), and the worst
//! case, every browser sending in the same millisecond every 20 ms.
//!
//! The sign-in and the application lookup at connect happen once per socket and are not in
//! the relay's path; the bench mounts the hub alone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use super::signal::{Hub, Side};

/// One message's payload: the sender's clock when sent, padded to an SDP offer's size.
fn payload(epoch: Instant, n: u32) -> String {
    let sent = epoch.elapsed().as_nanos();
    format!(
        "{{\"sent\":{sent},\"type\":\"ice\",\"n\":{n},\"pad\":\"{}\"}}",
        "a".repeat(2000)
    )
}

/// The send time, read from its fixed place at the front of the payload: parsing each 2 KiB
/// message whole would make the load generator, not the relay, the cost measured.
fn sent_at(text: &str) -> Option<u128> {
    let rest = text.strip_prefix("{\"sent\":")?;
    rest[..rest.find(',')?].parse().ok()
}

async fn socket(
    State(hub): State<Arc<Hub>>,
    Path((room, side)): Path<(String, String)>,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let side = if side == "notary" {
        Side::Notary
    } else {
        Side::Applicant
    };
    upgrade.on_upgrade(move |s| async move { hub.serve(room, side, s).await })
}

/// One browser: connects, waits for the other side, sends `messages` at `gap`, and returns the
/// relay times of what it received (in µs).
async fn browser(
    url: String,
    messages: u32,
    gap: Duration,
    offset: Duration,
    epoch: Instant,
    start: Arc<tokio::sync::Barrier>,
) -> anyhow::Result<Vec<u64>> {
    let (ws, _) = tokio_tungstenite::connect_async(url).await?;
    let (mut tx, mut rx) = ws.split();
    start.wait().await;
    let sender = async {
        tokio::time::sleep(offset).await;
        for n in 0..messages {
            tx.send(Message::text(payload(epoch, n))).await?;
            tokio::time::sleep(gap).await;
        }
        anyhow::Ok(tx)
    };
    let receiver = async {
        let mut times = Vec::with_capacity(messages as usize);
        while times.len() < messages as usize {
            let Some(message) = tokio::time::timeout(Duration::from_secs(30), rx.next())
                .await
                .map_err(|_| anyhow::anyhow!("no message for 30 s"))?
            else {
                anyhow::bail!("the socket closed");
            };
            if let Message::Text(text) = message?
                && let Some(sent) = sent_at(text.as_str())
            {
                let now = epoch.elapsed().as_nanos();
                times.push((now.saturating_sub(sent) / 1_000) as u64);
            }
        }
        anyhow::Ok(times)
    };
    let (tx, times) = tokio::try_join!(sender, receiver)?;
    let mut ws = tx.reunite(rx)?;
    let _ = ws.close(None).await;
    Ok(times)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// Runs `sessions` sessions; `aligned`: every browser sends at the same moments.
pub async fn run(sessions: u32, messages: u32, aligned: bool) -> anyhow::Result<()> {
    let hub = Arc::new(Hub::default());
    let app = axum::Router::new()
        .route("/signal/{room}/{side}", get(socket))
        .with_state(hub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let epoch = Instant::now();
    let start = Arc::new(tokio::sync::Barrier::new(sessions as usize * 2));
    // A browser trickles its candidates over a second or so: 20 ms apart.
    let gap = Duration::from_millis(20);
    let mut clients = tokio::task::JoinSet::new();
    let sockets = sessions * 2;
    for s in 0..sessions {
        for (k, side) in ["notary", "applicant"].into_iter().enumerate() {
            let url = format!("ws://{addr}/signal/session-{s}/{side}");
            let i = s * 2 + k as u32;
            let offset = if aligned {
                Duration::ZERO
            } else {
                gap * i / sockets
            };
            clients.spawn(browser(url, messages, gap, offset, epoch, start.clone()));
        }
    }
    let started = Instant::now();
    let mut times = Vec::new();
    while let Some(done) = clients.join_next().await {
        times.extend(done??);
    }
    let secs = started.elapsed().as_secs_f64();
    server.abort();
    times.sort_unstable();
    let p99 = percentile(&times, 0.99);
    println!(
        "signalling ({}): {sessions} sessions ({} sockets), {messages} messages of 2 KiB each \
         way per session, {} relayed in {secs:.1} s; relay p50 {:.2} ms, p99 {p99:.2} ms, max \
         {:.2} ms (target p99 ≤ 20 ms at 200 sessions: {}; ratio target/p99 {:.2})",
        if aligned {
            "worst case: every browser sends in the same millisecond"
        } else {
            "sessions started at independent moments"
        },
        sessions * 2,
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 1.0),
        if p99 <= 20.0 { "met" } else { "NOT met" },
        20.0 / p99.max(0.001)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_time_is_read_back_from_the_payload() {
        let epoch = Instant::now();
        let text = payload(epoch, 7);
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        assert!(sent_at(&text).is_some());
        assert_eq!(sent_at("{\"type\":\"offer\"}"), None);
    }
}
