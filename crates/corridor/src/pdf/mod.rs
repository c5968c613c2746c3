//! PDF documents for every module, laid out by Typst.
//!
//! One [`Renderer`] is made at start ([`crate::state::AppState::open`]); it finds the fonts once
//! and is shared behind an `Arc`. A document is a [`Template`] — a `.typ` file under
//! `templates/pdf/`, compiled into the binary — plus data the caller serializes. The data
//! reaches the template as the virtual file `/data.json` (`#let data = json("/data.json")`), so
//! a user's text is always a string value, never Typst markup: `*bold*` in a title stays
//! `*bold*`.
//!
//! Rendering takes tens of milliseconds of CPU: call it from `tokio::task::spawn_blocking`.

pub mod award;
pub mod certificate;
mod fonts;
pub mod plan;
pub mod summary;
mod world;

#[cfg(test)]
pub(crate) mod readback;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

pub use fonts::INSTALL_HINT;
pub use summary::{MatterSummary, matter_summary};

/// A rendered PDF as an HTTP answer: shown in the browser under `filename`, never cached (it
/// holds what one reader may see).
pub fn response(bytes: Vec<u8>, filename: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// A Typst template compiled into the binary.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    /// The file name, used in error messages and as the template's path inside the render.
    pub name: &'static str,
    pub source: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no font with Chinese characters was found in {}; {INSTALL_HINT}", list(.searched))]
    NoChineseFont { searched: Vec<PathBuf> },
    #[error("PDF data could not be serialized: {0}")]
    Data(#[from] serde_json::Error),
    /// The template failed to compile against this data: a bug in the template.
    #[error("PDF template {template}: {message}")]
    Template {
        template: &'static str,
        message: String,
    },
}

fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

/// Lays out templates with the fonts found at start. Cheap to share: clone the `Arc`.
pub struct Renderer {
    fonts: Arc<fonts::Fonts>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("faces", &self.fonts.face_count())
            .finish()
    }
}

impl Renderer {
    /// Finds the fonts in `extra_fonts` (if given) and the system font folders. Fails when
    /// none of them has Chinese glyphs, since every document may carry Chinese text.
    pub fn new(extra_fonts: Option<&Path>) -> Result<Self, Error> {
        Self::with_font_folders(fonts::folders(extra_fonts))
    }

    /// The renderer for these fonts, made by the first caller and shared with every later one
    /// in this process: a server opens its state once, but a test run opens hundreds, and
    /// each font scan reads the CJK collections (about 90 MB).
    pub fn shared(extra_fonts: Option<&Path>) -> Result<Arc<Self>, Error> {
        static SHARED: Mutex<Vec<(Option<PathBuf>, Arc<Renderer>)>> = Mutex::new(Vec::new());
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, renderer)) = shared.iter().find(|(dir, _)| dir.as_deref() == extra_fonts) {
            return Ok(renderer.clone());
        }
        let renderer = Arc::new(Self::new(extra_fonts)?);
        shared.push((extra_fonts.map(Path::to_path_buf), renderer.clone()));
        Ok(renderer)
    }

    /// Like [`Renderer::new`], with exactly these font folders and no others.
    pub fn with_font_folders(folders: Vec<PathBuf>) -> Result<Self, Error> {
        let fonts = fonts::Fonts::scan(&folders);
        if !fonts.covers_chinese() {
            return Err(Error::NoChineseFont { searched: folders });
        }
        Ok(Self {
            fonts: Arc::new(fonts),
        })
    }

    /// Lays out `template` with `data` and writes the PDF.
    pub fn render(&self, template: Template, data: &impl Serialize) -> Result<Vec<u8>, Error> {
        let data = serde_json::to_vec(data)?;
        let world =
            world::RenderWorld::new(self.fonts.clone(), template.name, template.source, data);
        let failed = |diagnostics: EcoVec<SourceDiagnostic>| Error::Template {
            template: template.name,
            message: describe(&world, template.source, &diagnostics),
        };
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(failed)?;
        let pdf = typst_pdf::pdf(&document, &pdf_options()).map_err(failed)?;
        // Typst memoizes across compilations in a process-wide cache; entries unused for a
        // few renders are dropped so a long-running server does not grow without bound.
        typst::comemo::evict(10);
        Ok(pdf)
    }
}

fn pdf_options() -> typst_pdf::PdfOptions {
    typst_pdf::PdfOptions {
        creator: typst::foundations::Smart::Custom(Some("Corridor".into())),
        ..Default::default()
    }
}

/// The diagnostics as one line, each with its line in the template (the only source file).
fn describe(world: &dyn World, source: &str, diagnostics: &[SourceDiagnostic]) -> String {
    let messages: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            // A span may point into /data.json instead: then `get` finds no text before it.
            let before = world.range(d.span).and_then(|r| source.get(..r.start));
            let mut text = match before {
                Some(before) => format!("line {}: {}", before.matches('\n').count() + 1, d.message),
                None => d.message.to_string(),
            };
            for hint in &d.hints {
                text.push_str(" (hint: ");
                text.push_str(&hint.v);
                text.push(')');
            }
            text
        })
        .collect();
    messages.join("; ")
}

impl From<Error> for crate::AppError {
    fn from(error: Error) -> Self {
        match error {
            Error::NoChineseFont { .. } => crate::AppError::Unavailable("PDF rendering"),
            other => crate::AppError::Internal(other.into()),
        }
    }
}
