//! tlog-tiles resource names: `tile/<L>/<N>[.p/<W>]` for hash tiles and
//! `tile/entries/<N>[.p/<W>]` for entry bundles, where `N` is written in
//! 3-digit groups, all but the last prefixed with `x` (1234067 →
//! `x001/x234/067`), so a tile tree can be stored as plain files.

/// Hashes (or entries) in a full tile.
pub const TILE_WIDTH: u16 = 256;
/// Highest tile level the spec allows in a path.
pub const MAX_TILE_LEVEL: u8 = 63;

/// A hash tile: `level` is the tile level (tree level `8·level`), `index`
/// its position in that level, `width` 1..=256 hashes (256 = full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub level: u8,
    pub index: u64,
    pub width: u16,
}

/// An entry bundle: entries `index·256 .. index·256 + width`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryBundleId {
    pub index: u64,
    pub width: u16,
}

/// A path that is not a canonical tlog-tiles resource name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a canonical tile path: {0:?}")]
pub struct TilePathError(pub String);

/// `1234067` → `x001/x234/067`.
pub fn encode_tile_index(index: u64) -> String {
    let digits = index.to_string();
    let pad = (3 - digits.len() % 3) % 3;
    let padded = format!("{}{digits}", "0".repeat(pad));
    let groups: Vec<&str> = padded
        .as_bytes()
        .chunks(3)
        .map(|g| std::str::from_utf8(g).unwrap_or_default())
        .collect();
    let last = groups.len() - 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            if i == last {
                (*g).to_owned()
            } else {
                format!("x{g}")
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn width_suffix(width: u16) -> String {
    if width == TILE_WIDTH {
        String::new()
    } else {
        format!(".p/{width}")
    }
}

impl TileId {
    pub fn is_full(&self) -> bool {
        self.width == TILE_WIDTH
    }

    pub fn path(&self) -> String {
        format!(
            "tile/{}/{}{}",
            self.level,
            encode_tile_index(self.index),
            width_suffix(self.width)
        )
    }

    /// Parses a canonical tile path (the output of [`TileId::path`]).
    pub fn parse_path(path: &str) -> Result<Self, TilePathError> {
        let err = || TilePathError(path.to_owned());
        let rest = path.strip_prefix("tile/").ok_or_else(err)?;
        let (level, rest) = rest.split_once('/').ok_or_else(err)?;
        let level: u8 = crate::checkpoint::parse_canonical_u64(level)
            .and_then(|l| u8::try_from(l).ok())
            .filter(|l| *l <= MAX_TILE_LEVEL)
            .ok_or_else(err)?;
        let (index, width) = parse_index_and_width(rest).ok_or_else(err)?;
        Ok(Self {
            level,
            index,
            width,
        })
    }
}

impl EntryBundleId {
    pub fn is_full(&self) -> bool {
        self.width == TILE_WIDTH
    }

    pub fn path(&self) -> String {
        format!(
            "tile/entries/{}{}",
            encode_tile_index(self.index),
            width_suffix(self.width)
        )
    }

    pub fn parse_path(path: &str) -> Result<Self, TilePathError> {
        let err = || TilePathError(path.to_owned());
        let rest = path.strip_prefix("tile/entries/").ok_or_else(err)?;
        let (index, width) = parse_index_and_width(rest).ok_or_else(err)?;
        Ok(Self { index, width })
    }
}

/// Parses `<N>[.p/<W>]`, accepting only the canonical spelling.
fn parse_index_and_width(text: &str) -> Option<(u64, u16)> {
    let (index_part, width) = match text.split_once(".p/") {
        Some((n, w)) => {
            let w = crate::checkpoint::parse_canonical_u64(w)?;
            (
                n,
                u16::try_from(w)
                    .ok()
                    .filter(|w| (1..TILE_WIDTH).contains(w))?,
            )
        }
        None => (text, TILE_WIDTH),
    };
    let digits: String = index_part
        .chars()
        .filter(|c| *c != '/' && *c != 'x')
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Leading zeros parse fine; the re-encoding check below rejects any
    // spelling but the canonical one.
    let index: u64 = digits.parse().ok()?;
    (encode_tile_index(index) == index_part).then_some((index, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_groups_follow_the_spec_example() {
        assert_eq!(encode_tile_index(1_234_067), "x001/x234/067");
        assert_eq!(encode_tile_index(0), "000");
        assert_eq!(encode_tile_index(999), "999");
        assert_eq!(encode_tile_index(1000), "x001/000");
    }

    #[test]
    fn paths_round_trip() {
        let tiles = [
            (0, 0, 256),
            (1, 5, 17),
            (0, 1_234_067, 256),
            (63, u64::MAX, 1),
        ];
        for (level, index, width) in tiles {
            let t = TileId {
                level,
                index,
                width,
            };
            assert_eq!(TileId::parse_path(&t.path()), Ok(t));
        }
        let b = EntryBundleId {
            index: 3,
            width: 232,
        };
        assert_eq!(b.path(), "tile/entries/003.p/232");
        assert_eq!(EntryBundleId::parse_path(&b.path()), Ok(b));
    }

    #[test]
    fn non_canonical_paths_are_refused() {
        let bad = [
            "tile/0/0",
            "tile/0/x000/001",
            "tile/00/000",
            "tile/64/000",
            "tile/0/001/002",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/017",
            "tile/0/x1/000",
            "tile/0/",
            "tile/entries/000",
            "tile/0/000.p/",
            "tile/0/x018/x446/x744/x073/x709/x551/616",
        ];
        for p in bad {
            assert!(TileId::parse_path(p).is_err(), "{p}");
        }
        assert!(EntryBundleId::parse_path("tile/0/000").is_err());
    }
}
