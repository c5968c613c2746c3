//! Money: a whole number of minor units (fen, cents) with its ISO 4217 currency. Parsed once at
//! the edge (`"CNY 1234.50"`); sums refuse to mix currencies, so a fee in SGD can never be added
//! to one in CNY by accident. No floats anywhere.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// An ISO 4217 alphabetic code, upper case: `CNY`, `HKD`, `SGD`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// An amount of one currency in its minor unit (1 CNY = 100 fen; 1 JPY = 1 yen).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Why a text is not money, or why two amounts cannot be combined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// Not three letters.
    Currency,
    /// Not `CCY amount` with a plain decimal amount.
    Format,
    /// More decimal places than the currency has minor units.
    Precision { currency: Currency, places: u32 },
    /// Two currencies in one sum or comparison.
    Mixed(Currency, Currency),
    /// Beyond what 64 bits of minor units hold (about 92 trillion yuan).
    Overflow,
}

impl Currency {
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let b = raw.trim().as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(MoneyError::Currency);
        }
        Ok(Currency([
            b[0].to_ascii_uppercase(),
            b[1].to_ascii_uppercase(),
            b[2].to_ascii_uppercase(),
        ]))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Decimal places of the minor unit (ISO 4217 table). Two unless listed.
    pub fn minor_places(&self) -> u32 {
        match self.as_str() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF"
            | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            _ => 2,
        }
    }
}

/// Which part of a typed amount of money is wrong ([`Money::parse_positive`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypedMoneyError {
    Currency,
    Amount,
}

impl Money {
    /// A positive amount as people send it — a currency code in any case and a plain decimal
    /// with no more places than the currency has (a project's value, an amount in dispute).
    pub fn parse_positive(currency: &str, amount: &str) -> Result<Self, TypedMoneyError> {
        let currency = Currency::parse(currency).map_err(|_| TypedMoneyError::Currency)?;
        let money = Money::parse_amount(currency, amount).map_err(|_| TypedMoneyError::Amount)?;
        if money.minor() <= 0 {
            return Err(TypedMoneyError::Amount);
        }
        Ok(money)
    }

    pub fn from_minor(currency: Currency, minor: i64) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money::from_minor(currency, 0)
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// `amount` exactly; refused when it has more places than the currency's minor unit.
    pub fn from_decimal(currency: Currency, amount: Decimal) -> Result<Self, MoneyError> {
        let places = currency.minor_places();
        let normal = amount.normalize();
        if normal.scale() > places {
            return Err(MoneyError::Precision {
                currency,
                places: normal.scale(),
            });
        }
        Money::from_decimal_rounded(currency, amount)
    }

    /// `amount` rounded half away from zero to the minor unit, as published fee tables round.
    pub fn from_decimal_rounded(currency: Currency, amount: Decimal) -> Result<Self, MoneyError> {
        let places = currency.minor_places();
        let mut v = amount.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        v.rescale(places);
        if v.scale() != places {
            return Err(MoneyError::Overflow);
        }
        let minor = i64::try_from(v.mantissa()).map_err(|_| MoneyError::Overflow)?;
        Ok(Money { minor, currency })
    }

    /// The amount as an exact decimal with the currency's places (`1234.50`).
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, self.currency.minor_places())
    }

    /// The amount alone, always with the currency's places: `1234.50`, `-0.05`, `1500` (JPY).
    pub fn amount_text(&self) -> String {
        self.to_decimal().to_string()
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::Mixed(self.currency, other.currency))
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// The sum of `items` in `currency`; an empty sum is zero.
    pub fn sum(
        currency: Currency,
        items: impl IntoIterator<Item = Money>,
    ) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// Orders two amounts of the same currency; amounts in two currencies have no order.
    pub fn checked_cmp(&self, other: &Money) -> Result<std::cmp::Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.minor.cmp(&other.minor))
    }

    /// Reads `"CNY 1234.50"` (the amount may have fewer places than the currency, not more).
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let (code, amount) = raw
            .trim()
            .split_once(char::is_whitespace)
            .ok_or(MoneyError::Format)?;
        let currency = Currency::parse(code)?;
        Money::parse_amount(currency, amount)
    }

    /// Reads a plain decimal amount (`1234.50`, `-3`) of `currency`: no exponent, no
    /// separators, no sign but a leading minus.
    pub fn parse_amount(currency: Currency, amount: &str) -> Result<Self, MoneyError> {
        let t = amount.trim();
        let digits = t.strip_prefix('-').unwrap_or(t);
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !(digits.contains('.') && frac.is_empty());
        if !plain {
            return Err(MoneyError::Format);
        }
        let value = Decimal::from_str(t).map_err(|_| MoneyError::Overflow)?;
        if frac.len() as u32 > currency.minor_places() {
            return Err(MoneyError::Precision {
                currency,
                places: frac.len() as u32,
            });
        }
        Money::from_decimal_rounded(currency, value)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount_text())
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::Currency => f.write_str("not an ISO 4217 code such as CNY"),
            MoneyError::Format => {
                f.write_str("not an amount such as \"CNY 1500000\" or \"CNY 1500000.50\"")
            }
            MoneyError::Precision { currency, places } => write!(
                f,
                "{places} decimal places, but {currency} has {}",
                currency.minor_places()
            ),
            MoneyError::Mixed(a, b) => write!(f, "cannot combine {a} with {b}"),
            MoneyError::Overflow => f.write_str("the amount is too large"),
        }
    }
}

impl std::error::Error for MoneyError {}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Money::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
        let object = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("ISO 4217 code and amount, e.g. \"CNY 1234.50\""))
            .examples(["CNY 1234.50"])
            .build();
        utoipa::openapi::RefOr::T(Schema::Object(object))
    }
}

impl utoipa::ToSchema for Money {}

/// For a record that names its currency once beside several amounts: each amount is written
/// alone (`"57500.00"`), with the currency's places.
pub mod amount_only {
    use super::Money;

    pub fn serialize<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&m.to_decimal())
    }

    pub mod option {
        use super::Money;

        pub fn serialize<S: serde::Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
            match m {
                Some(m) => s.collect_str(&m.to_decimal()),
                None => s.serialize_none(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(minor: i64) -> Money {
        Money::from_minor(Currency::parse("CNY").unwrap(), minor)
    }

    #[test]
    fn text_is_read_into_minor_units_and_written_back() {
        let m: Money = "CNY 1234.50".parse().unwrap();
        assert_eq!(m.minor(), 123_450);
        assert_eq!(m.currency().as_str(), "CNY");
        assert_eq!(m.to_string(), "CNY 1234.50");
        assert_eq!(Money::parse(" sgd 7 ").unwrap().to_string(), "SGD 7.00");
        assert_eq!(Money::parse("HKD 0.5").unwrap().minor(), 50);
        assert_eq!(Money::parse("CNY -3.25").unwrap().minor(), -325);
        assert_eq!(Money::parse("JPY 1500").unwrap().to_string(), "JPY 1500");
        assert_eq!(Money::parse("KWD 1.234").unwrap().minor(), 1234);
    }

    #[test]
    fn malformed_money_is_refused_with_its_reason() {
        for raw in [
            "",
            "CNY",
            "1234.50",
            "CNY 1,234.50",
            "CNY 1e5",
            "CNY .5",
            "CNY 5.",
            "CNY +5",
        ] {
            assert!(Money::parse(raw).is_err(), "{raw:?}");
        }
        assert_eq!(Money::parse("C1Y 5"), Err(MoneyError::Currency));
        assert_eq!(Money::parse("YUAN 5"), Err(MoneyError::Currency));
        assert!(matches!(
            Money::parse("CNY 1.005"),
            Err(MoneyError::Precision { places: 3, .. })
        ));
        assert!(matches!(
            Money::parse("JPY 1.5"),
            Err(MoneyError::Precision { .. })
        ));
        assert_eq!(
            Money::parse("CNY 99999999999999999999"),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn sums_refuse_to_mix_currencies() {
        let sgd = Money::parse("SGD 2000").unwrap();
        assert_eq!(cny(150).checked_add(cny(50)).unwrap(), cny(200));
        assert_eq!(cny(150).checked_sub(cny(200)).unwrap(), cny(-50));
        assert!(matches!(
            cny(150).checked_add(sgd),
            Err(MoneyError::Mixed(..))
        ));
        assert!(cny(1).checked_cmp(&sgd).is_err());
        assert_eq!(
            cny(1).checked_cmp(&cny(2)).unwrap(),
            std::cmp::Ordering::Less
        );
        let currency = Currency::parse("CNY").unwrap();
        assert_eq!(Money::sum(currency, [cny(1), cny(2)]).unwrap(), cny(3));
        assert_eq!(Money::sum(currency, []).unwrap(), cny(0));
        assert!(Money::sum(currency, [cny(1), sgd]).is_err());
        assert_eq!(
            Money::from_minor(currency, i64::MAX).checked_add(cny(1)),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn decimals_round_half_away_from_zero_to_the_minor_unit() {
        let currency = Currency::parse("CNY").unwrap();
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(
            Money::from_decimal_rounded(currency, d("40000.525")).unwrap(),
            cny(4_000_053)
        );
        assert_eq!(
            Money::from_decimal_rounded(currency, d("-0.005")).unwrap(),
            cny(-1)
        );
        assert_eq!(
            Money::from_decimal(currency, d("12.30")).unwrap(),
            cny(1230)
        );
        assert!(Money::from_decimal(currency, d("12.301")).is_err());
        assert_eq!(cny(4_000_053).to_decimal().to_string(), "40000.53");
    }

    #[test]
    fn json_carries_the_currency_or_only_the_amount() {
        let m: Money = serde_json::from_str("\"cny 10\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"CNY 10.00\"");
        assert!(serde_json::from_str::<Money>("\"CNY ten\"").is_err());
        #[derive(serde::Serialize)]
        struct Row {
            #[serde(with = "amount_only")]
            fee: Money,
            #[serde(with = "amount_only::option")]
            total: Option<Money>,
        }
        let row = Row {
            fee: cny(5_750_000),
            total: None,
        };
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"fee":"57500.00","total":null}"#
        );
    }
}
