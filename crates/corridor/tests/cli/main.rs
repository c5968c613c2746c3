//! The `corridor` binary as an operator uses it: settings, migrations, users, tokens, serve;
//! the answering commands, arbitration, the ledger commands and search are in the modules
//! below.

mod answers;
mod arbitration;
mod ledger;
mod search;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_corridor");

pub(crate) fn corridor(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("CORRIDOR_DATABASE_URL")
        .env("RUST_LOG", "warn");
    cmd
}

pub(crate) fn run(
    dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> (i32, String, String) {
    let mut child = corridor(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run corridor");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
#[test]
fn config_example_prints_a_file_that_serve_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(dir.path(), &["config", "example"], None);
    assert_eq!(code, 0);
    assert!(out.contains("listen = \"127.0.0.1:8080\""), "{out}");
    std::fs::write(dir.path().join("corridor.toml"), out).unwrap();
    let (code, out, err) = run(dir.path(), &["migrate"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("up to date"), "{out}");
    assert!(
        dir.path().join("corridor-data/corridor.db").exists(),
        "the default data dir is ./corridor-data"
    );
}

#[test]
fn an_unknown_database_scheme_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            "mysql://root:secret@localhost/x",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("unsupported database URL") && err.contains("postgres://"),
        "{err}"
    );
    assert!(
        !err.contains("secret"),
        "passwords are never printed: {err}"
    );
}

#[test]
fn users_and_tokens_are_created_without_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (code, _, err) = run(
        dir.path(),
        &[
            "user",
            "add",
            "--data-dir",
            data,
            "--email",
            "Ops@Corridor.example",
            "--name",
            "Ops",
            "--role",
            "platform_admin",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(
        dir.path(),
        &[
            "user",
            "add",
            "--data-dir",
            data,
            "--email",
            "ops@corridor.example",
            "--name",
            "Again",
            "--password-stdin",
        ],
        Some("another long password\n"),
    );
    assert_eq!(code, 1);
    assert!(err.contains("already"), "{err}");
    let (code, _, err) = run(
        dir.path(),
        &[
            "user",
            "add",
            "--data-dir",
            data,
            "--email",
            "x@corridor.example",
            "--name",
            "X",
            "--role",
            "wizard",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert_eq!(code, 1);
    assert!(err.contains("unknown platform role"), "{err}");
    let (code, out, err) = run(
        dir.path(),
        &[
            "token",
            "create",
            "--data-dir",
            data,
            "--email",
            "ops@corridor.example",
            "--name",
            "sync",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let token = out.lines().last().unwrap();
    assert!(token.starts_with("cor_") && token.len() > 40, "{out}");
}

/// `serve` prints its address, answers, lets other commands work on the same data while it
/// runs, and stops cleanly on SIGTERM.
#[test]
fn serve_prints_its_address_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = corridor(dir.path(), &["serve", "--listen", "127.0.0.1:0", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut address = None;
    let started = Instant::now();
    let mut printed = Vec::new();
    while address.is_none() && started.elapsed() < Duration::from_secs(120) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("Corridor is running at ") {
            address = rest.split_whitespace().next().map(str::to_string);
        }
        printed.push(line);
    }
    let address = address.unwrap_or_else(|| panic!("no address printed: {printed:?}"));
    assert!(
        printed.iter().any(|l| l.contains("admin@corridor.example")),
        "demo sign-ins are printed"
    );
    let health = http_get(&address, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");

    let (code, _, err) = run(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "second@corridor.example",
            "--name",
            "Second",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert_eq!(code, 0, "a command beside the running server: {err}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "graceful shutdown exits 0, got {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
pub(crate) fn http_get(base: &str, path: &str) -> String {
    use std::io::Read;
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}
