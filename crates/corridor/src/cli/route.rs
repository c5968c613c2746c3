//! `corridor route document`: how a public document issued in one place is made acceptable in
//! another. Offline; exit 0 with an answer, 2 on bad input. Also the printing shared with
//! `corridor enforce`.

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::jurisdiction::Statement;
use crate::jurisdiction::Warning;
use crate::jurisdiction::answer::{self, AnswerStep, AskError, RouteAsk};

#[derive(Debug, Subcommand)]
pub enum RouteCommand {
    /// Apostille, consular legalization or a Mainland–SAR route, step by step.
    Document(DocumentArgs),
}

#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// Where the public document is issued: ISO 3166-1 alpha-2, HK or MO.
    #[arg(long, value_name = "CC")]
    pub from: String,
    /// Where it is to be used.
    #[arg(long, value_name = "CC")]
    pub to: String,
    /// The day the document is to be used, YYYY-MM-DD (default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print the machine answer (JSON, see docs/jurisdiction.md).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable answer.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    En,
    #[value(name = "zh-CN", alias = "zh")]
    Zh,
}

impl Lang {
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

pub fn run(cmd: RouteCommand) -> u8 {
    let RouteCommand::Document(d) = cmd;
    let ask = RouteAsk {
        from: d.from,
        to: d.to,
        date: d.date,
    };
    finish(
        answer::ask_route(&ask, crate::jurisdiction::today()),
        d.json,
        |x| {
            let l = d.lang;
            println!(
                "{} {} → {} · {}",
                l.pick("Public document", "公文书"),
                x.from,
                x.to,
                x.date
            );
            println!("{}", l.pick(&x.answer.en, &x.answer.zh));
            println!(
                "{}: {}",
                l.pick("Route", "途径"),
                serde_json::to_value(x.regime)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            );
            print_statements(l, l.pick("Why", "理由"), &x.basis);
            print_steps(l, &x.steps);
            print_statements(l, l.pick("Documents", "所需文件"), &x.documents);
            print_statements(l, l.pick("Notes", "说明"), &x.notes);
            print_tail(l, &x.warnings, &x.sources);
        },
    )
}

/// Prints the answer (as JSON or readable) and returns the exit code: 0, 2 for bad input, 1 if
/// the embedded data is broken.
pub fn finish<T: Serialize>(
    result: Result<T, AskError>,
    json: bool,
    readable: impl FnOnce(&T),
) -> u8 {
    match result {
        Ok(x) if json => match serde_json::to_string_pretty(&x) {
            Ok(text) => {
                println!("{text}");
                0
            }
            Err(err) => {
                eprintln!("error: {err}");
                1
            }
        },
        Ok(x) => {
            readable(&x);
            0
        }
        Err(AskError::Invalid {
            field,
            reason,
            value,
        }) => {
            eprintln!(
                "error: --{} {value:?}: {}",
                field.replace('_', "-"),
                answer::reason_en(reason)
            );
            2
        }
        Err(AskError::Data(err)) => {
            eprintln!("error: {err}");
            1
        }
    }
}

fn mark(l: Lang, verified: bool) -> &'static str {
    if verified {
        ""
    } else {
        l.pick(" [unverified]", " [未核实]")
    }
}

pub fn print_statements(l: Lang, title: &str, items: &[Statement]) {
    if items.is_empty() {
        return;
    }
    println!("\n{title}:");
    for s in items {
        println!("  - {}{}", l.pick(&s.en, &s.zh), mark(l, s.verified));
        println!("    {}: {}", l.pick("source", "来源"), s.source);
    }
}

pub fn print_steps(l: Lang, steps: &[AnswerStep]) {
    if steps.is_empty() {
        return;
    }
    println!("\n{}:", l.pick("Steps", "步骤"));
    for s in steps {
        println!(
            "  {}. [{}, {}] {}{}",
            s.order,
            s.kind.as_str(),
            s.authority_state,
            l.pick(&s.en, &s.zh),
            mark(l, s.verified)
        );
        println!("     {}: {}", l.pick("source", "来源"), s.source);
    }
}

pub fn print_tail(l: Lang, warnings: &[Warning], sources: &[String]) {
    if !warnings.is_empty() {
        println!("\n{}:", l.pick("Warnings", "警示"));
        for w in warnings {
            println!("  ! {}", l.pick(&w.en, &w.zh));
        }
    }
    if !sources.is_empty() {
        println!("\n{}:", l.pick("Sources", "来源"));
        for s in sources {
            println!("  {s}");
        }
    }
}
