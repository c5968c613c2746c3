//! The fonts a PDF may use: found once in the system font folders (and one configured extra
//! folder), never downloaded. Each face is described up front so Typst can choose among them;
//! a file's bytes are read only when a face in it is first used, then kept.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// A character every usable font set must cover: Chinese text is the point of the check.
const CHINESE_PROBE: char = '仲';

/// What to install when no font covers Chinese; shown in the error and in the README.
pub const INSTALL_HINT: &str = "install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) or put \
     NotoSansCJK-Regular.ttc into the folder set as fonts_dir";

pub struct Fonts {
    pub book: LazyHash<FontBook>,
    faces: Vec<Face>,
    files: Vec<FontFile>,
}

struct Face {
    file: usize,
    index: u32,
    font: OnceLock<Option<Font>>,
}

struct FontFile {
    path: PathBuf,
    data: OnceLock<Option<Bytes>>,
}

impl Fonts {
    /// Describes every face in `folders` (searched recursively, in order). Unreadable files
    /// and folders are skipped: a broken font must not stop the server.
    pub fn scan(folders: &[PathBuf]) -> Self {
        let mut paths = Vec::new();
        for folder in folders {
            collect_font_files(folder, 0, &mut paths);
        }
        let mut book = FontBook::new();
        let mut faces = Vec::new();
        let mut files = Vec::new();
        for path in paths {
            let Ok(data) = read_font_file(&path) else {
                continue;
            };
            let file = files.len();
            let mut described = false;
            for font in Font::iter(Bytes::new(data)) {
                book.push(font.info().clone());
                faces.push(Face {
                    file,
                    index: font.index(),
                    font: OnceLock::new(),
                });
                described = true;
            }
            if described {
                files.push(FontFile {
                    path,
                    data: OnceLock::new(),
                });
            }
        }
        Self {
            book: LazyHash::new(book),
            faces,
            files,
        }
    }

    /// Whether some face has Chinese glyphs (Latin is covered by every CJK font we know).
    pub fn covers_chinese(&self) -> bool {
        let mut index = 0;
        while let Some(info) = self.book.info(index) {
            if covers(info, CHINESE_PROBE) {
                return true;
            }
            index += 1;
        }
        false
    }

    pub fn face_count(&self) -> usize {
        self.faces.len()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        let face = self.faces.get(index)?;
        face.font
            .get_or_init(|| {
                let file = &self.files[face.file];
                let data = file
                    .data
                    .get_or_init(|| match read_font_file(&file.path) {
                        Ok(data) => Some(Bytes::new(data)),
                        Err(error) => {
                            tracing::warn!(path = %file.path.display(), %error, "font file unreadable");
                            None
                        }
                    })
                    .clone()?;
                Font::new(data, face.index)
            })
            .clone()
    }
}

/// glibc's malloc serves a large block by mmap and, when such a block is freed, raises its
/// mmap threshold to that block's size (up to 32 MiB); from then on blocks below it come from
/// the heap, and freed heap is kept rather than returned. Freeing one 20 MB CJK font file
/// after the scan left a fresh server with 52 MB of heap instead of 12 MB. A block over the
/// 32 MiB cap does not move the threshold, so a font file is read into one: only the pages
/// the file fills are ever touched, and they are returned when it is freed.
const OVER_MMAP_THRESHOLD_CAP: usize = 32 * 1024 * 1024 + 4096;

fn read_font_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len() as usize;
    let mut data = Vec::with_capacity(len.max(OVER_MMAP_THRESHOLD_CAP));
    file.read_to_end(&mut data)?;
    Ok(data)
}

fn covers(info: &FontInfo, c: char) -> bool {
    info.coverage.contains(c as u32)
}

/// The folders searched for fonts: `extra` first, then the usual places on Linux.
pub fn folders(extra: Option<&Path>) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = extra.into_iter().map(Path::to_path_buf).collect();
    folders.push("/usr/share/fonts".into());
    folders.push("/usr/local/share/fonts".into());
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        folders.push(home.join(".local/share/fonts"));
        folders.push(home.join(".fonts"));
    }
    folders
}

/// Font files under `folder`, sorted so the book's order does not depend on the file system.
fn collect_font_files(folder: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    // Symlinked folders are followed; the depth bound stops a cycle.
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
}

fn is_font_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}
