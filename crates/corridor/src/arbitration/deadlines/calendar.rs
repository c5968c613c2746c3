//! Business days per place: weekends, public holidays (`public_holidays_2026.csv`) and the
//! Chinese make-up working days (调休, `makeup_working_days_2026.csv`) — a weekend day that is a
//! working day, on which a deadline does not move.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::arbitration::Error;

const HOLIDAYS: &str = include_str!("../../../../../data/arbitration/public_holidays_2026.csv");
const MAKEUP: &str = include_str!("../../../../../data/arbitration/makeup_working_days_2026.csv");

/// Why a day is not a business day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Closed {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// `weekend` or `holiday`.
    pub reason: &'static str,
    pub name: Option<String>,
}

/// Holidays and make-up working days per place, and the years the data covers for each place.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    holidays: HashMap<String, HashMap<NaiveDate, String>>,
    makeup: HashMap<String, HashSet<NaiveDate>>,
    years: HashMap<String, HashSet<i32>>,
}

#[derive(Deserialize)]
struct HolidayRow {
    iso2: String,
    date: NaiveDate,
    name: String,
}

#[derive(Deserialize)]
struct MakeupRow {
    iso2: String,
    date: NaiveDate,
}

impl Calendar {
    /// The embedded tables, parsed once.
    pub fn embedded() -> Result<&'static Calendar, Error> {
        static CAL: OnceLock<Result<Calendar, Error>> = OnceLock::new();
        CAL.get_or_init(|| Calendar::from_csv(HOLIDAYS, MAKEUP))
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn from_csv(holidays: &str, makeup: &str) -> Result<Calendar, Error> {
        let mut cal = Calendar::default();
        for row in csv::Reader::from_reader(holidays.as_bytes()).deserialize::<HolidayRow>() {
            let row = row.map_err(|e| Error::Data(format!("public holidays: {e}")))?;
            cal.add_holiday(&row.iso2, row.date, &row.name);
        }
        for row in csv::Reader::from_reader(makeup.as_bytes()).deserialize::<MakeupRow>() {
            let row = row.map_err(|e| Error::Data(format!("make-up working days: {e}")))?;
            cal.makeup.entry(row.iso2).or_default().insert(row.date);
        }
        Ok(cal)
    }

    /// Adds (or renames) a holiday; the year then counts as covered for that place.
    pub fn add_holiday(&mut self, place: &str, date: NaiveDate, name: &str) {
        self.holidays
            .entry(place.to_owned())
            .or_default()
            .insert(date, name.to_owned());
        self.years
            .entry(place.to_owned())
            .or_default()
            .insert(date.year());
    }

    pub fn knows_place(&self, place: &str) -> bool {
        self.holidays.contains_key(place)
    }

    /// Whether the holiday table has the year for the place (otherwise only weekends count).
    pub fn covers(&self, place: &str, year: i32) -> bool {
        self.years.get(place).is_some_and(|y| y.contains(&year))
    }

    /// `None` if the day is a business day at the place; weekends are Saturday and Sunday.
    pub fn closed(&self, place: Option<&str>, date: NaiveDate) -> Option<Closed> {
        if let Some(p) = place {
            if let Some(name) = self.holidays.get(p).and_then(|h| h.get(&date)) {
                return Some(Closed {
                    date,
                    reason: "holiday",
                    name: Some(name.clone()),
                });
            }
            if self.makeup.get(p).is_some_and(|m| m.contains(&date)) {
                return None;
            }
        }
        matches!(date.weekday(), Weekday::Sat | Weekday::Sun).then_some(Closed {
            date,
            reason: "weekend",
            name: None,
        })
    }

    /// The first business day on or after `date`, and the closed days passed over.
    pub fn next_business_day(
        &self,
        place: Option<&str>,
        date: NaiveDate,
    ) -> (NaiveDate, Vec<Closed>) {
        let mut d = date;
        let mut passed = Vec::new();
        // Bounded: no table closes more than a few weeks in a row.
        for _ in 0..60 {
            match self.closed(place, d) {
                Some(c) => {
                    passed.push(c);
                    d = d.succ_opt().unwrap_or(d);
                }
                None => break,
            }
        }
        (d, passed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn chinese_make_up_working_days_are_business_days() {
        let cal = Calendar::embedded().unwrap();
        // 2026-02-14 is a Saturday worked in exchange for 2026-02-20.
        assert_eq!(cal.closed(Some("CN"), d("2026-02-14")), None);
        assert_eq!(
            cal.closed(Some("CN"), d("2026-02-20")).unwrap().reason,
            "holiday"
        );
        // Elsewhere the same Saturday is a weekend day.
        assert_eq!(
            cal.closed(Some("SG"), d("2026-02-14")).unwrap().reason,
            "weekend"
        );
    }

    #[test]
    fn national_day_week_is_passed_over() {
        let cal = Calendar::embedded().unwrap();
        let (next, passed) = cal.next_business_day(Some("CN"), d("2026-10-01"));
        assert_eq!(next, d("2026-10-08"));
        assert_eq!(passed.len(), 7);
        assert!(cal.covers("CN", 2026) && !cal.covers("CN", 2027));
    }
}
