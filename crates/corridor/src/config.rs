//! Settings: built-in defaults < `corridor.toml` < `CORRIDOR_*` environment < command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::redact_url;

/// The file read when `--config` is not given; missing is fine.
pub const DEFAULT_CONFIG_FILE: &str = "corridor.toml";

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Settings {
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// Root of everything Corridor keeps on disk: the SQLite database, files, the search index.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/corridor.db`.
    pub database_url: String,
    /// Load the demo data set into an empty database at start.
    pub demo: bool,
    pub log_format: LogFormat,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// A request that takes longer than this is answered 408.
    pub request_timeout_secs: u64,
    /// A connection must deliver a request's line and headers within this many seconds —
    /// also the first request, and the next one on a kept-alive connection — or it is closed.
    /// `request_timeout_secs` only starts once the headers are in.
    pub header_read_timeout_secs: u64,
    /// Sessions end after this many hours without use.
    pub session_idle_hours: i64,
    /// Set the `Secure` flag on cookies; turn on behind HTTPS.
    pub secure_cookies: bool,
    /// Seconds a public directory answer may be served from this node's memory; 0 = off.
    pub read_cache_secs: u64,
    /// Run the ledger (tamper-evident log) inside the server.
    pub ledger_enabled: bool,
    /// The log's Ed25519 key; created on first start if missing. Empty = `<data_dir>/ledger/log.key`.
    pub ledger_key_file: String,
    /// The log's name, used when a new key is created (the key's name is the origin).
    pub ledger_origin: String,
    /// Seconds between signed checkpoints.
    pub ledger_checkpoint_secs: u64,
    /// Witnesses asked to cosign each checkpoint, each `"URL VKEY"` (`http://` or `https://`).
    pub ledger_witnesses: Vec<String>,
    /// A PEM file of CA certificates trusted for `https://` witnesses, besides the platform's
    /// roots (a partner's private CA). Empty = the platform's roots only.
    pub ledger_witness_ca_file: String,
    /// Keep a search index (in `<data_dir>/search`) and serve `/search`.
    pub search_enabled: bool,
    /// Seconds between sweeps for database changes made by other nodes; this node's own
    /// changes reach the index right after they commit.
    pub search_sweep_secs: u64,
    /// Where documents (and, on S3, the ledger) are kept: empty = `<data_dir>/files` on the
    /// local disk; `s3://bucket/prefix` for any S3-compatible store, with credentials and the
    /// endpoint from the standard `AWS_*` variables.
    pub files_url: String,
    /// Largest document upload, in MiB; a larger one is refused with 413 and nothing is kept.
    pub upload_limit_mb: u64,
    /// `smtp://host:port` (or `smtps://user:pass@host`) for email; empty = mail goes to the
    /// outbox that platform admins read.
    pub smtp_url: String,
    /// The sender of the platform's email.
    pub mail_from: String,
    /// The address people reach this deployment at, for links in email and calendar feeds;
    /// empty = `http://<listen>`.
    pub public_url: String,
    /// A folder searched for PDF fonts before the system font folders; empty = only those.
    /// PDFs need a font with Chinese glyphs (Debian `fonts-noto-cjk`); without one, PDF
    /// routes answer 503.
    pub fonts_dir: String,
    /// A TURN server for remote notarization sessions whose two browsers cannot reach each
    /// other directly (`turn:host:3478`); empty = none (enough on one network).
    pub turn_url: String,
    pub turn_username: String,
    /// Never printed.
    pub turn_credential: String,
    /// The Chromium that captures web pages as evidence; empty = /usr/bin/chromium (or
    /// chromium-browser, google-chrome) if present, else web capture answers 503.
    pub capture_browser: String,
    /// Let web capture open private and loopback addresses (tests, an intranet deployment);
    /// off by default so a capture cannot reach the server's own network.
    pub capture_private_addresses: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("corridor-data"),
            database_url: String::new(),
            demo: false,
            log_format: LogFormat::Text,
            body_limit_bytes: 2 * 1024 * 1024,
            request_timeout_secs: 30,
            header_read_timeout_secs: 10,
            session_idle_hours: 12,
            secure_cookies: false,
            read_cache_secs: 2,
            ledger_enabled: true,
            ledger_key_file: String::new(),
            ledger_origin: "corridor.localhost/ledger/2026".into(),
            ledger_checkpoint_secs: 2,
            ledger_witnesses: Vec::new(),
            ledger_witness_ca_file: String::new(),
            search_enabled: true,
            search_sweep_secs: 5,
            files_url: String::new(),
            upload_limit_mb: 100,
            smtp_url: String::new(),
            mail_from: "Corridor <noreply@corridor.localhost>".into(),
            public_url: String::new(),
            fonts_dir: String::new(),
            turn_url: String::new(),
            turn_username: String::new(),
            turn_credential: String::new(),
            capture_browser: String::new(),
            capture_private_addresses: false,
        }
    }
}

/// The database URL may carry a password: never print it whole.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url()))
            .field("demo", &self.demo)
            .field("log_format", &self.log_format)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("header_read_timeout_secs", &self.header_read_timeout_secs)
            .field("session_idle_hours", &self.session_idle_hours)
            .field("secure_cookies", &self.secure_cookies)
            .field("read_cache_secs", &self.read_cache_secs)
            .field("ledger_enabled", &self.ledger_enabled)
            .field("ledger_key_file", &self.ledger_key_file())
            .field("ledger_origin", &self.ledger_origin)
            .field("ledger_checkpoint_secs", &self.ledger_checkpoint_secs)
            .field("ledger_witnesses", &self.ledger_witnesses)
            .field("ledger_witness_ca_file", &self.ledger_witness_ca_file)
            .field("search_enabled", &self.search_enabled)
            .field("search_sweep_secs", &self.search_sweep_secs)
            .field("files_url", &redact_url(&self.files_url))
            .field("upload_limit_mb", &self.upload_limit_mb)
            .field("smtp_url", &redact_url(&self.smtp_url))
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .field("fonts_dir", &self.fonts_dir)
            .field("turn_url", &self.turn_url)
            .field("turn_username", &self.turn_username)
            .field("turn_credential", &(!self.turn_credential.is_empty()))
            .field("capture_browser", &self.capture_browser)
            .field("capture_private_addresses", &self.capture_private_addresses)
            .finish()
    }
}

/// Values given on the command line; `None` leaves the lower layers in force.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub demo: bool,
    pub log_format: Option<LogFormat>,
    pub files_url: Option<String>,
    pub upload_limit_mb: Option<u64>,
    pub smtp_url: Option<String>,
}

impl Settings {
    /// Reads the layers in order. The environment is passed in so tests need not touch the
    /// process environment.
    pub fn load(
        overrides: &Overrides,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Self> {
        let mut builder =
            config::Config::builder().add_source(config::Config::try_from(&Settings::default())?);
        let file = overrides
            .config_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        if overrides.config_file.is_some() && !file.exists() {
            anyhow::bail!("config file {} does not exist", file.display());
        }
        builder = builder.add_source(
            config::File::new(&file.to_string_lossy(), config::FileFormat::Toml).required(false),
        );
        let env: config::Map<String, String> = env
            .into_iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("CORRIDOR_")?.to_ascii_lowercase(), v)))
            .filter(|(k, _)| KNOWN_KEYS.contains(&k.as_str()))
            .collect();
        builder = builder.add_source(
            config::Environment::default()
                .source(Some(env))
                .try_parsing(true),
        );
        if let Some(v) = &overrides.listen {
            builder = builder.set_override("listen", v.as_str())?;
        }
        if let Some(v) = &overrides.data_dir {
            builder = builder.set_override("data_dir", v.to_string_lossy().as_ref())?;
        }
        if let Some(v) = &overrides.database_url {
            builder = builder.set_override("database_url", v.as_str())?;
        }
        if let Some(v) = &overrides.files_url {
            builder = builder.set_override("files_url", v.as_str())?;
        }
        if let Some(v) = overrides.upload_limit_mb {
            builder = builder.set_override("upload_limit_mb", v)?;
        }
        if let Some(v) = &overrides.smtp_url {
            builder = builder.set_override("smtp_url", v.as_str())?;
        }
        if overrides.demo {
            builder = builder.set_override("demo", true)?;
        }
        if let Some(v) = overrides.log_format {
            let v = if v == LogFormat::Json { "json" } else { "text" };
            builder = builder.set_override("log_format", v)?;
        }
        let settings: Settings = builder
            .build()?
            .try_deserialize()
            .map_err(|e| anyhow::anyhow!("invalid settings: {e}"))?;
        crate::db::Backend::from_url(&settings.database_url())?;
        Ok(settings)
    }

    /// The effective database URL: SQLite inside the data directory unless one is given.
    pub fn database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            sqlite_url_for(&self.data_dir.join("corridor.db"))
        } else {
            self.database_url.trim().to_string()
        }
    }

    pub fn ledger_key_file(&self) -> PathBuf {
        if self.ledger_key_file.trim().is_empty() {
            self.data_dir.join("ledger").join("log.key")
        } else {
            PathBuf::from(self.ledger_key_file.trim())
        }
    }

    /// Where this node keeps its search index (derived from the database; safe to delete).
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }

    /// Where the log's tiles, entry bundles and checkpoints live.
    pub fn ledger_dir(&self) -> PathBuf {
        self.data_dir.join("ledger").join("log")
    }

    /// The local folder for documents when `files_url` is empty.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    pub fn upload_limit_bytes(&self) -> u64 {
        self.upload_limit_mb.saturating_mul(1024 * 1024)
    }

    /// The deployment's public address, without a trailing slash.
    pub fn public_url(&self) -> String {
        let url = self.public_url.trim().trim_end_matches('/');
        if url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            url.to_string()
        }
    }

    /// A commented `corridor.toml` with every setting at its default.
    pub fn example_toml() -> String {
        let defaults = Settings::default();
        format!(
            "# corridor.toml — every setting with its default. Each can also be set as\n\
             # CORRIDOR_<NAME> in the environment (e.g. CORRIDOR_LISTEN) or as a flag.\n\n\
             # Address the HTTP server binds to.\nlisten = \"{}\"\n\n\
             # Where the SQLite database, files and search index live.\ndata_dir = \"{}\"\n\n\
             # sqlite://PATH or postgres://USER:PASSWORD@HOST/DB; empty = SQLite in data_dir.\n\
             database_url = \"\"\n\n\
             # Load the demo data set into an empty database at start.\ndemo = false\n\n\
             # text or json\nlog_format = \"text\"\n\n\
             body_limit_bytes = {}\nrequest_timeout_secs = {}\n\
             # Seconds to receive a request's headers (also the idle time between requests).\n\
             header_read_timeout_secs = {}\nsession_idle_hours = {}\n\n\
             # Set to true when served over HTTPS.\nsecure_cookies = false\n\n\
             # Seconds a public directory answer may be served from memory (0 = off).\n\
             read_cache_secs = 2\n\n\
             # The ledger: a tamper-evident log of notarial acts, evidence and awards.\n\
             ledger_enabled = true\n\
             # Empty = <data_dir>/ledger/log.key, created on first start.\nledger_key_file = \"\"\n\
             # The log's name (origin); used only when a new key is created.\n\
             ledger_origin = \"{}\"\nledger_checkpoint_secs = {}\n\
             # Witnesses that cosign checkpoints: [\"https://host:8081 NAME+KEYID+KEY\"]\n\
             ledger_witnesses = []\n\
             # PEM file of extra CA certificates for https:// witnesses (empty = system roots).\n\
             ledger_witness_ca_file = \"\"\n\n\
             # Search: an index in <data_dir>/search that follows the database.\n\
             search_enabled = true\n\
             # Seconds between sweeps for changes made by other nodes (a shared PostgreSQL).\n\
             search_sweep_secs = {}\n\n\
             # Documents: empty = <data_dir>/files; s3://bucket/prefix with AWS_* credentials.\n\
             files_url = \"\"\n\
             # Largest upload in MiB (larger ones get 413).\nupload_limit_mb = {}\n\n\
             # Email: smtp://host:port; empty = an outbox platform admins read.\nsmtp_url = \"\"\n\
             mail_from = \"{}\"\n\
             # Where people reach this deployment (links in email); empty = http://<listen>.\n\
             public_url = \"\"\n\n\
             # PDF fonts: a folder searched before the system's; PDFs need a Chinese font\n\
             # (apt-get install fonts-noto-cjk).\nfonts_dir = \"\"\n\n\
             # Remote notarization video: a TURN server when the two browsers cannot reach each\n\
             # other directly (turn:host:3478); empty = none.\n\
             turn_url = \"\"\nturn_username = \"\"\nturn_credential = \"\"\n\n\
             # Web capture for evidence: the Chromium it runs (empty = /usr/bin/chromium); private\n\
             # and loopback addresses are refused unless allowed here.\n\
             capture_browser = \"\"\ncapture_private_addresses = false\n",
            defaults.listen,
            defaults.data_dir.display(),
            defaults.body_limit_bytes,
            defaults.request_timeout_secs,
            defaults.header_read_timeout_secs,
            defaults.session_idle_hours,
            defaults.ledger_origin,
            defaults.ledger_checkpoint_secs,
            defaults.search_sweep_secs,
            defaults.upload_limit_mb,
            defaults.mail_from,
        )
    }
}

const KNOWN_KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "demo",
    "log_format",
    "body_limit_bytes",
    "request_timeout_secs",
    "header_read_timeout_secs",
    "session_idle_hours",
    "secure_cookies",
    "read_cache_secs",
    "ledger_enabled",
    "ledger_key_file",
    "ledger_origin",
    "ledger_checkpoint_secs",
    "ledger_witnesses",
    "ledger_witness_ca_file",
    "search_enabled",
    "search_sweep_secs",
    "files_url",
    "upload_limit_mb",
    "smtp_url",
    "mail_from",
    "public_url",
    "fonts_dir",
    "turn_url",
    "turn_username",
    "turn_credential",
    "capture_browser",
    "capture_private_addresses",
];

pub fn sqlite_url_for(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_use_sqlite_in_the_data_dir_on_localhost_8080() {
        let s = Settings::load(
            &Overrides {
                config_file: Some(PathBuf::from("/dev/null")),
                ..Default::default()
            },
            vec![],
        )
        .unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database_url(), "sqlite://corridor-data/corridor.db");
    }

    #[test]
    fn environment_beats_file_and_flags_beat_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ndemo = true\n").unwrap();
        let base = Overrides {
            config_file: Some(file),
            ..Default::default()
        };
        let s = Settings::load(&base, vec![]).unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert!(s.demo);
        let s = Settings::load(&base, env(&[("CORRIDOR_LISTEN", "127.0.0.1:9001")])).unwrap();
        assert_eq!(s.listen.port(), 9001);
        let flags = Overrides {
            listen: Some("127.0.0.1:9002".into()),
            ..base
        };
        let s = Settings::load(&flags, env(&[("CORRIDOR_LISTEN", "127.0.0.1:9001")])).unwrap();
        assert_eq!(s.listen.port(), 9002);
    }

    #[test]
    fn unknown_database_scheme_is_a_clear_error() {
        let o = Overrides {
            config_file: Some(PathBuf::from("/dev/null")),
            database_url: Some("mysql://x".into()),
            ..Default::default()
        };
        let err = Settings::load(&o, vec![]).unwrap_err().to_string();
        assert!(
            err.contains("sqlite://") && err.contains("postgres://"),
            "{err}"
        );
    }

    #[test]
    fn debug_output_hides_the_database_password() {
        let s = Settings {
            database_url: "postgres://corridor:hunter2@db/corridor".into(),
            ..Default::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("corridor:***@db"), "{shown}");
    }

    #[test]
    fn the_example_file_parses_back_to_the_defaults() {
        let parsed: Settings = toml::from_str(&Settings::example_toml()).unwrap();
        assert_eq!(parsed.listen, Settings::default().listen);
        assert_eq!(
            parsed.body_limit_bytes,
            Settings::default().body_limit_bytes
        );
    }
}
