//! A slug: the name of a directory record in its address (`/organizations/jialing-law-firm`).
//! Lower-case ASCII letters, digits and inner hyphens, 3 to 60 long, and never the shape of an
//! id. The charset leaves no room for invisible or direction characters, so two slugs that
//! look alike are alike. Parsed once, at the edge.

use std::fmt;
use std::str::FromStr;

use crate::AppError;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

/// Why a text is not a slug. Front ends map these to their message keys (`slug`,
/// `slug_like_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlugError {
    /// Wrong characters or length, or a hyphen at either end.
    Shape,
    /// Could be read as an id, which would then win and hide this record.
    LikeId,
}

/// Ids are UUIDs; any spelling the parser accepts counts.
fn looks_like_id(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

impl Slug {
    pub const MIN: usize = 3;
    pub const MAX: usize = 60;

    pub fn parse(text: &str) -> Result<Self, SlugError> {
        let ok = (Self::MIN..=Self::MAX).contains(&text.len())
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-');
        if !ok {
            return Err(SlugError::Shape);
        }
        // Records are found by id or slug (`/organizations/{key}`); a slug that could be an
        // id could be another record's id, which would then win and hide this one.
        if looks_like_id(text) {
            return Err(SlugError::LikeId);
        }
        Ok(Slug(text.to_string()))
    }

    /// A slug made from a name: `"Jialing & Partners (Demo)"` → `"jialing-partners-demo"`. A name
    /// with too few ASCII letters (`律所`), or one that comes out as an id, gets
    /// `<fallback_prefix>-<8 random hex>`.
    pub fn from_name(name: &str, fallback_prefix: &str) -> Self {
        let mut out = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let mut out: String = out.trim_end_matches('-').chars().take(Self::MAX).collect();
        while out.ends_with('-') {
            out.pop();
        }
        Slug::parse(&out).unwrap_or_else(|_| {
            // Random, not the head of a new UUIDv7: that is a timestamp, the same for every
            // record made within the same minute.
            let mut bytes = [0u8; 4];
            rand::fill(&mut bytes);
            Slug(format!("{fallback_prefix}-{}", hex::encode(bytes)))
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl SlugError {
    /// The message key (`errors.invalid.<key>`) for an input field.
    pub fn reason(self) -> &'static str {
        match self {
            SlugError::Shape => "slug",
            SlugError::LikeId => "slug_like_id",
        }
    }

    pub fn for_field(self, field: &str) -> AppError {
        AppError::invalid(field, self.reason())
    }
}

impl FromStr for Slug {
    type Err = SlugError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Slug::parse(s)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slug({})", self.0)
    }
}

impl fmt::Display for SlugError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SlugError::Shape => "a slug is 3 to 60 lower-case letters, digits and inner hyphens",
            SlugError::LikeId => "a slug cannot have the shape of an id",
        })
    }
}

impl std::error::Error for SlugError {}

impl serde::Serialize for Slug {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Slug::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_ascii_with_inner_hyphens() {
        assert_eq!(Slug::parse("ok-slug-1").unwrap().as_str(), "ok-slug-1");
        assert!(Slug::parse("abc").is_ok());
        assert!(Slug::parse(&"a".repeat(60)).is_ok());
        for bad in [
            "Bad Slug", "-x-", "ab", "x-", "-xy", "UPPER", "a_b", "a.b", "", " abc",
        ] {
            assert_eq!(Slug::parse(bad), Err(SlugError::Shape), "{bad:?}");
        }
        assert_eq!(Slug::parse(&"a".repeat(61)), Err(SlugError::Shape));
    }

    #[test]
    fn invisible_direction_and_nul_characters_are_not_slugs() {
        for bad in [
            "firm\u{200B}",
            "\u{202E}firm",
            "\u{FEFF}firm",
            "fi\u{0}rm",
            "firm\u{FFFF}",
            "fírm",
        ] {
            assert_eq!(Slug::parse(bad), Err(SlugError::Shape), "{bad:?}");
        }
    }

    #[test]
    fn a_slug_never_has_the_shape_of_an_id() {
        let id = crate::ids::new_id();
        assert_eq!(Slug::parse(&id), Err(SlugError::LikeId));
        assert_eq!(
            Slug::parse(&id.replace('-', "")),
            Err(SlugError::LikeId),
            "nor an id without hyphens"
        );
        assert_eq!(SlugError::LikeId.reason(), "slug_like_id");
        assert_eq!(SlugError::Shape.reason(), "slug");
    }

    #[test]
    fn slugs_are_derived_from_names() {
        assert_eq!(
            Slug::from_name("Jialing & Partners (Demo)", "org").as_str(),
            "jialing-partners-demo"
        );
        assert!(Slug::from_name("律所", "org").as_str().starts_with("org-"));
        let id = crate::ids::new_id();
        let derived = Slug::from_name(&id, "org");
        assert!(
            !looks_like_id(derived.as_str()),
            "a name that is an id gets another slug"
        );
        assert!(Slug::parse(derived.as_str()).is_ok());
        let long = Slug::from_name(&"word ".repeat(30), "org");
        assert!(long.as_str().len() <= 60 && !long.as_str().ends_with('-'));
    }

    #[test]
    fn json_reads_only_slugs() {
        let s: Slug = serde_json::from_str("\"cqac\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"cqac\"");
        assert!(serde_json::from_str::<Slug>("\"No Good\"").is_err());
    }
}
