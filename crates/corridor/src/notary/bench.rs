//! `corridor bench notary`: eligibility checks per second on one core (target ≥ 100,000/s),
//! `verify bundle` on a large bundle (default 1 GiB) against plain SHA-256 of the same bytes —
//! the verifier's speed as a ratio of what hashing alone allows, and its peak memory — and the
//! video sessions' signalling relay under load ([`super::bench_signal`]).

use std::hint::black_box;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::bundle::{self, BundleInput, ThrowawayLog};
use super::eligibility::{Application, check};

#[derive(Debug, clap::Args)]
pub struct NotaryBenchArgs {
    /// Eligibility checks to time.
    #[arg(long, default_value_t = 1_000_000)]
    pub checks: u64,
    /// Size of the evidence bundle to build and verify, in MiB (0 skips it).
    #[arg(long, default_value_t = 1024)]
    pub bundle_mib: u64,
    /// Folder for the bundle (default: the system's temporary folder); it is removed after.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Concurrent video sessions whose WebRTC signalling is relayed (0 skips it).
    #[arg(long, default_value_t = 200)]
    pub sessions: u32,
    /// Signalling messages each side of a session sends.
    #[arg(long, default_value_t = 50)]
    pub messages: u32,
}

/// Answers of every shape: eligible, each reason, a condition.
fn applications() -> Vec<Application> {
    let base = json!({
        "date": "2026-12-04", "nationality": "CN", "mainland_resident": true,
        "residence_country": "DE", "days_resident": 365, "residence_status": "none",
        "matter": "no_criminal_record", "use_in": "CN", "needs_interpreter": false,
        "disposes_property": false
    });
    let changes = [
        json!({}),
        json!({"nationality": "US"}),
        json!({"days_resident": 179}),
        json!({"days_resident": 3, "residence_status": "study_visa"}),
        json!({"use_in": "HK"}),
        json!({"matter": "will"}),
        json!({"needs_interpreter": true}),
        json!({"matter": "declaration", "disposes_property": true}),
    ];
    changes
        .iter()
        .map(|c| {
            let mut v = base.clone();
            for (k, x) in c.as_object().into_iter().flatten() {
                v[k] = x.clone();
            }
            Application::from_value(&v).expect("bench inputs are valid")
        })
        .collect()
}

fn eligibility(checks: u64) {
    let apps = applications();
    let started = Instant::now();
    for i in 0..checks {
        let answer = check(black_box(&apps[(i % apps.len() as u64) as usize]));
        black_box(answer.verdict);
    }
    let secs = started.elapsed().as_secs_f64();
    let rate = checks as f64 / secs;
    // The CLI's whole path: JSON text in, JSON answer out.
    let texts: Vec<String> = apps
        .iter()
        .map(|a| serde_json::to_string(a).expect("serializes"))
        .collect();
    let rounds = (checks / 10).max(1);
    let started = Instant::now();
    for i in 0..rounds {
        let text = &texts[(i % texts.len() as u64) as usize];
        let a = Application::from_json(black_box(text)).expect("valid");
        black_box(serde_json::to_string(&check(&a)).expect("serializes"));
    }
    let text_rate = rounds as f64 / started.elapsed().as_secs_f64();
    println!(
        "eligibility: {checks} checks in {secs:.2} s on one core: {rate:.0} checks/s (target ≥ 100000: {}); \
         JSON text in to JSON answer out: {text_rate:.0}/s",
        if rate >= 100_000.0 { "met" } else { "NOT met" }
    );
}

/// Fills `files` files of `each` bytes with bytes that do not repeat within a chunk.
fn write_evidence(
    dir: &std::path::Path,
    files: usize,
    each: u64,
) -> anyhow::Result<Vec<BundleInput>> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut chunk = vec![0u8; 1 << 20];
    for word in chunk.chunks_exact_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        word.copy_from_slice(&state.to_le_bytes());
    }
    let mut inputs = Vec::new();
    for f in 0..files {
        let source = dir.join(format!("evidence-{f}.bin"));
        let mut out = BufWriter::new(std::fs::File::create(&source)?);
        let mut left = each;
        let mut n = 0u64;
        while left > 0 {
            // Each chunk differs from the others in its first bytes.
            chunk[..8].copy_from_slice(&(n ^ ((f as u64) << 48)).to_le_bytes());
            let len = left.min(chunk.len() as u64) as usize;
            out.write_all(&chunk[..len])?;
            left -= len as u64;
            n += 1;
        }
        out.flush()?;
        inputs.push(BundleInput {
            name: format!("capture/evidence-{f}.bin"),
            source,
        });
    }
    Ok(inputs)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn sha256_file(path: &std::path::Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

fn verify_bundle(mib: u64, dir: Option<PathBuf>) -> anyhow::Result<()> {
    let tmp = match dir {
        Some(d) => tempfile::tempdir_in(d)?,
        None => tempfile::tempdir()?,
    };
    let files = 4usize;
    let each = (mib << 20) / files as u64;
    let inputs = write_evidence(tmp.path(), files, each)?;
    let prepared = bundle::prepare("bench-bundle", chrono::Utc::now(), &inputs)?;
    let mut log = ThrowawayLog::new("corridor.bench/ledger", [42; 32])?;
    let (record, receipt) = log.anchor(&prepared.record)?;
    let path = tmp.path().join("bundle.tar");
    let out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    prepared.write(&record, &receipt, out)?.flush()?;
    // The evidence files are no longer needed; only the bundle is read from here on.
    for input in &inputs {
        std::fs::remove_file(&input.source)?;
    }
    let bytes = std::fs::metadata(&path)?.len();
    let mb = bytes as f64 / 1e6;
    let rss_before = peak_rss_kib();

    let started = Instant::now();
    let outcome = bundle::verify_path(&path, &log.vkey(), &[], 0)
        .map_err(|p| anyhow::anyhow!("the bench bundle did not verify: {p:?}"))?;
    let verify_secs = started.elapsed().as_secs_f64();
    let rss_after = peak_rss_kib();

    let started = Instant::now();
    black_box(sha256_file(&path)?);
    let sha_secs = started.elapsed().as_secs_f64();

    let (verify_rate, sha_rate) = (mb / verify_secs, mb / sha_secs);
    println!(
        "verify bundle: {mb:.0} MB ({} files) in {verify_secs:.2} s: {verify_rate:.0} MB/s; plain sha256 of \
         the same file: {sha_rate:.0} MB/s; ratio {:.2}",
        outcome.files.len(),
        verify_rate / sha_rate
    );
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        println!(
            "  peak memory (VmHWM) {before} KiB before verifying, {after} KiB after (the bundle was \
             just written, so it is read from the page cache unless it is larger than memory)"
        );
    }
    Ok(())
}

/// What sealing a notarial file's content costs: `mib` MiB sealed and opened in memory in
/// 64 KiB frames, beside plain SHA-256 of the same bytes (which every upload pays already).
fn sealing(mib: u64) -> anyhow::Result<()> {
    use crate::matters::seal::{MatterKey, Opener, Sealer};
    let chunk: Vec<u8> = (0..1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let key = MatterKey::generate();
    let started = Instant::now();
    let mut sealer = Sealer::new(&key);
    let mut stored = vec![sealer.header()];
    for _ in 0..mib {
        stored.extend(sealer.push(&chunk)?);
    }
    stored.push(sealer.finish()?);
    let seal_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut opener = Opener::new(&key);
    let mut opened = 0usize;
    for piece in &stored {
        opened += opener.push(piece)?.iter().map(|p| p.len()).sum::<usize>();
    }
    opened += opener.finish()?.len();
    let open_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(opened as u64 == mib * 1024 * 1024, "opened {opened} bytes");
    let started = Instant::now();
    let mut hasher = Sha256::new();
    for _ in 0..mib {
        hasher.update(&chunk);
    }
    black_box(hasher.finalize());
    let sha_secs = started.elapsed().as_secs_f64();
    let mb = (mib * 1024 * 1024) as f64 / 1e6;
    println!(
        "sealing (XChaCha20-Poly1305, 64 KiB frames): {mb:.0} MB sealed at {:.0} MB/s, opened at \
         {:.0} MB/s; plain sha256 of the same bytes {:.0} MB/s; ratio seal/sha256 {:.2}",
        mb / seal_secs,
        mb / open_secs,
        mb / sha_secs,
        sha_secs / seal_secs
    );
    Ok(())
}

pub async fn run(args: NotaryBenchArgs) -> anyhow::Result<()> {
    eligibility(args.checks.max(1));
    if args.bundle_mib > 0 {
        verify_bundle(args.bundle_mib, args.dir)?;
    }
    // After the bundle, whose peak memory is reported: this holds what it seals in memory (a
    // quarter of the bundle's size, between 64 and 256 MiB).
    sealing((args.bundle_mib / 4).clamp(64, 256))?;
    if args.sessions > 0 {
        super::bench_signal::run(args.sessions, args.messages.max(1), false).await?;
        super::bench_signal::run(args.sessions, args.messages.max(1), true).await?;
    }
    Ok(())
}
