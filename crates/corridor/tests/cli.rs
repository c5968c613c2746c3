//! The `corridor` binary as an operator uses it: settings, migrations, users, tokens, serve.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_corridor");

fn corridor(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("CORRIDOR_DATABASE_URL")
        .env("RUST_LOG", "warn");
    cmd
}

fn run(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
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

fn http_get(base: &str, path: &str) -> String {
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

#[test]
fn enforce_award_answers_in_words_or_json_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "enforce",
            "award",
            "--seat",
            "CN",
            "--enforce-in",
            "VN",
            "--commercial",
            "yes",
            "--date",
            "2026-11-30",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(a["regime"], "new_york_convention");
    for field in ["steps", "documents", "warnings", "sources"] {
        assert!(a[field].is_array(), "{field}: {out}");
    }
    let (code, out, _) = run(
        dir.path(),
        &[
            "enforce",
            "award",
            "--seat",
            "HK",
            "--enforce-in",
            "CN",
            "--date",
            "2026-11-30",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("hk_arrangement") && out.contains("Yes."),
        "{out}"
    );
    let (code, out, _) = run(
        dir.path(),
        &[
            "enforce",
            "award",
            "--seat",
            "CN",
            "--enforce-in",
            "VN",
            "--lang",
            "zh-CN",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("纽约公约"), "{out}");
    assert!(
        !dir.path().join("corridor-data").exists(),
        "no database is created"
    );
}

#[test]
fn enforce_judgment_and_route_document_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "enforce",
            "judgment",
            "--court-in",
            "CN",
            "--enforce-in",
            "VN",
            "--date",
            "2026-01-01",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["regime"], "bilateral_treaty");
    let route = |date: &str| {
        let (code, out, err) = run(
            dir.path(),
            &[
                "route", "document", "--from", "CN", "--to", "ID", "--date", date, "--json",
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    // China's Apostille Convention entry into force: 2023-11-07 (data/jurisdiction/apostille.csv).
    let before = route("2023-11-06");
    assert_eq!(before["regime"], "consular_legalization");
    assert_eq!(before["steps"][2]["kind"], "legalization_embassy");
    let on = route("2023-11-07");
    assert_eq!(on["regime"], "apostille");
    assert_eq!(on["steps"][1]["kind"], "apostille");
    let (code, out, _) = run(
        dir.path(),
        &["route", "document", "--from", "HK", "--to", "CN"],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("attesting_officer"), "{out}");
}

#[test]
fn bad_jurisdiction_input_exits_2_naming_what_was_wrong() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            &["enforce", "award", "--seat", "XX", "--enforce-in", "VN"][..],
            "--seat",
        ),
        (
            &["enforce", "award", "--seat", "CN", "--enforce-in", "V1"][..],
            "--enforce-in",
        ),
        (
            &[
                "enforce",
                "award",
                "--seat",
                "CN",
                "--enforce-in",
                "VN",
                "--date",
                "1957-12-31",
            ][..],
            "--date",
        ),
        (
            &[
                "enforce",
                "award",
                "--seat",
                "CN",
                "--enforce-in",
                "VN",
                "--date",
                "2101-01-01",
            ][..],
            "--date",
        ),
        (
            &[
                "enforce",
                "judgment",
                "--court-in",
                "CN",
                "--enforce-in",
                "VN",
                "--date",
                "tomorrow",
            ][..],
            "--date",
        ),
        (
            &["route", "document", "--from", "CN", "--to", "QQ", "--json"][..],
            "--to",
        ),
        (
            &[
                "enforce",
                "award",
                "--seat",
                "CN",
                "--enforce-in",
                "VN",
                "--commercial",
                "maybe",
            ][..],
            "--commercial",
        ),
    ] {
        let (code, out, err) = run(dir.path(), args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
}

#[test]
fn ledger_keygen_writes_a_private_key_and_prints_the_vkey() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("log.key");
    let out_s = out.to_str().unwrap();
    let (code, stdout, err) = run(
        dir.path(),
        &[
            "ledger",
            "keygen",
            "--name",
            "corridor.example/ledger/2026",
            "--out",
            out_s,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let vkey = stdout.lines().last().unwrap();
    assert!(
        vkey.starts_with("corridor.example/ledger/2026+"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (code, _, err) = run(dir.path(), &["ledger", "keygen", "--out", out_s], None);
    assert_eq!(code, 1, "a key is never overwritten");
    assert!(err.contains("never overwritten"), "{err}");
}

#[test]
fn verify_inclusion_exits_0_1_or_2() {
    use corridor_ledger::merkle::{MemoryTree, leaf_hash};
    let dir = tempfile::tempdir().unwrap();
    let mut tree = MemoryTree::default();
    for i in 0..5u8 {
        tree.append(&[i]).unwrap();
    }
    let proof: Vec<String> = tree
        .inclusion_proof(2, 5)
        .unwrap()
        .iter()
        .map(|h| h.to_hex())
        .collect();
    let good = serde_json::json!({"leaf_hash": leaf_hash(&[2]).to_hex(), "index": 2, "tree_size": 5,
                                  "root": tree.root().to_hex(), "proof": proof});
    let (code, out, _) = run(
        dir.path(),
        &["verify", "inclusion", "--json"],
        Some(&good.to_string()),
    );
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["valid"],
        true
    );
    let mut bad = good.clone();
    bad["leaf_hash"] = serde_json::json!(leaf_hash(&[3]).to_hex());
    let (code, _, err) = run(dir.path(), &["verify", "inclusion"], Some(&bad.to_string()));
    assert_eq!(code, 1);
    assert!(err.starts_with("invalid:"), "{err}");
    let (code, _, _) = run(dir.path(), &["verify", "inclusion"], Some("not json"));
    assert_eq!(code, 2);
}

/// `corridor search` answers from the shipped knowledge base on a fresh data directory, in
/// JSON for scripts; `search reindex` rebuilds the index; an unknown type is named.
#[test]
fn search_answers_in_json_reindexes_and_names_an_unknown_type() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["--data-dir", data, "search", "区块链 证据", "--json"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    let results = answer["results"].as_array().expect("a results list");
    assert_eq!(
        results[0]["id"], "case:huatai-yimei-v-daotong-2018",
        "{out}"
    );
    assert!(answer["total"].as_u64().unwrap() >= results.len() as u64);

    let (code, out, err) = run(dir.path(), &["--data-dir", data, "search", "reindex"], None);
    assert_eq!(code, 0, "{err}");
    let n: u64 = out
        .split_whitespace()
        .skip_while(|w| *w != "indexed")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("indexed N documents: {out}"));
    assert!(n > 100, "{out}");
    assert!(out.contains(&format!("indexed {n} documents")), "{out}");

    let (code, out, err) = run(
        dir.path(),
        &[
            "--data-dir",
            data,
            "search",
            "enforce award Vietnam",
            "--type",
            "guide",
            "--country",
            "VN",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/guides/vn?lang=en#enforcement"), "{out}");

    let (code, out, err) = run(
        dir.path(),
        &["--data-dir", data, "search", "x", "--type", "novel"],
        None,
    );
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("type"), "the message names the field: {err}");
    assert!(out.is_empty(), "{out}");
}

/// `corridor bench matters` at toy sizes, so the command cannot rot (numbers are not checked:
/// timed assertions do not belong in tests). It starts `corridor serve` as a child process.
#[test]
fn bench_matters_runs_at_tiny_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "bench",
            "matters",
            "--file-mb",
            "3",
            "--matters",
            "300",
            "--mine",
            "30",
            "--requests",
            "5",
            "--documents",
            "20",
            "--clients",
            "4",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    for line in [
        "my matters, first page (total 30)",
        "my matters ?role=member (total 15)",
        "upload 3 MiB",
        "download 3 MiB",
        "server peak RSS",
        "anchored documents, 4 clients",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}

const APPLICANT: &str = r#"{"date": "2026-12-04", "nationality": "CN", "mainland_resident": true,
    "residence_country": "DE", "days_resident": 200, "residence_status": "none",
    "matter": "birth", "use_in": "CN", "needs_interpreter": false, "disposes_property": false}"#;

#[test]
fn notary_check_answers_on_stdin_with_the_contract_json() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(dir.path(), &["notary", "check", "--json"], Some(APPLICANT));
    assert_eq!(code, 0, "{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["verdict"], "eligible");
    assert_eq!(answer["reasons"], serde_json::json!([]));

    let other = APPLICANT.replace("\"birth\"", "\"will\"");
    let (code, out, _) = run(dir.path(), &["notary", "check", "--json"], Some(&other));
    assert_eq!(code, 0, "a matter outside the list is an answer");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["verdict"], "ineligible");
    assert_eq!(answer["reasons"][0]["code"], "matter_type");
    assert!(answer["reasons"][0]["zh"].is_string() && answer["reasons"][0]["source"].is_string());

    let (code, out, _) = run(
        dir.path(),
        &["notary", "check", "--lang", "zh-CN"],
        Some(&other),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("不符合条件") && out.contains("matter_type"),
        "{out}"
    );
}

#[test]
fn notary_check_exits_2_naming_the_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            APPLICANT.replace("\"none\"", "\"tourist\""),
            "residence_status",
        ),
        (APPLICANT.replace("2026-12-04", "2026-02-30"), "date"),
        (
            APPLICANT.replace("\"days_resident\": 200,", ""),
            "days_resident",
        ),
        ("{not json".to_string(), "input"),
    ];
    for (input, field) in cases {
        let (code, out, err) = run(dir.path(), &["notary", "check", "--json"], Some(&input));
        assert_eq!(code, 2, "{field}: {out}");
        assert!(err.contains(field), "{field}: {err}");
    }
}

/// A bundle made with the deployment's ledger verifies with the binary; one byte changed fails.
#[test]
fn bundle_create_anchors_in_the_ledger_and_verify_bundle_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), "<html>listing</html>").unwrap();
    std::fs::write(dir.path().join("receipt.jpg"), b"courier receipt 0042").unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "bundle",
            "create",
            "--subject",
            "ev-1",
            "--out",
            "b.tar",
            "page.html",
            "receipt.jpg",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let made: serde_json::Value = serde_json::from_str(&out).unwrap();
    let vkey = made["vkey"].as_str().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["verify", "bundle", "b.tar", "--vkey", vkey],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("valid: 2 files"), "{out}");

    let mut bytes = std::fs::read(dir.path().join("b.tar")).unwrap();
    let at = bytes.windows(4).position(|w| w == b"0042").unwrap();
    bytes[at] = b'1';
    std::fs::write(dir.path().join("c.tar"), bytes).unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["verify", "bundle", "c.tar", "--vkey", vkey],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("files/receipt.jpg"), "{err}");

    let (code, _, err) = run(
        dir.path(),
        &[
            "bundle",
            "create",
            "--subject",
            "ev-2",
            "--out",
            "b.tar",
            "page.html",
        ],
        None,
    );
    assert_eq!(code, 1, "never overwritten");
    assert!(err.contains("never overwritten"), "{err}");
}

// ---- advisory: `corridor plan` ----

#[test]
fn plan_reads_a_project_on_stdin_and_prints_the_plan_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = r#"{"date": "2026-12-01", "country": "VN", "entry_mode": "joint_venture",
        "sectors_isic": ["C2930"], "ownership": "private",
        "flags": ["employs_foreign_nationals", "direct_investment_by_domestic_entity"],
        "metrics": {"cn_investment_usd": 50000000}}"#;
    let (code, out, err) = run(dir.path(), &["plan", "--json"], Some(input));
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let areas: Vec<&str> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["area"].as_str().unwrap())
        .collect();
    assert_eq!(areas, ["negotiation", "signing", "risk", "disputes"]);
    let items: Vec<&serde_json::Value> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .collect();
    assert!(
        items
            .iter()
            .any(|i| i["obligation"] == "urn:corridor:obl:vn:labour:decree-219-2025:work-permits")
    );
    assert!(items.iter().all(|i| {
        i["obligation"]
            .as_str()
            .unwrap()
            .starts_with("urn:corridor:obl:")
    }));
    let questions = plan["questions"].as_array().unwrap();
    assert!(!questions.is_empty());
    assert!(
        questions
            .iter()
            .all(|q| q["en"].is_string() && q["zh"].is_string())
    );
    assert_eq!(plan["china_side"].as_array().unwrap().len(), 5);
    assert!(plan["sections"][3]["dispute_clause"]["proposed"]["seat"].is_string());

    // The readable form, in Chinese.
    let (code, out, _) = run(dir.path(), &["plan", "--lang", "zh-CN"], Some(input));
    assert_eq!(code, 0);
    assert!(out.contains("争议解决"), "{out}");
}

#[test]
fn plan_exits_2_naming_unknown_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["plan", "--json"],
        Some(r#"{"country": "VN", "entry_mode": "greenfield", "flags": ["made_up_flag"]}"#),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("flags") && err.contains("made_up_flag"),
        "{err}"
    );
    let (code, _, err) = run(
        dir.path(),
        &["plan"],
        Some(r#"{"country": "ZZ", "entry_mode": "greenfield"}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("country") && err.contains("ZZ"), "{err}");
    let (code, _, err) = run(
        dir.path(),
        &["plan"],
        Some(r#"{"country": "VN", "entry_mode": "merger"}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("merger"), "{err}");
    let (code, _, err) = run(dir.path(), &["plan"], Some("not json"));
    assert_eq!(code, 2, "{err}");
}
