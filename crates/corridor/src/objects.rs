//! Object storage for documents (and, on S3, the ledger's tiles): a local folder under the data
//! directory by default, or any S3-compatible store named by `files_url = "s3://bucket/prefix"`.
//!
//! S3 credentials, region and endpoint come from the standard `AWS_*` variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`), never from
//! our settings, so they stay out of config files and logs.

use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;

use crate::config::Settings;

/// Where objects live, parsed from `files_url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Local(std::path::PathBuf),
    S3 { bucket: String, prefix: String },
}

impl Location {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let url = settings.files_url.trim();
        if url.is_empty() {
            return Ok(Location::Local(settings.files_dir()));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                anyhow::bail!("files_url {url:?} names no bucket: use s3://bucket/prefix");
            }
            return Ok(Location::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            });
        }
        if let Some(path) = url.strip_prefix("file://") {
            return Ok(Location::Local(path.into()));
        }
        anyhow::bail!("unsupported files_url {url:?}: use s3://bucket/prefix or file:///path")
    }

    /// Whether several nodes can share this location (a local folder is one machine's).
    pub fn is_shared(&self) -> bool {
        matches!(self, Location::S3 { .. })
    }

    /// Opens the store, with `sub` (e.g. `"documents"`) appended to the prefix.
    pub fn open(&self, sub: &str) -> anyhow::Result<Arc<dyn ObjectStore>> {
        match self {
            Location::Local(root) => {
                let dir = root.join(sub);
                std::fs::create_dir_all(&dir)?;
                // fsync before rename: an acknowledged upload must survive a power cut.
                let store = LocalFileSystem::new_with_prefix(&dir)?.with_fsync(true);
                Ok(Arc::new(store))
            }
            Location::S3 { bucket, prefix } => {
                let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
                if let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL") {
                    builder = builder
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_endpoint(endpoint);
                }
                let store = builder.build()?;
                let full = [prefix.as_str(), sub]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("/");
                Ok(Arc::new(PrefixStore::new(store, full.as_str())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> Settings {
        Settings {
            files_url: url.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_empty_url_is_the_data_dirs_files_folder() {
        assert_eq!(
            Location::from_settings(&settings("")).unwrap(),
            Location::Local("corridor-data/files".into())
        );
    }

    #[test]
    fn s3_urls_name_a_bucket_and_a_prefix() {
        assert_eq!(
            Location::from_settings(&settings("s3://docs/corridor/prod/")).unwrap(),
            Location::S3 {
                bucket: "docs".into(),
                prefix: "corridor/prod".into()
            }
        );
        assert!(Location::from_settings(&settings("s3://")).is_err());
        assert!(Location::from_settings(&settings("ftp://x")).is_err());
    }
}
