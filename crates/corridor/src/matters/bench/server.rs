//! The server under test: `corridor serve` as a child process.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

// ---------------------------------------------------------------------------------------------
// The server under test: `corridor serve` as a child process.

pub(super) struct Child {
    pub(super) child: tokio::process::Child,
    pub(super) addr: SocketAddr,
    pub(super) pid: u32,
}

impl Child {
    pub(super) async fn start(
        dir: &std::path::Path,
        url: &str,
        file_mb: u64,
    ) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut child = tokio::process::Command::new(exe)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(dir)
            .args(["--database-url", url])
            .args(["--upload-limit-mb", &(file_mb + 1).to_string()])
            // Search is not under test; a large upload takes longer than the default timeout
            // on a slow disk.
            .env("CORRIDOR_SEARCH_ENABLED", "false")
            .env("CORRIDOR_REQUEST_TIMEOUT_SECS", "3600")
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let pid = child.id().unwrap_or(0);
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.split("http://").nth(1)
                    && let Some(addr) = rest.split('/').next()
                {
                    return Ok::<_, anyhow::Error>(addr.parse::<SocketAddr>()?);
                }
            }
            anyhow::bail!("the server exited before listening")
        })
        .await
        .map_err(|_| anyhow::anyhow!("the server did not start within 120 s"))??;
        // Keep draining its stdout so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, addr, pid })
    }

    /// A line of `/proc/<pid>/status` in KiB (`VmRSS`, `VmHWM`); 0 where unavailable.
    pub(super) fn rss_kb(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }

    /// Resets the peak RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0).
    pub(super) fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    pub(super) async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}
