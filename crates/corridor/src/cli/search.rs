//! `corridor search "QUERY"` and `corridor search reindex`.

use serde::Serialize;

use crate::config::Settings;
use crate::search::query::{RawFilters, parse};
use crate::search::{SearchHit, SearchIndex, SearchResults, SearchService};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<SearchCommand>,
    /// Words in Chinese and/or English, "exact phrases", filters like country:ID.
    pub query: Option<String>,
    /// guide, case, organization, person, country (comma-separated).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2 codes, comma-separated.
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub sector: Option<String>,
    /// zh or en.
    #[arg(long)]
    pub lang: Option<String>,
    #[arg(long)]
    pub year: Option<String>,
    /// How many results (1–50).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print `{query, total, results: [...]}` as JSON, best first.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    query: &'a str,
    total: u64,
    results: &'a [SearchHit],
}

pub async fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    let store = super::open_store(&settings).await?;
    // A fresh install has the shipped guides and cases before anything else runs.
    crate::knowledge::import_shipped(&store).await?;
    if let Some(SearchCommand::Reindex) = args.command {
        return reindex(store, &settings).await;
    }
    let query = args.query.clone().unwrap_or_default();
    if !(1..=crate::search::PER_PAGE_MAX).contains(&args.limit) {
        anyhow::bail!(
            "--limit must be between 1 and {}",
            crate::search::PER_PAGE_MAX
        );
    }
    let req = parse(
        &query,
        RawFilters::from_options(
            &args.kind,
            &args.country,
            &args.sector,
            &args.lang,
            &args.year,
        ),
        args.limit,
        0,
    )
    .map_err(|e| anyhow::anyhow!("{}", e.info().message("en")))?;
    let results = match SearchService::open(store.clone(), &settings.search_dir()).await {
        Ok(service) => service.search(req).await?,
        // A running server holds the index: read what it keeps current.
        Err(e) if e.to_string().contains("in use by another process") => {
            let dir = settings.search_dir();
            tokio::task::spawn_blocking(move || SearchIndex::open(&dir, false)?.search(&req))
                .await??
        }
        Err(e) => return Err(e),
    };
    print(&query, &results, args.json)
}

fn print(query: &str, results: &SearchResults, json: bool) -> anyhow::Result<()> {
    if json {
        let out = JsonOut {
            query,
            total: results.total,
            results: &results.results,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if results.results.is_empty() {
        println!("no results");
        return Ok(());
    }
    println!("{} result(s)", results.total);
    for (i, h) in results.results.iter().enumerate() {
        let title = if h.title_zh == h.title_en {
            h.title_en.clone()
        } else {
            format!("{} / {}", h.title_zh, h.title_en)
        };
        let heading = if h.heading.is_empty() {
            String::new()
        } else {
            format!(" › {}", h.heading)
        };
        println!("{:>2}. [{}] {title}{heading}", i + 1, h.kind.as_str());
        println!("    {}", h.url);
        println!("    {}", plain_snippet(&h.snippet));
    }
    Ok(())
}

/// The snippet for a terminal: matches in «», entities decoded.
fn plain_snippet(html: &str) -> String {
    html.replace("<b>", "«")
        .replace("</b>", "»")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace('\n', " ")
}

async fn reindex(store: crate::db::Store, settings: &Settings) -> anyhow::Result<()> {
    let service = SearchService::open(store, &settings.search_dir()).await?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} indexing: {pos} documents ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let progress = bar.clone();
    let started = std::time::Instant::now();
    let n = service.rebuild(move |n| progress.set_position(n)).await?;
    bar.finish_and_clear();
    println!(
        "indexed {n} documents in {:.1} s into {}",
        started.elapsed().as_secs_f64(),
        settings.search_dir().display()
    );
    Ok(())
}
