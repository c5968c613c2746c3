//! The index on disk: opening it (rebuilding when the schema changed), writing documents,
//! and the state that travels with each commit.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::analyzer::{INDEX_ANALYZER, index_analyzer, query_analyzer};
use super::doc::{Fields, SCHEMA_VERSION, SearchDoc};

/// Saved as the payload of every commit, so what the index has seen is exactly what it holds.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct IndexState {
    pub schema: u32,
    /// Everything the database changed up to this time is in the index.
    pub watermark: Option<DateTime<Utc>>,
    /// A full build has completed (a fresh or rebuilt index has not yet).
    pub complete: bool,
}

pub struct SearchIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    pub(super) fields: Fields,
    pub(super) query_analyzer: TextAnalyzer,
    dir: Option<PathBuf>,
}

/// Memory for the writer's in-RAM segment: enough for the platform's own documents.
const WRITER_HEAP: usize = 50_000_000;

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. With `writable`, takes the directory's writer
    /// lock — one process at a time — and starts over if the index was written under another
    /// schema version; read-only opens of such an index fail with a message to reindex.
    pub fn open(dir: &Path, writable: bool) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the search index folder {}", dir.display()))?;
        let (schema, fields) = Fields::schema();
        let mmap = MmapDirectory::open(dir)?;
        let mut index = if Index::exists(&mmap)? {
            Index::open(mmap)?
        } else {
            Index::create_in_dir(dir, schema.clone())?
        };
        let state = read_state(&index);
        let fresh = state == IndexState::default() && index.searchable_segment_ids()?.is_empty();
        if state.schema != SCHEMA_VERSION && !fresh {
            anyhow::ensure!(
                writable,
                "the search index in {} was built by another version; run `corridor search reindex`",
                dir.display()
            );
            // Take the writer lock before deleting anything: a running server may still be
            // serving from this index.
            let probe = index
                .writer_with_num_threads::<TantivyDocument>(1, 15_000_000)
                .map_err(|e| in_use(e, dir))?;
            drop(probe);
            drop(index);
            clear_dir(dir)?;
            index = Index::create_in_dir(dir, schema)?;
        }
        Self::finish(
            index,
            fields,
            writable.then_some((1, WRITER_HEAP)),
            Some(dir.to_path_buf()),
        )
    }

    /// A new index in `dir` for a bulk load: both cores and a larger writer heap.
    pub fn open_bulk(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(dir, schema)?;
        Self::finish(
            index,
            fields,
            Some((2, 400_000_000)),
            Some(dir.to_path_buf()),
        )
    }

    /// An index in memory, for tests and benchmarks.
    pub fn in_ram() -> anyhow::Result<Self> {
        let (schema, fields) = Fields::schema();
        Self::finish(
            Index::create_in_ram(schema),
            fields,
            Some((1, WRITER_HEAP)),
            None,
        )
    }

    fn finish(
        index: Index,
        fields: Fields,
        // (threads, heap bytes) of the writer; `None` opens read-only.
        writer: Option<(usize, usize)>,
        dir: Option<PathBuf>,
    ) -> anyhow::Result<Self> {
        index
            .tokenizers()
            .register(INDEX_ANALYZER, index_analyzer());
        let writable = writer.is_some();
        let writer = if let Some((threads, heap)) = writer {
            // The server uses one indexing thread: it shares two cores with its requests.
            let w = index
                .writer_with_num_threads(threads, heap)
                .map_err(|e| in_use(e, dir.as_deref().unwrap_or(Path::new("memory"))))?;
            Some(w)
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(if writable {
                ReloadPolicy::Manual
            } else {
                ReloadPolicy::OnCommitWithDelay
            })
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            query_analyzer: query_analyzer(),
            dir,
        })
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    pub fn state(&self) -> IndexState {
        read_state(&self.index)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Replaces these documents (by id), removes `removed`, and commits with `state`.
    pub fn apply(
        &self,
        docs: &[SearchDoc],
        removed: &[String],
        state: &IndexState,
    ) -> anyhow::Result<()> {
        self.with_writer(|w, fields| {
            for id in removed {
                w.delete_term(Term::from_field_text(fields.id, id));
            }
            for d in docs {
                w.delete_term(Term::from_field_text(fields.id, &d.id));
                w.add_document(fields.document(d))?;
            }
            Ok(())
        })?;
        self.commit(state)
    }

    /// Empties the index, then adds every document `docs` yields, calling `progress` with
    /// the count so far; commits once at the end, so readers see the old index until then.
    pub fn rebuild(
        &self,
        docs: impl IntoIterator<Item = SearchDoc>,
        state: &IndexState,
        mut progress: impl FnMut(u64),
    ) -> anyhow::Result<u64> {
        let mut n = 0;
        self.with_writer(|w, fields| {
            w.delete_all_documents()?;
            for d in docs {
                w.add_document(fields.document(&d))?;
                n += 1;
                if n % 1000 == 0 {
                    progress(n);
                }
            }
            Ok(())
        })?;
        progress(n);
        self.commit(state)?;
        Ok(n)
    }

    fn with_writer(
        &self,
        f: impl FnOnce(&mut IndexWriter<TantivyDocument>, &Fields) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let writer = guard
            .as_mut()
            .context("the search index was opened read-only")?;
        let out = f(writer, &self.fields);
        if out.is_err() {
            // Nothing half-written may reach the next commit.
            writer.rollback()?;
        }
        out
    }

    fn commit(&self, state: &IndexState) -> anyhow::Result<()> {
        {
            let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            let writer = guard
                .as_mut()
                .context("the search index was opened read-only")?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&serde_json::to_string(&IndexState {
                schema: SCHEMA_VERSION,
                ..state.clone()
            })?);
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }
}

fn in_use(e: tantivy::TantivyError, dir: &Path) -> anyhow::Error {
    match e {
        tantivy::TantivyError::LockFailure(..) => anyhow::anyhow!(
            "the search index in {} is in use by another process (a running `corridor serve`?); \
             stop it first",
            dir.display()
        ),
        e => e.into(),
    }
}

fn read_state(index: &Index) -> IndexState {
    index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or_default()
}

/// Removes an outdated index's files; the folder holds nothing else.
fn clear_dir(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
