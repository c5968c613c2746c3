//! The plan generator: project + library + date → a plan in four areas. Pure: the date is in the
//! project, fee estimates come through the [`FeeEstimator`] seam, nothing is read or written.
//!
//! For each obligation of China or the host country in force on the date, its condition is
//! evaluated in three values: true → an item that says why; unknown → questions naming the
//! missing answers; false → left out (and, for the China side, explained in `china_side`).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::Text;
use super::condition::{Atom, Truth};
use super::disputes::{DisputeClause, FeeEstimator, propose_clause};
use super::guidance::{
    ChinaTopic, Milestone, Owner, Risk, area_of, due_of, evidence_of, owner_of, risk_of,
};
use super::library::{LegalBasis, Library, Obligation};
use super::project::Project;
use super::vocab::{Area, EntryMode, ownership_question, sector_question};

/// A plan: the contract's `sections` and `questions`, plus the China-side summary.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Plan {
    pub library_version: String,
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub country: String,
    pub entry_mode: EntryMode,
    /// Always the four areas, in order: negotiation, signing, risk, disputes.
    pub sections: Vec<Section>,
    /// What the enterprise still has to answer, each naming the obligations it decides.
    pub questions: Vec<Question>,
    /// The five China-side topics, always present: applies, to confirm, or not applicable and why.
    pub china_side: Vec<ChinaSide>,
    /// Obligations of China and the host country left out because they are not in force on
    /// `date` (not yet, or no longer).
    pub not_in_force: Vec<String>,
    pub disclaimer: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Section {
    pub area: Area,
    pub title: Text,
    pub items: Vec<Item>,
    /// Only in the `disputes` section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispute_clause: Option<DisputeClause>,
}

/// One obligation that applies, and the work it makes.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Item {
    /// The obligation's URN in the library.
    pub obligation: String,
    pub jurisdiction: String,
    /// The library's area of the obligation (`outbound_approval`, `data_protection`, ...).
    pub topic: String,
    pub title: Text,
    pub summary_en: String,
    /// The conditions that matched.
    pub why: Vec<Reason>,
    pub legal_basis: Vec<LegalBasis>,
    #[schema(value_type = Vec<Object>)]
    pub key_numbers: Vec<Value>,
    pub sources: Vec<String>,
    /// `false` where the facts were not all seen in a cited source (see `verification_note`).
    pub verified: bool,
    pub verification_note: String,
    #[schema(value_type = String, format = Date)]
    pub effective_from: NaiveDate,
    pub effective_from_verified: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_to: Option<NaiveDate>,
    pub status: String,
    /// The data's own refinements in words (not evaluated): read them before closing the item.
    pub notes: Vec<String>,
    pub risk: Risk,
    pub owner: Owner,
    pub due: Due,
    pub evidence: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Due {
    pub milestone: Milestone,
    #[serde(flatten)]
    pub text: Text,
}

/// A condition that matched (or, under `china_side`, one that did not).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Reason {
    /// `jurisdiction`, `sector`, `entry_mode`, `ownership`, `flag` or `metric`.
    pub kind: &'static str,
    pub code: String,
    /// The answer it rests on: `true`/`false`, a number, or the codes given.
    #[schema(value_type = Object)]
    pub answer: Value,
    #[serde(flatten)]
    pub text: Text,
}

/// A fact the plan needs, asked in plain language.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Question {
    /// `flag` (answer yes/no in `flags` / `flags_false`), `metric` (a number in `metrics`),
    /// `sector` (`sectors_isic`) or `ownership`.
    pub kind: &'static str,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(flatten)]
    pub text: Text,
    /// The obligations the answer decides.
    pub obligations: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ChinaSide {
    pub topic: ChinaTopic,
    pub title: Text,
    /// `applies`, `to_confirm` or `not_applicable`.
    pub status: &'static str,
    pub obligations: Vec<String>,
    /// For `not_applicable`: the answers that rule the topic's obligations out.
    pub because: Vec<Reason>,
    /// For `to_confirm`: codes of the questions that decide it.
    pub questions: Vec<String>,
}

/// Makes the plan. `fees` supplies arbitration fee estimates for the proposed clause (the
/// arbitration module's schedules, [`super::fees::ScheduleFees`]).
pub fn generate(project: &Project, lib: &Library, fees: &dyn FeeEstimator) -> Plan {
    let mut sections: Vec<Section> = Area::ALL
        .into_iter()
        .map(|area| Section {
            area,
            title: area.text(),
            items: Vec::new(),
            dispute_clause: None,
        })
        .collect();
    let mut questions: Vec<Question> = Vec::new();
    let mut not_in_force = Vec::new();
    let mut china: Vec<ChinaOutcome<'_>> = Vec::new();
    for o in &lib.obligations {
        if o.jurisdiction != "CN" && o.jurisdiction != project.country {
            continue;
        }
        if !o.in_force_on(project.date) {
            not_in_force.push(o.urn.clone());
            continue;
        }
        let outcome = o.condition.eval(project);
        let reasons: Vec<Reason> = outcome
            .atoms
            .iter()
            .map(|(a, t)| reason(a, *t, project, lib))
            .collect();
        let mut asked = Vec::new();
        if outcome.truth == Truth::Unknown {
            for (atom, _) in &outcome.atoms {
                let q = question(atom, lib);
                asked.push(q.code.clone());
                match questions
                    .iter_mut()
                    .find(|x| x.kind == q.kind && x.code == q.code)
                {
                    Some(x) => {
                        if !x.obligations.contains(&o.urn) {
                            x.obligations.push(o.urn.clone());
                        }
                    }
                    None => questions.push(Question {
                        obligations: vec![o.urn.clone()],
                        ..q
                    }),
                }
            }
        }
        if let Some(topic) = ChinaTopic::of(&o.urn, &o.topic) {
            china.push((topic, o, outcome.truth, reasons.clone(), asked));
        }
        if outcome.truth != Truth::True {
            continue;
        }
        let event_driven = o
            .condition
            .atoms()
            .iter()
            .any(|a| matches!(a, Atom::Flag { code } if code == "personal_data_breach"));
        let mut why = vec![jurisdiction_reason(o, project)];
        why.extend(reasons);
        let area = area_of(&o.topic).unwrap_or(Area::Risk);
        let milestone = due_of(&o.topic, event_driven);
        sections[area as usize].items.push(Item {
            obligation: o.urn.clone(),
            jurisdiction: o.jurisdiction.clone(),
            topic: o.topic.clone(),
            title: Text::new(&o.title_en, &o.title_zh),
            summary_en: o.summary_en.clone(),
            why,
            legal_basis: o.legal_basis.clone(),
            key_numbers: o.key_numbers.clone(),
            sources: o.sources.clone(),
            verified: o.verified,
            verification_note: o.verification_note.clone(),
            effective_from: o.effective_from,
            effective_from_verified: o.effective_from_verified,
            effective_to: o.effective_to,
            status: o.status.clone(),
            notes: o.notes.clone(),
            risk: risk_of(&o.topic),
            owner: owner_of(&o.topic),
            due: Due {
                milestone,
                text: milestone.text(),
            },
            evidence: evidence_of(&o.topic),
        });
    }
    // Highest risk first; China before the host country; then library order (a stable sort).
    for s in &mut sections {
        s.items.sort_by_key(|i| (i.risk, i.jurisdiction != "CN"));
    }
    sections[Area::Disputes as usize].dispute_clause = Some(propose_clause(project, fees));
    Plan {
        library_version: lib.version.clone(),
        date: project.date,
        country: project.country.clone(),
        entry_mode: project.entry_mode,
        sections,
        questions,
        china_side: china_side(&china),
        not_in_force,
        disclaimer: lib.disclaimer.clone(),
    }
}

type ChinaOutcome<'a> = (ChinaTopic, &'a Obligation, Truth, Vec<Reason>, Vec<String>);

fn china_side(outcomes: &[ChinaOutcome<'_>]) -> Vec<ChinaSide> {
    ChinaTopic::ALL
        .into_iter()
        .map(|topic| {
            let mine: Vec<&ChinaOutcome<'_>> = outcomes.iter().filter(|c| c.0 == topic).collect();
            let with = |t: Truth| -> Vec<String> {
                mine.iter()
                    .filter(|c| c.2 == t)
                    .map(|c| c.1.urn.clone())
                    .collect()
            };
            let applies = with(Truth::True);
            let unknown = with(Truth::Unknown);
            let (status, obligations, because, questions) = if !applies.is_empty() {
                ("applies", applies, Vec::new(), Vec::new())
            } else if !unknown.is_empty() {
                let mut qs: Vec<String> = Vec::new();
                for c in mine.iter().filter(|c| c.2 == Truth::Unknown) {
                    for q in &c.4 {
                        if !qs.contains(q) {
                            qs.push(q.clone());
                        }
                    }
                }
                ("to_confirm", unknown, Vec::new(), qs)
            } else {
                let mut because: Vec<Reason> = Vec::new();
                for c in &mine {
                    for r in &c.3 {
                        if !because.iter().any(|b| b.kind == r.kind && b.code == r.code) {
                            because.push(r.clone());
                        }
                    }
                }
                ("not_applicable", with(Truth::False), because, Vec::new())
            };
            ChinaSide {
                topic,
                title: topic.text(),
                status,
                obligations,
                because,
                questions,
            }
        })
        .collect()
}

fn jurisdiction_reason(o: &Obligation, p: &Project) -> Reason {
    let text = if o.jurisdiction == "CN" {
        Text::new(
            "A Chinese enterprise is investing or operating abroad: China's outbound rules apply.",
            "中国企业在境外投资或经营：适用中国的境外投资相关规定。",
        )
    } else {
        Text::new(
            &format!("The project is in {}.", p.country),
            &format!("项目所在国为 {}。", p.country),
        )
    };
    Reason {
        kind: "jurisdiction",
        code: o.jurisdiction.clone(),
        answer: Value::String(p.country.clone()),
        text,
    }
}

fn yes_no(t: Truth) -> (&'static str, &'static str, bool) {
    if t == Truth::True {
        ("Yes", "是", true)
    } else {
        ("No", "否", false)
    }
}

/// A matched (or failed) atom in words, with the answer it rests on.
fn reason(a: &Atom, t: Truth, p: &Project, lib: &Library) -> Reason {
    match a {
        Atom::Sector { any_of } => {
            let listed: Vec<&str> = any_of.iter().map(|c| c.as_str()).collect();
            let given: Vec<&str> = p.sectors.iter().map(|c| c.as_str()).collect();
            let (en, zh) = if t == Truth::True {
                ("is in", "属于")
            } else {
                ("is not in", "不属于")
            };
            Reason {
                kind: "sector",
                code: listed.join(","),
                answer: Value::from(given.clone()),
                text: Text::new(
                    &format!("Sector {} {en} {}.", given.join(", "), listed.join(", ")),
                    &format!("行业 {} {zh} {}。", given.join("、"), listed.join("、")),
                ),
            }
        }
        Atom::EntryMode { .. } => {
            let m = p.entry_mode.text();
            let (en, zh) = if t == Truth::True {
                ("is covered", "在适用范围内")
            } else {
                ("is not covered", "不在适用范围内")
            };
            Reason {
                kind: "entry_mode",
                code: p.entry_mode.code().into(),
                answer: Value::from(p.entry_mode.code()),
                text: Text::new(
                    &format!("Entry by {} {en}.", m.en),
                    &format!("以{}方式进入{zh}。", m.zh),
                ),
            }
        }
        Atom::Ownership { .. } => {
            let o = p
                .ownership
                .map(|o| o.text())
                .unwrap_or_else(|| Text::new("?", "?"));
            let code = serde_json::to_value(p.ownership).unwrap_or(Value::Null);
            Reason {
                kind: "ownership",
                code: code.as_str().unwrap_or_default().to_owned(),
                answer: code,
                text: Text::new(
                    &format!("The investor is {}.", o.en),
                    &format!("投资者为{}。", o.zh),
                ),
            }
        }
        Atom::Flag { code } => {
            let w = &lib.questions.flags[code];
            let (en, zh, b) = yes_no(t);
            Reason {
                kind: "flag",
                code: code.clone(),
                answer: Value::Bool(b),
                text: Text::new(&format!("{} — {en}", w.en), &format!("{} —— {zh}", w.zh)),
            }
        }
        Atom::Metric { code, test, unit } => {
            let w = &lib.questions.metrics[code];
            let x = p.metrics.get(code).copied().unwrap_or(f64::NAN);
            let (en, zh) = if t == Truth::True {
                ("meets", "达到")
            } else {
                ("does not meet", "未达到")
            };
            let cond = test.describe();
            Reason {
                kind: "metric",
                code: code.clone(),
                answer: Value::from(x),
                text: Text::new(
                    &format!("{} — {x} {unit}, which {en} the threshold {cond}.", w.en),
                    &format!("{} —— {x} {unit}，{zh}标准 {cond}。", w.zh),
                ),
            }
        }
    }
}

fn question(a: &Atom, lib: &Library) -> Question {
    match a {
        Atom::Sector { .. } => Question {
            kind: "sector",
            code: "sectors_isic".into(),
            unit: None,
            text: sector_question(),
            obligations: Vec::new(),
        },
        Atom::Ownership { .. } | Atom::EntryMode { .. } => Question {
            kind: "ownership",
            code: "ownership".into(),
            unit: None,
            text: ownership_question(),
            obligations: Vec::new(),
        },
        Atom::Flag { code } => {
            let w = &lib.questions.flags[code];
            Question {
                kind: "flag",
                code: code.clone(),
                unit: None,
                text: Text::new(&w.en, &w.zh),
                obligations: Vec::new(),
            }
        }
        Atom::Metric { code, .. } => {
            let w = &lib.questions.metrics[code];
            Question {
                kind: "metric",
                code: code.clone(),
                unit: w.unit.clone(),
                text: Text::new(&w.en, &w.zh),
                obligations: Vec::new(),
            }
        }
    }
}
