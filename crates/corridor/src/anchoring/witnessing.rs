//! The log's side of witnessing: after each new checkpoint, ask every configured witness to
//! cosign it (C2SP tlog-witness `add-checkpoint`), attach the cosignatures that verify, and
//! publish the cosigned checkpoint. A witness that is down delays nothing: the plain
//! checkpoint is already published, and the next round tries again.
//!
//! Witnesses are reached over `http://` or `https://`. TLS is rustls with the aws-lc-rs
//! provider (the one already in the build, through the S3 client and the mailer); the
//! server's certificate is checked against the platform's roots plus, when
//! `ledger_witness_ca_file` is set, the CA certificates in that PEM file (for a partner
//! office's private CA). A witness whose certificate does not verify is treated like one that
//! is down: a warning, no cosignature, nothing else changes.

use std::sync::Arc;
use std::time::Duration;

use corridor_ledger::cosignature::CosignatureV1Verifier;
use corridor_ledger::note::NoteVerifier;
use corridor_ledger::witness::{add_checkpoint_request, attach_cosignatures};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use corridor_ledger::witness::Witness;

use corridor_ledger::sequencer::Sequencer;

#[derive(Clone, Debug)]
pub struct WitnessPeer {
    /// Base URL; the request goes to `<url>/add-checkpoint`.
    pub url: String,
    pub verifier: CosignatureV1Verifier,
}

/// Reads `"URL VKEY"` (one configured witness).
pub fn parse_peer(entry: &str) -> anyhow::Result<WitnessPeer> {
    let (url, vkey) = entry
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(|| anyhow::anyhow!("ledger witness {entry:?}: expected \"URL VKEY\""))?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        anyhow::bail!("ledger witness {url}: the URL must start with http:// or https://");
    }
    let verifier = CosignatureV1Verifier::from_vkey(vkey.trim())
        .map_err(|e| anyhow::anyhow!("ledger witness {url}: {e}"))?;
    Ok(WitnessPeer {
        url: url.trim_end_matches('/').to_string(),
        verifier,
    })
}

/// How long one add-checkpoint exchange may take, connection and TLS handshake included.
const ASK_TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client for witnesses: rustls, platform roots plus the CA file, if any.
pub fn client(settings: &crate::config::Settings) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .timeout(ASK_TIMEOUT)
        .connect_timeout(ASK_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_rustls();
    let ca_file = settings.ledger_witness_ca_file.trim();
    if !ca_file.is_empty() {
        let pem = std::fs::read(ca_file)
            .map_err(|e| anyhow::anyhow!("ledger_witness_ca_file {ca_file}: {e}"))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| anyhow::anyhow!("ledger_witness_ca_file {ca_file}: {e}"))?;
        if certs.is_empty() {
            anyhow::bail!("ledger_witness_ca_file {ca_file}: no PEM certificate in it");
        }
        builder = builder.tls_certs_merge(certs);
    }
    builder
        .build()
        .map_err(|e| anyhow::anyhow!("cannot set up the witness HTTP client: {e}"))
}

/// Runs until the sequencer stops (a node that takes over sequencing starts its own).
pub fn spawn(sequencer: Sequencer, peers: Vec<WitnessPeer>, client: reqwest::Client) {
    if peers.is_empty() {
        return;
    }
    tokio::spawn(async move {
        let verifiers: Vec<&dyn NoteVerifier> = peers
            .iter()
            .map(|p| &p.verifier as &dyn NoteVerifier)
            .collect();
        let mut sizes = vec![0u64; peers.len()];
        let mut rx = sequencer.subscribe();
        let mut last_cosigned = None;
        while rx.changed().await.is_ok() {
            let Some((note, checkpoint)) = rx.borrow_and_update().checkpoint.clone() else {
                continue;
            };
            // Publishing the cosigned note wakes us again for the same size.
            if last_cosigned == Some(checkpoint.size) {
                continue;
            }
            let mut lines = String::new();
            for (i, peer) in peers.iter().enumerate() {
                match ask(&client, &sequencer, peer, &mut sizes[i], &note).await {
                    Ok(cosignature) => lines.push_str(&cosignature),
                    Err(err) => {
                        tracing::warn!(witness = %peer.url, error = %format!("{err:#}"),
                            "witness did not cosign")
                    }
                }
            }
            tracing::debug!(
                size = checkpoint.size,
                cosignatures = lines.lines().count(),
                "witness round"
            );
            if lines.is_empty() {
                continue;
            }
            match attach_cosignatures(&note, &lines, &verifiers) {
                Ok(cosigned) => match sequencer.publish_cosigned(cosigned).await {
                    Ok(()) => {
                        tracing::debug!(size = checkpoint.size, "published a cosigned checkpoint");
                        last_cosigned = Some(checkpoint.size);
                    }
                    Err(err) => tracing::warn!(error = %err, "cosigned checkpoint not published"),
                },
                Err(err) => tracing::warn!(error = %err, "a witness returned a bad cosignature"),
            }
        }
    });
}

/// One add-checkpoint exchange; on 409 the witness says which size it holds, and we retry once.
async fn ask(
    client: &reqwest::Client,
    sequencer: &Sequencer,
    peer: &WitnessPeer,
    known_size: &mut u64,
    note: &str,
) -> anyhow::Result<String> {
    for _ in 0..2 {
        let request = add_checkpoint_request(sequencer.store(), *known_size, note).await?;
        let response = client
            .post(format!("{}/add-checkpoint", peer.url))
            .body(request.encode())
            .send()
            .await
            .map_err(describe)?;
        let status = response.status();
        let text = response.text().await.map_err(describe)?;
        match status.as_u16() {
            200 => {
                if let Ok(cp) = corridor_ledger::checkpoint::Checkpoint::parse_body(
                    corridor_ledger::note::Note::parse(note.as_bytes())?.text(),
                ) {
                    *known_size = cp.size;
                }
                return Ok(text);
            }
            409 => {
                *known_size = text
                    .trim()
                    .parse()
                    .map_err(|_| anyhow::anyhow!("409 without a size: {text}"))?;
            }
            other => anyhow::bail!("HTTP {other}: {}", text.trim()),
        }
    }
    anyhow::bail!("the witness kept answering 409")
}

/// A reqwest error with its causes: "error sending request" alone hides a refused
/// certificate.
fn describe(err: reqwest::Error) -> anyhow::Error {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    anyhow::anyhow!(message)
}

/// The witness's HTTP face: `POST /add-checkpoint` (C2SP tlog-witness), and `GET /key`, its
/// cosignature verifier key (type 0x04) for logs and verifiers to trust.
pub fn witness_router(witness: Witness) -> Router {
    Router::new()
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/key", axum::routing::get(cosigner_key))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024))
        .with_state(Arc::new(witness))
}

async fn cosigner_key(State(witness): State<Arc<Witness>>) -> String {
    format!("{}\n", witness.signer().vkey())
}

async fn add_checkpoint(State(witness): State<Arc<Witness>>, body: String) -> Response {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    match witness.add_checkpoint(&body, now).await {
        Ok(lines) => (StatusCode::OK, lines).into_response(),
        Err(corridor_ledger::witness::WitnessError::Conflict { witness_size }) => (
            StatusCode::CONFLICT,
            [(axum::http::header::CONTENT_TYPE, "text/x.tlog.size")],
            format!("{witness_size}\n"),
        )
            .into_response(),
        Err(err) => {
            let status = StatusCode::from_u16(err.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            tracing::info!(%status, error = %err, "checkpoint refused");
            (status, err.to_string()).into_response()
        }
    }
}
