//! `corridor conflicts screen`: the nationality and conflict screens for a proposed arbitrator,
//! from JSON on stdin (format in docs/arbitration.md). Offline; exit 0 with an answer, 2 on bad input.

use std::io::Read;

use clap::{Args, Subcommand};

use super::arbitration_out::finish;
use super::route::Lang;
use crate::arbitration::Error;
use crate::arbitration::screens::{self, ScreenInput};

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Screen one candidate: neutrality verdict, IBA-style findings, draft disclosure (zh/en).
    Screen(ScreenArgs),
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Print the machine answer (JSON, see docs/arbitration.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

pub fn run(cmd: ConflictsCommand) -> u8 {
    let ConflictsCommand::Screen(args) = cmd;
    let mut text = String::new();
    let result = std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::invalid("stdin", "", e.to_string()))
        .and_then(|_| {
            serde_json::from_str::<ScreenInput>(&text).map_err(|e| {
                Error::invalid(
                    "stdin",
                    text.chars().take(40).collect::<String>(),
                    format!("not the screen's JSON: {e}"),
                )
            })
        })
        .and_then(|input| screens::screen(&input));
    let l = args.lang;
    finish(result, args.json, |a| {
        println!("{} · {} · {:?}", a.arbitrator, a.rules, a.role);
        println!(
            "{}: {:?} — {}",
            l.pick("Nationality", "国籍"),
            a.neutrality.verdict,
            l.pick(&a.neutrality.en, &a.neutrality.zh)
        );
        for f in &a.findings {
            println!("  [{:?}] {}: {}", f.list, f.code, l.pick(&f.en, &f.zh));
        }
        println!("\n{}", l.pick(&a.disclosure.en, &a.disclosure.zh));
    })
}
