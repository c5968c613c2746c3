//! `corridor bench search`: Corridor's index against SQLite FTS5 and PostgreSQL full-text
//! search, side by side in one run, on the same synthetic bilingual corpus and query mix.
//!
//! Reported per engine: indexing documents/s, p50 and p99 latency of a ranked top-10 query
//! (one client, after a warm-up pass), and recall@10 per query language, where the relevant
//! documents are known by construction (`corpus`). Corridor is timed twice: the same top-10
//! the others answer, and the full answer the API gives (count, facets, snippets).

pub mod corpus;
mod rivals;

use std::time::{Duration, Instant};

use corpus::{Corpus, Lang};

use super::doc::{DocKind, SearchDoc};
use super::engine::{IndexState, SearchIndex};
use super::query::{RawFilters, parse};

#[derive(Debug, clap::Args)]
pub struct SearchBenchArgs {
    /// Documents in the synthetic corpus.
    #[arg(long, default_value_t = 1_000_000)]
    pub docs: usize,
    /// Queries per language class (Chinese, English, mixed).
    #[arg(long, default_value_t = 100)]
    pub queries: usize,
    /// Timed passes over the query mix (after one warm-up pass).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also run PostgreSQL full-text search: a server URL; a fresh database is created and dropped.
    #[arg(long)]
    pub postgres_url: Option<String>,
    /// Skip SQLite FTS5.
    #[arg(long)]
    pub no_sqlite: bool,
}

struct Outcome {
    engine: &'static str,
    index_secs: f64,
    latencies: Vec<Duration>,
    /// (language, relevant found in the top 10, relevant in all)
    recall: Vec<(Lang, usize, usize)>,
}

impl Outcome {
    fn percentile(&self, p: f64) -> f64 {
        let mut v: Vec<f64> = self
            .latencies
            .iter()
            .map(|d| d.as_secs_f64() * 1e3)
            .collect();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return f64::NAN;
        }
        let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
        v[i.min(v.len() - 1)]
    }

    fn recall(&self, lang: Lang) -> f64 {
        let (found, all) = self
            .recall
            .iter()
            .filter(|r| r.0 == lang)
            .fold((0, 0), |(f, a), r| (f + r.1, a + r.2));
        if all == 0 {
            f64::NAN
        } else {
            found as f64 / all as f64
        }
    }
}

fn bench_doc(d: corpus::BenchDoc) -> SearchDoc {
    let zh = d.body.chars().next().is_some_and(|c| !c.is_ascii());
    SearchDoc {
        id: d.id,
        kind: Some(DocKind::Case),
        title_en: d.title.clone(),
        title_zh: d.title,
        body: d.body,
        langs: vec![if zh { "zh" } else { "en" }],
        ..Default::default()
    }
}

/// Runs the query mix: a warm-up pass, then `rounds` timed passes; recall from the first.
async fn measure<F, Fut>(
    engine: &'static str,
    index_secs: f64,
    corpus: &Corpus,
    rounds: usize,
    mut run: F,
) -> anyhow::Result<Outcome>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Vec<String>>>,
{
    for q in &corpus.queries {
        run(q.text.clone()).await?;
    }
    let mut latencies = Vec::new();
    let mut recall = Vec::new();
    for round in 0..rounds {
        for q in &corpus.queries {
            let started = Instant::now();
            let ids = run(q.text.clone()).await?;
            latencies.push(started.elapsed());
            if round == 0 {
                let found = q.relevant.iter().filter(|r| ids.contains(r)).count();
                recall.push((q.lang, found, q.relevant.len()));
            }
        }
    }
    Ok(Outcome {
        engine,
        index_secs,
        latencies,
        recall,
    })
}

pub async fn run(args: SearchBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.docs >= 1_000, "--docs must be at least 1000");
    anyhow::ensure!(
        (1..=1_000).contains(&args.queries),
        "--queries must be 1..=1000"
    );
    let corpus = Corpus::new(args.docs, args.queries, args.seed);
    let dir = std::env::temp_dir().join(format!(
        "corridor-search-bench-{}",
        &crate::ids::new_id()[..13]
    ));
    std::fs::create_dir_all(&dir)?;
    eprintln!(
        "corpus: {} documents (half Chinese, half English), {} queries ({} zh, {} en, {} mixed), seed {}",
        args.docs,
        corpus.queries.len(),
        args.queries,
        args.queries,
        args.queries,
        args.seed
    );
    let mut outcomes = Vec::new();

    // Corridor: tantivy + jieba, on disk, with the server's own analysis and ranking.
    eprintln!("indexing: corridor …");
    let index_dir = dir.join("corridor");
    let started = Instant::now();
    let index = {
        let corpus = &corpus;
        let index = SearchIndex::open_bulk(&index_dir)?;
        index.rebuild(
            (0..corpus.docs).map(|i| bench_doc(corpus.doc(i))),
            &IndexState::default(),
            |_| {},
        )?;
        index
    };
    let secs = started.elapsed().as_secs_f64();
    let index = std::sync::Arc::new(index);
    let top10 = |q: String| {
        let index = index.clone();
        async move {
            let req = parse(&q, RawFilters::default(), 10, 0)?;
            index.search_ids(&req)
        }
    };
    outcomes.push(measure("corridor (top 10)", secs, &corpus, args.rounds, top10).await?);
    let full = |q: String| {
        let index = index.clone();
        async move {
            let req = parse(&q, RawFilters::default(), 10, 0)?;
            Ok(index
                .search(&req)?
                .results
                .into_iter()
                .map(|h| h.id)
                .collect())
        }
    };
    outcomes.push(measure("corridor (API answer)", secs, &corpus, args.rounds, full).await?);
    drop(index);

    if !args.no_sqlite {
        eprintln!("indexing: sqlite fts5 …");
        let started = Instant::now();
        let fts = rivals::Fts5::build(&dir.join("fts5.db"), &corpus).await?;
        let secs = started.elapsed().as_secs_f64();
        let fts = &fts;
        outcomes.push(
            measure("sqlite fts5", secs, &corpus, args.rounds, |q| async move {
                fts.search(&q).await
            })
            .await?,
        );
    }
    if let Some(server) = &args.postgres_url {
        eprintln!("indexing: postgresql fts …");
        let started = Instant::now();
        let pg = rivals::PgFts::build(server, &corpus).await?;
        let secs = started.elapsed().as_secs_f64();
        let measured = {
            let pg = &pg;
            measure(
                "postgresql fts",
                secs,
                &corpus,
                args.rounds,
                |q| async move { pg.search(&q).await },
            )
            .await
        };
        pg.drop_database().await?;
        outcomes.push(measured?);
    }
    let _ = std::fs::remove_dir_all(&dir);
    report(&args, &outcomes);
    Ok(())
}

fn report(args: &SearchBenchArgs, outcomes: &[Outcome]) {
    println!(
        "corridor bench search --docs {} --queries {} --rounds {} --seed {}",
        args.docs, args.queries, args.rounds, args.seed
    );
    println!(
        "{:<24} {:>12} {:>9} {:>9} {:>10} {:>10} {:>10}",
        "engine", "index doc/s", "p50 ms", "p99 ms", "recall zh", "recall en", "recall mix"
    );
    for o in outcomes {
        println!(
            "{:<24} {:>12.0} {:>9.3} {:>9.3} {:>10.3} {:>10.3} {:>10.3}",
            o.engine,
            args.docs as f64 / o.index_secs,
            o.percentile(50.0),
            o.percentile(99.0),
            o.recall(Lang::Zh),
            o.recall(Lang::En),
            o.recall(Lang::Mixed)
        );
    }
    if let Some(ours) = outcomes.first() {
        for o in &outcomes[1..] {
            if o.engine.starts_with("corridor") {
                continue;
            }
            println!(
                "p99 {} / corridor (top 10): {:.1}x   p50: {:.1}x",
                o.engine,
                o.percentile(99.0) / ours.percentile(99.0),
                o.percentile(50.0) / ours.percentile(50.0)
            );
        }
    }
}
