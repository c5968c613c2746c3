//! `corridor fees --schedule ID --amount N` and `corridor fees compare --amount N --currency CCY`:
//! arbitration fees from the embedded schedules. Offline; exit 0 with an answer, 2 on bad input.

use clap::{Args, Subcommand};

use super::arbitration_out::{finish, mark, print_warnings};
use super::route::Lang;
use crate::arbitration::Error;
use crate::arbitration::fees::{self, FeeAnswer, FeeAsk};
use crate::money::Money;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct FeesArgs {
    #[command(subcommand)]
    pub command: Option<FeesCommand>,
    /// Schedule id, as in data/arbitration/fee_schedules.json (e.g. siac_2016_administration_fees).
    #[arg(long, value_name = "ID")]
    pub schedule: Option<String>,
    /// Amount in dispute in the schedule's currency: at most two decimal places.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// The day the arbitration is commenced, YYYY-MM-DD: answers with the schedule in force then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print the machine answer (JSON, see docs/arbitration.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

#[derive(Debug, Subcommand)]
pub enum FeesCommand {
    /// Every schedule in one currency for the same amount (the cross-institution estimate).
    Compare(CompareArgs),
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Amount in dispute: at most two decimal places.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub amount: String,
    /// ISO 4217 currency code (CNY, SGD, HKD).
    #[arg(long, value_name = "CCY")]
    pub currency: String,
    /// The day the arbitration is commenced: each institution's schedule in force then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print the machine answer (JSON, see docs/arbitration.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

/// The amount alone: the currency is printed once after it.
fn money(x: Option<Money>) -> String {
    x.map(|v| v.amount_text()).unwrap_or_else(|| "—".to_owned())
}

fn print_row(l: Lang, a: &FeeAnswer) {
    println!(
        "{}{}{}: {} {} {}",
        a.schedule,
        if a.estimate {
            l.pick(" (estimate)", "（估算）")
        } else {
            ""
        },
        mark(l, a.verified),
        l.pick("fee", "费用"),
        money(a.fee),
        a.currency
    );
    for c in &a.components {
        println!(
            "    + {} {} {}{}",
            c.code,
            c.amount.amount_text(),
            a.currency,
            mark(l, c.verified)
        );
    }
    if a.total.is_some() && !a.components.is_empty() {
        println!(
            "    = {} {} {}",
            l.pick("total", "合计"),
            money(a.total),
            a.currency
        );
    }
    if let Some(b) = &a.band {
        println!(
            "    {} {} – {} {}",
            l.pick("national band", "国家收费幅度"),
            b.low.amount_text(),
            b.high.amount_text(),
            a.currency
        );
    }
}

pub fn run(args: FeesArgs) -> u8 {
    if let Some(FeesCommand::Compare(c)) = args.command {
        let l = c.lang;
        return finish(
            fees::compare(&c.amount, &c.currency, c.date.as_deref()),
            c.json,
            |x| {
                println!(
                    "{} {} {}",
                    l.pick("Amount in dispute", "争议金额"),
                    x.amount,
                    x.currency
                );
                for row in &x.rows {
                    print_row(l, row);
                }
                print_warnings(l, &x.warnings);
            },
        );
    }
    let l = args.lang;
    let ask = match (args.schedule, args.amount) {
        (Some(schedule), Some(amount)) => FeeAsk {
            schedule,
            amount,
            date: args.date,
        },
        (None, _) => {
            return finish::<FeeAnswer>(
                Err(Error::invalid(
                    "--schedule",
                    "",
                    "missing (or use `corridor fees compare`)",
                )),
                false,
                |_| {},
            );
        }
        (_, None) => {
            return finish::<FeeAnswer>(
                Err(Error::invalid("--amount", "", "missing")),
                false,
                |_| {},
            );
        }
    };
    finish(fees::estimate(&ask), args.json, |a| {
        println!("{} — {}", a.institution, a.name);
        println!(
            "{} {} {}",
            l.pick("Amount in dispute", "争议金额"),
            a.amount,
            a.currency
        );
        print_row(l, a);
        println!("{}: {}", l.pick("effective", "生效"), a.effective_date);
        print_warnings(l, &a.warnings);
        if !a.sources.is_empty() {
            println!("\n{}:", l.pick("Sources", "来源"));
            for s in &a.sources {
                println!("  {s}");
            }
        }
    })
}
