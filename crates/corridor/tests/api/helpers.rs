//! `TestApp`: the real server on a loopback port over a fresh database of its own — a temp
//! SQLite file, or a uniquely named PostgreSQL database on the server named by
//! `CORRIDOR_TEST_POSTGRES_URL`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use corridor::app::serve;
use corridor::auth::audit::Who;
use corridor::auth::store::NewUser;
use corridor::auth::{OrgRole, PlatformRole};
use corridor::config::Settings;
use corridor::db::Store;
use corridor::directory::model::{OrgKind, OrganizationInput};
use corridor::state::AppState;

pub const POSTGRES_ENV: &str = "CORRIDOR_TEST_POSTGRES_URL";
pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the named `async fn(TestApp)` on SQLite and, as a second test, on PostgreSQL. Taking
/// only a name keeps the test an ordinary function that rustfmt formats. The PostgreSQL half
/// is `#[ignore]`d (`cargo test` on a fresh machine has no PostgreSQL) and fails, when
/// included, without `CORRIDOR_TEST_POSTGRES_URL`.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident) => {
        /// The test of the same name, once per backend.
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite);
                super::$name(app.await.expect("sqlite")).await
            }
            #[tokio::test]
            #[ignore = "needs PostgreSQL: set CORRIDOR_TEST_POSTGRES_URL"]
            async fn postgres() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres);
                super::$name(app.await.expect("postgres")).await
            }
        }
    };
    // Both halves need something more than their database (a font, a tool): both are ignored
    // with `$reason`, and the PostgreSQL half needs PostgreSQL as well.
    ($name:ident, ignore = $reason:literal) => {
        /// The test of the same name, once per backend.
        mod $name {
            #[tokio::test]
            #[ignore = $reason]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite);
                super::$name(app.await.expect("sqlite")).await
            }
            #[tokio::test]
            #[ignore = $reason]
            async fn postgres() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres);
                super::$name(app.await.expect("postgres")).await
            }
        }
    };
}

/// The value of `var`, or a failure that says which service the test needs and how to give it.
pub fn required_env(var: &str, what: &str) -> anyhow::Result<String> {
    std::env::var(var).map_err(|_| {
        anyhow::anyhow!(
            "{var} is not set: this test needs {what} (see the README's test section; \
             plain `cargo test` leaves it out as ignored)"
        )
    })
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    /// The test database, for a second node (another `Store`) on the same data.
    pub database_url: String,
    /// The node's document store.
    pub files: Option<corridor::matters::files::Files>,
    /// The node's ledger (`None` with `ledger_enabled = false`).
    pub ledger: Option<std::sync::Arc<corridor::anchoring::service::Ledger>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestApp {
    /// An error when the backend is not available (PostgreSQL without its URL).
    pub async fn spawn(backend: Backend) -> anyhow::Result<TestApp> {
        Self::spawn_with(backend, Settings::default()).await
    }

    pub async fn spawn_with(backend: Backend, settings: Settings) -> anyhow::Result<TestApp> {
        let (url, postgres) = match backend {
            Backend::Sqlite => (None, None),
            Backend::Postgres => {
                let server = required_env(POSTGRES_ENV, "a PostgreSQL server")?;
                let (url, name) =
                    corridor::db::testing::create_postgres_database(&server, "corridor_test")
                        .await?;
                (Some(url), Some((server, name)))
            }
        };
        let mut app = Self::start(url, settings).await?;
        app.postgres = postgres;
        Ok(app)
    }

    /// Starts a node on `database_url` (`None`: a fresh SQLite file in its data dir), with its
    /// own data dir. The database is not dropped with the node.
    pub async fn start(
        database_url: Option<String>,
        mut settings: Settings,
    ) -> anyhow::Result<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = database_url
            .unwrap_or_else(|| corridor::config::sqlite_url_for(&dir.path().join("corridor.db")));
        let store = Store::open(&url).await.expect("open store");
        settings.data_dir = dir.path().to_path_buf();
        settings.database_url = url.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = AppState::open(store.clone(), settings).await?;
        let ledger = state.ledger.clone();
        let files = state.files.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(TestApp {
            addr,
            store,
            database_url: url,
            files,
            ledger,
            stop: Some(stop),
            _dir: dir,
            postgres: None,
        })
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Stops the node as `corridor serve` does on SIGTERM: no more requests, the ledger's
    /// batch in hand finishes and its writer lock is given up.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(ledger) = &self.ledger {
            ledger.shutdown().await;
        }
    }

    pub fn ledger(&self) -> &corridor::anchoring::service::Ledger {
        self.ledger
            .as_deref()
            .expect("the ledger runs on this node")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that keeps cookies and does not follow redirects (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub async fn org(&self, slug: &str, kind: OrgKind, country: &str) -> String {
        let input = org_input(slug, kind, country);
        self.store
            .create_organization(&Who::cli(), &input, false)
            .await
            .expect("create org")
            .into_string()
    }

    pub async fn user(
        &self,
        email: &str,
        platform: Option<PlatformRole>,
        memberships: &[(&str, OrgRole)],
    ) -> String {
        self.store
            .add_user(
                &Who::cli(),
                NewUser {
                    email,
                    name: email.split('@').next().unwrap_or(email),
                    password: PASSWORD,
                    platform_role: platform,
                    memberships: memberships
                        .iter()
                        .map(|(org, role)| (org.to_string(), *role))
                        .collect(),
                },
            )
            .await
            .expect("add user")
    }

    pub async fn token_for(&self, user_id: &str) -> String {
        self.store
            .create_token(&Who::cli(), user_id, "test")
            .await
            .expect("token")
            .1
    }

    /// Signs in through the login form, as a browser would; returns the client holding the
    /// session cookie.
    pub async fn login(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let page = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_from(&page);
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("email", email),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "login of {email} should redirect");
        client
    }

    /// The CSRF token a page offers (from any form's hidden field).
    pub async fn csrf(&self, client: &reqwest::Client) -> String {
        let page = client
            .get(self.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        csrf_from(&page)
    }
}

pub fn csrf_from(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").unwrap();
    let header = doc
        .select(&body)
        .next()
        .and_then(|b| b.value().attr("hx-headers"))
        .expect("body carries hx-headers");
    let v: serde_json::Value = serde_json::from_str(header).expect("hx-headers is JSON");
    v["X-CSRF-Token"].as_str().expect("token").to_string()
}

pub fn org_input(slug: &str, kind: OrgKind, country: &str) -> OrganizationInput {
    OrganizationInput {
        slug: Some(slug.to_string()),
        kind,
        name_zh: format!("{slug}（测试）"),
        name_en: format!("{slug} (Test)"),
        jurisdiction: country.to_string(),
        city_en: "Chongqing".into(),
        city_zh: "重庆".into(),
        languages: vec!["zh".into(), "en".into()],
        practice_areas: vec!["trade".into()],
        email: String::new(),
        phone: String::new(),
        website: String::new(),
        description_en: "Test organization".into(),
        description_zh: "测试机构".into(),
        remote_notarization_pilot: false,
    }
}

/// A JSON error answer: its status and its `{code, message}` body (asserting the shape).
pub async fn error_of(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("a JSON error body");
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );
    (status, body)
}

/// The ids of a search answer's results, best first.
pub fn hit_ids(answer: &serde_json::Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

/// Asks `GET /api/v1/search?q=…` until `done` holds: the index follows the database after
/// each commit, not within it. Fails after 10 s.
pub async fn search_until(
    app: &TestApp,
    q: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = app
            .client()
            .get(app.url("/api/v1/search"))
            .query(&[("q", q)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "search for {q:?}");
        let answer: serde_json::Value = r.json().await.unwrap();
        if done(&answer) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "search for {q:?} did not follow the database within 10 s: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The values of `attr` on every element `selector` matches.
pub fn select_attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Selects with a CSS selector; tests assert on elements, not substrings.
pub fn select_texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(ledger) = &self.ledger {
            // Its background tasks would otherwise poll a database that is about to go.
            ledger.stop_soon();
        }
        if let Some((server, name)) = self.postgres.take() {
            // Best effort: the database is dropped even if the test panicked.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(corridor::db::testing::drop_postgres_database(
                    &server, &name,
                ))
                .ok()
            })
            .join();
        }
    }
}

pub const S3_ENV: &str = "CORRIDOR_TEST_S3_ENDPOINT";

/// A deployment of several nodes: one PostgreSQL database, one S3 bucket (on the S3-compatible
/// server at `CORRIDOR_TEST_S3_ENDPOINT`, with the standard `AWS_*` variables set for it), one
/// ledger key file that every node reads (as operators copy it to each node). Dropped with the
/// cluster.
pub struct Cluster {
    pub database_url: String,
    pub files_url: String,
    pub key_file: std::path::PathBuf,
    _keys: tempfile::TempDir,
    postgres: (String, String),
}

impl Cluster {
    /// Fails, saying what is missing, without PostgreSQL or S3: the tests that use it are
    /// `#[ignore = "needs PostgreSQL and S3: ..."]`, so only `--include-ignored` runs them.
    pub async fn new() -> Cluster {
        let server = required_env(POSTGRES_ENV, "PostgreSQL and S3").unwrap();
        let endpoint = required_env(S3_ENV, "PostgreSQL and S3").unwrap();
        assert!(
            std::env::var("AWS_ENDPOINT_URL").is_ok() && std::env::var("AWS_ACCESS_KEY_ID").is_ok(),
            "{S3_ENV} is set, so AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION must be too (.ci/run sets them)"
        );
        let bucket = format!("corridor-test-{}", uuid::Uuid::now_v7().simple());
        create_bucket(&endpoint, &bucket).await;
        let (database_url, name) =
            corridor::db::testing::create_postgres_database(&server, "corridor_test")
                .await
                .expect("create test database");
        let keys = tempfile::tempdir().expect("temp dir");
        let key_file = keys.path().join("log.key");
        corridor::anchoring::service::ensure_key(&key_file, &Settings::default().ledger_origin)
            .expect("key");
        Cluster {
            database_url,
            files_url: format!("s3://{bucket}/deployment"),
            key_file,
            _keys: keys,
            postgres: (server, name),
        }
    }

    /// The settings every node of this deployment runs with.
    pub fn settings(&self) -> Settings {
        Settings {
            files_url: self.files_url.clone(),
            ledger_key_file: self.key_file.display().to_string(),
            ..Settings::default()
        }
    }

    /// Starts one more node of the deployment.
    pub async fn node(&self) -> TestApp {
        self.try_node(self.settings()).await.expect("node starts")
    }

    /// Starts a node with these settings on the deployment's database: the error when it refuses.
    pub async fn try_node(&self, settings: Settings) -> anyhow::Result<TestApp> {
        TestApp::start(Some(self.database_url.clone()), settings).await
    }
}

/// Creates a bucket on the test S3 server (moto accepts an unsigned `PUT /<bucket>`).
pub async fn create_bucket(endpoint: &str, bucket: &str) {
    let r = reqwest::Client::new()
        .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
        .send()
        .await
        .expect("S3 server answers");
    assert!(
        r.status().is_success(),
        "create bucket {bucket}: {}",
        r.status()
    );
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let (server, name) = self.postgres.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(corridor::db::testing::drop_postgres_database(
                &server, &name,
            ))
            .ok()
        })
        .join();
    }
}

/// The audit log's length: every change writes to it, so a refusal must leave it as it was.
pub async fn audit_count(app: &TestApp) -> usize {
    app.store
        .audit_page(None, None, 100_000)
        .await
        .unwrap()
        .len()
}

/// Files `bytes` as a document of `role` in a matter, as a participant's upload: the answer.
pub async fn post_document(
    app: &TestApp,
    token: &str,
    matter: &str,
    role: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("role", role.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    post_document_form(app, token, matter, form).await
}

/// Sends a document's multipart form to a matter as `token`'s holder: the answer.
pub async fn post_document_form(
    app: &TestApp,
    token: &str,
    matter: &str,
    form: reqwest::multipart::Form,
) -> reqwest::Response {
    app.client()
        .post(app.url(&format!("/api/v1/matters/{matter}/documents")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The first document of `role` in a matter, as `token`'s reader sees the matter.
pub async fn document_of_role(
    app: &TestApp,
    token: &str,
    matter: &str,
    role: &str,
) -> serde_json::Value {
    let r = app
        .client()
        .get(app.url(&format!("/api/v1/matters/{matter}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let m: serde_json::Value = r.json().await.unwrap();
    m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["role"] == role)
        .unwrap_or_else(|| panic!("no {role} in {m}"))
        .clone()
}
