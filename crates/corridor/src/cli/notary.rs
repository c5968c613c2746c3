//! `corridor notary check`: the eligibility pre-check for overseas remote video notarization,
//! over JSON on stdin. Offline; exit 0 with an answer (eligible or not), 2 on bad input naming
//! the field.
//!
//! `corridor notary purge [--dry-run]`: the retention purge over the configured database and
//! document store (crypto-shredding the content of files past a confirmed retention).

use std::io::Read;

use clap::Subcommand;

use super::route::Lang;
use crate::notary::eligibility::{Answer, Application, Finding, Verdict, check};
use crate::notary::retention::Decision;

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
    /// Destroy the content of notarial files past a confirmed retention: each one's sealed
    /// objects are removed and its key shredded; the matter, its timeline and the ledger's
    /// hashes stay. Lists every file whose retention has started, with what is done to it.
    Purge {
        /// Say what would be destroyed; destroy nothing.
        #[arg(long)]
        dry_run: bool,
        /// Decide as of this day (YYYY-MM-DD) instead of today in China.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        /// Print the report as JSON: {today, dry_run, files: [{matter_id, reference, decision,
        /// until, shredded, objects_removed, ...}]}.
        #[arg(long)]
        json: bool,
    },
}

impl NotaryCommand {
    /// Answered from compiled-in data, without settings, database or runtime.
    pub fn offline(&self) -> bool {
        matches!(self, NotaryCommand::Check { .. })
    }
}

/// The purge, over the configured store and document files.
pub async fn run_online(
    settings: crate::config::Settings,
    cmd: NotaryCommand,
) -> anyhow::Result<()> {
    let NotaryCommand::Purge {
        dry_run,
        today,
        json,
    } = cmd
    else {
        anyhow::bail!("an offline command reached the database");
    };
    let store = super::open_store(&settings).await?;
    let files = crate::matters::files::Files::open(&settings)?;
    let today = today.unwrap_or_else(crate::notary::keep::today);
    let report = crate::notary::keep::purge(&store, &files, today, dry_run)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    for f in &report.files {
        let until = f
            .decision
            .until()
            .map_or_else(|| "-".to_string(), |d| d.to_string());
        let done = if f.shredded {
            format!("shredded ({} objects removed)", f.objects_removed)
        } else if f.already_shredded {
            "shredded earlier".into()
        } else if matches!(f.decision, Decision::Due { .. }) {
            "would shred".into()
        } else {
            String::new()
        };
        println!(
            "{}  {:<12} {:<22} from {}  until {:<10}  {}",
            f.reference,
            f.decision.code(),
            f.act,
            f.starts_on,
            until,
            done
        );
    }
    println!(
        "{} files: {} due, {} unconfirmed (past the shipped years, not confirmed: kept), {} held, {} kept, {} permanent{}",
        report.files.len(),
        report.count("due"),
        report.count("unconfirmed"),
        report.count("held"),
        report.count("kept"),
        report.count("permanent"),
        if dry_run {
            " (dry run: nothing destroyed)"
        } else {
            ""
        }
    );
    Ok(())
}

pub fn run(cmd: NotaryCommand) -> u8 {
    let NotaryCommand::Check { json, lang } = cmd else {
        eprintln!("error: this command needs the database");
        return 2;
    };
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
