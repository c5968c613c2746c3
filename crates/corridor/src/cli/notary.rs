//! `corridor notary check`: the eligibility pre-check for overseas remote video notarization,
//! over JSON on stdin. Offline; exit 0 with an answer (eligible or not), 2 on bad input naming
//! the field.

use std::io::Read;

use clap::Subcommand;

use super::route::Lang;
use crate::notary::eligibility::{Answer, Application, Finding, Verdict, check};

#[derive(Debug, Subcommand)]
pub enum NotaryCommand {
    /// May this person apply for overseas remote video notarization of this matter. Reads
    /// {date, nationality, mainland_resident, residence_country, days_resident, residence_status,
    /// matter, use_in, needs_interpreter, disposes_property} as JSON on stdin.
    Check {
        /// Print the machine answer: {"verdict", "reasons", "conditions", ...}.
        #[arg(long)]
        json: bool,
        /// Language of the readable answer.
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
    },
}

pub fn run(cmd: NotaryCommand) -> u8 {
    let NotaryCommand::Check { json, lang } = cmd;
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read stdin: {e}");
        return 2;
    }
    let application = match Application::from_json(&text) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {}", e.message_en());
            return 2;
        }
    };
    let answer = check(&application);
    if json {
        match serde_json::to_string_pretty(&answer) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    } else {
        print_readable(lang, &answer);
    }
    0
}

fn print_readable(l: Lang, a: &Answer) {
    let verdict = match a.verdict {
        Verdict::Eligible => l.pick("Eligible", "符合条件"),
        Verdict::Ineligible => l.pick("Not eligible", "不符合条件"),
        Verdict::EligibleWithConditions => {
            l.pick("Eligible, with conditions", "符合条件（附条件）")
        }
    };
    println!(
        "{}: {verdict} ({} {})",
        l.pick("Overseas remote video notarization", "海外远程视频公证"),
        l.pick("as of", "日期"),
        a.date
    );
    print_findings(l, l.pick("Not met", "不满足"), &a.reasons);
    print_findings(l, l.pick("Conditions", "附加条件"), &a.conditions);
    print_findings(l, l.pick("Also required", "另须满足"), &a.also_required);
    println!(
        "\n{} {}",
        l.pick("Rules as of", "规则版本"),
        a.rules_snapshot
    );
}

fn print_findings(l: Lang, title: &str, items: &[Finding]) {
    if items.is_empty() {
        return;
    }
    println!("\n{title}:");
    for f in items {
        let mark = if f.verified {
            ""
        } else {
            l.pick(" [unverified]", " [未核实]")
        };
        println!("  - [{}] {}{mark}", f.code, l.pick(f.en, f.zh));
        println!("    {}: {}", l.pick("source", "来源"), f.source);
    }
}
