//! Conditions (`applies_when`) as a small expression over the facts of a project, evaluated in
//! three values: a fact the enterprise has not given is `Unknown`, never a guess. Kleene logic:
//! `All` is false as soon as one part is false, `Any` true as soon as one part is true; otherwise
//! an unknown part makes the whole unknown. Each evaluation also says which atoms decided it, so a
//! plan item can say why it applies and an undecided obligation can ask exactly what it needs.

use serde::Serialize;

use super::project::Project;
use super::vocab::{EntryMode, Isic, Ownership};

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// A comparison of a metric with a threshold. `Between(lo, hi)` is `lo <= x < hi` (the data's
/// bands: "≥100k and <1M"); `In` is membership.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
pub enum Test {
    #[serde(rename = ">")]
    Gt(f64),
    #[serde(rename = ">=")]
    Ge(f64),
    Between(f64, f64),
    In(Vec<f64>),
}

impl Test {
    pub fn holds(&self, x: f64) -> bool {
        match self {
            Test::Gt(v) => x > *v,
            Test::Ge(v) => x >= *v,
            Test::Between(lo, hi) => *lo <= x && x < *hi,
            Test::In(vs) => vs.contains(&x),
        }
    }

    /// The test in words, for explanations: `> 1000000`, `between 1 and 10000`.
    pub fn describe(&self) -> String {
        match self {
            Test::Gt(v) => format!("> {v}"),
            Test::Ge(v) => format!(">= {v}"),
            Test::Between(lo, hi) => format!(">= {lo} and < {hi}"),
            Test::In(vs) => {
                let vs: Vec<String> = vs.iter().map(|v| v.to_string()).collect();
                format!("one of {}", vs.join(", "))
            }
        }
    }
}

/// One fact about the project that a condition tests.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Atom {
    /// Any of these ISIC codes (a code matches itself and everything under it).
    Sector {
        any_of: Vec<Isic>,
    },
    EntryMode {
        any_of: Vec<EntryMode>,
    },
    Ownership {
        any_of: Vec<Ownership>,
    },
    Flag {
        code: String,
    },
    Metric {
        code: String,
        test: Test,
        unit: String,
    },
}

/// A condition: atoms joined by all / any / not.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cond {
    Atom(Atom),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

/// The outcome of evaluating a condition: its truth, and the atoms that decided it — for `True`
/// the atoms that made it true, for `False` those that made it false, for `Unknown` the atoms
/// whose answers are missing and would decide it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome<'a> {
    pub truth: Truth,
    pub atoms: Vec<(&'a Atom, Truth)>,
}

impl Cond {
    pub fn eval<'a>(&'a self, p: &Project) -> Outcome<'a> {
        match self {
            Cond::Atom(a) => {
                let t = a.eval(p);
                Outcome {
                    truth: t,
                    atoms: vec![(a, t)],
                }
            }
            Cond::All(parts) => combine(parts, p, Truth::False, Truth::True),
            Cond::Any(parts) => combine(parts, p, Truth::True, Truth::False),
            Cond::Not(inner) => {
                let mut o = inner.eval(p);
                o.truth = match o.truth {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                };
                o
            }
        }
    }

    /// Every atom in the condition, in order.
    pub fn atoms(&self) -> Vec<&Atom> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn walk<'a>(&'a self, out: &mut Vec<&'a Atom>) {
        match self {
            Cond::Atom(a) => out.push(a),
            Cond::All(ps) | Cond::Any(ps) => ps.iter().for_each(|c| c.walk(out)),
            Cond::Not(c) => c.walk(out),
        }
    }
}

/// `All` (decisive = False, otherwise True) or `Any` (decisive = True, otherwise False).
fn combine<'a>(parts: &'a [Cond], p: &Project, decisive: Truth, otherwise: Truth) -> Outcome<'a> {
    let outcomes: Vec<Outcome<'a>> = parts.iter().map(|c| c.eval(p)).collect();
    let pick = |t: Truth| -> Vec<(&'a Atom, Truth)> {
        outcomes
            .iter()
            .filter(|o| o.truth == t)
            .flat_map(|o| o.atoms.iter().cloned())
            .collect()
    };
    if outcomes.iter().any(|o| o.truth == decisive) {
        Outcome {
            truth: decisive,
            atoms: pick(decisive),
        }
    } else if outcomes.iter().any(|o| o.truth == Truth::Unknown) {
        Outcome {
            truth: Truth::Unknown,
            atoms: pick(Truth::Unknown),
        }
    } else {
        Outcome {
            truth: otherwise,
            atoms: pick(otherwise),
        }
    }
}

impl Atom {
    pub fn eval(&self, p: &Project) -> Truth {
        match self {
            Atom::Sector { any_of } => sector_truth(any_of, &p.sectors),
            Atom::EntryMode { any_of } => known(any_of.contains(&p.entry_mode)),
            Atom::Ownership { any_of } => match p.ownership {
                Some(o) => known(any_of.contains(&o)),
                None => Truth::Unknown,
            },
            Atom::Flag { code } => match p.flags.get(code.as_str()) {
                Some(v) => known(*v),
                None => Truth::Unknown,
            },
            Atom::Metric { code, test, .. } => match p.metrics.get(code.as_str()) {
                Some(x) => known(test.holds(*x)),
                None => Truth::Unknown,
            },
        }
    }
}

fn known(b: bool) -> Truth {
    if b { Truth::True } else { Truth::False }
}

/// The project is in the listed sectors if one of its codes falls under one of the listed codes.
/// A project code broader than a listed one (`K64` against `K6430`) may or may not be in it: that
/// is unknown until the enterprise gives the finer code. No codes given at all is unknown too.
fn sector_truth(listed: &[Isic], project: &[Isic]) -> Truth {
    if project.is_empty() {
        return Truth::Unknown;
    }
    let mut unknown = false;
    for code in project {
        for l in listed {
            if code.is_within(l) {
                return Truth::True;
            }
            if l.is_within(code) {
                unknown = true;
            }
        }
    }
    if unknown {
        Truth::Unknown
    } else {
        Truth::False
    }
}
