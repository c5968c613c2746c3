//! One country type for every module: an ISO 3166-1 alpha-2 code, or HK or MO, that the
//! reference list (`data/reference/countries.csv`) knows. Parsed once at the edge (`vn` →
//! `VN`); a value of this type is always a known place.

use std::fmt;
use std::str::FromStr;

/// A known country or region code, upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

/// Why a text is not a [`CountryCode`]. Front ends map these to their own message keys
/// (`country_code` for the shape, `unknown_country` for a code nobody uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryError {
    /// Not two letters.
    Format,
    /// Two letters, but no country or region the reference list knows.
    Unknown,
}

impl CountryCode {
    /// Trims, upper-cases and checks `raw` against the reference list.
    pub fn parse(raw: &str) -> Result<Self, CountryError> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(CountryError::Format);
        }
        let code = [bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase()];
        let text = std::str::from_utf8(&code).map_err(|_| CountryError::Format)?;
        match crate::reference::Reference::get().country(text) {
            Some(_) => Ok(CountryCode(code)),
            None => Err(CountryError::Unknown),
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for CountryCode {
    type Err = CountryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl fmt::Display for CountryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CountryError::Format => "a country code is two letters (ISO 3166-1 alpha-2)",
            CountryError::Unknown => "no country or region has this code",
        })
    }
}

impl std::error::Error for CountryError {}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        CountryCode::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_checked_against_the_reference_list() {
        assert_eq!(CountryCode::parse("vn").unwrap().as_str(), "VN");
        assert_eq!(CountryCode::parse(" Hk ").unwrap().to_string(), "HK");
        assert_eq!(CountryCode::parse("MO").unwrap().as_str(), "MO");
        assert_eq!("sg".parse::<CountryCode>().unwrap().as_str(), "SG");
    }

    #[test]
    fn shape_and_knowledge_are_told_apart() {
        for raw in ["", "V", "VNM", "V1", "越南", "é1"] {
            assert_eq!(CountryCode::parse(raw), Err(CountryError::Format), "{raw}");
        }
        assert_eq!(CountryCode::parse("XX"), Err(CountryError::Unknown));
        assert_eq!(CountryCode::parse("QQ"), Err(CountryError::Unknown));
    }

    #[test]
    fn json_reads_and_writes_the_code() {
        let c: CountryCode = serde_json::from_str("\"th\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"TH\"");
        assert!(serde_json::from_str::<CountryCode>("\"ZZ\"").is_err());
    }
}
