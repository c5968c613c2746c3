//! Past appointments, indexed for the conflict screen: per arbitrator, sorted by date, with party
//! and firm names interned, so one candidate's three-year window is a binary search and a short
//! scan (a roster of 10,000 with 1,000,000 appointments is ~100 per arbitrator).

use std::collections::HashMap;

use chrono::NaiveDate;

/// One past appointment of an arbitrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appointment {
    pub date: NaiveDate,
    /// The party (or affiliate) that appointed, interned.
    pub appointed_by: u32,
    /// The law firm that acted as that party's counsel, interned.
    pub counsel_firm: Option<u32>,
}

#[derive(Clone, Debug, Default)]
pub struct AppointmentIndex {
    names: HashMap<String, u32>,
    firms: HashMap<String, u32>,
    by_arbitrator: HashMap<u32, Vec<Appointment>>,
    count: usize,
}

/// Firm names as people type them: case, spacing and a trailing full stop do not make another firm.
pub fn normalize_firm(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

fn intern(map: &mut HashMap<String, u32>, key: String) -> u32 {
    let next = map.len() as u32;
    *map.entry(key).or_insert(next)
}

impl AppointmentIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one appointment; call [`AppointmentIndex::finish`] after the last one.
    pub fn add(
        &mut self,
        arbitrator: &str,
        date: NaiveDate,
        appointed_by: &str,
        counsel_firm: Option<&str>,
    ) {
        let arbitrator = intern(&mut self.names, arbitrator.trim().to_owned());
        let appointed_by = intern(&mut self.names, appointed_by.trim().to_owned());
        let counsel_firm = counsel_firm
            .map(normalize_firm)
            .filter(|f| !f.is_empty())
            .map(|f| intern(&mut self.firms, f));
        self.by_arbitrator
            .entry(arbitrator)
            .or_default()
            .push(Appointment {
                date,
                appointed_by,
                counsel_firm,
            });
        self.count += 1;
    }

    /// Sorts each arbitrator's history by date (the windows are binary searches).
    pub fn finish(&mut self) {
        for list in self.by_arbitrator.values_mut() {
            list.sort_by_key(|a| a.date);
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The interned id of a party, affiliate or arbitrator id, if any appointment names it.
    pub fn name(&self, id: &str) -> Option<u32> {
        self.names.get(id.trim()).copied()
    }

    /// The interned id of a firm (by its normalized name), if any appointment names it.
    pub fn firm(&self, name: &str) -> Option<u32> {
        self.firms.get(&normalize_firm(name)).copied()
    }

    /// The arbitrator's appointments dated `from..=to`, oldest first.
    pub fn window(&self, arbitrator: u32, from: NaiveDate, to: NaiveDate) -> &[Appointment] {
        let Some(list) = self.by_arbitrator.get(&arbitrator) else {
            return &[];
        };
        let start = list.partition_point(|a| a.date < from);
        let end = list.partition_point(|a| a.date <= to);
        &list[start..end.max(start)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_are_inclusive_and_sorted() {
        let mut ix = AppointmentIndex::new();
        ix.add("arb", d("2025-01-01"), "p", Some("Firm  A."));
        ix.add("arb", d("2023-01-01"), "p", None);
        ix.add("arb", d("2027-01-01"), "p", None);
        ix.finish();
        let a = ix.name("arb").unwrap();
        let w = ix.window(a, d("2023-01-01"), d("2026-01-01"));
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].date, d("2023-01-01"));
        assert_eq!(w[1].counsel_firm, ix.firm("firm a"));
        assert!(ix.window(99, d("2000-01-01"), d("2030-01-01")).is_empty());
    }
}
