//! `corridor bench arbitration`: the speed targets of issue 10 on synthetic data, in process.
//!
//! - the conflict screen (with the nationality check and the draft disclosure) for one candidate
//!   against a roster's history of `--appointments` past appointments: p50/p99, target p99 ≤ 1 ms;
//! - the whole roster of `--arbitrators` ranked for a case: p50/p99, target ≤ 200 ms;
//! - every deadline of `--cases` open cases recomputed after the holiday table changes: total,
//!   target ≤ 2 s.
//!
//! The data is generated from a fixed seed (fictional ids), so runs compare.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};

use super::deadlines::{self, CORE_EVENTS, Calendar};
use super::screens::{
    AppointmentIndex, Candidate, Case, Role, conflicts, nationality, screen_candidate,
};

#[derive(Debug, clap::Args)]
pub struct ArbitrationBenchArgs {
    /// Arbitrators on the roster.
    #[arg(long, default_value_t = 10_000)]
    pub arbitrators: usize,
    /// Past appointments in the history.
    #[arg(long, default_value_t = 1_000_000)]
    pub appointments: usize,
    /// Single-candidate screens timed.
    #[arg(long, default_value_t = 2_000)]
    pub screens: usize,
    /// Whole-roster rankings timed.
    #[arg(long, default_value_t = 20)]
    pub rankings: usize,
    /// Open cases whose deadlines are recomputed.
    #[arg(long, default_value_t = 100_000)]
    pub cases: usize,
    /// Also write the roster and its history to a database and time what a request does with
    /// them (snapshot, ranking, search): SQLite in a temporary folder.
    #[arg(long)]
    pub stored: bool,
    /// With `--stored`, also on PostgreSQL (a server URL; a scratch database is made and dropped).
    #[arg(long)]
    pub postgres_url: Option<String>,
}

const TARGET_SCREEN_P99: Duration = Duration::from_millis(1);
const TARGET_RANK: Duration = Duration::from_millis(200);
const TARGET_DEADLINES: Duration = Duration::from_secs(2);

const NATIONS: [&str; 12] = [
    "CN", "SG", "HK", "TH", "VN", "MY", "ID", "PH", "GB", "FR", "US", "KH",
];
const PLACES: [&str; 8] = ["CN", "SG", "HK", "TH", "VN", "MY", "ID", "PH"];
const PARTIES: u64 = 50_000;
const FIRMS: u64 = 2_000;

/// splitmix64: a fixed, dependency-free stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn day(base: NaiveDate, offset: u64) -> NaiveDate {
    base + Days::new(offset)
}

/// Skewed like real practice: a fifth of the appointments come from 100 repeat players.
fn party(rng: &mut Rng) -> u64 {
    if rng.below(5) == 0 {
        rng.below(100)
    } else {
        rng.below(PARTIES)
    }
}

fn firm(rng: &mut Rng) -> u64 {
    if rng.below(3) == 0 {
        rng.below(20)
    } else {
        rng.below(FIRMS)
    }
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let n = v.len().max(1);
    let at = |p: usize| v.get((n * p / 100).min(n - 1)).copied().unwrap_or_default();
    (at(50), at(99), v.iter().sum())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "meets target" } else { "MISSES target" }
}

pub async fn run(args: ArbitrationBenchArgs) -> anyhow::Result<()> {
    let build = if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    };
    println!(
        "corridor bench arbitration: {} arbitrators, {} past appointments, {} open cases ({build})",
        args.arbitrators, args.appointments, args.cases
    );
    let mut rng = Rng(0x00C0_FFEE);
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();

    let roster: Vec<Candidate> = (0..args.arbitrators)
        .map(|i| {
            let mut nationalities = vec![rng.pick(&NATIONS).to_owned()];
            if rng.below(5) == 0 {
                nationalities.push(rng.pick(&NATIONS).to_owned());
            }
            let former_firms = if rng.below(3) == 0 {
                vec![(
                    format!("Demo Firm {}", firm(&mut rng)),
                    day(start, rng.below(2_350)),
                )]
            } else {
                vec![]
            };
            Candidate {
                id: format!("arb-{i}"),
                name: None,
                nationalities,
                firm: Some(format!("Demo Firm {}", firm(&mut rng))),
                former_firms,
            }
        })
        .collect();

    let t = Instant::now();
    let mut index = AppointmentIndex::new();
    for _ in 0..args.appointments {
        let arb = rng.below(args.arbitrators as u64);
        let by = party(&mut rng);
        let by = if rng.below(4) == 0 {
            format!("group-{}", by / 5)
        } else {
            format!("party-{by}")
        };
        let counsel = format!("Demo Firm {}", firm(&mut rng));
        index.add(
            &format!("arb-{arb}"),
            day(start, rng.below(2_350)),
            &by,
            Some(&counsel),
        );
    }
    index.finish();
    println!(
        "index built: {} appointments in {:.0} ms",
        index.len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let rules = nationality::rules()?;
    let cases: Vec<Case> = (0..100)
        .map(|i| {
            let p = |rng: &mut Rng, side| {
                let n = party(rng);
                super::screens::Party {
                    id: format!("party-{n}"),
                    side,
                    company: true,
                    nationalities: vec![rng.pick(&NATIONS).to_owned()],
                    controlled_from: vec![],
                    members: vec![format!("party-{n}"), format!("group-{}", n / 5)],
                }
            };
            let date = day(start, 1_800 + rng.below(500));
            Case {
                date,
                window_from: date
                    .checked_sub_months(chrono::Months::new(36))
                    .unwrap_or(date),
                rules: rules[i % rules.len()].clone(),
                role: if i % 2 == 0 {
                    Role::Sole
                } else {
                    Role::Presiding
                },
                parties: vec![
                    p(&mut rng, super::screens::Side::Claimant),
                    p(&mut rng, super::screens::Side::Respondent),
                ],
                counsel: vec![
                    super::screens::Counsel {
                        firm: format!("Demo Firm {}", firm(&mut rng)),
                        side: super::screens::Side::Claimant,
                    },
                    super::screens::Counsel {
                        firm: format!("Demo Firm {}", firm(&mut rng)),
                        side: super::screens::Side::Respondent,
                    },
                ],
            }
        })
        .collect();

    let mut times = Vec::with_capacity(args.screens);
    let mut flagged = 0;
    for i in 0..args.screens {
        let case = &cases[i % cases.len()];
        let cand = &roster[rng.below(roster.len() as u64) as usize];
        let t = Instant::now();
        let answer = black_box(screen_candidate(case, cand, &index));
        times.push(t.elapsed());
        flagged += usize::from(!answer.findings.is_empty());
    }
    let (p50, p99, _) = percentiles(times);
    println!(
        "one candidate (both screens + draft disclosure), {} samples: p50 {:.1} µs, p99 {:.1} µs, {flagged} with findings (target p99 ≤ 1 ms: {})",
        args.screens,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        verdict(p99 <= TARGET_SCREEN_P99)
    );

    let mut times = Vec::with_capacity(args.rankings);
    for i in 0..args.rankings {
        let t = Instant::now();
        let ranked = black_box(conflicts::rank(&cases[i % cases.len()], &roster, &index));
        times.push(t.elapsed());
        black_box(ranked.len());
    }
    let (p50, p99, total) = percentiles(times);
    println!(
        "whole roster ranked ({} candidates), {} runs: p50 {:.1} ms, p99 {:.1} ms, total {:.0} ms (target ≤ 200 ms: {})",
        roster.len(),
        args.rankings,
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        verdict(p99 <= TARGET_RANK)
    );

    deadline_run(&args, &mut rng)?;
    if args.stored {
        stored(&args).await?;
    }
    Ok(())
}

/// The stored part ([`super::bench_stored`]) on SQLite, and on PostgreSQL when given.
async fn stored(args: &ArbitrationBenchArgs) -> anyhow::Result<()> {
    let mut backends = vec![("sqlite", None)];
    if let Some(pg) = &args.postgres_url {
        backends.push(("postgres", Some(pg.clone())));
    }
    for (backend, server) in backends {
        let dir = std::env::temp_dir().join(format!(
            "corridor-bench-arbitration-{}",
            &crate::ids::new_id()[..13]
        ));
        std::fs::create_dir_all(&dir)?;
        let (url, scratch) = match &server {
            None => (
                crate::config::sqlite_url_for(&dir.join("corridor.db")),
                None,
            ),
            Some(server) => {
                let (url, name) =
                    crate::db::testing::create_postgres_database(server, "corridor_bench").await?;
                (url, Some((server.clone(), name)))
            }
        };
        let result = super::bench_stored::run(
            &url,
            &format!("stored [{backend}]"),
            args.arbitrators,
            args.appointments,
            args.rankings,
        )
        .await;
        if let Some((server, name)) = scratch {
            crate::db::testing::drop_postgres_database(&server, &name).await?;
        }
        std::fs::remove_dir_all(&dir).ok();
        result?;
    }
    Ok(())
}

/// Open cases: (rule set, event, date, place). A holiday is added to one place's table and every
/// case's deadlines are counted again.
fn deadline_run(args: &ArbitrationBenchArgs, rng: &mut Rng) -> anyhow::Result<()> {
    let data = deadlines::Dataset::get()?;
    let calendar = Calendar::embedded()?;
    let rule_sets: Vec<&deadlines::RuleSet> = data
        .rule_sets
        .iter()
        .filter(|r| r.corridor_counting.roll_forward)
        .collect();
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let cases: Vec<(usize, &str, NaiveDate, &str)> = (0..args.cases)
        .map(|_| {
            (
                rng.below(rule_sets.len() as u64) as usize,
                rng.pick(&CORE_EVENTS),
                day(start, rng.below(300)),
                rng.pick(&PLACES),
            )
        })
        .collect();
    let recompute = |cal: &Calendar| -> Vec<NaiveDate> {
        let mut due = Vec::new();
        for (r, event, date, place) in &cases {
            let rs = rule_sets[*r];
            for l in data.limits_for(&rs.id, event) {
                if let Some(p) = &l.period {
                    due.push(
                        deadlines::count(
                            p,
                            *date,
                            rs.corridor_counting.roll_forward,
                            Some(*place),
                            cal,
                            0,
                        )
                        .due,
                    );
                }
            }
        }
        due
    };
    let before = recompute(calendar);
    let t = Instant::now();
    let mut changed = calendar.clone();
    // A new public holiday announced for Singapore, e.g. a polling day.
    let polling_day = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap_or_default();
    changed.add_holiday("SG", polling_day, "Polling Day (bench)");
    let after = recompute(&changed);
    let elapsed = t.elapsed();
    let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    println!(
        "deadlines after a holiday table change: {} cases, {} deadlines recomputed in {:.0} ms, {moved} moved (target ≤ 2 s: {})",
        args.cases,
        after.len(),
        elapsed.as_secs_f64() * 1e3,
        verdict(elapsed <= TARGET_DEADLINES)
    );
    Ok(())
}
