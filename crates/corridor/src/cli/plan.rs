//! `corridor plan [--json]`: the legal-service plan for an outbound project, from the project's
//! JSON on stdin (format in `docs/advisory.md`). Offline: the obligations library is compiled in.
//! Exit 0 with a plan, 2 on bad input (naming the field and the unknown codes), 1 otherwise.

use std::io::Read;

use clap::Args;

use super::route::Lang;
use crate::advisory::{self, Plan, PlanError, PlanRequest, ScheduleFees};

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Print the plan as JSON (`{"sections": [...], "questions": [...], ...}`).
    #[arg(long)]
    pub json: bool,
    /// Language of the readable plan.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

pub fn run(args: PlanArgs) -> u8 {
    let mut input = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("error: cannot read stdin: {err}");
        return 1;
    }
    let request: PlanRequest = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(err) => {
            eprintln!("error: the project on stdin is not valid: {err}");
            return 2;
        }
    };
    let today = crate::jurisdiction::today();
    match advisory::plan_for(&request, today, &ScheduleFees) {
        Ok(plan) if args.json => match serde_json::to_string_pretty(&plan) {
            Ok(text) => {
                println!("{text}");
                0
            }
            Err(err) => {
                eprintln!("error: {err}");
                1
            }
        },
        Ok(plan) => {
            print_plan(&plan, args.lang);
            0
        }
        Err(PlanError::Invalid(e)) => {
            eprintln!("error: {e}");
            2
        }
        Err(PlanError::Library(e)) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn print_plan(plan: &Plan, l: Lang) {
    println!(
        "{} {} · {} · {} · {} {}",
        l.pick("Plan for", "法律服务方案："),
        plan.country,
        plan.entry_mode.code(),
        plan.date,
        l.pick("library", "义务库"),
        plan.library_version
    );
    for s in &plan.sections {
        println!("\n## {}", l.pick(&s.title.en, &s.title.zh));
        if s.items.is_empty() {
            println!("  {}", l.pick("(nothing applies yet)", "（暂无适用事项）"));
        }
        for i in &s.items {
            let unverified = if i.verified {
                ""
            } else {
                l.pick(" [unverified]", " [未核实]")
            };
            println!(
                "- [{}] {}{unverified}",
                serde_json::to_value(i.risk)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                l.pick(&i.title.en, &i.title.zh)
            );
            println!("    {}", i.obligation);
            for w in &i.why {
                println!("    · {}", l.pick(&w.text.en, &w.text.zh));
            }
            println!(
                "    {}: {} · {}: {}",
                l.pick("Owner", "负责人"),
                l.pick(&i.owner.text.en, &i.owner.text.zh),
                l.pick("Due", "时限"),
                l.pick(&i.due.text.en, &i.due.text.zh)
            );
            println!(
                "    {}: {}",
                l.pick("Closed by", "完成凭证"),
                l.pick(&i.evidence.en, &i.evidence.zh)
            );
            for src in &i.sources {
                println!("    {} {src}", l.pick("Source:", "来源："));
            }
        }
        if let Some(c) = &s.dispute_clause {
            println!(
                "  {}: {}",
                l.pick("Proposed clause", "建议条款"),
                l.pick(&c.explanation.en, &c.explanation.zh)
            );
            println!("  {}", l.pick(&c.fee_note.en, &c.fee_note.zh));
        }
    }
    println!("\n## {}", l.pick("China side", "中国境内合规"));
    for c in &plan.china_side {
        println!("- {}: {}", l.pick(&c.title.en, &c.title.zh), c.status);
    }
    if !plan.questions.is_empty() {
        println!("\n## {}", l.pick("Questions", "待回答的问题"));
        for q in &plan.questions {
            println!("- {} ({})", l.pick(&q.text.en, &q.text.zh), q.code);
        }
    }
}
