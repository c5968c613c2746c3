//! Web capture for evidence (网页取证): the server opens the page in a headless Chromium it starts
//! for this capture alone, from an empty profile (no cookies, no history, no extensions), and
//! keeps what a court asks of web evidence: a screenshot of the whole page, the DOM as rendered,
//! every request and response as HAR 1.2, and an environment manifest (the browser's version,
//! the DNS answers the host resolved to, the capture time by the server's clock, the hash of
//! each file). The caller files the four files in the matter, where each is anchored.
//!
//! The browser is driven over the Chrome DevTools Protocol on a loopback socket. Chromium is
//! pinned to the addresses checked here (`--host-resolver-rules`), so a name cannot resolve to
//! one address for the check and another for the capture.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::Message;

/// What a capture keeps: the four files, by the names they are filed under.
pub struct Capture {
    pub screenshot: Vec<u8>,
    pub dom: String,
    pub har: Value,
    pub manifest: Value,
}

impl Capture {
    /// (file name, content type, bytes), manifest last (it names the others' hashes).
    pub fn files(&self) -> Vec<(&'static str, &'static str, Vec<u8>)> {
        vec![
            ("screenshot.png", "image/png", self.screenshot.clone()),
            (
                "dom.html",
                "text/html; charset=utf-8",
                self.dom.as_bytes().to_vec(),
            ),
            (
                "capture.har",
                "application/json",
                serde_json::to_vec_pretty(&self.har).unwrap_or_default(),
            ),
            (
                "manifest.json",
                "application/json",
                serde_json::to_vec_pretty(&self.manifest).unwrap_or_default(),
            ),
        ]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The address is not one a capture may open (scheme, or a private address).
    #[error("{0}")]
    Refused(&'static str),
    #[error("the page did not load: {0}")]
    Failed(String),
    #[error("no browser to capture with: {0}")]
    NoBrowser(String),
}

/// Where the capture browser is: the setting, else the usual places.
pub fn find_browser(configured: &str) -> Option<PathBuf> {
    if !configured.trim().is_empty() {
        return Some(PathBuf::from(configured.trim()));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Loopback, private, link-local, shared, benchmarking, multicast, reserved and other addresses
/// that are not the public web.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a >= 240
                || (a == 100 && (b & 0xc0) == 64)
                || (a == 198 && (b & 0xfe) == 18)
                || (a == 192 && b == 0 && c == 0)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// Whether the page may load `url` (every request, not only the first): http(s) to a host that
/// resolves to public addresses only, unless private addresses are allowed.
async fn allowed(url: &str, private_ok: bool) -> bool {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "data" | "blob" | "about") => true,
        Ok(u) => resolve(&u, private_ok).await.is_ok(),
        Err(_) => false,
    }
}

/// Checks the address: http or https, a host that resolves, and (unless `private_ok`) only to
/// public addresses. The host and its addresses, for the manifest and for pinning.
pub async fn resolve(
    url: &url::Url,
    private_ok: bool,
) -> Result<(String, Vec<IpAddr>), CaptureError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(CaptureError::Refused(
            "only http and https pages are captured",
        ));
    }
    let host = url
        .host_str()
        .ok_or(CaptureError::Refused("the address has no host"))?
        .trim_matches(['[', ']'])
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let addrs: Vec<IpAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| CaptureError::Failed(format!("{host} does not resolve: {e}")))?
        .map(|a| a.ip())
        .collect();
    if addrs.is_empty() {
        return Err(CaptureError::Failed(format!("{host} does not resolve")));
    }
    if !private_ok && addrs.iter().any(|a| is_private(*a)) {
        return Err(CaptureError::Refused(
            "the host resolves to a private or loopback address",
        ));
    }
    Ok((host, addrs))
}

/// A DevTools connection: commands by id, events kept in order.
struct Cdp {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next: u64,
    events: Vec<Value>,
    private_ok: bool,
    /// Requests refused because they led off the public web (redirects, frames, scripts).
    refused: Vec<String>,
}

impl Cdp {
    async fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, CaptureError> {
        self.next += 1;
        let id = self.next;
        let mut command = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            command["sessionId"] = json!(s);
        }
        self.socket
            .send(Message::text(command.to_string()))
            .await
            .map_err(|e| CaptureError::Failed(e.to_string()))?;
        loop {
            let message = tokio::time::timeout(Duration::from_secs(30), self.socket.next())
                .await
                .map_err(|_| CaptureError::Failed(format!("{method}: no answer in 30 s")))?
                .ok_or_else(|| CaptureError::Failed("the browser closed".into()))?
                .map_err(|e| CaptureError::Failed(e.to_string()))?;
            let Message::Text(text) = message else {
                continue;
            };
            let v: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
            if v["id"].as_u64() == Some(id) {
                if let Some(e) = v.get("error") {
                    return Err(CaptureError::Failed(format!("{method}: {e}")));
                }
                return Ok(v["result"].clone());
            }
            self.event(v).await?;
        }
    }

    /// Keeps an event; a request the page is about to make is let through or refused first.
    async fn event(&mut self, v: Value) -> Result<(), CaptureError> {
        if v["method"] == "Fetch.requestPaused" {
            let p = &v["params"];
            let url = p["request"]["url"].as_str().unwrap_or_default().to_owned();
            let (method, params) = if allowed(&url, self.private_ok).await {
                (
                    "Fetch.continueRequest",
                    json!({"requestId": p["requestId"]}),
                )
            } else {
                self.refused.push(url);
                (
                    "Fetch.failRequest",
                    json!({"requestId": p["requestId"], "errorReason": "AccessDenied"}),
                )
            };
            // Sent without waiting: its answer is read (and skipped) like any other message.
            self.next += 1;
            let mut command = json!({"id": self.next, "method": method, "params": params});
            if let Some(session) = v.get("sessionId") {
                command["sessionId"] = session.clone();
            }
            self.socket
                .send(Message::text(command.to_string()))
                .await
                .map_err(|e| CaptureError::Failed(e.to_string()))?;
        } else if v.get("method").is_some() {
            self.events.push(v);
        }
        Ok(())
    }

    /// Reads events until `method` arrives or `until` passes.
    async fn wait_for(&mut self, method: &str, until: Instant) -> bool {
        if self.events.iter().any(|e| e["method"] == method) {
            return true;
        }
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            let Ok(Some(Ok(Message::Text(text)))) =
                tokio::time::timeout(left, self.socket.next()).await
            else {
                return false;
            };
            let v: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
            let found = v["method"] == method;
            if self.event(v).await.is_err() {
                return false;
            }
            if found {
                return true;
            }
        }
        false
    }
}

/// The port and path Chromium writes once its DevTools socket listens.
async fn devtools_address(profile: &Path) -> Result<String, CaptureError> {
    let file = profile.join("DevToolsActivePort");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = tokio::fs::read_to_string(&file).await {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                return Ok(format!("ws://127.0.0.1:{}{}", port.trim(), path.trim()));
            }
        }
        if Instant::now() > deadline {
            return Err(CaptureError::NoBrowser(
                "its DevTools socket did not open in 10 s".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Captures `url` with the browser at `browser`: at most `timeout` for the page to load.
pub async fn capture(
    browser: &Path,
    url: &url::Url,
    private_ok: bool,
    timeout: Duration,
) -> Result<Capture, CaptureError> {
    let (host, addrs) = resolve(url, private_ok).await?;
    let profile = tempfile::tempdir().map_err(|e| CaptureError::NoBrowser(e.to_string()))?;
    // Chromium resolves the page's own host to the address checked above; every other request
    // is checked as it is made (`Fetch.requestPaused`).
    let pin = match addrs[0] {
        IpAddr::V6(v6) => format!("MAP {host} [{v6}]"),
        IpAddr::V4(v4) => format!("MAP {host} {v4}"),
    };
    let mut child = tokio::process::Command::new(browser)
        .args([
            "--headless=new",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--incognito",
            "--window-size=1280,1024",
            "--remote-debugging-port=0",
        ])
        .args(running_as_root().then_some("--no-sandbox"))
        .arg(format!("--host-resolver-rules={pin}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| CaptureError::NoBrowser(format!("{}: {e}", browser.display())))?;
    let result = drive(profile.path(), url, &host, &addrs, private_ok, timeout).await;
    let _ = child.kill().await;
    result
}

/// Chromium's sandbox cannot start as root (CI, containers); anywhere else it stays on, so a
/// hostile page's renderer is confined.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            == Some("0")
    })
}

async fn drive(
    profile: &Path,
    url: &url::Url,
    host: &str,
    addrs: &[IpAddr],
    private_ok: bool,
    timeout: Duration,
) -> Result<Capture, CaptureError> {
    let address = devtools_address(profile).await?;
    let (socket, _) = tokio_tungstenite::connect_async(address)
        .await
        .map_err(|e| CaptureError::NoBrowser(e.to_string()))?;
    let mut cdp = Cdp {
        socket,
        next: 0,
        events: Vec::new(),
        private_ok,
        refused: Vec::new(),
    };
    let version = cdp.call(None, "Browser.getVersion", json!({})).await?;
    let target = cdp
        .call(None, "Target.createTarget", json!({"url": "about:blank"}))
        .await?;
    let attached = cdp
        .call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )
        .await?;
    let session = attached["sessionId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let s = Some(session.as_str());
    cdp.call(
        s,
        "Fetch.enable",
        json!({"patterns": [{"urlPattern": "*"}]}),
    )
    .await?;
    cdp.call(s, "Network.enable", json!({})).await?;
    cdp.call(s, "Page.enable", json!({})).await?;
    let captured_at = chrono::Utc::now();
    let started = captured_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let navigated = cdp
        .call(s, "Page.navigate", json!({"url": url.as_str()}))
        .await?;
    if let Some(error) = navigated["errorText"].as_str() {
        return Err(CaptureError::Failed(error.to_owned()));
    }
    let loaded = cdp
        .wait_for("Page.loadEventFired", Instant::now() + timeout)
        .await;
    // Requests the load event does not wait for (late images, beacons) get a moment.
    cdp.wait_for("never", Instant::now() + Duration::from_millis(500))
        .await;
    let shot = cdp
        .call(
            s,
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        )
        .await?;
    let screenshot = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap_or_default())
        .map_err(|e| CaptureError::Failed(e.to_string()))?;
    let dom = cdp
        .call(
            s,
            "Runtime.evaluate",
            json!({"expression": "document.documentElement.outerHTML", "returnByValue": true}),
        )
        .await?["result"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let final_url = cdp
        .call(
            s,
            "Runtime.evaluate",
            json!({"expression": "location.href", "returnByValue": true}),
        )
        .await?["result"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let har = super::capture_har::har(&cdp.events, &version, url.as_str(), &started);
    let har_bytes = serde_json::to_vec_pretty(&har).unwrap_or_default();
    let manifest = json!({
        "format": "corridor-web-capture",
        "version": 1,
        "url": url.as_str(),
        "final_url": final_url,
        "captured_at": started,
        "load_event": loaded,
        "clock": "the capturing server's system clock (UTC)",
        "browser": {
            "product": version["product"],
            "revision": version["revision"],
            "user_agent": version["userAgent"],
            "protocol": version["protocolVersion"],
            "profile": "new and empty for this capture (no cookies, history or extensions), incognito",
        },
        "dns": {"host": host, "addresses": addrs.iter().map(|a| a.to_string()).collect::<Vec<_>>()},
        "refused_requests": cdp.refused,
        "files": {
            "screenshot.png": sha256(&screenshot),
            "dom.html": sha256(dom.as_bytes()),
            "capture.har": sha256(&har_bytes),
        },
        "tool": format!("corridor {}", env!("CARGO_PKG_VERSION")),
    });
    Ok(Capture {
        screenshot,
        dom,
        har,
        manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_not_the_public_web() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.0.8",
            "::1",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "64:ff9b::a00:1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn only_http_pages_on_public_addresses_are_captured() {
        let refused = |u: &str| {
            let u = url::Url::parse(u).unwrap();
            async move { matches!(resolve(&u, false).await, Err(CaptureError::Refused(_))) }
        };
        assert!(refused("file:///etc/passwd").await);
        assert!(refused("ftp://example.com/x").await);
        assert!(refused("http://127.0.0.1:8080/admin").await);
        assert!(refused("http://localhost/").await);
        // Every request the page makes is checked the same way (redirects, frames, scripts).
        assert!(!allowed("http://169.254.169.254/latest/meta-data/", false).await);
        assert!(!allowed("gopher://example.com/", false).await);
        assert!(allowed("data:image/png;base64,AAAA", false).await);
        assert!(allowed("http://127.0.0.1:9/", true).await);
        let loopback = url::Url::parse("http://127.0.0.1:9/").unwrap();
        assert!(resolve(&loopback, true).await.is_ok());
    }
}
