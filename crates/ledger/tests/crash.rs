//! Crash safety: a child process appends in a loop and is killed with
//! SIGKILL, repeatedly, at arbitrary points of the group commit and of
//! checkpoint signing. Every index the child acknowledged (printed, flushed,
//! only after `append` resolved) must hold its entry afterwards, no index
//! may ever be acknowledged for two different entries, the log must reopen
//! every time, and its whole history must audit clean.
//!
//! The child is this test binary itself, re-run with `--ignored --exact
//! crash_child` and environment variables that tell it where to work. It is
//! `#[ignore]`d so a plain `cargo test` does not list it as a test that
//! passed; under `--include-ignored` without those variables it says so and
//! does nothing (it is not a check of its own).

mod ledger_support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use corridor_ledger::audit::audit;
use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
use corridor_ledger::storage::{LedgerStore, read_entry};
use ledger_support::{ORIGIN, signer};

const DIR_VAR: &str = "CORRIDOR_LEDGER_CRASH_DIR";
const RUN_VAR: &str = "CORRIDOR_LEDGER_CRASH_RUN";
const KILLS: u64 = 7;

fn child_config() -> SequencerConfig {
    SequencerConfig {
        max_batch: 32,
        max_wait: Duration::from_millis(1),
        checkpoint_interval: Some(Duration::from_millis(25)),
        ..SequencerConfig::default()
    }
}

/// The child: appends until killed, when started by the parent test below.
#[test]
#[ignore = "child process of the crash test; the parent starts it"]
fn crash_child() {
    let (Ok(dir), Ok(run)) = (std::env::var(DIR_VAR), std::env::var(RUN_VAR)) else {
        eprintln!(
            "crash_child runs only as the child of acknowledged_entries_survive_repeated_sigkill"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let store = LedgerStore::local(&dir).unwrap();
        let seq = match Sequencer::open(store, signer(), ORIGIN, child_config()).await {
            Ok(s) => s,
            Err(e) => {
                println!("OPEN-FAILED {e}");
                std::io::stdout().flush().unwrap();
                std::process::exit(3);
            }
        };
        println!("OPENED {}", seq.published().size);
        let tasks: Vec<_> = (0..40)
            .map(|t| {
                let seq = seq.clone();
                let run = run.clone();
                tokio::spawn(async move {
                    for k in 0u64.. {
                        let entry = format!("run-{run}-task-{t}-seq-{k}");
                        let Ok(index) = seq.append(entry.clone().into_bytes()).await else {
                            return;
                        };
                        let mut out = std::io::stdout().lock();
                        let _ = writeln!(out, "ACK {index} {entry}");
                        let _ = out.flush();
                    }
                })
            })
            .collect();
        for t in tasks {
            let _ = t.await;
        }
    });
}

#[test]
fn acknowledged_entries_survive_repeated_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut acked: BTreeMap<u64, String> = BTreeMap::new();
    let mut acks_per_run = Vec::new();
    for run in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "crash_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_VAR, dir.path())
            .env(RUN_VAR, run.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        // Wait for the log to open, then let it run for a varying while.
        std::thread::sleep(Duration::from_millis(400 + 97 * run));
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        assert!(
            !lines.iter().any(|l| l.starts_with("OPEN-FAILED")),
            "run {run}: the log did not reopen after a kill: {lines:?}"
        );
        let mut count = 0;
        for line in lines.iter().filter_map(|l| l.strip_prefix("ACK ")) {
            // A line cut by the kill has no entry part; it was not complete.
            let Some((index, entry)) = line.split_once(' ') else {
                continue;
            };
            let index: u64 = index.parse().unwrap();
            if let Some(previous) = acked.insert(index, entry.to_owned()) {
                panic!("index {index} acknowledged twice: {previous} and {entry}");
            }
            count += 1;
        }
        acks_per_run.push(count);
    }
    assert!(
        acks_per_run.iter().filter(|c| **c > 0).count() >= (KILLS as usize) - 1,
        "most runs must acknowledge entries: {acks_per_run:?}"
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = LedgerStore::local(dir.path()).unwrap();
        let seq = Sequencer::open(store.clone(), signer(), ORIGIN, child_config())
            .await
            .expect("reopens after the last kill");
        let size = seq.published().size;
        let last = *acked.keys().next_back().unwrap();
        assert!(size > last, "size {size} lost acknowledged index {last}");
        for (index, entry) in &acked {
            let stored = read_entry(&store, size, *index).await.unwrap();
            assert_eq!(stored, entry.as_bytes(), "index {index}");
        }
        seq.checkpoint().await.unwrap();
        seq.shutdown().await;
        let report = audit(&store, &signer().verifier()).await.unwrap();
        assert_eq!(report.tree_size, size);
        assert!(report.history_checked > KILLS as usize, "{report:?}");
        eprintln!("crash test: {} acknowledged over {KILLS} kills {acks_per_run:?}, size {size}, {} checkpoints", acked.len(), report.history_checked);
    });
}
