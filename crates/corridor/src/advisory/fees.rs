//! Fee estimates for the proposed dispute clause, from the arbitration module's fee schedules
//! (`crate::arbitration::fees`): the proposed institution's schedule in the project's currency,
//! in force on the plan's date. No exchange rate is assumed: a value in another currency gets
//! no estimate, and the clause says why.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Text;
use super::disputes::{FeeEstimate, FeeEstimator};
use crate::arbitration::fees::compare;

/// The fee schedules of `data/arbitration/`, as the plan's dispute clause uses them.
pub struct ScheduleFees;

/// The schedules of an institution, by the prefix of their ids in the data.
fn schedule_prefix(institution: &str) -> Option<&'static str> {
    match institution {
        "CQAC" => Some("cqac_"),
        "HKIAC" => Some("hkiac_"),
        "SIAC" => Some("siac_"),
        "CIETAC" => Some("cietac_fee_schedule_I_foreign_related"),
        _ => None,
    }
}

impl FeeEstimator for ScheduleFees {
    fn estimate(
        &self,
        institution: &str,
        amount: Decimal,
        currency: &str,
        date: NaiveDate,
    ) -> Option<FeeEstimate> {
        let prefix = schedule_prefix(institution)?;
        let rows = compare(&amount.to_string(), currency, Some(&date.to_string())).ok()?;
        let row = rows
            .rows
            .iter()
            .find(|r| r.schedule.starts_with(prefix) && r.total.is_some())?;
        let total = row.total?;
        let component = row.fee_component.clone().unwrap_or_default();
        Some(FeeEstimate {
            currency: row.currency.to_string(),
            total: total.amount_text(),
            schedule: row.schedule.clone(),
            verified: row.verified && !row.estimate,
            source: row.sources.first().cloned().unwrap_or_default(),
            basis: Text {
                en: format!("{} ({}): {component}", row.name, row.effective_date),
                zh: format!("{}（{}）：{component}", row.name, row.effective_date),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn an_institution_in_its_own_currency_has_an_estimate_and_no_rate_is_assumed() {
        let e = ScheduleFees
            .estimate("HKIAC", Decimal::from(50_000_000), "HKD", day())
            .unwrap();
        assert_eq!(e.schedule, "hkiac_2024_schedule1_administrative_fees");
        assert_eq!(
            (e.currency.as_str(), e.total.as_str()),
            ("HKD", "167000.00")
        );
        let cq = ScheduleFees
            .estimate("CQAC", Decimal::from(50_000_000), "CNY", day())
            .unwrap();
        assert!(
            !cq.verified,
            "the commission's schedule is configured, not published"
        );
        assert!(
            ScheduleFees
                .estimate("HKIAC", Decimal::from(50_000_000), "USD", day())
                .is_none()
        );
        assert!(
            ScheduleFees
                .estimate("VIAC", Decimal::from(50_000_000), "VND", day())
                .is_none()
        );
    }
}
