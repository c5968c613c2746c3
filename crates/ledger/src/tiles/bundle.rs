//! Entry bundles: up to 256 entries, each `u16 big-endian length || bytes`.
//! The u16 prefix is why a log entry is at most 65,535 bytes.

use super::path::TILE_WIDTH;

/// Largest entry a bundle can carry.
pub const MAX_ENTRY_LEN: usize = u16::MAX as usize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("entry {index} is {len} bytes, more than 65535")]
    EntryTooLarge { index: usize, len: usize },
    #[error("a bundle holds at most 256 entries")]
    TooManyEntries,
    #[error("bundle ends inside entry {0}")]
    Truncated(usize),
    #[error("bundle has {found} entries, expected {expected}")]
    WrongCount { expected: usize, found: usize },
}

pub fn encode_entry_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>, BundleError> {
    if entries.len() > usize::from(TILE_WIDTH) {
        return Err(BundleError::TooManyEntries);
    }
    let mut out = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let entry = entry.as_ref();
        let len = u16::try_from(entry.len()).map_err(|_| BundleError::EntryTooLarge {
            index,
            len: entry.len(),
        })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(entry);
    }
    Ok(out)
}

/// Splits a bundle into its entries; every byte must belong to an entry.
pub fn decode_entry_bundle(bytes: &[u8]) -> Result<Vec<Vec<u8>>, BundleError> {
    Ok(split_entry_bundle(bytes)?
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect())
}

/// [`decode_entry_bundle`] without copying: the entries as slices of
/// `bytes`, with the same checks.
pub fn split_entry_bundle(bytes: &[u8]) -> Result<Vec<&[u8]>, BundleError> {
    let mut entries = Vec::with_capacity(usize::from(TILE_WIDTH));
    let mut rest = bytes;
    while !rest.is_empty() {
        if entries.len() == usize::from(TILE_WIDTH) {
            return Err(BundleError::TooManyEntries);
        }
        let index = entries.len();
        let [hi, lo, tail @ ..] = rest else {
            return Err(BundleError::Truncated(index));
        };
        let len = usize::from(u16::from_be_bytes([*hi, *lo]));
        if tail.len() < len {
            return Err(BundleError::Truncated(index));
        }
        entries.push(&tail[..len]);
        rest = &tail[len..];
    }
    Ok(entries)
}

/// Decodes a bundle and checks it has exactly `width` entries.
pub fn decode_entry_bundle_of_width(bytes: &[u8], width: u16) -> Result<Vec<Vec<u8>>, BundleError> {
    Ok(split_entry_bundle_of_width(bytes, width)?
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect())
}

/// [`decode_entry_bundle_of_width`] without copying.
pub fn split_entry_bundle_of_width(bytes: &[u8], width: u16) -> Result<Vec<&[u8]>, BundleError> {
    let entries = split_entry_bundle(bytes)?;
    if entries.len() != usize::from(width) {
        return Err(BundleError::WrongCount {
            expected: usize::from(width),
            found: entries.len(),
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_including_empty_and_maximum_entries() {
        let entries = vec![vec![], b"abc".to_vec(), vec![7; MAX_ENTRY_LEN]];
        let bytes = encode_entry_bundle(&entries).unwrap();
        assert_eq!(&bytes[..5], &[0, 0, 0, 3, b'a']);
        assert_eq!(decode_entry_bundle(&bytes).unwrap(), entries);
    }

    #[test]
    fn refuses_oversized_entries_and_more_than_256() {
        assert_eq!(
            encode_entry_bundle(&[vec![0; MAX_ENTRY_LEN + 1]]),
            Err(BundleError::EntryTooLarge {
                index: 0,
                len: 65536
            })
        );
        let many = vec![b"".to_vec(); 257];
        assert_eq!(encode_entry_bundle(&many), Err(BundleError::TooManyEntries));
        assert_eq!(
            decode_entry_bundle(&[0; 514]),
            Err(BundleError::TooManyEntries)
        );
    }

    #[test]
    fn refuses_truncated_bundles() {
        assert_eq!(decode_entry_bundle(&[0]), Err(BundleError::Truncated(0)));
        assert_eq!(
            decode_entry_bundle(&[0, 0, 0, 2, 1]),
            Err(BundleError::Truncated(1))
        );
    }

    #[test]
    fn width_check_counts_entries() {
        let bytes = encode_entry_bundle(&[b"a", b"b"]).unwrap();
        assert!(decode_entry_bundle_of_width(&bytes, 2).is_ok());
        assert!(decode_entry_bundle_of_width(&bytes, 3).is_err());
        assert_eq!(
            split_entry_bundle_of_width(&bytes, 2).unwrap(),
            vec![&b"a"[..], &b"b"[..]]
        );
    }
}
