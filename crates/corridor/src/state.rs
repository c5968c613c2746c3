//! What every handler shares: the store, the settings, and the services a node runs (ledger,
//! search, document files, mail, PDF), opened once at start.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::config::Settings;
use crate::db::Store;
use crate::reference::Reference;

/// How often the mail sender looks for email queued by other nodes or CLI commands; email
/// queued on this node is sent right after its transaction commits.
const MAIL_SWEEP: Duration = Duration::from_secs(10);

/// Cloned for each request by every layer and extractor that takes it, so it is one shared
/// reference: one count to raise and drop instead of one per service it holds (the clones and
/// drops were 1.5 % of a cheap list's CPU).
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

pub struct Services {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub reference: &'static Reference,
    pub read_cache: Arc<crate::web::read_cache::ReadCache>,
    /// The tamper-evident log, when this node runs it.
    pub ledger: Option<Arc<crate::anchoring::service::Ledger>>,
    /// The search index, when this node runs it.
    pub search: Option<Arc<crate::search::SearchService>>,
    /// Document content (local folder or S3).
    pub files: Option<crate::matters::files::Files>,
    /// The mail sender (SMTP or the outbox), when this node runs it; it stops when the last
    /// clone of the state is dropped.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    /// Lays out PDFs; `None` when no font with Chinese glyphs is installed (PDF routes then
    /// answer 503 with `AppError::Unavailable`).
    pub pdf: Option<Arc<crate::pdf::Renderer>>,
    /// The arbitrator roster and its history in memory, for ranking it for a seat.
    pub roster: Arc<crate::arbitration::roster::snapshot::RosterCache>,
    /// WebRTC signalling rooms of remote notarization sessions on this node.
    pub signals: Arc<crate::notary::signal::Hub>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        Self(Arc::new(Services::base(store, settings)))
    }

    /// The state with the ledger and the search index opened as the settings say, after
    /// importing the shipped knowledge base (guides and cases) into the database.
    pub async fn open(store: Store, settings: Settings) -> anyhow::Result<Self> {
        let ledger = if settings.ledger_enabled {
            Some(crate::anchoring::service::open(&settings, &store).await?)
        } else {
            None
        };
        let report = crate::knowledge::import_shipped(&store).await?;
        tracing::debug!(?report, "knowledge base imported");
        let search = if settings.search_enabled {
            let service =
                crate::search::SearchService::open(store.clone(), &settings.search_dir()).await?;
            service.spawn_follower(Duration::from_secs(settings.search_sweep_secs.max(1)));
            Some(service)
        } else {
            None
        };
        let files = Some(crate::matters::files::Files::open(&settings)?);
        let mailer = Arc::new(crate::mail::Mailer::from_settings(
            store.clone(),
            &settings,
        )?);
        mailer.spawn(MAIL_SWEEP);
        let fonts_dir =
            (!settings.fonts_dir.is_empty()).then(|| PathBuf::from(&settings.fonts_dir));
        let pdf = match crate::pdf::Renderer::shared(fonts_dir.as_deref()) {
            Ok(renderer) => Some(renderer),
            Err(error) => {
                tracing::warn!(%error, "PDF documents are unavailable");
                None
            }
        };
        Ok(Self(Arc::new(Services {
            ledger,
            search,
            files,
            mailer: Some(mailer),
            pdf,
            ..Services::base(store, settings)
        })))
    }
}

impl Services {
    fn base(store: Store, settings: Settings) -> Self {
        let read_cache = Arc::new(crate::web::read_cache::ReadCache::new(
            Duration::from_secs(settings.read_cache_secs),
            64 * 1024 * 1024,
        ));
        Self {
            store,
            settings: Arc::new(settings),
            reference: Reference::get(),
            read_cache,
            ledger: None,
            search: None,
            files: None,
            mailer: None,
            pdf: None,
            roster: Arc::default(),
            signals: Arc::default(),
        }
    }
}
