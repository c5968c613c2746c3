//! Notarial certificate numbers (公证书编号) in the Chinese form `(2026)渝明证字第123号`: the year,
//! the office's abbreviation (province character + office character, 渝明), the word of the
//! certificate series (证字; offices also use series such as 外证字 or 民证字), and the serial
//! within that office, series and year (第123号). Pure formatting, parsing and "what comes
//! next"; the register that stores issued numbers is not here.
//!
//! One number has one spelling: [`CertificateNumber`]'s `Display` writes ASCII parentheses and
//! the serial without leading zeros, and [`CertificateNumber::parse`] also reads the full-width
//! （） and 〔〕 brackets and leading zeros that appear in practice, so a number typed either way
//! finds the same register row.

use std::fmt;

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CertificateNumber {
    pub year: u16,
    /// The office's abbreviation, e.g. 渝明: one to six Chinese characters.
    pub office: String,
    /// The series word, ending in 字, e.g. 证字 or 外证字.
    pub series: String,
    /// From 1 within office, series and year.
    pub serial: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("the number does not start with the year in brackets, e.g. (2026)")]
    Year,
    #[error("the office abbreviation must be one to six Chinese characters, e.g. 渝明")]
    Office,
    #[error("the series must be Chinese characters ending in 字, e.g. 证字")]
    Series,
    #[error("the serial must be written 第<number>号 with a number from 1")]
    Serial,
}

/// Years a notarial certificate can carry: from the PRC's founding to far enough ahead.
const YEARS: std::ops::RangeInclusive<u16> = 1949..=2999;

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

fn check_office(office: &str) -> Result<(), NumberError> {
    let n = office.chars().count();
    if (1..=6).contains(&n) && office.chars().all(is_han) && !office.ends_with('字') {
        Ok(())
    } else {
        Err(NumberError::Office)
    }
}

fn check_series(series: &str) -> Result<(), NumberError> {
    let n = series.chars().count();
    if (2..=4).contains(&n) && series.chars().all(is_han) && series.ends_with('字') {
        Ok(())
    } else {
        Err(NumberError::Series)
    }
}

impl CertificateNumber {
    pub fn new(year: u16, office: &str, series: &str, serial: u32) -> Result<Self, NumberError> {
        if !YEARS.contains(&year) {
            return Err(NumberError::Year);
        }
        check_office(office)?;
        check_series(series)?;
        if serial == 0 {
            return Err(NumberError::Serial);
        }
        Ok(Self {
            year,
            office: office.to_string(),
            series: series.to_string(),
            serial,
        })
    }

    pub fn parse(text: &str) -> Result<Self, NumberError> {
        let text = text.trim();
        let rest = text
            .strip_prefix(['(', '（', '〔'])
            .ok_or(NumberError::Year)?;
        let (year, rest) = rest
            .split_once([')', '）', '〕'])
            .ok_or(NumberError::Year)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Year);
        }
        let year: u16 = year.parse().map_err(|_| NumberError::Year)?;
        let (head, serial) = rest.split_once('第').ok_or(NumberError::Serial)?;
        let serial = serial.strip_suffix('号').ok_or(NumberError::Serial)?;
        if serial.is_empty() || serial.len() > 10 || !serial.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Serial);
        }
        let serial: u32 = serial.parse().map_err(|_| NumberError::Serial)?;
        // The series is the longest tail of series characters (外证字 before 证字) that leaves an
        // office of at least one character: 渝江外证字 is office 渝江, series 外证字.
        let chars: Vec<char> = head.chars().collect();
        if chars.last() != Some(&'字') {
            return Err(NumberError::Series);
        }
        let series_len = (2..=4.min(chars.len()))
            .rev()
            .find(|&n| {
                let office: String = chars[..chars.len() - n].iter().collect();
                let series: String = chars[chars.len() - n..].iter().collect();
                check_office(&office).is_ok() && check_series(&series).is_ok() && {
                    // Series words are made of the known series characters.
                    series.chars().all(|c| SERIES_CHARS.contains(&c))
                }
            })
            .ok_or(NumberError::Office)?;
        let split = chars.len() - series_len;
        let office: String = chars[..split].iter().collect();
        let series: String = chars[split..].iter().collect();
        Self::new(year, &office, &series, serial)
    }

    /// The next number in the same office, series and year; a new year starts again at 1.
    pub fn next_after(
        last: Option<&CertificateNumber>,
        year: u16,
        office: &str,
        series: &str,
    ) -> Result<Self, NumberError> {
        let serial = match last {
            Some(l) if l.year == year && l.office == office && l.series == series => {
                l.serial.checked_add(1).ok_or(NumberError::Serial)?
            }
            _ => 1,
        };
        Self::new(year, office, series, serial)
    }
}

/// Characters a series word is made of (证字, 外证字, 民证字, 经证字, 内证字, 涉外证字, 执字, 核字...):
/// the parser splits office from series on these. A series with another character must be built
/// with [`CertificateNumber::new`].
const SERIES_CHARS: [char; 8] = ['证', '字', '外', '民', '经', '内', '涉', '执'];

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}){}{}第{}号",
            self.year, self.office, self.series, self.serial
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_parses_and_prints_the_same() {
        let n = CertificateNumber::parse("(2026)渝明证字第123号").unwrap();
        assert_eq!(n.year, 2026);
        assert_eq!(n.office, "渝明");
        assert_eq!(n.series, "证字");
        assert_eq!(n.serial, 123);
        assert_eq!(n.to_string(), "(2026)渝明证字第123号");
    }

    #[test]
    fn full_width_and_square_brackets_and_leading_zeros_read_as_one_number() {
        let canonical = CertificateNumber::parse("(2026)渝明证字第123号").unwrap();
        for text in [
            "（2026）渝明证字第123号",
            "〔2026〕渝明证字第123号",
            " (2026)渝明证字第000123号 ",
        ] {
            assert_eq!(CertificateNumber::parse(text).unwrap(), canonical, "{text}");
        }
    }

    #[test]
    fn a_series_of_several_characters_is_kept_whole() {
        let n = CertificateNumber::parse("(2025)渝江外证字第7号").unwrap();
        assert_eq!((n.office.as_str(), n.series.as_str()), ("渝江", "外证字"));
        let n = CertificateNumber::parse("(2025)渝证字第7号").unwrap();
        assert_eq!((n.office.as_str(), n.series.as_str()), ("渝", "证字"));
    }

    #[test]
    fn malformed_numbers_say_which_part_is_wrong() {
        let cases = [
            ("2026渝明证字第1号", NumberError::Year),
            ("(26)渝明证字第1号", NumberError::Year),
            ("(1900)渝明证字第1号", NumberError::Year),
            ("(2026)渝明证字第0号", NumberError::Serial),
            ("(2026)渝明证字第号", NumberError::Serial),
            ("(2026)渝明证字第一号", NumberError::Serial),
            ("(2026)渝明证字第12", NumberError::Serial),
            ("(2026)渝明证第12号", NumberError::Series),
            ("(2026)证字第12号", NumberError::Office),
            ("(2026)CQ证字第12号", NumberError::Office),
        ];
        for (text, want) in cases {
            assert_eq!(CertificateNumber::parse(text), Err(want), "{text}");
        }
    }

    #[test]
    fn numbers_run_on_within_an_office_series_and_year_and_restart_each_year() {
        let first = CertificateNumber::next_after(None, 2026, "渝明", "证字").unwrap();
        assert_eq!(first.to_string(), "(2026)渝明证字第1号");
        let second = CertificateNumber::next_after(Some(&first), 2026, "渝明", "证字").unwrap();
        assert_eq!(second.serial, 2);
        let new_year = CertificateNumber::next_after(Some(&second), 2027, "渝明", "证字").unwrap();
        assert_eq!(new_year.to_string(), "(2027)渝明证字第1号");
        let other_series =
            CertificateNumber::next_after(Some(&second), 2026, "渝明", "外证字").unwrap();
        assert_eq!(other_series.serial, 1);
        let last = CertificateNumber::new(2026, "渝明", "证字", u32::MAX).unwrap();
        assert_eq!(
            CertificateNumber::next_after(Some(&last), 2026, "渝明", "证字"),
            Err(NumberError::Serial)
        );
    }

    #[test]
    fn building_a_number_checks_each_part() {
        assert_eq!(
            CertificateNumber::new(2026, "", "证字", 1),
            Err(NumberError::Office)
        );
        assert_eq!(
            CertificateNumber::new(2026, "渝明", "证", 1),
            Err(NumberError::Series)
        );
        assert_eq!(
            CertificateNumber::new(2026, "渝明", "证字", 0),
            Err(NumberError::Serial)
        );
        assert!(CertificateNumber::new(2026, "渝明", "核字", 1).is_ok());
    }

    #[test]
    fn numbers_sort_by_year_then_office_series_and_serial() {
        let a = CertificateNumber::parse("(2025)渝明证字第900号").unwrap();
        let b = CertificateNumber::parse("(2026)渝明证字第2号").unwrap();
        let c = CertificateNumber::parse("(2026)渝明证字第10号").unwrap();
        assert!(a < b && b < c);
    }
}
