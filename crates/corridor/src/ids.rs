//! Identifiers and timestamps as the store keeps them.
//!
//! A record id is an [`Id<R>`]: a UUIDv7 typed by the record it names, so a matter's id cannot
//! be passed where a document's is expected. Ids are read from paths and bodies once, at the
//! edge ([`Id::parse`], [`Id::from_path`]); inside, they are bound as text (`id.as_str()`).
//! Directory records are also found by slug: a [`Key`] is one or the other.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use chrono::{DateTime, SubsecRound, Utc};

use crate::AppError;
use crate::slug::Slug;

/// A new record id: a UUIDv7 string, so ids sort by creation time on both backends.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The records that have typed ids. Uninhabited: they only name a kind of id.
pub mod record {
    pub enum Organization {}
    pub enum Person {}
    pub enum Partnership {}
    pub enum Agreement {}
    pub enum Matter {}
    pub enum Document {}
    pub enum Task {}
    pub enum Meeting {}
    pub enum Message {}
    pub enum Project {}
    pub enum Referral {}
    pub enum LibraryRevision {}
}

pub type OrganizationId = Id<record::Organization>;
pub type PersonId = Id<record::Person>;
pub type PartnershipId = Id<record::Partnership>;
pub type AgreementId = Id<record::Agreement>;
pub type MatterId = Id<record::Matter>;
pub type DocumentId = Id<record::Document>;
pub type TaskId = Id<record::Task>;
pub type MeetingId = Id<record::Meeting>;
pub type MessageId = Id<record::Message>;
pub type ProjectId = Id<record::Project>;
pub type ReferralId = Id<record::Referral>;
pub type LibraryRevisionId = Id<record::LibraryRevision>;

/// The id of a record of kind `R`, in the store's spelling (lower-case, hyphenated UUID).
pub struct Id<R> {
    text: String,
    record: PhantomData<fn() -> R>,
}

/// Why a text is not an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdError;

impl<R> Id<R> {
    /// A fresh id for a record about to be written.
    pub fn generate() -> Self {
        Id::from_stored(new_id())
    }

    /// Reads an id as a client typed it: any UUID spelling, stored as the canonical one.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        uuid::Uuid::parse_str(raw.trim())
            .map(|u| Id::from_stored(u.to_string()))
            .map_err(|_| IdError)
    }

    /// An id in a URL path: one that cannot be an id names nothing, so it is "not found", as
    /// an unknown one is.
    pub fn from_path(raw: &str) -> Result<Self, AppError> {
        Id::parse(raw).map_err(|_| AppError::NotFound)
    }

    /// An id read back from the store, which only ever holds ids it generated.
    pub fn from_stored(text: String) -> Self {
        Id {
            text,
            record: PhantomData,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

// Written out rather than derived: a derive would require `R: Clone` (etc.) of the marker.
impl<R> Clone for Id<R> {
    fn clone(&self) -> Self {
        Id::from_stored(self.text.clone())
    }
}

impl<R> PartialEq for Id<R> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<R> Eq for Id<R> {}

impl<R> std::hash::Hash for Id<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state)
    }
}

impl<R> PartialEq<str> for Id<R> {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl<R> fmt::Display for Id<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<R> fmt::Debug for Id<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.text)
    }
}

impl<R> FromStr for Id<R> {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Id::parse(s)
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an id (a UUID)")
    }
}

impl std::error::Error for IdError {}

impl<R> serde::Serialize for Id<R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de, R> serde::Deserialize<'de> for Id<R> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Id::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
    }
}

// Bound and read as text, as the store has always kept ids, on either backend.
impl<R, DB: sqlx::Database> sqlx::Type<DB> for Id<R>
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'q, R, DB: sqlx::Database> sqlx::Encode<'q, DB> for Id<R>
where
    String: sqlx::Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, DB>>::encode_by_ref(&self.text, buf)
    }
}

impl<'r, R, DB: sqlx::Database> sqlx::Decode<'r, DB> for Id<R>
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(
        value: <DB as sqlx::Database>::ValueRef<'r>,
    ) -> Result<Self, sqlx::error::BoxDynError> {
        <String as sqlx::Decode<'r, DB>>::decode(value).map(Id::from_stored)
    }
}

/// How a directory record is named in an address or an input: by id or by slug. A slug can
/// never look like an id (see [`Slug`]), so the two never collide.
pub enum Key<R> {
    Id(Id<R>),
    Slug(Slug),
}

pub type OrganizationKey = Key<record::Organization>;
pub type PersonKey = Key<record::Person>;

impl<R> Key<R> {
    /// An id, else a slug; `None` when the text is neither, so it names no record.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        match Id::parse(raw) {
            Ok(id) => Some(Key::Id(id)),
            Err(_) => Slug::parse(raw).ok().map(Key::Slug),
        }
    }

    /// A key in a URL path; one that is neither an id nor a slug is "not found".
    pub fn from_path(raw: &str) -> Result<Self, AppError> {
        Key::parse(raw).ok_or(AppError::NotFound)
    }

    /// The text the store compares with both its id and its slug column.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Id(id) => id.as_str(),
            Key::Slug(slug) => slug.as_str(),
        }
    }
}

impl<R> From<Id<R>> for Key<R> {
    fn from(id: Id<R>) -> Self {
        Key::Id(id)
    }
}

impl<R> Clone for Key<R> {
    fn clone(&self) -> Self {
        match self {
            Key::Id(id) => Key::Id(id.clone()),
            Key::Slug(slug) => Key::Slug(slug.clone()),
        }
    }
}

impl<R> fmt::Debug for Key<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Id(id) => write!(f, "Key::{id:?}"),
            Key::Slug(slug) => write!(f, "Key::{slug:?}"),
        }
    }
}

/// Now, truncated to microseconds: PostgreSQL keeps microseconds, so a value written and read
/// back compares equal on both backends.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// 32 random bytes as URL-safe base64: session ids, CSRF tokens, API tokens.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Secrets are stored only as their SHA-256, so a leaked database does not leak live sessions
/// or tokens. 32 random bytes need no slow hash.
pub fn secret_digest(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_time_ordered() {
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        assert!(a < b, "{a} should sort before {b}");
    }

    #[test]
    fn ids_are_read_in_any_uuid_spelling_and_kept_canonical() {
        let id = new_id();
        let parsed = MatterId::parse(&id.to_uppercase()).unwrap();
        assert_eq!(parsed.as_str(), id);
        assert_eq!(parsed, MatterId::parse(&format!(" {id} ")).unwrap());
        assert_eq!(
            DocumentId::parse(&id.replace('-', "")).unwrap().to_string(),
            id
        );
        let fresh = TaskId::generate();
        assert_eq!(TaskId::parse(fresh.as_str()).unwrap(), fresh);
    }

    #[test]
    fn malformed_ids_are_refused_and_name_nothing_in_a_path() {
        for raw in [
            "",
            "no-such-org",
            "0",
            "\0",
            "123e4567-e89b-12d3-a456",
            "%00",
        ] {
            assert_eq!(OrganizationId::parse(raw), Err(IdError), "{raw:?}");
            assert!(matches!(
                OrganizationId::from_path(raw),
                Err(AppError::NotFound)
            ));
        }
        assert!(OrganizationId::parse(&format!("{}\u{0}", new_id())).is_err());
    }

    #[test]
    fn ids_read_and_write_json_as_text() {
        let id = new_id();
        let parsed: PersonId = serde_json::from_str(&format!("\"{id}\"")).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("\"{id}\""));
        assert!(serde_json::from_str::<PersonId>("\"someone\"").is_err());
        assert!(serde_json::from_str::<PersonId>("\"\\u0000\"").is_err());
    }

    #[test]
    fn a_key_is_an_id_or_a_slug_and_nothing_else() {
        let id = new_id();
        assert!(matches!(OrganizationKey::parse(&id), Some(Key::Id(_))));
        let slug = OrganizationKey::parse("jialing-law-firm").unwrap();
        assert!(matches!(slug, Key::Slug(_)));
        assert_eq!(slug.as_str(), "jialing-law-firm");
        for raw in ["", "Bad Slug", "x", "a\u{0}b", "firm\u{200B}"] {
            assert!(OrganizationKey::parse(raw).is_none(), "{raw:?}");
            assert!(matches!(PersonKey::from_path(raw), Err(AppError::NotFound)));
        }
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
        assert_eq!(secret_digest("x").len(), 64);
        assert_ne!(secret_digest(&a), a);
    }
}
