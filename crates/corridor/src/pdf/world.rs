//! One compilation's view of the world: the template as the main file, the caller's data as
//! `/data.json`, the renderer's fonts, and nothing else — a template cannot read the disk or
//! the network, and the data reaches it only through `json(...)`, never as markup.

use std::sync::{Arc, LazyLock};

use chrono::Datelike;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;

/// The path templates read their data from: `#let data = json("/data.json")`.
pub const DATA_PATH: &str = "/data.json";

/// The standard library without `sys.inputs`; built once per process, since it is the same
/// for every render.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

pub struct RenderWorld {
    fonts: Arc<Fonts>,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("template paths are plain names");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl RenderWorld {
    pub fn new(fonts: Arc<Fonts>, template_name: &str, template: &str, data: Vec<u8>) -> Self {
        let main = Source::new(file_id(&format!("/{template_name}")), template.to_owned());
        Self {
            fonts,
            main,
            data_id: file_id(DATA_PATH),
            data: Bytes::new(data),
        }
    }
}

impl World for RenderWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let hours = offset.map_or(0, |o| (o.seconds() / 3600.0) as i64);
        let now = chrono::Utc::now() + chrono::Duration::hours(hours);
        Datetime::from_ymd(now.year(), now.month() as u8, now.day() as u8)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_with_slash().into())
}
