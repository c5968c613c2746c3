//! The bureau's view of the programme (issue 12 §6): plans by country, sector and stage,
//! referrals and how fast firms answer them, engagements and their overdue tasks, and the
//! programme's published figures computed live from the directory. For programme staff; the
//! figures are counts, no one's records.
//!
//! The arithmetic is pure ([`referral_figures`], [`engagement_figures`], [`csv`]); the counts
//! come from `store_dashboard.rs`.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::db::Store;
use crate::directory::model::ProgrammeStats;
use crate::{AppError, Result};

/// A pending referral older than this is flagged.
pub const SLOW_REFERRAL_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct ReferralFigures {
    pub total: i64,
    pub pending: i64,
    pub accepted: i64,
    pub declined: i64,
    pub withdrawn: i64,
    /// Hours from request to the firm's answer, over answered referrals.
    pub median_response_hours: Option<f64>,
    pub mean_response_hours: Option<f64>,
    /// Pending for more than `SLOW_REFERRAL_DAYS` days.
    pub pending_over_7_days: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct EngagementFigures {
    /// Open advisory engagements (matters).
    pub open: i64,
    pub tasks: i64,
    pub tasks_done: i64,
    /// Not done and past their due time.
    pub tasks_overdue: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Programme {
    pub generated_at: DateTime<Utc>,
    /// From the directory: firms with ASEAN partners, cooperation agreements, overseas
    /// arbitrators, pilot notary offices.
    pub figures: ProgrammeStats,
    /// Countries where an award was recognised or enforced (wholly or in part), counted from
    /// the enforcement proceedings recorded in arbitration cases; never estimated.
    pub award_enforcement_countries: Option<i64>,
    /// Those countries (ISO 3166-1 alpha-2).
    pub award_countries: Vec<String>,
    pub projects: i64,
    /// Projects whose plan a newer obligations library changes.
    pub plans_changed: i64,
    pub by_country: Vec<Count>,
    /// ISIC sections; `""` where the enterprise has not said.
    pub by_sector: Vec<Count>,
    pub by_stage: Vec<Count>,
    pub referrals: ReferralFigures,
    pub engagements: EngagementFigures,
}

/// One referral's times: its status, when it was asked, when answered.
pub struct ReferralTimes {
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
}

pub fn referral_figures(rows: &[ReferralTimes], now: DateTime<Utc>) -> ReferralFigures {
    let mut f = ReferralFigures {
        total: rows.len() as i64,
        ..ReferralFigures::default()
    };
    let mut hours: Vec<f64> = Vec::new();
    for r in rows {
        match r.status.as_str() {
            "pending" => {
                f.pending += 1;
                if now - r.requested_at > Duration::days(SLOW_REFERRAL_DAYS) {
                    f.pending_over_7_days += 1;
                }
            }
            "accepted" => f.accepted += 1,
            "declined" => f.declined += 1,
            _ => f.withdrawn += 1,
        }
        // A withdrawal is the enterprise's act, not the firm's answer.
        if let (Some(at), "accepted" | "declined") = (r.responded_at, r.status.as_str()) {
            hours.push((at - r.requested_at).num_seconds() as f64 / 3600.0);
        }
    }
    if !hours.is_empty() {
        hours.sort_by(f64::total_cmp);
        let n = hours.len();
        let median = if n % 2 == 1 {
            hours[n / 2]
        } else {
            (hours[n / 2 - 1] + hours[n / 2]) / 2.0
        };
        f.median_response_hours = Some(median);
        f.mean_response_hours = Some(hours.iter().sum::<f64>() / n as f64);
    }
    f
}

/// Tasks of engagements: (status, due).
pub fn engagement_figures(
    open: i64,
    tasks: &[(String, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
) -> EngagementFigures {
    EngagementFigures {
        open,
        tasks: tasks.len() as i64,
        tasks_done: tasks.iter().filter(|(s, _)| s == "done").count() as i64,
        tasks_overdue: tasks
            .iter()
            .filter(|(s, due)| {
                crate::matters::kind::TASK_UNFINISHED.contains(&s.as_str())
                    && due.is_some_and(|d| d < now)
            })
            .count() as i64,
    }
}

pub async fn programme(store: &Store, actor: &Actor) -> Result<Programme> {
    if !actor.is_programme_staff() {
        return Err(AppError::Forbidden);
    }
    let now = crate::ids::now();
    let (projects, plans_changed) = store.project_totals().await?;
    let referrals = store.referral_times().await?;
    let (open, tasks) = store.engagement_tasks().await?;
    let award_countries = store.countries_with_recognised_awards().await?;
    Ok(Programme {
        generated_at: now,
        figures: store.programme_stats().await?,
        award_enforcement_countries: Some(award_countries.len() as i64),
        award_countries,
        projects,
        plans_changed,
        by_country: store.projects_by("country").await?,
        by_sector: store.projects_by("sector").await?,
        by_stage: store.projects_by("stage").await?,
        referrals: referral_figures(&referrals, now),
        engagements: engagement_figures(open, &tasks, now),
    })
}

/// Every figure as `section,key,value` rows, for a spreadsheet.
pub fn csv(p: &Programme) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |section: &str, key: &str, value: String| w.write_record([section, key, &value]);
    let err = |e: csv::Error| AppError::Internal(e.into());
    row("section", "key", "value".into()).map_err(err)?;
    row("generated", "at", p.generated_at.to_rfc3339()).map_err(err)?;
    let f = &p.figures;
    for (key, value) in [
        (
            "local_firms_with_asean_partners",
            f.local_firms_with_asean_partners,
        ),
        ("local_firms", f.local_firms),
        ("asean_countries_covered", f.asean_countries_covered),
        ("cooperation_agreements", f.cooperation_agreements),
        ("overseas_arbitrators", f.overseas_arbitrators),
        ("arbitrators", f.arbitrators),
        ("pilot_notary_offices", f.pilot_notary_offices),
    ] {
        row("figures", key, value.to_string()).map_err(err)?;
    }
    let unknown = || "not recorded".to_owned();
    row(
        "figures",
        "award_enforcement_countries",
        p.award_enforcement_countries
            .map_or_else(unknown, |n| n.to_string()),
    )
    .map_err(err)?;
    row("projects", "total", p.projects.to_string()).map_err(err)?;
    row("projects", "plans_changed", p.plans_changed.to_string()).map_err(err)?;
    for (section, counts) in [
        ("projects_by_country", &p.by_country),
        ("projects_by_sector", &p.by_sector),
        ("projects_by_stage", &p.by_stage),
    ] {
        for c in counts {
            row(section, &c.key, c.count.to_string()).map_err(err)?;
        }
    }
    let r = &p.referrals;
    for (key, value) in [
        ("total", r.total),
        ("pending", r.pending),
        ("accepted", r.accepted),
        ("declined", r.declined),
        ("withdrawn", r.withdrawn),
        ("pending_over_7_days", r.pending_over_7_days),
    ] {
        row("referrals", key, value.to_string()).map_err(err)?;
    }
    let hours = |h: Option<f64>| h.map_or_else(String::new, |h| format!("{h:.1}"));
    row(
        "referrals",
        "median_response_hours",
        hours(r.median_response_hours),
    )
    .map_err(err)?;
    row(
        "referrals",
        "mean_response_hours",
        hours(r.mean_response_hours),
    )
    .map_err(err)?;
    let e = &p.engagements;
    for (key, value) in [
        ("open", e.open),
        ("tasks", e.tasks),
        ("tasks_done", e.tasks_done),
        ("tasks_overdue", e.tasks_overdue),
    ] {
        row("engagements", key, value.to_string()).map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_764_547_200, 0).unwrap() + Duration::hours(hours)
    }

    fn times(status: &str, asked: i64, answered: Option<i64>) -> ReferralTimes {
        ReferralTimes {
            status: status.into(),
            requested_at: at(asked),
            responded_at: answered.map(at),
        }
    }

    #[test]
    fn response_times_count_the_firms_answers_only() {
        let rows = [
            times("accepted", 0, Some(2)),
            times("declined", 0, Some(10)),
            times("accepted", 0, Some(30)),
            times("withdrawn", 0, Some(1)),
            times("pending", 0, None),
            times("pending", 200, None),
        ];
        let f = referral_figures(&rows, at(240));
        assert_eq!(
            (f.total, f.pending, f.accepted, f.declined, f.withdrawn),
            (6, 2, 2, 1, 1)
        );
        assert_eq!(f.median_response_hours, Some(10.0));
        assert_eq!(f.mean_response_hours, Some(14.0));
        assert_eq!(
            f.pending_over_7_days, 1,
            "the one asked 240 h ago, not the one asked 40 h ago"
        );
        let even = referral_figures(&rows[..2], at(240));
        assert_eq!(even.median_response_hours, Some(6.0));
        assert_eq!(referral_figures(&[], at(0)).median_response_hours, None);
    }

    #[test]
    fn overdue_tasks_are_open_and_past_due() {
        let tasks = [
            ("open".to_owned(), Some(at(1))),
            ("done".to_owned(), Some(at(1))),
            ("open".to_owned(), Some(at(100))),
            ("open".to_owned(), None),
        ];
        let e = engagement_figures(2, &tasks, at(50));
        assert_eq!(
            (e.open, e.tasks, e.tasks_done, e.tasks_overdue),
            (2, 4, 1, 1)
        );
    }

    #[test]
    fn the_csv_has_every_figure_and_says_what_is_not_recorded() {
        let p = Programme {
            generated_at: at(0),
            figures: ProgrammeStats {
                local_firms_with_asean_partners: 21,
                cooperation_agreements: 15,
                overseas_arbitrators: 70,
                pilot_notary_offices: 4,
                ..ProgrammeStats::default()
            },
            award_enforcement_countries: None,
            award_countries: Vec::new(),
            projects: 3,
            plans_changed: 1,
            by_country: vec![Count {
                key: "VN".into(),
                count: 2,
            }],
            by_sector: vec![Count {
                key: "C".into(),
                count: 3,
            }],
            by_stage: vec![Count {
                key: "signed".into(),
                count: 1,
            }],
            referrals: ReferralFigures::default(),
            engagements: EngagementFigures::default(),
        };
        let text = csv(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "section,key,value");
        for want in [
            "figures,local_firms_with_asean_partners,21",
            "figures,cooperation_agreements,15",
            "figures,overseas_arbitrators,70",
            "figures,pilot_notary_offices,4",
            "figures,award_enforcement_countries,not recorded",
            "projects_by_country,VN,2",
            "projects_by_stage,signed,1",
            "referrals,median_response_hours,",
        ] {
            assert!(lines.contains(&want), "{want} in\n{text}");
        }
    }
}
