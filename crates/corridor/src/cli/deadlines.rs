//! `corridor deadlines --rules ID --event EVENT --date YYYY-MM-DD [--place CC]`: every time limit
//! the event starts under the rule set, counted as the rules say. Offline; exit 0 or 2.

use clap::Args;

use super::arbitration_out::{finish, mark, print_warnings};
use super::route::Lang;
use crate::arbitration::deadlines::{self, DeadlineAsk};

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// Rule set id, as in data/arbitration/rule_timelines.json (e.g. UNCITRAL-2013, CIETAC-2024).
    #[arg(long, value_name = "ID")]
    pub rules: String,
    /// The event that starts the limits, e.g. notice_of_arbitration_received, appointment_notified,
    /// tribunal_constituted, award_received (docs/arbitration.md lists them all).
    #[arg(long, value_name = "EVENT")]
    pub event: String,
    /// The day of the event (e.g. of receipt), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// Whose holidays: the addressee's place, ISO 3166-1 alpha-2 (HK and MO are their own).
    #[arg(long, value_name = "CC")]
    pub place: Option<String>,
    /// Only the limits of one procedure (general, summary, expedited, streamlined, domestic, emergency).
    #[arg(long)]
    pub procedure: Option<String>,
    /// An extension granted: ARTICLE=DAYS or ARTICLE=YYYY-MM-DD (repeatable).
    #[arg(long, value_name = "ARTICLE=DAYS|DATE")]
    pub extension: Vec<String>,
    /// Print the machine answer (JSON, see docs/arbitration.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

pub fn run(args: DeadlinesArgs) -> u8 {
    let l = args.lang;
    let ask = DeadlineAsk {
        rules: args.rules,
        event: args.event,
        date: args.date,
        place: args.place,
        procedure: args.procedure,
        extensions: args.extension,
    };
    finish(deadlines::compute(&ask), args.json, |a| {
        println!(
            "{} · {} {} · {}",
            a.rule_set_name,
            a.event,
            a.date,
            a.place.as_deref().unwrap_or("—")
        );
        for d in &a.deadlines {
            println!(
                "  {}  {} {}{} [{}]",
                d.due,
                d.article,
                d.action,
                mark(l, d.verified),
                d.procedure
            );
            if !d.moved_over.is_empty() {
                println!(
                    "      {} {} ({})",
                    l.pick("moved from", "顺延自"),
                    d.last_day,
                    d.moved_over
                        .iter()
                        .map(|c| c.name.clone().unwrap_or_else(|| c.reason.to_owned()))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if let Some(o) = d.original_due {
                println!(
                    "      {} {o}",
                    l.pick("extended; originally", "已延长；原为")
                );
            }
        }
        print_warnings(l, &a.warnings);
    })
}
