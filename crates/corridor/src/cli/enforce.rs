//! `corridor enforce award | judgment`: will an arbitral award or a court judgment be enforced
//! across the border. Offline (the data is compiled in); exit 0 with an answer, 2 on bad input.

use clap::{Args, Subcommand, ValueEnum};

use super::route::{Lang, finish, print_statements, print_steps, print_tail};
use crate::jurisdiction::answer::{self, AwardAsk, JudgmentAsk};

#[derive(Debug, Subcommand)]
pub enum EnforceCommand {
    /// Will an arbitral award made at the seat be recognised and enforced in another place.
    Award(AwardArgs),
    /// Will a court judgment be recognised and enforced in another place.
    Judgment(JudgmentArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Args)]
pub struct AwardArgs {
    /// Seat of arbitration: ISO 3166-1 alpha-2 (CN is the Mainland), HK or MO.
    #[arg(long, value_name = "CC")]
    pub seat: String,
    /// Where enforcement is sought.
    #[arg(long, value_name = "CC")]
    pub enforce_in: String,
    /// Whether the legal relationship is commercial (default yes).
    #[arg(long, value_enum)]
    pub commercial: Option<YesNo>,
    /// The day the question is asked for, YYYY-MM-DD (default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Administering institution (free text, e.g. CIETAC).
    #[arg(long)]
    pub institution: Option<String>,
    /// Print the machine answer (JSON, see docs/jurisdiction.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct JudgmentArgs {
    /// Where the court that gave the judgment sits.
    #[arg(long, value_name = "CC")]
    pub court_in: String,
    /// Where recognition and enforcement is sought.
    #[arg(long, value_name = "CC")]
    pub enforce_in: String,
    /// The day the question is asked for, YYYY-MM-DD (default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print the machine answer (JSON, see docs/jurisdiction.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

pub fn run(cmd: EnforceCommand) -> u8 {
    let today = crate::jurisdiction::today();
    match cmd {
        EnforceCommand::Award(a) => {
            let ask = AwardAsk {
                seat: a.seat,
                enforce_in: a.enforce_in,
                commercial: a.commercial.map(|c| {
                    match c {
                        YesNo::Yes => "yes",
                        YesNo::No => "no",
                    }
                    .to_owned()
                }),
                date: a.date,
                institution: a.institution,
            };
            finish(answer::ask_award(&ask, today), a.json, |x| {
                let l = a.lang;
                println!(
                    "{} {} → {} · {}",
                    l.pick("Arbitral award", "仲裁裁决"),
                    x.seat,
                    x.enforce_in,
                    x.date
                );
                println!("{}", l.pick(&x.answer.en, &x.answer.zh));
                println!(
                    "{}: {} ({}: {})",
                    l.pick("Regime", "依据"),
                    x.regime.as_str(),
                    l.pick("coverage", "适用"),
                    serde_json::to_value(x.coverage)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                );
                print_statements(l, l.pick("Why", "理由"), &x.basis);
                print_steps(l, &x.steps);
                print_statements(l, l.pick("Documents", "所需文件"), &x.documents);
                print_tail(l, &x.warnings, &x.sources);
            })
        }
        EnforceCommand::Judgment(j) => {
            let ask = JudgmentAsk {
                court_in: j.court_in,
                enforce_in: j.enforce_in,
                date: j.date,
            };
            finish(answer::ask_judgment(&ask, today), j.json, |x| {
                let l = j.lang;
                println!(
                    "{} {} → {} · {}",
                    l.pick("Court judgment", "法院判决"),
                    x.court_in,
                    x.enforce_in,
                    x.date
                );
                println!("{}", l.pick(&x.answer.en, &x.answer.zh));
                println!("{}: {}", l.pick("Regime", "依据"), x.regime.as_str());
                print_statements(l, l.pick("Why", "理由"), &x.basis);
                print_tail(l, &x.warnings, &x.sources);
            })
        }
    }
}
